//! FANATIC: completes if they are the first player eliminated; fails when someone else is (or
//! nobody is by the end). A correct accusation for the DETECTIVE.

use super::{settle, Act, Destiny, Objective, Status};
use crate::engine::error::Rejection;
use crate::engine::registry::commands;
use crate::engine::state::{Ctx, GameState};

commands! {
    pub enum Command {}
}

impl Act for Command {
    fn act(&self, _st: &mut GameState, _actor: &str, _ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
        match *self {}
    }
}

pub struct Fanatic;

impl Objective for Fanatic {
    fn docs(&self) -> &'static str {
        "docs/destinies.md"
    }

    fn deal_rank(&self) -> u8 {
        2
    }

    fn end_rank(&self) -> u8 {
        0
    }

    /// Decided by the first elimination.
    fn on_elimination(&self, st: &mut GameState, player: &str, ctx: &mut Ctx<'_>) {
        if st.destinies.eliminated.len() != 1 {
            return;
        }
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

    fn is_quarry(&self) -> bool {
        true
    }

    fn on_accused(&self, st: &mut GameState, ctx: &mut Ctx<'_>) {
        settle(
            st,
            Destiny::Detective,
            Status::Completed,
            "accused the FANATIC",
            ctx,
        );
    }

    fn at_game_end(&self, st: &mut GameState, _final_pool: u64, ctx: &mut Ctx<'_>) {
        settle(
            st,
            Destiny::Fanatic,
            Status::Failed,
            "nobody was eliminated",
            ctx,
        );
    }
}
