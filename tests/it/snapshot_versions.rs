//! Snapshot layout versions (docs/schema-evolution.md, "Snapshot versions"): version 2 is JSON
//! text; version-1 snapshots (CBOR) that deployed rooms still hold decode to the same engine and
//! continue byte for byte.
//!
//! `tests/fixtures/game-small.snapshot-v1.cbor` is the snapshot of `tests/fixtures/game-small.jsonl`
//! after its first 41 entries, written by the version-1 build's `Room::snapshot_bytes` (CBOR,
//! `ciborium::into_writer` of [`Snapshot`]), committed once: do not regenerate it with this build.

use pecking_order::journal::Entry;
use pecking_order::room::Room;
use pecking_order::sim::{self, SimConfig};
use pecking_order::snapshot::{Snapshot, SnapshotError, SNAPSHOT_VERSION, SNAPSHOT_VERSION_CBOR};

const JSONL: &str = include_str!("../fixtures/game-small.jsonl");
const V1_AT_41: &[u8] = include_bytes!("../fixtures/game-small.snapshot-v1.cbor");
const SEED: [u8; 32] = *b"pecking-order fixture seed 0001!";
/// blake3 of the version-1 snapshot of the whole fixture game: `game-small.state-hash` while the
/// snapshot was CBOR.
const V1_FINAL_HASH: &str = "654a51fa368d843a050e2a63461e0231adc0c5eda3d36b4506cad9bd330823d5";

fn entries() -> Vec<Entry> {
    JSONL
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The version-1 encoding: CBOR of the same document.
fn v1_bytes(room: &Room) -> Vec<u8> {
    let s = Snapshot {
        version: SNAPSHOT_VERSION_CBOR,
        ..room.snapshot()
    };
    let mut out = Vec::new();
    ciborium::into_writer(&s, &mut out).unwrap();
    out
}

#[test]
fn this_tests_v1_encoding_is_the_v1_builds() {
    let e = entries();
    let end = Room::replay(&e[0].game_id, &e, None).unwrap();
    assert_eq!(
        blake3::hash(&v1_bytes(&end)).to_hex().as_str(),
        V1_FINAL_HASH
    );
    let at_41 = Room::replay(&e[0].game_id, &e[..41], Some(SEED)).unwrap();
    assert_eq!(v1_bytes(&at_41), V1_AT_41);
}

#[test]
fn the_committed_v1_snapshot_decodes_to_the_engine_the_v2_path_gives() {
    let e = entries();
    let at_41 = Room::replay(&e[0].game_id, &e[..41], Some(SEED)).unwrap();
    let from_v1 = Snapshot::decode(V1_AT_41).unwrap();
    assert_eq!(from_v1.version, SNAPSHOT_VERSION);
    // (Compared decoded: the live state also holds what snapshots skip, e.g. vote trails.)
    assert_eq!(from_v1, Snapshot::decode(&at_41.snapshot_bytes()).unwrap());
    assert_eq!(from_v1.encode(), at_41.snapshot_bytes());
    // What the version-1 build's own decoder (serde straight from CBOR) read from it.
    let direct: Snapshot = ciborium::from_reader(V1_AT_41).unwrap();
    assert_eq!(direct.version, SNAPSHOT_VERSION_CBOR);
    assert_eq!(
        Snapshot {
            version: SNAPSHOT_VERSION,
            ..direct
        },
        from_v1
    );
    // Re-encoded, it is the version-2 snapshot of the same state.
    let room = Room::from_snapshot(V1_AT_41).unwrap();
    assert_eq!(room.snapshot_bytes(), at_41.snapshot_bytes());
    assert_eq!(room.snapshot_bytes()[0], b'{');
}

#[test]
fn a_room_opened_from_the_v1_snapshot_continues_byte_for_byte() {
    let e = entries();
    let all = Room::replay(&e[0].game_id, &e, None).unwrap();
    // Audit path (re-hashing) and the cold start's trusted fold.
    let mut audited = Room::from_snapshot(V1_AT_41).unwrap();
    let mut trusted = Room::from_snapshot(V1_AT_41).unwrap();
    for entry in &e[41..] {
        audited.apply_recorded(entry).unwrap();
        trusted.apply_trusted(entry).unwrap();
    }
    for room in [&audited, &trusted] {
        assert_eq!(room.snapshot_bytes(), all.snapshot_bytes());
        assert_eq!(room.head(), all.head());
    }
}

/// Every state of the golden games (every vote, game, activity, dilemma and destiny type, a
/// DYNAMIC manifest) and of a simulated game with daily games, written as version 1, decodes to
/// the same snapshot as version 2: the transcoding covers every type the state holds.
#[test]
fn every_state_of_a_game_reads_the_same_from_v1_and_v2() {
    let cfg = SimConfig {
        players: 10,
        days: 5,
        ..SimConfig::default()
    };
    let mut played = vec![(
        cfg.game_id.clone(),
        cfg.game_seed,
        sim::play_with_games(&cfg).1,
    )];
    for g in crate::golden::games() {
        played.push((g.name.to_string(), [11; 32], crate::golden::play(&g).1));
    }
    for (game_id, seed, e) in played {
        let mut room = Room::replay(&game_id, &e[..1], Some(seed)).unwrap();
        for k in 1..=e.len() {
            if k > 1 {
                room.apply_recorded(&e[k - 1]).unwrap();
            }
            let v2 = room.snapshot_bytes();
            let want = Snapshot::decode(&v2).unwrap();
            let from_v1 = Snapshot::decode(&v1_bytes(&room)).unwrap();
            assert_eq!(from_v1, want, "{game_id} at {k}");
            assert_eq!(from_v1.encode(), v2, "{game_id} at {k}");
        }
    }
}

#[test]
fn a_version_in_the_other_encoding_or_garbage_is_refused() {
    let e = entries();
    let room = Room::replay(&e[0].game_id, &e[..10], Some(SEED)).unwrap();
    // Version 2 written as CBOR, version 1 written as JSON: neither exists.
    let mut cbor = Vec::new();
    ciborium::into_writer(&room.snapshot(), &mut cbor).unwrap();
    assert!(matches!(
        Snapshot::decode(&cbor),
        Err(SnapshotError::Version(2))
    ));
    let json = serde_json::to_vec(&Snapshot {
        version: SNAPSHOT_VERSION_CBOR,
        ..room.snapshot()
    })
    .unwrap();
    assert!(matches!(
        Snapshot::decode(&json),
        Err(SnapshotError::Version(1))
    ));
    // Cut, damaged or foreign bytes are a decode error, never a panic.
    let v2 = room.snapshot_bytes();
    let bad: [&[u8]; 8] = [
        &v2[..v2.len() / 2],
        &V1_AT_41[..V1_AT_41.len() / 2],
        b"",
        b"{",
        b"\xa1\x61a\xfb\x3f\xf0\x00\x00\x00\x00\x00\x00",
        b"\xa1\x01\x02",
        b"\xc0\x61x",
        b"{\xff}",
    ];
    for bad in bad {
        assert!(
            matches!(Snapshot::decode(bad), Err(SnapshotError::Decode(_))),
            "{bad:?}"
        );
    }
    // Deeply nested CBOR stops at ciborium's recursion limit.
    let deep: Vec<u8> = std::iter::repeat_n(0x81u8, 100_000).chain([0x00]).collect();
    assert!(Snapshot::decode(&deep).is_err());
}

/// A string with every character JSON must escape survives the transcoding.
#[test]
fn escapes_in_v1_text_transcode_exactly() {
    let e = entries();
    let room = Room::replay(&e[0].game_id, &e[..41], Some(SEED)).unwrap();
    let mut s = room.snapshot();
    s.version = SNAPSHOT_VERSION_CBOR;
    s.engine_version = "a\"b\\c\n\u{1}\u{1f}\u{7f}é🐔/".into();
    let mut cbor = Vec::new();
    ciborium::into_writer(&s, &mut cbor).unwrap();
    let back = Snapshot::decode(&cbor).unwrap();
    assert_eq!(back.engine_version, s.engine_version);
}
