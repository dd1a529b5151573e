//! SILVER_GAMBIT `{action: DONATE | KEEP}`.
//!
//! Donating needs 5 silver when submitted. At the reveal every donor is **charged** their
//! donation (at most their balance by then). If at least one player submitted, every submitter
//! donated and at most one eligible player is a no-show, one donor still alive wins a jackpot of
//! three times the silver donated, drawn with the game seed. Otherwise the donations are lost.

use super::{Decision, Dilemma, DilemmaOutcome, Mechanism, Submission, MAX_NO_SHOWS};
use crate::engine::economy::{pay, require_silver};
use crate::engine::error::Rejection;
use crate::engine::registry::commands;
use crate::engine::rng::Rng;
use crate::engine::state::{Ctx, GameState};
use serde::{Deserialize, Serialize};

/// What a donation costs.
pub const DONATION: u64 = 5;
/// The jackpot is this many times the silver donated.
pub const JACKPOT_MULTIPLIER: u64 = 3;

/// `DILEMMA.SILVER_GAMBIT.SUBMIT {action}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum GambitAction {
    Donate,
    Keep,
}

commands! {
    pub enum Command {
        "DILEMMA.SILVER_GAMBIT.SUBMIT" => Submit { action: GambitAction },
    }
}

impl Submission for Command {
    fn decision(&self) -> Decision {
        match self {
            Command::Submit {
                action: GambitAction::Donate,
            } => Decision::Donate,
            Command::Submit {
                action: GambitAction::Keep,
            } => Decision::Keep,
        }
    }

    fn check(&self, st: &GameState, actor: &str) -> Result<(), Rejection> {
        match self {
            Command::Submit {
                action: GambitAction::Donate,
            } => require_silver(st, actor, DONATION),
            Command::Submit {
                action: GambitAction::Keep,
            } => Ok(()),
        }
    }
}

pub struct SilverGambit;

impl Mechanism for SilverGambit {
    fn rules_text(&self) -> &'static str {
        "Donate 5 silver or keep it. If everyone donates, one donor wins three times the pot. If anyone keeps, the donations are lost."
    }

    fn docs(&self) -> &'static str {
        "docs/content.md"
    }

    fn needs_draw(&self, st: &GameState, d: &Dilemma) -> bool {
        jackpot_won(st, d) && alive_donors(st, d).len() >= 2
    }

    fn resolve(
        &self,
        st: &mut GameState,
        d: &Dilemma,
        no_shows: usize,
        ctx: &mut Ctx<'_>,
    ) -> (DilemmaOutcome, Vec<(String, i64)>, String) {
        resolve(st, d, no_shows, ctx)
    }
}

fn donors(d: &Dilemma) -> Vec<String> {
    d.decisions
        .iter()
        .filter(|(_, x)| *x == Decision::Donate)
        .map(|(p, _)| p.clone())
        .collect()
}

fn jackpot_won(st: &GameState, d: &Dilemma) -> bool {
    !d.decisions.is_empty()
        && d.decisions.iter().all(|(_, x)| *x == Decision::Donate)
        && d.no_shows(st).len() <= MAX_NO_SHOWS
}

fn alive_donors(st: &GameState, d: &Dilemma) -> Vec<String> {
    donors(d).into_iter().filter(|p| st.is_alive(p)).collect()
}

fn resolve(
    st: &mut GameState,
    d: &Dilemma,
    no_shows: usize,
    ctx: &mut Ctx<'_>,
) -> (DilemmaOutcome, Vec<(String, i64)>, String) {
    let won = jackpot_won(st, d);
    let candidates = alive_donors(st, d);
    let all_donors = donors(d);
    let keepers: Vec<String> = d
        .decisions
        .iter()
        .filter(|(_, x)| *x == Decision::Keep)
        .map(|(p, _)| p.clone())
        .collect();
    let mut net: Vec<(String, i64)> = st.players.iter().map(|p| (p.id.clone(), 0)).collect();
    let mut donated = 0u64;
    for p in &all_donors {
        let charge = st.player(p).map_or(0, |x| x.silver).min(DONATION);
        donated += charge;
        pay(st, p, -(charge as i64), "SILVER_GAMBIT_DONATION", ctx.facts);
        if let Some(n) = net.iter_mut().find(|(q, _)| q == p) {
            n.1 -= charge as i64;
        }
    }
    let mut winner = None;
    let mut jackpot = 0;
    if won && !candidates.is_empty() {
        let k = match (candidates.len(), ctx.seed) {
            (1, _) | (_, None) => 0,
            (n, Some(seed)) => {
                Rng::for_entry(seed, ctx.seq, "silver-gambit").below(n as u64) as usize
            }
        };
        if let Some(w) = candidates.get(k) {
            jackpot = donated * JACKPOT_MULTIPLIER;
            pay(st, w, jackpot as i64, "SILVER_GAMBIT_JACKPOT", ctx.facts);
            if let Some(n) = net.iter_mut().find(|(q, _)| q == w) {
                n.1 += jackpot as i64;
            }
            winner = Some(w.clone());
        }
    }
    net.retain(|(_, r)| *r != 0);
    let summary = match &winner {
        Some(w) => format!("Everyone donated: {w} wins the {jackpot}-silver jackpot."),
        None if d.decisions.is_empty() => "Nobody took the gamble.".to_string(),
        None if !keepers.is_empty() => format!(
            "{} kept their silver: the {donated} silver donated is lost.",
            keepers.len()
        ),
        None => format!("{no_shows} players did not decide: the {donated} silver donated is lost."),
    };
    (
        DilemmaOutcome::SilverGambit {
            donors: all_donors,
            keepers,
            donated,
            jackpot,
            winner,
        },
        net,
        summary,
    )
}
