//! `schemas/`: the committed JSON Schemas and TypeScript declarations are what the code generates,
//! and the schemas agree with the engine: manifests, rosters and `/init` bodies it accepts and
//! refuses (at every bound), client frames and admin bodies it decodes and refuses, and everything
//! it writes (projections of scripted games, server frames, journal rows, facts, the operator's
//! state and the admin route's answers).
//!
//! After a change to a public type, regenerate on purpose and commit the result:
//!
//! ```text
//! make schemas        # = cargo test --test it -- --ignored schemas::regenerate
//! ```

use crate::common;
use crate::schema_support;

use common::{static_manifest, H};
use pecking_order::engine::command::PerkType;
use pecking_order::engine::dilemmas::GambitAction;
use pecking_order::engine::games::{GameType, KingsAction, SplitAction};
use pecking_order::engine::manifest::FieldErrorCode;
use pecking_order::engine::manifest::{parse_manifest, VoteType, MAX_DAYS, MAX_DM_CHARS};
use pecking_order::engine::prompts::{PromptType, WyrChoice};
use pecking_order::engine::roster::parse_roster;
use pecking_order::engine::{Command, Fact, Phase, Rejection};
use pecking_order::journal::{Entry, EntryKind, Verdict};
use pecking_order::room::admin::{
    operator_state, AdminResponse, DevFailD1Response, JournaledResponse, NextTask, OperatorStatus,
    TaskListResponse, ADMIN_NAMESPACE, OPERATOR_NEXT_TASKS,
};
use pecking_order::room::protocol::{
    parse_client_message, ControlMessage, ProtocolError, ServerMessage,
};
use pecking_order::room::session::SessionError;
use pecking_order::room::{parse_admin_request, AdminError, AdminRequest, Room, RoomError};
use pecking_order::schema;
use pecking_order::sim::{self, SimConfig};
use schema_support::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const STALE: &str = "the committed schemas/ differ from what the code generates; run `make schemas` (cargo test --test it -- --ignored schemas::regenerate) and commit the result";

fn committed(file: &str) -> Option<String> {
    std::fs::read_to_string(root().join("schemas").join(file)).ok()
}

/// Every generated file: the schema documents and the declarations.
fn generated() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = documents()
        .iter()
        .map(|d| (d.file.clone(), d.text()))
        .collect();
    out.push(("pecking-order.d.ts".into(), schema::typescript()));
    out
}

/// Files under `schemas/` that the generator owns (everything but README.md).
fn owned_files() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let dir = root().join("schemas");
    for sub in ["", "client"] {
        let Ok(rd) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if e.path().is_file() && name != "README.md" {
                out.insert(if sub.is_empty() {
                    name
                } else {
                    format!("{sub}/{name}")
                });
            }
        }
    }
    out
}

#[test]
fn committed_schemas_are_what_the_code_generates() {
    let gen = generated();
    for (file, text) in &gen {
        match committed(file) {
            Some(c) => assert!(c == *text, "schemas/{file}: {STALE}"),
            None => panic!("schemas/{file} is missing: {STALE}"),
        }
    }
    let expected: BTreeSet<String> = gen.into_iter().map(|(f, _)| f).collect();
    let stray: Vec<_> = owned_files().difference(&expected).cloned().collect();
    assert!(
        stray.is_empty(),
        "files no longer generated: {stray:?}: {STALE}"
    );
}

/// Rewrites `schemas/` from the code. Run on purpose only (`make schemas`).
#[test]
#[ignore]
fn regenerate() {
    let dir = root().join("schemas");
    for f in owned_files() {
        std::fs::remove_file(dir.join(f)).unwrap();
    }
    for (file, text) in generated() {
        let path = dir.join(&file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

#[test]
fn every_document_is_a_valid_draft_2020_12_schema() {
    for d in documents() {
        if let Err(e) = jsonschema::meta::validate(&d.schema) {
            panic!("{}: {e}", d.file);
        }
        jsonschema::validator_for(&d.schema).unwrap_or_else(|e| panic!("{}: {e}", d.file));
    }
}

// ---------------------------------------------------------------------------------------------
// Error codes

fn enum_of(def: &str) -> Vec<String> {
    definitions()[def]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_schemas_list_every_error_code_of_every_enum() {
    let s = |v: Vec<&str>| v.into_iter().map(String::from).collect::<Vec<_>>();
    assert_eq!(enum_of("ProtocolErrorCode"), s(ProtocolError::all_codes()));
    assert_eq!(enum_of("RejectionCode"), s(Rejection::all_codes()));
    assert_eq!(enum_of("RoomErrorCode"), s(RoomError::all_codes()));
    assert_eq!(enum_of("AdminErrorCode"), s(AdminError::all_codes()));
    assert_eq!(
        enum_of("FieldErrorCode"),
        s(FieldErrorCode::ALL.iter().map(|c| c.as_str()).collect())
    );
    // Two variants share WRONG_STAGE; every other code is one variant's.
    assert_eq!(Rejection::CODES.len(), Rejection::all_codes().len() + 1);
    // An ERROR frame's code is one of them.
    for code in ["INVALID_FIELDS", "WRONG_PHASE", "DIVERGED"] {
        assert_valid("ErrorCode", &json!(code));
    }
    assert!(!valid("ErrorCode", &json!("NO_SUCH_CODE")));
}

#[test]
fn every_room_error_has_a_listed_code() {
    // An exhaustive match: a new variant fails to compile here until it is given an example.
    let examples = [
        RoomError::MalformedJson(String::new()),
        RoomError::TooLarge(1),
        RoomError::InvalidBody(String::new()),
        RoomError::InvalidManifest(pecking_order::engine::ManifestError { errors: vec![] }),
        RoomError::Rejected(Rejection::GameOver),
        RoomError::Snapshot(pecking_order::snapshot::SnapshotError::Decode(String::new())),
        RoomError::Chain {
            seq: 1,
            why: String::new(),
        },
        RoomError::Diverged {
            seq: 1,
            why: String::new(),
        },
    ];
    for e in &examples {
        match e {
            RoomError::MalformedJson(_)
            | RoomError::TooLarge(_)
            | RoomError::InvalidBody(_)
            | RoomError::InvalidManifest(_)
            | RoomError::Rejected(_)
            | RoomError::Snapshot(_)
            | RoomError::Chain { .. }
            | RoomError::Diverged { .. } => {}
        }
        assert_valid("ErrorCode", &json!(e.code()));
    }
}

// ---------------------------------------------------------------------------------------------
// Manifest, roster, /init body: the schema accepts what the engine accepts, at every bound

const START: &str = "2026-12-01T09:00:00Z";

fn static_base() -> Value {
    json!({
        "mode": "PECKING_ORDER", "kind": "STATIC", "scheduling": "PRE_SCHEDULED",
        "startTime": START, "schedulePreset": "SMOKE_TEST", "initialGoldPool": 100,
        "minPlayers": 3, "destinies": true, "moleThreshold": 50,
        "days": [
            { "dayIndex": 1, "theme": "Trust", "voteType": "MAJORITY", "gameType": "TRIVIA",
              "activityType": "PLAYER_PICK", "dilemmaType": "SILVER_GAMBIT", "confessions": true,
              "dmCharsPerPlayer": 600, "dmPartnersPerPlayer": 2, "dmSlotsPerPlayer": 3, "dmCost": 2,
              "requireDmInvite": true, "disableNudgeThrottle": false, "gameMode": "SOLO" },
            { "voteType": "FINALS", "activityType": "HOT_TAKE", "timeline": [
                { "time": "2026-12-01T09:06:00Z", "action": "OPEN_GROUP_CHAT" },
                { "time": "2026-12-01T09:07:00Z", "action": "START_ACTIVITY",
                  "payload": { "promptText": "Pineapple on pizza?", "options": ["Yes", "No", "Only on Fridays"] } },
                { "time": "2026-12-01T09:08:00Z", "action": "END_ACTIVITY" },
                { "time": "2026-12-01T09:09:00Z", "action": "OPEN_VOTING" },
                { "time": "2026-12-01T09:11:00Z", "action": "END_DAY" }
            ] }
        ]
    })
}

fn dynamic_base() -> Value {
    json!({
        "kind": "DYNAMIC", "startTime": START, "minPlayers": 4,
        "ruleset": {
            "kind": "PECKING_ORDER",
            "voting": { "allowed": ["MAJORITY", "BUBBLE", "SHIELD", "FINALS"] },
            "social": {
                "dmChars": { "mode": "DIMINISHING", "base": 1200, "floor": 300 },
                "dmPartners": { "mode": "FIXED", "base": 3 },
                "dmCost": 1, "requireDmInvite": false, "dmSlotsPerPlayer": 5,
                "disableNudgeThrottle": false, "groupDmEnabled": true
            },
            "dayCount": { "mode": "FIXED", "fixedCount": 5, "maxDays": 7 },
            "activities": { "allowed": ["PLAYER_PICK", "WOULD_YOU_RATHER"], "avoidRepeat": true },
            "dilemmas": { "mode": "SEQUENCE", "sequence": ["SPOTLIGHT", "GIFT_OR_GRIEF"] },
            "confessions": { "enabled": true },
            "inactivity": { "enabled": true, "thresholdDays": 2, "action": "NUDGE_THEN_ELIMINATE" },
            "games": { "allowed": ["TRIVIA", "BET_BET_BET", "NONE"], "avoidRepeat": false }
        }
    })
}

fn blitz_base() -> Value {
    json!({ "mode": "BLITZ", "startTime": START, "roundSeconds": 60, "destinies": false })
}

/// Sets (`Some`) or removes (`None`) the value at a path like `days[0].timeline[1].payload`.
fn with(base: &Value, path: &str, value: Option<Value>) -> Value {
    let mut v = base.clone();
    let mut segs: Vec<String> = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        while let Some(i) = rest.find('[') {
            if i > 0 {
                segs.push(rest[..i].to_string());
            }
            let j = rest.find(']').unwrap();
            segs.push(rest[i + 1..j].to_string());
            rest = &rest[j + 1..];
        }
        if !rest.is_empty() {
            segs.push(rest.to_string());
        }
    }
    let (last, parents) = segs.split_last().unwrap();
    let mut slot = &mut v;
    for s in parents {
        slot = match slot {
            Value::Array(a) => &mut a[s.parse::<usize>().unwrap()],
            other => other.get_mut(s.as_str()).unwrap(),
        };
    }
    match (slot, value) {
        (Value::Array(a), Some(x)) => a[last.parse::<usize>().unwrap()] = x,
        (Value::Array(a), None) => {
            a.remove(last.parse::<usize>().unwrap());
        }
        (Value::Object(o), Some(x)) => {
            o.insert(last.clone(), x);
        }
        (Value::Object(o), None) => {
            o.remove(last);
        }
        (other, _) => panic!("cannot set {path} in {other}"),
    }
    v
}

fn engine_accepts_manifest(v: &Value) -> bool {
    parse_manifest(v, "manifest").is_ok()
}

/// `(path, value)` with whether the engine accepts the result; the schema must agree.
fn check_manifest_cases(base: &Value, cases: &[(&str, Option<Value>, bool)]) {
    assert!(engine_accepts_manifest(base), "{base}");
    assert_valid("Manifest", base);
    for (path, value, ok) in cases {
        let m = with(base, path, value.clone());
        let engine = parse_manifest(&m, "manifest");
        assert_eq!(
            engine.is_ok(),
            *ok,
            "engine on {path} = {value:?}: {engine:?}"
        );
        if let Err(e) = &engine {
            for f in &e.errors {
                assert!(
                    enum_of("FieldErrorCode").contains(&f.code.to_string()),
                    "unlisted field code {}",
                    f.code
                );
            }
        }
        assert_eq!(
            valid("Manifest", &m),
            *ok,
            "schema on {path} = {value:?} (engine says {ok}): {:?}",
            errors("Manifest", &m)
        );
    }
}

/// An array of `n` nulls with `set` at their places: a struct's fields in declaration order.
fn fields_in_order(n: usize, set: &[(usize, Value)]) -> Value {
    let mut a = vec![Value::Null; n];
    for (i, v) in set {
        a[*i] = v.clone();
    }
    Value::Array(a)
}

fn many<T: serde::Serialize>(n: usize, x: T) -> Value {
    Value::Array((0..n).map(|_| json!(x)).collect())
}

#[test]
fn static_manifests_agree_with_the_engine() {
    let b = static_base();
    let day = b["days"][0].clone();
    let mut cases: Vec<(&str, Option<Value>, bool)> = vec![
        ("mode", None, true),
        ("kind", None, true),
        ("scheduling", Some(json!("ADMIN")), true),
        ("scheduling", Some(json!("LATER")), false),
        ("mode", Some(json!("CHESS")), false),
        ("mode", Some(json!("BLITZ")), false),
        ("kind", Some(json!("DYNAMIC")), false),
        ("startTime", None, false),
        ("startTime", Some(json!("tomorrow")), false),
        ("startTime", Some(json!(17)), false),
        ("startTime", Some(json!("2026-12-01T10:00:00+01:00")), true),
        ("schedulePreset", Some(json!("FAST")), false),
        ("roundSeconds", Some(json!(29)), false),
        ("roundSeconds", Some(json!(30)), true),
        ("roundSeconds", Some(json!(3600)), true),
        ("roundSeconds", Some(json!(3601)), false),
        ("roundSeconds", Some(json!("fast")), false),
        ("initialGoldPool", Some(json!(-1)), false),
        ("initialGoldPool", Some(json!(0)), true),
        ("initialGoldPool", Some(json!(1_000_000_000)), true),
        ("initialGoldPool", Some(json!(1_000_000_001)), false),
        ("initialGoldPool", Some(json!(1.5)), false),
        ("minPlayers", Some(json!(1)), false),
        ("minPlayers", Some(json!(2)), true),
        ("minPlayers", Some(json!(20)), true),
        ("minPlayers", Some(json!(21)), false),
        ("moleThreshold", Some(json!(1_000_000_001)), false),
        ("destinies", Some(json!(false)), true),
        ("destinies", Some(json!("yes")), false),
        ("colour", Some(json!("red")), false),
        ("ruleset", Some(json!({})), false),
        ("days", None, false),
        ("days", Some(json!([])), false),
        ("days", Some(json!({})), false),
        (
            "days",
            Some(many(MAX_DAYS, json!({"voteType": "MAJORITY"}))),
            true,
        ),
        (
            "days",
            Some(many(MAX_DAYS + 1, json!({"voteType": "MAJORITY"}))),
            false,
        ),
        ("days[0].voteType", None, false),
        ("days[0].voteType", Some(json!("COIN_FLIP")), false),
        ("days[0].gameType", Some(json!("NONE")), true),
        ("days[0].gameType", Some(json!("CHESS")), false),
        ("days[0].activityType", Some(json!("NONE")), true),
        ("days[0].activityType", Some(json!("QUIZ")), false),
        ("days[0].dilemmaType", Some(json!("NONE")), true),
        ("days[0].dilemmaType", Some(json!("QUIZ")), false),
        ("days[0].dmCharsPerPlayer", Some(json!(MAX_DM_CHARS)), true),
        (
            "days[0].dmCharsPerPlayer",
            Some(json!(MAX_DM_CHARS + 1)),
            false,
        ),
        ("days[0].dmPartnersPerPlayer", Some(json!(20)), true),
        ("days[0].dmPartnersPerPlayer", Some(json!(21)), false),
        ("days[0].dmSlotsPerPlayer", Some(json!(0)), false),
        ("days[0].dmSlotsPerPlayer", Some(json!(20)), true),
        ("days[0].dmSlotsPerPlayer", Some(json!(21)), false),
        ("days[0].dmCost", Some(json!(1000)), true),
        ("days[0].dmCost", Some(json!(1001)), false),
        ("days[0].requireDmInvite", Some(json!("no")), false),
        ("days[0].confessions", Some(json!(1)), false),
        ("days[0].gameMode", Some(json!("LIVE")), true),
        ("days[0].gameMode", Some(json!("DUO")), false),
        ("days[0].dayIndex", Some(json!(0)), false),
        ("days[0].dayIndex", Some(json!(MAX_DAYS)), true),
        ("days[0].dayIndex", Some(json!(MAX_DAYS + 1)), false),
        ("days[0].theme", Some(json!(3)), false),
        ("days[0].mood", Some(json!("tense")), false),
        ("days[0]", Some(json!("MAJORITY")), false),
        // An object is never read from the array of its fields (serde's derive would).
        (
            "days[0]",
            Some(fields_in_order(15, &[(2, json!("MAJORITY"))])),
            false,
        ),
        // Absent and null are the same.
        ("mode", Some(Value::Null), true),
        ("ruleset", Some(Value::Null), true),
        ("days[0].gameType", Some(Value::Null), true),
        ("days[1].timeline[1].payload", Some(Value::Null), true),
        ("days", Some(Value::Null), false),
        ("days[1].timeline", Some(json!([])), false),
        (
            "days[1].timeline",
            Some(many(65, json!({"time": START, "action": "END_DAY"}))),
            false,
        ),
        (
            "days[1].timeline",
            Some(many(64, json!({"time": START, "action": "END_DAY"}))),
            true,
        ),
        (
            "days[1].timeline[0].action",
            Some(json!("START_DAY")),
            false,
        ),
        ("days[1].timeline[0].action", Some(json!("DANCE")), false),
        ("days[1].timeline[0].time", None, false),
        ("days[1].timeline[0].time", Some(json!("soon")), false),
        ("days[1].timeline[0].note", Some(json!("x")), false),
        (
            "days[1].timeline[0].payload",
            Some(json!({"anything": 1})),
            true,
        ),
        (
            "days[1].timeline[1].payload.promptType",
            Some(json!("HOT_TAKE")),
            true,
        ),
        (
            "days[1].timeline[1].payload.promptType",
            Some(json!("RIDDLE")),
            false,
        ),
        (
            "days[1].timeline[1].payload.colour",
            Some(json!("red")),
            false,
        ),
        (
            "days[1].timeline[1].payload.options",
            Some(json!(["a", "b", "c", "d", "e"])),
            false,
        ),
        (
            "days[1].timeline[1].payload.options",
            Some(json!(["a"])),
            false,
        ),
        (
            "days[1].timeline[1].payload.options",
            Some(json!(["a", 2])),
            false,
        ),
        (
            "days[1].timeline[1].payload.options",
            Some(json!(["a", "   "])),
            false,
        ),
        (
            "days[1].timeline[1].payload.options",
            Some(json!(["a", "x".repeat(81)])),
            false,
        ),
        (
            "days[1].timeline[1].payload.promptText",
            Some(json!("x".repeat(281))),
            false,
        ),
        (
            "days[1].timeline[1].payload.promptText",
            Some(json!(7)),
            false,
        ),
    ];
    // Every supported vote type, game type, prompt, dilemma and preset is accepted.
    let votes: Vec<Value> = VoteType::ALL
        .iter()
        .filter(|v| v.is_supported())
        .map(|v| json!(v.as_str()))
        .collect();
    let games: Vec<Value> = GameType::ALL.iter().map(|g| json!(g.as_str())).collect();
    let mut extra: Vec<(&str, Option<Value>, bool)> = Vec::new();
    for v in votes {
        extra.push(("days[0].voteType", Some(v), true));
    }
    for (g, t) in games.into_iter().zip(GameType::ALL) {
        // A game this engine does not run is UNSUPPORTED, and not in the schema either.
        extra.push(("days[0].gameType", Some(g), t.is_supported()));
    }
    for p in PromptType::ALL {
        extra.push(("days[0].activityType", Some(json!(p.as_str())), true));
    }
    for d in pecking_order::engine::dilemmas::DilemmaType::ALL {
        extra.push(("days[0].dilemmaType", Some(json!(d.as_str())), true));
    }
    for p in pecking_order::engine::timeline::Preset::NAMES {
        extra.push(("schedulePreset", Some(json!(p)), true));
    }
    cases.extend(extra);
    let _ = day;
    check_manifest_cases(&b, &cases);
}

#[test]
fn dynamic_and_blitz_manifests_agree_with_the_engine() {
    let d = dynamic_base();
    check_manifest_cases(
        &d,
        &[
            ("ruleset", None, true),
            ("ruleset", Some(Value::Null), true),
            ("days", Some(Value::Null), true),
            ("ruleset", Some(json!("x")), false),
            ("days", Some(json!([{"voteType": "MAJORITY"}])), false),
            ("mode", Some(json!("PECKING_ORDER")), true),
            ("ruleset.kind", Some(json!("BLITZ")), false),
            ("ruleset.colour", Some(json!(1)), false),
            ("ruleset.voting.allowed", Some(json!(["COIN"])), false),
            ("ruleset.voting.allowed", Some(json!([])), true),
            ("ruleset.voting.allowed", Some(json!("MAJORITY")), false),
            ("ruleset.voting.extra", Some(json!(1)), false),
            (
                "ruleset.social.dmChars",
                Some(json!({"mode": "FIXED"})),
                false,
            ),
            (
                "ruleset.social.dmChars",
                Some(json!({"mode": "X", "base": 1})),
                false,
            ),
            (
                "ruleset.social.dmChars",
                Some(json!({"mode": "FIXED", "base": MAX_DM_CHARS + 1})),
                false,
            ),
            (
                "ruleset.social.dmChars",
                Some(json!({"mode": "PER_ACTIVE_PLAYER", "base": 300})),
                true,
            ),
            (
                "ruleset.social.dmPartners",
                Some(json!({"mode": "FIXED", "base": 21})),
                false,
            ),
            ("ruleset.social.dmPartners.floor", Some(json!(1)), true),
            ("ruleset.social.dmPartners.cap", Some(json!(1)), false),
            ("ruleset.social.dmSlotsPerPlayer", Some(json!(0)), false),
            ("ruleset.social.groupDmEnabled", Some(json!("on")), false),
            (
                "ruleset.dayCount.mode",
                Some(json!("ACTIVE_PLAYERS_MINUS_ONE")),
                true,
            ),
            ("ruleset.dayCount.mode", Some(json!("FOREVER")), false),
            ("ruleset.dayCount.maxDays", Some(json!(0)), false),
            ("ruleset.dayCount.maxDays", Some(json!(30)), true),
            ("ruleset.dayCount.maxDays", Some(json!(31)), false),
            ("ruleset.dayCount.fixedCount", Some(json!(31)), false),
            (
                "ruleset.activities",
                Some(json!({"mode": "SEQUENCE"})),
                false,
            ),
            ("ruleset.activities", Some(json!({"mode": "NONE"})), true),
            (
                "ruleset.activities",
                Some(json!({"mode": "NONE", "allowed": ["PLAYER_PICK"]})),
                false,
            ),
            (
                "ruleset.activities",
                Some(json!({"mode": "POOL", "pool": ["PLAYER_PICK"]})),
                true,
            ),
            (
                "ruleset.activities",
                Some(json!({"mode": "POOL", "pool": ["PLAYER_PICK"], "allowed": ["HOT_TAKE"]})),
                false,
            ),
            (
                "ruleset.activities",
                Some(json!({"mode": "RANDOM", "pool": []})),
                false,
            ),
            (
                "ruleset.activities",
                Some(json!({"allowed": ["RIDDLE"]})),
                false,
            ),
            (
                "ruleset.activities",
                Some(json!({"allowed": many(31, "HOT_TAKE")})),
                false,
            ),
            (
                "ruleset.activities",
                Some(json!({"allowed": many(30, "HOT_TAKE")})),
                true,
            ),
            ("ruleset.activities", Some(json!({})), false),
            (
                "ruleset.dilemmas",
                Some(json!({"mode": "SEQUENCE", "sequence": ["SPOTLIGHT"], "avoidRepeat": "x"})),
                false,
            ),
            ("ruleset.confessions", Some(json!({"enabled": "y"})), false),
            (
                "ruleset.confessions",
                Some(json!({"enabled": false, "x": 1})),
                false,
            ),
            (
                "ruleset.inactivity.socketInactivityHours",
                Some(json!(1)),
                false,
            ),
            ("ruleset.inactivity.nudgeDays", Some(json!(1)), false),
            ("ruleset.inactivity.thresholdDays", Some(json!(0)), false),
            ("ruleset.inactivity.action", Some(json!("ELIMINATE")), true),
            ("ruleset.inactivity.action", Some(json!("WARN")), false),
            (
                "ruleset.games",
                Some(json!({"mode": "SEQUENCE", "sequence": ["TRIVIA", "THE_SPLIT"]})),
                true,
            ),
            (
                "ruleset.games",
                Some(json!({"mode": "POOL", "pool": ["GAP_RUN"]})),
                true,
            ),
            ("ruleset.games", Some(json!({"mode": "DAILY"})), false),
            ("ruleset.games", Some(json!({"allowed": ["CHESS"]})), false),
            ("ruleset.games.extra", Some(json!(1)), false),
        ],
    );
    let b = blitz_base();
    check_manifest_cases(
        &b,
        &[
            ("destinies", Some(json!(true)), false),
            ("destinies", None, true),
            ("destinies", Some(Value::Null), true),
            ("ruleset", Some(Value::Null), true),
            ("kind", Some(json!("DYNAMIC")), true),
            ("kind", Some(json!("SOMETIMES")), false),
            ("days", Some(json!([{"voteType": "MAJORITY"}])), false),
            ("ruleset", Some(json!({})), false),
            ("roundSeconds", Some(json!(29)), false),
        ],
    );
}

fn players(n: usize) -> Value {
    common::roster(n)
}

#[test]
fn rosters_agree_with_the_engine() {
    let base = players(6);
    let cases: Vec<(&str, Option<Value>, bool)> = vec![
        ("[0].id", Some(json!("SYSTEM")), false),
        ("[0].id", Some(json!("ALARM")), false),
        ("[0].id", Some(json!("a b")), false),
        ("[0].id", Some(json!("x".repeat(32))), true),
        ("[0].id", Some(json!("x".repeat(33))), false),
        ("[0].id", Some(json!("")), false),
        ("[0].id", Some(json!(7)), false),
        ("[0].id", None, false),
        ("[0].personaName", Some(json!("")), false),
        ("[0].personaName", Some(json!("   ")), false),
        ("[0].personaName", Some(json!("é".repeat(40))), true),
        ("[0].personaName", Some(json!("x".repeat(41))), false),
        ("[0].personaName", None, false),
        ("[0].silver", Some(json!(-1)), false),
        ("[0].silver", Some(json!(1_000_000_000)), true),
        ("[0].silver", Some(json!(1_000_000_001)), false),
        ("[0].gold", Some(json!("x")), false),
        ("[0].isAlive", Some(json!("yes")), false),
        ("[0].isSpectator", Some(json!(false)), true),
        (
            "[0].avatarUrl",
            Some(json!("https://example.invalid/a.png")),
            true,
        ),
        ("[0].realUserId", Some(json!(5)), false),
        ("[0].bio", Some(json!("hi")), true),
        ("[0].destinyId", Some(json!("MOLE")), true),
        ("[0].hat", Some(json!("red")), false),
        ("[0]", Some(json!("p1")), false),
        // A player is never read from the array of its fields (serde's derive would).
        (
            "[0]",
            Some(fields_in_order(11, &[(0, json!("p9")), (2, json!("Ni"))])),
            false,
        ),
    ];
    let accepts = |v: &Value| parse_roster(v, "roster", 0).is_ok();
    assert!(accepts(&base));
    assert_valid("Roster", &base);
    let mut all = cases;
    // `playerId` instead of `id`.
    let mut alt = base.clone();
    alt[0] = json!({ "playerId": "p1", "personaName": "A" });
    let check = |v: &Value, ok: bool, what: &str| {
        assert_eq!(accepts(v), ok, "engine: {what}");
        assert_eq!(
            valid("Roster", v),
            ok,
            "schema: {what}: {:?}",
            errors("Roster", v)
        );
    };
    check(&alt, true, "playerId");
    check(
        &json!({"p1": {"personaName": "A"}, "p2": {"personaName": "B", "silver": 3}}),
        true,
        "keyed",
    );
    check(
        &json!({"p1": {"personaName": "A"}, "SYSTEM": {"personaName": "B"}}),
        false,
        "keyed reserved",
    );
    check(
        &json!({"p1": {"personaName": "A", "x": 1}}),
        false,
        "keyed unknown field",
    );
    check(&players(20), true, "20 players");
    check(&players(21), false, "21 players");
    check(&json!("p1,p2"), false, "a string");
    for (path, value, ok) in all.drain(..) {
        check(
            &with(&base, path, value.clone()),
            ok,
            &format!("{path} = {value:?}"),
        );
    }
    // What a schema cannot check: ids are unique (the engine reports DUPLICATE).
    let dup = json!([{"id": "p1", "personaName": "A"}, {"id": "p1", "personaName": "B"}]);
    assert!(!accepts(&dup));
    assert!(valid("Roster", &dup));
}

fn init_accepted(body: &Value) -> bool {
    Room::create("g", body.to_string().as_bytes(), 0, [1; 32]).is_ok()
}

#[test]
fn init_bodies_agree_with_the_engine() {
    let cases = [
        (
            json!({"manifest": static_base(), "roster": players(6)}),
            true,
        ),
        (
            json!({"manifest": static_base(), "roster": players(2), "inviteCode": "X7"}),
            true,
        ),
        // A STATIC game may start short too (the prototype lobby's configurable cycle: players
        // join in pregame).
        (
            json!({"manifest": static_base(), "roster": players(1)}),
            true,
        ),
        (json!({"manifest": static_base()}), true),
        (
            json!({"manifest": static_base(), "roster": {"p1": {"personaName": "A"}}}),
            true,
        ),
        (
            json!({"manifest": static_base(), "roster": {"p1": {"personaName": "A"}, "p2": {"personaName": "B"}}}),
            true,
        ),
        (json!({"manifest": dynamic_base()}), true),
        (json!({"manifest": dynamic_base(), "roster": []}), true),
        (
            json!({"manifest": dynamic_base(), "roster": players(1)}),
            true,
        ),
        (
            json!({"manifest": blitz_base(), "roster": players(1)}),
            false,
        ),
        (
            json!({"manifest": blitz_base(), "roster": players(4)}),
            true,
        ),
        (
            json!({"manifest": blitz_base(), "roster": players(4), "lobby": 1}),
            false,
        ),
        (json!({"roster": players(4)}), false),
        (json!([]), false),
    ];
    for (body, ok) in cases {
        assert_eq!(init_accepted(&body), ok, "engine: {body}");
        assert_eq!(
            valid("InitBody", &body),
            ok,
            "schema: {body}: {:?}",
            errors("InitBody", &body)
        );
    }
    // Every RoomError of a bad /init body is a listed code, each field error too.
    let Err(e) = Room::create(
        "g",
        br#"{"manifest":{"days":7},"roster":"x","y":1}"#,
        0,
        [1; 32],
    ) else {
        panic!("accepted")
    };
    assert_valid("ErrorCode", &json!(e.code()));
    assert_valid("HttpError", &e.to_json());
}

// ---------------------------------------------------------------------------------------------
// Client messages: one schema per type; the schema and the decoder agree

/// A minimal instance of `schema` (first branch of a union, required fields only).
fn sample(schema: &Value) -> Value {
    let defs = definitions();
    let o = match schema {
        Value::Object(o) => o,
        _ => return json!("x"),
    };
    if let Some(Value::String(r)) = o.get("$ref") {
        return sample(&defs[r.trim_start_matches("#/$defs/")]);
    }
    if let Some(c) = o.get("const") {
        return c.clone();
    }
    if let Some(Value::Array(e)) = o.get("enum") {
        return e[0].clone();
    }
    for k in ["oneOf", "anyOf"] {
        if let Some(Value::Array(b)) = o.get(k) {
            if !o.contains_key("properties") {
                return sample(&b[0]);
            }
            // An object whose branches say which fields it needs: the first branch's.
            let mut one = Value::Object(o.clone());
            one.as_object_mut().unwrap().remove(k);
            let mut req = one["required"].as_array().cloned().unwrap_or_default();
            req.extend(b[0]["required"].as_array().cloned().unwrap_or_default());
            one["required"] = Value::Array(req);
            return sample(&one);
        }
    }
    let t = match o.get("type") {
        Some(Value::Array(ts)) => ts.iter().find(|t| *t != "null").cloned().unwrap(),
        Some(t) => t.clone(),
        None => return json!("x"),
    };
    match t.as_str().unwrap() {
        "string" if o.get("pattern").and_then(Value::as_str) == Some("^[0-9a-fA-F]{64}$") => {
            json!("ab".repeat(32))
        }
        "string" if o.get("format").and_then(Value::as_str) == Some("date-time") => json!(START),
        "string" => json!("p2"),
        "integer" | "number" => json!(o.get("minimum").and_then(Value::as_i64).unwrap_or(1).max(1)),
        "boolean" => json!(true),
        "array" => {
            let n = o.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
            Value::Array((0..n).map(|_| sample(&o["items"])).collect())
        }
        "object" => {
            let mut out = serde_json::Map::new();
            if let (Some(Value::Array(req)), Some(Value::Object(props))) =
                (o.get("required"), o.get("properties"))
            {
                for r in req {
                    let k = r.as_str().unwrap();
                    out.insert(k.to_string(), sample(&props[k]));
                }
            }
            Value::Object(out)
        }
        _ => Value::Null,
    }
}

/// The field names a schema definition lists as required.
fn required_fields(def: &Value) -> Vec<&str> {
    def["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect()
}

fn client_docs() -> Vec<&'static schema::Document> {
    documents()
        .iter()
        .filter(|d| d.file.starts_with("client/"))
        .collect()
}

#[test]
fn every_client_message_type_has_its_schema_and_the_decoder_agrees() {
    let docs = client_docs();
    assert!(
        docs.len() >= 40,
        "only {} client message schemas",
        docs.len()
    );
    for d in docs {
        let def = &definitions()[&d.root];
        let typ = def["properties"]["type"]["const"].as_str().unwrap();
        assert_eq!(d.file, format!("client/{typ}.schema.json"));
        // The minimal message, with and without a ref.
        let mut m = sample(def);
        if typ.starts_with("SYSTEM.") {
            // A control message (SYSTEM.RESYNC): answered by the host, never journaled.
            for msg in [m.clone(), with(&m, "ref", Some(json!("r-1")))] {
                assert_valid(&d.root, &msg);
                assert_valid("ClientMessage", &msg);
                let parsed = ControlMessage::parse(msg.to_string().as_bytes());
                assert!(parsed.is_some(), "{typ}: the decoder refuses {msg}");
                assert_eq!(
                    parsed.map(|p| serde_json::to_value(p).unwrap()["type"].clone()),
                    Some(json!(typ))
                );
            }
            m["colour"] = json!("red");
            assert!(!valid(&d.root, &m), "{typ}: schema takes an unknown field");
            assert!(ControlMessage::parse(m.to_string().as_bytes()).is_none());
            continue;
        }
        if typ.starts_with(pecking_order::room::protocol::SIGNAL_NAMESPACE) {
            // A typing signal: the host's own decoder (never a command).
            for msg in [m.clone(), with(&m, "ref", Some(json!("r-1")))] {
                assert_valid(&d.root, &msg);
                assert_valid("ClientMessage", &msg);
                let parsed =
                    pecking_order::room::protocol::parse_signal(msg.to_string().as_bytes());
                assert!(matches!(parsed, Some(Ok(_))), "{typ}: {parsed:?}");
            }
            m["colour"] = json!("red");
            assert!(!valid(&d.root, &m), "{typ}: schema takes an unknown field");
            let parsed = pecking_order::room::protocol::parse_signal(m.to_string().as_bytes());
            assert!(matches!(parsed, Some(Err(_))), "{typ}: {parsed:?}");
            continue;
        }
        for msg in [m.clone(), with(&m, "ref", Some(json!("r-1")))] {
            assert_valid(&d.root, &msg);
            assert_valid("ClientMessage", &msg);
            let parsed = parse_client_message(msg.to_string().as_bytes())
                .unwrap_or_else(|e| panic!("{typ}: the decoder refuses {msg}: {e:?}"));
            assert_eq!(parsed.command.to_type_and_payload().0, typ);
        }
        // An unknown field: refused by both, and the decoder names it.
        m["colour"] = json!("red");
        assert!(!valid(&d.root, &m), "{typ}: schema takes an unknown field");
        let (_, e) = parse_client_message(m.to_string().as_bytes()).unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            ("INVALID_FIELDS", Some("colour")),
            "{typ}"
        );
        m.as_object_mut().unwrap().remove("colour");
        // Each field: missing (when required) and of the wrong type.
        let props = def["properties"].as_object().unwrap();
        let required = required_fields(def);
        for (k, _) in props.iter().filter(|(k, _)| *k != "type" && *k != "ref") {
            if required.contains(&k.as_str()) {
                let missing = with(&m, k, None);
                assert!(
                    !valid(&d.root, &missing),
                    "{typ}: schema takes a message without {k}"
                );
                let (_, e) = parse_client_message(missing.to_string().as_bytes()).unwrap_err();
                assert_eq!(
                    (e.code(), e.path()),
                    ("INVALID_FIELDS", Some(k.as_str())),
                    "{typ} without {k}"
                );
            }
            let wrong = with(&m, k, Some(json!({ "nested": [true] })));
            assert!(
                !valid(&d.root, &wrong),
                "{typ}: schema takes an object as {k}"
            );
            let (_, e) = parse_client_message(wrong.to_string().as_bytes()).unwrap_err();
            assert_eq!(e.code(), "INVALID_FIELDS", "{typ}.{k}");
            assert!(
                e.path().is_some_and(|p| p.starts_with(k.as_str())),
                "{typ}.{k}: path {:?}",
                e.path()
            );
        }
    }
}

#[test]
fn every_input_type_is_in_the_schemas_and_only_client_types_are_client_messages() {
    let command_types: BTreeSet<String> = definitions()["Command"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let name = r["$ref"].as_str().unwrap().trim_start_matches("#/$defs/");
            definitions()[name]["properties"]["type"]["const"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    // Every client message but the control messages (SYSTEM.RESYNC) is an input.
    let client: BTreeSet<String> = client_docs()
        .iter()
        .map(|d| d.schema["title"].as_str().unwrap().to_string())
        .filter(|t| !t.starts_with("SYSTEM."))
        .collect();
    for t in &command_types {
        let name = schema::docs::pascal(t);
        let m = sample(&definitions()[&name]);
        assert_valid("Command", &m);
        // Decodes as an input (SYSTEM.INIT's sample manifest is not a real one: skip decoding it).
        if t != "SYSTEM.INIT" {
            if let Err(e) = serde_json::from_value::<Command>(m.clone()) {
                panic!("{m} does not decode: {e}");
            }
        }
        let by_client = parse_client_message(m.to_string().as_bytes());
        if client.contains(t) {
            assert!(by_client.is_ok(), "{t}: {by_client:?}");
        } else {
            assert_eq!(by_client.unwrap_err().1.code(), "FORBIDDEN_TYPE", "{t}");
            assert!(!valid("ClientMessage", &m), "{t} is not a client message");
        }
    }
    // Every client message is a command, except the typing signals (relayed, never journaled).
    let signals: BTreeSet<String> = ["PRESENCE.TYPING", "PRESENCE.STOP_TYPING"]
        .into_iter()
        .map(String::from)
        .collect();
    assert!(client
        .difference(&signals)
        .all(|t| command_types.contains(t)));
    assert!(signals.is_subset(&client));
}

// ---------------------------------------------------------------------------------------------
// What the engine writes: projections, server frames, journal rows, facts

/// Validates every view of `room` (public and each player's) as a Projection and a SYSTEM.SYNC.
fn check_views(room: &Room) {
    let ids: Vec<String> = room
        .state()
        .map(|s| s.players.iter().map(|p| p.id.clone()).collect())
        .unwrap_or_default();
    let mut viewers: Vec<Option<&str>> = vec![None];
    viewers.extend(ids.iter().map(|i| Some(i.as_str())));
    for v in viewers {
        let p = room.projection(v);
        let e = errors("Projection", &p);
        assert!(
            e.is_empty(),
            "projection for {v:?} at seq {}: {e:?}\n{p}",
            room.seq()
        );
        let sync = serde_json::to_value(ServerMessage::Sync { v: 1, state: p }).unwrap();
        assert_valid("ServerMessage", &sync);
    }
}

/// Validates each entry as a row, its input as a Command and its facts as Facts.
fn check_entries(entries: &[Entry]) {
    for e in entries {
        let row = serde_json::to_value(e).unwrap();
        assert_valid("JournalEntry", &row);
        let mut input: Value = serde_json::from_str(&e.payload).unwrap();
        input["type"] = json!(e.typ);
        assert_valid("Command", &input);
        let facts: Vec<Value> = serde_json::from_str(&e.facts).unwrap();
        for f in &facts {
            assert_valid("Fact", f);
        }
        if let Verdict::Rejected(code) = &e.verdict {
            assert_valid("RejectionCode", &json!(code));
        }
    }
}

/// Replays `entries` one by one, checking every view after each.
fn check_game(game_id: &str, entries: &[Entry]) {
    check_entries(entries);
    let seed = pecking_order::room::revealed_seed(entries);
    let mut room = Room::replay(game_id, &entries[..1], seed).unwrap();
    check_views(&room);
    for e in &entries[1..] {
        room.apply_recorded(e).unwrap();
        check_views(&room);
    }
}

#[test]
fn projections_of_scripted_games_match_the_projection_schema() {
    let cfg = SimConfig {
        game_id: "schema-sim".into(),
        players: 7,
        days: 4,
        actions_per_step: 3,
        script_seed: 11,
        ..SimConfig::default()
    };
    let (_, entries) = sim::play(&cfg);
    check_game(&cfg.game_id, &entries);
    let (_, entries) = sim::play_with_games(&SimConfig {
        script_seed: 12,
        days: 6,
        ..cfg.clone()
    });
    check_game(&cfg.game_id, &entries);
}

/// A DYNAMIC game played by the richest script (`sim::play_scripted`, as the golden games are).
#[test]
fn projections_of_a_scripted_dynamic_game_match_the_projection_schema() {
    let body = json!({
        "manifest": {
            "kind": "DYNAMIC", "startTime": START, "schedulePreset": "SMOKE_TEST", "minPlayers": 6,
            "ruleset": {
                "voting": {"allowed": ["BUBBLE", "TRUST_PAIRS", "EXECUTIONER", "DUELS", "SHIELD",
                                        "PODIUM_SACRIFICE", "MAJORITY", "SECOND_TO_LAST"]},
                "games": {"allowed": ["BET_BET_BET", "TRIVIA", "THE_SPLIT", "BLIND_AUCTION", "FLAPPY"]},
                "activities": {"allowed": ["PLAYER_PICK", "CONFESSION", "GUESS_WHO", "HOT_TAKE"]},
                "dilemmas": {"allowed": ["SILVER_GAMBIT", "SPOTLIGHT", "GIFT_OR_GRIEF"]},
                "confessions": {"enabled": true},
                "inactivity": {"enabled": true, "thresholdDays": 2, "action": "NUDGE_THEN_ELIMINATE"}
            }
        },
        "roster": common::roster(9),
    });
    assert_valid("InitBody", &body);
    let cfg = SimConfig {
        game_id: "schema-dynamic".into(),
        players: 9,
        days: 0,
        actions_per_step: 6,
        script_seed: 7,
        game_seed: [3; 32],
        rules_version: pecking_order::engine::RULES_VERSION,
    };
    let (room, entries) = sim::play_scripted(&cfg, body.to_string().as_bytes());
    assert!(matches!(
        room.state().unwrap().phase,
        Phase::GameSummary | Phase::GameOver
    ));
    check_game(&cfg.game_id, &entries);
}

fn xorshift(s: &mut u64) -> u64 {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    *s
}

/// A rich STATIC game (every vote, prompt, dilemma, several games, confessions) driven by
/// random inputs, valid and not, checking every view after every entry.
#[test]
fn projections_of_a_rich_random_game_match_the_projection_schema() {
    let days = vec![
        json!({"voteType": "MAJORITY", "activityType": "PLAYER_PICK", "dilemmaType": "SILVER_GAMBIT", "gameType": "BET_BET_BET", "confessions": true}),
        json!({"voteType": "EXECUTIONER", "activityType": "CONFESSION", "dilemmaType": "GIFT_OR_GRIEF", "gameType": "TRIVIA"}),
        json!({"voteType": "DUELS", "activityType": "GUESS_WHO", "dilemmaType": "SPOTLIGHT", "gameType": "THE_SPLIT", "confessions": true}),
        json!({"voteType": "TRUST_PAIRS", "activityType": "HOT_TAKE", "gameType": "KINGS_RANSOM"}),
        json!({"voteType": "BUBBLE", "activityType": "WOULD_YOU_RATHER", "gameType": "BLIND_AUCTION"}),
        json!({"voteType": "PODIUM_SACRIFICE", "activityType": "PREDICTION", "gameType": "GAP_RUN"}),
        json!({"voteType": "SHIELD"}),
        json!({"voteType": "SECOND_TO_LAST"}),
        json!({"voteType": "FINALS"}),
    ];
    let mut manifest = static_manifest(days);
    manifest["destinies"] = json!(true);
    manifest["scheduling"] = json!("PRE_SCHEDULED");
    let body = json!({ "manifest": manifest, "roster": common::roster(10) }).to_string();
    let (mut room, mut journal) =
        Room::create("g-rich", body.as_bytes(), common::T0, common::SEED).unwrap();
    let mut now = common::T0;
    let mut s = 0x5eed_u64;
    let pick = |s: &mut u64, n: usize| (xorshift(s) % n.max(1) as u64) as usize;
    check_views(&room);
    for _ in 0..2000 {
        let Some(due) = room
            .state()
            .and_then(|st| st.tasks.first())
            .map(|t| t.due_ms)
        else {
            break;
        };
        let st = room.state().unwrap();
        let ids: Vec<String> = st.players.iter().map(|p| p.id.clone()).collect();
        let day = st.day;
        let mechanism = st.ballot.as_ref().map(|b| b.mechanism);
        let channels: Vec<String> = st.social.channels.iter().map(|c| c.id.clone()).collect();
        let mut cmds = Vec::new();
        for _ in 0..pick(&mut s, 6) {
            let actor = ids[pick(&mut s, ids.len())].clone();
            let t = ids[pick(&mut s, ids.len())].clone();
            let ch = channels
                .get(pick(&mut s, channels.len() + 1))
                .cloned()
                .unwrap_or_else(|| "MAIN".into());
            let cmd = match pick(&mut s, 26) {
                0 => Command::SendMsg {
                    content: format!("hi {t}"),
                    channel_id: None,
                    recipient_ids: None,
                    target_id: None,
                    reply_to: None,
                    mentioned_ids: None,
                },
                1 => Command::SendMsg {
                    content: "psst".into(),
                    channel_id: None,
                    recipient_ids: Some(vec![t.clone()]),
                    target_id: None,
                    reply_to: None,
                    mentioned_ids: None,
                },
                2 => Command::SendMsg {
                    content: "in".into(),
                    channel_id: Some(ch),
                    recipient_ids: None,
                    target_id: None,
                    reply_to: None,
                    mentioned_ids: None,
                },
                3 => Command::Whisper {
                    target_id: t,
                    text: "secret".into(),
                },
                4 => Command::React {
                    message_id: pick(&mut s, 8) as u64,
                    channel_id: None,
                    emoji: "🔥".into(),
                },
                5 => Command::Nudge { target_id: t },
                6 => Command::UsePerk {
                    perk_type: PerkType::SpyDms,
                    target_id: Some(t),
                },
                7 => Command::SendSilver {
                    target_id: t,
                    amount: 1 + pick(&mut s, 5) as u64,
                },
                8 => Command::CreateChannel {
                    member_ids: vec![t, ids[pick(&mut s, ids.len())].clone()],
                },
                9 => Command::from(pecking_order::engine::destiny::detective::Command::Accuse {
                    target_id: t,
                }),
                10 => Command::from(
                    pecking_order::engine::prompts::player_pick::Command::Submit { target_id: t },
                ),
                11 => Command::from(
                    pecking_order::engine::prompts::would_you_rather::Command::Choose {
                        choice: WyrChoice::A,
                    },
                ),
                12 => Command::from(pecking_order::engine::prompts::hot_take::Command::Respond {
                    option_index: Some(pick(&mut s, 2) as u32),
                    stance: None,
                }),
                13 => Command::from(
                    pecking_order::engine::prompts::confession::Command::Submit {
                        text: format!("I lied {}", pick(&mut s, 9)),
                    },
                ),
                14 => Command::from(pecking_order::engine::prompts::confession::Command::Vote {
                    confession_index: pick(&mut s, 3) as u32,
                }),
                15 => Command::from(pecking_order::engine::prompts::guess_who::Command::Answer {
                    text: format!("cats {}", pick(&mut s, 9)),
                }),
                16 => Command::from(
                    pecking_order::engine::dilemmas::silver_gambit::Command::Submit {
                        action: GambitAction::Donate,
                    },
                ),
                17 => Command::from(
                    pecking_order::engine::dilemmas::gift_or_grief::Command::Submit {
                        target_id: t,
                    },
                ),
                18 => Command::from(
                    pecking_order::engine::dilemmas::spotlight::Command::Submit { target_id: t },
                ),
                19 => Command::ConfessionPost {
                    channel_id: format!("CONFESSION-d{day}"),
                    text: "me".into(),
                },
                20 => Command::from(pecking_order::engine::games::bet_bet_bet::Command::Submit {
                    amount: 1 + pick(&mut s, 5) as u64,
                }),
                21 => Command::from(pecking_order::engine::games::the_split::Command::Submit {
                    action: SplitAction::Steal,
                }),
                22 => Command::from(
                    pecking_order::engine::games::kings_ransom::Command::Submit {
                        action: KingsAction::Protect,
                    },
                ),
                23 => Command::from(
                    pecking_order::engine::games::blind_auction::Command::Submit {
                        slot: 1 + pick(&mut s, 3) as u32,
                        amount: 2,
                    },
                ),
                24 => match pick(&mut s, 4) {
                    0 => Command::from(pecking_order::engine::games::trivia::Command::Start {}),
                    1 => Command::from(pecking_order::engine::games::trivia::Command::Answer {
                        answer_index: pick(&mut s, 4) as u32,
                    }),
                    2 => Command::from(pecking_order::engine::games::arcade::Command::Start {
                        game_type: GameType::GapRun,
                    }),
                    _ => Command::from(pecking_order::engine::games::arcade::Command::Submit {}),
                },
                _ => match mechanism {
                    Some(VoteType::Executioner) => {
                        Command::from(pecking_order::engine::voting::executioner::Command::Elect {
                            target_id: t,
                        })
                    }
                    Some(VoteType::Duels) => {
                        Command::from(pecking_order::engine::voting::duels::Command::Cast {
                            target_id: t,
                        })
                    }
                    Some(VoteType::TrustPairs) => {
                        Command::from(pecking_order::engine::voting::trust_pairs::Command::Trust {
                            target_id: t,
                        })
                    }
                    Some(VoteType::Bubble) => {
                        Command::from(pecking_order::engine::voting::bubble::Command::Cast {
                            target_id: t,
                        })
                    }
                    Some(VoteType::PodiumSacrifice) => Command::from(
                        pecking_order::engine::voting::podium_sacrifice::Command::Cast {
                            target_id: t,
                        },
                    ),
                    Some(VoteType::Shield) => {
                        Command::from(pecking_order::engine::voting::shield::Command::Save {
                            target_id: t,
                        })
                    }
                    Some(VoteType::Finals) => {
                        Command::from(pecking_order::engine::voting::finals::Command::Cast {
                            target_id: t,
                        })
                    }
                    _ => Command::from(pecking_order::engine::voting::majority::Command::Cast {
                        target_id: t,
                    }),
                },
            };
            cmds.push((actor, cmd));
        }
        for (actor, cmd) in cmds {
            now = (now + 500).min(due - 1).max(now);
            let sub = room.submit(EntryKind::Action, &actor, &cmd, now).unwrap();
            journal.extend(sub.entries);
            check_views(&room);
        }
        now = now.max(due);
        journal.extend(room.fire_due(now, 1));
        check_views(&room);
    }
    assert_eq!(
        room.state().unwrap().phase,
        Phase::GameSummary,
        "the game ran to its end"
    );
    let h = H { room, journal, now };
    check_entries(&h.journal);
    let facts: BTreeSet<String> = h
        .journal
        .iter()
        .flat_map(|e| serde_json::from_str::<Vec<Fact>>(&e.facts).unwrap())
        .map(|f| {
            serde_json::to_value(f).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(
        facts.len() >= 25,
        "the game covered only {} fact types: {facts:?}",
        facts.len()
    );
}

#[test]
fn server_frames_match_the_server_message_schema() {
    let frames = [
        ServerMessage::for_verdict(
            Some("r1".into()),
            3,
            pecking_order::journal::Hash([7; 32]),
            &Verdict::Accepted,
        ),
        ServerMessage::for_verdict(
            None,
            4,
            pecking_order::journal::Hash([8; 32]),
            &Verdict::Rejected("WRONG_PHASE".into()),
        ),
    ];
    for f in frames {
        assert_valid("ServerMessage", &serde_json::to_value(&f).unwrap());
    }
    // Ticker frames, with lines from a real game.
    let journal: Vec<Entry> = include_str!("../fixtures/game-small.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let room = Room::replay("fixture-small", &journal, None).unwrap();
    let lines = room.ticker(&journal);
    assert!(lines.len() > 3, "the fixture narrates something");
    for f in [
        ServerMessage::TickerUpdate {
            lines: lines[..2].to_vec(),
        },
        ServerMessage::TickerHistory { lines },
        ServerMessage::Presence {
            online_players: vec!["p1".into(), "p3".into()],
        },
    ] {
        assert_valid("ServerMessage", &serde_json::to_value(&f).unwrap());
    }
    let wrong = json!({"type": "TICKER.UPDATE", "lines": [{"seq": 1, "atMs": 0, "day": 1,
        "category": "SOCIAL.SECRET", "text": "", "players": []}]});
    assert!(!valid("ServerMessage", &wrong), "an unknown category");
    for bad in [
        &b"{nope"[..],
        br#"[1]"#,
        br#"{"type":"SYSTEM.INIT"}"#,
        br#"{"type":"VOTE.COIN.FLIP"}"#,
        br#"{"type":"VOTE.MAJORITY.CAST","targetId":7,"ref":"a"}"#,
        br#"{"type":"VOTE.MAJORITY.CAST","ref":{}}"#,
    ] {
        let (r, e) = parse_client_message(bad).unwrap_err();
        let frame = serde_json::to_value(ServerMessage::protocol_error(r, &e)).unwrap();
        assert_valid("ServerMessage", &frame);
    }
    // Session errors, as the worker sends them.
    for e in [
        SessionError::RateLimited {
            per_s: 10.0,
            burst: 20.0,
        },
        SessionError::TokenExpired { exp: 1_800_000_000 },
        SessionError::StorageFailed,
        SessionError::NoSuchGame,
        SessionError::Internal("boom".into()),
    ] {
        let frame =
            json!({"type": "ERROR", "ref": null, "code": e.code(), "message": e.to_string()});
        assert_valid("ServerMessage", &frame);
    }
    let wrong = json!({"type": "ACK", "ref": "x"});
    assert!(!valid("ServerMessage", &wrong), "an ACK without seq");
    let wrong = json!({"type": "ERROR", "ref": null, "code": "OOPS", "message": ""});
    assert!(!valid("ServerMessage", &wrong), "an unknown code");
}

#[test]
fn journal_rows_of_both_layouts_match_the_journal_entry_schema() {
    for text in [
        include_str!("../fixtures/game-small.jsonl"),
        include_str!("../fixtures/game-v0.jsonl"),
    ] {
        let entries: Vec<Entry> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        check_entries(&entries);
        for line in text.lines() {
            assert_valid("JournalEntry", &serde_json::from_str(line).unwrap());
        }
    }
    let mut row: Value = serde_json::from_str(
        include_str!("../fixtures/game-small.jsonl")
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    row["v"] = json!(2);
    assert!(
        !valid("JournalEntry", &row),
        "a layout version this build cannot read"
    );
    row["v"] = json!(1);
    row["extra"] = json!(1);
    assert!(!valid("JournalEntry", &row));
}

// ---------------------------------------------------------------------------------------------
// The admin route and the operator's state

/// `(type, definition name)` of every branch of AdminRequest.
fn admin_request_defs() -> Vec<(String, String)> {
    definitions()["AdminRequest"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["$ref"].as_str().unwrap().trim_start_matches("#/$defs/"))
        .map(|name| {
            let typ = definitions()[name]["properties"]["type"]["const"]
                .as_str()
                .unwrap();
            (typ.to_string(), name.to_string())
        })
        .collect()
}

#[test]
fn admin_requests_are_every_admin_command_and_the_route_requests() {
    let listed: BTreeSet<String> = admin_request_defs().into_iter().map(|(t, _)| t).collect();
    let mut want: BTreeSet<String> = [
        "LIST_TASKS",
        "DEV_FAIL_D1",
        "CHECKPOINT",
        "SEND_PLAYER_EVENT",
    ]
    .map(String::from)
    .into();
    for r in definitions()["Command"]["oneOf"].as_array().unwrap() {
        let name = r["$ref"].as_str().unwrap().trim_start_matches("#/$defs/");
        let typ = definitions()[name]["properties"]["type"]["const"]
            .as_str()
            .unwrap();
        let cmd = serde_json::from_value::<Command>(sample(&definitions()[name]));
        let admin = cmd.is_ok_and(|c| c.required_kind() == EntryKind::Admin);
        assert_eq!(admin, typ.starts_with(ADMIN_NAMESPACE), "{typ}");
        if let Some(short) = typ.strip_prefix(ADMIN_NAMESPACE) {
            want.insert(short.to_string());
        }
    }
    assert_eq!(listed, want);
}

#[test]
fn every_admin_request_has_its_schema_and_the_decoder_agrees() {
    for (typ, name) in admin_request_defs() {
        let def = &definitions()[&name];
        let m = sample(def);
        assert_valid(&name, &m);
        assert_valid("AdminRequest", &m);
        let parsed = parse_admin_request(m.to_string().as_bytes())
            .unwrap_or_else(|e| panic!("{typ}: the decoder refuses {m}: {e}"));
        match (typ.as_str(), parsed) {
            ("LIST_TASKS", AdminRequest::ListTasks)
            | ("DEV_FAIL_D1", AdminRequest::DevFailD1 { .. })
            | ("CHECKPOINT", AdminRequest::Checkpoint) => {}
            ("SEND_PLAYER_EVENT", AdminRequest::PlayerEvent { .. }) => {}
            // The console's INJECT_PROMPT is a Game Master message (docs/protocol.md).
            (_, AdminRequest::Journal(c)) if name == "AdminInjectPromptRequest" => {
                assert_eq!(c.to_type_and_payload().0, "ADMIN.SEND_GAME_MASTER_MSG");
            }
            (_, AdminRequest::Journal(c)) => {
                assert_eq!(c.to_type_and_payload().0, format!("{ADMIN_NAMESPACE}{typ}"));
            }
            (_, other) => panic!("{typ} decodes as {other:?}"),
        }
        // The namespaced type is a Command, not an admin body.
        let namespaced = with(&m, "type", Some(json!(format!("{ADMIN_NAMESPACE}{typ}"))));
        assert!(!valid("AdminRequest", &namespaced), "{typ}");
        assert_eq!(
            parse_admin_request(namespaced.to_string().as_bytes())
                .unwrap_err()
                .code(),
            "UNKNOWN_TYPE"
        );
        let refused = |body: &Value| {
            let e = parse_admin_request(body.to_string().as_bytes()).unwrap_err();
            assert_valid("AdminErrorCode", &json!(e.code()));
            assert_valid("HttpError", &e.to_json());
            let f = e.field_error().map(|f| (f.path, f.code));
            (e.code(), f)
        };
        let colour = with(&m, "colour", Some(json!("red")));
        assert!(
            !valid(&name, &colour),
            "{typ}: schema takes an unknown field"
        );
        assert_eq!(
            refused(&colour),
            (
                "INVALID_FIELDS",
                Some(("colour".to_string(), "UNKNOWN_FIELD"))
            )
        );
        let props = def["properties"].as_object().unwrap();
        let required = required_fields(def);
        for k in props.keys().filter(|k| *k != "type") {
            if required.contains(&k.as_str()) {
                let missing = with(&m, k, None);
                assert!(
                    !valid(&name, &missing),
                    "{typ}: schema takes it without {k}"
                );
                assert_eq!(
                    refused(&missing),
                    ("INVALID_FIELDS", Some((k.clone(), "MISSING"))),
                    "{typ} without {k}"
                );
            }
            let wrong = with(&m, k, Some(json!({ "nested": [true] })));
            assert!(
                !valid(&name, &wrong),
                "{typ}: schema takes an object as {k}"
            );
            let (code, f) = refused(&wrong);
            assert_eq!(code, "INVALID_FIELDS", "{typ}.{k}");
            let (path, field_code) = f.unwrap_or_else(|| panic!("{typ}.{k}: no path"));
            assert!(path.starts_with(k.as_str()), "{typ}.{k}: path {path}");
            assert_valid("FieldErrorCode", &json!(field_code));
        }
    }
    // Bodies that are no request at all.
    for bad in [
        json!([1]),
        json!({}),
        json!({"type": 7}),
        json!({"type": "COIN_FLIP"}),
    ] {
        assert!(!valid("AdminRequest", &bad), "{bad}");
        let e = parse_admin_request(bad.to_string().as_bytes()).unwrap_err();
        assert_valid("HttpError", &e.to_json());
    }
    for body in [&b"{nope"[..], &vec![b' '; 64 * 1024 + 1]] {
        let e = parse_admin_request(body).unwrap_err();
        assert_valid("HttpError", &e.to_json());
        assert_valid("AdminErrorCode", &json!(e.code()));
    }
}

#[test]
fn admin_request_examples_match_the_schema() {
    for ok in [
        json!({"type": "NEXT_STAGE"}),
        json!({"type": "INJECT_TIMELINE_EVENT", "action": "OPEN_GROUP_CHAT"}),
        json!({"type": "ELIMINATE_PLAYER", "playerId": "p3", "reason": "left the show"}),
        json!({"type": "CREDIT_SILVER", "rewards": {"p1": 10, "p2": -5}}),
        json!({"type": "LIST_TASKS"}),
        json!({"type": "DEV_FAIL_D1", "on": true}),
    ] {
        assert_valid("AdminRequest", &ok);
        assert!(
            parse_admin_request(ok.to_string().as_bytes()).is_ok(),
            "{ok}"
        );
    }
    for bad in [
        json!({"type": "DEV_FAIL_D1"}),
        json!({"type": "DEV_FAIL_D1", "on": 1}),
        json!({"type": "LIST_TASKS", "all": true}),
        json!({"type": "INJECT_TIMELINE_EVENT", "action": "FLY"}),
        json!({"type": "CREDIT_SILVER", "rewards": {"p1": 1.5}}),
        json!({"type": "ELIMINATE_PLAYER"}),
    ] {
        assert!(!valid("AdminRequest", &bad), "{bad}");
        assert!(
            parse_admin_request(bad.to_string().as_bytes()).is_err(),
            "{bad}"
        );
    }
}

fn fixture_room() -> Room {
    let journal: Vec<Entry> = include_str!("../fixtures/game-small.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    Room::replay("fixture-small", &journal, None).unwrap()
}

/// The queue as the worker lists it: the room's pending tasks in firing order.
fn tasks(room: &Room, n: usize) -> Vec<NextTask> {
    let mut t = room.alarm_tasks();
    t.sort_by(|a, b| (a.due_ms, &a.task_id).cmp(&(b.due_ms, &b.task_id)));
    t.into_iter()
        .take(n)
        .map(|t| NextTask {
            task_id: t.task_id,
            due_ms: t.due_ms,
            action: t.payload,
        })
        .collect()
}

/// The operator status as a running room reports it (plausible persistence figures).
fn status(room: &Room, lag: u64) -> OperatorStatus {
    let kept = room.seq().min(128 + lag);
    OperatorStatus {
        lifecycle: room.lifecycle(),
        outbox_lag: lag,
        d1_confirmed_seq: room.seq() - lag,
        d1_failures: if lag > 0 { 2 } else { 0 },
        d1_retry_at: (lag > 0).then_some(1_796_115_660_000),
        next_tasks: tasks(room, OPERATOR_NEXT_TASKS),
        snapshot_seq: room.seq() / 64 * 64,
        d1_batches: room.seq().div_ceil(50),
        d1_batched_entries: room.seq() - lag,
        do_journal_rows: kept,
        do_journal_first_seq: (kept > 0).then(|| room.seq() + 1 - kept),
        do_storage_bytes: (lag % 2 == 0).then_some(40_960),
    }
}

#[test]
fn the_operator_state_matches_the_state_response_schema() {
    // Every point of a scripted game, and a game with alarm tasks pending.
    let cfg = SimConfig {
        game_id: "schema-operator".into(),
        players: 5,
        days: 3,
        actions_per_step: 2,
        script_seed: 5,
        ..SimConfig::default()
    };
    let (_, entries) = sim::play(&cfg);
    let seed = pecking_order::room::revealed_seed(&entries);
    let mut room = Room::replay(&cfg.game_id, &entries[..1], seed).unwrap();
    let mut checked = 0;
    for e in &entries[1..] {
        room.apply_recorded(e).unwrap();
        let body = operator_state(&room, &status(&room, room.seq() % 3));
        let errs = errors("StateResponse", &body);
        assert!(errs.is_empty(), "at seq {}: {errs:?}\n{body}", room.seq());
        checked += 1;
    }
    assert!(checked > 10);
    let room = fixture_room();
    let body = operator_state(&room, &status(&room, 0));
    assert_valid("StateResponse", &body);
    assert_eq!(body["journalHead"], json!(room.head().to_hex()));
    assert_eq!(body["you"], Value::Null);
    // A pre-scheduled game has its alarm queue to show: before day 1, and once it has begun.
    let init = json!({ "manifest": static_base(), "roster": players(4) });
    let (mut scheduled, _) =
        Room::create("schema-tasks", init.to_string().as_bytes(), 0, [3; 32]).unwrap();
    for _ in 0..2 {
        let body = operator_state(&scheduled, &status(&scheduled, 1));
        assert!(body["nextTasks"].as_array().is_some_and(|t| !t.is_empty()));
        assert_valid("StateResponse", &body);
        let due = scheduled
            .alarm_tasks()
            .iter()
            .map(|t| t.due_ms)
            .min()
            .unwrap();
        assert!(!scheduled.fire_due(due, 1).is_empty());
    }

    // What the worker must not leave out, nor add.
    assert!(
        !valid("StateResponse", &with(&body, "outboxLag", None)),
        "without outboxLag"
    );
    assert!(
        !valid("StateResponse", &with(&body, "journalHead", None)),
        "without journalHead"
    );
    assert!(
        !valid("StateResponse", &with(&body, "d1RetryAt", None)),
        "d1RetryAt is null, not absent"
    );
    assert!(!valid(
        "StateResponse",
        &with(&body, "d1RetryAt", Some(json!("soon")))
    ));
    assert!(!valid(
        "StateResponse",
        &with(&body, "outboxLag", Some(json!(-1)))
    ));
    assert!(!valid(
        "StateResponse",
        &with(&body, "cpuMs", Some(json!(3)))
    ));
    assert!(
        !valid("StateResponse", &with(&body, "you", Some(json!("p1")))),
        "a player's view"
    );
    let task = json!({"taskId": "t", "dueMs": 1, "action": "END_DAY"});
    let many = Value::Array(vec![task; OPERATOR_NEXT_TASKS + 1]);
    assert!(!valid(
        "StateResponse",
        &with(&body, "nextTasks", Some(many))
    ));
    // A player's view is a Projection, not the operator's.
    assert!(!valid("StateResponse", &room.projection(Some("p1"))));
}

#[test]
fn admin_responses_match_the_admin_response_schema() {
    let room = fixture_room();
    let queue = tasks(&room, usize::MAX);
    let answers = [
        AdminResponse::Journaled(JournaledResponse::new(7, &Verdict::Accepted)),
        AdminResponse::Journaled(JournaledResponse::new(
            8,
            &Verdict::Rejected("WRONG_PHASE".into()),
        )),
        AdminResponse::Tasks(TaskListResponse { tasks: queue }),
        AdminResponse::Tasks(TaskListResponse { tasks: vec![] }),
        AdminResponse::DevFailD1(DevFailD1Response { dev_fail_d1: true }),
    ];
    for a in &answers {
        let v = serde_json::to_value(a).unwrap();
        assert_valid("AdminResponse", &v);
        // The wire form reads back as the same answer.
        assert_eq!(&serde_json::from_value::<AdminResponse>(v).unwrap(), a);
    }
    let j = serde_json::to_value(&answers[1]).unwrap();
    assert_eq!(
        j,
        json!({"seq": 8, "verdict": "REJECTED:WRONG_PHASE", "accepted": false})
    );
    for bad in [
        json!({"seq": 1, "verdict": "ACCEPTED"}),
        json!({"seq": 1, "verdict": "MAYBE", "accepted": true}),
        json!({"tasks": [{"taskId": "t", "dueMs": 1, "action": "FLY"}]}),
        json!({"devFailD1": "on"}),
        json!({"devFailD1": true, "tasks": []}),
    ] {
        assert!(!valid("AdminResponse", &bad), "{bad}");
    }
}

/// Every route refusal the worker can send is a valid HttpError, and the code list is closed.
#[test]
fn route_errors_match_the_http_error_schema() {
    use pecking_order::room::route::RouteError;
    for e in [
        RouteError::BadGameId("x".into()),
        RouteError::BadQuery("x".into()),
        RouteError::BadBody("x".into()),
        RouteError::Unauthorized("missing bearer token".into()),
        RouteError::DevFaultsOff,
        RouteError::NotFound("x".into()),
        RouteError::RoomNotFound,
        RouteError::MethodNotAllowed("x".into()),
        RouteError::RoomExists("g-1".into()),
        RouteError::UpgradeRequired,
        RouteError::Internal("x".into()),
        RouteError::StorageFailed("x".into()),
        RouteError::AuthNotConfigured,
        RouteError::D1Unavailable("x".into()),
        RouteError::PastHead { from: 9, head: 7 },
        RouteError::GameNotFinished,
        RouteError::D1Incomplete("x".into()),
        RouteError::RoomCleanedUp { seq: 7 },
        RouteError::CheckpointKeyMissing,
    ] {
        assert_valid("HttpError", &e.to_json());
        assert_valid("RouteErrorCode", &json!(e.code()));
    }
    assert_eq!(
        RouteError::all_codes().len(),
        19,
        "a new route error is listed above"
    );
    let made_up = json!({"error": {"code": "TEAPOT", "message": "short and stout"}});
    assert!(!valid("HttpError", &made_up), "a code no error type has");
    // A refused /init body and an engine refusal over HTTP are HttpErrors too.
    let e = Room::create("g", b"{}", 0, [1; 32]).unwrap_err();
    assert_valid("HttpError", &e.to_json());
    let rejected = RoomError::Rejected(Rejection::WrongPhase("DAY"));
    assert_valid("HttpError", &rejected.to_json());
}

/// The answer to `POST …/cleanup` is what its schema says.
#[test]
fn the_cleanup_answer_matches_its_schema() {
    use pecking_order::room::host::CleanupResponse;
    let answer = CleanupResponse {
        game_id: "g-1".into(),
        seq: 10_164,
        head: "ab".repeat(32),
        cleaned_at_ms: 1_796_115_600_000,
    };
    assert_valid("CleanupResponse", &serde_json::to_value(&answer).unwrap());
    assert!(!valid(
        "CleanupResponse",
        &json!({"gameId": "g-1", "seq": 3})
    ));
}
