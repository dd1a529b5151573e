//! DECOY: completes when the DETECTIVE accuses them; fails if the game ends first.

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

pub struct Decoy;

impl Objective for Decoy {
    fn docs(&self) -> &'static str {
        "docs/destinies.md"
    }

    fn deal_rank(&self) -> u8 {
        3
    }

    fn end_rank(&self) -> u8 {
        4
    }

    fn on_accused(&self, st: &mut GameState, ctx: &mut Ctx<'_>) {
        settle(
            st,
            Destiny::Decoy,
            Status::Completed,
            "accused by the DETECTIVE",
            ctx,
        );
    }

    fn at_game_end(&self, st: &mut GameState, _final_pool: u64, ctx: &mut Ctx<'_>) {
        settle(
            st,
            Destiny::Decoy,
            Status::Failed,
            "never accused by the DETECTIVE",
            ctx,
        );
    }
}
