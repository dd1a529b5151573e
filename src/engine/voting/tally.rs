//! Counting a ballot and settling ties: the shared rules every mechanism's `resolve` is built from
//! (docs/voting.md, "Common rules"). Each settling step is recorded in the outcome's [`Trail`].

use super::{Ballot, Trail};
use crate::engine::roster::Player;
use std::collections::BTreeMap;

pub(crate) use crate::engine::roster::alive_ids;

/// Votes per eligible target, in target order.
///
/// --- Daily games: CURSE_HALF_VOTE --- when the ballot has a cursed voter, tallies are in
/// half-votes: every vote counts 2 and a cursed voter's counts 1.
pub(crate) fn count(ballot: &Ballot) -> Vec<(String, u32)> {
    count_in(&ballot.votes, &ballot.targets, &ballot.half_votes)
}

pub(crate) fn silver_of(ballot: &Ballot, id: &str) -> u64 {
    ballot
        .silver_at_open
        .iter()
        .find(|(p, _)| p == id)
        .map(|(_, s)| *s)
        .unwrap_or(0)
}

/// The entries of `items` (in order) whose `key` is the smallest, or with `largest` the largest,
/// and that key (zero without entries): the one "tied at the extreme" rule behind
/// [`lowest_silver`], [`highest_silver`], [`fewest`] and [`most`].
fn tied_at<T, K: Ord + Copy + Default>(
    items: &[T],
    key: impl Fn(&T) -> K,
    largest: bool,
) -> (Vec<&T>, K) {
    let keys = items.iter().map(&key);
    let best = if largest { keys.max() } else { keys.min() }.unwrap_or_default();
    (items.iter().filter(|i| key(i) == best).collect(), best)
}

/// Among `candidates` (in order), those with the lowest silver at opening.
pub(crate) fn lowest_silver(ballot: &Ballot, candidates: &[String]) -> Vec<String> {
    let (low, _) = tied_at(candidates, |c| silver_of(ballot, c), false);
    low.into_iter().cloned().collect()
}

/// Among `candidates` (in order), those with the highest silver at opening.
pub(crate) fn highest_silver(ballot: &Ballot, candidates: &[String]) -> Vec<String> {
    let (high, _) = tied_at(candidates, |c| silver_of(ballot, c), true);
    high.into_iter().cloned().collect()
}

/// Alive players by silver, highest first; ties keep roster order (prototype "top 3" order).
pub(crate) fn by_silver_desc(players: &[Player]) -> Vec<String> {
    let mut alive: Vec<&Player> = players.iter().filter(|p| p.alive).collect();
    // A stable sort keeps roster order among equal balances.
    crate::engine::order::sort_by_key(&mut alive, |p| std::cmp::Reverse(p.silver));
    alive.into_iter().map(|p| p.id.clone()).collect()
}

/// The top three alive players by silver (ties keep roster order).
pub(crate) fn top_three(players: &[Player]) -> Vec<String> {
    let mut top = by_silver_desc(players);
    top.truncate(3);
    // Listed in roster order, like every other id list of a ballot.
    players
        .iter()
        .filter(|p| top.contains(&p.id))
        .map(|p| p.id.clone())
        .collect()
}

/// Alive players outside [`top_three`], roster order (BUBBLE's targets, PODIUM_SACRIFICE's voters).
pub(crate) fn off_podium(players: &[Player]) -> Vec<String> {
    let top = top_three(players);
    alive_ids(players)
        .into_iter()
        .filter(|p| !top.contains(p))
        .collect()
}

/// Settles `pool` (roster order) by lowest silver at opening, then earliest in roster order,
/// recording each step in `trail` (the caller recorded how the pool came about). `why` says how
/// the pool came about; it becomes the tie-break text when there was a choice to make, or always
/// when `explain` (an empty ballot is worth explaining even with one candidate).
pub(crate) fn lowest_of(
    ballot: &Ballot,
    pool: &[String],
    why: &str,
    explain: bool,
    trail: &mut Trail,
) -> (Option<String>, Option<String>) {
    match pool.len() {
        0 => (None, Some(format!("{why}; nobody was eligible"))),
        1 => (pool.first().cloned(), explain.then(|| why.to_string())),
        _ => {
            let low = lowest_silver(ballot, pool);
            trail.silver(ballot, false, pool, &low);
            let text = if low.len() > 1 {
                format!("{why}; lowest silver; still tied: earliest in roster order")
            } else {
                format!("{why}; lowest silver")
            };
            if let (true, Some(first)) = (low.len() > 1, low.first()) {
                trail.roster_order(first);
            }
            (low.into_iter().next(), Some(text))
        }
    }
}

/// Two tie-break texts as one (`a; b`), either of which may be absent (the two-stage mechanisms
/// explain each stage).
pub(crate) fn join(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    }
}

/// BUBBLE and PODIUM_SACRIFICE: the target with the fewest saves leaves; a tie goes to the lowest
/// silver, and so does a ballot without a single save (`no_saves` says so in the tie-break).
pub(crate) fn fewest_saves(
    ballot: &Ballot,
    tallies: &[(String, u32)],
    no_saves: &str,
    trail: &mut Trail,
) -> (Option<String>, Option<String>) {
    let (pool, min) = fewest(tallies);
    trail.counted("save", false, min, tallies, &pool);
    if tallies.iter().all(|(_, n)| *n == 0) {
        lowest_of(ballot, &pool, no_saves, true, trail)
    } else {
        lowest_of(
            ballot,
            &pool,
            &format!("tied on fewest saves ({min})"),
            false,
            trail,
        )
    }
}

/// Targets with the fewest votes (saves), roster order, and that number.
pub(crate) fn fewest(tallies: &[(String, u32)]) -> (Vec<String>, u32) {
    let (low, min) = tied_at(tallies, |(_, n)| *n, false);
    (low.into_iter().map(|(t, _)| t.clone()).collect(), min)
}

/// Targets with the most votes, roster order, and that number.
pub(crate) fn most(tallies: &[(String, u32)]) -> (Vec<String>, u32) {
    let (high, max) = tied_at(tallies, |(_, n)| *n, true);
    (high.into_iter().map(|(t, _)| t.clone()).collect(), max)
}

/// Votes in `votes` per candidate, in candidate order ([`count`] is this over the ballot's own
/// votes and targets).
pub(crate) fn count_in(
    votes: &BTreeMap<String, String>,
    candidates: &[String],
    half_votes: &[String],
) -> Vec<(String, u32)> {
    // --- Daily games: CURSE_HALF_VOTE --- with any cursed voter, tallies are in half-votes.
    let weight = |voter: &String| -> u32 {
        if !half_votes.is_empty() && !half_votes.contains(voter) {
            2
        } else {
            1
        }
    };
    candidates
        .iter()
        .map(|t| {
            let n = votes
                .iter()
                .filter(|(_, v)| *v == t)
                .map(|(voter, _)| weight(voter))
                .sum();
            (t.clone(), n)
        })
        .collect()
}
