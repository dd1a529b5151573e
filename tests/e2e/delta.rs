//! SYSTEM.DELTA and resume under `wrangler dev` (docs/protocol.md, "Delta frames", "Resume"): a
//! socket that asked for deltas gets them after its first SYNC; one that drops mid-day and comes
//! back with its version gets a DELTA, not a full SYNC, and ends on the same projection as a
//! socket that never left; so does one that comes back after `wrangler dev` was SIGKILLed and
//! restarted (resume from the room's tail).
//! Run after `make build`: `cargo test --features e2e --test e2e delta::`.
#![cfg(feature = "e2e")]

use crate::support::{Player, WranglerDev};
use serde_json::{json, Value};

pub(crate) fn admin_init(players: usize) -> String {
    let roster: Vec<Value> = (1..=players)
        .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}") }))
        .collect();
    json!({
        "manifest": { "mode": "PECKING_ORDER", "kind": "STATIC", "scheduling": "ADMIN",
                      "startTime": "2026-12-01T09:00:00Z", "schedulePreset": "SMOKE_TEST",
                      "days": [{ "voteType": "MAJORITY" }, { "voteType": "MAJORITY" }, { "voteType": "FINALS" }] },
        "roster": roster,
    })
    .to_string()
}

/// What a delta client holds: the projection and its version.
pub(crate) struct Held {
    pub(crate) state: Value,
    pub(crate) v: u64,
}

impl Held {
    /// Applies one SYNC or DELTA frame (other frames are ignored); a DELTA must name the version
    /// held as its base.
    pub(crate) fn apply(&mut self, f: &Value) {
        match f["type"].as_str() {
            Some("SYSTEM.SYNC") => {
                self.state = f["state"].clone();
                self.v = f["v"].as_u64().expect("v");
            }
            Some("SYSTEM.DELTA") => {
                assert_eq!(
                    f["base"].as_u64(),
                    Some(self.v),
                    "a delta from another base: {f}"
                );
                let patch: json_patch::Patch =
                    serde_json::from_value(f["ops"].clone()).expect("RFC 6902 operations");
                json_patch::patch(&mut self.state, &patch).expect("the delta applies");
                self.v = f["v"].as_u64().expect("v");
            }
            _ => {}
        }
    }

    fn take_all(&mut self, p: &Player, from: usize) {
        for f in &p.frames[from..] {
            self.apply(f);
        }
    }
}

pub(crate) fn is_view(f: &Value) -> bool {
    f["type"] == "SYSTEM.SYNC" || f["type"] == "SYSTEM.DELTA"
}

#[test]
fn a_socket_that_resumes_mid_day_gets_a_delta_and_converges_with_one_that_never_left() {
    let dev = WranglerDev::start();
    let game = "delta-e2e";
    dev.create(game, &admin_init(4));
    dev.inject(game, "START_DAY");
    dev.inject(game, "OPEN_GROUP_CHAT");

    let mut stayer = dev.join_with(game, "p2", "&delta=1");
    let mut leaver = dev.join_with(game, "p2", "&delta=1");
    let mut talker = dev.join(game, "p1");
    assert_eq!(stayer.frames[0]["type"], "SYSTEM.SYNC");
    let mut stay = Held {
        state: Value::Null,
        v: 0,
    };
    let mut away = Held {
        state: Value::Null,
        v: 0,
    };
    stay.apply(&stayer.frames[0]);
    away.apply(&leaver.frames[0]);

    let chat = |i: usize| json!({"type": "SOCIAL.SEND_MSG", "content": format!("message number {i} of the day")});
    for i in 0..5 {
        assert_eq!(talker.act(chat(i))["type"], "ACK");
    }
    let seq = talker.act(chat(5))["seq"].as_u64().unwrap();
    // Both delta sockets see the last message as a DELTA.
    for (p, h) in [(&mut stayer, &mut stay), (&mut leaver, &mut away)] {
        p.wait_for(|f| f["type"] == "SYSTEM.DELTA" && f["v"].as_u64() >= Some(seq));
        h.take_all(p, 1);
    }
    assert!(stayer.frames[1..]
        .iter()
        .filter(|f| is_view(f))
        .all(|f| f["type"] == "SYSTEM.DELTA"));

    // A short blip: the leaver drops, the day goes on, it comes back with its version.
    let held = away.v;
    drop(leaver);
    for i in 6..12 {
        assert_eq!(talker.act(chat(i))["type"], "ACK");
    }
    let transfer = json!({"type": "SOCIAL.SEND_SILVER", "targetId": "p3", "amount": 2});
    let last = talker.act(transfer)["seq"].as_u64().unwrap();
    let mut back = dev.join_with(game, "p2", &format!("&delta=1&v={held}"));
    let first = back.frames[0].clone();
    assert_eq!(first["type"], "SYSTEM.DELTA", "{first}");
    assert_eq!(first["base"].as_u64(), Some(held));
    let bytes = first.to_string().len();
    assert!(bytes < 4096, "a resume after a blip costs {bytes} bytes");
    away.apply(&first);

    // The stayer reaches the same version; both hold exactly what a fresh SYNC would say.
    let from = stayer.frames.len();
    if stay.v < last {
        stayer.wait_for(|f| is_view(f) && f["v"].as_u64() >= Some(last));
    }
    for f in &stayer.frames[from..] {
        stay.apply(f);
    }
    let fresh = dev.join(game, "p2");
    assert_eq!(fresh.frames[0]["v"].as_u64(), Some(away.v));
    assert_eq!(away.v, stay.v);
    assert_eq!(away.state, fresh.frames[0]["state"]);
    assert_eq!(stay.state, fresh.frames[0]["state"]);

    // A bad version, one ahead of the room or older than its stored snapshot (the first, at
    // seq 1) is a full SYNC, never an error.
    for v in ["-1", "x", "999999999", "0"] {
        let p = dev.join_with(game, "p3", &format!("&delta=1&v={v}"));
        assert_eq!(p.frames[0]["type"], "SYSTEM.SYNC", "v={v}");
    }
    // A resync is answered with a full SYNC.
    back.send_text(r#"{"type":"SYSTEM.RESYNC"}"#);
    let sync = back.wait_for(|f| f["type"] == "SYSTEM.SYNC");
    assert_eq!(sync["state"], fresh.frames[0]["state"]);
    // Resyncs count against p2's connect bucket (10 at once, then 10 a minute): a burst of 12
    // more is answered in part, the rest is ERROR RATE_LIMITED with its ref, and the socket
    // stays usable.
    let from = back.frames.len();
    for i in 0..12 {
        back.send_text(&format!(r#"{{"type":"SYSTEM.RESYNC","ref":"rs{i}"}}"#));
    }
    // A socket's frames are handled in order: the ACK comes after every resync's answer.
    let chat_ack = back.act(chat(99));
    assert_eq!(chat_ack["type"], "ACK", "{chat_ack}");
    let answers = &back.frames[from..];
    let syncs = answers
        .iter()
        .filter(|f| f["type"] == "SYSTEM.SYNC")
        .count();
    let limited: Vec<&Value> = answers
        .iter()
        .filter(|f| f["type"] == "ERROR" && f["code"] == "RATE_LIMITED")
        .collect();
    assert!(
        !limited.is_empty() && syncs >= 1,
        "{syncs} SYNCs, {} refused",
        limited.len()
    );
    assert_eq!(syncs + limited.len(), 12, "every resync is answered once");
    assert!(limited
        .iter()
        .all(|f| f["ref"].as_str().is_some_and(|r| r.starts_with("rs"))));
}

/// Resume across a restart: the room has forgotten every frame it sent, but a socket that held
/// version v and comes back with `&v=` after `wrangler dev` was SIGKILLed and started again gets
/// one SYSTEM.DELTA rebuilt from the room's tail (here from the previous snapshot + entries
/// since: v is older than the stored snapshot), which brings what it held to exactly the
/// projection a fresh SYNC carries.
#[test]
fn after_a_sigkill_and_restart_a_resume_with_its_version_gets_a_delta_from_the_tail() {
    let mut dev = WranglerDev::start();
    let game = "resume-restart";
    dev.create(game, &admin_init(4));
    dev.inject(game, "START_DAY");
    dev.inject(game, "OPEN_GROUP_CHAT");

    let mut p2 = dev.join_with(game, "p2", "&delta=1");
    let mut talker = dev.join(game, "p1");
    let mut held = Held {
        state: Value::Null,
        v: 0,
    };
    let chat =
        |i: usize| json!({"type": "SOCIAL.SEND_MSG", "content": format!("before the restart {i}")});
    let mut seq = 0;
    for i in 0..4 {
        let ack = talker.act(chat(i));
        assert_eq!(ack["type"], "ACK");
        seq = ack["seq"].as_u64().unwrap();
    }
    p2.wait_for(|f| is_view(f) && f["v"].as_u64() >= Some(seq));
    held.take_all(&p2, 0);
    assert_eq!(held.v, seq);
    drop(p2);
    // The day goes on without p2, then the instance dies with every socket.
    for i in 4..10 {
        assert_eq!(talker.act(chat(i))["type"], "ACK");
    }
    // 64 refused transfers (journaled, no view changes): p2's version is now older than the
    // stored snapshot (one is written every 64 entries), so the resume rebuilds from the
    // previous snapshot (docs/protocol.md, "Resume").
    let refused = json!({"type": "SOCIAL.SEND_SILVER", "targetId": "p3", "amount": 1_000_000});
    for _ in 0..64 {
        // Within the action rate (10 a second).
        std::thread::sleep(std::time::Duration::from_millis(120));
        assert_eq!(talker.act(refused.clone())["type"], "ERROR");
    }
    let transfer = json!({"type": "SOCIAL.SEND_SILVER", "targetId": "p2", "amount": 3});
    let head = talker.act(transfer)["seq"].as_u64().unwrap();
    assert!(head - held.v > 64, "{} {head}", held.v);
    drop(talker);
    std::thread::sleep(std::time::Duration::from_millis(500));
    dev.kill_hard();
    dev.start_again();

    let back = dev.join_with(game, "p2", &format!("&delta=1&v={}", held.v));
    let first = back.frames[0].clone();
    assert_eq!(first["type"], "SYSTEM.DELTA", "{first}");
    assert_eq!(first["base"].as_u64(), Some(held.v));
    assert_eq!(first["v"].as_u64(), Some(head));
    let bytes = first.to_string().len();
    held.apply(&first);
    let fresh = dev.join(game, "p2");
    assert_eq!(fresh.frames[0]["v"].as_u64(), Some(head));
    assert_eq!(held.state, fresh.frames[0]["state"]);
    let sync_bytes = fresh.frames[0].to_string().len();
    assert!(
        bytes < sync_bytes,
        "the resume ({bytes} bytes) is smaller than the SYNC ({sync_bytes})"
    );
    println!("FIGURE resume after a restart: DELTA {bytes} bytes, SYNC {sync_bytes} bytes");
    // Ahead of the room or malformed: the full SYNC, after a restart as before.
    for v in [format!("{}", head + 1), "-1".into(), "x".into()] {
        let p = dev.join_with(game, "p3", &format!("&delta=1&v={v}"));
        assert_eq!(p.frames[0]["type"], "SYSTEM.SYNC", "v={v}");
    }
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn min_median(mut v: Vec<f64>) -> String {
    v.sort_by(|a, b| a.total_cmp(b));
    format!(
        "min {:.1} ms, median {:.1} ms ({} runs: {:?})",
        v[0],
        v[v.len() / 2],
        v.len(),
        v.iter()
            .map(|x| (x * 10.0).round() / 10.0)
            .collect::<Vec<_>>()
    )
}

/// Cold start figures for BENCHMARKS.md (never asserted): per run, a fresh `wrangler dev`, a room
/// with `COLD_ACTIONS` (default 1,000) chat messages, then SIGKILL and a restart; timed: the
/// first `GET …/state` after the restart (`/health` has answered, so the worker is up: this is
/// the room's own cold start: storage read, snapshot decode, tail fold, projection), the first
/// SYNC of a socket that connects after the same restart (a second kill and restart), and a warm
/// reconnect. `COLD_ROOT=<checkout>` measures another build, `COLD_RUNS` (default 5) runs:
/// `cargo test --features e2e --test e2e -- --ignored delta::cold_start --nocapture`.
#[test]
#[ignore = "prints figures for BENCHMARKS.md"]
fn cold_start_figures() {
    use std::time::Instant;
    let root = std::env::var("COLD_ROOT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| crate::support::repo_root());
    let runs: usize = std::env::var("COLD_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let actions: usize = std::env::var("COLD_ACTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let (mut state_ms, mut sync_ms, mut warm_ms, mut first_ms) = (vec![], vec![], vec![], vec![]);
    for _ in 0..runs {
        let mut dev = WranglerDev::start_at(
            root.clone(),
            &[("WS_RATE_PER_S", "1000"), ("WS_RATE_BURST", "1000")],
        );
        let game = "cold";
        let t = Instant::now();
        dev.create(game, &admin_init(4));
        first_ms.push(ms(t.elapsed()));
        dev.inject(game, "START_DAY");
        dev.inject(game, "OPEN_GROUP_CHAT");
        let mut p = dev.join(game, "p1");
        for i in 0..actions {
            let msg = json!({"type": "SOCIAL.SEND_MSG", "content": format!("message {i}")});
            assert_eq!(p.act(msg)["type"], "ACK");
        }
        drop(p);
        std::thread::sleep(std::time::Duration::from_secs(1));
        dev.kill_hard();
        dev.start_again();
        let t = Instant::now();
        let r = dev.get(&format!("/parties/game-server/{game}/state"));
        state_ms.push(ms(t.elapsed()));
        assert_eq!(r.status, 200);
        dev.kill_hard();
        dev.start_again();
        let t = Instant::now();
        let p = dev.join(game, "p2");
        sync_ms.push(ms(t.elapsed()));
        drop(p);
        let t = Instant::now();
        let p = dev.join(game, "p2");
        warm_ms.push(ms(t.elapsed()));
        drop(p);
    }
    println!("FIGURE root {}", root.display());
    println!(
        "FIGURE first request of a fresh wrangler dev (POST …/init): {}",
        min_median(first_ms)
    );
    println!(
        "FIGURE cold room, first GET …/state after a restart ({actions} entries): {}",
        min_median(state_ms)
    );
    println!(
        "FIGURE cold room, first SYNC after a restart: {}",
        min_median(sync_ms)
    );
    println!("FIGURE warm reconnect, SYNC: {}", min_median(warm_ms));
}
