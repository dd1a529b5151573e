//! AlarmManager properties. The DO keeps a queue of tasks (`AlarmQueue`) mirrored from the
//! engine's pending timeline and rings at its earliest task; each ring fires every due task
//! through `Room::fire_due`. Whatever happens to the queue and the alarm in between (upserts of
//! tasks already queued, cancels, duplicated deliveries, stray and late wake-ups), the journal
//! must be the same as firing every task exactly at its due time: same entries in the same order,
//! same verdicts, same facts (only the time stamps of late firings differ).

use pecking_order::journal::Entry;
use pecking_order::room::alarms::{AlarmQueue, AlarmTask};
use pecking_order::room::Room;
use pecking_order::sim;
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    /// Time passes; the alarm rings if it is due.
    Advance(i64),
    /// The same alarm is delivered again (at-least-once delivery).
    Duplicate,
    /// A wake-up with nothing due (a stray alarm).
    StrayWake,
    /// Scheduling a queued task again (idempotent upsert).
    Reschedule(usize),
    /// A task is cancelled in the queue (the next sync from the engine restores what it wants).
    Cancel(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0i64..200_000).prop_map(Op::Advance),
        1 => Just(Op::Duplicate),
        1 => Just(Op::StrayWake),
        1 => (0usize..20).prop_map(Op::Reschedule),
        1 => (0usize..20).prop_map(Op::Cancel),
    ]
}

fn new_room() -> (Room, Vec<Entry>) {
    Room::create("alarms", &sim::init_body(5, 3), 0, [3; 32]).unwrap()
}

/// What must not depend on when an alarm rang.
fn shape(entries: &[Entry]) -> Vec<(u64, String, String, String, String)> {
    entries
        .iter()
        .map(|e| {
            (
                e.seq,
                e.typ.clone(),
                e.payload.clone(),
                e.verdict.to_wire(),
                e.facts.clone(),
            )
        })
        .collect()
}

/// Fires every task exactly at its due time.
fn reference() -> Vec<Entry> {
    let (mut room, mut journal) = new_room();
    while let Some(t) = room.state().and_then(|s| s.tasks.first()).cloned() {
        journal.extend(room.fire_due(t.due_ms, 1));
    }
    journal
}

fn ring(room: &mut Room, q: &mut AlarmQueue, now: i64, journal: &mut Vec<Entry>) {
    let fired = room.fire_due(now, 64);
    assert!(
        fired.iter().all(|e| e.verdict.is_accepted()),
        "a ring never journals a refusal"
    );
    journal.extend(fired);
    q.sync(&room.alarm_tasks());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_interleaving_fires_like_due_order(ops in prop::collection::vec(op(), 0..120)) {
        let want = reference();
        let (mut room, mut journal) = new_room();
        let mut q = AlarmQueue::from_tasks(room.alarm_tasks());
        let mut now = room.state().unwrap().manifest.start_ms - 10_000;
        let mut last_ring = now;
        for op in ops {
            match op {
                Op::Advance(dt) => {
                    now += dt;
                    if q.next_due().is_some_and(|d| d <= now) {
                        ring(&mut room, &mut q, now, &mut journal);
                        last_ring = now;
                    }
                }
                Op::Duplicate => {
                    let before = journal.len();
                    ring(&mut room, &mut q, last_ring.max(now), &mut journal);
                    // A duplicate of a ring that already fired everything due has no effect.
                    if last_ring == now {
                        prop_assert_eq!(journal.len(), before);
                    }
                }
                Op::StrayWake => {
                    let before = journal.len();
                    if q.next_due().is_none_or(|d| d > now) {
                        ring(&mut room, &mut q, now, &mut journal);
                        prop_assert_eq!(journal.len(), before, "a stray wake-up fires nothing");
                    }
                }
                Op::Reschedule(i) => {
                    let tasks = q.list();
                    if let Some(t) = tasks.get(i % tasks.len().max(1)) {
                        prop_assert!(!q.schedule(&t.task_id, t.due_ms, &t.payload), "identical upsert is a no-op");
                    }
                }
                Op::Cancel(i) => {
                    let tasks: Vec<AlarmTask> = q.list();
                    if let Some(t) = tasks.get(i % tasks.len().max(1)) {
                        q.cancel(&t.task_id);
                    }
                    // The DO re-syncs from the engine after every commit; here, right away.
                    q.sync(&room.alarm_tasks());
                }
            }
            prop_assert_eq!(q.list(), room.alarm_tasks(), "the queue mirrors the engine");
        }
        // Downtime ends: a late ring catches up on everything, in order.
        ring(&mut room, &mut q, i64::MAX / 4, &mut journal);
        prop_assert!(q.is_empty());
        prop_assert_eq!(shape(&journal), shape(&want));
        prop_assert_eq!(room.state().unwrap().winner.clone(), Room::replay("alarms", &want, None).unwrap().state().unwrap().winner.clone());
    }
}

#[test]
fn catch_up_runs_simultaneous_and_overdue_tasks_in_order_each_settled() {
    // Day 1's CLOSE_VOTING and END_DAY both overdue at one late ring: the elimination still
    // happens (END_DAY settles after CLOSE_VOTING), and every task fires once, in due order.
    let (mut room, mut journal) = new_room();
    let mut q = AlarmQueue::from_tasks(room.alarm_tasks());
    let start = room.state().unwrap().manifest.start_ms;
    ring(&mut room, &mut q, start, &mut journal);
    let end_day = room
        .alarm_tasks()
        .into_iter()
        .find(|t| t.payload == "END_DAY")
        .unwrap();
    ring(&mut room, &mut q, end_day.due_ms + 3_600_000, &mut journal);
    let fired: Vec<(String, i64)> = journal
        .iter()
        .filter(|e| e.typ == "ALARM.FIRE")
        .map(|e| {
            let v: serde_json::Value = serde_json::from_str(&e.payload).unwrap();
            (
                v["taskId"].as_str().unwrap().to_string(),
                v["dueMs"].as_i64().unwrap(),
            )
        })
        .collect();
    let mut sorted = fired.clone();
    sorted.sort_by_key(|(id, due)| (*due, id.clone()));
    assert_eq!(fired, sorted, "fired in (due, id) order");
    let mut ids: Vec<&String> = fired.iter().map(|(id, _)| id).collect();
    ids.dedup();
    assert_eq!(ids.len(), fired.len(), "each task once");
    assert!(
        journal
            .iter()
            .any(|e| e.facts.contains("\"type\":\"ELIMINATION\"")),
        "day 1's vote still eliminated someone"
    );
}
