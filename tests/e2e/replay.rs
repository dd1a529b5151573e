//! The audit path end to end: a game played through the real worker under `wrangler dev`
//! (players over WebSocket, the operator over the admin route, to a winner), then rebuilt from
//! the local D1 database file by `po-replay`, which must verify the chain, reproduce every
//! verdict and fact, and reach the state the room held.
//! Run with `make test` (after the native tests built `po-replay`), or after `make build`:
//! `cargo build -p pecking-order-replay && cargo test --features e2e --test e2e replay::`.
#![cfg(feature = "e2e")]

use crate::support;

use std::path::PathBuf;
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use pecking_order::room::token::{mint, Claims};
use serde_json::{json, Value};
use support::{connect, Connected, Player, WranglerDev};

const GAME: &str = "audit-1";

fn now_s() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn join(dev: &WranglerDev, player: &str) -> Player {
    let t = mint(
        dev.token_secret.as_bytes(),
        &Claims {
            sub: format!("user-{player}"),
            game_id: GAME.into(),
            player_id: player.into(),
            exp: now_s() + 3600,
        },
    );
    match connect(dev.port, GAME, Some(&t)) {
        Connected::Open(p) => *p,
        Connected::Closed(c) => panic!("{player} was closed with {c:?}"),
        Connected::Refused(s) => panic!("{player} was refused with {s}"),
    }
}

fn admin(dev: &WranglerDev, body: Value) -> Value {
    let r = dev.post(
        &format!("/parties/game-server/{GAME}/admin"),
        &body.to_string(),
    );
    assert_eq!(r.status, 200, "{body}: {}", r.text());
    let v = r.json();
    assert_eq!(v["verdict"], "ACCEPTED", "{body}: {v}");
    v
}

fn inject(dev: &WranglerDev, action: &str) {
    admin(
        dev,
        json!({ "type": "INJECT_TIMELINE_EVENT", "action": action }),
    );
}

fn state(dev: &WranglerDev) -> Value {
    let r = dev.get(&format!("/parties/game-server/{GAME}/state"));
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

/// `target/debug/po-replay`, built by the native test run (or built here if it is missing).
fn po_replay() -> PathBuf {
    let root = support::repo_root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let bin = target.join("debug").join("po-replay");
    if !bin.exists() {
        let ok = Command::new(env!("CARGO"))
            .args([
                "build",
                "-q",
                "-p",
                "pecking-order-replay",
                "--bin",
                "po-replay",
            ])
            .current_dir(&root)
            .status()
            .expect("cargo build po-replay");
        assert!(ok.success(), "building po-replay failed");
    }
    bin
}

pub(crate) fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(po_replay())
        .args(args)
        .output()
        .expect("run po-replay");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_game_played_through_the_worker_replays_from_local_d1_to_the_state_the_room_held() {
    let dev = WranglerDev::start();
    let roster: Vec<Value> = (1..=4)
        .map(|i| {
            json!({ "id": format!("p{i}"), "personaName": format!("Player {i}"), "realUserId": format!("user-{i}") })
        })
        .collect();
    let body = json!({
        "manifest": { "kind": "STATIC", "scheduling": "ADMIN", "startTime": "2026-12-01T09:00:00Z",
                      "initialGoldPool": 30,
                      "days": [{ "voteType": "MAJORITY" }, { "voteType": "FINALS" }] },
        "roster": roster,
    });
    let r = dev.post(
        &format!("/parties/game-server/{GAME}/init"),
        &body.to_string(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let mut p: Vec<Player> = ["p1", "p2", "p3", "p4"]
        .iter()
        .map(|id| join(&dev, id))
        .collect();

    admin(&dev, json!({ "type": "NEXT_STAGE" })); // day 1
    inject(&dev, "OPEN_GROUP_CHAT");
    for (i, pl) in p.iter_mut().enumerate() {
        let ack = pl
            .act(json!({ "type": "SOCIAL.SEND_MSG", "content": format!("hello from p{}", i + 1) }));
        assert_eq!(ack["type"], "ACK", "{ack}");
    }
    let ack = p[0].act(json!({ "type": "SOCIAL.SEND_SILVER", "targetId": "p2", "amount": 7 }));
    assert_eq!(ack["type"], "ACK", "{ack}");
    inject(&dev, "OPEN_VOTING");
    // p1, p2 and p3 vote out p4; p4 votes for p1 and then changes its mind; an ineligible vote
    // is refused (journaled as REJECTED).
    for (i, target) in [(0, "p4"), (1, "p4"), (2, "p4"), (3, "p1"), (3, "p2")] {
        let ack = p[i].act(json!({ "type": "VOTE.MAJORITY.CAST", "targetId": target }));
        assert_eq!(ack["type"], "ACK", "{ack}");
    }
    let refused = p[0].act(json!({ "type": "VOTE.FINALS.CAST", "targetId": "p2" }));
    assert_eq!(refused["type"], "ERROR", "{refused}");
    inject(&dev, "CLOSE_VOTING");
    admin(&dev, json!({ "type": "NEXT_STAGE" })); // night: p4 is eliminated
    admin(&dev, json!({ "type": "NEXT_STAGE" })); // day 2: FINALS
    inject(&dev, "OPEN_VOTING");
    let ack = p[3].act(json!({ "type": "VOTE.FINALS.CAST", "targetId": "p2" }));
    assert_eq!(ack["type"], "ACK", "{ack}");
    inject(&dev, "CLOSE_VOTING");
    admin(&dev, json!({ "type": "NEXT_STAGE" })); // the FINALS winner is crowned; the seed is revealed

    let deadline = Instant::now() + Duration::from_secs(30);
    while state(&dev)["outboxLag"] != 0 {
        assert!(Instant::now() < deadline, "outbox never drained");
        thread::sleep(Duration::from_millis(200));
    }
    let live = state(&dev);
    assert_eq!(live["winner"], "p2", "{live}");
    assert_eq!(live["phase"], "GAME_SUMMARY");

    // The local D1 file wrangler dev keeps, as an auditor would take it.
    let files = dev.d1_files();
    let db = files.iter().find(|f| {
        !support::sqlite_json(f, "SELECT name FROM sqlite_master WHERE name = 'journal'").is_empty()
    });
    let db = db
        .expect("a local D1 file with a journal table")
        .to_string_lossy()
        .into_owned();

    let (code, out, err) = run(&["verify", &db, "--game", GAME]);
    assert_eq!(code, 0, "verify: {out}\n{err}");
    assert!(
        out.contains(live["journalHead"].as_str().unwrap()),
        "verify names the head: {out}"
    );

    let last = live["seq"].as_u64().expect("seq").to_string();
    let (code, out, err) = run(&["state", &db, "--game", GAME, "--at", &last, "--public"]);
    assert_eq!(code, 0, "state: {out}\n{err}");
    let replayed: Value = serde_json::from_str(&out).expect("state prints JSON");
    // The operator view is the public projection plus chain and D1 fields: every key of the
    // replayed public projection must hold the value the room held.
    let replayed = replayed.as_object().expect("an object");
    assert!(replayed.contains_key("roster") && replayed.contains_key("results"));
    for (k, v) in replayed {
        assert_eq!(
            &live[k], v,
            "po-replay rebuilds the room's state: field {k}"
        );
    }

    // Wallets: gold won in the game, derived from the D1 journal by SQL, equals each player's
    // gold in the room (they brought none in).
    for p in live["roster"].as_array().expect("roster") {
        let user = format!("user-{}", p["id"].as_str().unwrap().trim_start_matches('p'));
        let rows = dev.d1_query(&format!(
            "SELECT gold FROM wallet_balances WHERE real_user_id = '{user}'"
        ));
        let gold = rows
            .first()
            .map(|r| r["gold"].as_i64().unwrap_or(0))
            .unwrap_or(0);
        assert_eq!(gold, p["gold"].as_i64().unwrap(), "wallet of {user}");
    }
    assert!(
        live["roster"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["gold"].as_i64() >= Some(30)),
        "the winner took the pool"
    );

    let (code, out, err) = run(&["explain", &db, "--game", GAME, "--day", "1"]);
    assert_eq!(code, 0, "explain: {out}\n{err}");
    assert!(
        out.contains("p4"),
        "the day's elimination is explained: {out}"
    );
}
