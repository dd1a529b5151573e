//! Load and soak under `wrangler dev` (docs/testing.md, "Soak"), never assertions of speed:
//! many rooms with many bot sockets, each acting like a person (one chat message every
//! SOAK_ACTION_MS), one OS thread per room driving its sockets without blocking; D1 made
//! unavailable under load and restored (`DEV_FAIL_D1`, as in `lifecycle.rs`); `wrangler dev`
//! SIGKILLed under load and restarted. Then, on a fresh `wrangler dev`, one room driven to many
//! entries by a few sockets as fast as it answers, SIGKILLed and cold-started. Every run ends by
//! verifying every room's journal from D1 (`po-replay verify` on the local D1 file) and checking
//! that every acknowledged entry is there once. Prints the figures for BENCHMARKS.md.
//!
//! `make soak` (after `make build`); the knobs (env) are in docs/testing.md. 127.0.0.1 only,
//! every phase bounded in time.
#![cfg(feature = "e2e")]

mod bots;
mod ops;

use crate::support::WranglerDev;
use bots::{Pace, Room, Tally};
use ops::{for_all, operator, verify_all, OpTimes};

use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
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

pub(crate) fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(((v.len().max(1) - 1) as f64 * p).round() as usize)
        .copied()
        .unwrap_or(0.0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The operator's view of the rooms, with the pool and the latencies of its requests.
struct Operator<'a> {
    dev: &'a WranglerDev,
    times: &'a OpTimes,
    pool: usize,
}

impl Operator<'_> {
    fn admin(&self, phase: &str, game: &str, body: &Value) -> Value {
        operator(
            self.dev,
            self.times,
            phase,
            "POST",
            game,
            "/admin",
            Some(body),
        )
    }

    fn state(&self, phase: &str, game: &str) -> Value {
        operator(self.dev, self.times, phase, "GET", game, "/state", None)
    }

    /// `body` to every room, at most `pool` at a time.
    fn admin_all(&self, phase: &str, games: &[String], body: Value) {
        for_all(games, self.pool, |g| self.admin(phase, g, &body));
    }

    /// One `GET …/state` of every room.
    fn state_all(&self, phase: &str, games: &[String]) -> Vec<Value> {
        for_all(games, self.pool, |g| self.state(phase, g))
    }

    /// Creates and opens a room: day 1, MAIN chat open.
    fn open_room(&self, game: &str, players: u64) {
        let r = self.dev.post(
            &format!("/parties/game-server/{game}/init"),
            &init_body(players),
        );
        assert_eq!(r.status, 201, "{}", r.text());
        self.admin("setup", game, &json!({ "type": "NEXT_STAGE" }));
        let v = self.admin(
            "setup",
            game,
            &json!({ "type": "INJECT_TIMELINE_EVENT", "action": "OPEN_GROUP_CHAT" }),
        );
        assert_eq!(v["verdict"], "ACCEPTED", "{v}");
    }

    /// The operator ends the game (NEXT_STAGE until it is over), so that its seed is revealed
    /// and `po-replay` can replay every entry; then waits until its outbox is drained.
    fn end_and_drain(&self, game: &str, secs: u64) -> Value {
        let mut over = false;
        for _ in 0..12 {
            if self.state("end", game)["lifecycle"] != "ACTIVE" {
                over = true;
                break;
            }
            self.admin("end", game, &json!({ "type": "NEXT_STAGE" }));
        }
        assert!(over, "{game}: the game never ended");
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let st = self.state("drain", game);
            if st["outboxLag"] == 0 {
                return st;
            }
            assert!(
                Instant::now() < deadline,
                "{game}: the outbox never drained: {st}"
            );
            thread::sleep(Duration::from_millis(500));
        }
    }
}

/// The bots of every room, one thread per room.
struct Load {
    port: Arc<AtomicU16>,
    stop: Arc<AtomicBool>,
    tally: Arc<Mutex<Tally>>,
    threads: Vec<JoinHandle<()>>,
}

impl Load {
    fn start(dev: &WranglerDev, games: &[String], sockets: u64, pace: &Pace) -> Load {
        let port = Arc::new(AtomicU16::new(dev.port));
        let stop = Arc::new(AtomicBool::new(false));
        let tally = Arc::new(Mutex::new(Tally::default()));
        let threads = games
            .iter()
            .map(|g| {
                let room = Room {
                    game: g.clone(),
                    players: (1..=sockets)
                        .map(|i| {
                            let p = format!("p{i}");
                            let t = dev.token(g, &p);
                            (p, t)
                        })
                        .collect(),
                };
                let (pace, port, stop, tally) =
                    (pace.clone(), port.clone(), stop.clone(), tally.clone());
                thread::spawn(move || bots::run_room(room, pace, port, stop, tally))
            })
            .collect();
        Load {
            port,
            stop,
            tally,
            threads,
        }
    }

    fn acked(&self) -> u64 {
        self.tally.lock().expect("tally").live_acks
    }

    fn stop(self) -> Tally {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads {
            t.join().expect("a room's bot thread");
        }
        Arc::try_unwrap(self.tally)
            .ok()
            .expect("the only tally")
            .into_inner()
            .expect("tally")
    }
}

#[test]
#[ignore = "soak: run with `make soak`"]
fn soak_many_rooms_through_an_outage_and_a_kill_then_one_big_room() {
    let rooms = env_u64("SOAK_ROOMS", 50);
    let sockets = env_u64("SOAK_SOCKETS", 20);
    let phase = Duration::from_secs(env_u64("SOAK_PHASE_SECONDS", 60));
    let pool = env_u64("SOAK_POOL", 8) as usize;
    let pace = Pace {
        interval: Duration::from_millis(env_u64("SOAK_ACTION_MS", 30_000)),
        inflight: 1,
        half_delta: env_u64("SOAK_HALF_DELTA", 1) == 1,
    };
    let mut dev = WranglerDev::start_with_vars(&VARS);
    let times = OpTimes::default();
    let games: Vec<String> = (1..=rooms).map(|i| format!("soak-{i}")).collect();
    {
        let op = Operator {
            dev: &dev,
            times: &times,
            pool,
        };
        for_all(&games, pool, |g| op.open_room(g, sockets));
    }
    let load = Load::start(&dev, &games, sockets, &pace);
    let (wall, cpu0, dev_cpu0) = (
        Instant::now(),
        crate::support::own_cpu_ms(),
        dev.group_cpu_ms(),
    );
    let mut phases = Vec::new();
    let mut bounds = Vec::new();
    let mut mark = |name: &'static str, load: &Load, since: Instant, from: u64, rss: u64| {
        let n = load.acked() - from;
        let s = since.elapsed().as_secs_f64();
        phases.push(format!(
            "{name}: {n} acknowledged in {s:.0} s ({:.0}/s), wrangler dev resident {} MiB",
            n as f64 / s,
            rss / 1024
        ));
        bounds.push((name, since, Instant::now()));
        (Instant::now(), load.acked())
    };
    // Steady load, and one read of every room under it (to compare with the outage's).
    thread::sleep(phase);
    {
        let op = Operator {
            dev: &dev,
            times: &times,
            pool,
        };
        op.state_all("steady", &games);
    }
    let (t, n) = mark("steady", &load, wall, 0, dev.group_rss_kib());
    // D1 down for every room, then the lag read once per room, then D1 back.
    let lag: u64 = {
        let op = Operator {
            dev: &dev,
            times: &times,
            pool,
        };
        op.admin_all(
            "outage",
            &games,
            json!({ "type": "DEV_FAIL_D1", "on": true }),
        );
        thread::sleep(phase);
        let lag = op
            .state_all("outage", &games)
            .iter()
            .map(|st| st["outboxLag"].as_u64().unwrap_or(0))
            .sum();
        op.admin_all(
            "outage",
            &games,
            json!({ "type": "DEV_FAIL_D1", "on": false }),
        );
        lag
    };
    let (t, n) = mark("outage", &load, t, n, dev.group_rss_kib());
    // SIGKILL under load, restart, the sockets reconnecting.
    let dev_cpu_before_kill = dev.group_cpu_ms() - dev_cpu0;
    dev.kill_hard();
    thread::sleep(Duration::from_secs(1));
    let restart = Instant::now();
    dev.start_again();
    let restart_s = restart.elapsed().as_secs_f64();
    let dev_cpu1 = dev.group_cpu_ms();
    load.port.store(dev.port, Ordering::Relaxed);
    thread::sleep(phase);
    mark("after the kill", &load, t, n, dev.group_rss_kib());
    let tally = load.stop();
    let load_wall = wall.elapsed().as_secs_f64();
    let load_cpu = (crate::support::own_cpu_ms() - cpu0) / 1000.0;
    let dev_cpu = (dev_cpu_before_kill + dev.group_cpu_ms() - dev_cpu1) / 1000.0;
    let loadavg = load_average();
    let op = Operator {
        dev: &dev,
        times: &times,
        pool,
    };
    for_all(&games, pool, |g| op.end_and_drain(g, 300));
    let v = verify_all(&dev, &tally, &games, pool);
    let acked: usize = tally.acked.values().map(Vec::len).sum();
    let mut lat: Vec<f64> = tally.latencies.iter().map(|(_, ms)| *ms).collect();
    let mut up = tally.upgrades.clone();
    let by_phase: Vec<String> = bounds
        .iter()
        .map(|(name, from, to)| {
            let mut v: Vec<f64> = tally
                .latencies
                .iter()
                .filter(|(at, _)| at >= from && at < to)
                .map(|(_, ms)| *ms)
                .collect();
            format!(
                "{name} p50 {:.0} ms p99 {:.0} ms",
                percentile(&mut v, 0.5),
                percentile(&mut v, 0.99)
            )
        })
        .collect();
    println!(
        "FIGURE soak: {rooms} rooms x {sockets} sockets (half delta: {}), one action per socket every {} ms; \
         {load_wall:.0} s wall, wrangler dev {dev_cpu:.0} s CPU, the bots {load_cpu:.0} s CPU; load average {loadavg}\n\
         FIGURE soak: {acked} acknowledged ({:.0}/s); {}\n\
         FIGURE soak: ACK p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms ({}); {} refused; upgrades p50 {:.0} ms p99 {:.0} ms; {} reconnects; \
         restart after SIGKILL {restart_s:.1} s; outbox lag at the end of the outage {lag}\n\
         FIGURE soak: operator requests: {}\n\
         FIGURE soak: D1 holds {} entries; lost {}, duplicated {}, acknowledged twice {}",
        pace.half_delta,
        pace.interval.as_millis(),
        acked as f64 / load_wall,
        phases.join("; "),
        percentile(&mut lat, 0.5),
        percentile(&mut lat, 0.99),
        percentile(&mut lat, 1.0),
        by_phase.join(", "),
        tally.refused,
        percentile(&mut up, 0.5),
        percentile(&mut up, 0.99),
        tally.reconnects,
        times.summary(),
        v.entries,
        v.lost,
        v.duplicated,
        v.acked_twice,
    );
    assert_eq!((v.lost, v.duplicated, v.acked_twice), (0, 0, 0));
    assert!(acked > 0, "nothing was acknowledged");
    drop(dev);
    big_room(pool);
}

/// What the DO of the one room holds, from its SQLite file.
fn do_size(dev: &WranglerDev) -> String {
    let r = dev.do_query(
        "SELECT (SELECT COUNT(*) FROM journal) AS rows, \
         (SELECT COUNT(*) FROM outbox) AS outbox, \
         (SELECT page_size FROM pragma_page_size()) * (SELECT page_count FROM pragma_page_count()) AS bytes, \
         (SELECT length(value) FROM meta WHERE key = 'snapshot') AS snapshot",
    );
    format!(
        "DO journal rows {}, outbox rows {}, database {} bytes, snapshot {} bytes",
        r[0]["rows"], r[0]["outbox"], r[0]["bytes"], r[0]["snapshot"]
    )
}

/// One room, on a fresh `wrangler dev`, driven towards SOAK_BIG_ENTRIES entries by
/// SOAK_BIG_SOCKETS sockets as fast as it answers (SOAK_BIG_INFLIGHT unanswered each), bounded
/// by SOAK_BIG_SECONDS; then its figures, a SIGKILL and the cold start, and the verification.
fn big_room(pool: usize) {
    let target = env_u64("SOAK_BIG_ENTRIES", 100_000);
    let secs = env_u64("SOAK_BIG_SECONDS", 900);
    let sockets = env_u64("SOAK_BIG_SOCKETS", 4);
    let pace = Pace {
        interval: Duration::ZERO,
        inflight: env_u64("SOAK_BIG_INFLIGHT", 8) as usize,
        half_delta: true,
    };
    let mut dev = WranglerDev::start_with_vars(&VARS);
    let times = OpTimes::default();
    let game = "soak-big".to_string();
    let games = [game.clone()];
    let op = Operator {
        dev: &dev,
        times: &times,
        pool,
    };
    op.open_room(&game, sockets.max(2));
    let load = Load::start(&dev, &games, sockets, &pace);
    let (started, dev_cpu0) = (Instant::now(), dev.group_cpu_ms());
    let mut seq = 0;
    let mut rss_max = 0;
    while started.elapsed() < Duration::from_secs(secs) && seq < target {
        thread::sleep(Duration::from_secs(5));
        seq = op.state("drive", &game)["seq"].as_u64().unwrap_or(seq);
        rss_max = rss_max.max(dev.group_rss_kib());
    }
    let tally = load.stop();
    let took = started.elapsed().as_secs_f64();
    let dev_cpu = (dev.group_cpu_ms() - dev_cpu0) / 1000.0;
    let loadavg = load_average();
    let running = do_size(&dev);
    let st = op.end_and_drain(&game, 600);
    let size = do_size(&dev);
    let rss_before = dev.group_rss_kib();
    dev.kill_hard();
    dev.start_again();
    let rss_fresh = dev.group_rss_kib();
    let cold = Instant::now();
    let after = dev.state(&game);
    let cold_ms = cold.elapsed().as_secs_f64() * 1000.0;
    let rss_cold = dev.group_rss_kib();
    assert_eq!(after["seq"], st["seq"]);
    let mut second = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        dev.state(&game);
        second.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let v = verify_all(&dev, &tally, &games, 1);
    let mut lat: Vec<f64> = tally.latencies.iter().map(|(_, ms)| *ms).collect();
    println!(
        "FIGURE big room: {} entries in D1, {} acknowledged in {took:.0} s ({:.0}/s) by {sockets} sockets \
         (half delta, {} in flight each); wrangler dev {dev_cpu:.0} s CPU ({:.1} ms an entry); load average {loadavg}\n\
         FIGURE big room: ACK p50 {:.0} ms, p99 {:.0} ms; {} reconnects\n\
         FIGURE big room: driven, still running: {running}\n\
         FIGURE big room: ended and drained: {size}; snapshot at seq {}\n\
         FIGURE big room: wrangler dev resident memory: max while driving {rss_max} KiB, drained {rss_before} KiB; \
         after SIGKILL and restart {rss_fresh} KiB, after the cold start {rss_cold} KiB\n\
         FIGURE big room: cold start (first GET …/state after SIGKILL) {cold_ms:.0} ms; the next five: median {:.0} ms\n\
         FIGURE big room: lost {}, duplicated {}, acknowledged twice {}",
        v.entries,
        lat.len(),
        lat.len() as f64 / took,
        pace.inflight,
        dev_cpu * 1000.0 / (lat.len().max(1) as f64),
        percentile(&mut lat, 0.5),
        percentile(&mut lat, 0.99),
        tally.reconnects,
        st["snapshotSeq"],
        percentile(&mut second, 0.5),
        v.lost,
        v.duplicated,
        v.acked_twice,
    );
    assert_eq!((v.lost, v.duplicated, v.acked_twice), (0, 0, 0));
}
