//! The decision trail of a closed ballot: each step the mechanism took from the count to the one
//! player it decided on, recorded by the mechanism's own `resolve` as it decides. `po-replay
//! explain` prints it (docs/replay.md), so the audit shows what the engine did instead of
//! re-deriving tie-breaks with a second copy of the rules.
//!
//! The trail lives in the engine state with its [`super::Outcome`] but is never journaled (facts
//! are hashed and must not change) nor snapshotted: a replay rebuilds it entry by entry.

use super::{silver_of, Ballot};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trail {
    pub steps: Vec<Step>,
    /// The seeded stream the draws came from, `Rng::for_entry(seed, seq, label)`, when the
    /// settlement drew.
    pub stream: Option<(u64, &'static str)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The candidates after the count: every target with the `most` (or fewest) `what`s
    /// (singular noun: "vote", "save"…), `count` of them; `none_cast` when nobody cast any.
    Count {
        what: &'static str,
        most: bool,
        count: u32,
        none_cast: bool,
        candidates: Vec<String>,
    },
    /// Candidates given by a rule rather than a count (`why` says which).
    Pool {
        why: String,
        candidates: Vec<String>,
    },
    /// Silver at opening compared among the candidates; `kept` have the highest (or lowest).
    Silver {
        highest: bool,
        compared: Vec<(String, u64)>,
        kept: Vec<String>,
    },
    /// Still tied: the earliest in roster order.
    RosterOrder { chosen: String },
    /// A seeded draw of `index` among `among` (roster order): `chosen` is `among[index]`.
    Draw {
        among: Vec<String>,
        index: u64,
        chosen: String,
    },
    /// FINALS: the runner-up (most votes after the winner, then highest silver) leaves the game.
    RunnerUp { winner: String, runner_up: String },
    /// Any other decision, in words.
    Note(String),
}

impl Trail {
    pub(crate) fn counted(
        &mut self,
        what: &'static str,
        most: bool,
        count: u32,
        tallies: &[(String, u32)],
        candidates: &[String],
    ) {
        self.steps.push(Step::Count {
            what,
            most,
            count,
            none_cast: tallies.iter().all(|(_, n)| *n == 0),
            candidates: candidates.to_vec(),
        });
    }

    pub(crate) fn pool(&mut self, why: impl Into<String>, candidates: &[String]) {
        self.steps.push(Step::Pool {
            why: why.into(),
            candidates: candidates.to_vec(),
        });
    }

    pub(crate) fn silver(
        &mut self,
        ballot: &Ballot,
        highest: bool,
        compared: &[String],
        kept: &[String],
    ) {
        self.steps.push(Step::Silver {
            highest,
            compared: compared
                .iter()
                .map(|p| (p.clone(), silver_of(ballot, p)))
                .collect(),
            kept: kept.to_vec(),
        });
    }

    pub(crate) fn roster_order(&mut self, chosen: &str) {
        self.steps.push(Step::RosterOrder {
            chosen: chosen.to_string(),
        });
    }

    /// Records a draw of `index` among `among`; returns the drawn id.
    pub(crate) fn draw(&mut self, among: &[String], index: u64) -> Option<String> {
        let chosen = usize::try_from(index)
            .ok()
            .and_then(|i| among.get(i))?
            .clone();
        self.steps.push(Step::Draw {
            among: among.to_vec(),
            index,
            chosen: chosen.clone(),
        });
        Some(chosen)
    }

    pub(crate) fn note(&mut self, text: impl Into<String>) {
        self.steps.push(Step::Note(text.into()));
    }
}
