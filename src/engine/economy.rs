//! Silver and gold. Every change is a fact carrying the balance after it, so the sum of a
//! player's deltas always equals their balance change (checked by property tests).

use super::error::Rejection;
use super::fact::Fact;
use super::roster::MAX_BALANCE;
use super::state::{Ctx, GameState, Phase};
use std::collections::BTreeMap;

/// `SOCIAL.SEND_SILVER`: whole amounts from an alive player to another alive player.
pub(crate) fn send_silver(
    st: &mut GameState,
    actor: &str,
    target: &str,
    amount: u64,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    st.require_phase(&[Phase::Day])?;
    let sender = st.alive_player(actor)?;
    if target == actor {
        return Err(Rejection::SelfTarget);
    }
    st.alive_target(target)?;
    if amount == 0 || amount > MAX_BALANCE {
        return Err(Rejection::InvalidAmount);
    }
    if sender.silver < amount {
        return Err(Rejection::InsufficientSilver {
            balance: sender.silver,
            needed: amount,
        });
    }
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
