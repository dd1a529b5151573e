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
    add_reward, zero_rewards, Activity, PromptOutcome, Second, CONFESSION_VOTE, CONFESSION_WINNER,
    PARTICIPATION,
};
use crate::engine::error::Rejection;

pub(super) fn check_vote(a: &Activity, actor: &str, index: u32) -> Result<Second, Rejection> {
    let (author, _) = a.entries.get(index as usize).ok_or_else(|| {
        Rejection::InvalidChoice(format!("confessionIndex must be below {}", a.entries.len()))
    })?;
    if author == actor {
        return Err(Rejection::SelfTarget);
    }
    Ok(Second::Vote(index))
}

pub(super) fn outcome(a: &Activity, roster: &[String]) -> (PromptOutcome, Vec<(String, i64)>) {
    let entries = a.revealed();
    let votes: Vec<(String, u32)> = a
        .second
        .iter()
        .filter_map(|(p, s)| match s {
            Second::Vote(i) if (*i as usize) < entries.len() => Some((p.clone(), *i)),
            _ => None,
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
