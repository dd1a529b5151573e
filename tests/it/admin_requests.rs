//! Decoding `POST …/admin` bodies (`room::admin::parse_admin_request`): every valid body becomes
//! the right request or `ADMIN.*` command; every bad one is refused with its stable code (and, for
//! INVALID_FIELDS, the bad field's path and a field error code); no input panics.

use pecking_order::engine::timeline::Action;
use pecking_order::engine::Command;
use pecking_order::room::admin::{AdminError, AdminRequest, MAX_ADMIN_BYTES};
use pecking_order::room::parse_admin_request;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn parse(v: &Value) -> Result<AdminRequest, AdminError> {
    parse_admin_request(v.to_string().as_bytes())
}

/// `(code, path, field error code)` of a refused body.
fn refusal(body: &[u8]) -> (&'static str, Option<String>, Option<&'static str>) {
    let e = parse_admin_request(body).expect_err("refused");
    let field = e.field_error();
    (
        e.code(),
        field.as_ref().map(|f| f.path.clone()),
        field.map(|f| f.code),
    )
}

#[test]
fn every_valid_body_decodes_to_its_request() {
    let cases: Vec<(Value, AdminRequest)> = vec![
        (json!({"type": "LIST_TASKS"}), AdminRequest::ListTasks),
        (
            json!({"type": "DEV_FAIL_D1", "on": true}),
            AdminRequest::DevFailD1 { on: true },
        ),
        (
            json!({"type": "DEV_FAIL_D1", "on": false}),
            AdminRequest::DevFailD1 { on: false },
        ),
        (
            json!({"type": "NEXT_STAGE"}),
            AdminRequest::Journal(Command::NextStage {}),
        ),
        (
            json!({"type": "INJECT_TIMELINE_EVENT", "action": "OPEN_VOTING"}),
            AdminRequest::Journal(Command::InjectTimelineEvent {
                action: Action::OpenVoting,
            }),
        ),
        (
            json!({"type": "ELIMINATE_PLAYER", "playerId": "p2"}),
            AdminRequest::Journal(Command::EliminatePlayer {
                player_id: "p2".into(),
                reason: None,
            }),
        ),
        (
            json!({"type": "ELIMINATE_PLAYER", "playerId": "p2", "reason": "left"}),
            AdminRequest::Journal(Command::EliminatePlayer {
                player_id: "p2".into(),
                reason: Some("left".into()),
            }),
        ),
        (
            json!({"type": "CREDIT_SILVER", "rewards": {"p1": 5, "p2": -3}}),
            AdminRequest::Journal(Command::CreditSilver {
                rewards: BTreeMap::from([("p1".into(), 5), ("p2".into(), -3)]),
            }),
        ),
    ];
    for (body, want) in cases {
        assert_eq!(parse(&body), Ok(want), "{body}");
    }
}

#[test]
fn every_admin_command_is_reachable_under_its_short_type() {
    // A journaled request is the ADMIN.* command of the same name, and nothing else.
    for (short, cmd) in [
        ("NEXT_STAGE", json!({})),
        ("INJECT_TIMELINE_EVENT", json!({"action": "START_DAY"})),
        ("ELIMINATE_PLAYER", json!({"playerId": "p1"})),
        ("CREDIT_SILVER", json!({"rewards": {}})),
    ] {
        let mut body = cmd.clone();
        body["type"] = json!(short);
        let Ok(AdminRequest::Journal(c)) = parse(&body) else {
            panic!("{body}");
        };
        assert_eq!(c.to_type_and_payload().0, format!("ADMIN.{short}"));
    }
}

#[test]
fn bad_bodies_are_refused_with_their_code() {
    let cases: Vec<(&[u8], &str)> = vec![
        (b"", "MALFORMED_JSON"),
        (b"{nope", "MALFORMED_JSON"),
        (b"{\"type\":\"NEXT_STAGE\"} x", "MALFORMED_JSON"),
        (b"[1,2]", "INVALID_BODY"),
        (b"\"LIST_TASKS\"", "INVALID_BODY"),
        (b"null", "INVALID_BODY"),
        (b"{}", "INVALID_BODY"),
        (br#"{"on":true}"#, "INVALID_BODY"),
        (br#"{"type":7}"#, "INVALID_BODY"),
        (br#"{"type":null}"#, "INVALID_BODY"),
        (br#"{"type":"COIN_FLIP"}"#, "UNKNOWN_TYPE"),
        (br#"{"type":""}"#, "UNKNOWN_TYPE"),
        (br#"{"type":"list_tasks"}"#, "UNKNOWN_TYPE"),
        // The route takes the short type only, and never another namespace.
        (br#"{"type":"ADMIN.NEXT_STAGE"}"#, "UNKNOWN_TYPE"),
        (
            br#"{"type":"SYSTEM.INIT","manifest":{},"roster":[]}"#,
            "UNKNOWN_TYPE",
        ),
        (br#"{"type":"INIT"}"#, "UNKNOWN_TYPE"),
        (
            br#"{"type":"VOTE.MAJORITY.CAST","targetId":"p2"}"#,
            "UNKNOWN_TYPE",
        ),
        (br#"{"type":"FIRE","taskId":"t","dueMs":1}"#, "UNKNOWN_TYPE"),
    ];
    for (body, code) in cases {
        let e = parse_admin_request(body).unwrap_err();
        assert_eq!(e.code(), code, "{}: {e}", String::from_utf8_lossy(body));
        assert_eq!(e.http_status(), 400);
        assert!(e.field_error().is_none());
    }
}

#[test]
fn invalid_fields_name_the_bad_field() {
    let cases: Vec<(&str, &str, &str)> = vec![
        // Unknown fields.
        (
            r#"{"type":"LIST_TASKS","all":true}"#,
            "all",
            "UNKNOWN_FIELD",
        ),
        (
            r#"{"type":"DEV_FAIL_D1","on":true,"for":60}"#,
            "for",
            "UNKNOWN_FIELD",
        ),
        (r#"{"type":"NEXT_STAGE","day":2}"#, "day", "UNKNOWN_FIELD"),
        (
            r#"{"type":"ELIMINATE_PLAYER","playerId":"p1","actor":"ADMIN"}"#,
            "actor",
            "UNKNOWN_FIELD",
        ),
        // Missing fields.
        (r#"{"type":"DEV_FAIL_D1"}"#, "on", "MISSING"),
        (r#"{"type":"INJECT_TIMELINE_EVENT"}"#, "action", "MISSING"),
        (
            r#"{"type":"ELIMINATE_PLAYER","reason":"x"}"#,
            "playerId",
            "MISSING",
        ),
        (r#"{"type":"CREDIT_SILVER"}"#, "rewards", "MISSING"),
        // Wrong types and values.
        (r#"{"type":"DEV_FAIL_D1","on":"yes"}"#, "on", "WRONG_TYPE"),
        (r#"{"type":"DEV_FAIL_D1","on":1}"#, "on", "WRONG_TYPE"),
        (r#"{"type":"DEV_FAIL_D1","on":null}"#, "on", "WRONG_TYPE"),
        (
            r#"{"type":"ELIMINATE_PLAYER","playerId":7}"#,
            "playerId",
            "WRONG_TYPE",
        ),
        (
            r#"{"type":"ELIMINATE_PLAYER","playerId":"p1","reason":[]}"#,
            "reason",
            "WRONG_TYPE",
        ),
        (
            r#"{"type":"INJECT_TIMELINE_EVENT","action":"FLY"}"#,
            "action",
            "INVALID_VALUE",
        ),
        // An enum value equal to an admin type is still a field error, not UNKNOWN_TYPE.
        (
            r#"{"type":"INJECT_TIMELINE_EVENT","action":"ADMIN.INJECT_TIMELINE_EVENT"}"#,
            "action",
            "INVALID_VALUE",
        ),
        (
            r#"{"type":"CREDIT_SILVER","rewards":[]}"#,
            "rewards",
            "WRONG_TYPE",
        ),
        (
            r#"{"type":"CREDIT_SILVER","rewards":{"p1":5,"p2":"x"}}"#,
            "rewards.p2",
            "WRONG_TYPE",
        ),
        (
            r#"{"type":"CREDIT_SILVER","rewards":{"p1":1.5}}"#,
            "rewards.p1",
            "WRONG_TYPE",
        ),
    ];
    for (body, path, field_code) in cases {
        assert_eq!(
            refusal(body.as_bytes()),
            ("INVALID_FIELDS", Some(path.to_string()), Some(field_code)),
            "{body}"
        );
    }
    let e = parse_admin_request(br#"{"type":"ELIMINATE_PLAYER","playerId":7}"#).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("invalid fields for ELIMINATE_PLAYER: playerId: invalid type"),
        "{e}"
    );
}

#[test]
fn oversized_bodies_are_refused_unread() {
    let pad = |n: usize| format!(r#"{{"type":"NEXT_STAGE"{}}}"#, " ".repeat(n));
    let at_cap = pad(MAX_ADMIN_BYTES - pad(0).len());
    assert_eq!(at_cap.len(), MAX_ADMIN_BYTES);
    assert!(parse_admin_request(at_cap.as_bytes()).is_ok());
    let over = pad(MAX_ADMIN_BYTES + 1 - pad(0).len());
    let e = parse_admin_request(over.as_bytes()).unwrap_err();
    assert_eq!((e.code(), e.http_status()), ("TOO_LARGE", 413));
    // Not even parsed: invalid JSON over the cap is TOO_LARGE too.
    let e = parse_admin_request(&vec![b'{'; MAX_ADMIN_BYTES + 1]).unwrap_err();
    assert_eq!(e.code(), "TOO_LARGE");
}

#[test]
fn the_http_body_carries_the_code_and_the_field_error() {
    let e = parse_admin_request(br#"{"type":"CREDIT_SILVER","rewards":{"p2":"x"}}"#).unwrap_err();
    let body = e.to_json();
    assert_eq!(body["error"]["code"], "INVALID_FIELDS");
    assert_eq!(body["error"]["message"], e.to_string());
    assert_eq!(
        body["error"]["fields"],
        json!([{"path": "rewards.p2", "code": "WRONG_TYPE", "message": "invalid type: string \"x\", expected i64"}])
    );
    let e = parse_admin_request(br#"{"type":"COIN_FLIP"}"#).unwrap_err();
    assert_eq!(
        e.to_json(),
        json!({"error": {"code": "UNKNOWN_TYPE", "message": "unknown admin type COIN_FLIP"}})
    );
}

#[test]
fn codes_are_listed_once_each() {
    assert_eq!(AdminError::all_codes(), AdminError::CODES.to_vec());
    assert_eq!(
        AdminError::all_codes(),
        [
            "TOO_LARGE",
            "MALFORMED_JSON",
            "INVALID_BODY",
            "UNKNOWN_TYPE",
            "INVALID_FIELDS"
        ]
    );
}

/// A JSON value from a small vocabulary that hits the decoder's branches.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(json!(1.5)),
        prop::sample::select(vec![
            "p1",
            "",
            "OPEN_VOTING",
            "START_DAY",
            "NEXT_STAGE",
            "ADMIN.NEXT_STAGE",
            "LIST_TASKS",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(key(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "type", "on", "action", "playerId", "reason", "rewards", "p1", "x",
    ])
    .prop_map(String::from)
}

fn admin_type() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "LIST_TASKS",
        "DEV_FAIL_D1",
        "NEXT_STAGE",
        "INJECT_TIMELINE_EVENT",
        "ELIMINATE_PLAYER",
        "CREDIT_SILVER",
        "NOPE",
    ])
    .prop_map(String::from)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Arbitrary bytes never panic; whatever is refused has a listed code.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        if let Err(e) = parse_admin_request(&bytes) {
            prop_assert!(AdminError::all_codes().contains(&e.code()));
        }
    }

    /// Bodies near the valid ones (a real type, random fields) decode, or are refused with a code
    /// and, for INVALID_FIELDS, a path that starts with one of the body's keys.
    #[test]
    fn near_valid_bodies_are_decoded_or_refused_with_a_path(
        typ in admin_type(),
        fields in prop::collection::btree_map(key(), value(), 0..4),
    ) {
        let mut body: serde_json::Map<String, Value> = fields.into_iter().collect();
        body.insert("type".into(), json!(typ));
        let v = Value::Object(body);
        match parse(&v) {
            Ok(_) => {}
            Err(e @ AdminError::InvalidFields { .. }) => {
                let f = e.field_error();
                prop_assert!(f.is_some(), "{v}: {e}");
                let f = f.unwrap();
                let head = f.path.split(['.', '[']).next().unwrap_or_default().to_string();
                prop_assert!(
                    v.get(&head).is_some() || f.code == "MISSING",
                    "{v}: path {} ({})", f.path, f.code
                );
            }
            Err(e) => prop_assert_eq!(e.code(), "UNKNOWN_TYPE", "{}", v),
        }
    }
}

#[test]
fn a_bad_field_deep_in_a_body_at_the_cap_is_found_quickly() {
    // The path search bisects: a quadratic one took seconds on this body (minutes unoptimized).
    // `"p00000":1,` is 11 bytes.
    let mut rewards: serde_json::Map<String, Value> = (0..(MAX_ADMIN_BYTES - 64) / 11)
        .map(|n| (format!("p{n:05}"), json!(1)))
        .collect();
    rewards.insert("zz".into(), json!("x"));
    let text = json!({"type": "CREDIT_SILVER", "rewards": rewards}).to_string();
    assert!(text.len() <= MAX_ADMIN_BYTES && rewards.len() > 5000);
    let t = std::time::Instant::now();
    assert_eq!(
        refusal(text.as_bytes()),
        (
            "INVALID_FIELDS",
            Some("rewards.zz".into()),
            Some("WRONG_TYPE")
        )
    );
    assert!(t.elapsed().as_secs() < 10, "{:?}", t.elapsed());
}
