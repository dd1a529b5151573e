//! Tests that run in wasm32 (under node, via wasm-bindgen-test-runner): the engine must behave the
//! same there as natively. Run with `make test` (or the `test-wasm` target):
//!
//! ```text
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!     cargo test --target wasm32-unknown-unknown --test wasm_fixture
//! ```
//!
//! The fixture test replays the same committed journal as `tests/it/fixture_game.rs` and asserts the
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

/// Not a timed test (figures come from benchmarks: BENCHMARKS.md): prints the wasm fold rate of the
/// benchmark workload (`benches/engine.rs`: 7 days, 20 players) for BENCHMARKS.md. Run with
/// `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test --release
/// --target wasm32-unknown-unknown --test wasm_fixture -- --include-ignored`.
#[wasm_bindgen_test]
#[ignore]
fn measure_fold_rate_in_wasm() {
    use pecking_order::sim::{self, SimConfig};
    use wasm_bindgen_test::{console_log, Instant};
    let cfg = SimConfig {
        game_id: "bench-7d-20p".into(),
        players: 20,
        days: 7,
        actions_per_step: 200,
        script_seed: 7,
        game_seed: [7; 32],
        rules_version: 1,
    };
    let (_, entries) = sim::play(&cfg);
    let n = entries.len();
    // Warm up, then take the best of several rounds (the machine may be shared).
    let _ = Room::replay(&cfg.game_id, &entries, None).unwrap();
    let mut best_fold = f64::MAX;
    let mut best_verify = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..10 {
            core::hint::black_box(Room::replay(&cfg.game_id, &entries, None).unwrap());
        }
        best_fold = best_fold.min(t.elapsed().as_secs_f64() / 10.0);
        let t = Instant::now();
        for _ in 0..10 {
            core::hint::black_box(journal::verify(&cfg.game_id, &entries).unwrap());
        }
        best_verify = best_verify.min(t.elapsed().as_secs_f64() / 10.0);
    }
    console_log!(
        "wasm: {n} entries; fold {:.3} ms = {:.0} entries/s; verify {:.3} ms = {:.0} entries/s",
        best_fold * 1e3,
        n as f64 / best_fold,
        best_verify * 1e3,
        n as f64 / best_verify
    );
}

/// Not a timed test (BENCHMARKS.md, "Signed checkpoints"): prints what signing and verifying one
/// checkpoint costs in wasm32, the same checkpoint as `cargo bench --bench engine --
/// cpu_checkpoint`. Run with `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
/// cargo test --release --target wasm32-unknown-unknown --test wasm_fixture --
/// --include-ignored`.
#[wasm_bindgen_test]
#[ignore]
fn measure_checkpoint_sign_and_verify_in_wasm() {
    use pecking_order::checkpoint::{verify_note, Checkpoint, CheckpointKey, SeedField};
    use wasm_bindgen_test::{console_log, Instant};
    let key = CheckpointKey::from_secret(&"ab".repeat(32)).unwrap();
    let public = key.public();
    let cp = Checkpoint {
        game_id: "fig-7x20".into(),
        seq: 10_154,
        head: journal::Hash([7; 32]),
        day: 7,
        seed: SeedField::Commitment(journal::Hash([9; 32])),
        engine: pecking_order::engine::ENGINE_VERSION.into(),
    };
    let note = key.sign(&cp);
    assert_eq!(verify_note(&note, &public).unwrap(), cp);
    const N: u32 = 200;
    let mut best_sign = f64::MAX;
    let mut best_verify = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..N {
            core::hint::black_box(key.sign(core::hint::black_box(&cp)));
        }
        best_sign = best_sign.min(t.elapsed().as_secs_f64() / f64::from(N));
        let t = Instant::now();
        for _ in 0..N {
            core::hint::black_box(verify_note(core::hint::black_box(&note), &public).unwrap());
        }
        best_verify = best_verify.min(t.elapsed().as_secs_f64() / f64::from(N));
    }
    console_log!(
        "wasm: checkpoint sign {:.1} µs, verify {:.1} µs (best of 5 rounds of {N})",
        best_sign * 1e6,
        best_verify * 1e6
    );
}
