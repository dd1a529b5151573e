//! Voting mechanisms. Each mechanism is a module with one job: who may vote, who may be voted
//! for, and how a closed ballot becomes exactly one elimination (or, for FINALS, a winner).
//!
//! A new mechanism is a new module plus one line in [`mechanism_for`]; nothing else changes.

mod finals;
mod majority;

use super::manifest::VoteType;
use super::rng::Rng;
use super::roster::Player;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An open vote: frozen eligibility and silver at opening, and the current votes (secret until
/// the result; votes may change until close).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    pub mechanism: VoteType,
    pub voters: Vec<String>,
    pub targets: Vec<String>,
    /// Silver of every alive player when voting opened (tie-breaks use this snapshot), roster order.
    pub silver_at_open: Vec<(String, u64)>,
    /// voter -> target.
    pub votes: BTreeMap<String, String>,
}

/// What a closed ballot decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub mechanism: VoteType,
    /// Votes per target, in target order (public once the result is out).
    pub tallies: Vec<(String, u32)>,
    pub eliminated: Option<String>,
    pub winner: Option<String>,
    /// How a tie or an empty ballot was settled, in words, when it was.
    pub tie_break: Option<String>,
}

pub trait Mechanism: Sync {
    fn vote_type(&self) -> VoteType;
    /// Who may vote, from the roster at opening.
    fn voters(&self, players: &[Player]) -> Vec<String>;
    /// Who may be voted for.
    fn targets(&self, players: &[Player]) -> Vec<String>;
    /// Settles the ballot. `rng` is only called when a random tie-break is needed.
    fn resolve(&self, ballot: &Ballot, rng: &mut dyn FnMut() -> Rng) -> Outcome;
}

/// The mechanism for a vote type, or `None` if this engine version does not have it.
pub fn mechanism_for(v: VoteType) -> Option<&'static dyn Mechanism> {
    match v {
        VoteType::Majority => Some(&majority::Majority),
        VoteType::Finals => Some(&finals::Finals),
        _ => None,
    }
}

pub(crate) fn alive_ids(players: &[Player]) -> Vec<String> {
    players.iter().filter(|p| p.alive).map(|p| p.id.clone()).collect()
}

/// Votes per eligible target, in target order.
pub(crate) fn count(ballot: &Ballot) -> Vec<(String, u32)> {
    ballot
        .targets
        .iter()
        .map(|t| (t.clone(), ballot.votes.values().filter(|v| *v == t).count() as u32))
        .collect()
}

pub(crate) fn silver_of(ballot: &Ballot, id: &str) -> u64 {
    ballot.silver_at_open.iter().find(|(p, _)| p == id).map(|(_, s)| *s).unwrap_or(0)
}

/// Among `candidates` (in order), those with the lowest silver at opening.
pub(crate) fn lowest_silver(ballot: &Ballot, candidates: &[String]) -> Vec<String> {
    let min = candidates.iter().map(|c| silver_of(ballot, c)).min().unwrap_or(0);
    candidates.iter().filter(|c| silver_of(ballot, c) == min).cloned().collect()
}

/// Among `candidates` (in order), those with the highest silver at opening.
pub(crate) fn highest_silver(ballot: &Ballot, candidates: &[String]) -> Vec<String> {
    let max = candidates.iter().map(|c| silver_of(ballot, c)).max().unwrap_or(0);
    candidates.iter().filter(|c| silver_of(ballot, c) == max).cloned().collect()
}
