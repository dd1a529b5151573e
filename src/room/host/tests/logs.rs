//! The structured log lines (docs/architecture.md, "Logs"): one per notable event, after the
//! step's other effects, with the fields the docs list and the fake clock's times.

use super::*;

/// The lines of `kind` logged so far.
fn lines<'a>(rig: &'a Rig, kind: &str) -> Vec<&'a LogLine> {
    rig.logs
        .iter()
        .filter(|l| json_of(l)["kind"] == kind)
        .collect()
}

fn json_of(line: &LogLine) -> Value {
    serde_json::from_str(&line.to_text()).unwrap_or(Value::Null)
}

#[test]
fn log_lines_come_after_the_other_effects_of_a_step() {
    let mut rig = Rig::new(config());
    let req = rig.request("POST", "/init", &init_body("ADMIN", T0 + 86_400_000));
    let fx = rig.step_logged(Input::Http(req));
    let first_log = fx.iter().position(|e| matches!(e, Effect::Log(_)));
    let last_other = fx.iter().rposition(|e| !matches!(e, Effect::Log(_)));
    assert!(
        matches!((first_log, last_other), (Some(l), Some(o)) if l > o),
        "{fx:?}"
    );
    assert!(matches!(fx.first(), Some(Effect::WriteD1(_))), "{fx:?}");
}

#[test]
fn init_and_each_journaled_entry_are_logged_with_game_seq_kind_and_outcome() {
    let mut rig = Rig::new(config());
    rig.create(&init_body("ADMIN", T0 + 86_400_000));
    let init = json_of(lines(&rig, "init")[0]);
    assert_eq!(
        init,
        json!({ "atMs": T0, "gameId": GAME, "seq": 1, "outcome": "ok", "kind": "init", "players": 4 })
    );
    let entry = json_of(lines(&rig, "entry")[0]);
    assert_eq!(
        (
            &entry["seq"],
            &entry["entryKind"],
            &entry["command"],
            &entry["outcome"]
        ),
        (
            &json!(1),
            &json!("SYSTEM"),
            &json!("SYSTEM.INIT"),
            &json!("ok")
        )
    );

    rig.advance(5);
    rig.inject("START_DAY");
    let last = json_of(lines(&rig, "entry").last().copied().expect("an entry line"));
    assert_eq!(last["atMs"], T0 + 5);
    assert_eq!(last["seq"], rig.seq());
    assert_eq!(last["entryKind"], "ADMIN");
    assert_eq!(last["actor"], "ADMIN");
    assert!(last.get("code").is_none(), "{last}");
}

#[test]
fn a_rejected_entry_is_logged_with_its_code_and_never_its_payload() {
    let mut rig = Rig::admin_room();
    let s1 = rig.connect("p1");
    let vote = r#"{"type":"VOTE.MAJORITY.CAST","targetId":"p3","ref":"v"}"#;
    rig.frame(&s1, "p1", vote);
    let line = json_of(lines(&rig, "entry").last().copied().expect("an entry line"));
    assert_eq!(
        line,
        json!({ "atMs": rig.now, "gameId": GAME, "seq": rig.seq(), "outcome": "rejected",
                "kind": "entry", "entryKind": "ACTION", "command": "VOTE.MAJORITY.CAST",
                "actor": "p1", "code": "WRONG_PHASE" })
    );
}

#[test]
fn http_refusals_and_socket_closes_are_logged_with_their_codes() {
    let mut rig = Rig::admin_room();
    let fx = rig.http("POST", "/init", &init_body("ADMIN", T0 + 86_400_000));
    assert_eq!(reply(&fx).0, 409);
    let refused = json_of(lines(&rig, "refused")[0]);
    assert_eq!(
        (&refused["status"], &refused["code"], &refused["outcome"]),
        (&json!(409), &json!("ROOM_EXISTS"), &json!("refused"))
    );
    assert_eq!(refused["gameId"], GAME);

    let mut req = rig.request("GET", "", "");
    req.upgrade = "websocket".into();
    req.query = vec![("token".into(), "garbage".into())];
    rig.step(Input::Http(req));
    let close = json_of(lines(&rig, "socketClose")[0]);
    assert_eq!(
        (&close["code"], &close["outcome"]),
        (&json!(4003), &json!("ok"))
    );
}

#[test]
fn d1_flushes_are_logged_with_their_batch_their_time_and_their_outcome() {
    let mut rig = Rig::new(config());
    let fx = rig.create(&init_body("ADMIN", T0 + 86_400_000));
    rig.advance(40);
    rig.answer_d1(&fx, Ok(()));
    let ok = json_of(lines(&rig, "d1Flush")[0]);
    assert_eq!(
        ok,
        json!({ "atMs": T0 + 40, "gameId": GAME, "seq": 1, "outcome": "ok", "kind": "d1Flush",
                "entries": 1, "upTo": 1, "ms": 40, "failures": 0 })
    );

    rig.advance(1000);
    let fx = rig.inject("START_DAY");
    rig.advance(7);
    rig.answer_d1(&fx, Err("D1 is down".into()));
    let failed = json_of(lines(&rig, "d1Flush")[1]);
    assert_eq!(
        (&failed["outcome"], &failed["ms"], &failed["failures"]),
        (&json!("failed"), &json!(7), &json!(1))
    );
    assert_eq!(failed["error"], "D1 batch failed: D1 is down");
}

#[test]
fn an_alarm_is_logged_with_the_tasks_it_fired_and_how_late_it_rang() {
    let start = T0 + 60_000;
    let mut rig = Rig::timed_room(start);
    rig.now = start + 120;
    rig.step(Input::Alarm);
    let alarm = json_of(lines(&rig, "alarm")[0]);
    assert_eq!(alarm["lateMs"], 120, "{alarm}");
    assert!(alarm["fired"].as_u64().unwrap_or(0) >= 1, "{alarm}");
    let fired = lines(&rig, "entry");
    assert!(
        fired.iter().any(|l| json_of(l)["entryKind"] == "ALARM"),
        "the fired tasks are entries too"
    );
}

#[test]
fn a_journaled_refusal_over_http_is_logged_as_its_entry_not_as_a_refusal() {
    let mut rig = Rig::admin_room();
    rig.inject("START_DAY");
    let fx = rig.http(
        "POST",
        "/player-joined",
        r#"{"id":"p9","personaName":"Nine"}"#,
    );
    assert_eq!(reply(&fx).0, 409, "{fx:?}");
    assert!(lines(&rig, "refused").is_empty(), "{:?}", rig.logs);
    let last = json_of(lines(&rig, "entry").last().copied().expect("an entry line"));
    assert_eq!(
        (&last["command"], &last["outcome"], &last["seq"]),
        (
            &json!("SYSTEM.PLAYER_JOINED"),
            &json!("rejected"),
            &json!(rig.seq())
        )
    );
}

#[test]
fn an_answer_from_d1_for_no_batch_in_flight_is_logged_as_an_error() {
    let mut rig = Rig::admin_room();
    rig.step(Input::D1Done {
        up_to: 99,
        result: Ok(()),
    });
    let line = json_of(lines(&rig, "error")[0]);
    assert_eq!(line["outcome"], "failed");
    assert_eq!(line["message"], "D1 answered a batch not in flight (99)");
}

#[test]
fn a_frame_that_fails_to_commit_is_logged_with_the_game_id_after_the_room_was_dropped() {
    let mut rig = Rig::admin_room();
    let s1 = rig.connect("p1");
    rig.inject("START_DAY");
    rig.host.store.fail_writes = true;
    let fx = rig.step(Input::Frame {
        socket: s1.clone(),
        identity: Some(rig.identity(&s1, "p1")),
        data: TRANSFER.into(),
    });
    assert_eq!(sent(&fx, &s1)[0]["code"], "STORAGE_FAILED", "{fx:?}");
    assert!(rig.host.live().is_none(), "dropped");
    let line = json_of(lines(&rig, "error").last().copied().expect("an error line"));
    assert_eq!(
        (&line["gameId"], &line["seq"], &line["outcome"]),
        (&json!(GAME), &json!(0), &json!("failed"))
    );
    assert!(
        line["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("websocket message failed")),
        "{line}"
    );
}
