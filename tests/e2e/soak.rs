//! Load and soak under `wrangler dev` (docs/testing.md, "Soak"), never assertions of speed: many
//! rooms with many bot sockets chatting closed-loop; D1 made unavailable under load and restored
//! (`DEV_FAIL_D1`, as in `lifecycle.rs`); `wrangler dev` SIGKILLed under load and restarted; then
//! one room driven to many entries. Every run ends by verifying every room's journal from D1
//! (`po-replay verify` on the local D1 file) and checking that every acknowledged entry is there
//! once. Prints the figures for BENCHMARKS.md.
//!
//! `make soak` (after `make build`). Env (127.0.0.1 only, every phase bounded in time):
//! SOAK_ROOMS (50), SOAK_SOCKETS (20 per room), SOAK_PHASE_SECONDS (20: steady, outage, after
//! the kill), SOAK_BIG_ENTRIES (100000) and SOAK_BIG_SECONDS (300) for the big room.
#![cfg(feature = "e2e")]

use crate::support::{self, WranglerDev};

use pecking_order::journal::{self, Entry};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpStream;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

fn env_u64(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const VARS: [(&str, &str); 3] = [
    ("WS_RATE_PER_S", "100000"),
    ("WS_RATE_BURST", "100000"),
    ("DEV_FAULTS", "1"),
];

fn init_body(players: u64) -> String {
    let roster: Vec<Value> = (1..=players)
        .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}") }))
        .collect();
    json!({
        "manifest": { "mode": "PECKING_ORDER", "kind": "STATIC", "scheduling": "ADMIN",
                      "startTime": "2026-12-01T09:00:00Z", "schedulePreset": "SMOKE_TEST",
                      "days": [{ "voteType": "MAJORITY" }, { "voteType": "FINALS" }] },
        "roster": roster,
    })
    .to_string()
}

/// What every socket saw: per room, the acknowledged (seq, text); ACK latencies (ms).
#[derive(Default)]
struct Tally {
    acked: BTreeMap<String, Vec<(u64, String)>>,
    latencies: Vec<f64>,
    reconnects: u64,
}

/// One bot socket: connects (again after any drop, on whatever port the server is on now),
/// sends chat closed-loop (each message waits for its answer), until `stop`.
fn bot(
    port: Arc<AtomicU16>,
    game: String,
    player: String,
    token: String,
    burst: usize,
    stop: Arc<AtomicBool>,
    tally: Arc<Mutex<Tally>>,
) {
    let mut k = 0u64;
    let mut acked = Vec::new();
    let mut lat = Vec::new();
    let mut reconnects = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let p = port.load(Ordering::Relaxed);
        let url = format!("ws://127.0.0.1:{p}/parties/game-server/{game}?token={token}");
        let Ok(stream) = TcpStream::connect(("127.0.0.1", p)) else {
            thread::sleep(Duration::from_millis(300));
            continue;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(15)));
        let Ok((mut ws, _)) = tungstenite::client::client(url.as_str(), stream) else {
            thread::sleep(Duration::from_millis(300));
            continue;
        };
        reconnects += 1;
        'live: while !stop.load(Ordering::Relaxed) {
            let sent = Instant::now();
            let mut waiting: BTreeMap<String, String> = BTreeMap::new();
            for _ in 0..burst {
                k += 1;
                let text = format!("{game} {player} {k}");
                let r = format!("r{k}");
                let msg = json!({ "type": "SOCIAL.SEND_MSG", "content": text, "ref": r });
                if ws
                    .send(tungstenite::Message::Text(msg.to_string()))
                    .is_err()
                {
                    break 'live;
                }
                waiting.insert(r, text);
            }
            while !waiting.is_empty() {
                let Ok(m) = ws.read() else {
                    break 'live;
                };
                let tungstenite::Message::Text(t) = m else {
                    continue;
                };
                let Ok(f) = serde_json::from_str::<Value>(&t) else {
                    continue;
                };
                if !matches!(f["type"].as_str(), Some("ACK") | Some("ERROR")) {
                    continue;
                }
                let Some(text) = f["ref"].as_str().and_then(|r| waiting.remove(r)) else {
                    continue;
                };
                if let (Some("ACK"), Some(seq)) = (f["type"].as_str(), f["seq"].as_u64()) {
                    acked.push((seq, text));
                    lat.push(sent.elapsed().as_secs_f64() * 1000.0);
                }
            }
        }
        thread::sleep(Duration::from_millis(200));
    }
    let mut t = tally.lock().expect("tally");
    t.acked.entry(game).or_default().extend(acked);
    t.latencies.extend(lat);
    t.reconnects += reconnects.saturating_sub(1);
}

/// An operator request, retried for up to two minutes while the server is saturated (a timed
/// out request may still have been applied: the callers only send idempotent ones).
fn operator(
    dev: &WranglerDev,
    method: &str,
    game: &str,
    route: &str,
    body: Option<Value>,
) -> Value {
    let path = format!("/parties/game-server/{game}{route}");
    let text = body.map(|b| b.to_string());
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let r = dev.request(
            method,
            &path,
            Some(&dev.bearer()),
            text.as_deref().map(str::as_bytes),
        );
        match r {
            Ok(r) if r.status == 200 => return r.json(),
            other if Instant::now() > deadline => {
                panic!("{method} {path}: {:?}", other.map(|r| r.text()))
            }
            _ => thread::sleep(Duration::from_millis(500)),
        }
    }
}

fn admin(dev: &WranglerDev, game: &str, body: Value) -> Value {
    operator(dev, "POST", game, "/admin", Some(body))
}

fn state(dev: &WranglerDev, game: &str) -> Value {
    operator(dev, "GET", game, "/state", None)
}

/// The operator ends the game (NEXT_STAGE until it is over), so that its seed is revealed and
/// `po-replay` can replay every entry (a running game's journal cannot be replayed without it).
fn end_game(dev: &WranglerDev, game: &str) {
    for _ in 0..12 {
        if state(dev, game)["lifecycle"] != "ACTIVE" {
            return;
        }
        admin(dev, game, json!({ "type": "NEXT_STAGE" }));
    }
    panic!("{game}: the game never ended");
}

fn wait_confirmed(dev: &WranglerDev, game: &str, secs: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let st = state(dev, game);
        if st["outboxLag"] == 0 {
            return st;
        }
        assert!(
            Instant::now() < deadline,
            "{game}: the outbox never drained: {st}"
        );
        thread::sleep(Duration::from_millis(250));
    }
}

fn d1_entries(dev: &WranglerDev, game: &str) -> Vec<Entry> {
    dev.d1_query(&format!(
        "SELECT * FROM journal WHERE game_id = '{game}' ORDER BY seq"
    ))
    .into_iter()
    .map(|row| serde_json::from_value(row).expect("a D1 row is an entry"))
    .collect()
}

/// `po-replay verify` of one game from the local D1 file (`target/sim/po-replay`, built if
/// needed).
fn po_replay_verify(dev: &WranglerDev, game: &str) -> (i32, String) {
    let root = support::repo_root();
    let bin = root.join("target/sim/po-replay");
    if !bin.exists() {
        let ok = Command::new(env!("CARGO"))
            .args([
                "build",
                "-q",
                "--profile",
                "sim",
                "-p",
                "pecking-order-replay",
            ])
            .current_dir(&root)
            .status()
            .expect("cargo build po-replay");
        assert!(ok.success());
    }
    let file = dev.d1_files().into_iter().next().expect("a local D1 file");
    let out = Command::new(bin)
        .args(["verify", "--game", game])
        .arg(file)
        .output()
        .expect("po-replay");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// Every room's D1 journal: once each, gapless, verified by `po-replay`, holding every
/// acknowledged entry with its text. Returns (entries, lost, duplicated).
fn verify_all(dev: &WranglerDev, tally: &Tally, games: &[String]) -> (u64, u64, u64) {
    let (mut total, mut lost, mut dup) = (0, 0, 0);
    for game in games {
        let counts = dev.d1_query(&format!(
            "SELECT COUNT(*) AS n, COUNT(DISTINCT seq) AS d FROM journal WHERE game_id = '{game}'"
        ));
        dup += counts[0]["n"].as_u64().unwrap_or(0) - counts[0]["d"].as_u64().unwrap_or(0);
        let d1 = d1_entries(dev, game);
        journal::verify(game, &d1).unwrap_or_else(|e| panic!("{game}: {e}"));
        let (code, out) = po_replay_verify(dev, game);
        assert_eq!(code, 0, "{game}: po-replay verify: {out}");
        let by_seq: BTreeMap<u64, &Entry> = d1.iter().map(|e| (e.seq, e)).collect();
        for (seq, text) in tally.acked.get(game).into_iter().flatten() {
            if !by_seq
                .get(seq)
                .is_some_and(|e| e.payload.contains(text.as_str()))
            {
                lost += 1;
            }
        }
        total += d1.len() as u64;
    }
    (total, lost, dup)
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(((v.len().max(1) - 1) as f64 * p).round() as usize)
        .copied()
        .unwrap_or(0.0)
}

/// CPU seconds (user + system) of this process and its children so far, from /proc.
fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let f: Vec<u64> = stat
        .rsplit_once(')')
        .map(|(_, r)| {
            r.split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    f.iter().skip(11).take(4).sum::<u64>() as f64 / 100.0
}

#[test]
#[ignore = "soak: run with `make soak`"]
fn soak_many_rooms_through_an_outage_and_a_kill_then_one_big_room() {
    let rooms = env_u64("SOAK_ROOMS", 50);
    let sockets = env_u64("SOAK_SOCKETS", 20);
    let phase = Duration::from_secs(env_u64("SOAK_PHASE_SECONDS", 20));
    let mut dev = WranglerDev::start_with_vars(&VARS);
    let games: Vec<String> = (1..=rooms).map(|i| format!("soak-{i}")).collect();
    for g in &games {
        dev.create(g, &init_body(sockets));
        dev.admin(g, json!({ "type": "NEXT_STAGE" }));
        dev.inject(g, "OPEN_GROUP_CHAT");
    }
    let port = Arc::new(AtomicU16::new(dev.port));
    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let (wall, cpu) = (Instant::now(), cpu_s());
    let handles: Vec<_> = games
        .iter()
        .flat_map(|g| (1..=sockets).map(move |i| (g.clone(), format!("p{i}"))))
        .map(|(g, p)| {
            let token = dev.token(&g, &p);
            let (port, stop, tally) = (port.clone(), stop.clone(), tally.clone());
            thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || bot(port, g, p, token, 1, stop, tally))
                .expect("a bot thread")
        })
        .collect();
    // Steady load, then D1 down for every room, then D1 back; then a SIGKILL under load.
    thread::sleep(phase);
    for g in &games {
        admin(&dev, g, json!({ "type": "DEV_FAIL_D1", "on": true }));
    }
    thread::sleep(phase);
    let lag: u64 = games
        .iter()
        .map(|g| state(&dev, g)["outboxLag"].as_u64().unwrap_or(0))
        .sum();
    for g in &games {
        admin(&dev, g, json!({ "type": "DEV_FAIL_D1", "on": false }));
    }
    dev.kill_hard();
    thread::sleep(Duration::from_secs(1));
    dev.start_again();
    port.store(dev.port, Ordering::Relaxed);
    thread::sleep(phase);
    stop.store(true, Ordering::Relaxed);
    for h in handles {
        let _ = h.join();
    }
    let (load_wall, load_cpu) = (wall.elapsed().as_secs_f64(), cpu_s() - cpu);
    for g in &games {
        end_game(&dev, g);
        wait_confirmed(&dev, g, 120);
    }
    let mut t = tally.lock().expect("tally");
    let acked: usize = t.acked.values().map(Vec::len).sum();
    let (p50, p99) = (
        percentile(&mut t.latencies, 0.5),
        percentile(&mut t.latencies, 0.99),
    );
    let (entries, lost, dup) = verify_all(&dev, &t, &games);
    println!(
        "soak: {rooms} rooms x {sockets} sockets, {:.0} s wall ({load_cpu:.1} s CPU of the test process): \
         {acked} acknowledged ({:.0}/s), ACK p50 {p50:.0} ms p99 {p99:.0} ms, {} reconnects, \
         outbox lag at the end of the outage {lag}; D1 holds {entries} entries, lost {lost}, duplicated {dup}",
        load_wall,
        acked as f64 / load_wall,
        t.reconnects
    );
    assert_eq!((lost, dup), (0, 0));
    drop(t);
    big_room(&mut dev);
}

/// One room driven towards SOAK_BIG_ENTRIES entries by 20 sockets in bursts, bounded by
/// SOAK_BIG_SECONDS; then its figures, a SIGKILL and the cold start, and `po-replay verify`.
fn big_room(dev: &mut WranglerDev) {
    let target = env_u64("SOAK_BIG_ENTRIES", 100_000);
    let secs = env_u64("SOAK_BIG_SECONDS", 300);
    let game = "soak-big".to_string();
    dev.create(&game, &init_body(20));
    dev.admin(&game, json!({ "type": "NEXT_STAGE" }));
    dev.inject(&game, "OPEN_GROUP_CHAT");
    let port = Arc::new(AtomicU16::new(dev.port));
    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let handles: Vec<_> = (1..=20)
        .map(|i| {
            let p = format!("p{i}");
            let token = dev.token(&game, &p);
            let (port, stop, tally, g) = (port.clone(), stop.clone(), tally.clone(), game.clone());
            thread::spawn(move || bot(port, g, p, token, 20, stop, tally))
        })
        .collect();
    let mut seq = 0;
    while started.elapsed() < Duration::from_secs(secs) && seq < target {
        thread::sleep(Duration::from_secs(2));
        seq = state(dev, &game)["seq"].as_u64().unwrap_or(seq);
    }
    stop.store(true, Ordering::Relaxed);
    for h in handles {
        let _ = h.join();
    }
    let took = started.elapsed().as_secs_f64();
    end_game(dev, &game);
    let st = wait_confirmed(dev, &game, 300);
    dev.kill_hard();
    dev.start_again();
    let cold = Instant::now();
    let after = state(dev, &game);
    let cold_ms = cold.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(after["seq"], st["seq"]);
    let t = tally.lock().expect("tally");
    let (entries, lost, dup) = verify_all(dev, &t, std::slice::from_ref(&game));
    println!(
        "big room: {entries} entries in {took:.0} s ({:.0}/s); DO storage {} bytes, {} journal rows, \
         snapshot at {}; cold start (first GET /state after SIGKILL) {cold_ms:.0} ms; lost {lost}, duplicated {dup}",
        entries as f64 / took,
        st["doStorageBytes"],
        st["doJournalRows"],
        st["snapshotSeq"]
    );
    let distinct: BTreeSet<u64> = t.acked[&game].iter().map(|(s, _)| *s).collect();
    assert_eq!(
        distinct.len(),
        t.acked[&game].len(),
        "an entry acknowledged twice"
    );
    assert_eq!((lost, dup), (0, 0));
}
