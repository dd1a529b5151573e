//! A short run of every fuzz target inside `cargo test` (`make fuzz` runs them longer; the
//! iteration counts scale with FUZZ_ITERS). Docs: docs/testing.md, "Fuzzing".

use pecking_order_sim::fuzz::{self, TARGETS};

#[test]
fn every_fuzz_target_survives_a_short_run() {
    let scale: u64 = std::env::var("FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let mut failures = Vec::new();
    for t in TARGETS {
        assert!(
            !fuzz::corpus(t.name).is_empty() || t.gen.is_some(),
            "{}: no corpus",
            t.name
        );
        // The slow targets (a file and a whole game per input) run a tenth as often.
        // A D1 SQLite file written to disk per input: a hundredth.
        let iters = match t.name {
            "export" | "engine" | "checkpoint" | "resume" => scale / 10,
            "sqlite" => scale / 100,
            _ => scale,
        };
        if let Err(f) = fuzz::run(t, 1, iters) {
            failures.push(f.to_string());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_corpus_is_accepted_where_it_is_valid() {
    use pecking_order::room::{parse_admin_request, parse_client_message, token, Room};
    for f in fuzz::corpus("admin") {
        parse_admin_request(&f).expect("an admin corpus entry decodes");
    }
    for f in fuzz::corpus("init") {
        Room::create("c", &f, fuzz::NOW, [1; 32]).expect("an init corpus entry creates a room");
    }
    for f in fuzz::corpus("snapshot") {
        Room::from_snapshot(&f).expect("a snapshot corpus entry loads");
    }
    for t in fuzz::corpus("token") {
        let t = String::from_utf8(t).expect("utf-8");
        token::verify(fuzz::SECRET.as_bytes(), &t, "g1", fuzz::NOW / 1000)
            .expect("a corpus token verifies");
    }
    let decoded = fuzz::corpus("frame")
        .iter()
        .filter(|f| parse_client_message(f).is_ok())
        .count();
    assert!(decoded >= 15, "{decoded} corpus frames decode");
}

/// The checkpoint target's unfuzzed note and key verify against its journal (exit 0), not
/// with another key, and its receipts check (exit 0): the targets start from inputs that pass.
#[test]
fn the_checkpoint_and_receipt_corpora_verify() {
    let (journal, note, key) = fuzz::checkpoint_fixture();
    let dir = std::env::temp_dir().join(format!("po-fuzz-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (j, n, r) = (dir.join("j.jsonl"), dir.join("n.txt"), dir.join("r.json"));
    std::fs::write(&j, &journal).unwrap();
    std::fs::write(&n, &note).unwrap();
    let run = |args: &[&str]| {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        pecking_order_replay::cli::run(&args, &mut Vec::new(), &mut Vec::new())
    };
    let (js, ns) = (j.display().to_string(), n.display().to_string());
    assert_eq!(run(&["verify", &js, "--checkpoint", &ns, "--key", &key]), 0);
    // The same note with another key's verifier: refused.
    let other = pecking_order::checkpoint::CheckpointKey::from_secret(&"cd".repeat(32))
        .unwrap()
        .verifier_key();
    assert_ne!(
        run(&["verify", &js, "--checkpoint", &ns, "--key", &other]),
        0
    );
    for receipts in fuzz::receipts_corpus() {
        std::fs::write(&r, receipts).unwrap();
        let rs = r.display().to_string();
        assert_eq!(run(&["receipt-check", &js, "--receipts", &rs]), 0);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
