//! SPY_DMS (target required: another alive player): the target's last three DMs (text and time,
//! never recipients), shown to the buyer only. Bought with nothing to show, it still costs.

use super::{Perk, PerkType};
use crate::engine::social::{PerkResult, MAX_PERK_RESULTS};
use crate::engine::state::{Ctx, GameState};

pub struct SpyDms;

impl Perk for SpyDms {
    fn docs(&self) -> &'static str {
        "docs/rules.md"
    }

    fn cost(&self) -> u64 {
        5
    }

    fn takes_target(&self) -> bool {
        true
    }

    fn apply(&self, st: &mut GameState, buyer: &str, target: Option<&str>, ctx: &Ctx<'_>) {
        let (day, at_ms) = (st.day, ctx.at_ms);
        let s = &mut st.social;
        let messages = target
            .and_then(|t| s.last_dms.get(t))
            .cloned()
            .unwrap_or_default();
        if s.perk_results.iter().filter(|r| r.buyer == buyer).count() >= MAX_PERK_RESULTS {
            if let Some(i) = s.perk_results.iter().position(|r| r.buyer == buyer) {
                s.perk_results.remove(i);
            }
        }
        s.perk_results.push(PerkResult {
            buyer: buyer.to_string(),
            perk: PerkType::SpyDms,
            target: target.map(str::to_string),
            day,
            at_ms,
            messages,
        });
    }
}
