//! docs/protocol.md, "Lobby status callbacks": owed from the journal, called from the alarm,
//! retried with backoff on the fake clock, delivered once each.

use super::*;
use crate::room::host::{lobby_backoff_ms, LobbyCall, LobbyStatus};

fn calls(fx: &[Effect]) -> Vec<LobbyCall> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::NotifyLobby(c) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

fn lobby_room() -> Rig {
    let mut rig = Rig::new(config_with(&[("LOBBY_HOST", "http://lobby.test/")]));
    assert_eq!(
        rig.host.config.lobby_host.as_deref(),
        Some("http://lobby.test")
    );
    let fx = rig.create(&init_body("ADMIN", T0 + 86_400_000));
    rig.answer_d1(&fx, Ok(()));
    rig
}

fn done(rig: &mut Rig, status: LobbyStatus, result: Result<u16, String>) -> Vec<Effect> {
    rig.step(Input::LobbyDone { status, result })
}

#[test]
fn in_progress_and_completed_are_delivered_once_each_through_a_lobby_outage() {
    let mut rig = lobby_room();
    // Pregame: nothing owed, nothing called.
    assert!(calls(&rig.step(Input::Alarm)).is_empty());
    // Day 1 starts: never called from the request, nor before D1 holds the entry that started
    // it (the lobby may read the game from D1): the alarm flushes it first, then, once D1
    // confirmed it, the alarm is set at once and makes the call.
    let fx = rig.admin(json!({ "type": "NEXT_STAGE" }));
    assert!(calls(&fx).is_empty(), "never from a request");
    rig.now = alarm(&fx)
        .flatten()
        .expect("the flush's alarm")
        .max(rig.now);
    let fx = rig.step(Input::Alarm);
    assert!(calls(&fx).is_empty(), "not before D1 holds the entry");
    let fx = rig.answer_d1(&fx, Ok(()));
    assert_eq!(alarm(&fx), Some(Some(rig.now)));
    let fx = rig.step(Input::Alarm);
    let c = calls(&fx);
    assert_eq!(c.len(), 1);
    assert_eq!(
        serde_json::to_value(&c[0]).unwrap(),
        json!({"gameId": GAME, "status": "IN_PROGRESS"})
    );
    // One in flight at a time.
    assert!(calls(&rig.step(Input::Alarm)).is_empty());
    // The lobby is down: retried with backoff.
    let fx = done(
        &mut rig,
        LobbyStatus::InProgress,
        Err("connection refused".into()),
    );
    let retry = rig.now + lobby_backoff_ms(1);
    assert_eq!(alarm(&fx), Some(Some(retry)));
    rig.now = retry - 1;
    assert!(
        calls(&rig.step(Input::Alarm)).is_empty(),
        "not before the retry"
    );
    rig.now = retry;
    assert_eq!(calls(&rig.step(Input::Alarm)).len(), 1);
    let fx = done(&mut rig, LobbyStatus::InProgress, Ok(503));
    let retry = rig.now + lobby_backoff_ms(2);
    assert_eq!(alarm(&fx), Some(Some(retry)));
    rig.now = retry;
    assert_eq!(calls(&rig.step(Input::Alarm)).len(), 1);
    // Back: delivered, and never again.
    done(&mut rig, LobbyStatus::InProgress, Ok(200));
    rig.advance(600_000);
    assert!(calls(&rig.step(Input::Alarm)).is_empty());
    // A late answer for a call not in flight changes nothing.
    done(&mut rig, LobbyStatus::InProgress, Err("late".into()));
    assert!(calls(&rig.step(Input::Alarm)).is_empty());
    // The game ends: COMPLETED, once, after D1 holds the entry that ended it.
    let fx = rig.admin(json!({ "type": "ABANDON_GAME" }));
    rig.now = alarm(&fx)
        .flatten()
        .expect("the flush's alarm")
        .max(rig.now);
    let fx = rig.step(Input::Alarm);
    assert!(calls(&fx).is_empty(), "not before D1 holds the entry");
    rig.answer_d1(&fx, Ok(()));
    let c = calls(&rig.step(Input::Alarm));
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].status, LobbyStatus::Completed);
    done(&mut rig, LobbyStatus::Completed, Ok(204));
    rig.advance(600_000);
    assert!(calls(&rig.step(Input::Alarm)).is_empty());
}

#[test]
fn without_lobby_host_nothing_is_owed() {
    let mut rig = Rig::admin_room();
    rig.admin(json!({ "type": "NEXT_STAGE" }));
    assert!(calls(&rig.step(Input::Alarm)).is_empty());
}

#[test]
fn a_call_waits_for_a_task_it_could_delay() {
    let start = T0 + 60_000;
    let mut rig = Rig::new(config_with(&[("LOBBY_HOST", "http://lobby.test")]));
    let fx = rig.create(&init_body("PRE_SCHEDULED", start));
    rig.answer_d1(&fx, Ok(()));
    rig.now = start;
    // Whenever the call is made, no task falls due before it could time out.
    for _ in 0..50 {
        let fx = rig.step(Input::Alarm);
        if !calls(&fx).is_empty() {
            let next = rig.host.queue.as_ref().and_then(AlarmQueue::next_due);
            assert!(next.is_none_or(|t| t > rig.now + crate::room::host::LOBBY_TIMEOUT_MS));
            return;
        }
        rig.answer_d1(&fx, Ok(()));
        rig.now = rig
            .host
            .alarm
            .armed
            .unwrap_or(rig.now + 1_000)
            .max(rig.now + 1);
    }
    panic!(
        "IN_PROGRESS was never called: day {:?} owed {:?} tasks {:?} now {} armed {:?}",
        rig.host.live().and_then(|l| l.room.state()).map(|s| s.day),
        rig.host.lobby_owed(),
        rig.host.queue.as_ref().map(|q| q
            .list()
            .into_iter()
            .take(3)
            .map(|t| t.due_ms)
            .collect::<Vec<_>>()),
        rig.now,
        rig.host.alarm.armed
    );
}

/// The operator console's SEND_PLAYER_EVENT: a client message journaled as the player's action.
#[test]
fn send_player_event_journals_the_event_as_that_players_action() {
    let mut rig = Rig::admin_room();
    rig.admin(json!({ "type": "NEXT_STAGE" }));
    rig.inject("OPEN_GROUP_CHAT");
    let event = json!({ "type": "SEND_PLAYER_EVENT", "senderId": "p2",
                        "event": { "type": "SOCIAL.SEND_MSG", "content": "as p2" } });
    let fx = rig.admin(event);
    assert_eq!(reply(&fx).1["verdict"], "ACCEPTED", "{fx:?}");
    let seq = rig.seq();
    let rows = rig.host.store().journal(seq, 1).unwrap();
    let e = &rows[0];
    assert_eq!(
        (e.actor.as_str(), e.typ.as_str()),
        ("p2", "SOCIAL.SEND_MSG")
    );
    for (body, path) in [
        (
            json!({ "type": "SEND_PLAYER_EVENT", "senderId": "p9", "event": { "type": "SOCIAL.SEND_MSG", "content": "x" } }),
            "senderId",
        ),
        (
            json!({ "type": "SEND_PLAYER_EVENT", "senderId": "p2", "event": { "type": "ADMIN.NEXT_STAGE" } }),
            "event",
        ),
    ] {
        let fx = rig.http("POST", "/admin", &body.to_string());
        let (status, v) = reply(&fx);
        assert_eq!(status, 400, "{v}");
        assert_eq!(v["error"]["fields"][0]["path"], path, "{v}");
    }
}

/// `GET …/scheduled-tasks` (docs/protocol.md, "`POST …/admin`"): LIST_TASKS's queue in the
/// prototype console's shape; bearer only. PUT refused; POST (and `POST …/flush-tasks`) is the
/// console's flush, journaled as ADMIN.FLUSH_TASKS.
#[test]
fn scheduled_tasks_lists_the_queue_in_the_consoles_shape() {
    let mut rig = Rig::new(config_with(&[]));
    let fx = rig.create(&init_body("PRE_SCHEDULED", T0 + 86_400_000));
    rig.answer_d1(&fx, Ok(()));
    let (status, listed) = reply(&rig.http("GET", "/scheduled-tasks", ""));
    assert_eq!(status, 200, "{listed}");
    let (_, queue) = reply(&rig.admin(json!({ "type": "LIST_TASKS" })));
    let tasks = listed["tasks"].as_array().unwrap();
    let queue = queue["tasks"].as_array().unwrap();
    assert!(!tasks.is_empty());
    assert_eq!(listed["count"], tasks.len());
    assert_eq!(tasks.len(), queue.len());
    for (t, q) in tasks.iter().zip(queue) {
        assert_eq!(t["id"], q["taskId"]);
        assert_eq!(t["dueMs"], q["dueMs"]);
        assert_eq!(t["action"], q["action"]);
        assert_eq!(t["time"].as_i64(), q["dueMs"].as_i64().map(|ms| ms / 1000));
    }
    assert_eq!(tasks[0]["action"], "START_DAY");
    // (The Worker checks the bearer before the room.) PUT: 405, nothing changed.
    let (status, v) = reply(&rig.http("PUT", "/scheduled-tasks", ""));
    assert_eq!(status, 405);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("GET or POST"),
        "{v}"
    );
    assert_eq!(reply(&rig.http("GET", "/scheduled-tasks", "")).1, listed);
    let (status, _) = reply(&rig.http("GET", "/flush-tasks", ""));
    assert_eq!(status, 405);
    // The flush: every task dropped, journaled with the ids it dropped.
    let (status, v) = reply(&rig.http("POST", "/scheduled-tasks", ""));
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["verdict"], "ACCEPTED", "{v}");
    let seq = rig.seq();
    let e = &rig.host.store().journal(seq, 1).unwrap()[0];
    assert_eq!(e.typ, "ADMIN.FLUSH_TASKS");
    let facts: Value = serde_json::from_str(&e.facts).unwrap();
    assert_eq!(facts[0]["type"], "TASKS_DROPPED");
    assert_eq!(facts[0]["taskIds"].as_array().unwrap().len(), tasks.len());
    let (_, after) = reply(&rig.http("GET", "/scheduled-tasks", ""));
    assert_eq!(after["count"], 0, "{after}");
    // Nothing left to fire: the alarm is cleared, and the game waits for the operator.
    rig.advance(2 * 86_400_000);
    rig.step(Input::Alarm);
    assert_eq!(rig.seq(), seq, "nothing fired");
    // Flushing an empty queue: accepted, nothing dropped (`POST …/flush-tasks`).
    let (status, v) = reply(&rig.http("POST", "/flush-tasks", ""));
    assert_eq!((status, &v["verdict"]), (200, &json!("ACCEPTED")), "{v}");
    let e = &rig.host.store().journal(rig.seq(), 1).unwrap()[0];
    assert_eq!(e.facts, "[]");
    // NEXT_STAGE still moves the game.
    let v = rig.admin(json!({ "type": "NEXT_STAGE" }));
    assert_eq!(reply(&v).1["verdict"], "ACCEPTED");
}
