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

mod wasm_cpu;
use wasm_cpu::cpu_ms;

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
    let (mut cpu_fold, mut cpu_verify) = (f64::MAX, f64::MAX);
    for _ in 0..5 {
        let (t, c) = (Instant::now(), cpu_ms());
        for _ in 0..10 {
            core::hint::black_box(Room::replay(&cfg.game_id, &entries, None).unwrap());
        }
        best_fold = best_fold.min(t.elapsed().as_secs_f64() / 10.0);
        cpu_fold = cpu_fold.min((cpu_ms() - c) / 10.0);
        let (t, c) = (Instant::now(), cpu_ms());
        for _ in 0..10 {
            core::hint::black_box(journal::verify(&cfg.game_id, &entries).unwrap());
        }
        best_verify = best_verify.min(t.elapsed().as_secs_f64() / 10.0);
        cpu_verify = cpu_verify.min((cpu_ms() - c) / 10.0);
    }
    console_log!(
        "wasm: {n} entries; fold {:.3} ms = {:.0} entries/s; verify {:.3} ms = {:.0} entries/s; \
         CPU time: fold {cpu_fold:.3} ms, verify {cpu_verify:.3} ms",
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

/// Not a timed test (BENCHMARKS.md, "Where a cold start's time goes"): prints, for a room
/// restarted after about 1,000 actions, what each pure step of its cold start costs in wasm32
/// (`LiveRoom::open`: snapshot decode, tail fold, ticker; then one player's projection and the
/// SYSTEM.SYNC text): the first run (V8 compiles the code it reaches lazily) and the min and
/// median of 31 runs. The tail is the longest a room can have
/// (`COMPACT_EVERY` − 1 entries after its snapshot). Run with
/// `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test --release
/// --target wasm32-unknown-unknown --test wasm_fixture -- --include-ignored --nocapture`.
#[wasm_bindgen_test]
#[ignore]
fn measure_cold_start_parts_in_wasm() {
    use pecking_order::limits::COMPACT_EVERY;
    use pecking_order::room::live::{LiveRoom, MemStore};
    use pecking_order::room::protocol::ServerMessage;
    use pecking_order::sim::{self, SimConfig};
    use wasm_bindgen_test::{console_log, Instant};
    let cfg = SimConfig {
        game_id: "cold-1000".into(),
        players: 20,
        days: 2,
        actions_per_step: 120,
        script_seed: 7,
        game_seed: [7; 32],
        rules_version: 1,
    };
    let (_, entries) = sim::play(&cfg);
    let n = entries.len();
    // The snapshot a live room would hold: the last multiple of COMPACT_EVERY that leaves the
    // longest tail.
    let snap_at = (n as u64 - 1) / COMPACT_EVERY * COMPACT_EVERY;
    let snap_at = if n as u64 - snap_at < COMPACT_EVERY - 1 && snap_at >= COMPACT_EVERY {
        n as u64 - (COMPACT_EVERY - 1)
    } else {
        snap_at
    } as usize;
    let at_snap = Room::fold(&cfg.game_id, &entries[..snap_at], Some(cfg.game_seed)).unwrap();
    let snapshot = at_snap.snapshot_bytes();
    let all_lines = at_snap.ticker(&entries[..snap_at]);
    let ticker = serde_json::to_string(&all_lines[all_lines.len().saturating_sub(50)..]).unwrap();
    let tail = entries[snap_at..].to_vec();
    let store = MemStore {
        snapshot: Some((snapshot.clone(), snap_at as u64, ticker)),
        journal: tail.clone(),
        ..MemStore::default()
    };
    let viewer = at_snap
        .state()
        .and_then(|s| s.players.first().map(|p| p.id.clone()))
        .expect("the sim game has players");

    // The first run pays for V8's lazy compilation of the code it reaches (as a fresh worker
    // instance does; the setup above already ran the fold code); the others show the steady
    // state. Each figure: wall (CPU) ms.
    fn stats(v: &[(f64, f64)]) -> String {
        let (first, first_cpu) = v[0];
        let mut wall: Vec<f64> = v.iter().map(|x| x.0).collect();
        let mut cpu: Vec<f64> = v.iter().map(|x| x.1).collect();
        wall.sort_by(f64::total_cmp);
        cpu.sort_by(f64::total_cmp);
        format!(
            "first {first:.3} ({first_cpu:.3}) ms, then min {:.3} ({:.3}) / median {:.3} ({:.3}) ms",
            wall[0],
            cpu[0],
            wall[wall.len() / 2],
            cpu[cpu.len() / 2]
        )
    }
    fn timed<T>(into: &mut Vec<(f64, f64)>, f: impl FnOnce() -> T) -> T {
        let (t, c) = (Instant::now(), cpu_ms());
        let out = core::hint::black_box(f());
        into.push((t.elapsed().as_secs_f64() * 1e3, cpu_ms() - c));
        out
    }
    const RUNS: usize = 31;
    let (mut decode, mut fold, mut open, mut project, mut sync) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut sync_len = 0;
    for _ in 0..RUNS {
        let mut room = timed(&mut decode, || Room::from_snapshot(&snapshot).unwrap());
        timed(&mut fold, || {
            for e in &tail {
                room.apply_trusted(e).unwrap();
            }
        });
        let live = timed(&mut open, || LiveRoom::open(&store).unwrap());
        let state = timed(&mut project, || live.room.projection(Some(&viewer)));
        let text = timed(&mut sync, || {
            ServerMessage::Sync {
                v: live.room.seq(),
                state,
            }
            .to_text()
        });
        sync_len = text.len();
        assert_eq!(live.room.seq(), n as u64);
        assert_eq!(room.head(), live.room.head());
    }
    console_log!(
        "wasm cold start, {n} entries, snapshot at {snap_at} ({} bytes), tail {}: \
         snapshot decode {}; tail fold {}; LiveRoom::open (load + decode + fold + ticker) {}; \
         projection {}; SYNC text ({sync_len} bytes) {} (wall (CPU); {RUNS} runs)",
        snapshot.len(),
        tail.len(),
        stats(&decode),
        stats(&fold),
        stats(&open),
        stats(&project),
        stats(&sync),
    );
}

/// A room's checkpoint key in wasm: deriving it from the secret (done once per room instance, on
/// its first event) and signing a checkpoint (once per day), CPU per operation, best of 5 rounds of
/// 20 (BENCHMARKS.md, "Ed25519 without precomputed tables").
#[wasm_bindgen_test]
#[ignore = "prints figures for BENCHMARKS.md"]
fn measure_checkpoint_key_in_wasm() {
    use pecking_order::checkpoint::{Checkpoint, CheckpointKey, SeedField};
    use pecking_order::journal::Hash;
    use wasm_bindgen_test::console_log;
    let secret = "11".repeat(32);
    let cp = Checkpoint {
        game_id: "g".into(),
        seq: 42,
        head: Hash([7; 32]),
        day: 1,
        seed: SeedField::Commitment(Hash([9; 32])),
        engine: "po-engine/0.1.0".into(),
    };
    let key = CheckpointKey::from_secret(&secret).unwrap();
    let note = key.sign(&cp);
    let (mut derive, mut sign) = (f64::MAX, f64::MAX);
    for _ in 0..5 {
        let c = cpu_ms();
        for _ in 0..20 {
            core::hint::black_box(CheckpointKey::from_secret(&secret).unwrap());
        }
        derive = derive.min((cpu_ms() - c) / 20.0);
        let c = cpu_ms();
        for _ in 0..20 {
            assert_eq!(core::hint::black_box(key.sign(&cp)), note);
        }
        sign = sign.min((cpu_ms() - c) / 20.0);
    }
    console_log!(
        "checkpoint key: derive {derive:.3} ms CPU, sign {sign:.3} ms CPU (best of 5 x 20)"
    );
}
