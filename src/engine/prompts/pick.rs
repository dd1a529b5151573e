//! PLAYER_PICK and PREDICTION: every eligible player names another alive player.
//!
//! - PLAYER_PICK: +5 to each player who picked; +10 to both players of every mutual pick. The
//!   most picked players are reported (no reward).
//! - PREDICTION: +5 to each player who predicted, at completion; +10 at END_DAY to each player who
//!   named the player the vote actually eliminated that night (see `settle_prediction`).

use super::{
    add_reward, zero_rewards, Activity, Answer, PromptOutcome, MUTUAL_PICK, PARTICIPATION,
};

fn targets(a: &Activity) -> Vec<(String, String)> {
    a.answers
        .iter()
        .filter_map(|(p, ans)| match ans {
            Answer::Target(t) => Some((p.clone(), t.clone())),
            _ => None,
        })
        .collect()
}

fn count(picks: &[(String, String)], id: &str) -> u32 {
    picks.iter().filter(|(_, t)| t == id).count() as u32
}

pub(super) fn player_pick(a: &Activity, roster: &[String]) -> (PromptOutcome, Vec<(String, i64)>) {
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

pub(super) fn prediction(a: &Activity, roster: &[String]) -> (PromptOutcome, Vec<(String, i64)>) {
    let predictions = targets(a);
    let mut rewards = zero_rewards(roster);
    for (p, _) in &predictions {
        add_reward(&mut rewards, p, PARTICIPATION);
    }
    // Most predicted; among the tied, the one named first.
    let most = predictions
        .iter()
        .map(|(_, t)| count(&predictions, t))
        .max()
        .unwrap_or(0);
    let most_predicted = predictions
        .iter()
        .find(|(_, t)| count(&predictions, t) == most)
        .map(|(_, t)| t.clone());
    rewards.retain(|(_, r)| *r != 0);
    (
        PromptOutcome::Prediction {
            predictions,
            most_predicted,
            eliminated: None,
            correct: Vec::new(),
            settled: false,
        },
        rewards,
    )
}
