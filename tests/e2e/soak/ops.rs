//! The soak's operator side: requests to many rooms at once through a bounded pool of
//! threads (SOAK_POOL), each retried while the server is saturated or restarting, with their
//! latencies kept; and the verification of every room's journal from D1.

use super::bots::Tally;
use crate::support::{self, WranglerDev};

use pecking_order::journal::{self, Entry};
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// Operator requests and how long each took (ms), per phase.
#[derive(Default)]
pub struct OpTimes(pub Mutex<BTreeMap<String, Vec<f64>>>);

impl OpTimes {
    fn add(&self, phase: &str, ms: f64) {
        self.0
            .lock()
            .expect("op times")
            .entry(phase.to_string())
            .or_default()
            .push(ms);
    }

    /// `phase: n requests, median, max` for each phase.
    pub fn summary(&self) -> String {
        let map = self.0.lock().expect("op times");
        map.iter()
            .map(|(phase, v)| {
                let mut v = v.clone();
                format!(
                    "{phase}: {} requests, median {:.0} ms, max {:.0} ms",
                    v.len(),
                    super::percentile(&mut v, 0.5),
                    super::percentile(&mut v, 1.0)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// `f` for every game, at most `pool` at a time; the results in the games' order.
pub fn for_all<T: Send>(games: &[String], pool: usize, f: impl Fn(&str) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<T>>> = Mutex::new(games.iter().map(|_| None).collect());
    thread::scope(|scope| {
        for _ in 0..pool.clamp(1, games.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(g) = games.get(i) else {
                    break;
                };
                let v = f(g);
                out.lock().expect("results")[i] = Some(v);
            });
        }
    });
    out.into_inner()
        .expect("results")
        .into_iter()
        .map(|v| v.expect("every game was done"))
        .collect()
}

/// An operator request, retried for up to two minutes while the server is saturated (a timed
/// out request may still have been applied: the callers only send idempotent ones). Its time
/// (the successful attempt's) is kept under `phase`.
pub fn operator(
    dev: &WranglerDev,
    times: &OpTimes,
    phase: &str,
    method: &str,
    game: &str,
    route: &str,
    body: Option<&Value>,
) -> Value {
    let path = format!("/parties/game-server/{game}{route}");
    let text = body.map(Value::to_string);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let t0 = Instant::now();
        let r = dev.request(
            method,
            &path,
            Some(&dev.bearer()),
            text.as_deref().map(str::as_bytes),
        );
        match r {
            Ok(r) if r.status == 200 => {
                times.add(phase, t0.elapsed().as_secs_f64() * 1000.0);
                return r.json();
            }
            other if Instant::now() > deadline => {
                panic!("{method} {path}: {:?}", other.map(|r| r.text()))
            }
            _ => thread::sleep(Duration::from_millis(500)),
        }
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

/// What the verification of the rooms found.
#[derive(Default, Debug)]
pub struct Verified {
    pub entries: u64,
    /// Acknowledged entries missing from D1 or holding another text.
    pub lost: u64,
    /// Rows of the same seq more than once.
    pub duplicated: u64,
    /// Entries acknowledged twice (the same seq to two actions).
    pub acked_twice: u64,
}

/// Every room's D1 journal: once each, gapless, chain intact, verified by `po-replay`, holding
/// every acknowledged entry with its text.
pub fn verify_all(dev: &WranglerDev, tally: &Tally, games: &[String], pool: usize) -> Verified {
    let per_game = for_all(games, pool, |game| {
        let counts = dev.d1_query(&format!(
            "SELECT COUNT(*) AS n, COUNT(DISTINCT seq) AS d FROM journal WHERE game_id = '{game}'"
        ));
        let duplicated =
            counts[0]["n"].as_u64().unwrap_or(0) - counts[0]["d"].as_u64().unwrap_or(0);
        let d1 = d1_entries(dev, game);
        journal::verify(game, &d1).unwrap_or_else(|e| panic!("{game}: {e}"));
        let (code, out) = po_replay_verify(dev, game);
        assert_eq!(code, 0, "{game}: po-replay verify: {out}");
        let by_seq: BTreeMap<u64, &Entry> = d1.iter().map(|e| (e.seq, e)).collect();
        let mine = tally.acked.get(game).map(Vec::as_slice).unwrap_or_default();
        let lost = mine
            .iter()
            .filter(|(seq, text)| {
                !by_seq
                    .get(seq)
                    .is_some_and(|e| e.payload.contains(text.as_str()))
            })
            .count() as u64;
        let mut seqs: Vec<u64> = mine.iter().map(|(s, _)| *s).collect();
        seqs.sort_unstable();
        seqs.dedup();
        let acked_twice = (mine.len() - seqs.len()) as u64;
        Verified {
            entries: d1.len() as u64,
            lost,
            duplicated,
            acked_twice,
        }
    });
    per_game
        .into_iter()
        .fold(Verified::default(), |a, v| Verified {
            entries: a.entries + v.entries,
            lost: a.lost + v.lost,
            duplicated: a.duplicated + v.duplicated,
            acked_twice: a.acked_twice + v.acked_twice,
        })
}
