//! Figures for BENCHMARKS.md ("A 7-day, 20-player game through the live room"), never
//! assertions of speed: the replay crate's generated journal (`sim::play`, 20 players, 7 days,
//! `--actions 100000`, as `gen_journal` writes it) driven through a live room under
//! `wrangler dev`, then read back from D1; and the cold start from snapshot + tail against a
//! fold of the whole journal, natively.
//!
//! `cargo test --release --features e2e --test e2e -- --ignored figures:: --nocapture`
//! Env: FIGURES_ROOT (another checkout with its own `build/`, e.g. `main`, to measure the DO
//! before this change; default this one), FIGURES_RUNS (default 5).
#![cfg(feature = "e2e")]

use crate::support;

#[path = "../../benches/support/cpu_clock.rs"]
mod cpu_clock;

use std::path::PathBuf;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cpu_clock::thread_cpu_now;
use pecking_order::engine::Fact;
use pecking_order::journal::{self, Entry, EntryKind};
use pecking_order::room::token::{mint, Claims};
use pecking_order::room::Room;
use pecking_order::sim::{self, SimConfig};
use serde_json::{json, Value};
use support::{connect, Connected, Player, WranglerDev};

const GAME: &str = "fig-7x20";

fn runs() -> usize {
    std::env::var("FIGURES_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1)
}

/// The generated game: `gen_journal --players 20 --days 7 --actions 100000`.
fn generated() -> (Room, Vec<Entry>) {
    sim::play(&SimConfig {
        game_id: GAME.into(),
        players: 20,
        days: 7,
        actions_per_step: 100_000,
        ..SimConfig::default()
    })
}

/// min and median of durations, in ms.
fn min_median(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(v[0]), ms(v[v.len() / 2]))
}

/// A player's socket on its own thread: it sends the batches it is given (all at once, then
/// reads until each is answered) and reads whatever arrives while idle.
struct Seat {
    work: mpsc::Sender<Vec<Value>>,
    done: mpsc::Receiver<usize>,
}

fn seat(dev: &WranglerDev, player: &str) -> Seat {
    let exp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
        + 7200;
    let token = mint(
        dev.token_secret.as_bytes(),
        &Claims {
            sub: player.into(),
            game_id: GAME.into(),
            player_id: player.into(),
            exp,
        },
    );
    let Connected::Open(p) = connect(dev.port, GAME, Some(&token)) else {
        panic!("{player} could not connect");
    };
    let mut p: Player = *p;
    let (work_tx, work_rx) = mpsc::channel::<Vec<Value>>();
    let (done_tx, done_rx) = mpsc::channel();
    thread::spawn(move || loop {
        match work_rx.recv_timeout(Duration::from_millis(30)) {
            Ok(batch) => {
                for (i, m) in batch.iter().enumerate() {
                    let mut m = m.clone();
                    m["ref"] = json!(format!("f{i}"));
                    p.send_text(&m.to_string());
                }
                let mut answered = 0;
                while answered < batch.len() {
                    let v = p.read().unwrap_or_else(|c| panic!("closed ({c:?})"));
                    if v["type"] == "ACK" || v["type"] == "ERROR" {
                        answered += 1;
                    }
                }
                p.frames.clear();
                if done_tx.send(answered).is_err() {
                    return;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                p.drain(5);
                p.frames.clear();
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
    });
    Seat {
        work: work_tx,
        done: done_rx,
    }
}

/// What the DO holds, read from its SQLite file (the same measure whatever build wrote it).
struct DoSize {
    rows: u64,
    /// The database's size (page count × page size: what `databaseSize` reports).
    bytes: u64,
    /// The pages in use (free pages left by deletions excluded, which later writes reuse).
    used: u64,
    snapshot: u64,
}

fn do_size(dev: &WranglerDev) -> DoSize {
    let r = dev.do_query(
        "SELECT (SELECT COUNT(*) FROM journal) AS rows, \
         (SELECT page_size FROM pragma_page_size()) AS page, \
         (SELECT page_count FROM pragma_page_count()) AS pages, \
         (SELECT freelist_count FROM pragma_freelist_count()) AS free, \
         (SELECT length(value) FROM meta WHERE key = 'snapshot') AS snapshot",
    );
    let n = |k: &str| r[0][k].as_u64().unwrap_or(0);
    DoSize {
        rows: n("rows"),
        bytes: n("pages") * n("page"),
        used: (n("pages") - n("free")) * n("page"),
        snapshot: n("snapshot"),
    }
}

fn state(dev: &WranglerDev) -> Value {
    dev.get(&format!("/parties/game-server/{GAME}/state"))
        .json()
}

fn wait_confirmed(dev: &WranglerDev) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let st = state(dev);
        if st["outboxLag"] == 0 {
            return st;
        }
        assert!(Instant::now() < deadline, "the outbox never drained");
        thread::sleep(Duration::from_millis(100));
    }
}

/// The timeline action an ALARM.FIRE entry ran.
fn fired(e: &Entry) -> Option<String> {
    let facts: Vec<Fact> = serde_json::from_str(&e.facts).ok()?;
    facts.iter().find_map(|f| match f {
        Fact::TaskFired { action, .. } => Some(action.as_str().to_string()),
        _ => None,
    })
}

#[test]
#[ignore = "figures: run on purpose (see the module doc)"]
fn a_generated_7_day_20_player_game_through_the_live_room() {
    let (end, generated) = generated();
    let refused = generated
        .iter()
        .filter(|e| !e.verdict.is_accepted())
        .count();
    eprintln!(
        "FIGURE workload: {} entries generated, {:.0} % refused",
        generated.len(),
        100.0 * refused as f64 / generated.len() as f64
    );

    // Cold start, natively: the final snapshot and a 64-entry tail (at most COMPACT_EVERY rows
    // follow a snapshot) against a fold of the whole journal.
    let n = generated.len();
    let seed = SimConfig::default().game_seed;
    let at = Room::fold(GAME, &generated[..n - 64], Some(seed)).expect("fold");
    let snapshot = at.snapshot_bytes();
    let tail = &generated[n - 64..];
    let (mut cold_wall, mut cold_cpu, mut fold_wall, mut fold_cpu) =
        (vec![], vec![], vec![], vec![]);
    for _ in 0..runs() * 4 {
        let (w, c) = (Instant::now(), thread_cpu_now());
        let mut room = Room::from_snapshot(&snapshot).expect("snapshot");
        for e in tail {
            room.apply_trusted(e).expect("tail");
        }
        cold_cpu.push(thread_cpu_now() - c);
        cold_wall.push(w.elapsed());
        assert_eq!(room.head(), end.head());
        let (w, c) = (Instant::now(), thread_cpu_now());
        let room = Room::fold(GAME, &generated, None).expect("fold");
        fold_cpu.push(thread_cpu_now() - c);
        fold_wall.push(w.elapsed());
        assert_eq!(room.head(), end.head());
    }
    for (what, wall, cpu) in [
        ("cold start: snapshot + 64-entry tail", cold_wall, cold_cpu),
        ("fold of the whole journal", fold_wall, fold_cpu),
    ] {
        let (wmin, wmed) = min_median(wall);
        let (cmin, cmed) = min_median(cpu);
        eprintln!(
            "FIGURE {what} ({n} entries, snapshot {} bytes): CPU min {cmin:.3} ms, median {cmed:.3} ms; wall min {wmin:.3} ms, median {wmed:.3} ms",
            snapshot.len()
        );
    }

    // The live room: the same manifest under ADMIN scheduling, the timeline injected by the
    // operator where the generated journal's alarms fired, every player action sent by its
    // player's socket (the actions between two timeline steps at once, all players in parallel).
    let root = std::env::var_os("FIGURES_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(support::repo_root);
    let dev = WranglerDev::start_at(
        root.clone(),
        &[("WS_RATE_PER_S", "100000"), ("WS_RATE_BURST", "100000")],
    );
    let mut body: Value = serde_json::from_slice(&sim::init_body(20, 7)).unwrap();
    body["manifest"]["scheduling"] = json!("ADMIN");
    let r = dev.post(
        &format!("/parties/game-server/{GAME}/init"),
        &body.to_string(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let seats: Vec<Seat> = (1..=20).map(|i| seat(&dev, &format!("p{i}"))).collect();
    let mut batch: Vec<Vec<Value>> = vec![Vec::new(); 20];
    let started = Instant::now();
    // Sends each player's pending actions and waits until every one is answered.
    let flush = |batch: &mut Vec<Vec<Value>>| {
        let mut given = Vec::new();
        for (i, b) in batch.iter_mut().enumerate() {
            if !b.is_empty() {
                seats[i].work.send(std::mem::take(b)).expect("a seat");
                given.push(i);
            }
        }
        for i in given {
            seats[i].done.recv().expect("a seat answers");
        }
    };
    let mut day_rows = Vec::new();
    for e in &generated[1..] {
        match e.kind {
            EntryKind::Action => {
                let i: usize = e.actor.trim_start_matches('p').parse().expect("p<N>");
                let mut msg: Value = serde_json::from_str(&e.payload).expect("payload");
                msg["type"] = json!(e.typ);
                batch[i - 1].push(msg);
            }
            EntryKind::Alarm => {
                // The actions before this step go first, all players at once.
                flush(&mut batch);
                let action = fired(e).expect("an ALARM entry fires a task");
                let r = dev.post(
                    &format!("/parties/game-server/{GAME}/admin"),
                    &json!({ "type": "INJECT_TIMELINE_EVENT", "action": action }).to_string(),
                );
                assert_eq!(r.status, 200, "{}", r.text());
                if action == "END_DAY" {
                    let st = wait_confirmed(&dev);
                    day_rows.push((st["day"].clone(), st["seq"].clone(), do_size(&dev)));
                }
            }
            _ => {}
        }
    }
    flush(&mut batch);
    let st = wait_confirmed(&dev);
    let head = st["seq"].as_u64().unwrap_or(0);
    let elapsed = started.elapsed().as_secs_f64();
    let print = |when: String, d: &DoSize| {
        eprintln!(
            "FIGURE DO after {when}: {} journal rows, database {} bytes ({} in use), snapshot {} bytes [{}]",
            d.rows,
            d.bytes,
            d.used,
            d.snapshot,
            root.display()
        )
    };
    for (day, seq, d) in &day_rows {
        print(format!("day {day} (seq {seq})"), d);
    }
    print(
        format!("the game ({head} entries, played in {elapsed:.0} s)"),
        &do_size(&dev),
    );
    eprintln!(
        "FIGURE D1 batches: {} for {} entries",
        st["d1Batches"], st["d1BatchedEntries"]
    );
    if root != support::repo_root() {
        return;
    }
    // The whole game read back from D1, page by page.
    let mut times = Vec::new();
    for _ in 0..runs() {
        let t = Instant::now();
        let (lines, _) = dev.journal_pages(GAME, 1000);
        times.push(t.elapsed());
        assert_eq!(lines.len() as u64, head);
    }
    let (lines, pages) = dev.journal_pages(GAME, 1000);
    let entries: Vec<Entry> = lines
        .into_iter()
        .map(|l| serde_json::from_value(l).expect("an entry"))
        .collect();
    journal::verify(GAME, &entries).expect("the chain verifies");
    let (min, med) = min_median(times);
    eprintln!(
        "FIGURE GET …/journal, whole game from D1: {head} entries in {pages} pages of 1000: min {min:.0} ms = {:.0} entries/s, median {med:.0} ms = {:.0} entries/s",
        head as f64 / min * 1000.0,
        head as f64 / med * 1000.0
    );
}
