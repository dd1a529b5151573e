//! Today's social limits, resolved each morning from the manifest: a STATIC day's own fields
//! (engine defaults for absent ones), or a DYNAMIC `ruleset.social` scaled by the day and the
//! players alive that morning (docs/rules.md §10.2).

use crate::engine::manifest::{
    Kind, Manifest, Mode, Scaling, ScalingMode, DEFAULT_DM_CHARS, DEFAULT_DM_COST,
    DEFAULT_DM_PARTNERS, DEFAULT_DM_SLOTS,
};
use serde::{Deserialize, Serialize};

/// Extra DM characters per EXTRA_DM_CHARS perk.
pub const EXTRA_CHARS_BONUS: u32 = 600;
/// Group DMs a player may open per day (CREATE_CHANNEL, a first message to several players, or
/// ADD_MEMBER turning a DM into a group).
pub use crate::limits::MAX_GROUPS_PER_DAY;
/// Ceiling of a resolved character budget (PER_ACTIVE_PLAYER multiplies).
use crate::limits::MAX_RESOLVED_CHARS;

/// The social rules of one day. Public: every player sees the same rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SocialParams {
    pub dm_chars_per_player: u32,
    pub dm_partners_per_player: u32,
    pub dm_slots_per_player: u32,
    pub dm_cost: u64,
    pub require_dm_invite: bool,
    pub disable_nudge_throttle: bool,
    pub group_dm_enabled: bool,
}

impl Default for SocialParams {
    fn default() -> Self {
        SocialParams {
            dm_chars_per_player: DEFAULT_DM_CHARS,
            dm_partners_per_player: DEFAULT_DM_PARTNERS,
            dm_slots_per_player: DEFAULT_DM_SLOTS,
            dm_cost: DEFAULT_DM_COST,
            require_dm_invite: false,
            disable_nudge_throttle: false,
            group_dm_enabled: true,
        }
    }
}

/// The rules of day `day` (1-based), which starts with `alive` players alive.
pub fn resolve(m: &Manifest, day: u32, alive: usize) -> SocialParams {
    let d = SocialParams::default();
    match (m.mode, m.kind) {
        (Mode::PeckingOrder, Kind::Static) => {
            let Some(spec) = m.days.get((day as usize).wrapping_sub(1)) else {
                return d;
            };
            let s = &spec.social;
            SocialParams {
                dm_chars_per_player: s.dm_chars_per_player.unwrap_or(d.dm_chars_per_player),
                dm_partners_per_player: s
                    .dm_partners_per_player
                    .unwrap_or(d.dm_partners_per_player),
                dm_slots_per_player: s.dm_slots_per_player.unwrap_or(d.dm_slots_per_player),
                dm_cost: s.dm_cost.unwrap_or(d.dm_cost),
                require_dm_invite: s.require_dm_invite.unwrap_or(d.require_dm_invite),
                disable_nudge_throttle: s
                    .disable_nudge_throttle
                    .unwrap_or(d.disable_nudge_throttle),
                group_dm_enabled: true,
            }
        }
        (Mode::PeckingOrder, Kind::Dynamic) => {
            let Some(rules) = m.dynamic.as_ref() else {
                return d;
            };
            let s = &rules.social;
            let total = rules.day_count.total_days(alive);
            SocialParams {
                dm_chars_per_player: scale(&s.dm_chars, day, total, alive, true),
                dm_partners_per_player: scale(&s.dm_partners, day, total, alive, false),
                dm_slots_per_player: s.dm_slots_per_player,
                dm_cost: s.dm_cost,
                require_dm_invite: s.require_dm_invite,
                disable_nudge_throttle: s.disable_nudge_throttle,
                group_dm_enabled: s.group_dm_enabled,
            }
        }
        // BLITZ has no DMs (its timeline never opens them); the defaults apply if an admin does.
        (Mode::Blitz, _) => d,
    }
}

/// One scaled limit. `per_player` = this is the character budget (PER_ACTIVE_PLAYER multiplies
/// only characters, as in the prototype).
///
/// DIMINISHING = `round(base − (base − floor) × min((day−1) / max(totalDays−1, 1), 1))`, rounded
/// half up (JavaScript's `Math.round`), computed exactly in integers; `floor` defaults to
/// `floor(0.3 × base)` = `3·base / 10` rounded down.
pub fn scale(s: &Scaling, day: u32, total_days: u32, alive: usize, per_player: bool) -> u32 {
    let base = s.base as i64;
    let v = match s.mode {
        ScalingMode::Fixed => base,
        ScalingMode::PerActivePlayer if per_player => base * alive as i64,
        ScalingMode::PerActivePlayer => base,
        ScalingMode::Diminishing => {
            let floor = s.floor.map_or(base * 3 / 10, |f| f as i64);
            let den = (total_days as i64 - 1).max(1);
            let num = (day as i64 - 1).clamp(0, den);
            // base − (base − floor)·num/den, as a fraction over den, rounded half up.
            let x = base * den - (base - floor) * num;
            (2 * x + den).div_euclid(2 * den)
        }
    };
    v.clamp(0, MAX_RESOLVED_CHARS as i64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dim(base: u32, floor: Option<u32>) -> Scaling {
        Scaling {
            mode: ScalingMode::Diminishing,
            base,
            floor,
        }
    }

    #[test]
    fn diminishing_goes_from_base_to_floor() {
        // 7 planned days, base 1200, default floor 360: 1200, 1060, 920, 780, 640, 500, 360.
        let s = dim(1200, None);
        let got: Vec<u32> = (1..=8).map(|d| scale(&s, d, 7, 8, true)).collect();
        assert_eq!(got, vec![1200, 1060, 920, 780, 640, 500, 360, 360]);
        // Rounding half up: base 5, floor 0, 3 days -> 5, 2.5 -> 3, 0.
        let s = dim(5, Some(0));
        assert_eq!(
            (1..=3)
                .map(|d| scale(&s, d, 3, 4, false))
                .collect::<Vec<_>>(),
            vec![5, 3, 0]
        );
        // One planned day: no division by zero, day 1 keeps the base.
        assert_eq!(scale(&dim(10, Some(2)), 1, 1, 2, false), 10);
        assert_eq!(scale(&dim(10, Some(2)), 2, 1, 2, false), 2);
    }

    #[test]
    fn per_active_player_multiplies_characters_only() {
        let s = Scaling {
            mode: ScalingMode::PerActivePlayer,
            base: 300,
            floor: None,
        };
        assert_eq!(scale(&s, 1, 7, 8, true), 2400);
        assert_eq!(scale(&s, 1, 7, 8, false), 300);
        assert_eq!(scale(&Scaling::fixed(3), 4, 7, 8, false), 3);
    }
}
