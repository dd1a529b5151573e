//! End-to-end tests of the self-advancing timeline under `wrangler dev`: a day runs on its alarms
//! with no client connected, alarms missed during downtime run in order exactly once, and a preset
//! day runs by itself. Run with `make test`, or after `make build`:
//! `cargo test --features e2e --test e2e timeline::`.
#![cfg(feature = "e2e")]

use crate::live::{admin, assert_d1_equals_journal, create, journal_lines, now_ms, state};
use crate::support;

use std::thread;
use std::time::{Duration, Instant};

use pecking_order::journal::Entry;
use serde_json::{json, Value};
use support::WranglerDev;

/// A STATIC pre-scheduled game whose day 1 runs on an explicit timeline seconds apart (a
/// SMOKE_TEST day is 5 minutes; the explicit timeline stands in to keep `make test` short).
fn timed_init(start_ms: i64, offsets_s: &[(i64, &str)]) -> String {
    let at = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .expect("time")
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    };
    let timeline: Vec<Value> = offsets_s
        .iter()
        .map(|(s, a)| json!({ "time": at(start_ms + s * 1000), "action": a }))
        .collect();
    let roster: Vec<Value> = (1..=4)
        .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}") }))
        .collect();
    json!({
        "manifest": { "mode": "PECKING_ORDER", "kind": "STATIC", "scheduling": "PRE_SCHEDULED",
                      "startTime": at(start_ms), "schedulePreset": "SMOKE_TEST",
                      "days": [{ "voteType": "MAJORITY", "timeline": timeline },
                               { "voteType": "MAJORITY" }, { "voteType": "FINALS" }] },
        "roster": roster,
    })
    .to_string()
}

const DAY1: [(i64, &str); 5] = [
    (1, "OPEN_GROUP_CHAT"),
    (2, "OPEN_VOTING"),
    (4, "CLOSE_VOTING"),
    (5, "CLOSE_GROUP_CHAT"),
    (6, "END_DAY"),
];

/// ALARM entries of the journal as (taskId, dueMs, at_ms, seq).
pub(crate) fn fired(entries: &[Entry]) -> Vec<(String, i64, i64, u64)> {
    entries
        .iter()
        .filter(|e| e.typ == "ALARM.FIRE")
        .map(|e| {
            let p: Value = serde_json::from_str(&e.payload).expect("payload");
            (
                p["taskId"].as_str().unwrap_or_default().to_string(),
                p["dueMs"].as_i64().unwrap_or_default(),
                e.at_ms,
                e.seq,
            )
        })
        .collect()
}

fn wait_for_end_day(dev: &WranglerDev, game: &str, secs: u64) -> Vec<Entry> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let j = journal_lines(dev, game);
        if fired(&j).iter().any(|(id, ..)| id.contains("END_DAY")) {
            return j;
        }
        assert!(
            Instant::now() < deadline,
            "END_DAY never fired; journal: {:?}",
            fired(&j)
        );
        thread::sleep(Duration::from_millis(250));
    }
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn check_day_one(j: &[Entry]) -> Vec<(String, i64, i64, u64)> {
    let f = fired(j);
    let ids: Vec<&str> = f.iter().map(|(id, ..)| id.as_str()).collect();
    for action in [
        "START_DAY",
        "OPEN_GROUP_CHAT",
        "OPEN_VOTING",
        "CLOSE_VOTING",
        "CLOSE_GROUP_CHAT",
        "END_DAY",
    ] {
        assert_eq!(
            ids.iter()
                .filter(|id| id.ends_with(action) && id.starts_with("d001"))
                .count(),
            1,
            "{action} fired once: {ids:?}"
        );
    }
    // Each task once, in (due, id) order, never before its due time.
    let mut sorted = f.clone();
    sorted.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    assert_eq!(f, sorted, "fired in due order");
    let mut unique: Vec<&String> = f.iter().map(|(id, ..)| id).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), f.len(), "each task once");
    assert!(f.iter().all(|(_, due, at, _)| at >= due), "{f:?}");
    let facts: String = j.iter().map(|e| e.facts.as_str()).collect();
    assert!(facts.contains("ELIMINATION"), "someone is eliminated");
    assert!(
        j.iter().all(|e| e.verdict.is_accepted()),
        "alarms are all accepted"
    );
    f
}

#[test]
fn the_timeline_advances_a_whole_day_with_no_client_connected() {
    let dev = WranglerDev::start();
    let game = "timed-1";
    let start = now_ms() + 3000;
    create(&dev, game, &timed_init(start, &DAY1));
    let listed = admin(&dev, game, json!({ "type": "LIST_TASKS" }));
    assert!(
        listed["tasks"].as_array().is_some_and(|t| !t.is_empty()),
        "{listed}"
    );
    assert!(state(&dev, game)["nextTasks"][0]["taskId"]
        .as_str()
        .is_some_and(|id| id.contains("START_DAY")));

    let j = wait_for_end_day(&dev, game, 40);
    let f = check_day_one(&j);
    let mut lateness: Vec<i64> = f.iter().map(|(_, due, at, _)| at - due).collect();
    lateness.sort();
    eprintln!(
        "FIGURE alarm lateness (due → at_ms) over {} firings: p50 {} ms, p99 {} ms, max {} ms",
        lateness.len(),
        percentile(&lateness, 0.5),
        percentile(&lateness, 0.99),
        lateness.last().copied().unwrap_or(0)
    );
    // A duplicate delivery of a past alarm journals nothing: the queue moved on.
    let next = state(&dev, game)["nextTasks"][0]["taskId"].clone();
    assert!(
        next.as_str().is_some_and(|id| !id.starts_with("d001")),
        "{next}"
    );
    assert_d1_equals_journal(&dev, game);
}

#[test]
fn missed_alarms_run_in_order_exactly_once_after_downtime() {
    let mut dev = WranglerDev::start();
    let game = "timed-2";
    let start = now_ms() + 4000;
    create(&dev, game, &timed_init(start, &DAY1));
    // Down across every due time of day 1.
    dev.kill_hard();
    let resume = start + 8000;
    let wait = (resume - now_ms()).max(0) as u64;
    thread::sleep(Duration::from_millis(wait));
    dev.start_again();
    let j = wait_for_end_day(&dev, game, 40);
    let f = check_day_one(&j);
    // They all ran late, after the restart, in one catch-up.
    assert!(f.iter().all(|(_, _, at, _)| *at >= resume), "{f:?}");
    assert_d1_equals_journal(&dev, game);
}

/// The issue's own scenario: one whole SMOKE_TEST day (END_DAY at +300 s) on the preset's
/// generated timeline, driven only by the DO alarm, with no client connected. Takes ~5 minutes;
/// it runs in parallel with the other end-to-end tests.
#[test]
fn a_smoke_test_preset_day_runs_by_itself() {
    let dev = WranglerDev::start();
    let game = "smoke-day";
    let start = now_ms() + 3000;
    let at = chrono::DateTime::from_timestamp_millis(start)
        .expect("time")
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let roster: Vec<Value> = (1..=4)
        .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}") }))
        .collect();
    let init = json!({
        "manifest": { "mode": "PECKING_ORDER", "kind": "STATIC", "scheduling": "PRE_SCHEDULED",
                      "startTime": at, "schedulePreset": "SMOKE_TEST",
                      "days": [{ "voteType": "MAJORITY" }, { "voteType": "MAJORITY" }, { "voteType": "FINALS" }] },
        "roster": roster,
    });
    create(&dev, game, &init.to_string());
    let j = wait_for_end_day(&dev, game, 360);
    let f = check_day_one(&j);
    let mut lateness: Vec<i64> = f.iter().map(|(_, due, at, _)| at - due).collect();
    lateness.sort();
    eprintln!(
        "FIGURE SMOKE_TEST day alarm lateness over {} firings: p50 {} ms, p99 {} ms, max {} ms",
        lateness.len(),
        percentile(&lateness, 0.5),
        percentile(&lateness, 0.99),
        lateness.last().copied().unwrap_or(0)
    );
    assert_d1_equals_journal(&dev, game);
}
