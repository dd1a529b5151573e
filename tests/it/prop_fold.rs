//! Property: a snapshot is a cache of the journal, never a second truth.
//!
//! For random valid games (from `sim::play`), checked byte for byte on `Room::snapshot_bytes()`:
//! - for EVERY k in 1..=len: `Room::from_snapshot(snapshot after entry k)` followed by
//!   `apply_recorded` of entries k+1.. ends in the same bytes as the live room;
//! - the snapshot after entry k taken by replaying the prefix equals the one taken while folding
//!   the journal incrementally, and decoding then re-encoding it gives the same bytes;
//! - `Room::replay(game_id, &entries, None)` (seed taken from the journal's reveal) gives the same
//!   bytes as the live room;
//! - playing the same config twice gives identical journals and state bytes.
//!
//! Runs in well under 30 s in debug on 2 cores (`PROPTEST_CASES` overrides the case count).

use pecking_order::journal;
use pecking_order::room::Room;
use pecking_order::sim::{self, SimConfig};
use proptest::prelude::*;

/// Cases per property (each case is O(len²) applies: a prefix replay and a tail fold per k).
/// `PROPTEST_CASES` overrides it for a longer soak.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(24)
}

fn arb_config() -> impl Strategy<Value = SimConfig> {
    (
        3usize..=12,
        2usize..=5,
        0usize..=6,
        any::<u64>(),
        any::<[u8; 32]>(),
        0u32..1000,
    )
        .prop_map(
            |(players, days, actions_per_step, script_seed, game_seed, id)| SimConfig {
                game_id: format!("prop-{id}"),
                players,
                days,
                actions_per_step,
                script_seed,
                game_seed,
                rules_version: pecking_order::engine::RULES_VERSION,
            },
        )
}

fn check_fold(cfg: &SimConfig) -> Result<(), TestCaseError> {
    let (live, entries) = sim::play(cfg);
    let gid = cfg.game_id.as_str();
    let n = entries.len();
    prop_assert!(n >= 2, "a game has at least INIT and the seed reveal");
    prop_assert_eq!(live.seq(), n as u64);
    prop_assert_eq!(
        journal::verify(gid, &entries).map_err(|e| TestCaseError::fail(e.to_string()))?,
        live.head()
    );
    let want = live.snapshot_bytes();

    // Whole-journal replay, seed from the journal's own reveal.
    let replayed = Room::replay(gid, &entries, None)
        .map_err(|e| TestCaseError::fail(format!("replay: {e}")))?;
    prop_assert!(
        replayed.snapshot_bytes() == want,
        "Room::replay(.., None) differs from the live room"
    );
    let folded =
        Room::fold(gid, &entries, None).map_err(|e| TestCaseError::fail(format!("fold: {e}")))?;
    prop_assert!(
        folded.snapshot_bytes() == want,
        "Room::fold (no re-hashing) differs from the live room"
    );

    // Incremental fold, to cross-check the prefix replays below.
    let mut inc = Room::replay(gid, &entries[..1], Some(cfg.game_seed))
        .map_err(|e| TestCaseError::fail(e.to_string()))?;

    for k in 1..=n {
        if k > 1 {
            inc.apply_recorded(&entries[k - 1])
                .map_err(|e| TestCaseError::fail(format!("incremental fold at {k}: {e}")))?;
        }
        let at_k = Room::replay(gid, &entries[..k], Some(cfg.game_seed))
            .map_err(|e| TestCaseError::fail(format!("prefix replay of {k} entries: {e}")))?;
        let snap = at_k.snapshot_bytes();
        prop_assert!(
            snap == inc.snapshot_bytes(),
            "prefix replay and incremental fold differ after entry {}",
            k
        );

        let mut cold = Room::from_snapshot(&snap)
            .map_err(|e| TestCaseError::fail(format!("from_snapshot at {k}: {e}")))?;
        prop_assert!(
            cold.snapshot_bytes() == snap,
            "snapshot at {} does not survive decode + encode",
            k
        );
        prop_assert_eq!(cold.seq(), k as u64);
        for e in &entries[k..] {
            cold.apply_recorded(e).map_err(|err| {
                TestCaseError::fail(format!("tail after snapshot {k}, entry {}: {err}", e.seq))
            })?;
        }
        prop_assert!(
            cold.snapshot_bytes() == want,
            "snapshot at {} + tail differs from the live room",
            k
        );
        prop_assert_eq!(cold.head(), live.head());
    }
    Ok(())
}

fn check_determinism(cfg: &SimConfig) -> Result<(), TestCaseError> {
    let (a_room, a) = sim::play(cfg);
    let (b_room, b) = sim::play(cfg);
    prop_assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        prop_assert_eq!(x, y);
        prop_assert_eq!(journal::canonical_bytes(x), journal::canonical_bytes(y));
    }
    prop_assert!(
        a_room.snapshot_bytes() == b_room.snapshot_bytes(),
        "same config, different state bytes"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn snapshot_at_every_k_plus_tail_equals_live_state(cfg in arb_config()) {
        check_fold(&cfg)?;
    }

    #[test]
    fn same_config_same_journal_and_state(cfg in arb_config()) {
        check_determinism(&cfg)?;
    }
}

/// A fixed, larger game than the random ones, so every run covers a 12-player, 5-day game with
/// many rejected actions (the random cases are kept small to bound the O(len²) work).
#[test]
fn fold_holds_for_a_fixed_larger_game() {
    let cfg = SimConfig {
        game_id: "prop-fixed".into(),
        players: 12,
        days: 5,
        actions_per_step: 3,
        script_seed: 99,
        game_seed: [9; 32],
        rules_version: pecking_order::engine::RULES_VERSION,
    };
    check_fold(&cfg).unwrap();
}

/// Entries from one game do not fold onto another game's snapshot (the chain check refuses them).
#[test]
fn a_tail_from_another_game_is_refused() {
    let base = SimConfig {
        players: 5,
        days: 2,
        actions_per_step: 2,
        ..SimConfig::default()
    };
    let (_, a) = sim::play(&SimConfig {
        game_id: "game-a".into(),
        ..base.clone()
    });
    let (_, b) = sim::play(&SimConfig {
        game_id: "game-b".into(),
        ..base
    });
    let mut room = Room::replay("game-a", &a[..3], Some([42; 32])).unwrap();
    let err = room.apply_recorded(&b[3]).unwrap_err();
    assert_eq!(err.code(), "CHAIN_BROKEN", "{err}");
}
