//! FLOAT: completes at the end if, after every entry while alive, they were never strictly the
//! lowest in silver among alive players.

use super::{settle, Act, Destiny, Objective, Status};
use crate::engine::error::Rejection;
use crate::engine::registry::commands;
use crate::engine::state::{Ctx, GameState, Phase};

commands! {
    pub enum Command {}
}

impl Act for Command {
    fn act(&self, _st: &mut GameState, _actor: &str, _ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
        match *self {}
    }
}

pub struct Float;

impl Objective for Float {
    fn docs(&self) -> &'static str {
        "docs/destinies.md"
    }

    fn deal_rank(&self) -> u8 {
        4
    }

    fn end_rank(&self) -> u8 {
        1
    }

    /// Must never be strictly the lowest while alive.
    fn after_entry(&self, st: &mut GameState) {
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

    fn at_game_end(&self, st: &mut GameState, _final_pool: u64, ctx: &mut Ctx<'_>) {
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
    }
}
