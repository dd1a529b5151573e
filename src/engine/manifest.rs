//! `GameManifest`: which rules a room runs, and when. Validated at the boundary with one error per
//! bad field (path, stable code, message), so the lobby can show exactly what to fix.
//!
//! Parsing has two steps ([`parse_manifest`]): serde decodes the wire form (`wire`: typed structs
//! with `deny_unknown_fields`, whose JSON Schema is derived from the same types) and stops at its
//! first structural problem (a wrong type, an unknown field); then one validation pass
//! (`validate`, `dynamic`, `content`) checks every value (names, bounds, dates, the rules between
//! fields), reports every problem at once, and builds the engine's form (`model`).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

// --- Prompts, dilemmas, confessions, inactivity ---
mod content;
pub use content::{
    ActivitySpec, ContentRules, DayExtras, InactivityAction, InactivityRules, Pool,
    DEFAULT_INACTIVITY_DAYS, MAX_POOL, MAX_PROMPT_OPTIONS, MIN_PROMPT_OPTIONS,
};
mod dynamic;
#[cfg(feature = "schema")]
mod schema;
mod validate;
mod wire;
pub use wire::{GameMode, ManifestWire};

// --- The internal form (engine state) ---
mod model;
pub use model::{
    DayCount, DayCountMode, DaySocial, DaySpec, DynamicRules, Manifest, Scaling, ScalingMode,
    SocialRuleset,
};

/// The MOLE's gold-pool threshold when the manifest does not set one.
pub use crate::limits::DEFAULT_MOLE_THRESHOLD;
/// Most days a STATIC manifest may list.
pub use crate::limits::MAX_DAYS;
/// Largest roster a room accepts (the game is designed for 6–20).
pub use crate::limits::MAX_PLAYERS;
/// Most events in one day's explicit timeline.
pub use crate::limits::MAX_TIMELINE_EVENTS;

// Social defaults (docs/rules.md §4.2 and §10), used when a day does not set its own.
/// DM characters per player per day.
pub use crate::limits::DEFAULT_DM_CHARS;
/// Silver per DM or group-DM message.
pub use crate::limits::DEFAULT_DM_COST;
/// Distinct DM partners per player per day.
pub use crate::limits::DEFAULT_DM_PARTNERS;
/// Conversation slots (new DMs / group DMs opened or joined) per player per day.
pub use crate::limits::DEFAULT_DM_SLOTS;
/// Largest `dmCharsPerPlayer` (and scaling `base`/`floor` for characters).
pub use crate::limits::MAX_DM_CHARS;
/// Largest `dmCost`.
pub use crate::limits::MAX_DM_COST;
/// Largest `dmSlotsPerPlayer` (prototype schema: 1..20).
pub use crate::limits::MAX_DM_SLOTS;

/// Shortest BLITZ round (`roundSeconds`).
pub const MIN_ROUND_SECONDS: u64 = 30;
/// Longest BLITZ round.
pub const MAX_ROUND_SECONDS: u64 = 3600;
/// A BLITZ round when the manifest does not set `roundSeconds`.
pub const DEFAULT_ROUND_SECONDS: u64 = 180;
/// Largest `initialGoldPool` and `moleThreshold`.
pub const MAX_GOLD: u64 = 1_000_000_000;
/// The lowest `minPlayers`: no game is played by fewer than two (the finals).
pub const FEWEST_PLAYERS: u64 = 2;
/// `minPlayers` when the manifest does not set it.
pub const DEFAULT_MIN_PLAYERS: usize = 3;

/// What is wrong with one field of a manifest, roster or /init body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FieldErrorCode {
    Missing,
    UnknownField,
    WrongType,
    InvalidValue,
    OutOfRange,
    Unsupported,
    Duplicate,
}

impl FieldErrorCode {
    pub const ALL: [FieldErrorCode; 7] = [
        FieldErrorCode::Missing,
        FieldErrorCode::UnknownField,
        FieldErrorCode::WrongType,
        FieldErrorCode::InvalidValue,
        FieldErrorCode::OutOfRange,
        FieldErrorCode::Unsupported,
        FieldErrorCode::Duplicate,
    ];

    /// The stable code on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldErrorCode::Missing => "MISSING",
            FieldErrorCode::UnknownField => "UNKNOWN_FIELD",
            FieldErrorCode::WrongType => "WRONG_TYPE",
            FieldErrorCode::InvalidValue => "INVALID_VALUE",
            FieldErrorCode::OutOfRange => "OUT_OF_RANGE",
            FieldErrorCode::Unsupported => "UNSUPPORTED",
            FieldErrorCode::Duplicate => "DUPLICATE",
        }
    }
}

impl FieldErrorCode {
    /// The code of a serde decoding error, from its message (serde's error type has no kind).
    pub fn of_serde(why: &str) -> FieldErrorCode {
        if why.starts_with("missing field") {
            FieldErrorCode::Missing
        } else if why.starts_with("unknown field") {
            FieldErrorCode::UnknownField
        } else if why.starts_with("invalid type") {
            FieldErrorCode::WrongType
        } else {
            FieldErrorCode::InvalidValue
        }
    }
}

/// Decodes `v` as a `T`; on failure, the first problem as a field error whose path is `path`
/// followed by the bad field's (`serde_path_to_error`), e.g. `roster[1].silver`. The wire structs
/// decoded here read objects only ([`ObjectOnly`]), so serde reports a missing or unknown field
/// at its object: the field's name is added to the path.
pub fn decode_at<T: serde::de::DeserializeOwned>(v: &Value, path: &str) -> Result<T, FieldError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let mut at = path.to_string();
        for segment in e.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => at.push_str(&format!("[{index}]")),
                serde_path_to_error::Segment::Map { key } => {
                    at.push('.');
                    at.push_str(key);
                }
                serde_path_to_error::Segment::Enum { .. }
                | serde_path_to_error::Segment::Unknown => {}
            }
        }
        let why = e.inner().to_string();
        // A negative or too large integer is out of range (`of_serde` keeps the admin route's
        // INVALID_VALUE for it, docs/protocol.md).
        let code = if why.starts_with("invalid value: integer") {
            FieldErrorCode::OutOfRange
        } else {
            FieldErrorCode::of_serde(&why)
        };
        if matches!(code, FieldErrorCode::Missing | FieldErrorCode::UnknownField) {
            if let Some(field) = why.split('`').nth(1) {
                at.push('.');
                at.push_str(field);
            }
        }
        FieldError {
            path: at.trim_start_matches('.').to_string(),
            code: code.as_str(),
            message: why,
        }
    })
}

/// Makes serde read a wire struct from a JSON object only: a derived struct also takes an array
/// of its fields in order (`[null, "STATIC", …]` would be a manifest), one with a `flatten`ed
/// field does not. So every wire struct has this empty one, as
/// `#[serde(flatten)] _object: ObjectOnly` (and `deny_unknown_fields` still refuses the keys no
/// field takes, reported at the object, as [`decode_at`] expects).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ObjectOnly {}

impl fmt::Display for FieldErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for FieldErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One bad field of a manifest, roster or /init body (the items of an HTTP error's `fields`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FieldError {
    /// JSON path of the bad field, e.g. manifest.days[1].voteType.
    pub path: String,
    /// What is wrong with it.
    #[cfg_attr(feature = "schema", schemars(with = "FieldErrorCode"))]
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

/// Parses and validates a manifest. `path` prefixes error paths (e.g. `"manifest"`): serde decodes
/// the wire form ([`ManifestWire`]) and reports its first structural problem; `validate` then
/// reports every problem of the values, and builds the engine's [`Manifest`].
pub fn parse_manifest(v: &Value, path: &str) -> Result<Manifest, ManifestError> {
    let wire: ManifestWire = decode_at(v, path).map_err(|e| ManifestError { errors: vec![e] })?;
    validate::manifest(&wire, path).map_err(|mut errors| {
        if errors.is_empty() {
            errors.push(FieldError {
                path: path.to_string(),
                code: FieldErrorCode::InvalidValue.as_str(),
                message: "invalid manifest".into(),
            });
        }
        ManifestError { errors }
    })
}

#[cfg(test)]
mod tests {
    use super::wire::{Bounded, List, Name, Text};
    use super::*;
    use crate::engine::timeline::Action;
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
    fn every_bad_value_is_reported_with_its_path_and_the_shape_first() {
        let mut v = ok();
        v["scheduling"] = json!("SOMETIMES");
        v["startTime"] = json!("tomorrow");
        v["roundSeconds"] = json!(5);
        v["days"][1]["voteType"] = json!("COIN_FLIP");
        let errors = |v: &Value| -> Vec<(String, &str)> {
            let e = parse_manifest(v, "manifest").unwrap_err();
            e.errors.into_iter().map(|e| (e.path, e.code)).collect()
        };
        let want = [
            ("manifest.scheduling", "INVALID_VALUE"),
            ("manifest.startTime", "INVALID_VALUE"),
            ("manifest.roundSeconds", "OUT_OF_RANGE"),
            ("manifest.days[1].voteType", "INVALID_VALUE"),
        ];
        let want: Vec<(String, &str)> = want.iter().map(|(p, c)| (p.to_string(), *c)).collect();
        assert_eq!(errors(&v), want);
        // A structural problem (wrong type, unknown field) stops the decoding: it is the only
        // error. Unknown fields are found once the object's known fields are read.
        v["colour"] = json!("red");
        v["days"][0]["dmCost"] = json!("one");
        assert_eq!(
            errors(&v),
            [("manifest.days[0].dmCost".to_string(), "WRONG_TYPE")]
        );
        v["days"][0]["dmCost"] = json!(1);
        assert_eq!(
            errors(&v),
            [("manifest.colour".to_string(), "UNKNOWN_FIELD")]
        );
    }

    #[test]
    fn objects_are_never_read_from_arrays() {
        // serde's derive would read a struct from the array of its fields in order.
        let days = json!([{"voteType": "FINALS"}]);
        let start = "2026-12-01T09:00:00Z";
        let fields =
            json!([null, null, null, start, null, days, null, null, null, null, null, null]);
        for v in [fields, json!([])] {
            let e = parse_manifest(&v, "manifest").unwrap_err();
            let first = (e.errors[0].path.as_str(), e.errors[0].code);
            assert_eq!(first, ("manifest", "WRONG_TYPE"));
        }
        let mut v = ok();
        v["days"][1] = json!([null, null, "MAJORITY"]);
        let e = parse_manifest(&v, "manifest").unwrap_err();
        let first = (e.errors[0].path.as_str(), e.errors[0].code);
        assert_eq!(first, ("manifest.days[1]", "WRONG_TYPE"));
    }

    #[test]
    fn field_types_state_their_rule_once() {
        let b = |v: Value| serde_json::from_value::<Bounded<2, 5>>(v).map(|b| b.check());
        assert_eq!(b(json!(2)).unwrap(), Ok(2));
        assert_eq!(b(json!(5)).unwrap(), Ok(5));
        assert!(b(json!(6)).unwrap().is_err());
        assert!(b(json!(1)).unwrap().is_err());
        for bad in [json!(-1), json!(2.5), json!("3"), json!(null)] {
            let e = b(bad).unwrap_err().to_string();
            assert!(e.starts_with("invalid type"), "{e}");
        }
        let t = |s: &str| Text::<3>(s.into()).check();
        assert_eq!(t("  abc "), Ok("abc".into()));
        assert!(t("abcd").is_err() && t("   ").is_err());
        let l = |n: usize| List::<u8, 1, 2>(vec![0; n]).check().is_ok();
        assert_eq!((l(0), l(1), l(2), l(3)), (false, true, true, false));
        let n: Name<Mode> = serde_json::from_value(json!("BLITZ")).unwrap();
        assert_eq!(n.resolve(), Ok(Mode::Blitz));
        let n: Name<Mode> = serde_json::from_value(json!("blitz")).unwrap();
        assert!(n.resolve().unwrap_err().starts_with("unknown variant"));
        assert!(serde_json::from_value::<Name<Mode>>(json!(1)).is_err());
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
        // A STATIC manifest without days and without startTime: both are missing.
        let paths: Vec<String> = parse_manifest(&json!({}), "manifest")
            .unwrap_err()
            .errors
            .into_iter()
            .map(|e| e.path)
            .collect();
        assert_eq!(paths, ["manifest.days", "manifest.startTime"]);
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
        // `days: []` is accepted (the prototype lobby sends it); listed days are refused.
        parse_manifest(
            &json!({"kind":"DYNAMIC","startTime":"2026-12-01T09:00:00Z","days":[]}),
            "m",
        )
        .unwrap();
        let e = parse_manifest(
            &json!({"kind":"DYNAMIC","startTime":"2026-12-01T09:00:00Z","days":[{"voteType":"MAJORITY"}]}),
            "m",
        )
        .unwrap_err();
        assert_eq!(e.errors[0].path, "m.days");
    }
}
