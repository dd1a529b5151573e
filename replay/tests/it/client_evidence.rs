//! The web client's evidence files (client/src/evidence.ts, docs/client.md "Evidence") are read
//! by `po-replay` as they are. Shared fixtures in `replay/tests/fixtures/client-evidence/`:
//! `frames.jsonl` holds the frames player p1 of the tie game received (ACKs of their actions, a
//! journaled refusal's ERROR when there is one, the day-3 CHECKPOINT), made here from the genuine
//! journal; the client's unit test (`client/src/evidence.test.ts`) feeds them to the client's
//! store and checks that it writes exactly `tie-game.receipts` and `tie-game-seq31.checkpoint`;
//! this test checks that `receipt-check` and `verify --checkpoint` accept those files.
//! Regenerate `frames.jsonl` with `UPDATE_FIXTURES=1` (then the client's files with
//! `UPDATE_FIXTURES=1 make test-client`).

use crate::checkpoints::{checkpoint_at, key, original_and_forged};
use crate::common::*;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/client-evidence")
}

/// The frames p1 received from the genuine tie game, one JSON object a line.
fn frames() -> String {
    let (original, _) = original_and_forged();
    let mut out = String::new();
    let mut r = 0;
    for e in original.iter().filter(|e| e.actor == "p1") {
        r += 1;
        let f = if e.verdict.is_accepted() {
            serde_json::json!({"type": "ACK", "ref": format!("c{r}"), "seq": e.seq, "head": e.hash.to_hex()})
        } else {
            let code = e.verdict.to_wire();
            let code = code.trim_start_matches("REJECTED:");
            serde_json::json!({"type": "ERROR", "ref": format!("c{r}"), "code": code, "message": "refused", "seq": e.seq, "head": e.hash.to_hex()})
        };
        out.push_str(&f.to_string());
        out.push('\n');
    }
    let k = original
        .iter()
        .position(|e| e.facts.contains(r#""phase":"GAME_SUMMARY""#))
        .unwrap();
    let note = key().sign(&checkpoint_at(&original, k));
    let f = serde_json::json!({"type": "CHECKPOINT", "seq": original[k].seq, "head": original[k].hash.to_hex(), "note": note});
    out.push_str(&f.to_string());
    out.push('\n');
    out
}

#[test]
fn the_checked_in_frames_are_the_tie_games() {
    let path = dir().join("frames.jsonl");
    let want = frames();
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).expect("frames.jsonl (UPDATE_FIXTURES=1 writes it)");
    assert_eq!(
        have, want,
        "regenerate with UPDATE_FIXTURES=1, then the client's files"
    );
}

#[test]
fn po_replay_reads_the_clients_evidence_files() {
    let (original, forged) = original_and_forged();
    let tmp = tempfile::tempdir().unwrap();
    let good = write_sqlite(tmp.path(), "genuine.sqlite", &original);
    let receipts = dir().join("tie-game.receipts");
    let text = std::fs::read_to_string(&receipts).unwrap();
    let n = text.lines().count();
    assert!(n >= 2, "{text}");
    let run = po(&[
        "receipt-check",
        path_str(&good),
        "-q",
        "--receipts",
        path_str(&receipts),
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.matches("receipt: seq ").count(),
        n,
        "{}",
        run.stdout
    );
    // The same file against the re-derived forgery: the fork is found.
    let bad = write_sqlite(tmp.path(), "forged.sqlite", &forged);
    let run = po(&[
        "receipt-check",
        path_str(&bad),
        "-q",
        "--receipts",
        path_str(&receipts),
    ]);
    assert_eq!(run.code, 5, "{}\n{}", run.stdout, run.stderr);

    let cp = dir().join("tie-game-seq31.checkpoint");
    let run = po(&[
        "verify",
        path_str(&good),
        "-q",
        "--checkpoint",
        path_str(&cp),
        "--key",
        &key().verifier_key(),
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("OK, signed by pecking-order-checkpoint"),
        "{}",
        run.stdout
    );
}
