//! Shared by PLAYER_PICK and PREDICTION: the players named in the answers.

use super::{Activity, Answer};

/// (player, named player) of every answer, in answer order.
pub(super) fn targets(a: &Activity) -> Vec<(String, String)> {
    a.answers
        .iter()
        .filter_map(|(p, ans)| match ans {
            Answer::Target(t) => Some((p.clone(), t.clone())),
            Answer::Option(_) | Answer::Text(_) => None,
        })
        .collect()
}

/// How many answers name `id`.
pub(super) fn count(picks: &[(String, String)], id: &str) -> u32 {
    picks.iter().filter(|(_, t)| t == id).count() as u32
}
