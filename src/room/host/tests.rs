//! The host driven natively: a fake clock (every input at a time the test picks), a store whose
//! writes fail on demand ([`MemStore::fail_writes`]) and D1 answers injected as inputs.

use super::*;
use crate::room::live::{MemStore, Meta};
use crate::room::token::{mint, Claims};
use serde_json::{json, Value};

const SECRET: &str = "host-test-secret";
const GAME: &str = "g1";
/// 2026-11-30T00:00:00Z, a day before the games' start.
const T0: i64 = 1_796_083_200_000;

fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// The default configuration with [`SECRET`].
fn config() -> HostConfig {
    HostConfig::from_vars(SECRET.into(), |_| None)
}

fn init_body(scheduling: &str, start_ms: i64) -> String {
    let roster: Vec<Value> = (1..=4)
        .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}") }))
        .collect();
    json!({
        "manifest": { "mode": "PECKING_ORDER", "kind": "STATIC", "scheduling": scheduling,
                      "startTime": iso(start_ms), "schedulePreset": "SMOKE_TEST",
                      "days": [{ "voteType": "MAJORITY" }, { "voteType": "MAJORITY" }, { "voteType": "FINALS" }] },
        "roster": roster,
    })
    .to_string()
}

/// A room host and the fake clock it is driven with.
struct Rig {
    host: Host<MemStore>,
    now: i64,
}

impl Rig {
    fn new(config: HostConfig) -> Rig {
        Rig {
            host: Host::new(config, MemStore::default(), Vec::new()),
            now: T0,
        }
    }

    /// An ADMIN-scheduled room (no tasks), created at T0 with D1 confirming entry 1.
    fn admin_room() -> Rig {
        let mut rig = Rig::new(config());
        let fx = rig.create(&init_body("ADMIN", T0 + 86_400_000));
        rig.answer_d1(&fx, Ok(()));
        rig
    }

    /// A PRE_SCHEDULED room whose first task is due at `start`, created at T0 with D1
    /// confirming entry 1.
    fn timed_room(start: i64) -> Rig {
        let mut rig = Rig::new(config());
        let fx = rig.create(&init_body("PRE_SCHEDULED", start));
        rig.answer_d1(&fx, Ok(()));
        rig
    }

    fn step(&mut self, input: Input) -> Vec<Effect> {
        self.host.handle(self.now, input)
    }

    fn advance(&mut self, ms: i64) {
        self.now += ms;
    }

    fn request(&mut self, method: &str, path: &str, body: &str) -> Request {
        let mut req = Request::new(method, &format!("/parties/game-server/{GAME}{path}"));
        req.authorization = format!("Bearer {SECRET}");
        req.body = Ok(body.as_bytes().to_vec());
        req.seed = Ok([7; 32]);
        req
    }

    fn http(&mut self, method: &str, path: &str, body: &str) -> Vec<Effect> {
        let req = self.request(method, path, body);
        self.step(Input::Http(req))
    }

    fn create(&mut self, body: &str) -> Vec<Effect> {
        let fx = self.http("POST", "/init", body);
        assert_eq!(reply(&fx).0, 201, "{fx:?}");
        fx
    }

    fn admin(&mut self, body: Value) -> Vec<Effect> {
        let fx = self.http("POST", "/admin", &body.to_string());
        assert_eq!(reply(&fx).0, 200, "{fx:?}");
        fx
    }

    fn inject(&mut self, action: &str) -> Vec<Effect> {
        self.admin(json!({ "type": "INJECT_TIMELINE_EVENT", "action": action }))
    }

    fn state(&mut self) -> Value {
        let fx = self.http("GET", "/state", "");
        reply(&fx).1
    }

    fn seq(&self) -> u64 {
        self.host.live().map_or(0, |l| l.room.seq())
    }

    /// Connects `player` with a token valid for a day; the socket's name.
    fn connect(&mut self, player: &str) -> String {
        let exp = self.now / 1000 + 86_400;
        let fx = self.connect_until(player, exp);
        match fx.first() {
            Some(Effect::Accept {
                socket,
                identity: Some(id),
            }) => {
                assert_eq!(id.player_id, player);
                socket.clone()
            }
            other => panic!("{player} was not accepted: {other:?}"),
        }
    }

    /// Asks to connect `player` with a token that expires at `exp` (unix seconds).
    fn connect_until(&mut self, player: &str, exp: i64) -> Vec<Effect> {
        let token = mint(
            SECRET.as_bytes(),
            &Claims {
                sub: format!("user-{player}"),
                game_id: GAME.into(),
                player_id: player.into(),
                exp,
            },
        );
        let mut req = self.request("GET", "", "");
        req.upgrade = "websocket".into();
        req.query = vec![("token".into(), token)];
        self.step(Input::Http(req))
    }

    fn identity(&self, socket: &str, player: &str) -> SocketId {
        SocketId {
            player_id: player.into(),
            cid: socket.into(),
            exp: self.now / 1000 + 86_400,
        }
    }

    fn frame(&mut self, socket: &str, player: &str, text: &str) -> Vec<Effect> {
        let identity = Some(self.identity(socket, player));
        self.step(Input::Frame {
            socket: socket.into(),
            identity,
            data: text.as_bytes().to_vec(),
        })
    }

    /// Answers every D1 batch of `fx` (and of the batches that follow them) with `result`.
    fn answer_d1(&mut self, fx: &[Effect], result: Result<(), String>) -> Vec<Effect> {
        let mut all = Vec::new();
        let mut pending: Vec<D1Batch> = batches(fx);
        while let Some(b) = pending.pop() {
            let next = self.step(Input::D1Done {
                up_to: b.up_to,
                result: result.clone(),
            });
            pending.extend(batches(&next));
            all.extend(next);
        }
        all
    }

    fn meta(&self, key: Meta) -> Option<i64> {
        self.host.store().meta.get(&key).copied()
    }
}

fn reply(fx: &[Effect]) -> (u16, Value) {
    fx.iter()
        .find_map(|e| match e {
            Effect::Reply {
                status,
                body: ReplyBody::Json(text),
            } => Some((*status, serde_json::from_str(text).unwrap_or(Value::Null))),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no reply in {fx:?}"))
}

fn batches(fx: &[Effect]) -> Vec<D1Batch> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::WriteD1(b) => Some(b.clone()),
            _ => None,
        })
        .collect()
}

/// The frames `fx` sends to `socket`, parsed.
fn sent(fx: &[Effect], socket: &str) -> Vec<Value> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Send { socket: s, text } if s == socket => serde_json::from_str(text).ok(),
            _ => None,
        })
        .collect()
}

fn of_type(frames: &[Value], typ: &str) -> Vec<Value> {
    frames
        .iter()
        .filter(|f| f["type"] == typ)
        .cloned()
        .collect()
}

/// The alarm effect of `fx`: `Some(Some(t))` set at t, `Some(None)` deleted, `None` untouched.
fn alarm(fx: &[Effect]) -> Option<Option<i64>> {
    fx.iter().rev().find_map(|e| match e {
        Effect::SetAlarm(t) => Some(Some(*t)),
        Effect::ClearAlarm => Some(None),
        _ => None,
    })
}

fn silver(sync: &Value, id: &str) -> Value {
    sync["state"]["roster"]
        .as_array()
        .and_then(|r| r.iter().find(|p| p["id"] == id))
        .map(|p| p["silver"].clone())
        .unwrap_or(Value::Null)
}

const TRANSFER: &str = r#"{"type":"SOCIAL.SEND_SILVER","targetId":"p2","amount":1}"#;

// ---------------------------------------------------------------------------------------------
// Storage failures

#[test]
fn nothing_is_acknowledged_when_a_store_write_fails() {
    let mut rig = Rig::admin_room();
    let s1 = rig.connect("p1");
    rig.inject("START_DAY");
    rig.inject("OPEN_GROUP_CHAT");
    rig.advance(1000);
    let seq = rig.seq();
    let rows = rig.host.store().journal.len();

    rig.host.store.fail_writes = true;
    let chat = r#"{"type":"SOCIAL.SEND_MSG","content":"hi","ref":"c1"}"#;
    let fx = rig.frame(&s1, "p1", chat);
    let frames = sent(&fx, &s1);
    assert_eq!(frames.len(), 1, "{fx:?}");
    assert_eq!(frames[0]["type"], "ERROR");
    assert_eq!(frames[0]["code"], "STORAGE_FAILED");
    assert_eq!(frames[0]["ref"], "c1");
    assert!(frames[0].get("seq").is_none(), "not journaled");
    assert!(batches(&fx).is_empty(), "nothing to send to D1");
    assert!(
        rig.host.live().is_none(),
        "memory ran ahead of storage: dropped"
    );
    // An admin input is refused the same way over HTTP.
    let fx = rig.http("POST", "/admin", r#"{"type":"NEXT_STAGE"}"#);
    assert_eq!(reply(&fx).0, 500);
    assert_eq!(reply(&fx).1["error"]["code"], "STORAGE_FAILED");
    assert_eq!(rig.host.store().journal.len(), rows, "nothing stored");

    // Storage is back: the room reloads from it and the chain continues where it was.
    rig.host.store.fail_writes = false;
    let fx = rig.frame(&s1, "p1", chat);
    let ack = sent(&fx, &s1).into_iter().find(|f| f["type"] == "ACK");
    assert_eq!(
        ack.map(|a| a["seq"].clone()),
        Some(json!(seq + 1)),
        "{fx:?}"
    );
}

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
    let mut rig = Rig::new(HostConfig::from_vars(SECRET.into(), |k| {
        (k == "DEV_FAULTS").then(|| "1".to_string())
    }));
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
// SYNC throttle, ticker, presence

#[test]
fn sync_is_sent_at_once_in_a_quiet_room_and_once_more_after_a_burst() {
    let mut rig = Rig::admin_room();
    let s1 = rig.connect("p1");
    let s2 = rig.connect("p2");
    let fx = rig.inject("START_DAY");
    // Within the interval of the creation's broadcast: the day start rides a trailing SYNC.
    assert!(of_type(&sent(&fx, &s2), "SYSTEM.SYNC").is_empty());
    assert!(fx.contains(&Effect::StartTimer(T0 + SYNC_INTERVAL_MS)));
    rig.advance(SYNC_INTERVAL_MS);
    let fx = rig.step(Input::Timer);
    assert_eq!(
        of_type(&sent(&fx, &s2), "SYSTEM.SYNC")[0]["state"]["phase"],
        "DAY"
    );
    rig.advance(1000);
    let t = rig.now;
    let fx = rig.frame(&s1, "p1", TRANSFER);
    for s in [&s1, &s2] {
        let syncs = of_type(&sent(&fx, s), "SYSTEM.SYNC");
        assert_eq!(syncs.len(), 1, "quiet room: at once");
        assert_eq!(silver(&syncs[0], "p2"), json!(51));
    }
    assert!(!fx.iter().any(|e| matches!(e, Effect::StartTimer(_))));
    // Two more within the interval: ACKed at once, no SYNC, one timer.
    rig.now = t + 5;
    let fx = rig.frame(&s1, "p1", TRANSFER);
    assert_eq!(of_type(&sent(&fx, &s1), "ACK").len(), 1);
    assert!(of_type(&sent(&fx, &s2), "SYSTEM.SYNC").is_empty());
    assert!(fx.contains(&Effect::StartTimer(t + SYNC_INTERVAL_MS)));
    rig.now = t + 10;
    let fx = rig.frame(&s1, "p1", TRANSFER);
    assert!(of_type(&sent(&fx, &s2), "SYSTEM.SYNC").is_empty());
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::StartTimer(_))),
        "one timer"
    );
    // The trailing broadcast: one SYNC per socket with the latest state, and the ticker lines.
    rig.now = t + SYNC_INTERVAL_MS;
    let fx = rig.step(Input::Timer);
    for s in [&s1, &s2] {
        let frames = sent(&fx, s);
        let syncs = of_type(&frames, "SYSTEM.SYNC");
        assert_eq!(syncs.len(), 1);
        assert_eq!(silver(&syncs[0], "p1"), json!(47));
        assert_eq!(silver(&syncs[0], "p2"), json!(53));
        let lines = of_type(&frames, "TICKER.UPDATE");
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["lines"].as_array().map(Vec::len), Some(2));
    }
    // Nothing more waits; a timer firing again sends nothing.
    assert!(rig.step(Input::Timer).is_empty());
    rig.now = t + 100;
    let fx = rig.frame(&s1, "p1", TRANSFER);
    assert_eq!(
        of_type(&sent(&fx, &s2), "SYSTEM.SYNC").len(),
        1,
        "quiet again"
    );
    // A trailing timer that never fired (its handler was lost) does not hold SYNC back forever:
    // once it is an interval overdue, the next change is broadcast at once.
    rig.now = t + 105;
    let fx = rig.frame(&s1, "p1", TRANSFER);
    assert!(fx.contains(&Effect::StartTimer(t + 100 + SYNC_INTERVAL_MS)));
    rig.now = t + 100 + 2 * SYNC_INTERVAL_MS;
    let fx = rig.frame(&s1, "p1", TRANSFER);
    let syncs = of_type(&sent(&fx, &s2), "SYSTEM.SYNC");
    assert_eq!(syncs.len(), 1);
    assert_eq!(silver(&syncs[0], "p1"), json!(44));
    assert!(
        rig.step(Input::Timer).is_empty(),
        "the late timer finds nothing to send"
    );
}

#[test]
fn connecting_sends_sync_history_and_presence_and_leaving_updates_presence() {
    let mut rig = Rig::admin_room();
    rig.inject("START_DAY");
    let s1 = rig.connect("p1");
    let fx = rig.connect_until("p2", rig.now / 1000 + 60);
    let Some(Effect::Accept {
        socket: s2,
        identity: Some(_),
    }) = fx.first().cloned()
    else {
        panic!("{fx:?}")
    };
    let types: Vec<Value> = sent(&fx, &s2).iter().map(|f| f["type"].clone()).collect();
    assert_eq!(types, ["SYSTEM.SYNC", "TICKER.HISTORY", "PRESENCE.UPDATE"]);
    let history = &sent(&fx, &s2)[1];
    assert_eq!(history["lines"][0]["text"], "Day 1 has begun");
    let presence = of_type(&sent(&fx, &s1), "PRESENCE.UPDATE");
    assert_eq!(presence[0]["onlinePlayers"], json!(["p1", "p2"]));
    let fx = rig.step(Input::SocketGone {
        socket: s1.clone(),
        identity: Some(rig.identity(&s1, "p1")),
        echo: true,
    });
    assert_eq!(
        of_type(&sent(&fx, &s2), "PRESENCE.UPDATE")[0]["onlinePlayers"],
        json!(["p2"])
    );
    assert!(fx.contains(&Effect::Close {
        socket: s1,
        code: CLOSE_NORMAL,
        reason: "closed".into()
    }));
    // A bad token is accepted, then closed with 4003.
    let mut req = rig.request("GET", "", "");
    req.upgrade = "websocket".into();
    req.query = vec![("token".into(), "garbage".into())];
    let fx = rig.step(Input::Http(req));
    assert!(matches!(
        fx.as_slice(),
        [
            Effect::Accept { identity: None, .. },
            Effect::Close {
                code: CLOSE_AUTH,
                ..
            }
        ]
    ));
    // Without the upgrade header: 426.
    let fx = rig.http("GET", "", "");
    assert_eq!(reply(&fx).0, 426);
}

// ---------------------------------------------------------------------------------------------
// Frames: rate limit, expiry, bad input

/// What the room answered one frame with: "ok" (journaled or refused by the protocol), "limited"
/// (RATE_LIMITED), "closed" (4008), or "" (nothing).
fn outcome(fx: &[Effect], socket: &str) -> &'static str {
    if fx
        .iter()
        .any(|e| matches!(e, Effect::Close { code: CLOSE_ABUSE, socket: s, .. } if s == socket))
    {
        return "closed";
    }
    match sent(fx, socket).first() {
        Some(f) if f["code"] == "RATE_LIMITED" => "limited",
        Some(_) => "ok",
        None => "",
    }
}

#[test]
fn the_rate_limit_allows_a_burst_of_20_refills_10_a_second_and_closes_on_the_20th_strike() {
    let mut rig = Rig::admin_room();
    let s1 = rig.connect("p1");
    let s2 = rig.connect("p2");
    rig.advance(1000);
    let seq = rig.seq();
    let run = |rig: &mut Rig, n: usize| -> Vec<&'static str> {
        (0..n)
            .map(|_| outcome(&rig.frame(&s1, "p1", TRANSFER), &s1))
            .collect()
    };
    // A burst of 20 at one instant, then refused.
    let burst = run(&mut rig, 21);
    assert_eq!(burst[..20], ["ok"; 20]);
    assert_eq!(burst[20], "limited");
    // Refills at 10 a second, by the injected clock: 100 ms buys one frame.
    rig.advance(99);
    assert_eq!(run(&mut rig, 1), ["limited"]);
    rig.advance(1);
    assert_eq!(run(&mut rig, 2), ["ok", "limited"]);
    rig.advance(900);
    let second = run(&mut rig, 10);
    assert_eq!(second[..9], ["ok"; 9]);
    assert_eq!(second[9], "limited");
    // An admitted frame resets the strikes; the 20th consecutive refusal closes with 4008.
    rig.advance(100);
    assert_eq!(run(&mut rig, 1), ["ok"]);
    let strikes = run(&mut rig, 20);
    assert_eq!(strikes[..19], ["limited"; 19]);
    assert_eq!(strikes[19], "closed");
    // Frames after the close are dropped unread, even once the bucket refilled.
    rig.advance(10_000);
    assert_eq!(run(&mut rig, 3), ["", "", ""]);
    // Only admitted frames were journaled (each refused by the rules: no day yet).
    assert_eq!(rig.seq(), seq + 20 + 1 + 9 + 1);
    // Another socket has its own bucket.
    assert_eq!(outcome(&rig.frame(&s2, "p2", TRANSFER), &s2), "ok");
    // A long quiet period refills to the burst, no more.
    let mut fresh = Rig::admin_room();
    let s = fresh.connect("p3");
    fresh.advance(3_600_000);
    let n = (0..40)
        .map(|_| outcome(&fresh.frame(&s, "p3", TRANSFER), &s))
        .filter(|o| *o == "ok")
        .count();
    assert_eq!(n, 20);
}

#[test]
fn ws_rate_vars_override_the_bucket() {
    let cfg = HostConfig::from_vars(SECRET.into(), |k| match k {
        "WS_RATE_PER_S" => Some("1000".into()),
        "WS_RATE_BURST" => Some("nope".into()),
        _ => None,
    });
    assert_eq!(
        (cfg.rate_per_s, cfg.rate_burst, cfg.dev_faults),
        (1000.0, RATE_BURST, false)
    );
    let mut rig = Rig::new(HostConfig {
        rate_burst: 3.0,
        ..cfg
    });
    let fx = rig.create(&init_body("ADMIN", T0 + 86_400_000));
    rig.answer_d1(&fx, Ok(()));
    let s = rig.connect("p1");
    let got: Vec<&str> = (0..4)
        .map(|_| outcome(&rig.frame(&s, "p1", TRANSFER), &s))
        .collect();
    assert_eq!(got, ["ok", "ok", "ok", "limited"]);
    let limited = sent(&rig.frame(&s, "p1", TRANSFER), &s);
    assert!(
        limited[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("1000")),
        "{limited:?}"
    );
}

#[test]
fn bad_frames_are_refused_with_their_code_and_path_and_journal_nothing() {
    let mut rig = Rig::admin_room();
    let s1 = rig.connect("p1");
    let seq = rig.seq();
    let fx = rig.frame(
        &s1,
        "p1",
        r#"{"type":"SOCIAL.SEND_SILVER","targetId":"p2","amount":"x","ref":"b1"}"#,
    );
    let e = &sent(&fx, &s1)[0];
    assert_eq!(
        (&e["type"], &e["code"], &e["path"], &e["ref"]),
        (
            &json!("ERROR"),
            &json!("INVALID_FIELDS"),
            &json!("amount"),
            &json!("b1")
        )
    );
    // As in docs/protocol.md.
    assert_eq!(
        e["message"],
        r#"invalid fields for SOCIAL.SEND_SILVER: amount: invalid type: string "x", expected u64"#
    );
    let fx = rig.frame(&s1, "p1", "{nope");
    assert_eq!(sent(&fx, &s1)[0]["code"], "MALFORMED_JSON");
    assert!(sent(&fx, &s1)[0].get("path").is_none());
    assert_eq!(rig.seq(), seq, "nothing journaled");
    // A rejection by the rules is journaled and says so with its seq.
    let fx = rig.frame(
        &s1,
        "p1",
        r#"{"type":"VOTE.MAJORITY.CAST","targetId":"p3","ref":"v"}"#,
    );
    let e = &sent(&fx, &s1)[0];
    assert_eq!(
        (&e["code"], &e["seq"]),
        (&json!("WRONG_PHASE"), &json!(seq + 1))
    );
    // A socket without identity is closed.
    let fx = rig.step(Input::Frame {
        socket: "anon".into(),
        identity: None,
        data: TRANSFER.into(),
    });
    assert!(matches!(
        fx.as_slice(),
        [Effect::Close {
            code: CLOSE_AUTH,
            ..
        }]
    ));
}

#[test]
fn a_frame_after_the_token_expired_gets_token_expired_then_4003() {
    let mut rig = Rig::admin_room();
    let exp = rig.now / 1000 + 2;
    let fx = rig.connect_until("p1", exp);
    let Some(Effect::Accept {
        socket,
        identity: Some(id),
    }) = fx.first().cloned()
    else {
        panic!("{fx:?}")
    };
    let seq = rig.seq();
    rig.now = exp * 1000 - 1;
    let ok = rig.step(Input::Frame {
        socket: socket.clone(),
        identity: Some(id.clone()),
        data: TRANSFER.into(),
    });
    assert_eq!(outcome(&ok, &socket), "ok");
    rig.now = exp * 1000;
    let fx = rig.step(Input::Frame {
        socket: socket.clone(),
        identity: Some(id.clone()),
        data: TRANSFER.into(),
    });
    assert_eq!(sent(&fx, &socket)[0]["code"], "TOKEN_EXPIRED");
    assert!(matches!(
        fx.last(),
        Some(Effect::Close {
            code: CLOSE_AUTH,
            ..
        })
    ));
    assert_eq!(rig.seq(), seq + 1, "only the frame before the expiry");
    let fx = rig.step(Input::Frame {
        socket,
        identity: Some(id),
        data: TRANSFER.into(),
    });
    assert!(fx.is_empty(), "closed: later frames are dropped");
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
