//! The operator's D1 routes end to end under `wrangler dev` (docs/protocol.md, "Operator
//! routes"): `GET /parties/game-server` lists the rooms D1 holds, `GET …/verify` checks D1's
//! journal from seq 1 and names the entry a tampered D1 row breaks.
//!
//! Run with `make test`, or after `make build`: `cargo test --features e2e --test e2e operator::`.
#![cfg(feature = "e2e")]

use crate::support::WranglerDev;

use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use pecking_order::room::operator::{RoomsResponse, VerifyResponse, VerifyStatus};
use pecking_order::room::Lifecycle;
use serde_json::{json, Value};

fn init_body() -> String {
    let roster: Vec<Value> = (1..=3)
        .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}") }))
        .collect();
    json!({
        "manifest": { "kind": "STATIC", "scheduling": "ADMIN", "startTime": "2026-12-01T09:00:00Z",
                      "days": [{ "voteType": "MAJORITY" }, { "voteType": "FINALS" }] },
        "roster": roster,
    })
    .to_string()
}

/// The operator state once D1 has confirmed every entry (the condition, never a sleep).
fn confirmed(dev: &WranglerDev, game: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let st = dev.state(game);
        if st["outboxLag"] == 0 {
            return st;
        }
        assert!(Instant::now() < deadline, "the outbox never drained: {st}");
        thread::sleep(Duration::from_millis(100));
    }
}

fn rooms(dev: &WranglerDev, query: &str) -> RoomsResponse {
    let r = dev.get(&format!("/parties/game-server{query}"));
    assert_eq!(r.status, 200, "{}", r.text());
    serde_json::from_value(r.json()).expect("a RoomsResponse")
}

fn verify(dev: &WranglerDev, game: &str) -> VerifyResponse {
    let r = dev.get(&format!("/parties/game-server/{game}/verify"));
    assert_eq!(r.status, 200, "{}", r.text());
    serde_json::from_value(r.json()).expect("a VerifyResponse")
}

/// Alters the local D1 file with the sqlite3 CLI (waiting on wrangler's lock if it holds it).
fn tamper(dev: &WranglerDev, sql: &str) {
    let files = dev.d1_files();
    assert_eq!(files.len(), 1, "one local D1 file: {files:?}");
    let out = Command::new("sqlite3")
        .args(["-cmd", ".timeout 10000"])
        .arg(&files[0])
        .arg(sql)
        .stdin(Stdio::null())
        .output()
        .expect("run sqlite3 (installed by scripts/setup.sh)");
    assert!(
        out.status.success(),
        "sqlite3: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_operator_lists_rooms_and_verifies_d1_journals_and_sees_tampering() {
    let dev = WranglerDev::start();
    // The bearer is required, and a wrong one is told apart from a missing one only in words.
    for path in ["/parties/game-server", "/parties/game-server/op-1/verify"] {
        for auth in [None, Some("Bearer not-the-secret")] {
            let r = dev.request("GET", path, auth, None).unwrap();
            assert_eq!(
                (r.status, r.error_code()),
                (401, "UNAUTHORIZED".into()),
                "{path}"
            );
        }
    }
    let r = dev.post("/parties/game-server", "{}");
    assert_eq!(
        (r.status, r.error_code()),
        (405, "METHOD_NOT_ALLOWED".into())
    );
    let r = dev.get("/parties/game-server?limit=0");
    assert_eq!((r.status, r.error_code()), (400, "BAD_QUERY".into()));
    let r = dev.get("/parties/game-server?status=DONE");
    assert_eq!((r.status, r.error_code()), (400, "BAD_QUERY".into()));
    let r = dev.get("/parties/game-server/bad%20id/verify");
    assert_eq!((r.status, r.error_code()), (400, "BAD_GAME_ID".into()));
    assert_eq!(rooms(&dev, "").total, 0);

    dev.create("op-1", &init_body());
    dev.create("op-2", &init_body());
    dev.admin("op-1", json!({ "type": "NEXT_STAGE" }));
    dev.inject("op-1", "OPEN_GROUP_CHAT");
    dev.admin("op-2", json!({ "type": "NEXT_STAGE" }));
    let st = confirmed(&dev, "op-1");
    confirmed(&dev, "op-2");

    let all = rooms(&dev, "");
    assert_eq!(all.total, 2);
    let one = all
        .rooms
        .iter()
        .find(|r| r.game_id == "op-1")
        .expect("op-1 listed");
    assert_eq!((one.status, one.players), (Lifecycle::Active, 3));
    assert_eq!(one.d1_head_seq, st["seq"].as_u64().unwrap());
    assert_eq!(rooms(&dev, "?status=ACTIVE").total, 2);
    assert_eq!(rooms(&dev, "?status=COMPLETED").rooms.len(), 0);
    let first = rooms(&dev, "?limit=1");
    assert_eq!((first.rooms.len(), first.next_offset), (1, Some(1)));
    let second = rooms(&dev, "?limit=1&offset=1");
    assert_eq!((second.rooms.len(), second.next_offset), (1, None));
    assert_ne!(first.rooms[0].game_id, second.rooms[0].game_id);

    // D1's chain ends where the room's does.
    let v = verify(&dev, "op-1");
    assert_eq!(v.status, VerifyStatus::Verified, "{v:?}");
    assert_eq!(v.head_seq, st["seq"].as_u64().unwrap());
    assert_eq!(v.head_hash.as_deref(), st["journalHead"].as_str());
    assert_eq!(verify(&dev, "no-such-game").status, VerifyStatus::Empty);

    // One altered D1 row: verification names it; the other game still verifies.
    tamper(
        &dev,
        "UPDATE journal SET payload = '{\"type\":\"forged\"}' WHERE game_id = 'op-1' AND seq = 2",
    );
    let v = verify(&dev, "op-1");
    assert_eq!(v.status, VerifyStatus::Broken, "{v:?}");
    assert_eq!(
        (v.first_bad_seq, v.bad_field.as_deref()),
        (Some(2), Some("hash"))
    );
    assert_eq!(v.entries_checked, 1);
    assert_eq!(verify(&dev, "op-2").status, VerifyStatus::Verified);
    // A missing row is named too (here the first: the next row has seq 2).
    tamper(
        &dev,
        "DELETE FROM journal WHERE game_id = 'op-2' AND seq = 1",
    );
    let v = verify(&dev, "op-2");
    assert_eq!((v.status, v.first_bad_seq), (VerifyStatus::Broken, Some(1)));
    assert_eq!(v.bad_field.as_deref(), Some("seq"));
}

/// How long `…/verify` takes on a longer journal (figures for the report, not an assertion on
/// speed): `cargo test --release --features e2e --test e2e -- --ignored operator::verify_figures --nocapture`.
#[test]
#[ignore]
fn verify_figures() {
    let entries: u64 = std::env::var("VERIFY_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2500);
    let dev = WranglerDev::start();
    dev.create("fig-1", &init_body());
    dev.admin("fig-1", json!({ "type": "NEXT_STAGE" }));
    for i in 0..entries.saturating_sub(2) {
        let p = format!("p{}", 1 + i % 3);
        dev.admin(
            "fig-1",
            json!({ "type": "CREDIT_SILVER", "rewards": { p: 1 } }),
        );
    }
    let st = confirmed(&dev, "fig-1");
    for round in 0..3 {
        let t = Instant::now();
        let v = verify(&dev, "fig-1");
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(v.status, VerifyStatus::Verified);
        assert_eq!(v.head_seq, st["seq"].as_u64().unwrap());
        eprintln!(
            "verify round {round}: {} entries in {ms:.0} ms wall-clock",
            v.entries_checked
        );
    }
}
