//! EXTRA_DM_CHARS: +600 DM characters today (`social::params::EXTRA_CHARS_BONUS`).

use super::Perk;
use crate::engine::state::{Ctx, GameState};

pub struct ExtraDmChars;

impl Perk for ExtraDmChars {
    fn docs(&self) -> &'static str {
        "docs/rules.md"
    }

    fn cost(&self) -> u64 {
        2
    }

    fn takes_target(&self) -> bool {
        false
    }

    fn apply(&self, st: &mut GameState, buyer: &str, _target: Option<&str>, _ctx: &Ctx<'_>) {
        st.social.usage_mut(buyer).extra_chars_perks += 1;
    }
}
