//! DETECTIVE: `DESTINY.ACCUSE {targetId}` once per day (alive, during the day); completes on
//! accusing the MOLE or the FANATIC (the destinies that say they are its quarry), fails if the
//! game ends first. Whom it accused decides the accused's destiny too (see their `on_accused`).

use super::{settle, Act, Destiny, Objective, Status};
use crate::engine::error::Rejection;
use crate::engine::fact::Fact;
use crate::engine::registry::commands;
use crate::engine::state::{Ctx, GameState};

commands! {
    pub enum Command {
        /// The DETECTIVE's once-a-day accusation.
        "DESTINY.ACCUSE" => Accuse {
            #[serde(rename = "targetId")]
            target_id: String,
        },
    }
}

impl Act for Command {
    fn act(&self, st: &mut GameState, actor: &str, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
        match self {
            Command::Accuse { target_id } => accuse(st, actor, target_id, ctx),
        }
    }
}

pub struct Detective;

impl Objective for Detective {
    fn docs(&self) -> &'static str {
        "docs/destinies.md"
    }

    fn deal_rank(&self) -> u8 {
        1
    }

    fn end_rank(&self) -> u8 {
        3
    }

    fn at_game_end(&self, st: &mut GameState, _final_pool: u64, ctx: &mut Ctx<'_>) {
        settle(
            st,
            Destiny::Detective,
            Status::Failed,
            "never accused the MOLE or the FANATIC",
            ctx,
        );
    }
}

/// `DESTINY.ACCUSE {targetId}`: the DETECTIVE, alive, once per day, during the day.
fn accuse(
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
    let correct = accused.is_some_and(|d| d.mechanism().is_quarry());
    st.destinies.accused_on.push(st.day);
    st.destinies.accusations.push((st.day, target.to_string()));
    ctx.facts.push(Fact::DestinyAccusation {
        accuser: actor.to_string(),
        target: target.to_string(),
        correct,
    });
    if let Some(d) = accused {
        d.mechanism().on_accused(st, ctx);
    }
    Ok(())
}
