//! EXTRA_DM_PARTNER: +1 distinct DM partner and +1 conversation slot today.

use super::Perk;
use crate::engine::state::{Ctx, GameState};

pub struct ExtraDmPartner;

impl Perk for ExtraDmPartner {
    fn docs(&self) -> &'static str {
        "docs/rules.md"
    }

    fn cost(&self) -> u64 {
        3
    }

    fn takes_target(&self) -> bool {
        false
    }

    fn apply(&self, st: &mut GameState, buyer: &str, _target: Option<&str>, _ctx: &Ctx<'_>) {
        st.social.usage_mut(buyer).extra_partner_perks += 1;
    }
}
