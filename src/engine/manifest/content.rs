//! The manifest's prompts, dilemmas, confessions and inactivity (`docs/content.md` §1): their
//! internal form and what each day gets, and their validation: STATIC day fields (`activityType`,
//! `dilemmaType`, `confessions`, the START_ACTIVITY payload) and DYNAMIC `ruleset.activities`,
//! `.dilemmas`, `.confessions`, `.inactivity`.

use super::validate::{at, item, Checker};
use super::wire::{
    ActivityPayloadWire, DayWire, List, Name, PoolMode, PoolWire, RulesetWire, Text, NONE,
};
use super::{decode_at, FieldErrorCode, Kind, Manifest, Mode};
use crate::engine::dilemmas::DilemmaType;
use crate::engine::prompts::{PromptType, MAX_OPTION_CHARS};
use crate::engine::timeline::{Action, DayContent};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

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
/// Fewest options a START_ACTIVITY payload lists: WOULD_YOU_RATHER has exactly these two.
pub const MIN_PROMPT_OPTIONS: usize = 2;
/// Most options a START_ACTIVITY payload lists (HOT_TAKE).
pub const MAX_PROMPT_OPTIONS: usize = 4;

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

    /// Which optional events a preset timeline of day `day` includes, in a game playing rules
    /// version `rules`.
    pub fn day_content(&self, day: u32, alive: usize, rules: u32) -> DayContent {
        DayContent {
            // --- Daily games: a day with a game gets START_GAME / END_GAME ---
            has_game: crate::engine::games::game_for_day(self, day, alive, None, rules).is_some(),
            has_activity: self.activity_for(day, alive).is_some(),
            has_dilemma: self.dilemma_for(day, alive).is_some(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Validation

/// `activityType`, `dilemmaType`, `confessions` of a STATIC day, and the START_ACTIVITY payload
/// of its explicit timeline (`promptType`, `promptText`, `optionA`/`optionB`, `options`).
pub(super) fn day_extras(c: &mut Checker, d: &DayWire, path: &str) -> DayExtras {
    let activity_type = or_none(c, d.activity_type.as_ref(), &at(path, "activityType"));
    let dilemma = or_none(c, d.dilemma_type.as_ref(), &at(path, "dilemmaType"));
    // The first START_ACTIVITY event with a payload gives the prompt's text and options.
    let events = d.timeline.iter().flat_map(|l| l.0.iter()).enumerate();
    let payload = events
        .filter(|(_, e)| {
            e.action.as_ref().and_then(|a| a.resolve().ok()) == Some(Action::StartActivity)
        })
        .find_map(|(i, e)| Some((e.payload.as_ref()?, i)));
    let activity = match payload {
        Some((p, i)) => {
            let p_path = at(&item(&at(path, "timeline"), i), "payload");
            activity(c, p, &p_path, activity_type)
        }
        None => activity_type.map(|t| ActivitySpec {
            prompt_type: t,
            text: None,
            options: Vec::new(),
        }),
    };
    DayExtras {
        activity,
        dilemma,
        confessions: d.confessions.unwrap_or(false),
    }
}

/// `NONE` (or absent) is `None`.
fn or_none<T: DeserializeOwned>(c: &mut Checker, n: Option<&Name<T>>, path: &str) -> Option<T> {
    n.filter(|n| n.as_str() != NONE)
        .and_then(|n| c.resolve(n, path))
}

/// A START_ACTIVITY payload; `day_type` is the day's `activityType`.
fn activity(
    c: &mut Checker,
    v: &Value,
    path: &str,
    day_type: Option<PromptType>,
) -> Option<ActivitySpec> {
    let p: ActivityPayloadWire = match decode_at(v, path) {
        Ok(p) => p,
        Err(e) => {
            c.errors.push(e);
            return None;
        }
    };
    let type_path = at(path, "promptType");
    let payload_type = match &p.prompt_type {
        None => None,
        Some(n) => Some(c.resolve(n, &type_path)?),
    };
    let t = match (day_type, payload_type) {
        (Some(d), Some(p)) if d != p => {
            let why = format!("the day's activityType is {}", d.as_str());
            c.err(&type_path, FieldErrorCode::InvalidValue, why);
            return None;
        }
        (Some(t), _) | (None, Some(t)) => t,
        (None, None) => {
            let why = "give the day an activityType, or the payload a promptType";
            c.err(&type_path, FieldErrorCode::Missing, why);
            return None;
        }
    };
    let text = c.text(p.prompt_text.as_ref(), &at(path, "promptText"));
    let (a, b, list) = (&p.option_a, &p.option_b, &p.options);
    let mut options = Vec::new();
    match t {
        PromptType::WouldYouRather => match (a, b, list) {
            (Some(a), Some(b), None) => {
                let a = c.text(Some(a), &at(path, "optionA"));
                let b = c.text(Some(b), &at(path, "optionB"));
                options.extend(a.zip(b).map(|(a, b)| [a, b]).into_iter().flatten());
            }
            (None, None, None) => {}
            (None, None, Some(l)) => options = option_list(c, l, path, MIN_PROMPT_OPTIONS),
            _ => c.err(
                path,
                FieldErrorCode::InvalidValue,
                "WOULD_YOU_RATHER takes both optionA and optionB (or options with two entries)",
            ),
        },
        PromptType::HotTake => {
            let why = "HOT_TAKE takes options (2 to 4)";
            c.refuse(&at(path, "optionA"), a.is_some(), why);
            c.refuse(&at(path, "optionB"), b.is_some(), why);
            if let Some(l) = list {
                options = option_list(c, l, path, MAX_PROMPT_OPTIONS);
            }
        }
        _ => {
            let why = format!("{} has no options", t.as_str());
            c.refuse(&at(path, "optionA"), a.is_some(), &why);
            c.refuse(&at(path, "optionB"), b.is_some(), &why);
            c.refuse(&at(path, "options"), list.is_some(), &why);
        }
    }
    Some(ActivitySpec {
        prompt_type: t,
        text,
        options,
    })
}

/// A payload's `options`: at most `most` (the prompt type's), each trimmed.
fn option_list(
    c: &mut Checker,
    l: &List<Text<MAX_OPTION_CHARS>, MIN_PROMPT_OPTIONS, MAX_PROMPT_OPTIONS>,
    path: &str,
    most: usize,
) -> Vec<String> {
    let p = at(path, "options");
    let Some(items) = c.list(l, &p) else {
        return Vec::new();
    };
    if items.len() > most {
        let why = format!("must list {MIN_PROMPT_OPTIONS} to {most} options");
        c.err(&p, FieldErrorCode::OutOfRange, why);
        return Vec::new();
    }
    let texts = items.iter().enumerate();
    texts
        .filter_map(|(i, t)| c.text(Some(t), &item(&p, i)))
        .collect()
}

/// A DYNAMIC content pool: without `mode`, `allowed` is the rotation; POOL rotates `pool`;
/// SEQUENCE follows `sequence`; NONE has none. The lists the mode does not read must be absent,
/// so that a typo never silently changes the plan.
fn pool<T: DeserializeOwned>(c: &mut Checker, w: Option<&PoolWire<T>>, path: &str) -> Pool<T> {
    let mut pool = Pool::default();
    let Some(w) = w else {
        return pool;
    };
    let mode = w
        .mode
        .as_ref()
        .and_then(|m| c.resolve(m, &at(path, "mode")));
    pool.avoid_repeat = w.avoid_repeat.unwrap_or(true);
    // As the prototype reads it: `allowed`, when present, wins over SEQUENCE and POOL.
    let key = match mode {
        Some(PoolMode::None) => None,
        _ if w.allowed.is_some() => Some("allowed"),
        Some(PoolMode::Sequence) => Some("sequence"),
        Some(PoolMode::Pool) => Some("pool"),
        None => Some("allowed"),
    };
    pool.sequence = key == Some("sequence");
    let lists = [
        ("allowed", &w.allowed),
        ("sequence", &w.sequence),
        ("pool", &w.pool),
    ];
    let mut read = None;
    for (k, l) in lists {
        if Some(k) == key {
            read = Some(l);
        } else if l.is_some() {
            let why = match key {
                None => "not used with mode NONE".to_string(),
                Some(key) => format!("not used here; the types are read from {key}"),
            };
            c.err(&at(path, k), FieldErrorCode::InvalidValue, why);
        }
    }
    let (Some(key), Some(read)) = (key, read) else {
        return pool;
    };
    let p = at(path, key);
    if let Some(names) = c.required(read.as_ref(), &p).and_then(|l| c.list(l, &p)) {
        for (i, n) in names.iter().enumerate() {
            pool.types.extend(c.resolve(n, &item(&p, i)));
        }
    }
    pool
}

/// `ruleset.inactivity {enabled, thresholdDays, action}`.
fn inactivity(c: &mut Checker, r: &RulesetWire, path: &str) -> InactivityRules {
    let mut rules = InactivityRules::default();
    let Some(w) = &r.inactivity else {
        return rules;
    };
    let why =
        "not implemented by this engine version (activity is counted from the journal per day)";
    for (k, x) in [
        ("socketInactivityHours", &w.socket_inactivity_hours),
        ("nudgeDays", &w.nudge_days),
    ] {
        if x.is_some() {
            c.err(&at(path, k), FieldErrorCode::Unsupported, why);
        }
    }
    rules.enabled = w.enabled.unwrap_or(false);
    rules.threshold_days = c
        .bounded(w.threshold_days, &at(path, "thresholdDays"))
        .map_or(DEFAULT_INACTIVITY_DAYS, |x| x as u32);
    rules.action = c
        .name_or(
            w.action.as_ref(),
            &at(path, "action"),
            InactivityAction::Eliminate,
        )
        .unwrap_or_default();
    rules
}

/// `ruleset.activities`, `.dilemmas`, `.confessions`, `.inactivity`.
pub(super) fn rules(c: &mut Checker, r: &RulesetWire, path: &str) -> ContentRules {
    ContentRules {
        activities: pool(c, r.activities.as_ref(), &at(path, "activities")),
        dilemmas: pool(c, r.dilemmas.as_ref(), &at(path, "dilemmas")),
        confessions: r
            .confessions
            .as_ref()
            .and_then(|x| x.enabled)
            .unwrap_or(false),
        inactivity: inactivity(c, r, &at(path, "inactivity")),
    }
}
