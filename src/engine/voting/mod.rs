//! Voting mechanisms. Each mechanism is a module with one job: who may vote, who may be voted
//! for, and how a closed ballot becomes exactly one elimination (or, for FINALS, a winner).
//!
//! A new mechanism is a new module plus one line in [`mechanism_for`]; nothing else changes.

mod finals;
mod majority;

use super::error::Rejection;
use super::fact::Fact;
use super::manifest::VoteType;
use super::rng::Rng;
use super::roster::Player;
use super::state::{Ctx, GameState, Phase};
use super::timeline::Action;
use serde::{Deserialize, Serialize};
use std::cell::Cell;
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
    // --- Daily games: CURSE_HALF_VOTE (see games::effects) ---
    /// Voters whose vote weighs half tonight. When any is listed, [`count`] tallies half-votes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub half_votes: Vec<String>,
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
    /// Records one vote. The default is a single `CAST` verb: an eligible voter names an
    /// eligible target, and may change their vote until close.
    fn cast(
        &self,
        ballot: &mut Ballot,
        verb: &str,
        voter: &str,
        target: &str,
    ) -> Result<(), Rejection> {
        let _ = verb;
        if !ballot.voters.iter().any(|v| v == voter) {
            return Err(Rejection::NotEligibleVoter);
        }
        if !ballot.targets.iter().any(|t| t == target) {
            return Err(Rejection::NotEligibleTarget);
        }
        ballot.votes.insert(voter.to_string(), target.to_string());
        Ok(())
    }
    fn vote_type(&self) -> VoteType;
    /// Who may vote, from the roster at opening.
    fn voters(&self, players: &[Player]) -> Vec<String>;
    /// Who may be voted for.
    fn targets(&self, players: &[Player]) -> Vec<String>;
    /// Settles the ballot. `rng` is only called when a random tie-break is needed.
    fn resolve(&self, ballot: &Ballot, rng: &mut dyn FnMut() -> Rng) -> Outcome;
}

/// OPEN_VOTING: freezes eligibility and silver for today's mechanism.
pub(crate) fn open(st: &mut GameState, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    if st.ballot.is_some() || st.pending.is_some() {
        ctx.facts.push(Fact::NoEffect {
            action: Action::OpenVoting,
            reason: "today's vote already opened".into(),
        });
        return Ok(());
    }
    let vt = st.vote_type.unwrap_or(VoteType::Majority);
    let mech = mechanism_for(vt).ok_or_else(|| Rejection::Unsupported(vt.as_str().into()))?;
    let voters = mech.voters(&st.players);
    let targets = mech.targets(&st.players);
    // --- Daily games: a SHIELD holder is no target tonight (see games::effects) ---
    let targets = super::games::effects::unshielded(st, vt, targets);
    ctx.facts.push(Fact::VotingOpened {
        mechanism: vt,
        voters: voters.clone(),
        targets: targets.clone(),
    });
    st.ballot = Some(Ballot {
        mechanism: vt,
        voters,
        targets,
        silver_at_open: st
            .players
            .iter()
            .filter(|p| p.alive)
            .map(|p| (p.id.clone(), p.silver))
            .collect(),
        votes: Default::default(),
        // --- Daily games: CURSE_HALF_VOTE ---
        half_votes: super::games::effects::half_voters(st),
    });
    Ok(())
}

/// CLOSE_VOTING: settles the ballot into today's pending outcome (applied at END_DAY).
pub(crate) fn close(st: &mut GameState, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    let Some(ballot) = st.ballot.as_ref() else {
        ctx.facts.push(Fact::NoEffect {
            action: Action::CloseVoting,
            reason: "no vote is open".into(),
        });
        return Ok(());
    };
    let mech = mechanism_for(ballot.mechanism)
        .ok_or_else(|| Rejection::Unsupported(ballot.mechanism.as_str().into()))?;
    let missing_seed = Cell::new(false);
    let (seed, seq) = (ctx.seed, ctx.seq);
    let outcome = mech.resolve(ballot, &mut || match seed {
        Some(s) => Rng::for_entry(s, seq, "vote"),
        None => {
            missing_seed.set(true);
            Rng::for_entry(&[0; 32], seq, "vote")
        }
    });
    if missing_seed.get() {
        return Err(Rejection::SeedUnknown);
    }
    ctx.facts.push(Fact::VoteResult {
        mechanism: outcome.mechanism,
        tallies: outcome.tallies.clone(),
        eliminated: outcome.eliminated.clone(),
        winner: outcome.winner.clone(),
        tie_break: outcome.tie_break.clone(),
    });
    st.ballot = None;
    st.results.push((st.day, outcome.clone()));
    st.pending = Some(outcome);
    Ok(())
}

/// A player's vote (`VOTE.<MECHANISM>.<VERB>`). The mechanism decides what its verbs mean.
pub(crate) fn cast(
    st: &mut GameState,
    mechanism: VoteType,
    verb: &str,
    voter: &str,
    target: &str,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    st.require_phase(&[Phase::Day])?;
    st.player(voter)
        .ok_or_else(|| Rejection::UnknownPlayer(voter.to_string()))?;
    let ballot = st.ballot.as_mut().ok_or(Rejection::VotingClosed)?;
    if ballot.mechanism != mechanism {
        return Err(Rejection::WrongMechanism {
            expected: ballot.mechanism.as_str(),
            got: mechanism.as_str(),
        });
    }
    let mech = mechanism_for(mechanism)
        .ok_or_else(|| Rejection::Unsupported(mechanism.as_str().into()))?;
    mech.cast(ballot, verb, voter, target)?;
    ctx.facts.push(Fact::VoteCast {
        voter: voter.to_string(),
        mechanism,
        target: target.to_string(),
    });
    Ok(())
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
    players
        .iter()
        .filter(|p| p.alive)
        .map(|p| p.id.clone())
        .collect()
}

/// Votes per eligible target, in target order.
///
/// --- Daily games: CURSE_HALF_VOTE --- when the ballot has a cursed voter, tallies are in
/// half-votes: every vote counts 2 and a cursed voter's counts 1.
pub(crate) fn count(ballot: &Ballot) -> Vec<(String, u32)> {
    let halves = !ballot.half_votes.is_empty();
    let weight = |voter: &String| -> u32 {
        if halves && !ballot.half_votes.contains(voter) {
            2
        } else {
            1
        }
    };
    ballot
        .targets
        .iter()
        .map(|t| {
            (
                t.clone(),
                ballot
                    .votes
                    .iter()
                    .filter(|(_, v)| *v == t)
                    .map(|(voter, _)| weight(voter))
                    .sum(),
            )
        })
        .collect()
}

pub(crate) fn silver_of(ballot: &Ballot, id: &str) -> u64 {
    ballot
        .silver_at_open
        .iter()
        .find(|(p, _)| p == id)
        .map(|(_, s)| *s)
        .unwrap_or(0)
}

/// Among `candidates` (in order), those with the lowest silver at opening.
pub(crate) fn lowest_silver(ballot: &Ballot, candidates: &[String]) -> Vec<String> {
    let min = candidates
        .iter()
        .map(|c| silver_of(ballot, c))
        .min()
        .unwrap_or(0);
    candidates
        .iter()
        .filter(|c| silver_of(ballot, c) == min)
        .cloned()
        .collect()
}

/// Among `candidates` (in order), those with the highest silver at opening.
pub(crate) fn highest_silver(ballot: &Ballot, candidates: &[String]) -> Vec<String> {
    let max = candidates
        .iter()
        .map(|c| silver_of(ballot, c))
        .max()
        .unwrap_or(0);
    candidates
        .iter()
        .filter(|c| silver_of(ballot, c) == max)
        .cloned()
        .collect()
}
