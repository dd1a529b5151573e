//! A journal whose chain is intact but whose recorded facts differ from what this engine
//! recomputes is reported as diverged (exit 3), not as tampered.

use crate::common;

use common::*;
use pecking_order_replay::{audit::check_chain, source};

#[test]
fn resealed_facts_are_divergence_not_tampering() {
    let (live, mut journal) = sim_game();
    let k = find_fact(&journal, "\"TRANSFER_IN\"");
    let seq = journal[k].seq;
    let original = journal[k].facts.clone();
    journal[k].facts = original.replace("\"reason\":\"TRANSFER_IN\"", "\"reason\":\"GIFT\"");
    assert_ne!(journal[k].facts, original);
    reseal(&mut journal, k);

    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "drift.sqlite", &journal);
    // The chain itself is intact.
    let j = source::load(&db, None).unwrap();
    assert_eq!(check_chain(&j).unwrap(), journal.last().unwrap().hash);
    assert_ne!(journal.last().unwrap().hash, live.head());

    let run = po(&["verify", path_str(&db)]);
    assert_eq!(run.code, 3, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("chain:   OK"), "{}", run.stdout);
    assert!(!run.stderr.contains("TAMPERED"), "{}", run.stderr);
    assert!(run.stdout.contains(&format!("DIVERGED: this engine (po-engine/0.1.0) recomputes different results for 1 of {} entries, first at seq {seq}", journal.len())), "{}", run.stdout);

    let run = po(&["diff", path_str(&db)]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("seq {seq}  SOCIAL.SEND_SILVER")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("  recorded:   {}", journal[k].facts)),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!("  recomputed: {original}")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\"reason\":\"GIFT\"") && run.stdout.contains("fact #1: recorded"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("1 of {} entries differ", journal.len())),
        "{}",
        run.stdout
    );

    // Other verbs still answer, say so on stderr, and exit 3.
    let run = po(&["explain", path_str(&db), "--payout"]);
    assert_eq!(run.code, 3);
    assert!(run.stdout.contains("Gold movements"), "{}", run.stdout);
    assert!(run.stderr.contains("warning: DIVERGED"), "{}", run.stderr);
    let page = dir.path().join("drift.html");
    let run = po(&["report", path_str(&db), "--out", path_str(&page)]);
    assert_eq!(run.code, 3);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("class=\"bad\" id=\"integrity\">Hash chain intact, but DIVERGED"),
        "integrity line"
    );
}

#[test]
fn a_changed_verdict_diverges_and_diff_goes_on_past_it() {
    let (_, mut journal) = sim_game();
    // Turn an accepted transfer into a recorded rejection: later balances then differ too.
    let k = journal
        .iter()
        .position(|e| e.typ == "SOCIAL.SEND_SILVER" && e.verdict.is_accepted())
        .unwrap();
    journal[k].verdict = pecking_order::journal::Verdict::Rejected("INSUFFICIENT_SILVER".into());
    journal[k].facts = "[]".into();
    reseal(&mut journal, k);
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "verdict.sqlite", &journal);
    let run = po(&["diff", path_str(&db)]);
    assert_eq!(run.code, 3);
    assert!(
        run.stdout
            .contains(&format!("seq {}  SOCIAL.SEND_SILVER", journal[k].seq)),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("verdict:    recorded   REJECTED:INSUFFICIENT_SILVER"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("recomputed ACCEPTED"), "{}", run.stdout);
}

#[test]
fn a_clean_journal_has_no_differences() {
    let (_, journal) = sim_game();
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "clean.sqlite", &journal);
    let run = po(&["diff", path_str(&db)]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .starts_with(&format!("no differences: all {} entries", journal.len())),
        "{}",
        run.stdout
    );
}
