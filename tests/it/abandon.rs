//! ADMIN.ABANDON_GAME (docs/protocol.md, "Lifecycle"): a golden game abandoned on its
//! second day. Its fact stream and final public state are committed
//! (`tests/fixtures/golden-abandoned.*`; regenerate with
//! `cargo test --test abandon -- --ignored regenerate` only for an intended rules change).

use pecking_order::engine::{Command, Fact, Phase};
use pecking_order::journal::{Entry, EntryKind};
use pecking_order::room::{Lifecycle, Room};
use pecking_order::sim;
use serde_json::json;
use std::path::PathBuf;

const GAME: &str = "golden-abandoned";

fn admin(room: &mut Room, journal: &mut Vec<Entry>, body: serde_json::Value, at: i64) {
    let cmd: Command = serde_json::from_value(body).expect("an admin command");
    let s = room.submit(EntryKind::Admin, "ADMIN", &cmd, at).unwrap();
    journal.extend(s.entries);
}

/// Day 1 and the morning of day 2 by alarms, a chat and a transfer, then the operator abandons
/// the game; a player's action and the operator's NEXT_STAGE come after it.
fn play() -> (Room, Vec<Entry>) {
    let (mut room, mut journal) =
        Room::create_with_rules(GAME, &sim::init_body(5, 3), 1_796_115_000_000, [5; 32], 1)
            .unwrap();
    let day2 = loop {
        let st = room.state().unwrap();
        let Some(task) = st.tasks.first().cloned() else {
            panic!("no task left")
        };
        if st.day == 2 && st.phase == Phase::Day && task.due_ms > st.last_at_ms {
            break st.last_at_ms;
        }
        journal.extend(room.fire_due(task.due_ms, 1));
    };
    let chat = Command::SendMsg {
        content: "is anyone still here?".into(),
        channel_id: None,
        recipient_ids: None,
        target_id: None,
        reply_to: None,
        mentioned_ids: None,
    };
    journal.extend(
        room.submit(EntryKind::Action, "p4", &chat, day2 + 1)
            .unwrap()
            .entries,
    );
    let give = Command::SendSilver {
        target_id: "p3".into(),
        amount: 4,
    };
    journal.extend(
        room.submit(EntryKind::Action, "p2", &give, day2 + 2)
            .unwrap()
            .entries,
    );
    admin(
        &mut room,
        &mut journal,
        json!({"type": "ADMIN.ABANDON_GAME", "reason": "the lobby closed"}),
        day2 + 3,
    );
    journal.extend(
        room.submit(EntryKind::Action, "p2", &give, day2 + 4)
            .unwrap()
            .entries,
    );
    admin(
        &mut room,
        &mut journal,
        json!({"type": "ADMIN.NEXT_STAGE"}),
        day2 + 5,
    );
    (room, journal)
}

fn fact_stream(journal: &[Entry]) -> String {
    journal
        .iter()
        .map(|e| format!("{} {} {} {}\n", e.seq, e.typ, e.verdict.to_wire(), e.facts))
        .collect()
}

fn state_json(room: &Room) -> String {
    let mut s = serde_json::to_string_pretty(&room.public_state()).unwrap();
    s.push('\n');
    s
}

fn path(ext: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{GAME}.{ext}"))
}

#[test]
fn an_abandoned_game_ends_without_a_winner_reveals_its_seed_and_refuses_everything_after() {
    let (room, journal) = play();
    let i = journal
        .iter()
        .position(|e| e.typ == "ADMIN.ABANDON_GAME")
        .expect("abandoned");
    let abandon = &journal[i];
    assert!(abandon.verdict.is_accepted());
    let facts: Vec<Fact> = serde_json::from_str(&abandon.facts).unwrap();
    let tail: Vec<&Fact> = facts.iter().rev().take(3).collect();
    assert_eq!(
        tail,
        [
            &Fact::GameEnded { winner: None },
            &Fact::PhaseChanged {
                phase: "GAME_OVER".into(),
                day: 2
            },
            &Fact::GameAbandoned {
                day: 2,
                reason: Some("the lobby closed".into())
            },
        ]
    );
    assert!(
        matches!(&facts[0], Fact::TasksDropped { task_ids } if !task_ids.is_empty()),
        "the timeline is dropped: {facts:?}"
    );
    // The seed is revealed right after, as after any end.
    assert_eq!(journal[i + 1].typ, "SYSTEM.REVEAL_SEED");
    assert!(journal[i + 1].verdict.is_accepted());
    // Everything after is refused.
    for e in &journal[i + 2..] {
        assert_eq!(e.verdict.to_wire(), "REJECTED:GAME_OVER", "{}", e.typ);
    }
    let st = room.state().unwrap();
    assert_eq!((st.phase, st.winner.as_deref()), (Phase::GameOver, None));
    assert!(st.tasks.is_empty() && !st.group_chat_open && !st.dms_open);
    assert_eq!(room.lifecycle(), Lifecycle::Abandoned);
    // Abandoning an ended game is refused.
    let mut again = room.clone();
    let cmd = Command::AbandonGame { reason: None };
    let s = again
        .submit(EntryKind::Admin, "ADMIN", &cmd, st.last_at_ms)
        .unwrap();
    assert_eq!(s.verdict.to_wire(), "REJECTED:GAME_OVER");
    // The journal replays to the same state, the revealed seed included.
    let replayed = Room::replay(GAME, &journal, None).unwrap();
    assert_eq!(replayed.snapshot_bytes(), room.snapshot_bytes());
}

#[test]
fn the_abandoned_game_matches_its_committed_fixtures() {
    let (room, journal) = play();
    let want_facts = std::fs::read_to_string(path("facts.txt"))
        .expect("missing fixture: run the regenerate test");
    let want_state = std::fs::read_to_string(path("state.json")).unwrap();
    assert_eq!(fact_stream(&journal), want_facts, "fact stream");
    assert_eq!(state_json(&room), want_state, "final state");
}

#[test]
#[ignore = "writes the abandoned game's fixtures; run on purpose after an intended rules change"]
fn regenerate() {
    let (room, journal) = play();
    std::fs::write(path("facts.txt"), fact_stream(&journal)).unwrap();
    std::fs::write(path("state.json"), state_json(&room)).unwrap();
    println!("{GAME}: {} entries", journal.len());
}
