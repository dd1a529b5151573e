//! Games of the catalogue this engine version does not run (TOUCH_SCREEN): a manifest naming one
//! is refused (UNSUPPORTED), and a DYNAMIC rotation skips it.

use super::{Env, Family, GameRun, Rules};
use crate::engine::error::Rejection;

pub struct Live;

pub const LIVE: Live = Live;

impl Rules for Live {
    fn family(&self) -> Family {
        Family::Unsupported
    }

    fn docs(&self) -> &'static str {
        "docs/games.md"
    }

    fn spawn(&self, env: &Env<'_>, _players: &[String]) -> Result<GameRun, Rejection> {
        Err(Rejection::Unsupported(env.game_type.as_str().into()))
    }
}
