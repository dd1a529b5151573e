//! Signed checkpoints and receipts (docs/audit.md): `verify --checkpoint --key`, repeatable
//! `--expect-head`, equivocation, unusable checkpoint files, and `receipt-check` — and a
//! re-derived forgery (an input changed, the engine re-run, the chain re-sealed) that verifies
//! clean on its own but is caught by a checkpoint the players received.

use crate::common;

use common::*;
use pecking_order::checkpoint::{Checkpoint, CheckpointKey, SeedField};
use pecking_order::journal::Entry;
use std::path::{Path, PathBuf};

const KEY: &str = "3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c";
const OTHER: &str = "4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d";

pub(crate) fn key() -> CheckpointKey {
    CheckpointKey::from_secret(KEY).unwrap()
}

/// The checkpoint a room would sign after `journal[k]`.
pub(crate) fn checkpoint_at(journal: &[Entry], k: usize) -> Checkpoint {
    let room = pecking_order::room::Room::replay(&journal[0].game_id, &journal[..=k], None)
        .unwrap_or_else(|_| {
            pecking_order::room::Room::replay(&journal[0].game_id, &journal[..=k], Some([5; 32]))
                .expect("replays")
        });
    let st = room.state().unwrap();
    Checkpoint {
        game_id: journal[0].game_id.clone(),
        seq: journal[k].seq,
        head: journal[k].hash,
        day: st.day,
        seed: if st.seed_revealed {
            SeedField::Revealed(pecking_order::journal::Hash([5; 32]))
        } else {
            SeedField::Commitment(st.seed_commitment)
        },
        engine: journal[k].engine.clone(),
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn show(run: &Run) -> String {
    format!(
        "exit {}\nstdout:\n{}\nstderr:\n{}",
        run.code, run.stdout, run.stderr
    )
}

/// The tie game, and the same game with p1's day-3 vote changed and everything re-derived.
pub(crate) fn original_and_forged() -> (Vec<Entry>, Vec<Entry>) {
    let (_, original) = tie_game();
    let body = original[0].payload.clone();
    // The payload of SYSTEM.INIT holds manifest and roster; re-create the game from them.
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let init = serde_json::json!({"manifest": v["manifest"], "roster": v["roster"]}).to_string();
    let votes: [&[(&str, &str)]; 3] = [
        &[("p1", "p2"), ("p2", "p1")],
        &[("p2", "p5"), ("p3", "p5")],
        &[("p1", "p3"), ("p5", "p3")],
    ];
    let (_, forged) = scripted(&init, [5u8; 32], &votes);
    (original, forged)
}

#[test]
fn a_re_derived_forgery_verifies_clean_alone_and_is_caught_by_a_checkpoint() {
    let (original, forged) = original_and_forged();
    // Same start, different history: the forger's journal is internally perfect.
    assert_eq!(original[1].hash, forged[1].hash);
    assert_ne!(original.last().unwrap().hash, forged.last().unwrap().hash);
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "forged.sqlite", &forged);
    let run = po(&["verify", path_str(&db)]);
    assert_eq!(
        run.code,
        0,
        "the forgery passes chain and replay: {}",
        show(&run)
    );

    // The checkpoint players received at the end of day 3 (the day's GAME_SUMMARY entry).
    let k = original
        .iter()
        .position(|e| e.facts.contains(r#""phase":"GAME_SUMMARY""#))
        .unwrap();
    assert!(forged.len() > k);
    let note = key().sign(&checkpoint_at(&original, k));
    let cp = write(dir.path(), "day3.checkpoint", &note);
    let vkey = write(
        dir.path(),
        "key.txt",
        &format!("{}\n", key().verifier_key()),
    );
    let run = po(&[
        "verify",
        path_str(&db),
        "--checkpoint",
        path_str(&cp),
        "--key",
        path_str(&vkey),
    ]);
    assert_eq!(run.code, 5, "{}", show(&run));
    assert!(
        run.stderr.starts_with(&format!(
            "FORK: checkpoint {}, signed by pecking-order-checkpoint, states head {} at seq {}",
            cp.display(),
            original[k].hash,
            original[k].seq
        )),
        "{}",
        show(&run)
    );
    // The genuine journal agrees with it (key given as text this time).
    let good = write_sqlite(dir.path(), "original.sqlite", &original);
    let run = po(&[
        "verify",
        path_str(&good),
        "--checkpoint",
        path_str(&cp),
        "--key",
        &key().verifier_key(),
    ]);
    assert_eq!(run.code, 0, "{}", show(&run));
    assert!(
        run.stdout
            .contains(&format!("checkpoint: {} OK", cp.display())),
        "{}",
        show(&run)
    );
}

#[test]
fn two_checkpoints_for_one_seq_with_different_heads_are_proof_of_equivocation() {
    let (original, forged) = original_and_forged();
    let k = original.len() - 2;
    assert!(forged.len() > k);
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.note",
        &key().sign(&checkpoint_at(&original, k)),
    );
    let mut other = checkpoint_at(&original, k);
    other.head = forged[k].hash;
    assert_ne!(other.head, original[k].hash);
    let b = write(dir.path(), "b.note", &key().sign(&other));
    let db = write_sqlite(dir.path(), "j.sqlite", &original);
    let run = po(&[
        "verify",
        path_str(&db),
        "--checkpoint",
        path_str(&a),
        "--checkpoint",
        path_str(&b),
        "--key",
        &key().verifier_key(),
    ]);
    assert_eq!(run.code, 5, "{}", show(&run));
    assert!(
        run.stderr
            .starts_with("FORK: equivocation: two checkpoints"),
        "{}",
        show(&run)
    );
    // Both signed notes are printed whole: the proof.
    assert!(
        run.stderr.contains(&key().sign(&other))
            && run.stderr.contains(&std::fs::read_to_string(&a).unwrap()),
        "{}",
        show(&run)
    );
}

#[test]
fn unusable_checkpoints_are_bad_input_naming_the_file() {
    let (original, _) = original_and_forged();
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "j.sqlite", &original);
    let vk = key().verifier_key();
    let last = original.len() - 1;
    let mut far = checkpoint_at(&original, last);
    far.seq += 5;
    let mut game = checkpoint_at(&original, 3);
    game.game_id = "another-game".into();
    let other = CheckpointKey::from_secret(OTHER).unwrap();
    let cases = [
        (
            "junk.note",
            "hello world\n".to_string(),
            "not a signed note",
        ),
        (
            "altered.note",
            key()
                .sign(&checkpoint_at(&original, 3))
                .replacen("\n4\n", "\n5\n", 1),
            "does not verify",
        ),
        (
            "other-key.note",
            other.sign(&checkpoint_at(&original, 3)),
            "no signature by key pecking-order-checkpoint",
        ),
        ("game.note", key().sign(&game), "is for game another-game"),
        ("far.note", key().sign(&far), "but the journal ends at seq"),
    ];
    for (name, text, needle) in cases {
        let f = write(dir.path(), name, &text);
        let run = po(&[
            "verify",
            path_str(&db),
            "--checkpoint",
            path_str(&f),
            "--key",
            &vk,
        ]);
        assert_eq!(run.code, 4, "{name}: {}", show(&run));
        assert!(
            run.stderr.contains(&f.display().to_string()),
            "{name}: {}",
            show(&run)
        );
        assert!(run.stderr.contains(needle), "{name}: {}", show(&run));
    }
    // A bad key, and --checkpoint without --key.
    let f = write(
        dir.path(),
        "ok.note",
        &key().sign(&checkpoint_at(&original, 3)),
    );
    let run = po(&[
        "verify",
        path_str(&db),
        "--checkpoint",
        path_str(&f),
        "--key",
        "nope",
    ]);
    assert_eq!(run.code, 4, "{}", show(&run));
    let run = po(&["verify", path_str(&db), "--checkpoint", path_str(&f)]);
    assert_eq!(run.code, 1, "{}", show(&run));
}

#[test]
fn expect_head_is_repeatable() {
    let (original, forged) = original_and_forged();
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "j.sqlite", &original);
    let (a, b) = (original[5].hash.to_string(), original[20].hash.to_string());
    let run = po(&[
        "verify",
        path_str(&db),
        "--expect-head",
        &a,
        "--expect-head",
        &b,
    ]);
    assert_eq!(run.code, 0, "{}", show(&run));
    assert!(
        run.stdout.contains("is seq 6") && run.stdout.contains("is seq 21"),
        "{}",
        show(&run)
    );
    let gone = forged.last().unwrap().hash.to_string();
    let run = po(&[
        "verify",
        path_str(&db),
        "--expect-head",
        &a,
        "--expect-head",
        &gone,
    ]);
    assert_eq!(run.code, 2, "{}", show(&run));
    assert!(run.stderr.contains(&gone), "{}", show(&run));
}

#[test]
fn receipts_check_what_the_room_acknowledged() {
    let (original, forged) = original_and_forged();
    let dir = tempfile::tempdir().unwrap();
    // p1's saved ACK frames, as the room sent them.
    let acks: Vec<String> = original
        .iter()
        .filter(|e| e.actor == "p1" && e.verdict.is_accepted())
        .map(|e| {
            serde_json::json!({"type": "ACK", "ref": "r", "seq": e.seq, "head": e.hash.to_hex()})
                .to_string()
        })
        .collect();
    assert!(acks.len() >= 2);
    let receipts = write(dir.path(), "p1.receipts", &(acks.join("\n") + "\n"));
    let good = write_sqlite(dir.path(), "original.sqlite", &original);
    let run = po(&[
        "receipt-check",
        path_str(&good),
        "--receipts",
        path_str(&receipts),
    ]);
    assert_eq!(run.code, 0, "{}", show(&run));
    assert!(
        run.stdout.contains("VOTE.FINALS.CAST by p1"),
        "{}",
        show(&run)
    );
    let bad = write_sqlite(dir.path(), "forged.sqlite", &forged);
    let run = po(&[
        "receipt-check",
        path_str(&bad),
        "--receipts",
        path_str(&receipts),
    ]);
    assert_eq!(run.code, 5, "{}", show(&run));
    assert!(run.stderr.starts_with("FORK: receipt "), "{}", show(&run));
    // A journal cut before the receipt: entries the room acknowledged are gone.
    let cut = write_sqlite(dir.path(), "cut.sqlite", &original[..5]);
    let run = po(&[
        "receipt-check",
        path_str(&cut),
        "--receipts",
        path_str(&receipts),
    ]);
    assert_eq!(run.code, 2, "{}", show(&run));
    let junk = write(dir.path(), "junk.receipts", "[1, 2]");
    let run = po(&[
        "receipt-check",
        path_str(&good),
        "--receipts",
        path_str(&junk),
    ]);
    assert_eq!(run.code, 4, "{}", show(&run));
    assert!(run.stderr.contains("junk.receipts"), "{}", show(&run));
}

/// Writes the worked dispute of docs/audit.md to `target/tmp/audit-example/` (run with
/// `cargo test -p pecking-order-replay --test it -- --ignored checkpoints::write_the_audit_example`).
#[test]
#[ignore]
fn write_the_audit_example() {
    let (original, forged) = original_and_forged();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/tmp/audit-example");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    write_sqlite(&dir, "journal.sqlite", &forged);
    write_sqlite(&dir, "genuine.sqlite", &original);
    let k = original
        .iter()
        .position(|e| e.facts.contains(r#""phase":"GAME_SUMMARY""#))
        .unwrap();
    write(
        &dir,
        "day3.checkpoint",
        &key().sign(&checkpoint_at(&original, k)),
    );
    write(
        &dir,
        "checkpoint-key.txt",
        &format!("{}\n", key().verifier_key()),
    );
    let acks: Vec<String> = original
        .iter()
        .filter(|e| e.actor == "p5" && e.verdict.is_accepted())
        .map(|e| {
            serde_json::json!({"type": "ACK", "ref": "r", "seq": e.seq, "head": e.hash.to_hex()})
                .to_string()
        })
        .collect();
    write(&dir, "p5.receipts", &(acks.join("\n") + "\n"));
}
