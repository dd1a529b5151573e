//! The bytes figures of BENCHMARKS.md ("Bytes on the wire"), measured over the real host: one
//! 20-player room, a bystander with two sockets side by side (one with `delta=1`, one without),
//! and what each receives per chat message, silver transfer and vote as the day's chat grows,
//! plus what a resume costs against a full SYNC. Exact and deterministic (no clock, no network):
//! `cargo test --lib delta_figures -- --ignored --nocapture`.

use super::*;
use crate::room::protocol::ServerMessage;

fn init_20() -> String {
    let roster: Vec<Value> = (1..=20)
        .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}") }))
        .collect();
    json!({
        "manifest": { "mode": "PECKING_ORDER", "kind": "STATIC", "scheduling": "ADMIN",
                      "startTime": iso(T0 + 86_400_000), "schedulePreset": "SMOKE_TEST",
                      "days": [{ "voteType": "MAJORITY" }, { "voteType": "MAJORITY" }, { "voteType": "FINALS" }] },
        "roster": roster,
    })
    .to_string()
}

/// Bytes of the view frames (SYNC or DELTA) `fx` sends to `socket`.
fn view_bytes(fx: &[Effect], socket: &str) -> usize {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Send { socket: s, text } if s == socket => Some(text),
            _ => None,
        })
        .filter(|t| {
            t.starts_with(r#"{"type":"SYSTEM.SYNC""#) || t.starts_with(r#"{"type":"SYSTEM.DELTA""#)
        })
        .map(String::len)
        .sum()
}

/// A 40-character chat message.
fn chat(i: usize) -> String {
    let text = format!("{i:>5} a forty character chat message....");
    assert_eq!(text.chars().count(), 40);
    json!({"type": "SOCIAL.SEND_MSG", "content": text}).to_string()
}

#[test]
#[ignore = "prints the figures of BENCHMARKS.md"]
fn delta_figures() {
    let mut rig = Rig::new(config());
    let fx = rig.create(&init_20());
    rig.answer_d1(&fx, Ok(()));
    rig.inject("START_DAY");
    rig.inject("OPEN_GROUP_CHAT");
    rig.inject("OPEN_VOTING");
    rig.settle();
    // Every player has a socket (the talkers), the bystander p20 two: with and without deltas.
    let sockets: Vec<String> = (1..=19).map(|i| rig.connect(&format!("p{i}"))).collect();
    let (delta, _) = rig.connect_delta("p20", None);
    let plain = rig.connect("p20");
    // p19's second socket is the one that drops and resumes.
    let mut sent_msgs = 0;
    let step = |rig: &mut Rig, who: usize, text: &str| -> Vec<Effect> {
        rig.advance(SYNC_INTERVAL_MS + 5);
        let p = format!("p{}", who + 1);
        rig.frame(&sockets[who].clone(), &p, text)
    };
    println!("| chat messages so far | event | full SYNC (bytes) | DELTA (bytes) | ratio |");
    println!("|---:|---|---:|---:|---:|");
    let mut voter = 0;
    for mark in [0usize, 30, 100, 300] {
        while sent_msgs < mark {
            let _ = step(&mut rig, sent_msgs % 17, &chat(sent_msgs));
            sent_msgs += 1;
        }
        let events = [
            ("chat message (40 chars)", chat(sent_msgs)),
            (
                "silver transfer p1 → p2",
                json!({"type": "SOCIAL.SEND_SILVER", "targetId": "p2", "amount": 1}).to_string(),
            ),
            (
                "vote cast",
                json!({"type": "VOTE.MAJORITY.CAST", "targetId": "p18"}).to_string(),
            ),
        ];
        for (name, text) in events {
            let who = if name == "vote cast" {
                voter += 1;
                voter
            } else {
                0
            };
            let fx = step(&mut rig, who, &text);
            if name.starts_with("chat") {
                sent_msgs += 1;
            }
            let (full, d) = (view_bytes(&fx, &plain), view_bytes(&fx, &delta));
            println!(
                "| {mark} | {name} | {full} | {d} | {:.0}× |",
                full as f64 / d.max(1) as f64
            );
        }
    }
    // Resume: p19's delta socket drops, the day goes on, it comes back with its version.
    println!();
    println!("| away | what happened meanwhile | full SYNC on reconnect (bytes) | resume, warm room (bytes) | resume after a restart (bytes) |");
    println!("|---|---|---:|---:|---:|");
    for (away, msgs, transfers) in [("1 s blip", 2, 0), ("1 min", 60, 5)] {
        let (c, _) = rig.delta_client("p19", None);
        let held = c.v;
        let _ = rig.step(Input::SocketGone {
            socket: c.socket.clone(),
            identity: Some(rig.identity(&c.socket, "p19")),
            echo: false,
        });
        for i in 0..msgs {
            let _ = step(&mut rig, i % 17, &chat(sent_msgs));
            sent_msgs += 1;
        }
        for _ in 0..transfers {
            let t = json!({"type": "SOCIAL.SEND_SILVER", "targetId": "p2", "amount": 1});
            let _ = step(&mut rig, 0, &t.to_string());
        }
        rig.advance(10_000);
        let restarted = after_restart(&mut rig, held);
        let (back, fx) = rig.connect_delta("p19", Some(&held.to_string()));
        let d = framed(&fx, &back);
        let full = rig.projection("p19");
        let full = ServerMessage::Sync {
            v: rig.seq(),
            state: full,
        }
        .to_text()
        .len();
        println!(
            "| {away} | {msgs} chat messages, {transfers} transfers | {full} | {d} | {restarted} |"
        );
        let _ = rig.step(Input::SocketGone {
            socket: back.clone(),
            identity: Some(rig.identity(&back, "p19")),
            echo: false,
        });
        rig.advance(10_000);
    }
    // A whole day away: from the start of a fresh day to its end.
    rig.inject("CLOSE_VOTING");
    rig.inject("END_DAY");
    rig.http("POST", "/admin", r#"{"type":"NEXT_STAGE"}"#);
    rig.settle();
    rig.advance(10_000);
    let (c, _) = rig.delta_client("p19", None);
    let held = c.v;
    let _ = rig.step(Input::SocketGone {
        socket: c.socket.clone(),
        identity: Some(rig.identity(&c.socket, "p19")),
        echo: false,
    });
    rig.inject("OPEN_GROUP_CHAT");
    for i in 0..300 {
        let _ = step(&mut rig, i % 17, &chat(i));
    }
    rig.advance(10_000);
    let restarted = after_restart(&mut rig, held);
    let (back, fx) = rig.connect_delta("p19", Some(&held.to_string()));
    let d = framed(&fx, &back);
    let full = ServerMessage::Sync {
        v: rig.seq(),
        state: rig.projection("p19"),
    }
    .to_text()
    .len();
    println!(
        "| a whole day (day 2) | the day's start to 300 chat messages | {full} | {d} | {restarted} |"
    );
}

/// The bytes and kind of the first view frame `socket` got.
fn framed(fx: &[Effect], socket: &str) -> String {
    let kind = sent(fx, socket)
        .into_iter()
        .find_map(|f| match f["type"].as_str() {
            Some("SYSTEM.DELTA") => Some("DELTA"),
            Some("SYSTEM.SYNC") => Some("SYNC"),
            _ => None,
        })
        .unwrap_or("none");
    format!("{} ({kind})", view_bytes(fx, socket))
}

/// The resume frame p19 would get from `held` had the instance restarted just now (a new host
/// over the same store: no projection in memory); the rig's own host is left as it was.
fn after_restart(rig: &mut Rig, held: u64) -> String {
    let cold = Host::new(config(), rig.host.store().clone(), Vec::new());
    let warm = std::mem::replace(&mut rig.host, cold);
    let (socket, fx) = rig.connect_delta("p19", Some(&held.to_string()));
    let snapshot = rig.host.live().map_or(0, |l| l.snapshot_seq());
    rig.host = warm;
    format!(
        "{} (v {held}, snapshot {snapshot}, head {})",
        framed(&fx, &socket),
        rig.seq()
    )
}
