//! Entry layout versions (`docs/schema-evolution.md`): a journal written in the previous layout
//! (version 0: no `v` field, hashed without it) still verifies and replays to the same game.
//!
//! `tests/fixtures/game-v0.jsonl` is `tests/fixtures/game-small.jsonl` as a version-0 room would
//! have written it: the same entries without `v`, each hash recomputed over the version-0 bytes.
//! Its hashes were computed once and committed, so a change to the version-0 byte form shows here
//! as a broken chain. After `game-small.jsonl` is regenerated (a rules change), regenerate this
//! one too, on purpose:
//!
//! ```text
//! cargo test --test it -- --ignored schema_evolution::regenerate
//! ```

use pecking_order::engine::{Command, Engine};
use pecking_order::journal::{self, Entry, EntryKind, Hash, ENTRY_VERSION};
use pecking_order::room::Room;
use std::path::PathBuf;

const V1: &str = include_str!("../fixtures/game-small.jsonl");
const V0: &str = include_str!("../fixtures/game-v0.jsonl");

fn parse(text: &str) -> Vec<Entry> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a journal row"))
        .collect()
}

fn to_jsonl(entries: &[Entry]) -> String {
    entries
        .iter()
        .map(|e| serde_json::to_string(e).unwrap() + "\n")
        .collect()
}

/// The documented transformation: version 0 = the same fields without `v`, chained over the
/// version-0 canonical bytes from the same genesis.
fn to_v0(v1: &[Entry]) -> Vec<Entry> {
    let mut prev = journal::genesis_hash(&v1[0].game_id);
    v1.iter()
        .map(|e| {
            let e = Entry { v: 0, ..e.clone() }.seal(prev);
            prev = e.hash;
            e
        })
        .collect()
}

/// Engine state, without the chain position (heads differ between the two layouts by design).
fn engine_bytes(room: &Room) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::into_writer::<Engine, _>(room.engine(), &mut out).unwrap();
    out
}

#[test]
fn the_v0_fixture_has_no_version_field_and_round_trips() {
    for (i, line) in V0.lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v.get("v").is_none(), "line {} has a v field", i + 1);
    }
    let entries = parse(V0);
    assert!(entries.iter().all(|e| e.v == 0));
    // Read and written back byte for byte: the stored form is kept.
    assert_eq!(to_jsonl(&entries), V0);
}

#[test]
fn the_v0_chain_verifies_with_the_v0_byte_form_only() {
    let v0 = parse(V0);
    let v1 = parse(V1);
    let game = &v0[0].game_id;
    let head0 = journal::verify(game, &v0).expect("the version-0 chain verifies");
    let head1 = journal::verify(game, &v1).unwrap();
    assert_ne!(head0, head1, "each layout hashes its own bytes");
    // The committed hashes are the version-0 form's: read as version 1, not one verifies.
    for e in &v0 {
        let as_v1 = Entry {
            v: ENTRY_VERSION,
            ..e.clone()
        };
        assert_ne!(as_v1.compute_hash(), e.hash, "seq {}", e.seq);
    }
    // And they are exactly what the documented transformation gives.
    assert_eq!(to_v0(&v1), v0);
}

#[test]
fn the_v0_journal_replays_to_the_same_game_as_the_v1_journal() {
    let v0 = parse(V0);
    let v1 = parse(V1);
    let game = v0[0].game_id.clone();
    let r0 = Room::replay(&game, &v0, None).expect("the version-0 journal replays");
    let r1 = Room::replay(&game, &v1, None).unwrap();
    assert_eq!(r0.seq(), r1.seq());
    assert_eq!(engine_bytes(&r0), engine_bytes(&r1), "same engine state");
    assert_eq!(r0.head(), v0.last().unwrap().hash);
    for viewer in [None, Some("p1"), Some("p4")] {
        let mut a = r0.projection(viewer);
        let mut b = r1.projection(viewer);
        // Day heads are chain heads: they differ between layouts, and only they do.
        assert_ne!(a["dayHeads"], b["dayHeads"]);
        a["dayHeads"] = serde_json::Value::Null;
        b["dayHeads"] = serde_json::Value::Null;
        assert_eq!(a, b, "projection for {viewer:?}");
    }
    // The trusted fold (cold start) upcasts the same way.
    let f0 = Room::fold(&game, &v0, None).unwrap();
    assert_eq!(f0, r0);
}

#[test]
fn a_game_started_in_v0_continues_in_v1() {
    let v0 = parse(V0);
    let game = v0[0].game_id.clone();
    // A room restored from the first entries of the old journal writes its next entries at the
    // current version, chained to the old head.
    let prefix = &v0[..10];
    let mut room = Room::replay(&game, prefix, Some(*b"pecking-order fixture seed 0001!")).unwrap();
    let cmd = Command::NextStage {};
    let sub = room
        .submit(EntryKind::Admin, "ADMIN", &cmd, prefix[9].at_ms + 1)
        .unwrap();
    assert!(sub.entries.iter().all(|e| e.v == ENTRY_VERSION));
    let mixed: Vec<Entry> = prefix.iter().cloned().chain(sub.entries).collect();
    let head = journal::verify(&game, &mixed).expect("a mixed-version chain verifies");
    let again = Room::replay(&game, &mixed, Some(*b"pecking-order fixture seed 0001!")).unwrap();
    assert_eq!(again.head(), head);
    assert_eq!(again, room);
}

#[test]
fn an_unknown_version_is_refused_not_trusted() {
    let mut v1 = parse(V1);
    let game = v1[0].game_id.clone();
    let last = v1.len() - 1;
    let prev = v1[last].prev_hash;
    v1[last] = Entry {
        v: ENTRY_VERSION + 1,
        ..v1[last].clone()
    }
    .seal(prev);
    // Whatever its hash, this build cannot know the byte form of a future layout.
    assert!(journal::verify(&game, &v1).is_err());
    let err = Room::replay(&game, &v1, Some(*b"pecking-order fixture seed 0001!")).unwrap_err();
    assert_eq!(err.code(), "CHAIN_BROKEN");
    assert!(err.to_string().contains("layout version 2"), "{err}");
    assert!(journal::upcast(&v1[last]).is_err());
}

/// Rewrites `tests/fixtures/game-v0.jsonl` from `game-small.jsonl`. Run on purpose only.
#[test]
#[ignore]
fn regenerate() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let v0 = to_v0(&parse(V1));
    journal::verify(&v0[0].game_id, &v0).unwrap();
    std::fs::write(root.join("tests/fixtures/game-v0.jsonl"), to_jsonl(&v0)).unwrap();
    let _ = Hash::default();
}
