//! PLAYER_PICK: every eligible player names another alive player (`ACTIVITY.PROMPT.SUBMIT`, which
//! PREDICTION answers too). +5 to each player who picked; +10 to both players of every mutual
//! pick. The most picked players are reported (no reward).

use super::pick::{count, targets};
use super::{
    add_reward, zero_rewards, Activity, Answer, Prompt, PromptOutcome, PromptType, Reply, Response,
    PARTICIPATION,
};
use crate::engine::error::Rejection;
use crate::engine::registry::commands;
use crate::engine::state::GameState;

/// To both players of a mutual pick.
pub const MUTUAL_PICK: i64 = 10;

commands! {
    pub enum Command {
        /// PLAYER_PICK / PREDICTION: name another alive player.
        "ACTIVITY.PROMPT.SUBMIT" => Submit {
            #[serde(rename = "targetId")]
            target_id: String,
        },
    }
}

impl Response for Command {
    fn answers(&self) -> &'static [PromptType] {
        &[PromptType::PlayerPick, PromptType::Prediction]
    }

    fn reply(&self, st: &GameState, actor: &str, _a: &Activity) -> Result<Reply, Rejection> {
        match self {
            Command::Submit { target_id } => {
                st.other_alive_target(actor, target_id)?;
                Ok(Reply::First(Answer::Target(target_id.clone())))
            }
        }
    }
}

pub struct PlayerPick;

impl Prompt for PlayerPick {
    fn docs(&self) -> &'static str {
        "docs/content.md"
    }

    fn default_text(&self) -> &'static str {
        "Pick your bestie: who would you trust with your last silver?"
    }

    fn outcome(&self, a: &Activity, roster: &[String]) -> (PromptOutcome, Vec<(String, i64)>) {
        outcome(a, roster)
    }
}

fn outcome(a: &Activity, roster: &[String]) -> (PromptOutcome, Vec<(String, i64)>) {
    let picks = targets(a);
    let mut rewards = zero_rewards(roster);
    for (p, _) in &picks {
        add_reward(&mut rewards, p, PARTICIPATION);
    }
    // A pair once, in the order of its first member's answer.
    let mut mutual_pairs = Vec::new();
    for (i, (p, t)) in picks.iter().enumerate() {
        let back = picks
            .iter()
            .position(|(q, u)| q == t && u == p)
            .is_some_and(|j| j > i);
        if back {
            mutual_pairs.push((p.clone(), t.clone()));
            add_reward(&mut rewards, p, MUTUAL_PICK);
            add_reward(&mut rewards, t, MUTUAL_PICK);
        }
    }
    let most = roster.iter().map(|r| count(&picks, r)).max().unwrap_or(0);
    let most_picked = if most == 0 {
        Vec::new()
    } else {
        roster
            .iter()
            .filter(|r| count(&picks, r) == most)
            .cloned()
            .collect()
    };
    rewards.retain(|(_, r)| *r != 0);
    (
        PromptOutcome::PlayerPick {
            picks,
            mutual_pairs,
            most_picked,
            most_picked_count: most,
        },
        rewards,
    )
}
