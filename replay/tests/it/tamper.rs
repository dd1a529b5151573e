//! Tampering with the D1 SQLite file is detected, at the right seq, with the right exit code:
//! 2 for a broken chain, 4 for a gap (rows missing), 3 for a re-sealed forgery whose results this
//! engine does not reproduce.

use crate::common;

use common::*;
use pecking_order::journal::Entry;
use std::path::PathBuf;

struct Case {
    _dir: tempfile::TempDir,
    db: PathBuf,
    journal: Vec<Entry>,
    /// Index of an accepted silver transfer in the middle of the game.
    k: usize,
}

fn case() -> Case {
    let (_, journal) = sim_game();
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "journal.sqlite", &journal);
    let k = journal
        .iter()
        .enumerate()
        .position(|(i, e)| {
            i > journal.len() / 3 && e.typ == "SOCIAL.SEND_SILVER" && e.verdict.is_accepted()
        })
        .expect("an accepted transfer");
    Case {
        _dir: dir,
        db,
        journal,
        k,
    }
}

fn verify(c: &Case) -> Run {
    po(&["verify", path_str(&c.db)])
}

fn assert_tampered(run: &Run, seq: u64, field: &str) {
    assert_eq!(
        run.code, 2,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    let line = format!("TAMPERED: entry seq {seq} is broken: its {field} does not match");
    assert!(
        run.stderr.contains(&line),
        "expected {line:?} in:\n{}",
        run.stderr
    );
}

#[test]
fn an_edited_payload_is_found_at_its_seq() {
    let c = case();
    let seq = c.journal[c.k].seq;
    sql(
        &c.db,
        &format!("UPDATE journal SET payload = replace(payload, '\"amount\":', '\"amount\":9') WHERE seq = {seq}"),
    );
    let run = verify(&c);
    assert_tampered(&run, seq, "hash");
    assert!(
        run.stderr.contains(&format!(
            "seq {} still links to the stored hash of seq {seq}",
            seq + 1
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("the chain verifies up to seq {}", seq - 1)),
        "{}",
        run.stderr
    );
    // Every verb refuses a broken chain the same way.
    for verb in [
        vec!["diff"],
        vec!["explain", "--payout"],
        vec!["state", "--at", "3"],
    ] {
        let mut args = vec![verb[0], path_str(&c.db)];
        args.extend(&verb[1..]);
        assert_tampered(&po(&args), seq, "hash");
    }
}

#[test]
fn a_deleted_row_is_a_gap_naming_the_missing_seq() {
    let c = case();
    let seq = c.journal[c.k].seq;
    sql(&c.db, &format!("DELETE FROM journal WHERE seq = {seq}"));
    let run = verify(&c);
    // An inner gap is tampering: rooms write D1 in whole ordered batches.
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("journal has a gap: seq {seq} is missing")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("verifies up to seq {}", seq - 1)),
        "{}",
        run.stderr
    );
}

#[test]
fn a_deleted_row_with_the_rest_renumbered_breaks_the_chain_there() {
    let c = case();
    let seq = c.journal[c.k].seq;
    sql(
        &c.db,
        &format!(
            "DELETE FROM journal WHERE seq = {seq};
             UPDATE journal SET seq = -seq WHERE seq > {seq};
             UPDATE journal SET seq = -seq - 1 WHERE seq < 0;"
        ),
    );
    let run = verify(&c);
    assert_tampered(&run, seq, "prev_hash");
}

#[test]
fn two_swapped_rows_are_found_at_the_first() {
    let c = case();
    let a = c.journal[c.k].seq;
    let b = a + 3;
    sql(
        &c.db,
        &format!(
            "UPDATE journal SET seq = -1 WHERE seq = {a};
             UPDATE journal SET seq = {a} WHERE seq = {b};
             UPDATE journal SET seq = {b} WHERE seq = -1;"
        ),
    );
    let run = verify(&c);
    assert_tampered(&run, a, "prev_hash");
    assert!(run.stderr.contains("reordered"), "{}", run.stderr);
}

#[test]
fn a_changed_timestamp_is_found_at_its_seq() {
    let c = case();
    let seq = c.journal[c.k].seq;
    sql(
        &c.db,
        &format!("UPDATE journal SET at_ms = at_ms - 3600000 WHERE seq = {seq}"),
    );
    let run = verify(&c);
    assert_tampered(&run, seq, "hash");
    assert!(run.stderr.contains("likely column at_ms"), "{}", run.stderr);
    // Even a one-millisecond change breaks the chain.
    let c = case();
    sql(
        &c.db,
        &format!("UPDATE journal SET at_ms = at_ms + 1 WHERE seq = {seq}"),
    );
    assert_tampered(&verify(&c), seq, "hash");
}

#[test]
fn a_forged_appended_row_is_found() {
    let c = case();
    let last = c.journal.last().unwrap();
    let mut forged = last.clone();
    forged.seq = last.seq + 1;
    forged.typ = "ADMIN.CREDIT_SILVER".into();
    forged.kind = pecking_order::journal::EntryKind::Admin;
    forged.actor = "ADMIN".into();
    forged.payload = r#"{"rewards":{"p1":500}}"#.into();
    forged.facts = r#"[{"type":"SILVER","playerId":"p1","delta":500,"balanceAfter":550,"reason":"ADMIN_CREDIT"}]"#.into();
    // A forger who cannot compute the hash: the chain breaks at the new row.
    let mut bad = forged.clone();
    bad.prev_hash = last.hash;
    bad.hash = pecking_order::journal::Hash([7; 32]);
    pecking_order_replay::export::write_sqlite(&c.db, &[bad]).unwrap();
    let run = verify(&c);
    assert_tampered(&run, forged.seq, "hash");
    assert!(run.stderr.contains("is the last row"), "{}", run.stderr);

    // A forger who re-seals it: the chain holds, but this engine does not reproduce the row.
    let c = case();
    let sealed = forged.seal(last.hash);
    pecking_order_replay::export::write_sqlite(&c.db, std::slice::from_ref(&sealed)).unwrap();
    let run = verify(&c);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(&format!("first at seq {}", sealed.seq)),
        "{}",
        run.stdout
    );
}

#[test]
fn a_rewritten_hash_column_is_named() {
    let c = case();
    let seq = c.journal[c.k].seq;
    sql(
        &c.db,
        &format!(
            "UPDATE journal SET hash = '{}' WHERE seq = {seq}",
            "ab".repeat(32)
        ),
    );
    let run = verify(&c);
    assert_tampered(&run, seq, "hash");
    assert!(
        run.stderr.contains("only its hash column was rewritten"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_resealed_rewrite_is_caught_by_a_kept_day_head() {
    let (live, mut journal) = sim_game();
    let k = journal
        .iter()
        .position(|e| e.typ == "SOCIAL.SEND_SILVER" && e.verdict.is_accepted())
        .unwrap();
    // Rewrite a transfer's payload and recompute every hash after it: the chain is intact again.
    journal[k].payload = journal[k].payload.replace("\"amount\":", "\"amount\":1");
    reseal(&mut journal, k);
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "j.sqlite", &journal);
    let run = po(&["verify", path_str(&db)]);
    assert_eq!(
        run.code, 3,
        "the engine does not reproduce the rewritten row: {}",
        run.stdout
    );
    // A player who kept the chain head published at the end of a later day sees the rewrite.
    let (_, day_head) = live
        .day_heads()
        .iter()
        .find(|(_, h)| !journal.iter().any(|e| e.hash == *h))
        .unwrap();
    let run = po(&["verify", path_str(&db), "--expect-head", &day_head.to_hex()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("no entry has the expected head"),
        "{}",
        run.stderr
    );
    // The untouched journal contains every published day head.
    let (_, clean) = sim_game();
    let db2 = write_sqlite(dir.path(), "clean.sqlite", &clean);
    for (_, h) in live.day_heads() {
        assert_eq!(
            po(&["verify", path_str(&db2), "--expect-head", &h.to_hex()]).code,
            0
        );
    }
}
