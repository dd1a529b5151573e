//! The manifest's internal form: what the engine keeps in its state (and so in every snapshot)
//! once the wire form (`wire`) has been validated (`validate`). Its serialized layout is part of
//! the snapshot format: change it only with an upcast (`docs/schema-evolution.md`).

use super::{
    ContentRules, DayExtras, Kind, Mode, Scheduling, VoteType, DEFAULT_DM_CHARS, DEFAULT_DM_COST,
    DEFAULT_DM_PARTNERS, DEFAULT_DM_SLOTS,
};
use crate::engine::games::{GameRules, GameType};
use crate::engine::timeline::{Action, Preset};
use serde::{Deserialize, Serialize};

/// One day of a STATIC manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySpec {
    pub vote_type: VoteType,
    /// Explicit timeline (absolute ms); `None` = generated from the preset.
    pub timeline: Option<Vec<(i64, Action)>>,
    /// The day's social limits; absent fields take the engine defaults.
    #[serde(default)]
    pub social: DaySocial,
    // --- Prompts, dilemmas, confessions, inactivity ---
    /// The day's prompt, dilemma and confession phase.
    #[serde(default, skip_serializing_if = "DayExtras::is_empty")]
    pub extras: DayExtras,
    // --- Daily games ---
    /// The day's game (`gameType`; `None` = NONE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub game_type: Option<GameType>,
    /// TOUCH_SCREEN's `gameMode` (`None` elsewhere, and for TOUCH_SCREEN means LIVE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub game_mode: Option<super::wire::GameMode>,
}

/// Social limits one STATIC day may set (`None` = the engine default).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySocial {
    pub dm_chars_per_player: Option<u32>,
    pub dm_partners_per_player: Option<u32>,
    pub dm_slots_per_player: Option<u32>,
    pub dm_cost: Option<u64>,
    pub require_dm_invite: Option<bool>,
    pub disable_nudge_throttle: Option<bool>,
}

/// How a DYNAMIC social limit is resolved each morning (docs/rules.md §10.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(inline))]
pub enum ScalingMode {
    /// `base`.
    Fixed,
    /// `base × alive players` for characters; `base` for partners.
    PerActivePlayer,
    /// From `base` on day 1 down to `floor` on the last day.
    Diminishing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scaling {
    pub mode: ScalingMode,
    pub base: u32,
    /// DIMINISHING only; default `floor(0.3 × base)`.
    pub floor: Option<u32>,
}

impl Scaling {
    pub const fn fixed(base: u32) -> Scaling {
        Scaling {
            mode: ScalingMode::Fixed,
            base,
            floor: None,
        }
    }
}

/// `ruleset.social` of a DYNAMIC manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SocialRuleset {
    pub dm_chars: Scaling,
    pub dm_partners: Scaling,
    pub dm_cost: u64,
    pub require_dm_invite: bool,
    pub dm_slots_per_player: u32,
    pub disable_nudge_throttle: bool,
    pub group_dm_enabled: bool,
}

impl Default for SocialRuleset {
    fn default() -> Self {
        SocialRuleset {
            dm_chars: Scaling::fixed(DEFAULT_DM_CHARS),
            dm_partners: Scaling::fixed(DEFAULT_DM_PARTNERS),
            dm_cost: DEFAULT_DM_COST,
            require_dm_invite: false,
            dm_slots_per_player: DEFAULT_DM_SLOTS,
            disable_nudge_throttle: false,
            group_dm_enabled: true,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(inline))]
pub enum DayCountMode {
    Fixed,
    #[default]
    ActivePlayersMinusOne,
}

/// `ruleset.dayCount`: the planned length of a DYNAMIC game, recomputed each morning. It only
/// scales DIMINISHING limits; the game itself runs until two players are left.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    pub mode: DayCountMode,
    pub fixed_count: Option<u32>,
    pub max_days: Option<u32>,
}

impl DayCount {
    /// `FIXED → fixedCount ?? alive−1`, `ACTIVE_PLAYERS_MINUS_ONE → alive−1`, then `min(maxDays)`,
    /// at least 1.
    pub fn total_days(&self, alive: usize) -> u32 {
        let by_players = (alive as u32).saturating_sub(1);
        let n = match self.mode {
            DayCountMode::Fixed => self.fixed_count.unwrap_or(by_players),
            DayCountMode::ActivePlayersMinusOne => by_players,
        };
        let n = self.max_days.map_or(n, |m| n.min(m));
        n.max(1)
    }
}

/// Rules a DYNAMIC game resolves each morning from the state of that morning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DynamicRules {
    /// Vote types to rotate through, in order (filtered by `min_players` each morning).
    pub allowed_votes: Vec<VoteType>,
    #[serde(default)]
    pub social: SocialRuleset,
    #[serde(default)]
    pub day_count: DayCount,
    // --- Prompts, dilemmas, confessions, inactivity ---
    #[serde(default, skip_serializing_if = "ContentRules::is_default")]
    pub content: ContentRules,
    // --- Daily games ---
    /// `ruleset.games`: which game each morning picks.
    #[serde(default, skip_serializing_if = "GameRules::is_none")]
    pub games: GameRules,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub mode: Mode,
    pub kind: Kind,
    pub scheduling: Scheduling,
    pub preset: Preset,
    /// Day 1 (or the Blitz game) starts here, ms since the Unix epoch.
    pub start_ms: i64,
    /// STATIC days; empty for DYNAMIC and BLITZ (resolved as the game goes).
    pub days: Vec<DaySpec>,
    pub dynamic: Option<DynamicRules>,
    /// BLITZ round length.
    pub round_seconds: u32,
    /// Gold in the pool at the start (the lobby may seed a prize).
    pub initial_gold_pool: u64,
    /// Fewest players needed to start a DYNAMIC game.
    pub min_players: usize,
    /// Whether secret destinies are dealt (PECKING_ORDER only).
    pub destinies: bool,
    /// The MOLE completes when the final gold pool is below this.
    pub mole_threshold: u64,
}

impl Manifest {
    /// The timeline of STATIC day `day` (1-based), absolute ms, sorted.
    pub fn static_day_timeline(&self, day: u32) -> Vec<(i64, Action)> {
        let Some(spec) = self.days.get(day as usize - 1) else {
            return Vec::new();
        };
        match &spec.timeline {
            Some(t) => t.clone(),
            None => self
                .preset
                // A STATIC day names its game: the rules version does not change it.
                .day_timeline(
                    self.day_start_ms(day),
                    self.day_content(day, 0, crate::engine::RULES_VERSION),
                ),
        }
    }

    /// When STATIC/BLITZ day `day` starts.
    pub fn day_start_ms(&self, day: u32) -> i64 {
        let stride = match self.mode {
            Mode::Blitz => self.round_seconds as i64 * 1000,
            Mode::PeckingOrder => self.preset.day_stride_ms(),
        };
        self.start_ms + (day as i64 - 1) * stride
    }
}
