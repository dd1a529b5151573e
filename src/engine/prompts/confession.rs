//! CONFESSION (the prompt; the evening confession *phase* is `engine::confession`).
//!
//! Stage 1 (`ACTIVITY.CONFESSION.SUBMIT {text}`): every eligible player confesses once (1–280
//! characters). When all have, the confessions become an anonymous list in a seeded shuffled
//! order. Stage 2 (`ACTIVITY.CONFESSION.VOTE {confessionIndex}`): everyone votes once for a
//! confession that is not their own. Results reveal the authors.
//!
//! +5 per confession, +5 per vote, +15 to the author of the most-voted confession (ties go to the
//! lowest index; no votes, no winner). Ended during stage 1, the list is still built and revealed,
//! and only the confessions are paid.

use super::{
    add_reward, zero_rewards, Activity, Answer, Prompt, PromptOutcome, PromptType, Reply, Response,
    Second, PARTICIPATION,
};
use crate::engine::error::Rejection;
use crate::engine::registry::commands;
use crate::engine::social::clean_text;
use crate::engine::state::GameState;

/// Per vote cast.
pub const CONFESSION_VOTE: i64 = 5;
/// To the author of the most-voted confession.
pub const CONFESSION_WINNER: i64 = 15;

commands! {
    pub enum Command {
        "ACTIVITY.CONFESSION.SUBMIT" => Submit { text: String },
        "ACTIVITY.CONFESSION.VOTE" => Vote {
            #[serde(rename = "confessionIndex")]
            confession_index: u32,
        },
    }
}

impl Response for Command {
    fn answers(&self) -> &'static [PromptType] {
        &[PromptType::Confession]
    }

    fn second_stage(&self) -> bool {
        match self {
            Command::Submit { .. } => false,
            Command::Vote { .. } => true,
        }
    }

    fn reply(&self, _st: &GameState, actor: &str, a: &Activity) -> Result<Reply, Rejection> {
        match self {
            Command::Submit { text } => {
                Ok(Reply::First(Answer::Text(clean_text(text)?.to_string())))
            }
            Command::Vote { confession_index } => {
                Ok(Reply::Second(check_vote(a, actor, *confession_index)?))
            }
        }
    }
}

pub struct Confession;

impl Prompt for Confession {
    fn docs(&self) -> &'static str {
        "docs/content.md"
    }

    fn default_text(&self) -> &'static str {
        "Confess something the others don't know about you."
    }

    fn two_stage(&self) -> bool {
        true
    }

    fn outcome(&self, a: &Activity, roster: &[String]) -> (PromptOutcome, Vec<(String, i64)>) {
        outcome(a, roster)
    }
}

fn check_vote(a: &Activity, actor: &str, index: u32) -> Result<Second, Rejection> {
    let (author, _) = a.entries.get(index as usize).ok_or_else(|| {
        Rejection::InvalidChoice(format!("confessionIndex must be below {}", a.entries.len()))
    })?;
    if author == actor {
        return Err(Rejection::SelfTarget);
    }
    Ok(Second::Vote(index))
}

fn outcome(a: &Activity, roster: &[String]) -> (PromptOutcome, Vec<(String, i64)>) {
    let entries = a.revealed();
    let votes: Vec<(String, u32)> = a
        .second
        .iter()
        .filter_map(|(p, s)| match s {
            Second::Vote(i) if (*i as usize) < entries.len() => Some((p.clone(), *i)),
            Second::Vote(_) | Second::Guesses(_) => None,
        })
        .collect();
    let mut tally = vec![0u32; entries.len()];
    for (_, i) in &votes {
        tally[*i as usize] += 1;
    }
    let max = tally.iter().copied().max().unwrap_or(0);
    let winner = if max == 0 {
        None
    } else {
        tally.iter().position(|t| *t == max).map(|i| i as u32)
    };
    let mut rewards = zero_rewards(roster);
    for e in &entries {
        add_reward(&mut rewards, &e.author, PARTICIPATION);
    }
    for (p, _) in &votes {
        add_reward(&mut rewards, p, CONFESSION_VOTE);
    }
    if let Some(w) = winner.and_then(|w| entries.get(w as usize)) {
        add_reward(&mut rewards, &w.author, CONFESSION_WINNER);
    }
    rewards.retain(|(_, r)| *r != 0);
    (
        PromptOutcome::Confession {
            entries,
            votes,
            tally,
            winner,
        },
        rewards,
    )
}
