//! The outbox to D1, backoff, the alarm, snapshots and D1 rows.

use super::*;

// ---------------------------------------------------------------------------------------------
// The outbox to D1

#[test]
fn a_quiet_room_flushes_each_commit_at_once() {
    let mut rig = Rig::admin_room();
    assert_eq!(rig.host.store().confirmed, 1);
    for action in ["START_DAY", "OPEN_GROUP_CHAT"] {
        rig.advance(1000);
        let fx = rig.inject(action);
        let b = batches(&fx);
        assert_eq!(b.len(), 1, "{fx:?}");
        assert_eq!((b[0].up_to, b[0].entries), (rig.seq(), 1));
        rig.answer_d1(&fx, Ok(()));
        assert_eq!(rig.host.store().confirmed, rig.seq());
    }
    let st = rig.state();
    assert_eq!(st["outboxLag"], 0);
    assert_eq!(st["d1Batches"], 3);
    assert_eq!(st["d1BatchedEntries"], 3);
}

#[test]
fn a_busy_room_batches_and_the_alarm_flushes_what_waits() {
    let mut rig = Rig::admin_room();
    rig.advance(1000);
    let first = rig.inject("START_DAY");
    let flush_started = rig.now;
    rig.advance(5);
    rig.answer_d1(&first, Ok(()));
    // Within FLUSH_DELAY_MS of the last flush, commits wait and the alarm is set to flush them.
    let mut last = Vec::new();
    for i in 0..5 {
        rig.advance(10);
        last = rig.admin(json!({ "type": "CREDIT_SILVER", "rewards": { "p1": i + 1 } }));
        assert!(batches(&last).is_empty(), "commit {i} waits: {last:?}");
    }
    assert!(batches(&last).is_empty());
    assert_eq!(rig.host.alarm.armed, Some(flush_started + FLUSH_DELAY_MS));
    assert_eq!(rig.host.store().outbox_len(), Ok(5));
    rig.now = flush_started + FLUSH_DELAY_MS;
    let fx = rig.step(Input::Alarm);
    let b = batches(&fx);
    assert_eq!(b.len(), 1, "{fx:?}");
    assert_eq!((b[0].entries, b[0].up_to), (5, rig.seq()), "one batch of 5");
    let fx = rig.answer_d1(&fx, Ok(()));
    assert_eq!(rig.host.store().outbox_len(), Ok(0));
    // The alarm rang and nothing is left to wake for: it stays unset.
    assert_eq!(alarm(&fx), None, "{fx:?}");
    assert_eq!(rig.host.alarm.armed, None);

    // FLUSH_MIN_BATCH entries waiting flush at once, even within the delay.
    rig.advance(10);
    let mut flushed_at = None;
    for i in 0..FLUSH_MIN_BATCH {
        let fx = rig.admin(json!({ "type": "CREDIT_SILVER", "rewards": { "p2": 1 } }));
        if let Some(b) = batches(&fx).first() {
            flushed_at = Some((i + 1, b.entries));
            break;
        }
    }
    assert_eq!(
        flushed_at,
        Some((FLUSH_MIN_BATCH, FLUSH_MIN_BATCH as usize)),
        "the 32nd waiting entry flushes all 32"
    );
}

#[test]
fn a_long_outbox_goes_in_batches_of_fifty() {
    let mut rig = Rig::admin_room();
    // D1 fails once so 120 entries pile up.
    rig.advance(1000);
    let fx = rig.inject("START_DAY");
    rig.answer_d1(&fx, Err("down".into()));
    for _ in 0..119 {
        rig.admin(json!({ "type": "CREDIT_SILVER", "rewards": { "p1": 1 } }));
    }
    assert_eq!(rig.host.store().outbox_len(), Ok(120));
    rig.now = rig.meta(Meta::D1RetryAt).unwrap_or(0);
    let mut fx = rig.step(Input::Alarm);
    let mut sizes = Vec::new();
    while let Some(b) = batches(&fx).pop() {
        sizes.push(b.entries);
        fx = rig.step(Input::D1Done {
            up_to: b.up_to,
            result: Ok(()),
        });
    }
    assert_eq!(sizes, [50, 50, 20]);
    assert_eq!(rig.host.store().confirmed, rig.seq());
    assert_eq!(
        rig.meta(Meta::D1Failures),
        None,
        "success resets the failures"
    );
}

#[test]
fn d1_backoff_doubles_from_half_a_second_to_a_minute_and_resets_on_success() {
    let mut rig = Rig::admin_room();
    rig.advance(1000);
    let mut fx = rig.inject("START_DAY");
    let mut delays = Vec::new();
    for _ in 0..9 {
        let failed_at = rig.now;
        let after = rig.answer_d1(&fx, Err("D1 is down".into()));
        let retry_at = rig.meta(Meta::D1RetryAt).unwrap_or(0);
        delays.push(retry_at - failed_at);
        assert_eq!(alarm(&after), Some(Some(retry_at)), "the alarm retries");
        // A commit during the backoff does not hammer D1.
        rig.now = retry_at - 1;
        let commit = rig.admin(json!({ "type": "CREDIT_SILVER", "rewards": { "p1": 1 } }));
        assert!(batches(&commit).is_empty(), "{commit:?}");
        rig.now = retry_at;
        fx = rig.step(Input::Alarm);
        assert_eq!(batches(&fx).len(), 1, "retried at {retry_at}");
    }
    assert_eq!(
        delays,
        [500, 1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]
    );
    assert_eq!(rig.meta(Meta::D1Failures), Some(9));
    assert_eq!(rig.state()["d1Failures"], 9);
    rig.answer_d1(&fx, Ok(()));
    assert_eq!(rig.meta(Meta::D1Failures), None);
    assert_eq!(rig.meta(Meta::D1RetryAt), None);
    assert_eq!(rig.host.store().outbox_len(), Ok(0));
    // The next failure starts over at 500 ms.
    rig.advance(1000);
    let fx = rig.inject("OPEN_GROUP_CHAT");
    rig.answer_d1(&fx, Err("again".into()));
    assert_eq!(rig.meta(Meta::D1RetryAt), Some(rig.now + 500));
    assert_eq!(backoff_ms(30), BACKOFF_MAX_MS);
}

#[test]
fn dev_fail_d1_fails_every_flush_until_turned_off() {
    let mut rig = Rig::new(config_with(&[("DEV_FAULTS", "1")]));
    let fx = rig.create(&init_body("ADMIN", T0 + 86_400_000));
    rig.answer_d1(&fx, Ok(()));
    rig.admin(json!({ "type": "DEV_FAIL_D1", "on": true }));
    rig.advance(1000);
    let fx = rig.inject("START_DAY");
    assert!(batches(&fx).is_empty(), "no batch reaches D1");
    assert_eq!(rig.meta(Meta::D1Failures), Some(1));
    rig.advance(FLUSH_DELAY_MS);
    let fx = rig.admin(json!({ "type": "DEV_FAIL_D1", "on": false }));
    assert_eq!(
        batches(&fx).len(),
        1,
        "retried without waiting for the backoff: {fx:?}"
    );
    // Without DEV_FAULTS the switch is refused.
    let mut plain = Rig::admin_room();
    let fx = plain.http("POST", "/admin", r#"{"type":"DEV_FAIL_D1","on":true}"#);
    assert_eq!(reply(&fx), (403, reply(&fx).1));
    assert_eq!(reply(&fx).1["error"]["code"], "DEV_FAULTS_OFF");
}

// ---------------------------------------------------------------------------------------------
// The alarm

#[test]
fn the_alarm_is_armed_at_the_earlier_of_the_next_task_and_the_next_flush() {
    // The first task (START_DAY) is due a minute after creation.
    let start = T0 + 60_000;
    let mut rig = Rig::new(config());
    let fx = rig.create(&init_body("PRE_SCHEDULED", start));
    let next_task = rig.host.queue.as_ref().and_then(AlarmQueue::next_due);
    assert_eq!(next_task, Some(start));
    // While entry 1 is in flight, only the task counts.
    assert_eq!(alarm(&fx), Some(Some(start)), "{fx:?}");
    // D1 failed: the retry (500 ms) comes before the task.
    let fx = rig.answer_d1(&fx, Err("down".into()));
    assert_eq!(alarm(&fx), Some(Some(T0 + 500)));
    // Many failures later the retry (60 s) comes after the task.
    rig.host.store.meta.insert(Meta::D1Failures, 8);
    rig.now = T0 + 500;
    let fx = rig.step(Input::Alarm);
    let fx = rig.answer_d1(&fx, Err("down".into()));
    assert_eq!(rig.meta(Meta::D1RetryAt), Some(T0 + 500 + 60_000));
    assert_eq!(rig.host.alarm.armed, Some(start), "{fx:?}");
    // D1 is back, the outbox is empty: only the task is left.
    rig.now = start - 10;
    rig.host.store.meta.remove(&Meta::D1RetryAt);
    let mut fx = rig.step(Input::Alarm);
    let answered = rig.answer_d1(&fx, Ok(()));
    fx.extend(answered);
    assert_eq!(rig.host.store().outbox_len(), Ok(0));
    assert_eq!(alarm(&fx), Some(Some(start)), "{fx:?}");
}

#[test]
fn alarms_fire_due_tasks_and_a_duplicate_delivery_journals_nothing() {
    let start = T0 + 60_000;
    let mut rig = Rig::timed_room(start);
    let s1 = rig.connect("p1");
    // A stray early wake-up fires nothing.
    rig.now = start - 1;
    let fx = rig.step(Input::Alarm);
    assert_eq!(rig.seq(), 1);
    assert!(batches(&fx).is_empty());
    rig.now = start;
    let fx = rig.step(Input::Alarm);
    let fired = rig.seq();
    assert!(
        fired > 1,
        "START_DAY and the tasks due with it are journaled"
    );
    let syncs = of_type(&sent(&fx, &s1), "SYSTEM.SYNC");
    assert_eq!(syncs.len(), 1, "the change is broadcast");
    assert_eq!(syncs[0]["state"]["phase"], "DAY");
    assert_eq!(batches(&fx).first().map(|b| b.up_to), Some(fired));
    rig.answer_d1(&fx, Ok(()));
    let rows = rig.host.store().journal.len();
    // The same delivery again: nothing journaled, nothing sent, nothing to flush.
    rig.advance(5);
    let fx = rig.step(Input::Alarm);
    assert_eq!(rig.seq(), fired);
    assert_eq!(rig.host.store().journal.len(), rows);
    assert!(sent(&fx, &s1).is_empty(), "{fx:?}");
    assert!(batches(&fx).is_empty());
    // And it re-arms for the next task.
    let next = rig.host.queue.as_ref().and_then(AlarmQueue::next_due);
    assert!(next.is_some_and(|t| t > start));
    assert_eq!(alarm(&fx), Some(next));
}

#[test]
fn a_fresh_instance_on_the_same_store_reasserts_the_alarm_and_continues_the_chain() {
    let start = T0 + 60_000;
    let mut rig = Rig::timed_room(start);
    // Enough entries to cross a snapshot (every COMPACT_EVERY).
    for _ in 0..70 {
        rig.advance(1);
        let fx = rig.admin(json!({ "type": "CREDIT_SILVER", "rewards": { "p1": 1 } }));
        rig.answer_d1(&fx, Ok(()));
    }
    // The alarm flushes what waited (no task is due yet).
    rig.advance(1000);
    let fx = rig.step(Input::Alarm);
    rig.answer_d1(&fx, Ok(()));
    assert_eq!(rig.host.store().outbox_len(), Ok(0));
    let before = rig.state();
    let snapshot = rig.host.live().map_or(0, LiveRoom::snapshot_seq);
    assert!(snapshot > 1, "a snapshot was written at {snapshot}");
    assert_eq!(
        rig.host.store().journal.len() as u64,
        rig.seq(),
        "no row dropped"
    );

    let store = rig.host.store().clone();
    let mut fresh = Rig {
        host: Host::new(config(), store, Vec::new()),
        now: rig.now + 1000,
        logs: Vec::new(),
    };
    let fx = fresh.http("GET", "/state", "");
    assert_eq!(
        alarm(&fx),
        Some(Some(start)),
        "re-asserted on the first request"
    );
    let mut after = reply(&fx).1;
    let mut before = before;
    for v in [&mut before, &mut after] {
        for k in [
            "outboxLag",
            "d1ConfirmedSeq",
            "d1Batches",
            "d1BatchedEntries",
        ] {
            v.as_object_mut().map(|o| o.remove(k));
        }
    }
    assert_eq!(after, before);
    let fx = fresh.admin(json!({ "type": "NEXT_STAGE" }));
    assert_eq!(reply(&fx).1["seq"], rig.seq() + 1);
    let lines = fresh.http("GET", "/journal", "");
    let Some(Effect::Reply {
        body: ReplyBody::Ndjson(text),
        ..
    }) = lines.iter().find(|e| matches!(e, Effect::Reply { .. }))
    else {
        panic!("{lines:?}")
    };
    let entries: Vec<crate::journal::Entry> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(entries.len() as u64, rig.seq() + 1);
    assert!(crate::journal::verify(GAME, &entries).is_ok());
}

// ---------------------------------------------------------------------------------------------
// D1 rows

#[test]
fn d1_rows_are_the_journal_row_plus_games_and_players_rows() {
    let mut rig = Rig::admin_room();
    let entries = rig.host.store().journal.clone();
    let rows = d1_rows(&entries[0]);
    assert!(matches!(&rows[0], D1Row::Journal(e) if e.seq == 1));
    assert!(
        matches!(&rows[1], D1Row::Game { mode, status: "ACTIVE", .. } if mode == "PECKING_ORDER")
    );
    let players: Vec<&str> = rows
        .iter()
        .filter_map(|r| match r {
            D1Row::Player { player_id, .. } => Some(player_id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(players, ["p1", "p2", "p3", "p4"]);
    rig.advance(1000);
    let fx = rig.inject("START_DAY");
    let b = batches(&fx);
    assert_eq!(b.len(), 1, "{fx:?}");
    assert_eq!(b[0].rows.len(), 1, "other entries: the journal row only");
}
