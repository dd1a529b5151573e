//! The structured log lines (`room::host::LogLine`, docs/architecture.md "Logs") are what
//! schemas/log-line.schema.json says: every kind, with the fields an owner's log queries read,
//! and the schema refuses a line the room never prints.

use pecking_order::journal::EntryKind;
use pecking_order::room::host::{LogEvent, LogLine, Outcome};
use serde_json::json;

fn line(outcome: Outcome, event: LogEvent) -> serde_json::Value {
    let l = LogLine {
        at_ms: 1_796_112_000_000,
        game_id: Some("g1".into()),
        seq: 7,
        outcome,
        event,
    };
    // What the worker prints is this text; the schema describes it.
    serde_json::from_str(&l.to_text()).unwrap()
}

#[test]
fn every_kind_of_log_line_matches_the_schema() {
    let lines = [
        line(Outcome::Ok, LogEvent::Init { players: 5 }),
        line(
            Outcome::Rejected,
            LogEvent::Entry {
                entry_kind: EntryKind::Action,
                command: "SOCIAL.SEND_MSG".into(),
                actor: "p1".into(),
                code: Some("GROUP_CHAT_CLOSED".into()),
            },
        ),
        line(
            Outcome::Refused,
            LogEvent::Refused {
                status: 401,
                code: "UNAUTHORIZED".into(),
                message: None,
            },
        ),
        line(
            Outcome::Failed,
            LogEvent::D1Flush {
                entries: 32,
                up_to: 40,
                ms: 12,
                failures: 1,
                error: Some("D1 down".into()),
            },
        ),
        line(
            Outcome::Ok,
            LogEvent::Alarm {
                fired: 1,
                late_ms: Some(3),
            },
        ),
        line(
            Outcome::Ok,
            LogEvent::Compaction {
                dropped_up_to: 64,
                rows: 128,
            },
        ),
        line(Outcome::Ok, LogEvent::Cleanup),
        line(
            Outcome::Ok,
            LogEvent::SocketClose {
                code: 4009,
                reason: "too many sockets".into(),
            },
        ),
        line(Outcome::Failed, LogEvent::error("storage failed")),
    ];
    for l in &lines {
        crate::schema_support::assert_valid("LogLine", l);
        for field in ["atMs", "gameId", "seq", "outcome", "kind"] {
            assert!(l.get(field).is_some(), "{field} missing from {l}");
        }
    }
    assert_eq!(lines[3]["kind"], json!("d1Flush"));
    assert_eq!(lines[3]["upTo"], json!(40));

    let mut unknown = lines[0].clone();
    unknown["kind"] = json!("reboot");
    assert!(
        !crate::schema_support::valid("LogLine", &unknown),
        "an unknown kind"
    );
    let mut bad = lines[0].clone();
    bad["outcome"] = json!("maybe");
    assert!(
        !crate::schema_support::valid("LogLine", &bad),
        "an unknown outcome"
    );
}
