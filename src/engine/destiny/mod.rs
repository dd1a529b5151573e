//! Destinies: secret objectives dealt by seeded shuffle on the first morning, each rewarded with
//! gold equal to the final gold pool (docs/destinies.md). Every evaluation is a fact, so SQL over the
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

//!
//! One module per destiny, listed once in the registry below: its place in the deal and among the
//! end-of-game evaluations, and what decides it (hooks the family calls at every entry,
//! elimination, day end, accusation and at the end). DESTINY.ACCUSE is the DETECTIVE's command.

pub mod decoy;
pub mod detective;
pub mod fanatic;
pub mod float;
pub mod mole;
pub mod self_hate;

use super::error::Rejection;
use super::fact::Fact;
use super::registry::registry;
use super::rng::Rng;
use super::state::{Ctx, GameState};
use serde::{Deserialize, Serialize};

registry! {
    pub enum Destiny: dyn Objective;
    commands DestinyCommand: dyn Act, prefix "DESTINY.", in Command::Destiny;
    mechanisms {
        Mole = "MOLE" => mole::Mole,
        Detective = "DETECTIVE" => detective::Detective,
        Decoy = "DECOY" => decoy::Decoy,
        Fanatic = "FANATIC" => fanatic::Fanatic,
        Float = "FLOAT" => float::Float,
        SelfHate = "SELF_HATE" => self_hate::SelfHate,
    }
}

/// One destiny: when it is dealt, and what decides it. Every hook is called for every registered
/// destiny, dealt or not (a destiny checks its holder itself).
pub(crate) trait Objective: Sync {
    /// The document in docs/ that describes it (`docs/destinies.md`).
    fn docs(&self) -> &'static str;
    /// Its place in the dealing order (with fewer than six players the last ones are left out).
    fn deal_rank(&self) -> u8;
    /// Its place among the evaluations at the end of the game (the order of their facts).
    fn end_rank(&self) -> u8;
    /// On the first morning, once every destiny is dealt.
    fn on_deal(&self, st: &mut GameState) {
        let _ = st;
    }
    /// After every applied entry.
    fn after_entry(&self, st: &mut GameState) {
        let _ = st;
    }
    /// At each elimination (`player` is the last of `st.destinies.eliminated`).
    fn on_elimination(&self, st: &mut GameState, player: &str, ctx: &mut Ctx<'_>) {
        let _ = (st, player, ctx);
    }
    /// At each day end.
    fn on_day_end(&self, st: &mut GameState) {
        let _ = st;
    }
    /// Whether the DETECTIVE accusing this destiny's holder is a correct accusation.
    fn is_quarry(&self) -> bool {
        false
    }
    /// The DETECTIVE accused this destiny's holder.
    fn on_accused(&self, st: &mut GameState, ctx: &mut Ctx<'_>) {
        let _ = (st, ctx);
    }
    /// At the end of the game, before the payout: settles it if still pending. `final_pool` is
    /// the gold pool before the winner's payout.
    fn at_game_end(&self, st: &mut GameState, final_pool: u64, ctx: &mut Ctx<'_>);
}

/// One destiny's `DESTINY.*` command.
pub(crate) trait Act {
    fn act(&self, st: &mut GameState, actor: &str, ctx: &mut Ctx<'_>) -> Result<(), Rejection>;
}

/// Dealing order: with fewer than six players the last ones are left out.
pub fn deal_order() -> Vec<Destiny> {
    let mut all = Destiny::ALL.to_vec();
    crate::engine::order::sort_by_key(&mut all, |d| d.mechanism().deal_rank());
    all
}

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

    pub(crate) fn holder_of(&self, d: Destiny) -> Option<&Holder> {
        self.holders.iter().find(|h| h.destiny == d)
    }
}

/// Decides `d` (if dealt and still pending) as a DESTINY_RESULT fact.
pub(crate) fn settle(
    st: &mut GameState,
    d: Destiny,
    status: Status,
    reason: &str,
    ctx: &mut Ctx<'_>,
) {
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
    for (id, d) in ids.into_iter().zip(deal_order()) {
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
    for d in Destiny::ALL {
        d.mechanism().on_deal(st);
    }
    Ok(())
}

/// After every applied entry.
pub(crate) fn after_entry(st: &mut GameState) {
    if st.destinies.holders.is_empty() {
        return;
    }
    for d in Destiny::ALL {
        d.mechanism().after_entry(st);
    }
}

/// At each elimination.
pub(crate) fn on_elimination(st: &mut GameState, player: &str, ctx: &mut Ctx<'_>) {
    if st.destinies.holders.is_empty() {
        return;
    }
    st.destinies.eliminated.push(player.to_string());
    for d in Destiny::ALL {
        d.mechanism().on_elimination(st, player, ctx);
    }
}

/// At each day end.
pub(crate) fn on_day_end(st: &mut GameState) {
    if st.destinies.holders.is_empty() {
        return;
    }
    for d in Destiny::ALL {
        d.mechanism().on_day_end(st);
    }
}

/// A player's `DESTINY.*` command.
pub(crate) fn handle(
    st: &mut GameState,
    actor: &str,
    cmd: &DestinyCommand,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    cmd.leaf().act(st, actor, ctx)
}

/// At the end of the game: decide everything still pending and pay completed destinies gold
/// equal to `final_pool` (the pool before the winner's payout).
pub(crate) fn on_game_end(st: &mut GameState, final_pool: u64, ctx: &mut Ctx<'_>) {
    if st.destinies.holders.is_empty() {
        return;
    }
    let mut order = Destiny::ALL.to_vec();
    crate::engine::order::sort_by_key(&mut order, |d| d.mechanism().end_rank());
    for d in order {
        d.mechanism().at_game_end(st, final_pool, ctx);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Each destiny has its own place in the deal and among the end-of-game evaluations; the deal
    /// is MOLE, DETECTIVE, FANATIC, DECOY, FLOAT, SELF_HATE (docs/destinies.md).
    #[test]
    fn deal_and_end_orders_give_every_destiny_one_place() {
        let places = |rank: fn(Destiny) -> u8| {
            let mut r: Vec<u8> = Destiny::ALL.iter().map(|d| rank(*d)).collect();
            r.sort_unstable();
            r
        };
        let all: Vec<u8> = (0..Destiny::ALL.len() as u8).collect();
        assert_eq!(places(|d| d.mechanism().deal_rank()), all);
        assert_eq!(places(|d| d.mechanism().end_rank()), all);
        let dealt: Vec<&str> = deal_order().iter().map(|d| d.as_str()).collect();
        assert_eq!(
            dealt,
            [
                "MOLE",
                "DETECTIVE",
                "FANATIC",
                "DECOY",
                "FLOAT",
                "SELF_HATE"
            ]
        );
    }
}
