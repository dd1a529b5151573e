//! Signed checkpoints end to end (docs/audit.md): under `wrangler dev` with the harness's
//! CHECKPOINT_KEY, `GET /checkpoint-key` serves the key, a socket receives a signed checkpoint
//! on the operator's request and at a day's end, and `po-replay verify --checkpoint` checks it
//! against the local D1 journal. Run after `make build`:
//! `cargo build -p pecking-order-replay && cargo test --features e2e --test e2e checkpoint::`.
#![cfg(feature = "e2e")]

use crate::support;

use pecking_order::checkpoint::{verify_note, CheckpointKey, PublicKey};
use serde_json::{json, Value};
use std::thread;
use std::time::{Duration, Instant};
use support::WranglerDev;

const GAME: &str = "cp-1";

#[test]
fn a_socket_receives_signed_checkpoints_that_po_replay_checks_against_d1() {
    let dev = WranglerDev::start();
    let r = dev.get("/checkpoint-key");
    assert_eq!(r.status, 200, "{}", r.text());
    let served = r.text();
    let key = PublicKey::parse(served.trim()).expect("a verifier key");
    let ours = CheckpointKey::from_secret(support::CHECKPOINT_KEY).unwrap();
    assert_eq!(served.trim(), ours.verifier_key());

    let roster: Vec<Value> = (1..=4)
        .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}") }))
        .collect();
    let body = json!({
        "manifest": { "kind": "STATIC", "scheduling": "ADMIN", "startTime": "2026-12-01T09:00:00Z",
                      "days": [{ "voteType": "MAJORITY" }, { "voteType": "FINALS" }] },
        "roster": roster,
    });
    dev.create(GAME, &body.to_string());
    let mut p1 = dev.join(GAME, "p1");

    // On request: the admin answer and the frame carry the same signed note.
    let answer = dev.admin(GAME, json!({ "type": "CHECKPOINT" }));
    let note = answer["note"].as_str().expect("a note").to_string();
    let frame = p1.wait_for(|f| f["type"] == "CHECKPOINT");
    assert_eq!(frame["note"], json!(note));
    let cp = verify_note(&note, &key).expect("the note verifies");
    assert_eq!(
        (cp.game_id.as_str(), cp.seq),
        (GAME, answer["seq"].as_u64().unwrap())
    );

    // At a day's end.
    dev.admin(GAME, json!({ "type": "NEXT_STAGE" })); // day 1
    let ack = p1.act(json!({ "type": "SOCIAL.SEND_SILVER", "targetId": "p2", "amount": 1 }));
    assert_eq!(ack["type"], "ACK", "{ack}");
    assert_eq!(
        ack["head"].as_str().map(str::len),
        Some(64),
        "a receipt: {ack}"
    );
    dev.admin(GAME, json!({ "type": "NEXT_STAGE" })); // night: day 1 ends
    let frame = p1.wait_for(|f| f["type"] == "CHECKPOINT");
    let day_end = frame["note"].as_str().unwrap().to_string();
    let cp = verify_note(&day_end, &key).expect("the day-end note verifies");
    assert_eq!(cp.day, 1);

    let deadline = Instant::now() + Duration::from_secs(30);
    while dev.state(GAME)["outboxLag"] != 0 {
        assert!(Instant::now() < deadline, "outbox never drained");
        thread::sleep(Duration::from_millis(200));
    }
    let files = dev.d1_files();
    let db = files
        .iter()
        .find(|f| {
            !support::sqlite_json(f, "SELECT name FROM sqlite_master WHERE name = 'journal'")
                .is_empty()
        })
        .expect("a local D1 file with a journal table")
        .to_string_lossy()
        .into_owned();
    // Next to the instance's state (removed with it).
    let dir = dev.persist_dir.parent().expect("the instance directory");
    let a = dir.join("request.note");
    let b = dir.join("day1.note");
    std::fs::write(&a, &note).unwrap();
    std::fs::write(&b, &day_end).unwrap();
    let receipts = dir.join("p1.receipts");
    std::fs::write(&receipts, ack.to_string()).unwrap();
    let (code, out, err) = crate::replay::run(&[
        "verify",
        &db,
        "--game",
        GAME,
        "-q",
        "--checkpoint",
        a.to_str().unwrap(),
        "--checkpoint",
        b.to_str().unwrap(),
        "--key",
        served.trim(),
    ]);
    assert_eq!(code, 0, "verify: {out}\n{err}");
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("checkpoint: "))
            .count(),
        2,
        "{out}"
    );
    let (code, out, err) = crate::replay::run(&[
        "receipt-check",
        &db,
        "--game",
        GAME,
        "-q",
        "--receipts",
        receipts.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "receipt-check: {out}\n{err}");
}
