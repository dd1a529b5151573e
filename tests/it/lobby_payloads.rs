//! The prototype lobby's own payloads (tests/fixtures/lobby/, written out by hand from its
//! `apps/lobby/app/actions.ts` builders: `startDebugGame`, `createGame` with a per-day config,
//! `buildCCDefaultInitPayload`; and `acceptInvite`'s `…/player-joined` bodies), accepted as
//! sent and each played to a winner (docs/protocol.md, "The prototype lobby").

use pecking_order::engine::timeline::Action;
use pecking_order::engine::{Command, Phase};
use pecking_order::journal::{Entry, EntryKind};
use pecking_order::room::{self, Room};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/lobby/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// 2026-12-07T15:00:00Z, the `now` the fixtures were built at.
const NOW: i64 = 1_796_655_600_000;

fn joins() -> Vec<Value> {
    fixture("player-joined.json").as_array().unwrap().clone()
}

/// Plays a created game to its end: due alarms fire; with none due, every alive player votes for
/// the first other alive player (so someone is eliminated each day) and, for ADMIN scheduling,
/// the operator moves the game on.
fn play_to_end(room: &mut Room, journal: &mut Vec<Entry>, mut now: i64) {
    let mut voted = false;
    for _ in 0..2_000 {
        let st = room.state().unwrap();
        if matches!(st.phase, Phase::GameSummary | Phase::GameOver) {
            return;
        }
        if let Some(mech) = st.ballot.as_ref().map(|b| {
            serde_json::to_value(b.mechanism)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        }) {
            let alive: Vec<String> = st
                .players
                .iter()
                .filter(|p| p.alive)
                .map(|p| p.id.clone())
                .collect();
            let voters: Vec<String> = st.players.iter().map(|p| p.id.clone()).collect();
            for v in voters {
                let Some(t) = alive.iter().find(|t| **t != v) else {
                    continue;
                };
                let cmd = Command::from_type_and_payload(
                    &format!("VOTE.{mech}.CAST"),
                    &format!(r#"{{"targetId":"{t}"}}"#),
                )
                .unwrap();
                now += 1;
                if let Ok(s) = room.submit(EntryKind::Action, &v, &cmd, now) {
                    journal.extend(s.entries);
                }
            }
        }
        let st = room.state().unwrap();
        if st.tasks.is_empty() && st.phase == Phase::Day && st.ballot.is_none() && !voted {
            // ADMIN scheduling: the operator opens the vote (the console's timeline inject).
            voted = true;
            now += 1_000;
            let open = Command::InjectTimelineEvent {
                action: Action::OpenVoting,
            };
            journal.extend(
                room.submit(EntryKind::Admin, "ADMIN", &open, now)
                    .unwrap()
                    .entries,
            );
            continue;
        }
        let (no_tasks, phase) = (st.tasks.is_empty(), st.phase);
        if no_tasks && st.ballot.is_some() {
            now += 1_000;
            let close = Command::InjectTimelineEvent {
                action: Action::CloseVoting,
            };
            journal.extend(
                room.submit(EntryKind::Admin, "ADMIN", &close, now)
                    .unwrap()
                    .entries,
            );
        }
        if phase != Phase::Day {
            voted = false;
        }
        let st = room.state().unwrap();
        let entries = if let Some(task) = st.tasks.first() {
            now = now.max(task.due_ms);
            room.fire_due(now, 1)
        } else {
            now += 1_000;
            room.submit(EntryKind::Admin, "ADMIN", &Command::NextStage {}, now)
                .unwrap()
                .entries
        };
        journal.extend(entries);
    }
    let st = room.state().unwrap();
    panic!(
        "the game did not end: {:?} day {} tasks {:?}",
        st.phase, st.day, st.tasks
    );
}

fn join_all(room: &mut Room, journal: &mut Vec<Entry>, now: i64) {
    for (i, body) in joins().iter().enumerate() {
        let player = room::check_player_joined(body.to_string().as_bytes()).unwrap();
        let s = room
            .submit(
                EntryKind::System,
                "SYSTEM",
                &Command::PlayerJoined { player },
                now + i as i64,
            )
            .unwrap();
        assert!(s.verdict.is_accepted(), "{}", s.verdict.to_wire());
        journal.extend(s.entries);
    }
}

fn check_winner_and_replay(room: &Room, journal: &[Entry]) {
    let st = room.state().unwrap();
    assert!(st.winner.is_some(), "a winner");
    let r = Room::replay(room.game_id(), journal, None).unwrap();
    assert_eq!(r.snapshot_bytes(), room.snapshot_bytes());
}

#[test]
fn the_lobbys_static_debug_game_plays_to_a_winner() {
    let body = fixture("static-debug.init.json").to_string();
    let (mut room, mut journal) =
        Room::create("game-debug", body.as_bytes(), NOW, [7; 32]).unwrap();
    let st = room.state().unwrap();
    let ids: Vec<&str> = st.players.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["p1", "p2", "p3", "p4"]);
    assert_eq!(st.players[0].real_user_id, "debug-user-1");
    assert_eq!(st.players[0].silver, 50);
    // The lobby's startGame sends NEXT_STAGE after init (DEBUG_PECKING_ORDER: ADMIN scheduling).
    assert!(st.tasks.is_empty(), "ADMIN scheduling has no alarms");
    play_to_end(&mut room, &mut journal, NOW);
    check_winner_and_replay(&room, &journal);
}

#[test]
fn the_lobbys_configurable_cycle_game_with_a_per_day_config_plays_to_a_winner() {
    let body = fixture("cc-static.init.json").to_string();
    let (mut room, mut journal) = Room::create("game-cc", body.as_bytes(), NOW, [8; 32]).unwrap();
    assert!(room.state().unwrap().players.is_empty());
    join_all(&mut room, &mut journal, NOW + 1_000);
    let st = room.state().unwrap();
    assert_eq!(st.players.len(), 4);
    assert_eq!(st.players[0].qa_answers.len(), 2);
    assert_eq!(
        st.players[0].qa_answers[1].narrator_intro.as_deref(),
        Some("They can't stand it:")
    );
    // A join after the start is refused (the lobby reads the 409 as GAME_STARTED).
    play_to_end(&mut room, &mut journal, NOW + 2_000);
    check_winner_and_replay(&room, &journal);
}

#[test]
fn the_lobbys_dynamic_default_game_plays_to_a_winner() {
    let body = fixture("dynamic-default.init.json").to_string();
    let (mut room, mut journal) = Room::create("game-dyn", body.as_bytes(), NOW, [9; 32]).unwrap();
    join_all(&mut room, &mut journal, NOW + 1_000);
    play_to_end(&mut room, &mut journal, NOW + 2_000);
    check_winner_and_replay(&room, &journal);
    // The late join is refused once the game has started.
    let late = r#"{"playerId":"p9","realUserId":"u9","personaName":"Late"}"#;
    let player = room::check_player_joined(late.as_bytes()).unwrap();
    let s = room
        .submit(
            EntryKind::System,
            "SYSTEM",
            &Command::PlayerJoined { player },
            NOW + 10_000_000,
        )
        .unwrap();
    assert!(!s.verdict.is_accepted());
}

/// The issue's list of a lobby's mistakes: 400 with the field's path, and no room.
#[test]
fn a_lobbys_mistakes_are_refused_with_the_fields_path() {
    let paths = |body: &Value| -> Vec<(String, String)> {
        match Room::create("g", body.to_string().as_bytes(), NOW, [1; 32]) {
            Ok(_) => panic!("accepted: {body}"),
            Err(e) => {
                assert_eq!(e.http_status(), 400);
                let v = e.to_json();
                v["error"]["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| {
                        (
                            f["path"].as_str().unwrap().to_string(),
                            f["code"].as_str().unwrap().to_string(),
                        )
                    })
                    .collect()
            }
        }
    };
    let one = |path: &str, code: &str| vec![(path.to_string(), code.to_string())];
    let debug = fixture("static-debug.init.json");
    let mut b = debug.clone();
    b["roster"]["p2"]
        .as_object_mut()
        .unwrap()
        .remove("personaName");
    assert_eq!(paths(&b), one("roster.p2.personaName", "MISSING"));
    let mut b = debug.clone();
    let p2 = b["roster"]["p2"].clone();
    b["roster"]["player-2"] = p2;
    assert_eq!(paths(&b), one("roster.player-2", "INVALID_VALUE"));
    let mut b = debug.clone();
    b["manifest"]["days"][0]["voteType"] = "POPULARITY".into();
    assert_eq!(paths(&b), one("manifest.days[0].voteType", "INVALID_VALUE"));
    let mut b = debug.clone();
    b["manifest"]["days"][0]["gameType"] = "CHESS".into();
    assert_eq!(paths(&b), one("manifest.days[0].gameType", "INVALID_VALUE"));
    let mut b = debug.clone();
    b["manifest"]["days"][0]["timeline"][1]["payload"]["promptType"] = "HAIKU".into();
    assert_eq!(
        paths(&b),
        one(
            "manifest.days[0].timeline[1].payload.promptType",
            "INVALID_VALUE"
        )
    );
    let dynamic = fixture("dynamic-default.init.json");
    let mut b = dynamic.clone();
    b["manifest"].as_object_mut().unwrap().remove("ruleset");
    assert_eq!(paths(&b), one("manifest.ruleset", "MISSING"));
    let mut b = dynamic.clone();
    b["manifest"]["minPlayers"] = 1.into();
    assert_eq!(paths(&b), one("manifest.minPlayers", "OUT_OF_RANGE"));
    // Duplicate ids: a keyed roster cannot repeat a key, a player-joined can (the engine refuses
    // the second join, journaled, 409).
    let join = |body: &str| {
        room::check_player_joined(body.as_bytes())
            .unwrap_err()
            .to_json()
    };
    let e = join(r#"{"playerId":"alice","personaName":"A"}"#);
    assert_eq!(e["error"]["fields"][0]["path"], "player.playerId");
    let e = join(r#"{"playerId":"p3","realUserId":"u3"}"#);
    assert_eq!(e["error"]["fields"][0]["path"], "player.personaName");
    let body = fixture("cc-static.init.json").to_string();
    let (mut room, _) = Room::create("game-cc", body.as_bytes(), NOW, [8; 32]).unwrap();
    let p = room::check_player_joined(br#"{"playerId":"p1","personaName":"A"}"#).unwrap();
    let cmd = Command::PlayerJoined { player: p };
    assert!(room
        .submit(EntryKind::System, "SYSTEM", &cmd, NOW)
        .unwrap()
        .verdict
        .is_accepted());
    let again = room.submit(EntryKind::System, "SYSTEM", &cmd, NOW).unwrap();
    assert_eq!(again.verdict.to_wire(), "REJECTED:DUPLICATE_PLAYER");
}

/// The operator console's legacy START_CARTRIDGE and the PLAYTEST presets (docs/content.md §1.3).
#[test]
fn start_cartridge_and_the_playtest_presets_are_accepted() {
    use pecking_order::engine::timeline::Action;
    use pecking_order::room::AdminRequest;
    let r = room::parse_admin_request(
        br#"{"type":"INJECT_TIMELINE_EVENT","action":"START_CARTRIDGE"}"#,
    )
    .unwrap();
    assert_eq!(
        r,
        AdminRequest::Journal(Command::InjectTimelineEvent {
            action: Action::StartGame
        })
    );
    for preset in ["PLAYTEST", "PLAYTEST_SHORT", "PLAYTEST_NEXT"] {
        let mut b = fixture("dynamic-default.init.json");
        b["manifest"]["schedulePreset"] = preset.into();
        b["manifest"]["scheduling"] = "PRE_SCHEDULED".into();
        let (mut room, mut journal) =
            Room::create("game-playtest", b.to_string().as_bytes(), NOW, [3; 32]).unwrap();
        join_all(&mut room, &mut journal, NOW + 1_000);
        play_to_end(&mut room, &mut journal, NOW + 2_000);
        check_winner_and_replay(&room, &journal);
        // PLAYTEST_NEXT's ELIMINATE (19:32) puts the vote's loser out before END_DAY (20:00).
        let early = journal.iter().any(|e| {
            e.facts.contains(r#""action":"ELIMINATE""#) && e.facts.contains(r#""ELIMINATION""#)
        });
        assert_eq!(early, preset == "PLAYTEST_NEXT", "{preset}");
    }
}

/// `SEND_GAME_MASTER_MSG {content, targetId?}`: to MAIN for everyone, or to one player only.
#[test]
fn game_master_messages_reach_main_or_one_player_only() {
    use crate::common::H;
    let r = room::parse_admin_request(br#"{"type":"SEND_GAME_MASTER_MSG","content":"Welcome!"}"#)
        .unwrap();
    let room::AdminRequest::Journal(to_all) = r else {
        panic!("{r:?}")
    };
    let mut h = H::day1(vec![serde_json::json!({}), serde_json::json!({})], 4);
    h.admin(to_all);
    let chat = h.view("p2")["chat"].clone();
    assert_eq!(chat[0]["from"], "GAME_MASTER", "{chat}");
    assert_eq!(chat[0]["content"], "Welcome!");
    h.admin(Command::SendGameMasterMsg {
        content: "Psst, p1: you are being watched".into(),
        target_id: Some("p1".into()),
    });
    assert_eq!(
        h.view("p1")["gmMessages"][0]["content"],
        "Psst, p1: you are being watched"
    );
    for other in ["p2", "p3"] {
        let v = h.view(other).to_string();
        assert!(!v.contains("being watched"), "{other} saw p1's message");
    }
    assert!(!h
        .room
        .projection(None)
        .to_string()
        .contains("being watched"));
    let (v, _) = h.submit(
        EntryKind::Admin,
        "ADMIN",
        &Command::SendGameMasterMsg {
            content: "hi".into(),
            target_id: Some("p99".into()),
        },
    );
    assert_eq!(v.to_wire(), "REJECTED:UNKNOWN_PLAYER");
    h.check_replay();
}

/// The manifest's `pushConfig` is kept; `UPDATE_PUSH_CONFIG` patches it.
#[test]
fn push_config_comes_from_the_manifest_and_update_push_config_patches_it() {
    let body = fixture("static-debug.init.json").to_string();
    let (mut room, mut journal) = Room::create("game-push", body.as_bytes(), NOW, [7; 32]).unwrap();
    let st = room.state().unwrap();
    assert_eq!(st.push_config.get("GROUP_CHAT_MSG"), Some(&false));
    assert_eq!(st.push_config.get("DM_SENT"), Some(&true));
    let r = room::parse_admin_request(
        br#"{"type":"UPDATE_PUSH_CONFIG","pushConfig":{"GROUP_CHAT_MSG":true,"NUDGE":false}}"#,
    )
    .unwrap();
    let room::AdminRequest::Journal(cmd) = r else {
        panic!("{r:?}")
    };
    let s = room
        .submit(EntryKind::Admin, "ADMIN", &cmd, NOW + 1)
        .unwrap();
    assert!(s.verdict.is_accepted());
    journal.extend(s.entries);
    let st = room.state().unwrap();
    assert_eq!(st.push_config.get("GROUP_CHAT_MSG"), Some(&true));
    assert_eq!(st.push_config.get("NUDGE"), Some(&false));
    assert_eq!(st.push_config.get("DM_SENT"), Some(&true), "untouched");
    let bad = Command::UpdatePushConfig {
        push_config: [("dm sent".to_string(), true)].into(),
    };
    let s = room
        .submit(EntryKind::Admin, "ADMIN", &bad, NOW + 2)
        .unwrap();
    assert_eq!(s.verdict.to_wire(), "REJECTED:INVALID_PUSH_CONFIG");
    journal.extend(s.entries);
    let r = Room::replay("game-push", &journal, Some([7; 32])).unwrap();
    assert_eq!(r.snapshot_bytes(), room.snapshot_bytes());
}
