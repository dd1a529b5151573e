//! The simulator inside `cargo test`: a few hundred seeds (SIM_SEEDS overrides how many), the
//! regression seeds, and a seed rerun bit for bit; the first 20 seeds must inject every kind
//! of fault and exercise every feature (docs/testing.md).

use pecking_order_sim::{run, Options};

fn seeds() -> u64 {
    std::env::var("SIM_SEEDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

/// Every seed keeps every invariant; the first 20 (run once, not again by a test of their own)
/// inject every kind of fault and exercise every later feature.
#[test]
fn seeds_keep_every_invariant() {
    let opts = Options::quick();
    let mut first = pecking_order_sim::Stats::default();
    let mut failures = Vec::new();
    for s in 1..=seeds() {
        match run(s, &opts) {
            Ok(stats) if s <= 20 => first.add(&stats),
            Ok(_) => {}
            Err(f) => failures.push(f.to_string()),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    if seeds() >= 20 {
        faults_of_every_kind_are_injected(&first);
    }
}

#[test]
fn long_rooms_keep_every_invariant_across_compactions() {
    let failures: Vec<String> = (1..=1)
        .filter_map(|s| run(s, &Options::long()).err().map(|f| f.to_string()))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_seed_reproduces_bit_for_bit() {
    let opts = Options::quick();
    let a = run(7, &opts).expect("seed 7");
    let b = run(7, &opts).expect("seed 7 again");
    assert_eq!(a, b);
    let c = run(8, &opts).expect("seed 8");
    assert_ne!(a.digest, c.digest);
}

/// Seeds 1–20 of the quick size injected every kind of fault and exercised every feature.
fn faults_of_every_kind_are_injected(total: &pecking_order_sim::Stats) {
    for kind in [
        "crash",
        "crash after a write",
        "eviction",
        "store write failed",
        "D1 batch failed",
        "D1 batch timed out",
        "D1 wrote, no answer",
        "D1 outage toggled",
        "alarm early",
        "alarm late",
        "alarm duplicated",
        "alarm lost, retried",
        "socket dropped",
    ] {
        assert!(
            total.faults.get(kind).copied().unwrap_or(0) > 0,
            "{kind}: {total:?}"
        );
    }
    assert!(total.acked > 100, "{total:?}");
    later_features_exercised(total);
}

/// Seeds that found a bug, kept as regressions (docs/testing.md).
///
/// - 1, 2, 4, 8, 9 (quick size): the room called the lobby IN_PROGRESS before D1 held the
///   entry that started day 1 (`room::host::lobby` now waits for D1 to confirm it).
/// - 2 (3 rooms × 600 steps, `po-sim --seed 2`): a checkpoint due after a refused join was
///   itself refused (CHECKPOINT_MISMATCH; the operator's CHECKPOINT answered 500): the engine
///   compared its seq with the last accepted entry's (rules version 4 takes the journal's).

#[test]
fn regression_seeds() {
    let quick = [1, 2, 4, 8, 9].map(|s| (s, Options::quick()));
    let failures: Vec<String> = quick
        .into_iter()
        .chain([(2, Options::default())])
        .filter_map(|(s, o)| run(s, &o).err().map(|f| f.to_string()))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The later features are exercised, not only switched on: checkpoints signed and verified,
/// deltas applied and resumed, the lobby called through its faults, typing, Q&A reveals, the
/// operator's newer commands, DYNAMIC days and every kind of join (the same 20 seeds as the
/// faults, run once).
fn later_features_exercised(total: &pecking_order_sim::Stats) {
    for kind in [
        "checkpoints journaled",
        "checkpoint notes verified",
        "deltas applied",
        "resumed with a delta",
        "lobby calls received",
        "typing signals",
        "Q&A answers revealed",
        "CHECKPOINT",
        "SEND_GAME_MASTER_MSG",
        "SEND_PLAYER_EVENT",
        "UPDATE_PUSH_CONFIG",
        "INJECT_PROMPT",
        "ELIMINATE_PLAYER",
        // DYNAMIC manifests and the lobby's player-joined (`sim/src/dynamic.rs`).
        "rooms DYNAMIC",
        "DYNAMIC days checked",
        "joins accepted",
        "joins refused: duplicate",
        "joins refused: game started",
        "joins refused: roster full",
        "joins malformed",
        "joins sent again",
        "starts postponed",
        "late quorums started day 1",
        "NEXT_STAGE (ADMIN scheduling)",
    ] {
        assert!(
            total.exercised.get(kind).copied().unwrap_or(0) > 0,
            "{kind}: {:?}",
            total.exercised
        );
    }
    let lobby_faults: u64 = total
        .faults
        .iter()
        .filter(|(k, _)| k.starts_with("lobby"))
        .map(|(_, v)| v)
        .sum();
    assert!(lobby_faults > 0, "{:?}", total.faults);
}
