//! Load figures (BENCHMARKS.md), never assertions of speed: one room under `wrangler dev`, 20
//! sockets sending silver transfers closed-loop (each waits for its ACK), for a bounded time.
//! Prints sustained actions/s, ACK latency p50/p99 and entries per D1 batch; with LOAD_DELTA,
//! the same per kind of socket (SYSTEM.DELTA or full SYSTEM.SYNC, docs/protocol.md "Delta
//! frames") with the view frames and bytes each socket received.
//!
//! `make load` (after `make build`), or:
//! `cargo test --release --features e2e --test e2e -- --ignored load:: --nocapture`
//! Env: LOAD_SECONDS (default 15), LOAD_SOCKETS (default 20), LOAD_ROOT (another checkout with
//! its own `build/`, to measure another version the same way; default this one), LOAD_DELTA
//! (`off`, the default: every socket gets full SYNCs; `half`: odd-numbered players connect with
//! `delta=1`, even-numbered without, in the same run; `all`). 127.0.0.1 only.
#![cfg(feature = "e2e")]

use crate::support;

use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use pecking_order::room::token::{mint, Claims};
use serde_json::{json, Value};
use support::{connect, Connected, WranglerDev};

fn env_u64(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What one socket measured.
struct SocketRun {
    delta: bool,
    lat: Vec<f64>,
    errors: u64,
    /// SYSTEM.SYNC / SYSTEM.DELTA frames received, and their bytes (compact JSON, as sent).
    views: u64,
    view_bytes: u64,
    /// Full SYNCs among them (on a delta socket: the first, and any delta no smaller).
    syncs: u64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[test]
#[ignore = "load figures: run with `make load`"]
fn load_one_room_twenty_sockets() {
    let seconds = env_u64("LOAD_SECONDS", 15).min(120);
    let sockets = env_u64("LOAD_SOCKETS", 20).clamp(2, 20) as usize;
    let mode = std::env::var("LOAD_DELTA").unwrap_or_else(|_| "off".into());
    let wants_delta = |i: usize| match mode.as_str() {
        "all" => true,
        "half" => i % 2 == 1,
        _ => false,
    };
    // The per-player rate limit (10/s) would cap the room at 200 actions/s: raise it here.
    let root = std::env::var_os("LOAD_ROOT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(support::repo_root);
    let dev = WranglerDev::start_at(
        root,
        &[("WS_RATE_PER_S", "100000"), ("WS_RATE_BURST", "100000")],
    );
    let game = "load-1";
    let roster: Vec<Value> = (1..=sockets)
        .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}") }))
        .collect();
    let init = json!({
        "manifest": { "mode": "PECKING_ORDER", "kind": "STATIC", "scheduling": "ADMIN",
                      "startTime": "2026-12-01T09:00:00Z", "schedulePreset": "SMOKE_TEST",
                      "days": [{ "voteType": "MAJORITY" }, { "voteType": "FINALS" }] },
        "roster": roster,
    });
    let r = dev.post("/parties/game-server/load-1/init", &init.to_string());
    assert_eq!(r.status, 201, "{}", r.text());
    for action in ["START_DAY", "OPEN_GROUP_CHAT"] {
        let r = dev.post(
            "/parties/game-server/load-1/admin",
            &json!({ "type": "INJECT_TIMELINE_EVENT", "action": action }).to_string(),
        );
        assert_eq!(r.status, 200, "{}", r.text());
    }
    let exp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
        + 3600;
    let barrier = Arc::new(Barrier::new(sockets));
    let port = dev.port;
    let secret = dev.token_secret.clone();
    let handles: Vec<_> = (1..=sockets)
        .map(|i| {
            let delta = wants_delta(i);
            let barrier = barrier.clone();
            let secret = secret.clone();
            thread::spawn(move || {
                let player = format!("p{i}");
                let target = format!("p{}", i % sockets + 1);
                let token = mint(
                    secret.as_bytes(),
                    &Claims {
                        sub: player.clone(),
                        game_id: game.into(),
                        player_id: player.clone(),
                        exp,
                    },
                );
                let query = if delta {
                    format!("{token}&delta=1")
                } else {
                    token
                };
                let Connected::Open(mut p) = connect(port, game, Some(&query)) else {
                    panic!("{player} could not connect");
                };
                barrier.wait();
                let end = Instant::now() + Duration::from_secs(seconds);
                let mut lat = Vec::new();
                let mut errors = 0u64;
                let (mut views, mut view_bytes, mut syncs) = (0u64, 0u64, 0u64);
                while Instant::now() < end {
                    let t0 = Instant::now();
                    let v = p.act(
                        json!({ "type": "SOCIAL.SEND_SILVER", "targetId": target, "amount": 1 }),
                    );
                    lat.push(t0.elapsed().as_secs_f64() * 1000.0);
                    if v["type"] != "ACK" {
                        errors += 1;
                    }
                    for f in &p.frames {
                        let t = f["type"].as_str().unwrap_or_default();
                        if t == "SYSTEM.SYNC" || t == "SYSTEM.DELTA" {
                            views += 1;
                            view_bytes += f.to_string().len() as u64;
                            syncs += u64::from(t == "SYSTEM.SYNC");
                        }
                    }
                    // Do not keep every SYNC in memory.
                    p.frames.clear();
                }
                SocketRun {
                    delta,
                    lat,
                    errors,
                    views,
                    view_bytes,
                    syncs,
                }
            })
        })
        .collect();
    let started = Instant::now();
    let (dev_cpu0, own_cpu0) = (dev.group_cpu_ms(), support::own_cpu_ms());
    let runs: Vec<SocketRun> = handles
        .into_iter()
        .map(|h| h.join().expect("socket thread"))
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    let dev_cpu = dev.group_cpu_ms() - dev_cpu0;
    let own_cpu = support::own_cpu_ms() - own_cpu0;
    eprintln!(
        "FIGURE load CPU: wall {:.1} s; wrangler dev (wrangler + workerd) {:.1} s CPU ({:.0} % of one core), the load generator {:.1} s CPU; load average {}",
        elapsed,
        dev_cpu / 1000.0,
        dev_cpu / 10.0 / elapsed,
        own_cpu / 1000.0,
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim()
    );
    let mut lat: Vec<f64> = runs.iter().flat_map(|r| r.lat.iter().copied()).collect();
    let errors: u64 = runs.iter().map(|r| r.errors).sum();
    for (kind, delta) in [("DELTA", true), ("full-SYNC", false)] {
        let group: Vec<&SocketRun> = runs.iter().filter(|r| r.delta == delta).collect();
        if group.is_empty() || group.len() == runs.len() && !delta {
            continue;
        }
        let n = group.len() as f64;
        let mut l: Vec<f64> = group.iter().flat_map(|r| r.lat.iter().copied()).collect();
        l.sort_by(|a, b| a.total_cmp(b));
        let views: u64 = group.iter().map(|r| r.views).sum();
        let bytes: u64 = group.iter().map(|r| r.view_bytes).sum();
        let syncs: u64 = group.iter().map(|r| r.syncs).sum();
        eprintln!(
            "FIGURE load {kind} sockets: {} sockets, {} actions, {:.0} actions/s, ACK latency p50 {:.1} ms p99 {:.1} ms; per socket: {:.0} view frames ({:.0} of them full SYNCs), {:.0} bytes ({:.0} bytes/s, {:.0} bytes/frame)",
            group.len(),
            l.len(),
            l.len() as f64 / elapsed,
            percentile(&l, 0.5),
            percentile(&l, 0.99),
            views as f64 / n,
            syncs as f64 / n,
            bytes as f64 / n,
            bytes as f64 / n / elapsed,
            if views > 0 { bytes as f64 / views as f64 } else { 0.0 },
        );
    }
    lat.sort_by(|a, b| a.total_cmp(b));
    // Let the outbox drain, then read the D1 batch counters.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut st = dev.get("/parties/game-server/load-1/state").json();
    while st["outboxLag"] != 0 && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(200));
        st = dev.get("/parties/game-server/load-1/state").json();
    }
    let batches = st["d1Batches"].as_f64().unwrap_or(0.0);
    let batched = st["d1BatchedEntries"].as_f64().unwrap_or(0.0);
    eprintln!(
        "FIGURE load: {sockets} sockets, {seconds} s: {} actions ({errors} not ACKed), {:.0} actions/s, ACK latency p50 {:.1} ms p99 {:.1} ms max {:.1} ms; D1: {} batches, {:.1} entries/batch; final seq {}",
        lat.len(),
        lat.len() as f64 / elapsed,
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        lat.last().copied().unwrap_or(0.0),
        batches,
        if batches > 0.0 { batched / batches } else { 0.0 },
        st["seq"]
    );
}
