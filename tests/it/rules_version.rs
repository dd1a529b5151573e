//! Rules versions: a game keeps the rules it started with (docs/architecture.md, "Rules
//! versions"). SYSTEM.INIT records the version (absent = 1); the engine refuses a version it does
//! not play; a version-1 game journals and snapshots the same bytes as before versions existed.

use pecking_order::engine::{rng, Command, Engine, Input, Rejection, RULES_VERSION};
use pecking_order::journal::EntryKind;
use pecking_order::room::Room;
use pecking_order::sim;
use serde_json::Value;

const SEED: [u8; 32] = [7; 32];

fn init(rules_version: Option<u32>) -> Command {
    let body: Value = serde_json::from_slice(&sim::init_body(4, 2)).expect("sim body is JSON");
    Command::Init {
        manifest: body["manifest"].clone(),
        roster: body["roster"].clone(),
        seed_commitment: rng::commitment(&SEED),
        rules_version,
    }
}

fn apply(eng: &mut Engine, cmd: &Command) -> Result<(), Rejection> {
    eng.apply(&Input {
        seq: 1,
        at_ms: 1_000,
        kind: EntryKind::System,
        actor: "SYSTEM",
        command: cmd,
    })
    .map(|_| ())
}

#[test]
fn an_init_without_a_version_plays_version_1() {
    let mut eng = Engine::new("g-rules", Some(SEED));
    apply(&mut eng, &init(None)).expect("accepted");
    assert_eq!(eng.state.as_ref().map(|s| s.rules_version), Some(1));
    let mut explicit = Engine::new("g-rules", Some(SEED));
    apply(&mut explicit, &init(Some(1))).expect("accepted");
    // Version 1 is the absence of the field in the state too: the same state, the same bytes.
    assert_eq!(explicit, eng);
}

#[test]
fn a_version_this_engine_does_not_play_is_refused_and_changes_nothing() {
    for v in [0, RULES_VERSION + 1, u32::MAX] {
        let mut eng = Engine::new("g-rules", Some(SEED));
        let err = apply(&mut eng, &init(Some(v))).expect_err("refused");
        assert_eq!(err, Rejection::UnsupportedRules(v));
        assert_eq!(err.code(), "UNSUPPORTED_RULES");
        assert!(eng.state.is_none(), "nothing initialised for version {v}");
    }
}

#[test]
fn a_new_room_records_the_current_version_only_once_it_is_past_1() {
    let (room, entries) =
        Room::create("g-rules", &sim::init_body(4, 2), 1_000, SEED).expect("created");
    let payload: Value = serde_json::from_str(&entries[0].payload).expect("payload is JSON");
    let recorded = payload.get("rulesVersion").and_then(Value::as_u64);
    if RULES_VERSION == 1 {
        assert_eq!(recorded, None, "version 1 journals no field: {payload}");
    } else {
        assert_eq!(recorded, Some(u64::from(RULES_VERSION)));
    }
    assert_eq!(room.state().map(|s| s.rules_version), Some(RULES_VERSION));
}
