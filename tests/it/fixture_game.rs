//! The committed fixture game, and the worked example of `docs/journal-format.md`.
//!
//! `tests/fixtures/game-small.jsonl` is one `Entry` per line (serde_json, the D1 row's columns) of
//! `sim::play` with 6 players and 3 days; `tests/fixtures/game-small.state-hash` is the blake3 hex of
//! the final `room.snapshot_bytes()`. The same two files are replayed natively (here) and in wasm
//! (`tests/wasm_fixture.rs`) and must reach the same hash: native and wasm replay agree byte for
//! byte.
//!
//! A failure of `fixture_replays_to_the_committed_state_hash` means this engine no longer folds a
//! recorded game to the same state: either the rules changed (then bump `ENGINE_VERSION`, since
//! recorded games would diverge) or the state layout changed. Only then regenerate, on purpose:
//!
//! ```text
//! cargo test --test it -- --ignored fixture_game::regenerate
//! ```
//!
//! which rewrites both fixture files and the generated example in `docs/journal-format.md`.

use pecking_order::journal::{self, Entry, Hash};
use pecking_order::room::Room;
use pecking_order::sim::{self, SimConfig};
use std::fmt::Write as _;
use std::path::PathBuf;

const JSONL: &str = include_str!("../fixtures/game-small.jsonl");
const STATE_HASH: &str = include_str!("../fixtures/game-small.state-hash");
const DOC: &str = include_str!("../../docs/journal-format.md");

const BEGIN: &str = "<!-- BEGIN GENERATED EXAMPLE -->";
const END: &str = "<!-- END GENERATED EXAMPLE -->";

fn fixture_config() -> SimConfig {
    SimConfig {
        game_id: "fixture-small".into(),
        players: 6,
        days: 3,
        actions_per_step: 2,
        script_seed: 2026,
        game_seed: *b"pecking-order fixture seed 0001!",
        rules_version: 1,
    }
}

fn parse_jsonl(text: &str) -> Vec<Entry> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("fixture line {}: {e}", i + 1))
        })
        .collect()
}

fn to_jsonl(entries: &[Entry]) -> String {
    let mut out = String::new();
    for e in entries {
        out.push_str(&serde_json::to_string(e).expect("an entry serializes"));
        out.push('\n');
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn state_hash(room: &Room) -> String {
    blake3::hash(&room.snapshot_bytes()).to_hex().to_string()
}

#[test]
fn fixture_replays_to_the_committed_state_hash() {
    let entries = parse_jsonl(JSONL);
    let game_id = entries[0].game_id.clone();
    assert_eq!(game_id, fixture_config().game_id);
    let head = journal::verify(&game_id, &entries).expect("the fixture's chain verifies");
    assert_eq!(
        entries.last().unwrap().typ,
        "SYSTEM.REVEAL_SEED",
        "the fixture is a finished game"
    );
    let room =
        Room::replay(&game_id, &entries, None).expect("the fixture replays with this engine");
    assert_eq!(room.head(), head);
    assert_eq!(room.seq(), entries.len() as u64);
    assert_eq!(
        state_hash(&room),
        STATE_HASH.trim(),
        "blake3 of the final snapshot bytes"
    );
}

#[test]
fn fixture_rows_round_trip_through_json_unchanged() {
    // The JSONL is the D1 row form: parsing and re-serializing gives the same text, line for line.
    assert_eq!(to_jsonl(&parse_jsonl(JSONL)), JSONL);
}

/// Writes the fixture files and the doc's generated example. Run on purpose only (see above).
#[test]
#[ignore]
fn regenerate() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (room, entries) = sim::play(&fixture_config());
    journal::verify(&fixture_config().game_id, &entries).unwrap();
    let dir = root.join("tests/fixtures");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("game-small.jsonl"), to_jsonl(&entries)).unwrap();
    std::fs::write(
        dir.join("game-small.state-hash"),
        format!("{}\n", state_hash(&room)),
    )
    .unwrap();

    let doc_path = root.join("docs/journal-format.md");
    let doc = std::fs::read_to_string(&doc_path).unwrap();
    let (before, rest) = doc.split_once(BEGIN).expect("the doc has the BEGIN marker");
    let (_, after) = rest.split_once(END).expect("the doc has the END marker");
    let new = format!(
        "{before}{BEGIN}\n{}{END}{after}",
        example_markdown(&entries)
    );
    std::fs::write(&doc_path, new).unwrap();
    println!(
        "{} entries, state hash {}",
        entries.len(),
        state_hash(&room)
    );
}

// ---- the documented byte form, implemented independently of src/journal ----

/// `u32` big-endian byte length, then the UTF-8 bytes.
fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&u32::try_from(s.len()).unwrap().to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// The fields of the canonical form, in order, each with its bytes: straight from the doc's table,
/// from the row's column values (as they appear in the JSONL / D1 row) only.
fn documented_fields(row: &serde_json::Value) -> Vec<(&'static str, Vec<u8>)> {
    let s = |k: &str| {
        row[k]
            .as_str()
            .unwrap_or_else(|| panic!("column {k} is text"))
            .to_string()
    };
    let n = |k: &str| {
        row[k]
            .as_i64()
            .unwrap_or_else(|| panic!("column {k} is an integer"))
    };
    let text = |k: &str| {
        let mut b = Vec::new();
        put_str(&mut b, &s(k));
        b
    };
    vec![
        ("domain tag", b"pecking-order/journal/v1\n".to_vec()),
        ("v", (n("v") as u32).to_be_bytes().to_vec()),
        ("game_id", text("game_id")),
        ("seq", (n("seq") as u64).to_be_bytes().to_vec()),
        ("at_ms", n("at_ms").to_be_bytes().to_vec()),
        ("day", (n("day") as u32).to_be_bytes().to_vec()),
        ("kind", text("kind")),
        ("actor", text("actor")),
        ("type", text("type")),
        ("payload", text("payload")),
        ("verdict", text("verdict")),
        ("facts", text("facts")),
        ("engine", text("engine")),
    ]
}

fn documented_genesis(game_id: &str) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(b"pecking-order/genesis\n");
    h.update(game_id.as_bytes());
    *h.finalize().as_bytes()
}

fn unhex(s: &str) -> Vec<u8> {
    assert_eq!(s.len() % 2, 0, "{s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn every_fixture_hash_recomputes_from_the_rows_alone() {
    // An independent program's view: only the JSON rows, the documented layout and blake3.
    let rows: Vec<serde_json::Value> = JSONL
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let game_id = rows[0]["game_id"].as_str().unwrap();
    let mut prev = documented_genesis(game_id).to_vec();
    for (row, entry) in rows.iter().zip(parse_jsonl(JSONL)) {
        let canonical: Vec<u8> = documented_fields(row)
            .into_iter()
            .flat_map(|(_, b)| b)
            .collect();
        assert_eq!(
            canonical,
            journal::canonical_bytes(&entry),
            "seq {}",
            entry.seq
        );
        assert_eq!(
            unhex(row["prev_hash"].as_str().unwrap()),
            prev,
            "seq {}: prev_hash",
            entry.seq
        );
        let mut h = blake3::Hasher::new();
        h.update(&prev);
        h.update(&canonical);
        let hash = h.finalize();
        assert_eq!(
            row["hash"].as_str().unwrap(),
            hash.to_hex().as_str(),
            "seq {}: hash",
            entry.seq
        );
        prev = hash.as_bytes().to_vec();
    }
    assert_eq!(
        Hash(documented_genesis(game_id)),
        journal::genesis_hash(game_id)
    );
}

/// The generated section of `docs/journal-format.md`: entries 1 and 2 of the fixture, field by field.
fn example_markdown(entries: &[Entry]) -> String {
    let mut md = String::new();
    let game_id = &entries[0].game_id;
    let genesis = documented_genesis(game_id);
    let _ = writeln!(md, "_Generated from `tests/fixtures/game-small.jsonl` by `tests/it/fixture_game.rs`; checked on every `cargo test`._\n");
    let _ = writeln!(md, "Genesis hash for game id `{game_id}`:\n");
    let _ = writeln!(
        md,
        "```text\nblake3(\"pecking-order/genesis\\n\" ‖ \"{game_id}\")"
    );
    let _ = writeln!(
        md,
        "input  {}",
        hex(&[b"pecking-order/genesis\n".as_slice(), game_id.as_bytes()].concat())
    );
    let _ = writeln!(md, "genesis {}\n```\n", hex(&genesis));
    for e in &entries[..2] {
        let row: serde_json::Value = serde_json::to_value(e).unwrap();
        let fields = documented_fields(&row);
        let canonical: Vec<u8> = fields.iter().flat_map(|(_, b)| b.clone()).collect();
        let _ = writeln!(md, "#### Entry {} (`{}`)\n", e.seq, e.typ);
        let _ = writeln!(
            md,
            "The row, as its JSONL line (D1 columns of the same names):\n"
        );
        let _ = writeln!(md, "```json\n{}\n```\n", serde_json::to_string(e).unwrap());
        let _ = writeln!(
            md,
            "Canonical bytes, field by field (hex; strings are `u32` length ‖ UTF-8):\n"
        );
        let _ = writeln!(md, "```text");
        for (name, bytes) in &fields {
            let is_string = !["domain tag", "v", "seq", "at_ms", "day"].contains(name);
            let body = if is_string {
                let len = u32::from_be_bytes(bytes[..4].try_into().unwrap());
                let _ = writeln!(md, "{name:<10} {}  # length {len}", hex(&bytes[..4]));
                &bytes[4..]
            } else {
                let _ = writeln!(md, "{name:<10} {}", hex(bytes));
                &bytes[..0]
            };
            for chunk in hex(body).as_bytes().chunks(64) {
                let _ = writeln!(md, "{:<10} {}", "", std::str::from_utf8(chunk).unwrap());
            }
        }
        let _ = writeln!(md, "```\n");
        let _ = writeln!(md, "{} canonical bytes in all. Then:\n", canonical.len());
        let _ = writeln!(md, "```text");
        let _ = writeln!(md, "prev_hash  {}", e.prev_hash.to_hex());
        let _ = writeln!(md, "hash       blake3(prev_hash bytes ‖ canonical bytes)");
        let _ = writeln!(md, "         = {}", e.hash.to_hex());
        let _ = writeln!(md, "```\n");
    }
    md
}

#[test]
fn the_documented_example_matches_the_fixture() {
    let entries = parse_jsonl(JSONL);
    let (_, rest) = DOC
        .split_once(BEGIN)
        .expect("docs/journal-format.md has the BEGIN marker");
    let (section, _) = rest
        .split_once(END)
        .expect("docs/journal-format.md has the END marker");
    let want = example_markdown(&entries);
    assert!(
        section.trim() == want.trim(),
        "docs/journal-format.md's example is stale; regenerate with `cargo test --test it -- --ignored fixture_game::regenerate`.\n--- doc ---\n{section}\n--- expected ---\n{want}"
    );
    // And the hex in the doc really is what the engine hashes: re-read the field lines of entry 1,
    // join them, compare with the engine's canonical bytes and recompute the hash.
    let entry1 = section.split("#### Entry 2").next().unwrap();
    let block = entry1
        .split("(hex; strings are `u32` length ‖ UTF-8):")
        .nth(1)
        .unwrap();
    let block = block
        .split("```text")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    // Each line: a 10-character label column, a space, hex digits, optionally `# comment`.
    let hex_text: String = block
        .lines()
        .filter(|l| l.len() > 11)
        .map(|l| l[11..].split('#').next().unwrap().trim())
        .collect();
    let bytes = unhex(&hex_text);
    assert_eq!(bytes, journal::canonical_bytes(&entries[0]));
    let mut h = blake3::Hasher::new();
    h.update(&entries[0].prev_hash.0);
    h.update(&bytes);
    assert_eq!(Hash(*h.finalize().as_bytes()), entries[0].hash);
    assert!(section.contains(&entries[0].hash.to_hex()));
}
