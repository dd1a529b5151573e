//! The admin route's bodies and the operator's state against their schemas (docs/protocol.md).

use super::*;

// ---------------------------------------------------------------------------------------------
// The admin route and the operator's state

/// `(type, definition name)` of every branch of AdminRequest.
fn admin_request_defs() -> Vec<(String, String)> {
    definitions()["AdminRequest"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["$ref"].as_str().unwrap().trim_start_matches("#/$defs/"))
        .map(|name| {
            let typ = definitions()[name]["properties"]["type"]["const"]
                .as_str()
                .unwrap();
            (typ.to_string(), name.to_string())
        })
        .collect()
}

#[test]
fn admin_requests_are_every_admin_command_and_the_route_requests() {
    let listed: BTreeSet<String> = admin_request_defs().into_iter().map(|(t, _)| t).collect();
    let mut want: BTreeSet<String> = [
        "LIST_TASKS",
        "DEV_FAIL_D1",
        "CHECKPOINT",
        "SEND_PLAYER_EVENT",
    ]
    .map(String::from)
    .into();
    for r in definitions()["Command"]["oneOf"].as_array().unwrap() {
        let name = r["$ref"].as_str().unwrap().trim_start_matches("#/$defs/");
        let typ = definitions()[name]["properties"]["type"]["const"]
            .as_str()
            .unwrap();
        let cmd = serde_json::from_value::<Command>(sample(&definitions()[name]));
        let admin = cmd.is_ok_and(|c| c.required_kind() == EntryKind::Admin);
        assert_eq!(admin, typ.starts_with(ADMIN_NAMESPACE), "{typ}");
        if let Some(short) = typ.strip_prefix(ADMIN_NAMESPACE) {
            want.insert(short.to_string());
        }
    }
    assert_eq!(listed, want);
}

#[test]
fn every_admin_request_has_its_schema_and_the_decoder_agrees() {
    for (typ, name) in admin_request_defs() {
        let def = &definitions()[&name];
        let m = sample(def);
        assert_valid(&name, &m);
        assert_valid("AdminRequest", &m);
        let parsed = parse_admin_request(m.to_string().as_bytes())
            .unwrap_or_else(|e| panic!("{typ}: the decoder refuses {m}: {e}"));
        match (typ.as_str(), parsed) {
            ("LIST_TASKS", AdminRequest::ListTasks)
            | ("DEV_FAIL_D1", AdminRequest::DevFailD1 { .. })
            | ("CHECKPOINT", AdminRequest::Checkpoint) => {}
            ("SEND_PLAYER_EVENT", AdminRequest::PlayerEvent { .. }) => {}
            // The console's INJECT_PROMPT is a Game Master message (docs/protocol.md).
            (_, AdminRequest::Journal(c)) if name == "AdminInjectPromptRequest" => {
                assert_eq!(c.to_type_and_payload().0, "ADMIN.SEND_GAME_MASTER_MSG");
            }
            (_, AdminRequest::Journal(c)) => {
                assert_eq!(c.to_type_and_payload().0, format!("{ADMIN_NAMESPACE}{typ}"));
            }
            (_, other) => panic!("{typ} decodes as {other:?}"),
        }
        // The namespaced type is a Command, not an admin body.
        let namespaced = with(&m, "type", Some(json!(format!("{ADMIN_NAMESPACE}{typ}"))));
        assert!(!valid("AdminRequest", &namespaced), "{typ}");
        assert_eq!(
            parse_admin_request(namespaced.to_string().as_bytes())
                .unwrap_err()
                .code(),
            "UNKNOWN_TYPE"
        );
        let refused = |body: &Value| {
            let e = parse_admin_request(body.to_string().as_bytes()).unwrap_err();
            assert_valid("AdminErrorCode", &json!(e.code()));
            assert_valid("HttpError", &e.to_json());
            let f = e.field_error().map(|f| (f.path, f.code));
            (e.code(), f)
        };
        let colour = with(&m, "colour", Some(json!("red")));
        assert!(
            !valid(&name, &colour),
            "{typ}: schema takes an unknown field"
        );
        assert_eq!(
            refused(&colour),
            (
                "INVALID_FIELDS",
                Some(("colour".to_string(), "UNKNOWN_FIELD"))
            )
        );
        let props = def["properties"].as_object().unwrap();
        let required = required_fields(def);
        for k in props.keys().filter(|k| *k != "type") {
            if required.contains(&k.as_str()) {
                let missing = with(&m, k, None);
                assert!(
                    !valid(&name, &missing),
                    "{typ}: schema takes it without {k}"
                );
                assert_eq!(
                    refused(&missing),
                    ("INVALID_FIELDS", Some((k.clone(), "MISSING"))),
                    "{typ} without {k}"
                );
            }
            let wrong = with(&m, k, Some(json!({ "nested": [true] })));
            assert!(
                !valid(&name, &wrong),
                "{typ}: schema takes an object as {k}"
            );
            let (code, f) = refused(&wrong);
            assert_eq!(code, "INVALID_FIELDS", "{typ}.{k}");
            let (path, field_code) = f.unwrap_or_else(|| panic!("{typ}.{k}: no path"));
            assert!(path.starts_with(k.as_str()), "{typ}.{k}: path {path}");
            assert_valid("FieldErrorCode", &json!(field_code));
        }
    }
    // Bodies that are no request at all.
    for bad in [
        json!([1]),
        json!({}),
        json!({"type": 7}),
        json!({"type": "COIN_FLIP"}),
    ] {
        assert!(!valid("AdminRequest", &bad), "{bad}");
        let e = parse_admin_request(bad.to_string().as_bytes()).unwrap_err();
        assert_valid("HttpError", &e.to_json());
    }
    for body in [&b"{nope"[..], &vec![b' '; 64 * 1024 + 1]] {
        let e = parse_admin_request(body).unwrap_err();
        assert_valid("HttpError", &e.to_json());
        assert_valid("AdminErrorCode", &json!(e.code()));
    }
}

#[test]
fn admin_request_examples_match_the_schema() {
    for ok in [
        json!({"type": "NEXT_STAGE"}),
        json!({"type": "INJECT_TIMELINE_EVENT", "action": "OPEN_GROUP_CHAT"}),
        json!({"type": "ELIMINATE_PLAYER", "playerId": "p3", "reason": "left the show"}),
        json!({"type": "CREDIT_SILVER", "rewards": {"p1": 10, "p2": -5}}),
        json!({"type": "LIST_TASKS"}),
        json!({"type": "DEV_FAIL_D1", "on": true}),
    ] {
        assert_valid("AdminRequest", &ok);
        assert!(
            parse_admin_request(ok.to_string().as_bytes()).is_ok(),
            "{ok}"
        );
    }
    for bad in [
        json!({"type": "DEV_FAIL_D1"}),
        json!({"type": "DEV_FAIL_D1", "on": 1}),
        json!({"type": "LIST_TASKS", "all": true}),
        json!({"type": "INJECT_TIMELINE_EVENT", "action": "FLY"}),
        json!({"type": "CREDIT_SILVER", "rewards": {"p1": 1.5}}),
        json!({"type": "ELIMINATE_PLAYER"}),
    ] {
        assert!(!valid("AdminRequest", &bad), "{bad}");
        assert!(
            parse_admin_request(bad.to_string().as_bytes()).is_err(),
            "{bad}"
        );
    }
}

fn fixture_room() -> Room {
    let journal: Vec<Entry> = include_str!("../../fixtures/game-small.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    Room::replay("fixture-small", &journal, None).unwrap()
}

/// The queue as the worker lists it: the room's pending tasks in firing order.
fn tasks(room: &Room, n: usize) -> Vec<NextTask> {
    let mut t = room.alarm_tasks();
    t.sort_by(|a, b| (a.due_ms, &a.task_id).cmp(&(b.due_ms, &b.task_id)));
    t.into_iter()
        .take(n)
        .map(|t| NextTask {
            task_id: t.task_id,
            due_ms: t.due_ms,
            action: t.payload,
        })
        .collect()
}

/// The operator status as a running room reports it (plausible persistence figures).
fn status(room: &Room, lag: u64) -> OperatorStatus {
    let kept = room.seq().min(128 + lag);
    OperatorStatus {
        lifecycle: room.lifecycle(),
        outbox_lag: lag,
        d1_confirmed_seq: room.seq() - lag,
        d1_failures: if lag > 0 { 2 } else { 0 },
        d1_retry_at: (lag > 0).then_some(1_796_115_660_000),
        next_tasks: tasks(room, OPERATOR_NEXT_TASKS),
        snapshot_seq: room.seq() / 64 * 64,
        d1_batches: room.seq().div_ceil(50),
        d1_batched_entries: room.seq() - lag,
        do_journal_rows: kept,
        do_journal_first_seq: (kept > 0).then(|| room.seq() + 1 - kept),
        do_storage_bytes: (lag % 2 == 0).then_some(40_960),
    }
}

#[test]
fn the_operator_state_matches_the_state_response_schema() {
    // Every point of a scripted game, and a game with alarm tasks pending.
    let cfg = SimConfig {
        game_id: "schema-operator".into(),
        players: 5,
        days: 3,
        actions_per_step: 2,
        script_seed: 5,
        ..SimConfig::default()
    };
    let (_, entries) = sim::play(&cfg);
    let seed = pecking_order::room::revealed_seed(&entries);
    let mut room = Room::replay(&cfg.game_id, &entries[..1], seed).unwrap();
    let mut checked = 0;
    for e in &entries[1..] {
        room.apply_recorded(e).unwrap();
        let body = operator_state(&room, &status(&room, room.seq() % 3));
        let errs = errors("StateResponse", &body);
        assert!(errs.is_empty(), "at seq {}: {errs:?}\n{body}", room.seq());
        checked += 1;
    }
    assert!(checked > 10);
    let room = fixture_room();
    let body = operator_state(&room, &status(&room, 0));
    assert_valid("StateResponse", &body);
    assert_eq!(body["journalHead"], json!(room.head().to_hex()));
    assert_eq!(body["you"], Value::Null);
    // A pre-scheduled game has its alarm queue to show: before day 1, and once it has begun.
    let init = json!({ "manifest": static_base(), "roster": players(4) });
    let (mut scheduled, _) =
        Room::create("schema-tasks", init.to_string().as_bytes(), 0, [3; 32]).unwrap();
    for _ in 0..2 {
        let body = operator_state(&scheduled, &status(&scheduled, 1));
        assert!(body["nextTasks"].as_array().is_some_and(|t| !t.is_empty()));
        assert_valid("StateResponse", &body);
        let due = scheduled
            .alarm_tasks()
            .iter()
            .map(|t| t.due_ms)
            .min()
            .unwrap();
        assert!(!scheduled.fire_due(due, 1).is_empty());
    }

    // What the worker must not leave out, nor add.
    assert!(
        !valid("StateResponse", &with(&body, "outboxLag", None)),
        "without outboxLag"
    );
    assert!(
        !valid("StateResponse", &with(&body, "journalHead", None)),
        "without journalHead"
    );
    assert!(
        !valid("StateResponse", &with(&body, "d1RetryAt", None)),
        "d1RetryAt is null, not absent"
    );
    assert!(!valid(
        "StateResponse",
        &with(&body, "d1RetryAt", Some(json!("soon")))
    ));
    assert!(!valid(
        "StateResponse",
        &with(&body, "outboxLag", Some(json!(-1)))
    ));
    assert!(!valid(
        "StateResponse",
        &with(&body, "cpuMs", Some(json!(3)))
    ));
    assert!(
        !valid("StateResponse", &with(&body, "you", Some(json!("p1")))),
        "a player's view"
    );
    let task = json!({"taskId": "t", "dueMs": 1, "action": "END_DAY"});
    let many = Value::Array(vec![task; OPERATOR_NEXT_TASKS + 1]);
    assert!(!valid(
        "StateResponse",
        &with(&body, "nextTasks", Some(many))
    ));
    // A player's view is a Projection, not the operator's.
    assert!(!valid("StateResponse", &room.projection(Some("p1"))));
}

#[test]
fn admin_responses_match_the_admin_response_schema() {
    let room = fixture_room();
    let queue = tasks(&room, usize::MAX);
    let answers = [
        AdminResponse::Journaled(JournaledResponse::new(7, &Verdict::Accepted)),
        AdminResponse::Journaled(JournaledResponse::new(
            8,
            &Verdict::Rejected("WRONG_PHASE".into()),
        )),
        AdminResponse::Tasks(TaskListResponse { tasks: queue }),
        AdminResponse::Tasks(TaskListResponse { tasks: vec![] }),
        AdminResponse::DevFailD1(DevFailD1Response { dev_fail_d1: true }),
    ];
    for a in &answers {
        let v = serde_json::to_value(a).unwrap();
        assert_valid("AdminResponse", &v);
        // The wire form reads back as the same answer.
        assert_eq!(&serde_json::from_value::<AdminResponse>(v).unwrap(), a);
    }
    let j = serde_json::to_value(&answers[1]).unwrap();
    assert_eq!(
        j,
        json!({"seq": 8, "verdict": "REJECTED:WRONG_PHASE", "accepted": false})
    );
    for bad in [
        json!({"seq": 1, "verdict": "ACCEPTED"}),
        json!({"seq": 1, "verdict": "MAYBE", "accepted": true}),
        json!({"tasks": [{"taskId": "t", "dueMs": 1, "action": "FLY"}]}),
        json!({"devFailD1": "on"}),
        json!({"devFailD1": true, "tasks": []}),
    ] {
        assert!(!valid("AdminResponse", &bad), "{bad}");
    }
}

/// Every route refusal the worker can send is a valid HttpError, and the code list is closed.
#[test]
fn route_errors_match_the_http_error_schema() {
    use pecking_order::room::route::RouteError;
    for e in [
        RouteError::BadGameId("x".into()),
        RouteError::BadQuery("x".into()),
        RouteError::BadBody("x".into()),
        RouteError::Unauthorized("missing bearer token".into()),
        RouteError::DevFaultsOff,
        RouteError::NotFound("x".into()),
        RouteError::RoomNotFound,
        RouteError::MethodNotAllowed("x".into()),
        RouteError::RoomExists("g-1".into()),
        RouteError::UpgradeRequired,
        RouteError::Internal("x".into()),
        RouteError::StorageFailed("x".into()),
        RouteError::AuthNotConfigured,
        RouteError::D1Unavailable("x".into()),
        RouteError::PastHead { from: 9, head: 7 },
        RouteError::GameNotFinished,
        RouteError::D1Incomplete("x".into()),
        RouteError::RoomCleanedUp { seq: 7 },
        RouteError::CheckpointKeyMissing,
        RouteError::InvalidSubscription(
            pecking_order::push::subscription::parse(br#"{"endpoint":7}"#, false).unwrap_err(),
        ),
        RouteError::PushKeyMissing,
    ] {
        assert_valid("HttpError", &e.to_json());
        assert_valid("RouteErrorCode", &json!(e.code()));
    }
    assert_eq!(
        RouteError::all_codes().len(),
        21,
        "a new route error is listed above"
    );
    let made_up = json!({"error": {"code": "TEAPOT", "message": "short and stout"}});
    assert!(!valid("HttpError", &made_up), "a code no error type has");
    // A refused /init body and an engine refusal over HTTP are HttpErrors too.
    let e = Room::create("g", b"{}", 0, [1; 32]).unwrap_err();
    assert_valid("HttpError", &e.to_json());
    let rejected = RoomError::Rejected(Rejection::WrongPhase("DAY"));
    assert_valid("HttpError", &rejected.to_json());
}

/// The answer to `POST …/cleanup` is what its schema says.
#[test]
fn the_cleanup_answer_matches_its_schema() {
    use pecking_order::room::host::CleanupResponse;
    let answer = CleanupResponse {
        game_id: "g-1".into(),
        seq: 10_164,
        head: "ab".repeat(32),
        cleaned_at_ms: 1_796_115_600_000,
    };
    assert_valid("CleanupResponse", &serde_json::to_value(&answer).unwrap());
    assert!(!valid(
        "CleanupResponse",
        &json!({"gameId": "g-1", "seq": 3})
    ));
}
