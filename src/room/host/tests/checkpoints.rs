//! Checkpoints (docs/audit.md): journaled and signed at each day's end, after the seed reveal and
//! on the operator's CHECKPOINT, sent to every socket; none without CHECKPOINT_KEY.

use super::*;
use crate::checkpoint::{verify_note, CheckpointKey, SeedField};

const KEY: &str = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";

fn keyed_admin_room() -> Rig {
    let mut rig = Rig::new(config_with(&[("CHECKPOINT_KEY", KEY)]));
    let fx = rig.create(&init_body("ADMIN", T0 + 86_400_000));
    rig.answer_d1(&fx, Ok(()));
    rig
}

/// Every CHECKPOINT frame `socket` got, checked against the key and the stored journal.
fn checked_checkpoints(
    rig: &Rig,
    fx: &[Effect],
    socket: &str,
) -> Vec<crate::checkpoint::Checkpoint> {
    let pk = CheckpointKey::from_secret(KEY).unwrap().public();
    of_type(&sent(fx, socket), "CHECKPOINT")
        .into_iter()
        .map(|f| {
            let cp = verify_note(f["note"].as_str().unwrap(), &pk).expect("a valid signed note");
            assert_eq!(f["seq"], json!(cp.seq));
            assert_eq!(f["head"], json!(cp.head.to_hex()));
            let journal = &rig.host.store().journal;
            let at = journal.iter().find(|e| e.seq == cp.seq).expect("entry seq");
            assert_eq!(at.hash, cp.head, "the head is entry seq's hash");
            let next = journal
                .iter()
                .find(|e| e.seq == cp.seq + 1)
                .expect("its entry");
            assert_eq!(next.typ, "SYSTEM.CHECKPOINT");
            assert_eq!(cp.game_id, GAME);
            cp
        })
        .collect()
}

#[test]
fn each_day_end_and_the_reveal_send_a_signed_checkpoint_to_every_socket() {
    let mut rig = keyed_admin_room();
    let s1 = rig.connect("p1");
    let s2 = rig.connect("p2");
    let mut got = Vec::new();
    for _ in 0..20 {
        if rig.state()["phase"] == "GAME_OVER" {
            break;
        }
        let fx = rig.http("POST", "/admin", r#"{"type":"NEXT_STAGE"}"#);
        assert_eq!(reply(&fx).0, 200, "{fx:?}");
        let a = checked_checkpoints(&rig, &fx, &s1);
        assert_eq!(a.len(), checked_checkpoints(&rig, &fx, &s2).len());
        got.extend(a);
    }
    // Days 1 and 2 end at night; day 3 ends the game: one checkpoint after the seed reveal.
    let days: Vec<u32> = got.iter().map(|c| c.day).collect();
    assert_eq!(days, vec![1, 2, 3], "{got:?}");
    assert!(matches!(got[0].seed, SeedField::Commitment(_)));
    assert!(matches!(got[2].seed, SeedField::Revealed(_)));
    let journal = &rig.host.store().journal;
    let reveal = journal
        .iter()
        .find(|e| e.typ == "SYSTEM.REVEAL_SEED")
        .unwrap();
    assert_eq!(got[2].seq, reveal.seq);
    // The journal with its checkpoints replays (the engine accepts them as they are).
    let room = crate::room::Room::replay(GAME, journal, None).expect("replays");
    assert_eq!(room.head(), journal.last().unwrap().hash);
}

#[test]
fn the_operator_asks_for_a_checkpoint() {
    let mut rig = keyed_admin_room();
    let s1 = rig.connect("p1");
    let before = rig.seq();
    let fx = rig.admin(json!({ "type": "CHECKPOINT" }));
    let (status, body) = reply(&fx);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["seq"], json!(before));
    assert_eq!(body["entrySeq"], json!(before + 1));
    let cps = checked_checkpoints(&rig, &fx, &s1);
    assert_eq!(cps.len(), 1);
    assert_eq!(
        body["note"],
        json!(CheckpointKey::from_secret(KEY).unwrap().sign(&cps[0]))
    );
}

#[test]
fn without_the_key_nothing_is_journaled() {
    let mut rig = Rig::admin_room();
    let s1 = rig.connect("p1");
    let fx = rig.http("POST", "/admin", r#"{"type":"CHECKPOINT"}"#);
    let (status, body) = reply(&fx);
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "CHECKPOINT_KEY_MISSING");
    for _ in 0..3 {
        let fx = rig.http("POST", "/admin", r#"{"type":"NEXT_STAGE"}"#);
        assert!(of_type(&sent(&fx, &s1), "CHECKPOINT").is_empty());
    }
    assert!(rig
        .host
        .store()
        .journal
        .iter()
        .all(|e| e.typ != "SYSTEM.CHECKPOINT"));
}

#[test]
fn a_checkpoint_with_a_wrong_head_does_not_replay() {
    let mut rig = keyed_admin_room();
    rig.admin(json!({ "type": "CHECKPOINT" }));
    let mut journal = rig.host.store().journal.clone();
    let k = journal
        .iter()
        .position(|e| e.typ == "SYSTEM.CHECKPOINT")
        .unwrap();
    journal[k].payload = journal[k]
        .payload
        .replace(&journal[k - 1].hash.to_hex(), &"00".repeat(32));
    let prev = journal[k - 1].hash;
    journal[k] = journal[k].clone().seal(prev);
    assert!(matches!(
        crate::room::Room::replay(GAME, &journal, None),
        Err(RoomError::Diverged { .. })
    ));
}

/// Found by the simulator (seed 2 of `po-sim`, 3 rooms × 600 steps, kept in
/// `sim/tests/seeds.rs`): a checkpoint right after a refused entry was itself refused
/// (CHECKPOINT_MISMATCH), as the engine compared its seq with the last *accepted* entry's.
#[test]
fn the_operator_asks_for_a_checkpoint_right_after_a_refused_entry() {
    let mut rig = keyed_admin_room();
    let s1 = rig.connect("p1");
    // Refused in pregame, and journaled: a vote before any ballot.
    let fx = rig.frame(
        &s1,
        "p1",
        r#"{"type":"VOTE.MAJORITY.CAST","targetId":"p2"}"#,
    );
    let refused = rig.seq();
    let last = rig.host.store().journal.last().unwrap().clone();
    assert!(!last.verdict.is_accepted(), "{fx:?}");
    let fx = rig.admin(json!({ "type": "CHECKPOINT" }));
    let (status, body) = reply(&fx);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["seq"], json!(refused));
    assert_eq!(checked_checkpoints(&rig, &fx, &s1).len(), 1);
    let journal = &rig.host.store().journal;
    let room = crate::room::Room::replay(GAME, journal, None).expect("replays");
    assert_eq!(room.head(), journal.last().unwrap().hash);
}

/// A game of rules version 3 keeps refusing a checkpoint right after a refused entry, so its
/// journal replays as recorded; version 4 accepts it (docs/architecture.md, "Rules versions").
#[test]
fn a_version_3_game_still_refuses_a_checkpoint_after_a_refused_entry() {
    use crate::engine::Command;
    use crate::journal::EntryKind;
    let body = init_body("ADMIN", T0 + 86_400_000);
    for (rules, accepted) in [(3, false), (4, true)] {
        let (mut room, mut journal) =
            crate::room::Room::create_with_rules(GAME, body.as_bytes(), T0, [9; 32], rules)
                .expect("created");
        let vote = Command::from_type_and_payload("VOTE.MAJORITY.CAST", r#"{"targetId":"p2"}"#)
            .expect("a vote");
        let refused = room
            .submit(EntryKind::Action, "p1", &vote, T0 + 1)
            .expect("journaled");
        assert!(!refused.verdict.is_accepted());
        journal.extend(refused.entries);
        let cp = room.checkpoint(T0 + 2).expect("journaled");
        assert_eq!(cp.verdict.is_accepted(), accepted, "rules {rules}");
        journal.extend(cp.entries);
        let replayed = crate::room::Room::replay(GAME, &journal, None).expect("replays");
        assert_eq!(replayed.head(), journal.last().unwrap().hash);
    }
}
