//! Destinies: secret objectives dealt by seeded shuffle on the first morning, each rewarded with
//! gold equal to the final gold pool (ENGINE.md §7). Every evaluation is a fact, so SQL over the
//! D1 journal reaches the same answers (`migrations/0002_destiny_views.sql`).
//!
//! - FANATIC: completes if they are the first player eliminated.
//! - FLOAT: completes at the end if, after every entry while alive, they were never strictly the
//!   lowest in silver among alive players.
//! - SELF_HATE: completes at the end if they had the most day-ends in last place of silver among
//!   alive players (ties for last place count for everyone tied; ties for "most" count too), and
//!   were not among the first four eliminated.
//! - DETECTIVE: `DESTINY.ACCUSE {targetId}` once per day; completes on accusing the MOLE or the
//!   FANATIC.
//! - DECOY: completes when the DETECTIVE accuses them.
//! - MOLE: completes at the end if the final gold pool is below the manifest's `moleThreshold`
//!   and the DETECTIVE never accused them.

use super::error::Rejection;
use super::fact::Fact;
use super::rng::Rng;
use super::state::{Ctx, GameState, Phase};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Destiny {
    Mole,
    Detective,
    Decoy,
    Fanatic,
    Float,
    SelfHate,
}

/// Dealing order: with fewer than six players the last ones are left out.
pub const DEAL: [Destiny; 6] = [
    Destiny::Mole,
    Destiny::Detective,
    Destiny::Fanatic,
    Destiny::Decoy,
    Destiny::Float,
    Destiny::SelfHate,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Status {
    Pending,
    Completed,
    Failed,
}

/// One player's destiny and its evaluation so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub player_id: String,
    pub destiny: Destiny,
    pub status: Status,
}

/// Everything destinies need from the game, derived from the journal as it is applied.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Destinies {
    pub holders: Vec<Holder>,
    /// Player ids in elimination order.
    pub eliminated: Vec<String>,
    /// Day-ends in last place, per player (roster order).
    pub last_place_days: Vec<(String, u32)>,
    /// FLOAT failed (strictly lowest after some entry while alive).
    pub float_sank: bool,
    /// Days on which the DETECTIVE has accused.
    pub accused_on: Vec<u32>,
    /// The DETECTIVE's accusations: (day, target).
    pub accusations: Vec<(u32, String)>,
    pub mole_caught: bool,
}

impl Destinies {
    pub fn of(&self, player: &str) -> Option<&Holder> {
        self.holders.iter().find(|h| h.player_id == player)
    }

    fn holder_of(&self, d: Destiny) -> Option<&Holder> {
        self.holders.iter().find(|h| h.destiny == d)
    }
}

fn settle(st: &mut GameState, d: Destiny, status: Status, reason: &str, ctx: &mut Ctx<'_>) {
    if let Some(h) = st
        .destinies
        .holders
        .iter_mut()
        .find(|h| h.destiny == d && h.status == Status::Pending)
    {
        h.status = status;
        ctx.facts.push(Fact::DestinyResult {
            player_id: h.player_id.clone(),
            destiny: d,
            status,
            reason: reason.to_string(),
        });
    }
}

/// Deals destinies on the first morning (PECKING_ORDER with `destinies` on).
pub(crate) fn deal(st: &mut GameState, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    if !st.manifest.destinies || !st.destinies.holders.is_empty() {
        return Ok(());
    }
    let seed = ctx.seed.ok_or(Rejection::SeedUnknown)?;
    let mut ids = st.alive_ids();
    Rng::for_entry(seed, ctx.seq, "destiny").shuffle(&mut ids);
    for (id, d) in ids.into_iter().zip(DEAL) {
        ctx.facts.push(Fact::DestinyAssigned {
            player_id: id.clone(),
            destiny: d,
        });
        st.destinies.holders.push(Holder {
            player_id: id,
            destiny: d,
            status: Status::Pending,
        });
    }
    st.destinies.last_place_days = st.players.iter().map(|p| (p.id.clone(), 0)).collect();
    Ok(())
}

/// After every applied entry: FLOAT must never be strictly the lowest while alive.
pub(crate) fn after_entry(st: &mut GameState) {
    if st.destinies.float_sank || st.phase == Phase::PreGame {
        return;
    }
    let Some(h) = st.destinies.holder_of(Destiny::Float) else {
        return;
    };
    if h.status != Status::Pending {
        return;
    }
    let Some(me) = st.player(&h.player_id).filter(|p| p.alive) else {
        return;
    };
    let others_min = st
        .players
        .iter()
        .filter(|p| p.alive && p.id != me.id)
        .map(|p| p.silver)
        .min();
    if others_min.is_some_and(|m| me.silver < m) {
        st.destinies.float_sank = true;
    }
}

/// At each elimination: FANATIC is decided by the first one.
pub(crate) fn on_elimination(st: &mut GameState, player: &str, ctx: &mut Ctx<'_>) {
    if st.destinies.holders.is_empty() {
        return;
    }
    st.destinies.eliminated.push(player.to_string());
    if st.destinies.eliminated.len() == 1 {
        let fanatic_first = st
            .destinies
            .holder_of(Destiny::Fanatic)
            .is_some_and(|h| h.player_id == player);
        if fanatic_first {
            settle(
                st,
                Destiny::Fanatic,
                Status::Completed,
                "eliminated first",
                ctx,
            );
        } else {
            settle(
                st,
                Destiny::Fanatic,
                Status::Failed,
                "someone else was eliminated first",
                ctx,
            );
        }
    }
}

/// At each day end: count last place in silver among alive players (all tied count).
pub(crate) fn on_day_end(st: &mut GameState) {
    if st.destinies.holders.is_empty() {
        return;
    }
    let min = st
        .players
        .iter()
        .filter(|p| p.alive)
        .map(|p| p.silver)
        .min();
    for (id, n) in st.destinies.last_place_days.iter_mut() {
        if let Some(p) = st.players.iter().find(|p| &p.id == id) {
            if p.alive && Some(p.silver) == min {
                *n += 1;
            }
        }
    }
}

/// `DESTINY.ACCUSE {targetId}`: the DETECTIVE, alive, once per day, during the day.
pub(crate) fn accuse(
    st: &mut GameState,
    actor: &str,
    target: &str,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    st.alive_in_day(actor)?;
    let is_detective = st
        .destinies
        .of(actor)
        .is_some_and(|h| h.destiny == Destiny::Detective);
    if !is_detective {
        return Err(Rejection::NotDetective);
    }
    if target == actor {
        return Err(Rejection::SelfTarget);
    }
    st.player(target)
        .ok_or_else(|| Rejection::UnknownPlayer(target.to_string()))?;
    if st.destinies.accused_on.contains(&st.day) {
        return Err(Rejection::AlreadyAccusedToday);
    }
    let accused = st.destinies.of(target).map(|h| h.destiny);
    let correct = matches!(accused, Some(Destiny::Mole) | Some(Destiny::Fanatic));
    st.destinies.accused_on.push(st.day);
    st.destinies.accusations.push((st.day, target.to_string()));
    ctx.facts.push(Fact::DestinyAccusation {
        accuser: actor.to_string(),
        target: target.to_string(),
        correct,
    });
    match accused {
        Some(Destiny::Mole) => {
            st.destinies.mole_caught = true;
            settle(
                st,
                Destiny::Detective,
                Status::Completed,
                "accused the MOLE",
                ctx,
            );
            settle(
                st,
                Destiny::Mole,
                Status::Failed,
                "accused by the DETECTIVE",
                ctx,
            );
        }
        Some(Destiny::Fanatic) => settle(
            st,
            Destiny::Detective,
            Status::Completed,
            "accused the FANATIC",
            ctx,
        ),
        Some(Destiny::Decoy) => settle(
            st,
            Destiny::Decoy,
            Status::Completed,
            "accused by the DETECTIVE",
            ctx,
        ),
        _ => {}
    }
    Ok(())
}

/// At the end of the game: decide everything still pending and pay completed destinies gold
/// equal to `final_pool` (the pool before the winner's payout).
pub(crate) fn on_game_end(st: &mut GameState, final_pool: u64, ctx: &mut Ctx<'_>) {
    if st.destinies.holders.is_empty() {
        return;
    }
    settle(
        st,
        Destiny::Fanatic,
        Status::Failed,
        "nobody was eliminated",
        ctx,
    );
    if st.destinies.float_sank {
        settle(
            st,
            Destiny::Float,
            Status::Failed,
            "was strictly lowest in silver",
            ctx,
        );
    } else {
        settle(
            st,
            Destiny::Float,
            Status::Completed,
            "never strictly lowest in silver",
            ctx,
        );
    }
    if let Some(h) = st.destinies.holder_of(Destiny::SelfHate).cloned() {
        let early = st
            .destinies
            .eliminated
            .iter()
            .take(4)
            .any(|e| *e == h.player_id);
        let mine = st
            .destinies
            .last_place_days
            .iter()
            .find(|(p, _)| *p == h.player_id)
            .map(|(_, n)| *n)
            .unwrap_or(0);
        let most = st
            .destinies
            .last_place_days
            .iter()
            .map(|(_, n)| *n)
            .max()
            .unwrap_or(0);
        if early {
            settle(
                st,
                Destiny::SelfHate,
                Status::Failed,
                "among the first four eliminated",
                ctx,
            );
        } else if mine > 0 && mine == most {
            settle(
                st,
                Destiny::SelfHate,
                Status::Completed,
                &format!("last in silver at {mine} day ends, the most"),
                ctx,
            );
        } else {
            settle(
                st,
                Destiny::SelfHate,
                Status::Failed,
                &format!("last in silver at {mine} day ends; most was {most}"),
                ctx,
            );
        }
    }
    settle(
        st,
        Destiny::Detective,
        Status::Failed,
        "never accused the MOLE or the FANATIC",
        ctx,
    );
    settle(
        st,
        Destiny::Decoy,
        Status::Failed,
        "never accused by the DETECTIVE",
        ctx,
    );
    if final_pool < st.manifest.mole_threshold {
        settle(
            st,
            Destiny::Mole,
            Status::Completed,
            &format!(
                "final gold pool {final_pool} below {}",
                st.manifest.mole_threshold
            ),
            ctx,
        );
    } else {
        settle(
            st,
            Destiny::Mole,
            Status::Failed,
            &format!(
                "final gold pool {final_pool} not below {}",
                st.manifest.mole_threshold
            ),
            ctx,
        );
    }
    if final_pool == 0 {
        return;
    }
    let winners: Vec<(String, Destiny)> = st
        .destinies
        .holders
        .iter()
        .filter(|h| h.status == Status::Completed)
        .map(|h| (h.player_id.clone(), h.destiny))
        .collect();
    for (id, d) in winners {
        if let Some(p) = st.player_mut(&id) {
            p.gold += final_pool;
            let after = p.gold;
            let reason = format!(
                "DESTINY_{}",
                serde_json::to_value(d)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            );
            ctx.facts.push(Fact::Gold {
                player_id: id,
                delta: final_pool as i64,
                balance_after: after,
                reason,
            });
        }
    }
}
