//! The prototype's `ELIMINATE` timeline action (docs/content.md §1.3): today's vote result
//! applied before the day ends, from a manifest's timeline or the operator's inject.

use crate::common::H;
use pecking_order::engine::destiny::{Destiny, Status as DestinyStatus};
use pecking_order::engine::timeline::Action;
use pecking_order::engine::{Command, Fact};
use pecking_order::journal::{EntryKind, Verdict};
use pecking_order::room::{self, AdminRequest};
use serde_json::json;

fn vote(h: &mut H, voter: &str, target: &str) {
    let cmd = Command::from_type_and_payload(
        "VOTE.MAJORITY.CAST",
        &format!(r#"{{"targetId":"{target}"}}"#),
    )
    .unwrap();
    h.ok(voter, cmd);
}

fn no_effect(facts: &[Fact]) -> Option<String> {
    match facts {
        [Fact::NoEffect {
            action: Action::Eliminate,
            reason,
        }] => Some(reason.clone()),
        _ => None,
    }
}

/// Four players, MAJORITY: p1, p2, p3 vote p4, p4 votes p1 → p4 (3 votes) is out. ELIMINATE
/// applies that at once: one ELIMINATION fact, p4 no longer alive in every view, the ticker says
/// so; END_DAY later eliminates no one twice.
#[test]
fn eliminate_applies_todays_vote_result_before_the_day_ends() {
    let mut h = H::day1(vec![json!({}), json!({}), json!({})], 4);
    // Nothing to apply yet: accepted, a NO_EFFECT fact, nothing changed.
    let before = h.st().clone();
    let f = h.inject(Action::Eliminate);
    assert_eq!(no_effect(&f).as_deref(), Some("no vote result is pending"));
    assert_eq!(before.players, h.st().players);
    h.inject(Action::OpenVoting);
    let f = h.inject(Action::Eliminate);
    assert_eq!(no_effect(&f).as_deref(), Some("the vote is still open"));
    for v in ["p1", "p2", "p3"] {
        vote(&mut h, v, "p4");
    }
    vote(&mut h, "p4", "p1");
    h.inject(Action::CloseVoting);
    assert!(
        h.st().player("p4").unwrap().alive,
        "CLOSE_VOTING alone eliminates no one"
    );

    // The console's body, as it sends it.
    let r = room::parse_admin_request(br#"{"type":"INJECT_TIMELINE_EVENT","action":"ELIMINATE"}"#)
        .unwrap();
    let AdminRequest::Journal(cmd) = r else {
        panic!("{r:?}")
    };
    let f = h.admin(cmd);
    // With this seed p1 holds FANATIC (wants to be the first out): it fails now.
    assert_eq!(
        f,
        [
            Fact::Elimination {
                player_id: "p4".into(),
                mechanism: "MAJORITY".into(),
                day: 1,
            },
            Fact::DestinyResult {
                player_id: "p1".into(),
                destiny: Destiny::Fanatic,
                status: DestinyStatus::Failed,
                reason: "someone else was eliminated first".into(),
            }
        ]
    );
    let seq = h.journal.last().unwrap().seq;
    assert_eq!(
        h.journal.last().unwrap().payload,
        r#"{"action":"ELIMINATE"}"#
    );
    assert!(!h.st().player("p4").unwrap().alive);
    assert_eq!(h.st().player("p4").unwrap().eliminated_on_day, Some(1));
    assert_eq!(h.st().alive_count(), 3);
    assert_eq!(h.st().phase.as_str(), "DAY", "the day goes on");
    let lines = h.room.ticker(&h.journal);
    let texts: Vec<&str> = lines
        .iter()
        .filter(|l| l.seq == seq)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(texts, ["Player 4 has been eliminated!"]);
    let players = &h.view("p1")["roster"];
    let p4 = players
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "p4")
        .unwrap();
    assert_eq!(p4["alive"], false, "{p4}");
    assert_eq!(p4["eliminatedOnDay"], 1, "{p4}");

    // Again: already applied.
    let f = h.inject(Action::Eliminate);
    assert_eq!(no_effect(&f).as_deref(), Some("p4 is already eliminated"));
    // END_DAY: the night comes, no second elimination.
    let f = h.inject(Action::EndDay);
    assert!(
        !f.iter().any(|f| matches!(f, Fact::Elimination { .. })),
        "{f:?}"
    );
    assert_eq!(h.st().phase.as_str(), "NIGHT");
    assert_eq!(h.st().alive_count(), 3);

    // At night the inject is refused and changes nothing.
    let before = h.room.engine().clone();
    let (v, f) = h.submit(
        EntryKind::Admin,
        "ADMIN",
        &Command::InjectTimelineEvent {
            action: Action::Eliminate,
        },
    );
    assert_eq!(v, Verdict::Rejected("WRONG_PHASE".into()));
    assert!(f.is_empty());
    assert_eq!(&before, h.room.engine());
    h.check_replay();
}

/// ELIMINATE in a manifest's explicit timeline fires as a task like any other action.
#[test]
fn eliminate_is_a_manifest_action() {
    let mut m = crate::common::static_manifest(vec![json!({}), json!({})]);
    m["scheduling"] = json!("PRE_SCHEDULED");
    m["schedulePreset"] = json!("DEFAULT"); // day 2 a day later
    let at = |min: i64| format!("2026-12-01T09:{min:02}:00Z");
    m["days"][0]["timeline"] = json!([
        {"action": "OPEN_VOTING", "time": at(1)},
        {"action": "CLOSE_VOTING", "time": at(10)},
        {"action": "ELIMINATE", "time": at(12)},
        {"action": "END_DAY", "time": at(30)},
    ]);
    let mut h = H::with_manifest(m, 3);
    let day1 = h.room.fire_due(crate::common::T0 + 60_000, 10);
    h.journal.extend(day1);
    for v in ["p1", "p2"] {
        vote(&mut h, v, "p3");
    }
    vote(&mut h, "p3", "p1");
    let t = crate::common::T0 + 12 * 60_000;
    let fired = h.room.fire_due(t, 10);
    let facts: Vec<Fact> = fired
        .iter()
        .flat_map(|e| serde_json::from_str::<Vec<Fact>>(&e.facts).unwrap())
        .collect();
    h.journal.extend(fired);
    assert!(
        facts.iter().any(|f| matches!(f,
            Fact::Elimination { player_id, .. } if player_id == "p3")),
        "{facts:?}"
    );
    assert!(!h.st().player("p3").unwrap().alive);
    assert_eq!(h.st().phase.as_str(), "DAY");
    h.check_replay();
}

/// The console's INJECT_PROMPT (`INJECT_TIMELINE_EVENT {action: "INJECT_PROMPT", payload}`) is a
/// Game Master message: journaled as ADMIN.SEND_GAME_MASTER_MSG (docs/protocol.md).
#[test]
fn inject_prompt_is_a_game_master_message() {
    let parse = |body: &str| room::parse_admin_request(body.as_bytes());
    let journal = |body: &str| match parse(body).unwrap() {
        AdminRequest::Journal(c) => c,
        r => panic!("{r:?}"),
    };
    let gm = |content: &str, target: Option<&str>| Command::SendGameMasterMsg {
        content: content.into(),
        target_id: target.map(str::to_string),
    };
    let body = |payload: &str| {
        format!(r#"{{"type":"INJECT_TIMELINE_EVENT","action":"INJECT_PROMPT"{payload}}}"#)
    };
    assert_eq!(
        journal(&body(r#","payload":{"text":"Vote wisely"}"#)),
        gm("Vote wisely", None)
    );
    assert_eq!(
        journal(&body(r#","payload":{"text":"","msg":"Old name"}"#)),
        gm("Old name", None)
    );
    assert_eq!(journal(&body("")), gm("The Game Master speaks...", None));
    let to_p1 = journal(&body(r#","payload":{"text":"Psst","targetId":"p1"}"#));
    assert_eq!(to_p1, gm("Psst", Some("p1")));
    // A field the console never sends: refused with its path, nothing journaled.
    let e = parse(&body(r#","payload":{"txt":"x"}"#)).unwrap_err();
    assert_eq!(e.code(), "INVALID_FIELDS", "{e:?}");
    assert_eq!(e.field_error().unwrap().path, "payload.txt", "{e:?}");
    // Other actions keep their strict decoding (no payload).
    let e =
        parse(r#"{"type":"INJECT_TIMELINE_EVENT","action":"OPEN_DMS","payload":{}}"#).unwrap_err();
    assert_eq!(e.code(), "INVALID_FIELDS", "{e:?}");
    assert_eq!(
        journal(r#"{"type":"INJECT_TIMELINE_EVENT","action":"ELIMINATE"}"#),
        Command::InjectTimelineEvent {
            action: Action::Eliminate
        }
    );

    let mut h = H::day1(vec![json!({}), json!({})], 3);
    h.admin(journal(&body(r#","payload":{"text":"Vote wisely"}"#)));
    let e = h.journal.last().unwrap();
    assert_eq!(e.typ, "ADMIN.SEND_GAME_MASTER_MSG");
    assert_eq!(h.view("p2")["chat"][0]["from"], "GAME_MASTER");
    assert_eq!(h.view("p2")["chat"][0]["content"], "Vote wisely");
    h.admin(to_p1);
    assert_eq!(h.view("p1")["gmMessages"][0]["content"], "Psst");
    assert!(!h.view("p2").to_string().contains("Psst"));
    // An unknown target: a typed refusal, journaled, nothing changed.
    let before = h.st().clone();
    let (v, f) = h.submit(
        EntryKind::Admin,
        "ADMIN",
        &journal(&body(r#","payload":{"text":"hi","targetId":"p9"}"#)),
    );
    assert_eq!(v, Verdict::Rejected("UNKNOWN_PLAYER".into()));
    assert!(f.is_empty());
    assert_eq!(before.gm_messages, h.st().gm_messages);
    h.check_replay();
}
