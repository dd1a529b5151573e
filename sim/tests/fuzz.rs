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
        let iters = match t.name {
            "export" | "engine" => scale / 10,
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
