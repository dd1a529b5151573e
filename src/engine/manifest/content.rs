//! The manifest's prompts, dilemmas, confessions and inactivity: STATIC day fields
//! (`activityType`, `dilemmaType`, `confessions`, the START_ACTIVITY payload) and DYNAMIC
//! `ruleset.activities`, `.dilemmas`, `.confessions`, `.inactivity`, validated field by field like
//! the rest of the manifest (`docs/content.md` §1).

use super::{FieldErrorCode, Kind, Manifest, Mode, Walker, MAX_DAYS};
use crate::engine::dilemmas::DilemmaType;
use crate::engine::prompts::{PromptType, MAX_OPTION_CHARS};
use crate::engine::state::MAX_MESSAGE_CHARS;
use crate::engine::timeline::DayContent;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A day's prompt: its type and, optionally, its own text and options (else the defaults; HOT_TAKE
/// without options draws a statement from its pool).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivitySpec {
    pub prompt_type: PromptType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// What a STATIC day has besides its vote: `activityType` (+ the START_ACTIVITY payload of an
/// explicit timeline), `dilemmaType`, `confessions`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayExtras {
    pub activity: Option<ActivitySpec>,
    pub dilemma: Option<DilemmaType>,
    pub confessions: bool,
}

impl DayExtras {
    pub fn is_empty(&self) -> bool {
        *self == DayExtras::default()
    }
}

/// A DYNAMIC pool of daily content types (`ruleset.activities`, `ruleset.dilemmas`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pool<T> {
    /// SEQUENCE: day N takes entry N (the last one once past the end). Otherwise a rotation.
    pub sequence: bool,
    pub types: Vec<T>,
    /// Rotation only: never the same type two days running while the pool has another.
    pub avoid_repeat: bool,
}

impl<T> Default for Pool<T> {
    fn default() -> Self {
        Pool {
            sequence: false,
            types: Vec::new(),
            avoid_repeat: true,
        }
    }
}

impl<T: Copy + PartialEq> Pool<T> {
    /// The type of day `day` (1-based); `None` for an empty pool.
    pub fn pick(&self, day: u32) -> Option<T> {
        let len = self.types.len();
        if len == 0 {
            return None;
        }
        let d = day.max(1) as usize - 1;
        if self.sequence {
            return self.types.get(d.min(len - 1)).copied();
        }
        if !self.avoid_repeat {
            return self.types.get(d % len).copied();
        }
        // Rotation, skipping forward past an entry equal to the previous day's pick.
        let mut prev: Option<T> = None;
        for i in 0..=d {
            let mut k = i % len;
            for _ in 0..len {
                if Some(self.types[k]) != prev {
                    break;
                }
                k = (k + 1) % len;
            }
            prev = Some(self.types[k]);
        }
        prev
    }
}

/// What INACTIVITY does to a player at the threshold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum InactivityAction {
    #[default]
    Eliminate,
    /// Eliminate, after a warning on the morning of the deciding day.
    NudgeThenEliminate,
}

/// `ruleset.inactivity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InactivityRules {
    pub enabled: bool,
    pub threshold_days: u32,
    pub action: InactivityAction,
}

/// `thresholdDays` when the manifest gives none.
pub use crate::limits::DEFAULT_INACTIVITY_DAYS;
/// Longest DYNAMIC content pool.
pub use crate::limits::MAX_POOL;

impl Default for InactivityRules {
    fn default() -> Self {
        InactivityRules {
            enabled: false,
            threshold_days: DEFAULT_INACTIVITY_DAYS,
            action: InactivityAction::Eliminate,
        }
    }
}

/// `ruleset.activities`, `.dilemmas`, `.confessions`, `.inactivity` of a DYNAMIC manifest.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentRules {
    pub activities: Pool<PromptType>,
    pub dilemmas: Pool<DilemmaType>,
    pub confessions: bool,
    pub inactivity: InactivityRules,
}

impl ContentRules {
    pub fn is_default(&self) -> bool {
        *self == ContentRules::default()
    }
}

impl Manifest {
    fn static_extras(&self, day: u32) -> Option<&DayExtras> {
        match (self.mode, self.kind) {
            (Mode::PeckingOrder, Kind::Static) => self
                .days
                .get((day as usize).wrapping_sub(1))
                .map(|d| &d.extras),
            _ => None,
        }
    }

    fn content_rules(&self) -> Option<&ContentRules> {
        match (self.mode, self.kind) {
            (Mode::PeckingOrder, Kind::Dynamic) => self.dynamic.as_ref().map(|d| &d.content),
            _ => None,
        }
    }

    /// Day `day`'s prompt. DYNAMIC: from `ruleset.activities`, none on a day that starts with two
    /// players or fewer (the finals). `alive` matters to DYNAMIC only.
    pub fn activity_for(&self, day: u32, alive: usize) -> Option<ActivitySpec> {
        if let Some(x) = self.static_extras(day) {
            return x.activity.clone();
        }
        let t = self
            .content_rules()
            .filter(|_| alive > 2)?
            .activities
            .pick(day)?;
        Some(ActivitySpec {
            prompt_type: t,
            text: None,
            options: Vec::new(),
        })
    }

    /// Day `day`'s dilemma (as [`Manifest::activity_for`]).
    pub fn dilemma_for(&self, day: u32, alive: usize) -> Option<DilemmaType> {
        if let Some(x) = self.static_extras(day) {
            return x.dilemma;
        }
        self.content_rules()
            .filter(|_| alive > 2)?
            .dilemmas
            .pick(day)
    }

    /// Whether the confession phase may open on day `day`.
    pub fn confessions_on(&self, day: u32) -> bool {
        if let Some(x) = self.static_extras(day) {
            return x.confessions;
        }
        self.content_rules().is_some_and(|c| c.confessions)
    }

    /// Which optional events a preset timeline of day `day` includes.
    pub fn day_content(&self, day: u32, alive: usize) -> DayContent {
        DayContent {
            // --- Daily games: a day with a game gets START_GAME / END_GAME ---
            has_game: crate::engine::games::game_for_day(self, day, alive, None).is_some(),
            has_activity: self.activity_for(day, alive).is_some(),
            has_dilemma: self.dilemma_for(day, alive).is_some(),
        }
    }
}

/// A list of 1..=`max` non-empty strings of at most `max_chars` characters.
fn string_list(w: &mut Walker, v: &Value, path: &str, min: usize, max: usize) -> Vec<String> {
    let Some(a) = v.as_array() else {
        w.err(
            path,
            FieldErrorCode::WrongType,
            "expected an array of strings",
        );
        return Vec::new();
    };
    if a.len() < min || a.len() > max {
        w.err(
            path,
            FieldErrorCode::OutOfRange,
            format!("must list {min} to {max} options"),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, x) in a.iter().enumerate() {
        let p = format!("{path}[{i}]");
        if let Some(t) = prompt_string(w, x, &p, MAX_OPTION_CHARS) {
            out.push(t);
        }
    }
    out
}

/// A trimmed, non-empty string of at most `max` characters.
fn prompt_string(w: &mut Walker, v: &Value, path: &str, max: usize) -> Option<String> {
    let Some(s) = v.as_str() else {
        w.err(path, FieldErrorCode::WrongType, "expected a string");
        return None;
    };
    let t = s.trim();
    if t.is_empty() || t.chars().count() > max {
        w.err(
            path,
            FieldErrorCode::OutOfRange,
            format!("must be 1 to {max} characters"),
        );
        return None;
    }
    Some(t.to_string())
}

/// `activityType`, `dilemmaType`, `confessions` of a STATIC day, and the START_ACTIVITY payload
/// of its explicit timeline (`promptType`, `promptText`, `optionA`/`optionB`, `options`).
pub(super) fn parse_day_extras(w: &mut Walker, o: &Map<String, Value>, path: &str) -> DayExtras {
    let activity_type = match w.string(o, path, "activityType", false) {
        None | Some("NONE") => None,
        Some(s) => {
            let t = PromptType::parse(s);
            if t.is_none() {
                let names: Vec<&str> = PromptType::ALL.iter().map(|t| t.as_str()).collect();
                w.err(
                    &format!("{path}.activityType"),
                    FieldErrorCode::InvalidValue,
                    format!("{s:?} is not one of NONE, {}", names.join(", ")),
                );
            }
            t
        }
    };
    let dilemma = match w.string(o, path, "dilemmaType", false) {
        None | Some("NONE") => None,
        Some(s) => {
            let t = DilemmaType::parse(s);
            if t.is_none() {
                let names: Vec<&str> = DilemmaType::ALL.iter().map(|t| t.as_str()).collect();
                w.err(
                    &format!("{path}.dilemmaType"),
                    FieldErrorCode::InvalidValue,
                    format!("{s:?} is not one of NONE, {}", names.join(", ")),
                );
            }
            t
        }
    };
    let confessions = w.boolean(o, path, "confessions").unwrap_or(false);
    // The first START_ACTIVITY event with a payload gives the prompt's text and options.
    let mut payload = None;
    if let Some(Value::Array(events)) = o.get("timeline") {
        for (i, e) in events.iter().enumerate() {
            let is_start = e.get("action").and_then(Value::as_str) == Some("START_ACTIVITY");
            match e.get("payload") {
                Some(p) if is_start && !p.is_null() && payload.is_none() => {
                    payload = Some((p, format!("{path}.timeline[{i}].payload")));
                }
                _ => {}
            }
        }
    }
    let mut spec = activity_type.map(|t| ActivitySpec {
        prompt_type: t,
        text: None,
        options: Vec::new(),
    });
    if let Some((p, pp)) = payload {
        spec = parse_activity_payload(w, p, &pp, activity_type);
    }
    DayExtras {
        activity: spec,
        dilemma,
        confessions,
    }
}

fn parse_activity_payload(
    w: &mut Walker,
    v: &Value,
    path: &str,
    day_type: Option<PromptType>,
) -> Option<ActivitySpec> {
    let o = w.object(v, path)?;
    w.unknown_fields(
        o,
        path,
        &["promptType", "promptText", "optionA", "optionB", "options"],
    );
    let payload_type = match w.string(o, path, "promptType", false) {
        None => None,
        Some(s) => match PromptType::parse(s) {
            Some(t) => Some(t),
            None => {
                let names: Vec<&str> = PromptType::ALL.iter().map(|t| t.as_str()).collect();
                w.err(
                    &format!("{path}.promptType"),
                    FieldErrorCode::InvalidValue,
                    format!("{s:?} is not one of {}", names.join(", ")),
                );
                return None;
            }
        },
    };
    let t = match (day_type, payload_type) {
        (Some(d), Some(p)) if d != p => {
            w.err(
                &format!("{path}.promptType"),
                FieldErrorCode::InvalidValue,
                format!("the day's activityType is {}", d.as_str()),
            );
            return None;
        }
        (Some(t), _) | (None, Some(t)) => t,
        (None, None) => {
            w.err(
                &format!("{path}.promptType"),
                FieldErrorCode::Missing,
                "give the day an activityType, or the payload a promptType",
            );
            return None;
        }
    };
    let text = o
        .get("promptText")
        .filter(|v| !v.is_null())
        .and_then(|v| prompt_string(w, v, &format!("{path}.promptText"), MAX_MESSAGE_CHARS));
    let a = o.get("optionA").filter(|v| !v.is_null());
    let b = o.get("optionB").filter(|v| !v.is_null());
    let list = o.get("options").filter(|v| !v.is_null());
    let mut options = Vec::new();
    match t {
        PromptType::WouldYouRather => match (a, b, list) {
            (Some(a), Some(b), None) => {
                let a = prompt_string(w, a, &format!("{path}.optionA"), MAX_OPTION_CHARS);
                let b = prompt_string(w, b, &format!("{path}.optionB"), MAX_OPTION_CHARS);
                if let (Some(a), Some(b)) = (a, b) {
                    options = vec![a, b];
                }
            }
            (None, None, None) => {}
            (None, None, Some(l)) => options = string_list(w, l, &format!("{path}.options"), 2, 2),
            _ => w.err(
                path,
                FieldErrorCode::InvalidValue,
                "WOULD_YOU_RATHER takes both optionA and optionB (or options with two entries)",
            ),
        },
        PromptType::HotTake => {
            for (k, x) in [("optionA", a), ("optionB", b)] {
                if x.is_some() {
                    w.err(
                        &format!("{path}.{k}"),
                        FieldErrorCode::InvalidValue,
                        "HOT_TAKE takes options (2 to 4)",
                    );
                }
            }
            if let Some(l) = list {
                options = string_list(w, l, &format!("{path}.options"), 2, 4);
            }
        }
        _ => {
            for (k, x) in [("optionA", a), ("optionB", b), ("options", list)] {
                if x.is_some() {
                    w.err(
                        &format!("{path}.{k}"),
                        FieldErrorCode::InvalidValue,
                        format!("{} has no options", t.as_str()),
                    );
                }
            }
        }
    }
    Some(ActivitySpec {
        prompt_type: t,
        text,
        options,
    })
}

/// A DYNAMIC content pool: `{mode?: SEQUENCE|POOL|NONE, allowed?, sequence?, pool?, avoidRepeat?}`.
/// Without `mode`, `allowed` is the rotation; POOL rotates `pool`; SEQUENCE follows `sequence`.
fn parse_pool<T: Copy>(
    w: &mut Walker,
    v: Option<&Value>,
    path: &str,
    parse: impl Fn(&str) -> Option<T>,
    names: &[&str],
) -> Pool<T> {
    let mut pool = Pool::default();
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return pool;
    };
    let Some(o) = w.object(v, path) else {
        return pool;
    };
    w.unknown_fields(
        o,
        path,
        &["mode", "allowed", "sequence", "pool", "avoidRepeat"],
    );
    let mode = w.enumerated(
        o,
        path,
        "mode",
        |s| ["SEQUENCE", "POOL", "NONE"].into_iter().find(|m| *m == s),
        &["SEQUENCE", "POOL", "NONE"],
        Some(""),
    );
    pool.avoid_repeat = w.boolean(o, path, "avoidRepeat").unwrap_or(true);
    let key = match mode {
        Some("SEQUENCE") => "sequence",
        Some("POOL") => "pool",
        Some("NONE") => "",
        _ => "allowed",
    };
    pool.sequence = key == "sequence";
    for other in ["allowed", "sequence", "pool"] {
        if other != key && o.get(other).is_some_and(|v| !v.is_null()) {
            w.err(
                &format!("{path}.{other}"),
                FieldErrorCode::InvalidValue,
                if key.is_empty() {
                    "not used with mode NONE".to_string()
                } else {
                    format!("not used here; the types are read from {key}")
                },
            );
        }
    }
    if key.is_empty() {
        return pool;
    }
    let p = format!("{path}.{key}");
    match o.get(key).filter(|v| !v.is_null()) {
        None => w.err(&p, FieldErrorCode::Missing, "required field is missing"),
        Some(Value::Array(a)) if a.len() > MAX_POOL => w.err(
            &p,
            FieldErrorCode::OutOfRange,
            format!("must list at most {MAX_POOL} types"),
        ),
        Some(Value::Array(a)) => {
            for (i, x) in a.iter().enumerate() {
                let ip = format!("{p}[{i}]");
                match x.as_str() {
                    Some(s) => match parse(s) {
                        Some(t) => pool.types.push(t),
                        None => w.err(
                            &ip,
                            FieldErrorCode::InvalidValue,
                            format!("{s:?} is not one of {}", names.join(", ")),
                        ),
                    },
                    None => w.err(&ip, FieldErrorCode::WrongType, "expected a string"),
                }
            }
        }
        Some(_) => w.err(&p, FieldErrorCode::WrongType, "expected an array"),
    }
    pool
}

/// `ruleset.confessions {enabled}`.
fn parse_confessions(w: &mut Walker, v: Option<&Value>, path: &str) -> bool {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return false;
    };
    let Some(o) = w.object(v, path) else {
        return false;
    };
    w.unknown_fields(o, path, &["enabled"]);
    w.boolean(o, path, "enabled").unwrap_or(false)
}

/// `ruleset.inactivity {enabled, thresholdDays, action}`.
fn parse_inactivity(w: &mut Walker, v: Option<&Value>, path: &str) -> InactivityRules {
    let mut r = InactivityRules::default();
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return r;
    };
    let Some(o) = w.object(v, path) else {
        return r;
    };
    w.unknown_fields(
        o,
        path,
        &[
            "enabled",
            "thresholdDays",
            "action",
            "socketInactivityHours",
            "nudgeDays",
        ],
    );
    for k in ["socketInactivityHours", "nudgeDays"] {
        if o.get(k).is_some_and(|v| !v.is_null()) {
            w.err(
                &format!("{path}.{k}"),
                FieldErrorCode::Unsupported,
                "not implemented by this engine version (activity is counted from the journal per day)",
            );
        }
    }
    r.enabled = w.boolean(o, path, "enabled").unwrap_or(false);
    r.threshold_days = w
        .uint(o, path, "thresholdDays", 1, MAX_DAYS as u64)
        .map_or(DEFAULT_INACTIVITY_DAYS, |x| x as u32);
    r.action = w
        .enumerated(
            o,
            path,
            "action",
            |s| match s {
                "ELIMINATE" => Some(InactivityAction::Eliminate),
                "NUDGE_THEN_ELIMINATE" => Some(InactivityAction::NudgeThenEliminate),
                _ => None,
            },
            &["ELIMINATE", "NUDGE_THEN_ELIMINATE"],
            Some(InactivityAction::Eliminate),
        )
        .unwrap_or_default();
    r
}

pub(super) fn parse_content_rules(
    w: &mut Walker,
    o: &Map<String, Value>,
    path: &str,
) -> ContentRules {
    let prompt_names: Vec<&str> = PromptType::ALL.iter().map(|t| t.as_str()).collect();
    let dilemma_names: Vec<&str> = DilemmaType::ALL.iter().map(|t| t.as_str()).collect();
    ContentRules {
        activities: parse_pool(
            w,
            o.get("activities"),
            &format!("{path}.activities"),
            PromptType::parse,
            &prompt_names,
        ),
        dilemmas: parse_pool(
            w,
            o.get("dilemmas"),
            &format!("{path}.dilemmas"),
            DilemmaType::parse,
            &dilemma_names,
        ),
        confessions: parse_confessions(w, o.get("confessions"), &format!("{path}.confessions")),
        inactivity: parse_inactivity(w, o.get("inactivity"), &format!("{path}.inactivity")),
    }
}
