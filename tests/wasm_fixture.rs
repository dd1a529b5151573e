//! Tests that run in wasm32 (under node, via wasm-bindgen-test-runner): the engine must behave the
//! same there as natively. Run with `make test` (or the `test-wasm` target):
//!
//! ```text
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!     cargo test --target wasm32-unknown-unknown --test wasm_fixture
//! ```
//!
//! The fixture test replays the same committed journal as `tests/fixture_game.rs` and asserts the
//! same committed state hash: native and wasm replay agree byte for byte.
#![cfg(target_arch = "wasm32")]

use pecking_order::journal::{self, Entry};
use pecking_order::room::Room;
use wasm_bindgen_test::wasm_bindgen_test;

const JSONL: &str = include_str!("fixtures/game-small.jsonl");
const STATE_HASH: &str = include_str!("fixtures/game-small.state-hash");

#[wasm_bindgen_test]
fn genesis_hash_is_64_hex_chars() {
    let hex = pecking_order::journal::genesis_hash("g1").to_hex();
    assert_eq!(hex.len(), 64);
    assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()));
}

#[wasm_bindgen_test]
fn fixture_replays_to_the_committed_state_hash() {
    let entries: Vec<Entry> = JSONL
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a fixture line parses"))
        .collect();
    let game_id = entries[0].game_id.clone();
    let head = journal::verify(&game_id, &entries).expect("the fixture's chain verifies");
    let room = Room::replay(&game_id, &entries, None).expect("the fixture replays in wasm");
    assert_eq!(room.head(), head);
    assert_eq!(room.seq(), entries.len() as u64);
    let got = blake3::hash(&room.snapshot_bytes()).to_hex().to_string();
    assert_eq!(
        got,
        STATE_HASH.trim(),
        "blake3 of the final snapshot bytes, wasm vs the committed (native) hash"
    );
}
