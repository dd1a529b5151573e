//! A delta socket left open while its room hibernates, under `wrangler dev` (docs/protocol.md,
//! "Resume"): workerd evicts a Durable Object that only holds hibernatable WebSockets after about
//! ten seconds without events, and the instance that wakes for the next change sends the socket a
//! SYSTEM.DELTA from the version its attachment kept, not a full SYNC. The wake is seen in the
//! room's `load` log line; an idle spell the runtime did not evict the room in is retried longer.
//! Run after `make build`: `cargo test --features e2e --test e2e hibernation::`.
#![cfg(feature = "e2e")]

use crate::delta::{admin_init, is_view, Held};
use crate::support::WranglerDev;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The `load` lines the room `game` printed so far.
fn loads(dev: &WranglerDev, game: &str) -> Vec<Value> {
    dev.log()
        .lines()
        .filter_map(|l| {
            let v: Value = serde_json::from_str(&l[l.find('{')?..]).ok()?;
            (v["kind"] == "load" && v["gameId"] == game).then_some(v)
        })
        .collect()
}

#[test]
fn a_delta_socket_open_while_the_room_hibernates_gets_a_delta_after_the_wake() {
    let dev = WranglerDev::start();
    let game = "hibernate-e2e";
    dev.create(game, &admin_init(4));
    dev.inject(game, "START_DAY");
    dev.inject(game, "OPEN_GROUP_CHAT");

    let mut p2 = dev.join_with(game, "p2", "&delta=1");
    let mut talker = dev.join(game, "p1");
    let mut held = Held {
        state: Value::Null,
        v: 0,
    };
    held.apply(&p2.frames[0]);
    let chat = |text: String| json!({"type": "SOCIAL.SEND_MSG", "content": text});
    let mut seq = 0;
    for i in 0..3 {
        let ack = talker.act(chat(format!("before the nap {i}")));
        assert_eq!(ack["type"], "ACK", "{ack}");
        seq = ack["seq"].as_u64().unwrap();
    }
    p2.wait_for(|f| is_view(f) && f["v"].as_u64() >= Some(seq));
    for f in &p2.frames[1..] {
        held.apply(f);
    }
    assert_eq!(held.v, seq);

    // Idle spells (no event at all) until the runtime evicts the room; then one change wakes it.
    for (attempt, idle_s) in [15u64, 25, 40].into_iter().enumerate() {
        let before = loads(&dev, game).len();
        std::thread::sleep(Duration::from_secs(idle_s));
        let from = p2.frames.len();
        let ack = talker.act(chat(format!("after nap {attempt}")));
        assert_eq!(ack["type"], "ACK", "{ack}");
        let seq = ack["seq"].as_u64().unwrap();
        p2.wait_for(|f| is_view(f) && f["v"].as_u64() >= Some(seq));
        // wrangler writes the Worker's output as it comes: wait for it (bounded), not a time.
        let deadline = Instant::now() + Duration::from_secs(10);
        while loads(&dev, game).len() == before && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        let views: Vec<Value> = p2.frames[from..]
            .iter()
            .filter(|f| is_view(f))
            .cloned()
            .collect();
        let woke = loads(&dev, game);
        if woke.len() == before {
            println!("not evicted after {idle_s} s idle");
            for f in &views {
                held.apply(f);
            }
            continue;
        }
        // Woken: a new instance that knew both sockets from their attachments.
        assert_eq!(woke[before]["sockets"], 2, "{}", woke[before]);
        assert_eq!(views.len(), 1, "{views:?}");
        let first = &views[0];
        assert_eq!(first["type"], "SYSTEM.DELTA", "{first}");
        assert_eq!(first["base"].as_u64(), Some(held.v), "{first}");
        assert_eq!(first["v"].as_u64(), Some(seq));
        let bytes = first.to_string().len();
        held.apply(first);
        let fresh = dev.join(game, "p2");
        assert_eq!(fresh.frames[0]["v"].as_u64(), Some(seq));
        assert_eq!(held.state, fresh.frames[0]["state"], "the delta converges");
        let sync_bytes = fresh.frames[0].to_string().len();
        println!(
            "FIGURE first frame after a wake from hibernation (idle {idle_s} s): DELTA {bytes} bytes, SYNC {sync_bytes} bytes"
        );
        return;
    }
    panic!("the room was never evicted while idle:\n{}", dev.log());
}
