//! The pregame (docs/rules.md, "Pregame"; issue 15): MAIN chat, reactions, whispers and nudges
//! before day 1 (rules version 3), one Q&A answer revealed at each player's first connection
//! (seeded, journaled, replayed), one by hand while none is, and nothing carried into day 1.

use crate::common::*;
use pecking_order::engine::timeline::Action;
use pecking_order::engine::{Command, Fact, Phase};
use pecking_order::journal::{EntryKind, Verdict};
use pecking_order::room::Room;
use serde_json::{json, Value};

fn qa(n: usize) -> Value {
    (0..n)
        .map(|i| json!({"question": format!("Q{i}?"), "answer": format!("A{i}")}))
        .collect()
}

/// A STATIC ADMIN game in pregame; p1 has 3 answers, p2 1, p3 none, p4 2.
fn pregame(rules: u32) -> H {
    let roster = json!({
        "p1": {"personaName": "Ada", "qaAnswers": qa(3)},
        "p2": {"personaName": "Bo", "qaAnswers": qa(1)},
        "p3": {"personaName": "Cy"},
        "p4": {"personaName": "Di", "qaAnswers": qa(2)},
    });
    let m = static_manifest(vec![json!({}), json!({})]);
    let body = json!({"manifest": m, "roster": roster}).to_string();
    let (room, journal) =
        Room::create_with_rules("g-social", body.as_bytes(), T0, SEED, rules).unwrap();
    H {
        room,
        journal,
        now: T0,
    }
}

fn connect(h: &mut H, p: &str) -> (Verdict, Vec<Fact>) {
    h.submit(
        EntryKind::System,
        "SYSTEM",
        &Command::PlayerConnected {
            player_id: p.into(),
        },
    )
}

#[test]
fn the_first_connection_reveals_one_seeded_answer_that_everyone_sees() {
    let mut h = pregame(3);
    let (v, f) = connect(&mut h, "p1");
    assert_eq!(v, Verdict::Accepted);
    assert!(
        matches!(&f[0], Fact::PregameConnected { player_id, qa_count: 3 } if player_id == "p1")
    );
    let Fact::QaRevealed {
        q_index,
        auto: true,
        question,
        answer,
        ..
    } = &f[1]
    else {
        panic!("{f:?}")
    };
    assert!(*q_index < 3);
    assert_eq!(question, &format!("Q{q_index}?"));
    assert_eq!(answer, &format!("A{q_index}"));
    // Everyone sees it, and an anonymous viewer too.
    for viewer in [Some("p2"), Some("p3"), None] {
        let v = h.room.projection(viewer);
        assert_eq!(v["qaRevealed"][0]["playerId"], "p1", "{viewer:?}");
        assert_eq!(v["qaRevealed"][0]["answer"], format!("A{q_index}"));
    }
    // Unrevealed answers are never projected.
    let text = h.room.projection(Some("p1")).to_string();
    for i in (0..3).filter(|i| *i != *q_index) {
        assert!(!text.contains(&format!("\"A{i}\"")), "answer {i} leaked");
    }
    // One-shot: a second connection is refused (the room does not send it).
    assert_eq!(
        connect(&mut h, "p1").0,
        Verdict::Rejected("ALREADY_CONNECTED".into())
    );
    // No answers: connected, nothing revealed.
    let (_, f) = connect(&mut h, "p3");
    assert_eq!(f.len(), 1);
    // A manual reveal only while none is revealed, and only an existing question.
    h.reject(
        "p1",
        Command::RevealAnswer { q_index: 0 },
        "ALREADY_REVEALED",
    );
    h.reject(
        "p4",
        Command::RevealAnswer { q_index: 2 },
        "UNKNOWN_QUESTION",
    );
    h.reject(
        "p3",
        Command::RevealAnswer { q_index: 0 },
        "UNKNOWN_QUESTION",
    );
    let f = h.ok("p4", Command::RevealAnswer { q_index: 1 });
    assert!(matches!(
        &f[0],
        Fact::QaRevealed {
            q_index: 1,
            auto: false,
            ..
        }
    ));
    // p4 connecting later reveals nothing more.
    let (_, f) = connect(&mut h, "p4");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        h.room.projection(None)["qaRevealed"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    h.check_replay();
}

#[test]
fn the_seeded_choice_depends_on_the_seed_and_replays() {
    // Over several seeds the choice is not always the same (it is drawn, not fixed).
    let mut seen = std::collections::BTreeSet::new();
    for s in 0..12u8 {
        let m = static_manifest(vec![json!({}), json!({})]);
        let roster =
            json!({"p1": {"personaName": "Ada", "qaAnswers": qa(3)}, "p2": {"personaName": "Bo"}});
        let body = json!({"manifest": m, "roster": roster}).to_string();
        let (mut room, _) = Room::create("g", body.as_bytes(), T0, [s; 32]).unwrap();
        let cmd = Command::PlayerConnected {
            player_id: "p1".into(),
        };
        let sub = room
            .submit(EntryKind::System, "SYSTEM", &cmd, T0 + 1)
            .unwrap();
        let f: Vec<Fact> = serde_json::from_str(&sub.entries[0].facts).unwrap();
        if let Fact::QaRevealed { q_index, .. } = &f[1] {
            seen.insert(*q_index);
        }
    }
    assert!(seen.len() > 1, "{seen:?}");
}

#[test]
fn pregame_chat_whispers_nudges_and_reactions_and_none_of_it_carries_into_day_one() {
    let mut h = pregame(3);
    assert_eq!(h.st().phase, Phase::PreGame);
    let f = h.ok("p1", main_msg("hello before day 1"));
    let Fact::ChatMessage { id, .. } = &f[0] else {
        panic!("{f:?}")
    };
    h.ok("p2", react(*id, "😂"));
    h.ok("p2", whisper("p3", "psst"));
    h.ok("p3", nudge("p1"));
    h.ok("p3", nudge("p1")); // no throttle in pregame
                             // No silver, DMs or perks before day 1.
    h.reject("p1", transfer("p2", 5), "WRONG_PHASE");
    h.reject("p1", dm("p2", "hi"), "WRONG_PHASE");
    let v = h.view("p2");
    assert_eq!(v["chat"].as_array().unwrap().len(), 2, "{}", v["chat"]);
    h.inject(Action::StartDay);
    assert_eq!(h.st().phase, Phase::Day);
    assert!(h.st().chat.is_empty());
    assert!(h.st().social.reactions.is_empty() && h.st().social.nudges.is_empty());
    assert_eq!(h.view("p2")["chat"].as_array().unwrap().len(), 0);
    h.check_replay();
}

#[test]
fn games_of_older_rules_keep_a_closed_pregame() {
    let mut h = pregame(2);
    h.reject("p1", main_msg("hello"), "WRONG_PHASE");
    h.reject("p1", whisper("p2", "psst"), "WRONG_PHASE");
    h.reject("p1", nudge("p2"), "WRONG_PHASE");
}

#[test]
fn a_client_may_send_the_manual_reveal() {
    let m = pecking_order::room::parse_client_message(
        br#"{"type":"PREGAME.REVEAL_ANSWER","qIndex":1,"ref":"r1"}"#,
    )
    .unwrap();
    assert_eq!(m.command, Command::RevealAnswer { q_index: 1 });
    assert!(pecking_order::room::parse_client_message(
        br#"{"type":"SYSTEM.PLAYER_CONNECTED","playerId":"p1"}"#
    )
    .is_err());
}
