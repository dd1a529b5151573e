//! The manifest as the lobby sends it: typed wire structs (serde, `deny_unknown_fields`) whose
//! JSON Schemas are derived from the same types (feature `schema`).
//!
//! Decoding (`manifest::decode_at`) checks the shape and reports its first problem: a wrong type,
//! an unknown field. Values are checked after it by `validate`, which reports every problem at
//! once. So the fields that hold a value with rules carry it in a type that states the rule once,
//! for both: [`Name`] (one of an engine enum's names), [`Bounded`] (a whole number in a range),
//! [`List`] (a list of a bounded length), [`Text`] (a trimmed text of bounded length). Absent and
//! `null` are the same for every optional field (older lobbies send `null`).
//!
//! Shaped for the prototype lobby's payloads too (a later step accepts them as sent): its STATIC
//! and DYNAMIC manifests share this one struct, so its other fields (`pushConfig`, `maxPlayers`,
//! the legacy `id` / `gameMode`) are more optional fields here, and its rules (no `kind` is
//! STATIC; `gameMode: DEBUG_PECKING_ORDER` is ADMIN scheduling) more rules in `validate`.

use super::{
    DayCountMode, InactivityAction, Kind, Mode, ObjectOnly, ScalingMode, Scheduling, VoteType,
};
use super::{FEWEST_PLAYERS, MAX_GOLD, MAX_PLAYERS, MAX_ROUND_SECONDS, MIN_ROUND_SECONDS};
use super::{MAX_DAYS, MAX_DM_CHARS, MAX_DM_COST, MAX_DM_SLOTS, MAX_POOL, MAX_TIMELINE_EVENTS};
use super::{MAX_PROMPT_OPTIONS, MIN_PROMPT_OPTIONS};
use crate::engine::dilemmas::DilemmaType;
use crate::engine::games::GameType;
use crate::engine::prompts::{PromptType, MAX_OPTION_CHARS};
use crate::engine::state::MAX_MESSAGE_CHARS;
use crate::engine::timeline::{Action, Preset};
use serde::de::{DeserializeOwned, Deserializer, IntoDeserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::marker::PhantomData;

// ---------------------------------------------------------------------------------------------
// Field types: a value with its rule

/// One of the names of the engine enum `T` (`MAJORITY`, `SMOKE_TEST`…), kept as sent: decoding
/// only checks that it is a string, and [`Name::resolve`] reads it with `T`'s own serde names,
/// so that every unknown name is reported, with the other value problems.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name<T> {
    sent: String,
    of: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> Name<T> {
    /// `T` by its wire name, or serde's message (which lists the names).
    pub fn resolve(&self) -> Result<T, String> {
        T::deserialize(self.sent.as_str().into_deserializer())
            .map_err(|e: serde::de::value::Error| e.to_string())
    }
}

impl<T> Name<T> {
    pub fn as_str(&self) -> &str {
        &self.sent
    }
}

impl<'de, T> Deserialize<'de> for Name<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|sent| Name {
            sent,
            of: PhantomData,
        })
    }
}

/// The name that gives a day no game, prompt or dilemma (`gameType`, `activityType`,
/// `dilemmaType`, the entries of `ruleset.games` lists).
pub const NONE: &str = "NONE";

/// A whole number the manifest bounds to `MIN..=MAX`. Decoding takes any whole number ≥ 0 (a
/// negative number, a fraction or a string is WRONG_TYPE, as the schema's `integer` and
/// `minimum` together say); [`Bounded::check`] is the bound (OUT_OF_RANGE), and the schema states
/// the same two constants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounded<const MIN: u64, const MAX: u64>(u64);

impl<const MIN: u64, const MAX: u64> Bounded<MIN, MAX> {
    pub fn check(self) -> Result<u64, String> {
        if (MIN..=MAX).contains(&self.0) {
            Ok(self.0)
        } else {
            Err(format!("must be between {MIN} and {MAX}"))
        }
    }
}

impl<'de, const MIN: u64, const MAX: u64> Deserialize<'de> for Bounded<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Whole;
        impl serde::de::Visitor<'_> for Whole {
            type Value = u64;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a whole number")
            }
            fn visit_u64<E>(self, v: u64) -> Result<u64, E> {
                Ok(v)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
                u64::try_from(v)
                    .map_err(|_| E::invalid_type(serde::de::Unexpected::Signed(v), &self))
            }
        }
        d.deserialize_u64(Whole).map(Bounded)
    }
}

/// A list of `MIN..=MAX` entries ([`List::check`]; the schema's `minItems` / `maxItems`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct List<T, const MIN: usize, const MAX: usize>(pub Vec<T>);

impl<T, const MIN: usize, const MAX: usize> List<T, MIN, MAX> {
    pub fn check(&self) -> Result<&[T], String> {
        if (MIN..=MAX).contains(&self.0.len()) {
            Ok(&self.0)
        } else {
            Err(format!("must list {MIN} to {MAX} entries"))
        }
    }
}

/// A text of 1 to `MAX` characters once trimmed ([`Text::check`] returns it trimmed; the schema
/// cannot trim, so it says `maxLength` and "not only spaces").
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Text<const MAX: usize>(pub String);

impl<const MAX: usize> Text<MAX> {
    pub fn check(&self) -> Result<String, String> {
        let t = self.0.trim();
        if t.is_empty() || t.chars().count() > MAX {
            Err(format!("must be 1 to {MAX} characters"))
        } else {
            Ok(t.to_string())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The manifest

/// A STATIC manifest lists its days; a DYNAMIC one resolves each day from its ruleset; BLITZ
/// generates rounds.
// Which one is read from `mode` and `kind`: the schema splits the struct into those three
// (`schema::kinds`), and `validate::manifest` checks the same rules.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename = "Manifest", rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(transform = super::schema::kinds))]
pub struct ManifestWire {
    pub mode: Option<Name<Mode>>,
    pub kind: Option<Name<Kind>>,
    pub scheduling: Option<Name<Scheduling>>,
    /// When day 1 (or the BLITZ game) starts.
    #[cfg_attr(feature = "schema", schemars(with = "super::schema::Rfc3339"))]
    pub start_time: Option<String>,
    /// Timings of the generated timelines (default DEFAULT).
    pub schedule_preset: Option<Name<Preset>>,
    pub days: Option<List<DayWire, 1, MAX_DAYS>>,
    pub ruleset: Option<RulesetWire>,
    /// BLITZ round length (default 180).
    pub round_seconds: Option<Bounded<MIN_ROUND_SECONDS, MAX_ROUND_SECONDS>>,
    pub initial_gold_pool: Option<Bounded<0, MAX_GOLD>>,
    /// Fewest players needed to start a DYNAMIC game (default 3).
    pub min_players: Option<Bounded<FEWEST_PLAYERS, { MAX_PLAYERS as u64 }>>,
    /// Whether secret destinies are dealt (default: true, BLITZ: false).
    pub destinies: Option<bool>,
    /// The MOLE completes when the final gold pool is below this (default 50).
    pub mole_threshold: Option<Bounded<0, MAX_GOLD>>,
    /// The prototype lobby's manifest id (`manifest-<gameId>`): accepted and not used.
    pub id: Option<String>,
    /// The prototype lobby's legacy game mode: `DEBUG_PECKING_ORDER` means ADMIN scheduling
    /// when `scheduling` is absent; otherwise not used.
    pub game_mode: Option<Name<LobbyGameMode>>,
    /// Which push notifications the game sends, by trigger (`DM_SENT`, `ELIMINATION`…; absent
    /// triggers are on). Kept as sent in the journaled SYSTEM.INIT.
    pub push_config: Option<std::collections::BTreeMap<String, bool>>,
    /// Most players the lobby will let join (the prototype's: declared, not enforced here
    /// either; the roster's bound is 20).
    pub max_players: Option<Bounded<FEWEST_PLAYERS, { MAX_PLAYERS as u64 }>>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    _object: ObjectOnly,
}

/// One day of a STATIC manifest.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename = "StaticDay", rename_all = "camelCase", deny_unknown_fields)]
pub struct DayWire {
    pub day_index: Option<Bounded<1, { MAX_DAYS as u64 }>>,
    pub theme: Option<String>,
    /// The day's vote (required).
    #[cfg_attr(feature = "schema", schemars(with = "super::schema::VoteName"))]
    pub vote_type: Option<Name<VoteType>>,
    #[cfg_attr(feature = "schema", schemars(with = "Option<super::schema::GameName>"))]
    pub game_type: Option<Name<GameType>>,
    pub game_mode: Option<Name<GameMode>>,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<super::schema::PromptOrNone>")
    )]
    pub activity_type: Option<Name<PromptType>>,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<super::schema::DilemmaOrNone>")
    )]
    pub dilemma_type: Option<Name<DilemmaType>>,
    /// Whether the evening confession phase may open (default false).
    pub confessions: Option<bool>,
    /// Explicit timeline; without it the preset's is generated.
    pub timeline: Option<List<TimelineEventWire, 1, MAX_TIMELINE_EVENTS>>,
    pub dm_chars_per_player: Option<Bounded<0, MAX_DM_CHARS>>,
    pub dm_partners_per_player: Option<Bounded<0, { MAX_PLAYERS as u64 }>>,
    pub dm_slots_per_player: Option<Bounded<1, MAX_DM_SLOTS>>,
    pub dm_cost: Option<Bounded<0, MAX_DM_COST>>,
    pub require_dm_invite: Option<bool>,
    pub disable_nudge_throttle: Option<bool>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    _object: ObjectOnly,
}

/// A game day's `gameMode`: how TOUCH_SCREEN is played (docs/games.md §4c); accepted and not
/// used for every other game.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", schemars(inline))]
pub enum GameMode {
    Solo,
    Live,
}

/// The prototype lobby's legacy `manifest.gameMode` (a game-wide mode, unlike a day's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LobbyGameMode {
    PeckingOrder,
    ConfigurableCycle,
    DebugPeckingOrder,
}

/// One event of a STATIC day's explicit timeline.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(
    rename = "TimelineEvent",
    rename_all = "camelCase",
    deny_unknown_fields
)]
#[cfg_attr(
    feature = "schema",
    schemars(extend(
        "if" = { "properties": { "action": { "const": "START_ACTIVITY" } } },
        "then" = { "properties": { "payload": {
            "anyOf": [{ "$ref": "#/$defs/ActivityPayload" }, { "type": "null" }],
        } } },
    ))
)]
pub struct TimelineEventWire {
    #[cfg_attr(feature = "schema", schemars(with = "super::schema::Rfc3339"))]
    pub time: Option<String>,
    #[cfg_attr(feature = "schema", schemars(with = "super::schema::ManifestAction"))]
    pub action: Option<Name<Action>>,
    /// START_ACTIVITY: an ActivityPayload; other actions: not read.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(schema_with = "super::schema::payload"))]
    pub payload: Option<Value>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    _object: ObjectOnly,
}

/// The START_ACTIVITY payload: the prompt's type, text and options (`docs/content.md` §1.1).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(
    rename = "ActivityPayload",
    rename_all = "camelCase",
    deny_unknown_fields
)]
pub struct ActivityPayloadWire {
    pub prompt_type: Option<Name<PromptType>>,
    pub prompt_text: Option<Text<MAX_MESSAGE_CHARS>>,
    pub option_a: Option<Text<MAX_OPTION_CHARS>>,
    pub option_b: Option<Text<MAX_OPTION_CHARS>>,
    pub options: Option<List<Text<MAX_OPTION_CHARS>, MIN_PROMPT_OPTIONS, MAX_PROMPT_OPTIONS>>,
    /// The prototype lobby's announcement text and question id: accepted and not used.
    pub msg: Option<String>,
    pub prompt_id: Option<String>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    _object: ObjectOnly,
}

// ---------------------------------------------------------------------------------------------
// The DYNAMIC ruleset

/// `ruleset` of a DYNAMIC manifest: the rules each morning resolves its day from.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename = "Ruleset", rename_all = "camelCase", deny_unknown_fields)]
pub struct RulesetWire {
    pub kind: Option<Name<RulesetKind>>,
    pub voting: Option<VotingWire>,
    pub social: Option<SocialWire>,
    pub day_count: Option<DayCountWire>,
    pub activities: Option<PoolWire<PromptType>>,
    pub dilemmas: Option<PoolWire<DilemmaType>>,
    pub confessions: Option<ConfessionsWire>,
    pub inactivity: Option<InactivityWire>,
    pub games: Option<GameRulesWire>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    _object: ObjectOnly,
}

/// `ruleset.kind`: the only ruleset this engine has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", schemars(inline))]
pub enum RulesetKind {
    PeckingOrder,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(inline))]
pub struct VotingWire {
    /// Vote types rotated through (default [MAJORITY]).
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<Vec<super::schema::VoteName>>")
    )]
    pub allowed: Option<Vec<Name<VoteType>>>,
    /// The prototype's: SEQUENCE rotates through `sequence`, POOL through `pool` (NONE is
    /// refused: every day has a vote).
    pub mode: Option<Name<PoolMode>>,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<Vec<super::schema::VoteName>>")
    )]
    pub sequence: Option<Vec<Name<VoteType>>>,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<Vec<super::schema::VoteName>>")
    )]
    pub pool: Option<Vec<Name<VoteType>>>,
    /// The prototype's per-type player minimums: accepted and not used (each mechanism's own
    /// minimum applies).
    pub constraints: Option<Vec<VoteConstraintWire>>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    _object: ObjectOnly,
}

/// One `ruleset.voting.constraints` entry (accepted and not used).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(inline))]
pub struct VoteConstraintWire {
    #[cfg_attr(feature = "schema", schemars(with = "super::schema::VoteName"))]
    pub vote_type: Name<VoteType>,
    pub min_players: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(inline))]
pub struct SocialWire {
    pub dm_chars: Option<ScalingWire<MAX_DM_CHARS>>,
    pub dm_partners: Option<ScalingWire<{ MAX_PLAYERS as u64 }>>,
    pub dm_cost: Option<Bounded<0, MAX_DM_COST>>,
    pub require_dm_invite: Option<bool>,
    pub dm_slots_per_player: Option<Bounded<1, MAX_DM_SLOTS>>,
    pub disable_nudge_throttle: Option<bool>,
    pub group_dm_enabled: Option<bool>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    _object: ObjectOnly,
}

/// A DYNAMIC social limit, resolved each morning.
// `base` and `floor` are at most `MAX`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(inline))]
pub struct ScalingWire<const MAX: u64> {
    #[cfg_attr(feature = "schema", schemars(with = "ScalingMode"))]
    pub mode: Option<Name<ScalingMode>>,
    #[cfg_attr(feature = "schema", schemars(with = "Bounded<0, MAX>"))]
    pub base: Option<Bounded<0, MAX>>,
    /// DIMINISHING only; default floor(0.3 × base).
    pub floor: Option<Bounded<0, MAX>>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    _object: ObjectOnly,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(inline))]
pub struct DayCountWire {
    pub mode: Option<Name<DayCountMode>>,
    pub fixed_count: Option<Bounded<1, { MAX_DAYS as u64 }>>,
    pub max_days: Option<Bounded<1, { MAX_DAYS as u64 }>>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    _object: ObjectOnly,
}

/// How a DYNAMIC list of types is read: its `mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", schemars(inline))]
pub enum PoolMode {
    Sequence,
    Pool,
    None,
}

/// Without mode: rotate through allowed. SEQUENCE: day N takes sequence[N-1] (the last once past
/// the end). POOL: rotate through pool. NONE: none.
// A DYNAMIC content pool (`ruleset.activities`, `ruleset.dilemmas`): the schema splits it by
// `mode` (`schema::pool_modes`), as `content::pool` reads it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    schemars(inline, bound = "T: schemars::JsonSchema", transform = super::schema::pool_modes)
)]
pub struct PoolWire<T> {
    pub mode: Option<Name<PoolMode>>,
    pub allowed: Option<List<Name<T>, 0, MAX_POOL>>,
    pub sequence: Option<List<Name<T>, 0, MAX_POOL>>,
    pub pool: Option<List<Name<T>, 0, MAX_POOL>>,
    /// Rotation only: never the same type two days running (default true).
    pub avoid_repeat: Option<bool>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    _object: ObjectOnly,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(inline))]
pub struct ConfessionsWire {
    pub enabled: Option<bool>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    _object: ObjectOnly,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(inline))]
pub struct InactivityWire {
    pub enabled: Option<bool>,
    pub threshold_days: Option<Bounded<1, { MAX_DAYS as u64 }>>,
    pub action: Option<Name<InactivityAction>>,
    /// Refused as UNSUPPORTED (socket presence is not in the journal): not in the schema.
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub socket_inactivity_hours: Option<Value>,
    /// Refused as UNSUPPORTED (the warning day is fixed): not in the schema.
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub nudge_days: Option<Value>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    _object: ObjectOnly,
}

/// `ruleset.games`: `allowed` is rotated through and wins over the legacy `mode` with its
/// `sequence` or `pool` (`docs/games.md`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(inline))]
pub struct GameRulesWire {
    pub mode: Option<Name<PoolMode>>,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<Vec<super::schema::GameName>>")
    )]
    pub sequence: Option<Vec<Name<GameType>>>,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<Vec<super::schema::GameName>>")
    )]
    pub pool: Option<Vec<Name<GameType>>>,
    /// Rotated through; wins over mode.
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<Vec<super::schema::GameName>>")
    )]
    pub allowed: Option<Vec<Name<GameType>>>,
    pub avoid_repeat: Option<bool>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    _object: ObjectOnly,
}
