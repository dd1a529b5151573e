//! Silver and gold. Every change is a fact carrying the balance after it, so the sum of a
//! player's deltas always equals their balance change (checked by property tests).
//!
//! Silver sinks here: transfers out (perks: `engine::perks`). (DM costs are charged by the social layer through
//! the same [`GameState::credit_silver`].) Gold: the shared pool ([`contribute_gold`]) and the
//! payout to the FINALS winner ([`crown`]).

use super::error::Rejection;
use super::fact::Fact;
use super::perks::PerkType;
use super::roster::MAX_BALANCE;
use super::state::{Ctx, GameState, Phase};
use std::collections::BTreeMap;

/// What a perk costs, in silver (docs/rules.md §8).
pub fn perk_cost(perk: PerkType) -> u64 {
    perk.cost()
}

/// Adds `delta` silver to `id` (never below zero) as a Silver fact; returns the change actually
/// made (zero changes make no fact).
pub(crate) fn pay(
    st: &mut GameState,
    id: &str,
    delta: i64,
    reason: &str,
    facts: &mut Vec<Fact>,
) -> i64 {
    let Some(balance) = st.player(id).map(|p| p.silver) else {
        return 0;
    };
    let delta = delta.max(-(balance.min(i64::MAX as u64) as i64));
    if delta != 0 {
        st.credit_silver(id, delta, reason, facts);
    }
    delta
}

/// [`pay`] for each `(player, delta)`.
pub(crate) fn pay_all(
    st: &mut GameState,
    rewards: &[(String, i64)],
    reason: &str,
    facts: &mut Vec<Fact>,
) {
    for (id, delta) in rewards {
        pay(st, id, *delta, reason, facts);
    }
}

/// INSUFFICIENT_SILVER unless `id` has `needed` silver now: every "can they afford it" check.
pub(crate) fn require_silver(st: &GameState, id: &str, needed: u64) -> Result<(), Rejection> {
    let balance = st.player(id).map_or(0, |p| p.silver);
    if balance < needed {
        return Err(Rejection::InsufficientSilver { balance, needed });
    }
    Ok(())
}

/// Adds `amount` gold to the shared pool (paid whole to the FINALS winner), as a
/// [`Fact::GoldPool`]. For the daily games; zero is a no-op. Amounts are capped at
/// [`MAX_BALANCE`] per call and the pool saturates rather than overflowing.
pub fn contribute_gold(st: &mut GameState, amount: u64, reason: &str, facts: &mut Vec<Fact>) {
    let amount = amount.min(MAX_BALANCE);
    if amount == 0 {
        return;
    }
    let before = st.gold_pool;
    st.gold_pool = before.saturating_add(amount);
    facts.push(Fact::GoldPool {
        delta: (st.gold_pool - before) as i64,
        pool_after: st.gold_pool,
        reason: reason.to_string(),
    });
}

/// `SOCIAL.SEND_SILVER`: whole amounts from an alive player to another alive player.
pub(crate) fn send_silver(
    st: &mut GameState,
    actor: &str,
    target: &str,
    amount: u64,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    st.alive_in_day(actor)?;
    st.other_alive_target(actor, target)?;
    if amount == 0 || amount > MAX_BALANCE {
        return Err(Rejection::InvalidAmount);
    }
    require_silver(st, actor, amount)?;
    st.credit_silver(actor, -(amount as i64), "TRANSFER_OUT", ctx.facts);
    st.credit_silver(target, amount as i64, "TRANSFER_IN", ctx.facts);
    Ok(())
}

/// `ADMIN.CREDIT_SILVER`: all or nothing; no balance may go below zero.
pub(crate) fn admin_credit(
    st: &mut GameState,
    rewards: &BTreeMap<String, i64>,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    st.require_phase(&[Phase::PreGame, Phase::Day, Phase::Night, Phase::GameSummary])?;
    for (id, delta) in rewards {
        let p = st
            .player(id)
            .ok_or_else(|| Rejection::UnknownPlayer(id.clone()))?;
        let after = p.silver as i128 + *delta as i128;
        if after < 0 {
            return Err(Rejection::InsufficientSilver {
                balance: p.silver,
                needed: delta.unsigned_abs(),
            });
        }
        if after > MAX_BALANCE as i128 || *delta == 0 {
            return Err(Rejection::InvalidAmount);
        }
    }
    for (id, delta) in rewards {
        st.credit_silver(id, *delta, "ADMIN_CREDIT", ctx.facts);
    }
    Ok(())
}

pub(crate) fn crown(st: &mut GameState, winner: &str, ctx: &mut Ctx<'_>) {
    let pool = st.gold_pool;
    st.winner = Some(winner.to_string());
    ctx.facts.push(Fact::Winner {
        player_id: winner.to_string(),
        gold_pool: pool,
    });
    if pool > 0 {
        if let Some(p) = st.player_mut(winner) {
            p.gold += pool;
            let after = p.gold;
            st.gold_pool = 0;
            ctx.facts.push(Fact::GoldPool {
                delta: -(pool as i64),
                pool_after: 0,
                reason: "WINNER_PAYOUT".into(),
            });
            ctx.facts.push(Fact::Gold {
                player_id: winner.to_string(),
                delta: pool as i64,
                balance_after: after,
                reason: "WINNER".into(),
            });
        }
    }
}
