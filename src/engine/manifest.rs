//! `GameManifest`: which rules a room runs, and when. Validated at the boundary with one error per
//! bad field (path, stable code, message), so the lobby can show exactly what to fix.
//!
//! Parsing walks the JSON by hand rather than through `serde(deny_unknown_fields)`: serde stops at
//! the first problem, and the lobby wants every problem at once, each with its path.

use super::games::{GameRuleMode, GameRules, GameType};
use super::timeline::{Action, Preset};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

// --- Prompts, dilemmas, confessions, inactivity ---
mod content;
use content::{parse_content_rules, parse_day_extras};
pub use content::{
    ActivitySpec, ContentRules, DayExtras, InactivityAction, InactivityRules, Pool,
    DEFAULT_INACTIVITY_DAYS, MAX_POOL,
};

/// Largest roster a room accepts (the game is designed for 6–20).
pub const MAX_PLAYERS: usize = 20;
/// Most days a STATIC manifest may list.
pub const MAX_DAYS: usize = 30;
/// The MOLE's gold-pool threshold when the manifest does not set one.
pub const DEFAULT_MOLE_THRESHOLD: u64 = 50;
/// Most events in one day's explicit timeline.
pub const MAX_TIMELINE_EVENTS: usize = 64;

// Social defaults (prototype-facts §5.5, Appendix A), used when a day does not set its own.
/// DM characters per player per day.
pub const DEFAULT_DM_CHARS: u32 = 1200;
/// Distinct DM partners per player per day.
pub const DEFAULT_DM_PARTNERS: u32 = 3;
/// Conversation slots (new DMs / group DMs opened or joined) per player per day.
pub const DEFAULT_DM_SLOTS: u32 = 5;
/// Silver per DM or group-DM message.
pub const DEFAULT_DM_COST: u64 = 1;
/// Largest `dmCharsPerPlayer` (and scaling `base`/`floor` for characters).
pub const MAX_DM_CHARS: u64 = 100_000;
/// Largest `dmCost`.
pub const MAX_DM_COST: u64 = 1_000;
/// Largest `dmSlotsPerPlayer` (prototype schema: 1..20).
pub const MAX_DM_SLOTS: u64 = 20;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// JSON path of the bad field, e.g. `manifest.days[1].voteType`.
    pub path: String,
    /// Stable code: MISSING, UNKNOWN_FIELD, WRONG_TYPE, INVALID_VALUE, OUT_OF_RANGE, UNSUPPORTED.
    pub code: &'static str,
    pub message: String,
}

/// Every problem found in a manifest or roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError {
    pub errors: Vec<FieldError>,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", e.path, e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ManifestError {}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Mode {
    PeckingOrder,
    Blitz,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Kind {
    Static,
    Dynamic,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Scheduling {
    PreScheduled,
    Admin,
}

/// Declared by the voting registry (`engine::voting`); re-exported for the parsing below.
pub use super::voting::VoteType;

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

/// How a DYNAMIC social limit is resolved each morning (prototype-facts §2.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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
                .day_timeline(self.day_start_ms(day), self.day_content(day, 0)),
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

/// Collects field errors while walking a JSON object.
struct Walker {
    errors: Vec<FieldError>,
}

impl Walker {
    fn err(&mut self, path: &str, code: &'static str, message: impl Into<String>) {
        self.errors.push(FieldError {
            path: path.to_string(),
            code,
            message: message.into(),
        });
    }

    fn object<'a>(&mut self, v: &'a Value, path: &str) -> Option<&'a Map<String, Value>> {
        match v.as_object() {
            Some(o) => Some(o),
            None => {
                self.err(path, "WRONG_TYPE", "expected an object");
                None
            }
        }
    }

    fn unknown_fields(&mut self, o: &Map<String, Value>, path: &str, known: &[&str]) {
        for k in o.keys() {
            if !known.contains(&k.as_str()) {
                self.err(
                    &format!("{path}.{k}"),
                    "UNKNOWN_FIELD",
                    format!("unknown field; expected one of {}", known.join(", ")),
                );
            }
        }
    }

    fn string<'a>(
        &mut self,
        o: &'a Map<String, Value>,
        path: &str,
        key: &str,
        required: bool,
    ) -> Option<&'a str> {
        match o.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.err(
                        &format!("{path}.{key}"),
                        "MISSING",
                        "required field is missing",
                    );
                }
                None
            }
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                self.err(&format!("{path}.{key}"), "WRONG_TYPE", "expected a string");
                None
            }
        }
    }

    fn uint(
        &mut self,
        o: &Map<String, Value>,
        path: &str,
        key: &str,
        min: u64,
        max: u64,
    ) -> Option<u64> {
        let p = format!("{path}.{key}");
        match o.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => match n.as_u64() {
                Some(x) if (min..=max).contains(&x) => Some(x),
                Some(_) => {
                    self.err(
                        &p,
                        "OUT_OF_RANGE",
                        format!("must be between {min} and {max}"),
                    );
                    None
                }
                None => {
                    self.err(&p, "WRONG_TYPE", "expected a whole number");
                    None
                }
            },
            Some(_) => {
                self.err(&p, "WRONG_TYPE", "expected a whole number");
                None
            }
        }
    }

    fn boolean(&mut self, o: &Map<String, Value>, path: &str, key: &str) -> Option<bool> {
        match o.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                self.err(
                    &format!("{path}.{key}"),
                    "WRONG_TYPE",
                    "expected true or false",
                );
                None
            }
        }
    }

    fn enumerated<T>(
        &mut self,
        o: &Map<String, Value>,
        path: &str,
        key: &str,
        parse: impl Fn(&str) -> Option<T>,
        names: &[&str],
        default: Option<T>,
    ) -> Option<T> {
        let required = default.is_none();
        match self.string(o, path, key, required) {
            Some(s) => match parse(s) {
                Some(x) => Some(x),
                None => {
                    self.err(
                        &format!("{path}.{key}"),
                        "INVALID_VALUE",
                        format!("{s:?} is not one of {}", names.join(", ")),
                    );
                    None
                }
            },
            None => default,
        }
    }

    fn time(
        &mut self,
        o: &Map<String, Value>,
        path: &str,
        key: &str,
        required: bool,
    ) -> Option<i64> {
        let s = self.string(o, path, key, required)?;
        match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(t) => Some(t.timestamp_millis()),
            Err(_) => {
                self.err(
                    &format!("{path}.{key}"),
                    "INVALID_VALUE",
                    "expected an RFC 3339 timestamp such as 2026-12-01T09:00:00Z",
                );
                None
            }
        }
    }

    fn vote_type(&mut self, s: &str, path: &str) -> Option<VoteType> {
        let names: Vec<&str> = VoteType::ALL.iter().map(|v| v.as_str()).collect();
        match VoteType::parse(s) {
            None => {
                self.err(
                    path,
                    "INVALID_VALUE",
                    format!("{s:?} is not one of {}", names.join(", ")),
                );
                None
            }
            Some(v) if !v.is_supported() => {
                self.err(
                    path,
                    "UNSUPPORTED",
                    format!("{s} is not implemented by this engine version"),
                );
                None
            }
            Some(v) => Some(v),
        }
    }

    // --- Daily games ---
    /// A game type name: `NONE` is `None`; a known game this engine does not run is UNSUPPORTED.
    fn game_name(&mut self, s: &str, path: &str) -> Option<GameType> {
        if s == "NONE" {
            return None;
        }
        match GameType::parse(s) {
            None => {
                let names: Vec<&str> = GameType::ALL.iter().map(|g| g.as_str()).collect();
                self.err(
                    path,
                    "INVALID_VALUE",
                    format!("{s:?} is not NONE or one of {}", names.join(", ")),
                );
                None
            }
            Some(g) if !g.is_supported() => {
                self.err(
                    path,
                    "UNSUPPORTED",
                    format!(
                        "{s} is not implemented by this engine version; use another game or NONE"
                    ),
                );
                None
            }
            Some(g) => Some(g),
        }
    }

    fn game_type(&mut self, o: &Map<String, Value>, path: &str, key: &str) -> Option<GameType> {
        let s = self.string(o, path, key, false)?;
        self.game_name(s, &format!("{path}.{key}"))
    }

    /// A list of game type names (`NONE` entries are skipped).
    fn game_list(&mut self, v: Option<&Value>, path: &str) -> Option<Vec<GameType>> {
        match v? {
            Value::Array(a) => {
                let mut out = Vec::new();
                for (i, x) in a.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    match x.as_str() {
                        Some(s) => out.extend(self.game_name(s, &p)),
                        None => self.err(&p, "WRONG_TYPE", "expected a string"),
                    }
                }
                Some(out)
            }
            _ => {
                self.err(path, "WRONG_TYPE", "expected an array");
                None
            }
        }
    }
}

const MODE_NAMES: [&str; 2] = ["PECKING_ORDER", "BLITZ"];
const KIND_NAMES: [&str; 2] = ["STATIC", "DYNAMIC"];
const SCHEDULING_NAMES: [&str; 2] = ["PRE_SCHEDULED", "ADMIN"];

/// Parses and validates a manifest. `path` prefixes error paths (e.g. `"manifest"`).
pub fn parse_manifest(v: &Value, path: &str) -> Result<Manifest, ManifestError> {
    let mut w = Walker { errors: Vec::new() };
    let m = parse_inner(&mut w, v, path);
    match m {
        Some(m) if w.errors.is_empty() => Ok(m),
        _ => {
            if w.errors.is_empty() {
                w.err(path, "INVALID_VALUE", "invalid manifest");
            }
            Err(ManifestError { errors: w.errors })
        }
    }
}

fn parse_inner(w: &mut Walker, v: &Value, path: &str) -> Option<Manifest> {
    let o = w.object(v, path)?;
    w.unknown_fields(
        o,
        path,
        &[
            "mode",
            "kind",
            "scheduling",
            "startTime",
            "schedulePreset",
            "days",
            "ruleset",
            "roundSeconds",
            "initialGoldPool",
            "minPlayers",
            "destinies",
            "moleThreshold",
        ],
    );
    let mode = w.enumerated(
        o,
        path,
        "mode",
        |s| match s {
            "PECKING_ORDER" => Some(Mode::PeckingOrder),
            "BLITZ" => Some(Mode::Blitz),
            _ => None,
        },
        &MODE_NAMES,
        Some(Mode::PeckingOrder),
    );
    let kind = w.enumerated(
        o,
        path,
        "kind",
        |s| match s {
            "STATIC" => Some(Kind::Static),
            "DYNAMIC" => Some(Kind::Dynamic),
            _ => None,
        },
        &KIND_NAMES,
        Some(Kind::Static),
    );
    let scheduling = w.enumerated(
        o,
        path,
        "scheduling",
        |s| match s {
            "PRE_SCHEDULED" => Some(Scheduling::PreScheduled),
            "ADMIN" => Some(Scheduling::Admin),
            _ => None,
        },
        &SCHEDULING_NAMES,
        Some(Scheduling::PreScheduled),
    );
    let preset = w.enumerated(
        o,
        path,
        "schedulePreset",
        Preset::parse,
        &Preset::NAMES,
        Some(Preset::Default),
    );
    let start_ms = w.time(o, path, "startTime", true);
    let round_seconds = w.uint(o, path, "roundSeconds", 30, 3600).unwrap_or(180) as u32;
    let initial_gold_pool = w
        .uint(o, path, "initialGoldPool", 0, 1_000_000_000)
        .unwrap_or(0);
    let min_players = w
        .uint(o, path, "minPlayers", 2, MAX_PLAYERS as u64)
        .unwrap_or(3) as usize;

    let mole_threshold = w
        .uint(o, path, "moleThreshold", 0, 1_000_000_000)
        .unwrap_or(DEFAULT_MOLE_THRESHOLD);
    let destinies = match o.get("destinies") {
        None | Some(Value::Null) => mode != Some(Mode::Blitz),
        Some(Value::Bool(b)) => {
            if *b && mode == Some(Mode::Blitz) {
                w.err(
                    &format!("{path}.destinies"),
                    "INVALID_VALUE",
                    "BLITZ has no destinies",
                );
            }
            *b
        }
        Some(_) => {
            w.err(
                &format!("{path}.destinies"),
                "WRONG_TYPE",
                "expected true or false",
            );
            false
        }
    };
    let mut days = Vec::new();
    let mut dynamic = None;
    match (mode, kind) {
        (Some(Mode::PeckingOrder), Some(Kind::Static)) => {
            if o.contains_key("ruleset") {
                w.err(
                    &format!("{path}.ruleset"),
                    "INVALID_VALUE",
                    "ruleset is for DYNAMIC manifests",
                );
            }
            match o.get("days") {
                None | Some(Value::Null) => w.err(
                    &format!("{path}.days"),
                    "MISSING",
                    "a STATIC manifest lists its days",
                ),
                Some(Value::Array(a)) if a.is_empty() || a.len() > MAX_DAYS => w.err(
                    &format!("{path}.days"),
                    "OUT_OF_RANGE",
                    format!("must list 1 to {MAX_DAYS} days"),
                ),
                Some(Value::Array(a)) => {
                    for (i, d) in a.iter().enumerate() {
                        if let Some(spec) = parse_day(w, d, &format!("{path}.days[{i}]")) {
                            days.push(spec);
                        }
                    }
                }
                Some(_) => w.err(&format!("{path}.days"), "WRONG_TYPE", "expected an array"),
            }
        }
        (Some(Mode::PeckingOrder), Some(Kind::Dynamic)) => {
            if o.contains_key("days") {
                w.err(
                    &format!("{path}.days"),
                    "INVALID_VALUE",
                    "a DYNAMIC manifest resolves its days each morning; use ruleset",
                );
            }
            dynamic = parse_ruleset(w, o.get("ruleset"), &format!("{path}.ruleset"));
        }
        (Some(Mode::Blitz), _) => {
            for k in ["days", "ruleset"] {
                if o.contains_key(k) {
                    w.err(
                        &format!("{path}.{k}"),
                        "INVALID_VALUE",
                        "BLITZ generates its rounds; this field is not used",
                    );
                }
            }
        }
        _ => {}
    }
    Some(Manifest {
        mode: mode?,
        kind: kind?,
        scheduling: scheduling?,
        preset: preset?,
        start_ms: start_ms?,
        days,
        dynamic,
        round_seconds,
        initial_gold_pool,
        min_players,
        destinies,
        mole_threshold,
    })
}

fn parse_day(w: &mut Walker, v: &Value, path: &str) -> Option<DaySpec> {
    let o = w.object(v, path)?;
    w.unknown_fields(
        o,
        path,
        &[
            "dayIndex",
            "theme",
            "voteType",
            "gameType",
            "activityType",
            "dilemmaType",
            "timeline",
            "dmCharsPerPlayer",
            "dmPartnersPerPlayer",
            "dmSlotsPerPlayer",
            "dmCost",
            "requireDmInvite",
            "disableNudgeThrottle",
            "confessions",
            "gameMode",
        ],
    );
    let social = parse_day_social(w, o, path);
    // --- Daily games ---
    let game_type = w.game_type(o, path, "gameType");
    let _ = w.enumerated(
        o,
        path,
        "gameMode",
        |s| matches!(s, "SOLO" | "LIVE").then_some(()),
        &["SOLO", "LIVE"],
        Some(()),
    );
    let vote_type = match w.string(o, path, "voteType", true) {
        Some(s) => w.vote_type(s, &format!("{path}.voteType")),
        None => None,
    };
    let _ = w.string(o, path, "theme", false);
    let _ = w.uint(o, path, "dayIndex", 1, MAX_DAYS as u64);
    let timeline = match o.get("timeline") {
        None | Some(Value::Null) => None,
        Some(Value::Array(a)) if a.is_empty() || a.len() > MAX_TIMELINE_EVENTS => {
            w.err(
                &format!("{path}.timeline"),
                "OUT_OF_RANGE",
                format!("must list 1 to {MAX_TIMELINE_EVENTS} events"),
            );
            None
        }
        Some(Value::Array(a)) => {
            let mut events = Vec::new();
            for (i, e) in a.iter().enumerate() {
                let p = format!("{path}.timeline[{i}]");
                let Some(eo) = w.object(e, &p) else { continue };
                w.unknown_fields(eo, &p, &["time", "action", "payload"]);
                let t = w.time(eo, &p, "time", true);
                let names: Vec<&str> = Action::MANIFEST_ACTIONS
                    .iter()
                    .map(|a| a.as_str())
                    .collect();
                let a = w.enumerated(
                    eo,
                    &p,
                    "action",
                    |s| Action::parse(s).filter(|a| *a != Action::StartDay),
                    &names,
                    None,
                );
                if let (Some(t), Some(a)) = (t, a) {
                    events.push((t, a));
                }
            }
            // Stable sort: events at the same instant keep their listed order.
            events.sort_by_key(|(t, _)| *t);
            Some(events)
        }
        Some(_) => {
            w.err(
                &format!("{path}.timeline"),
                "WRONG_TYPE",
                "expected an array",
            );
            None
        }
    };
    let extras = parse_day_extras(w, o, path);
    Some(DaySpec {
        vote_type: vote_type?,
        timeline,
        social,
        extras,
        game_type,
    })
}

/// The social fields of a STATIC day.
fn parse_day_social(w: &mut Walker, o: &Map<String, Value>, path: &str) -> DaySocial {
    DaySocial {
        dm_chars_per_player: w
            .uint(o, path, "dmCharsPerPlayer", 0, MAX_DM_CHARS)
            .map(|x| x as u32),
        dm_partners_per_player: w
            .uint(o, path, "dmPartnersPerPlayer", 0, MAX_PLAYERS as u64)
            .map(|x| x as u32),
        dm_slots_per_player: w
            .uint(o, path, "dmSlotsPerPlayer", 1, MAX_DM_SLOTS)
            .map(|x| x as u32),
        dm_cost: w.uint(o, path, "dmCost", 0, MAX_DM_COST),
        require_dm_invite: w.boolean(o, path, "requireDmInvite"),
        disable_nudge_throttle: w.boolean(o, path, "disableNudgeThrottle"),
    }
}

/// `{mode, base, floor?}` of a DYNAMIC social limit.
fn parse_scaling(
    w: &mut Walker,
    o: &Map<String, Value>,
    path: &str,
    key: &str,
    max: u64,
    default: Scaling,
) -> Scaling {
    let p = format!("{path}.{key}");
    let Some(v) = o.get(key).filter(|v| !v.is_null()) else {
        return default;
    };
    let Some(so) = w.object(v, &p) else {
        return default;
    };
    w.unknown_fields(so, &p, &["mode", "base", "floor"]);
    let mode = w.enumerated(
        so,
        &p,
        "mode",
        |s| match s {
            "FIXED" => Some(ScalingMode::Fixed),
            "PER_ACTIVE_PLAYER" => Some(ScalingMode::PerActivePlayer),
            "DIMINISHING" => Some(ScalingMode::Diminishing),
            _ => None,
        },
        &["FIXED", "PER_ACTIVE_PLAYER", "DIMINISHING"],
        None,
    );
    let base = w.uint(so, &p, "base", 0, max);
    if base.is_none() && !so.contains_key("base") {
        w.err(&format!("{p}.base"), "MISSING", "required field is missing");
    }
    let floor = w.uint(so, &p, "floor", 0, max).map(|x| x as u32);
    match (mode, base) {
        (Some(mode), Some(base)) => Scaling {
            mode,
            base: base as u32,
            floor,
        },
        _ => default,
    }
}

/// `ruleset.social`.
fn parse_social_ruleset(w: &mut Walker, v: Option<&Value>, path: &str) -> SocialRuleset {
    let d = SocialRuleset::default();
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return d;
    };
    let Some(o) = w.object(v, path) else {
        return d;
    };
    w.unknown_fields(
        o,
        path,
        &[
            "dmChars",
            "dmPartners",
            "dmCost",
            "requireDmInvite",
            "dmSlotsPerPlayer",
            "disableNudgeThrottle",
            "groupDmEnabled",
        ],
    );
    SocialRuleset {
        dm_chars: parse_scaling(w, o, path, "dmChars", MAX_DM_CHARS, d.dm_chars),
        dm_partners: parse_scaling(w, o, path, "dmPartners", MAX_PLAYERS as u64, d.dm_partners),
        dm_cost: w
            .uint(o, path, "dmCost", 0, MAX_DM_COST)
            .unwrap_or(d.dm_cost),
        require_dm_invite: w
            .boolean(o, path, "requireDmInvite")
            .unwrap_or(d.require_dm_invite),
        dm_slots_per_player: w
            .uint(o, path, "dmSlotsPerPlayer", 1, MAX_DM_SLOTS)
            .map_or(d.dm_slots_per_player, |x| x as u32),
        disable_nudge_throttle: w
            .boolean(o, path, "disableNudgeThrottle")
            .unwrap_or(d.disable_nudge_throttle),
        group_dm_enabled: w
            .boolean(o, path, "groupDmEnabled")
            .unwrap_or(d.group_dm_enabled),
    }
}

/// `ruleset.dayCount`.
fn parse_day_count(w: &mut Walker, v: Option<&Value>, path: &str) -> DayCount {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return DayCount::default();
    };
    let Some(o) = w.object(v, path) else {
        return DayCount::default();
    };
    w.unknown_fields(o, path, &["mode", "fixedCount", "maxDays"]);
    let mode = w
        .enumerated(
            o,
            path,
            "mode",
            |s| match s {
                "FIXED" => Some(DayCountMode::Fixed),
                "ACTIVE_PLAYERS_MINUS_ONE" => Some(DayCountMode::ActivePlayersMinusOne),
                _ => None,
            },
            &["FIXED", "ACTIVE_PLAYERS_MINUS_ONE"],
            Some(DayCountMode::default()),
        )
        .unwrap_or_default();
    DayCount {
        mode,
        fixed_count: w
            .uint(o, path, "fixedCount", 1, MAX_DAYS as u64)
            .map(|x| x as u32),
        max_days: w
            .uint(o, path, "maxDays", 1, MAX_DAYS as u64)
            .map(|x| x as u32),
    }
}

// --- Daily games ---
/// `ruleset.games`: `{allowed?, mode?: SEQUENCE|POOL|NONE, sequence?, pool?, avoidRepeat?}`
/// (prototype-facts §2.6). `allowed` wins over the legacy modes.
fn parse_game_rules(w: &mut Walker, v: Option<&Value>, path: &str) -> GameRules {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return GameRules::default();
    };
    let Some(o) = w.object(v, path) else {
        return GameRules::default();
    };
    w.unknown_fields(
        o,
        path,
        &["mode", "sequence", "pool", "allowed", "avoidRepeat"],
    );
    let mode = w.enumerated(
        o,
        path,
        "mode",
        |s| match s {
            "SEQUENCE" => Some(GameRuleMode::Sequence),
            "POOL" => Some(GameRuleMode::Rotate),
            "NONE" => Some(GameRuleMode::None),
            _ => None,
        },
        &["SEQUENCE", "POOL", "NONE"],
        Some(GameRuleMode::None),
    );
    let avoid_repeat = w.boolean(o, path, "avoidRepeat").unwrap_or(true);
    let allowed = w.game_list(o.get("allowed"), &format!("{path}.allowed"));
    let sequence = w.game_list(o.get("sequence"), &format!("{path}.sequence"));
    let pool = w.game_list(o.get("pool"), &format!("{path}.pool"));
    let (mode, list) = match (allowed, mode) {
        (Some(list), _) => (GameRuleMode::Rotate, list),
        (None, Some(GameRuleMode::Sequence)) => {
            (GameRuleMode::Sequence, sequence.unwrap_or_default())
        }
        (None, Some(GameRuleMode::Rotate)) => (GameRuleMode::Rotate, pool.unwrap_or_default()),
        _ => (GameRuleMode::None, Vec::new()),
    };
    if list.is_empty() {
        return GameRules::default();
    }
    GameRules {
        mode,
        list,
        avoid_repeat,
    }
}

fn parse_ruleset(w: &mut Walker, v: Option<&Value>, path: &str) -> Option<DynamicRules> {
    let mut default = DynamicRules {
        allowed_votes: vec![VoteType::Majority],
        social: SocialRuleset::default(),
        day_count: DayCount::default(),
        content: ContentRules::default(),
        games: GameRules::default(),
    };
    let Some(v) = v else { return Some(default) };
    let o = w.object(v, path)?;
    w.unknown_fields(
        o,
        path,
        &[
            "kind",
            "voting",
            "social",
            "dayCount",
            // --- Prompts, dilemmas, confessions, inactivity ---
            "activities",
            "dilemmas",
            "confessions",
            "inactivity",
            // --- Daily games ---
            "games",
        ],
    );
    default.social = parse_social_ruleset(w, o.get("social"), &format!("{path}.social"));
    // --- Daily games ---
    default.games = parse_game_rules(w, o.get("games"), &format!("{path}.games"));
    default.day_count = parse_day_count(w, o.get("dayCount"), &format!("{path}.dayCount"));
    default.content = parse_content_rules(w, o, path);
    if let Some(k) = w.string(o, path, "kind", false) {
        if k != "PECKING_ORDER" {
            w.err(
                &format!("{path}.kind"),
                "INVALID_VALUE",
                "must be PECKING_ORDER",
            );
        }
    }
    let Some(voting) = o.get("voting") else {
        return Some(default);
    };
    let vp = format!("{path}.voting");
    let vo = w.object(voting, &vp)?;
    w.unknown_fields(vo, &vp, &["allowed"]);
    let mut allowed = Vec::new();
    match vo.get("allowed") {
        None => allowed.push(VoteType::Majority),
        Some(Value::Array(a)) => {
            for (i, x) in a.iter().enumerate() {
                let p = format!("{vp}.allowed[{i}]");
                match x.as_str() {
                    Some(s) => {
                        if let Some(t) = w.vote_type(s, &p) {
                            allowed.push(t);
                        }
                    }
                    None => w.err(&p, "WRONG_TYPE", "expected a string"),
                }
            }
        }
        Some(_) => w.err(&format!("{vp}.allowed"), "WRONG_TYPE", "expected an array"),
    }
    Some(DynamicRules {
        allowed_votes: allowed,
        ..default
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok() -> Value {
        json!({"mode":"PECKING_ORDER","kind":"STATIC","startTime":"2026-12-01T09:00:00Z","schedulePreset":"SMOKE_TEST",
               "days":[{"voteType":"MAJORITY"},{"voteType":"FINALS"}]})
    }

    #[test]
    fn parses_a_static_manifest() {
        let m = parse_manifest(&ok(), "manifest").unwrap();
        assert_eq!(m.days.len(), 2);
        assert_eq!(m.scheduling, Scheduling::PreScheduled);
        assert_eq!(m.day_start_ms(2) - m.day_start_ms(1), 360_000);
        assert_eq!(
            m.static_day_timeline(1).last().map(|x| x.1),
            Some(Action::EndDay)
        );
    }

    #[test]
    fn every_bad_field_is_reported_with_its_path() {
        let mut v = ok();
        v["mode"] = json!("CHESS");
        v["startTime"] = json!("tomorrow");
        v["days"][1]["voteType"] = json!("COIN_FLIP");
        v["colour"] = json!("red");
        let e = parse_manifest(&v, "manifest").unwrap_err();
        let paths: Vec<(&str, &str)> = e.errors.iter().map(|e| (e.path.as_str(), e.code)).collect();
        assert!(
            paths.contains(&("manifest.mode", "INVALID_VALUE")),
            "{paths:?}"
        );
        assert!(
            paths.contains(&("manifest.startTime", "INVALID_VALUE")),
            "{paths:?}"
        );
        assert!(
            paths.contains(&("manifest.colour", "UNKNOWN_FIELD")),
            "{paths:?}"
        );
        let mut v = ok();
        v["days"][1]["voteType"] = json!("COIN_FLIP");
        let e = parse_manifest(&v, "manifest").unwrap_err();
        assert_eq!(e.errors[0].path, "manifest.days[1].voteType");
    }

    #[test]
    fn wrong_types_and_ranges() {
        for (field, value, code) in [
            ("roundSeconds", json!(5), "OUT_OF_RANGE"),
            ("roundSeconds", json!("fast"), "WRONG_TYPE"),
            ("days", json!([]), "OUT_OF_RANGE"),
            ("days", json!({}), "WRONG_TYPE"),
            ("startTime", json!(17), "WRONG_TYPE"),
            ("initialGoldPool", json!(-1), "WRONG_TYPE"),
        ] {
            let mut v = ok();
            v[field] = value;
            let e = parse_manifest(&v, "manifest").unwrap_err();
            assert_eq!(e.errors[0].path, format!("manifest.{field}"));
            assert_eq!(e.errors[0].code, code, "{field}");
        }
        assert_eq!(
            parse_manifest(&json!([1]), "manifest").unwrap_err().errors[0].code,
            "WRONG_TYPE"
        );
        assert_eq!(
            parse_manifest(&json!({}), "manifest").unwrap_err().errors[0].path,
            "manifest.startTime"
        );
    }

    #[test]
    fn explicit_timeline_is_sorted_and_validated() {
        let mut v = ok();
        v["days"][0]["timeline"] = json!([
            {"time":"2026-12-01T09:10:00Z","action":"END_DAY"},
            {"time":"2026-12-01T09:00:00Z","action":"OPEN_GROUP_CHAT"}
        ]);
        let m = parse_manifest(&v, "manifest").unwrap();
        let t = m.static_day_timeline(1);
        assert_eq!(t[0].1, Action::OpenGroupChat);
        v["days"][0]["timeline"][0]["action"] = json!("START_DAY");
        let e = parse_manifest(&v, "manifest").unwrap_err();
        assert_eq!(e.errors[0].path, "manifest.days[0].timeline[0].action");
    }

    #[test]
    fn blitz_and_dynamic() {
        let m = parse_manifest(
            &json!({"mode":"BLITZ","startTime":"2026-12-01T09:00:00Z","roundSeconds":60}),
            "m",
        )
        .unwrap();
        assert_eq!(m.mode, Mode::Blitz);
        assert_eq!(m.day_start_ms(3) - m.start_ms, 120_000);
        let d = parse_manifest(
            &json!({"kind":"DYNAMIC","startTime":"2026-12-01T09:00:00Z","ruleset":{"voting":{"allowed":["MAJORITY"]}}}),
            "m",
        )
        .unwrap();
        assert_eq!(d.dynamic.unwrap().allowed_votes, vec![VoteType::Majority]);
        let e = parse_manifest(
            &json!({"kind":"DYNAMIC","startTime":"2026-12-01T09:00:00Z","days":[]}),
            "m",
        )
        .unwrap_err();
        assert_eq!(e.errors[0].path, "m.days");
    }
}
