//! MOLE: completes at the end if the final gold pool is below the manifest's `moleThreshold` and
//! the DETECTIVE never accused them. A correct accusation for the DETECTIVE.

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

pub struct Mole;

impl Objective for Mole {
    fn docs(&self) -> &'static str {
        "docs/destinies.md"
    }

    fn deal_rank(&self) -> u8 {
        0
    }

    fn end_rank(&self) -> u8 {
        5
    }

    fn is_quarry(&self) -> bool {
        true
    }

    fn on_accused(&self, st: &mut GameState, ctx: &mut Ctx<'_>) {
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

    fn at_game_end(&self, st: &mut GameState, final_pool: u64, ctx: &mut Ctx<'_>) {
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
    }
}
