//! SELF_HATE: completes at the end if they had the most day-ends in last place of silver among
//! alive players (ties for last place count for everyone tied; ties for "most" count too), and
//! were not among the first four eliminated.

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

pub struct SelfHate;

impl Objective for SelfHate {
    fn docs(&self) -> &'static str {
        "docs/destinies.md"
    }

    fn deal_rank(&self) -> u8 {
        5
    }

    fn end_rank(&self) -> u8 {
        2
    }

    /// Day-ends in last place are counted for every player, held or not.
    fn on_deal(&self, st: &mut GameState) {
        st.destinies.last_place_days = st.players.iter().map(|p| (p.id.clone(), 0)).collect();
    }

    /// Counts last place in silver among alive players (all tied count).
    fn on_day_end(&self, st: &mut GameState) {
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

    fn at_game_end(&self, st: &mut GameState, _final_pool: u64, ctx: &mut Ctx<'_>) {
        let Some(h) = st.destinies.holder_of(Destiny::SelfHate).cloned() else {
            return;
        };
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
}
