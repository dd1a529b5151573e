//! The hand-written definitions: the manifest (validated by the walker of `engine::manifest`),
//! until it is a typed wire struct like the roster. Every other schema is derived (`docs.rs`).
//!
//! Bounds and enum lists come from the engine's own constants, so most drift is impossible;
//! `tests/schemas.rs` checks the rest against the engine: manifests it accepts and refuses at each
//! bound.

use super::def_ref;
use crate::engine::dilemmas::DilemmaType;
use crate::engine::games::GameType;
use crate::engine::manifest::{
    VoteType, MAX_DAYS, MAX_DM_CHARS, MAX_DM_COST, MAX_DM_SLOTS, MAX_PLAYERS, MAX_POOL,
    MAX_TIMELINE_EVENTS,
};
use crate::engine::prompts::{PromptType, MAX_OPTION_CHARS};
use crate::engine::state::MAX_MESSAGE_CHARS;
use crate::engine::timeline::Action;
use serde_json::{json, Map, Value};

/// Largest `initialGoldPool` and `moleThreshold` (`engine::manifest::parse_manifest`).
const MAX_GOLD: u64 = 1_000_000_000;

fn int(min: u64, max: u64) -> Value {
    json!({ "type": "integer", "minimum": min, "maximum": max })
}

fn strings(names: &[&str]) -> Value {
    json!({ "type": "string", "enum": names })
}

fn described(mut v: Value, d: &str) -> Value {
    v["description"] = json!(d);
    v
}

/// A closed object: `props` are all its keys, `required` the ones it must have.
fn object(props: Map<String, Value>, required: &[&str]) -> Value {
    json!({
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": false,
    })
}

fn props(pairs: Vec<(&str, Value)>) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// `["a", "b"]` as names, from an engine list.
fn names<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|x| name(*x)).collect()
}

fn time() -> Value {
    json!({ "type": "string", "format": "date-time", "description": "RFC 3339, e.g. 2026-12-01T09:00:00Z" })
}

/// A trimmed text of 1..=`max` characters.
fn text(max: usize) -> Value {
    json!({ "type": "string", "pattern": "\\S", "maxLength": max })
}

/// A reference to the manifest's schema (`Manifest`), for the derived types that hold one
/// (`InitBody`).
pub struct ManifestDef;

impl schemars::JsonSchema for ManifestDef {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ManifestRef".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "$ref": "#/$defs/Manifest" })
    }
}

/// Adds every hand-written definition.
pub fn insert(defs: &mut Map<String, Value>) {
    let mut add = |name: &str, v: Value| {
        assert!(
            defs.insert(name.to_string(), v).is_none(),
            "definition {name} is defined twice"
        );
    };
    for (name, v) in manifest_defs() {
        add(name, v);
    }
}

fn manifest_defs() -> Vec<(&'static str, Value)> {
    let votes: Vec<&str> = VoteType::ALL
        .iter()
        .filter(|v| v.is_supported())
        .map(|v| v.as_str())
        .collect();
    let mut games = vec!["NONE"];
    games.extend(
        GameType::ALL
            .iter()
            .filter(|g| g.is_supported())
            .map(|g| g.as_str()),
    );
    let prompts = names(&PromptType::ALL, PromptType::as_str);
    let dilemmas = names(&DilemmaType::ALL, DilemmaType::as_str);
    let none_and = |list: &[&'static str]| {
        let mut v = vec!["NONE"];
        v.extend_from_slice(list);
        v
    };
    let common = |extra: Vec<(&str, Value)>| {
        let mut p = props(vec![
            ("scheduling", def_ref("Scheduling")),
            (
                "startTime",
                described(time(), "When day 1 (or the BLITZ game) starts."),
            ),
            (
                "schedulePreset",
                described(
                    def_ref("Preset"),
                    "Timings of the generated timelines (default DEFAULT).",
                ),
            ),
            ("initialGoldPool", int(0, MAX_GOLD)),
            (
                "minPlayers",
                described(
                    int(2, MAX_PLAYERS as u64),
                    "Fewest players needed to start a DYNAMIC game (default 3).",
                ),
            ),
            (
                "moleThreshold",
                described(
                    int(0, MAX_GOLD),
                    "The MOLE completes when the final gold pool is below this (default 50).",
                ),
            ),
            (
                "roundSeconds",
                described(int(30, 3600), "BLITZ round length (default 180)."),
            ),
            (
                "destinies",
                described(
                    json!({ "type": "boolean" }),
                    "Whether secret destinies are dealt (default: true, BLITZ: false).",
                ),
            ),
        ]);
        for (k, v) in extra {
            p.insert(k.to_string(), v);
        }
        p
    };
    let static_manifest = object(
        common(vec![
            (
                "mode",
                described(
                    json!({ "const": "PECKING_ORDER" }),
                    "Default PECKING_ORDER.",
                ),
            ),
            (
                "kind",
                described(json!({ "const": "STATIC" }), "Default STATIC."),
            ),
            (
                "days",
                json!({ "type": "array", "items": def_ref("StaticDay"), "minItems": 1, "maxItems": MAX_DAYS }),
            ),
        ]),
        &["startTime", "days"],
    );
    let dynamic_manifest = object(
        common(vec![
            (
                "mode",
                described(
                    json!({ "const": "PECKING_ORDER" }),
                    "Default PECKING_ORDER.",
                ),
            ),
            ("kind", json!({ "const": "DYNAMIC" })),
            ("ruleset", def_ref("Ruleset")),
        ]),
        &["kind", "startTime"],
    );
    let blitz_manifest = object(
        common(vec![
            ("mode", json!({ "const": "BLITZ" })),
            (
                "kind",
                described(def_ref("Kind"), "Ignored: BLITZ generates its rounds."),
            ),
            (
                "destinies",
                described(json!({ "const": false }), "BLITZ has no destinies."),
            ),
        ]),
        &["mode", "startTime"],
    );
    let day = object(
        props(vec![
            ("dayIndex", int(1, MAX_DAYS as u64)),
            ("theme", json!({ "type": "string" })),
            (
                "voteType",
                described(strings(&votes), "The day's vote (required)."),
            ),
            ("gameType", strings(&games)),
            ("gameMode", strings(&["SOLO", "LIVE"])),
            ("activityType", strings(&none_and(&prompts))),
            ("dilemmaType", strings(&none_and(&dilemmas))),
            (
                "confessions",
                described(
                    json!({ "type": "boolean" }),
                    "Whether the evening confession phase may open (default false).",
                ),
            ),
            (
                "timeline",
                json!({
                    "type": "array", "items": def_ref("TimelineEvent"),
                    "minItems": 1, "maxItems": MAX_TIMELINE_EVENTS,
                    "description": "Explicit timeline; without it the preset's is generated.",
                }),
            ),
            ("dmCharsPerPlayer", int(0, MAX_DM_CHARS)),
            ("dmPartnersPerPlayer", int(0, MAX_PLAYERS as u64)),
            ("dmSlotsPerPlayer", int(1, MAX_DM_SLOTS)),
            ("dmCost", int(0, MAX_DM_COST)),
            ("requireDmInvite", json!({ "type": "boolean" })),
            ("disableNudgeThrottle", json!({ "type": "boolean" })),
        ]),
        &["voteType"],
    );
    let actions: Vec<&str> = names(&Action::MANIFEST_ACTIONS, Action::as_str);
    let mut event = object(
        props(vec![
            ("time", time()),
            ("action", strings(&actions)),
            (
                "payload",
                json!({ "description": "START_ACTIVITY: an ActivityPayload; other actions: not read." }),
            ),
        ]),
        &["time", "action"],
    );
    event["if"] = json!({ "properties": { "action": { "const": "START_ACTIVITY" } } });
    event["then"] = json!({ "properties": { "payload": def_ref("ActivityPayload") } });
    let activity_payload = object(
        props(vec![
            ("promptType", strings(&prompts)),
            ("promptText", text(MAX_MESSAGE_CHARS)),
            ("optionA", text(MAX_OPTION_CHARS)),
            ("optionB", text(MAX_OPTION_CHARS)),
            (
                "options",
                json!({ "type": "array", "items": text(MAX_OPTION_CHARS), "minItems": 2, "maxItems": 4 }),
            ),
        ]),
        &[],
    );
    let scaling = |max: u64| {
        object(
            props(vec![
                (
                    "mode",
                    strings(&["FIXED", "PER_ACTIVE_PLAYER", "DIMINISHING"]),
                ),
                ("base", int(0, max)),
                (
                    "floor",
                    described(int(0, max), "DIMINISHING only; default floor(0.3 × base)."),
                ),
            ]),
            &["mode", "base"],
        )
    };
    let social = object(
        props(vec![
            ("dmChars", scaling(MAX_DM_CHARS)),
            ("dmPartners", scaling(MAX_PLAYERS as u64)),
            ("dmCost", int(0, MAX_DM_COST)),
            ("requireDmInvite", json!({ "type": "boolean" })),
            ("dmSlotsPerPlayer", int(1, MAX_DM_SLOTS)),
            ("disableNudgeThrottle", json!({ "type": "boolean" })),
            ("groupDmEnabled", json!({ "type": "boolean" })),
        ]),
        &[],
    );
    let pool = |item: &[&'static str]| {
        let list = json!({ "type": "array", "items": strings(item), "maxItems": MAX_POOL });
        let repeat = json!({ "type": "boolean", "description": "Rotation only: never the same type two days running (default true)." });
        json!({
            "description": "Without mode: rotate through allowed. SEQUENCE: day N takes sequence[N-1] (the last once past the end). POOL: rotate through pool. NONE: none.",
            "oneOf": [
                object(props(vec![("allowed", list.clone()), ("avoidRepeat", repeat.clone())]), &["allowed"]),
                object(props(vec![("mode", json!({ "const": "SEQUENCE" })), ("sequence", list.clone()), ("avoidRepeat", repeat.clone())]), &["mode", "sequence"]),
                object(props(vec![("mode", json!({ "const": "POOL" })), ("pool", list), ("avoidRepeat", repeat.clone())]), &["mode", "pool"]),
                object(props(vec![("mode", json!({ "const": "NONE" })), ("avoidRepeat", repeat)]), &["mode"]),
            ],
        })
    };
    let game_list = json!({ "type": "array", "items": strings(&games) });
    let game_rules = object(
        props(vec![
            ("mode", strings(&["SEQUENCE", "POOL", "NONE"])),
            ("sequence", game_list.clone()),
            ("pool", game_list.clone()),
            (
                "allowed",
                described(game_list, "Rotated through; wins over mode."),
            ),
            ("avoidRepeat", json!({ "type": "boolean" })),
        ]),
        &[],
    );
    let ruleset = object(
        props(vec![
            ("kind", json!({ "const": "PECKING_ORDER" })),
            (
                "voting",
                object(
                    props(vec![(
                        "allowed",
                        json!({ "type": "array", "items": strings(&votes), "description": "Vote types rotated through (default [MAJORITY])." }),
                    )]),
                    &[],
                ),
            ),
            ("social", social),
            (
                "dayCount",
                object(
                    props(vec![
                        ("mode", strings(&["FIXED", "ACTIVE_PLAYERS_MINUS_ONE"])),
                        ("fixedCount", int(1, MAX_DAYS as u64)),
                        ("maxDays", int(1, MAX_DAYS as u64)),
                    ]),
                    &[],
                ),
            ),
            ("activities", pool(&prompts)),
            ("dilemmas", pool(&dilemmas)),
            (
                "confessions",
                object(props(vec![("enabled", json!({ "type": "boolean" }))]), &[]),
            ),
            (
                "inactivity",
                object(
                    props(vec![
                        ("enabled", json!({ "type": "boolean" })),
                        ("thresholdDays", int(1, MAX_DAYS as u64)),
                        ("action", strings(&["ELIMINATE", "NUDGE_THEN_ELIMINATE"])),
                    ]),
                    &[],
                ),
            ),
            ("games", game_rules),
        ]),
        &[],
    );
    vec![
        (
            "Manifest",
            json!({
                "description": "A STATIC manifest lists its days; a DYNAMIC one resolves each day from its ruleset; BLITZ generates rounds.",
                "oneOf": [def_ref("StaticManifest"), def_ref("DynamicManifest"), def_ref("BlitzManifest")],
            }),
        ),
        ("StaticManifest", static_manifest),
        ("DynamicManifest", dynamic_manifest),
        ("BlitzManifest", blitz_manifest),
        ("StaticDay", day),
        ("TimelineEvent", event),
        ("ActivityPayload", activity_payload),
        ("Ruleset", ruleset),
    ]
}
