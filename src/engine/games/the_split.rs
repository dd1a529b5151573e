//! THE_SPLIT (docs/games.md §5): a round-robin prisoner's dilemma.
//!
//! Every pair of alive players meets once, in a seeded order; round i (0-based) has a pot of
//! 5 + 5i. Only the current pair may submit `GAME.THE_SPLIT.SUBMIT {action: SPLIT|STEAL}`, once
//! each. Both SPLIT: floor(pot/2) each. One STEAL: the stealer takes the pot. Both STEAL: nobody
//! gets silver and the pot goes to the gold pool. A round resolves as soon as both decided.
//!
//! **Per-round deadline** (the prototype had none, so a round could stall [BUG?]): a round must be
//! decided within [`TheSplit::round_ms`] of its start; a round not decided by then resolves with
//! each missing decision taken as SPLIT, and the next round starts at that deadline. The engine
//! has no clock, so deadlines are checked against the time of every later accepted entry (any
//! entry, not just this game's) and at END_GAME; a round whose deadline passed is resolved by the
//! first entry after it, in order, with its facts on that entry. `round_ms` = the time to
//! today's scheduled END_GAME divided by the number of rounds, clamped to 15 s–5 min; 60 s when
//! END_GAME is not scheduled (ADMIN scheduling).
//!
//! At END_GAME the rounds whose deadline has passed resolve as above; the round in progress is
//! discarded and later rounds are not played. Then: silver summed over the resolved rounds and
//! credited; the single highest total (first in roster order on ties) gets +10 if above zero;
//! SHIELD (a real effect: immune in tonight's vote) to the player with most steals, ties to the
//! lower total, then roster order, none if nobody stole; both-steal pots to the gold pool.

use super::{
    EffectKind, Env, Family, Finish, Game, GameCommand, GameRun, Payout, Play, Plays, Summary,
};
use crate::engine::error::Rejection;
use crate::engine::fact::Fact;
use crate::engine::games::GameType;
use crate::engine::registry::commands;
use crate::engine::rng::Rng;
use crate::engine::timeline::Action;
use serde::{Deserialize, Serialize};

pub const BASE_POT: u64 = 5;
pub const POT_INCREMENT: u64 = 5;
pub const WINNER_BONUS: u64 = 10;
/// Round deadline when no END_GAME is scheduled today.
pub use crate::limits::SPLIT_DEFAULT_ROUND_MS as DEFAULT_ROUND_MS;
pub use crate::limits::SPLIT_MAX_ROUND_MS as MAX_ROUND_MS;
pub use crate::limits::SPLIT_MIN_ROUND_MS as MIN_ROUND_MS;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum SplitAction {
    Split,
    Steal,
}

/// A resolved round (public).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SplitRound {
    pub index: u32,
    pub pair: (String, String),
    pub pot: u64,
    pub actions: (SplitAction, SplitAction),
    pub silver: (u64, u64),
    /// Both stole: the pot went to the gold pool.
    pub gold: u64,
    /// Resolved by its deadline (missing decisions counted as SPLIT).
    pub timed_out: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TheSplit {
    pub eligible: Vec<String>,
    /// Every pair, in the seeded order they play.
    pub pairs: Vec<(String, String)>,
    pub round_ms: i64,
    /// Index of the current round (= rounds resolved).
    pub round: u32,
    pub round_started_at_ms: i64,
    /// Decisions of the current round (secret until it resolves).
    pub pending: Vec<(String, SplitAction)>,
    pub rounds: Vec<SplitRound>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SplitSummary {
    pub rounds: Vec<SplitRound>,
    /// Rounds never played (END_GAME came first), including a discarded one in progress.
    pub unplayed: u32,
    /// Silver per player over the resolved rounds, before the bonus (roster order).
    pub totals: Vec<(String, u64)>,
    pub bonus_winner: Option<String>,
    pub shield: Option<String>,
    pub gold_contribution: u64,
}

impl TheSplit {
    pub fn pot(round: u32) -> u64 {
        BASE_POT + POT_INCREMENT * round as u64
    }

    pub fn deadline_ms(&self) -> i64 {
        self.round_started_at_ms.saturating_add(self.round_ms)
    }

    fn current(&self) -> Option<&(String, String)> {
        self.pairs.get(self.round as usize)
    }

    fn decision(&self, id: &str) -> Option<SplitAction> {
        self.pending.iter().find(|(p, _)| p == id).map(|(_, a)| *a)
    }

    /// Resolves the current round (missing decisions count as SPLIT) and starts the next at `at`.
    fn resolve(&mut self, at_ms: i64, timed_out: bool) -> Option<Fact> {
        let (a, b) = self.current()?.clone();
        let pot = Self::pot(self.round);
        let da = self.decision(&a).unwrap_or(SplitAction::Split);
        let db = self.decision(&b).unwrap_or(SplitAction::Split);
        let (silver, gold) = match (da, db) {
            (SplitAction::Split, SplitAction::Split) => ((pot / 2, pot / 2), 0),
            (SplitAction::Steal, SplitAction::Split) => ((pot, 0), 0),
            (SplitAction::Split, SplitAction::Steal) => ((0, pot), 0),
            (SplitAction::Steal, SplitAction::Steal) => ((0, 0), pot),
        };
        let r = SplitRound {
            index: self.round,
            pair: (a, b),
            pot,
            actions: (da, db),
            silver,
            gold,
            timed_out,
        };
        self.rounds.push(r.clone());
        self.round += 1;
        self.round_started_at_ms = at_ms;
        self.pending.clear();
        Some(Fact::SplitRoundResolved {
            game_type: GameType::TheSplit,
            round: r,
        })
    }

    /// Resolves every round whose deadline is before `at_ms`.
    fn catch_up(&mut self, at_ms: i64) -> Vec<Fact> {
        let mut out = Vec::new();
        while self.current().is_some() && at_ms > self.deadline_ms() {
            let deadline = self.deadline_ms();
            out.extend(self.resolve(deadline, true));
        }
        out
    }

    fn total(&self, id: &str) -> u64 {
        self.rounds
            .iter()
            .map(|r| {
                if r.pair.0 == id {
                    r.silver.0
                } else if r.pair.1 == id {
                    r.silver.1
                } else {
                    0
                }
            })
            .sum()
    }

    fn steals(&self, id: &str) -> u32 {
        self.rounds
            .iter()
            .map(|r| {
                u32::from(r.pair.0 == id && r.actions.0 == SplitAction::Steal)
                    + u32::from(r.pair.1 == id && r.actions.1 == SplitAction::Steal)
            })
            .sum()
    }
}

/// THE_SPLIT's running round: the pair, the pot and who of the two has decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SplitRoundView {
    pub round: u32,
    pub pair: (String, String),
    pub pot: u64,
    pub started_at_ms: i64,
    pub deadline_ms: i64,
    pub submitted: Vec<String>,
}

/// THE_SPLIT as one player sees it: the pairs, the running round, finished rounds and totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TheSplitView {
    pub eligible: Vec<String>,
    pub pairs: Vec<(String, String)>,
    pub round_ms: i64,
    pub current: Option<SplitRoundView>,
    pub my_decision: Option<SplitAction>,
    pub rounds: Vec<SplitRound>,
    /// `[player id, silver won]`.
    pub totals: Vec<(String, u64)>,
}

commands! {
    pub enum Command {
        "GAME.THE_SPLIT.SUBMIT" => Submit { action: SplitAction },
    }
}

impl Play for Command {
    fn target(&self) -> (&'static [Family], Option<GameType>) {
        match self {
            Command::Submit { .. } => (&[Family::SyncDecision], Some(GameType::TheSplit)),
        }
    }
}

/// THE_SPLIT's line of the game registry.
pub(crate) const THE_SPLIT: Plays = Plays {
    family: Family::SyncDecision,
    spawn: |env, players| TheSplit::spawn(env, players).map(GameRun::TheSplit),
};

impl Game for TheSplit {
    fn spawn(env: &Env<'_>, players: &[String]) -> Result<Self, Rejection> {
        let mut pairs = Vec::new();
        for (i, a) in players.iter().enumerate() {
            for b in &players[i + 1..] {
                pairs.push((a.clone(), b.clone()));
            }
        }
        if pairs.len() > 1 {
            let seed = env.seed.ok_or(Rejection::SeedUnknown)?;
            Rng::for_entry(seed, env.seq, "the-split").shuffle(&mut pairs);
        }
        let end_game = env
            .st
            .tasks
            .iter()
            .find(|t| t.day == env.st.day && t.action == Action::EndGame)
            .map(|t| t.due_ms);
        let round_ms = match end_game {
            Some(due) if !pairs.is_empty() => {
                ((due - env.at_ms) / pairs.len() as i64).clamp(MIN_ROUND_MS, MAX_ROUND_MS)
            }
            _ => DEFAULT_ROUND_MS,
        };
        Ok(TheSplit {
            eligible: players.to_vec(),
            pairs,
            round_ms,
            round: 0,
            round_started_at_ms: env.at_ms,
            pending: Vec::new(),
            rounds: Vec::new(),
        })
    }

    fn accept(
        &mut self,
        env: &Env<'_>,
        actor: &str,
        cmd: &GameCommand,
    ) -> Result<Vec<Payout>, Rejection> {
        let GameCommand::TheSplit(Command::Submit { action }) = cmd else {
            return Err(Rejection::Unsupported("this command in THE_SPLIT".into()));
        };
        if !self.eligible.iter().any(|p| p == actor) {
            return Err(Rejection::NotInGame);
        }
        // Deadlines first: the round this input belongs to is the one current at its time.
        let mut next = self.clone();
        let mut facts: Vec<Payout> = next
            .catch_up(env.at_ms)
            .into_iter()
            .map(|f| Payout::Fact(Box::new(f)))
            .collect();
        let Some((a, b)) = next.current().cloned() else {
            return Err(Rejection::NotYourRound);
        };
        if actor != a && actor != b {
            return Err(Rejection::NotYourRound);
        }
        if next.decision(actor).is_some() {
            return Err(Rejection::AlreadySubmitted);
        }
        next.pending.push((actor.to_string(), *action));
        if next.decision(&a).is_some() && next.decision(&b).is_some() {
            facts.extend(
                next.resolve(env.at_ms, false)
                    .map(|f| Payout::Fact(Box::new(f))),
            );
        }
        *self = next;
        Ok(facts)
    }

    fn complete(&self, _env: &Env<'_>) -> bool {
        self.current().is_none()
    }

    fn finish(&mut self, env: &Env<'_>) -> Finish {
        let mut payouts: Vec<Payout> = self
            .catch_up(env.at_ms)
            .into_iter()
            .map(|f| Payout::Fact(Box::new(f)))
            .collect();
        let totals: Vec<(String, u64)> = self
            .eligible
            .iter()
            .map(|p| (p.clone(), self.total(p)))
            .collect();
        let best = totals.iter().map(|(_, t)| *t).max().unwrap_or(0);
        let bonus_winner = totals
            .iter()
            .find(|(_, t)| *t == best && best > 0)
            .map(|(p, _)| p.clone());
        let most = self
            .eligible
            .iter()
            .map(|p| self.steals(p))
            .max()
            .unwrap_or(0);
        let shield = if most == 0 {
            None
        } else {
            self.eligible
                .iter()
                .filter(|p| self.steals(p) == most)
                .min_by_key(|p| self.total(p))
                .cloned()
        };
        for (p, t) in &totals {
            let bonus = if bonus_winner.as_deref() == Some(p) {
                WINNER_BONUS
            } else {
                0
            };
            if t + bonus > 0 {
                payouts.push(Payout::Silver {
                    player: p.clone(),
                    delta: (t + bonus) as i64,
                });
            }
        }
        let gold: u64 = self.rounds.iter().map(|r| r.gold).sum();
        payouts.push(Payout::Gold { amount: gold });
        if let Some(p) = &shield {
            payouts.push(Payout::Effect {
                kind: EffectKind::Shield,
                player: p.clone(),
            });
        }
        let unplayed = (self.pairs.len() as u32).saturating_sub(self.round);
        Finish {
            payouts,
            summary: Summary::TheSplit(SplitSummary {
                rounds: self.rounds.clone(),
                unplayed,
                totals,
                bonus_winner,
                shield,
                gold_contribution: gold,
            }),
        }
    }

    fn advance(&mut self, env: &Env<'_>) -> Vec<Fact> {
        self.catch_up(env.at_ms)
    }

    fn view(&self, _env: &Env<'_>, viewer: Option<&str>) -> super::RunningGameView {
        let current = self.current().map(|(a, b)| SplitRoundView {
            round: self.round,
            pair: (a.clone(), b.clone()),
            pot: Self::pot(self.round),
            started_at_ms: self.round_started_at_ms,
            deadline_ms: self.deadline_ms(),
            submitted: [a, b]
                .into_iter()
                .filter(|p| self.decision(p).is_some())
                .cloned()
                .collect(),
        });
        super::RunningGameView::TheSplit(TheSplitView {
            eligible: self.eligible.clone(),
            pairs: self.pairs.clone(),
            round_ms: self.round_ms,
            current,
            my_decision: viewer.and_then(|v| self.decision(v)),
            rounds: self.rounds.clone(),
            totals: self
                .eligible
                .iter()
                .map(|p| (p.clone(), self.total(p)))
                .collect(),
        })
    }
}
