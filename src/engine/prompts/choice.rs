//! Shared by WOULD_YOU_RATHER and HOT_TAKE: every eligible player picks one option.
//!
//! +5 to each player who answered; +10 to everyone whose option is in the minority: the options
//! with the fewest answers among those that got any, when that is fewer than the most answered
//! option. (For WOULD_YOU_RATHER this is exactly "the strictly smaller side"; a tie pays no bonus.)

use super::{add_reward, zero_rewards, Activity, Answer, PromptOutcome, PARTICIPATION};

/// To the minority.
pub const MINORITY: i64 = 10;

pub(super) fn outcome(a: &Activity, roster: &[String]) -> (PromptOutcome, Vec<(String, i64)>) {
    let n = a.options.len().max(2);
    let choices: Vec<(String, u32)> = a
        .answers
        .iter()
        .filter_map(|(p, ans)| match ans {
            Answer::Option(i) if (*i as usize) < n => Some((p.clone(), *i)),
            Answer::Option(_) | Answer::Target(_) | Answer::Text(_) => None,
        })
        .collect();
    let mut counts = vec![0u32; n];
    for (_, i) in &choices {
        counts[*i as usize] += 1;
    }
    let max = counts.iter().copied().max().unwrap_or(0);
    let min = counts.iter().copied().filter(|c| *c > 0).min().unwrap_or(0);
    let minority: Vec<u32> = if min > 0 && min < max {
        (0..n as u32)
            .filter(|i| counts[*i as usize] == min)
            .collect()
    } else {
        Vec::new()
    };
    let mut rewards = zero_rewards(roster);
    for (p, i) in &choices {
        add_reward(&mut rewards, p, PARTICIPATION);
        if minority.contains(i) {
            add_reward(&mut rewards, p, MINORITY);
        }
    }
    rewards.retain(|(_, r)| *r != 0);
    (
        PromptOutcome::Choice {
            choices,
            counts,
            minority,
        },
        rewards,
    )
}
