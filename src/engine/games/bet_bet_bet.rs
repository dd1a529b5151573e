//! BET_BET_BET (docs/games.md §6). Every alive player may bet once, in secret:
//! `GAME.BET_BET_BET.SUBMIT {amount}`, a whole number from 1 to their silver.
//!
//! Settlement (at END_GAME, or as soon as every alive player has bet):
//! 1. Any amount bet by two or more players is a tie: each tied player loses min(5 × bet, silver).
//! 2. The other ("non-tied") bets, highest first. With two or more: each loses their bet; the
//!    **second-highest** wins the pot (the sum of *all* bets, tied ones included); the lowest,
//!    unless it is the winner, pays double (another min(bet, silver − bet)). With exactly one:
//!    that player wins the pot. With none: nobody wins it.
//! 3. SHIELD (a real effect: immune in tonight's vote) to the bet closest to the median of all
//!    bets without exceeding it; ties go to the earliest bettor.
//! 4. Nobody goes below zero. No bet: nothing. No gold.

use super::{
    check_undecided, who_decided, EffectKind, Env, Family, Finish, Game, GameCommand, GameRun,
    Payout, Play, Plays, Summary,
};
use crate::engine::economy::require_silver;
use crate::engine::error::Rejection;
use crate::engine::games::GameType;
use crate::engine::registry::commands;
use serde::{Deserialize, Serialize};

pub const TIE_PENALTY_MULTIPLIER: u64 = 5;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BetBetBet {
    pub eligible: Vec<String>,
    /// (player, amount) in the order they were placed. Secret until the result.
    pub bets: Vec<(String, u64)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BetSummary {
    pub bets: Vec<(String, u64)>,
    /// Amounts bet by two or more players.
    pub tied_amounts: Vec<u64>,
    pub pot: u64,
    pub winner: Option<String>,
    /// The lowest non-tied bettor who paid double.
    pub paid_double: Option<String>,
    pub shield: Option<String>,
    /// Silver change per eligible player (roster order).
    pub silver: Vec<(String, i64)>,
}

impl BetBetBet {
    fn bet_of(&self, id: &str) -> Option<u64> {
        self.bets.iter().find(|(p, _)| p == id).map(|(_, a)| *a)
    }
}

/// The settlement of `bets` with the bettors' silver now (`silver(id)`).
pub fn settle(
    eligible: &[String],
    bets: &[(String, u64)],
    silver: impl Fn(&str) -> u64,
) -> BetSummary {
    let mut delta: Vec<(String, i64)> = eligible.iter().map(|p| (p.clone(), 0)).collect();
    let set = |delta: &mut Vec<(String, i64)>, id: &str, v: i64| {
        if let Some(d) = delta.iter_mut().find(|(p, _)| p == id) {
            d.1 = v;
        }
    };
    let count = |a: u64| bets.iter().filter(|(_, b)| *b == a).count();
    let mut tied_amounts: Vec<u64> = bets
        .iter()
        .map(|(_, a)| *a)
        .filter(|a| count(*a) >= 2)
        .collect();
    tied_amounts.sort_unstable();
    tied_amounts.dedup();
    for (p, a) in bets.iter().filter(|(_, a)| tied_amounts.contains(a)) {
        let penalty = a.saturating_mul(TIE_PENALTY_MULTIPLIER).min(silver(p));
        set(&mut delta, p, -(penalty as i64));
    }
    let pot: u64 = bets.iter().map(|(_, a)| *a).sum();
    let mut free: Vec<&(String, u64)> = bets
        .iter()
        .filter(|(_, a)| !tied_amounts.contains(a))
        .collect();
    // Amounts are distinct among non-tied bets, so this order is total.
    crate::engine::order::sort_by_key(&mut free, |(_, a)| std::cmp::Reverse(*a));
    let mut winner = None;
    let mut paid_double = None;
    if free.len() >= 2 {
        for (p, a) in &free {
            set(&mut delta, p, -(*a as i64));
        }
        let (w, wa) = free[1];
        set(&mut delta, w, pot as i64 - *wa as i64);
        winner = Some(w.clone());
        if let Some((low, la)) = free.last().copied() {
            if low != w {
                let extra = (*la).min(silver(low).saturating_sub(*la));
                if extra > 0 {
                    set(&mut delta, low, -((*la + extra) as i64));
                    paid_double = Some(low.clone());
                }
            }
        }
    } else if let Some((w, wa)) = free.first().copied() {
        set(&mut delta, w, pot as i64 - *wa as i64);
        winner = Some(w.clone());
    }
    for (p, d) in delta.iter_mut() {
        *d = (*d).max(-(silver(p) as i64));
    }
    // Median of all bets (the mean of the two middle ones for an even count), in half-units.
    let mut amounts: Vec<u64> = bets.iter().map(|(_, a)| *a).collect();
    amounts.sort_unstable();
    let shield = if amounts.is_empty() {
        None
    } else {
        let n = amounts.len();
        let median_x2 = if n % 2 == 1 {
            2 * amounts[n / 2]
        } else {
            amounts[n / 2 - 1] + amounts[n / 2]
        };
        let best = bets
            .iter()
            .filter(|(_, a)| 2 * a <= median_x2)
            .map(|(_, a)| *a)
            .max();
        best.and_then(|b| bets.iter().find(|(_, a)| *a == b).map(|(p, _)| p.clone()))
    };
    BetSummary {
        bets: bets.to_vec(),
        tied_amounts,
        pot,
        winner,
        paid_double,
        shield,
        silver: delta,
    }
}

/// BET_BET_BET as one player sees it: who has bet, never how much (but their own).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BetBetBetView {
    pub eligible: Vec<String>,
    pub submitted: Vec<String>,
    pub my_bet: Option<u64>,
}

commands! {
    pub enum Command {
        "GAME.BET_BET_BET.SUBMIT" => Submit { amount: u64 },
    }
}

impl Play for Command {
    fn target(&self) -> (&'static [Family], Option<GameType>) {
        match self {
            Command::Submit { .. } => (&[Family::SyncDecision], Some(GameType::BetBetBet)),
        }
    }
}

/// BET_BET_BET's line of the game registry.
pub(crate) const BET_BET_BET: Plays = Plays {
    family: Family::SyncDecision,
    spawn: |env, players| BetBetBet::spawn(env, players).map(GameRun::BetBetBet),
};

impl Game for BetBetBet {
    fn spawn(_env: &Env<'_>, players: &[String]) -> Result<Self, Rejection> {
        Ok(BetBetBet {
            eligible: players.to_vec(),
            bets: Vec::new(),
        })
    }

    fn accept(
        &mut self,
        env: &Env<'_>,
        actor: &str,
        cmd: &GameCommand,
    ) -> Result<Vec<Payout>, Rejection> {
        let GameCommand::BetBetBet(Command::Submit { amount }) = cmd else {
            return Err(Rejection::Unsupported("this command in BET_BET_BET".into()));
        };
        check_undecided(&self.eligible, actor, self.bet_of(actor).is_some())?;
        if *amount == 0 {
            return Err(Rejection::InvalidAmount);
        }
        require_silver(env.st, actor, *amount)?;
        self.bets.push((actor.to_string(), *amount));
        Ok(Vec::new())
    }

    fn complete(&self, env: &Env<'_>) -> bool {
        env.all_decided(&self.eligible, |p| self.bet_of(p).is_some())
    }

    fn finish(&mut self, env: &Env<'_>) -> Finish {
        let s = settle(&self.eligible, &self.bets, |p| env.silver(p));
        let mut payouts: Vec<Payout> = s
            .silver
            .iter()
            .filter(|(_, d)| *d != 0)
            .map(|(p, d)| Payout::Silver {
                player: p.clone(),
                delta: *d,
            })
            .collect();
        if let Some(p) = &s.shield {
            payouts.push(Payout::Effect {
                kind: EffectKind::Shield,
                player: p.clone(),
            });
        }
        Finish {
            payouts,
            summary: Summary::BetBetBet(s),
        }
    }

    fn view(&self, _env: &Env<'_>, viewer: Option<&str>) -> super::RunningGameView {
        super::RunningGameView::BetBetBet(BetBetBetView {
            eligible: self.eligible.clone(),
            submitted: who_decided(&self.eligible, |p| self.bet_of(p).is_some()),
            my_bet: viewer.and_then(|v| self.bet_of(v)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn bets(v: &[(&str, u64)]) -> Vec<(String, u64)> {
        v.iter().map(|(p, a)| (p.to_string(), *a)).collect()
    }

    #[test]
    fn second_highest_takes_the_pot_and_the_lowest_pays_double() {
        let s = settle(
            &ids(&["a", "b", "c", "d"]),
            &bets(&[("a", 10), ("b", 20), ("c", 5), ("d", 30)]),
            |_| 50,
        );
        assert_eq!(s.pot, 65);
        assert_eq!(s.winner.as_deref(), Some("b"));
        assert_eq!(s.paid_double.as_deref(), Some("c"));
        assert_eq!(
            s.silver,
            vec![
                ("a".into(), -10),
                ("b".into(), 45),
                ("c".into(), -10),
                ("d".into(), -30)
            ]
        );
        // Median of 5, 10, 20, 30 is 15: the closest bet not above it is 10.
        assert_eq!(s.shield.as_deref(), Some("a"));
    }

    #[test]
    fn ties_pay_five_times_and_a_lone_free_bettor_takes_the_pot() {
        let s = settle(
            &ids(&["a", "b", "c"]),
            &bets(&[("a", 4), ("b", 4), ("c", 9)]),
            |p| if p == "b" { 12 } else { 50 },
        );
        assert_eq!(s.tied_amounts, vec![4]);
        assert_eq!(s.winner.as_deref(), Some("c"));
        assert_eq!(
            s.silver,
            vec![("a".into(), -20), ("b".into(), -12), ("c".into(), 8)]
        );
    }

    #[test]
    fn nobody_goes_below_zero_and_no_bets_change_nothing() {
        let s = settle(&ids(&["a", "b"]), &[], |_| 50);
        assert!(s.silver.iter().all(|(_, d)| *d == 0));
        assert_eq!(s.shield, None);
        let s = settle(
            &ids(&["a", "b", "c"]),
            &bets(&[("a", 3), ("b", 2), ("c", 1)]),
            |p| if p == "b" { 1 } else { 3 },
        );
        assert!(s
            .silver
            .iter()
            .all(|(p, d)| *d >= -(if p == "b" { 1 } else { 3 })));
    }
}
