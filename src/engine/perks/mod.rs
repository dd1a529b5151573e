//! Perks a player buys with silver during the day (`SOCIAL.USE_PERK {perkType, targetId?}`,
//! docs/rules.md §8). One module per perk, listed once in the registry below: its cost, whether it
//! names a target, and what it does. The purchase itself (an alive player during the day, the
//! target rule, the cost, the PERK_USED and Silver facts) is the same for every perk.

pub mod extra_dm_chars;
pub mod extra_dm_partner;
pub mod spy_dms;

use super::economy::require_silver;
use super::error::Rejection;
use super::fact::Fact;
use super::registry::registry;
use super::social::Usage;
use super::state::{Ctx, GameState};

registry! {
    /// Perks a player can buy with silver (`SOCIAL.USE_PERK`).
    pub enum PerkType: dyn Perk;
    mechanisms {
        /// See the last three DMs the target sent (text and time, never to whom).
        SpyDms = "SPY_DMS" => spy_dms::SpyDms,
        /// +600 DM characters today.
        ExtraDmChars = "EXTRA_DM_CHARS" => extra_dm_chars::EXTRA_DM_CHARS,
        /// +1 DM partner and +1 conversation slot today.
        ExtraDmPartner = "EXTRA_DM_PARTNER" => extra_dm_partner::EXTRA_DM_PARTNER,
    }
}

impl PerkType {
    /// What the perk costs, in silver (docs/rules.md §8).
    pub fn cost(self) -> u64 {
        self.mechanism().cost()
    }
}

/// One perk.
pub(crate) trait Perk: Sync {
    /// The document in docs/ that describes it (`docs/rules.md`).
    fn docs(&self) -> &'static str;
    /// Its price in silver.
    fn cost(&self) -> u64;
    /// Whether it names another alive player (`targetId` required), or none (refused).
    fn takes_target(&self) -> bool;
    /// What it does, once paid for (`target` is checked, and present iff it takes one).
    fn apply(&self, st: &mut GameState, buyer: &str, target: Option<&str>, ctx: &Ctx<'_>);
}

/// A perk that raises one of today's DM limits of its buyer (no target).
pub(crate) struct Boost {
    pub(crate) cost: u64,
    /// Counts the purchase in the buyer's usage of today (`social::Usage`).
    pub(crate) count: fn(&mut Usage),
}

impl Perk for Boost {
    fn docs(&self) -> &'static str {
        "docs/rules.md"
    }

    fn cost(&self) -> u64 {
        self.cost
    }

    fn takes_target(&self) -> bool {
        false
    }

    fn apply(&self, st: &mut GameState, buyer: &str, _target: Option<&str>, _ctx: &Ctx<'_>) {
        (self.count)(st.social.usage_mut(buyer));
    }
}

/// `SOCIAL.USE_PERK {perkType, targetId?}`: an alive player buys a perk during the day.
pub(crate) fn use_perk(
    st: &mut GameState,
    actor: &str,
    perk: PerkType,
    target: Option<&str>,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    st.alive_in_day(actor)?;
    let rules = perk.mechanism();
    match (rules.takes_target(), target) {
        (true, None) => return Err(Rejection::TargetRequired),
        (true, Some(t)) => {
            st.other_alive_target(actor, t)?;
        }
        (false, Some(_)) => return Err(Rejection::TargetNotAllowed),
        (false, None) => {}
    }
    let cost = rules.cost();
    require_silver(st, actor, cost)?;
    ctx.facts.push(Fact::PerkUsed {
        player_id: actor.to_string(),
        perk,
        target: target.map(str::to_string),
    });
    let reason = format!("PERK_{}", perk.as_str());
    st.credit_silver(actor, -(cost as i64), &reason, ctx.facts);
    rules.apply(st, actor, target, ctx);
    Ok(())
}
