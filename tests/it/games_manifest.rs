//! Daily games in the manifest and the day loop: which `gameType` values a manifest accepts,
//! START_GAME / END_GAME in preset timelines, DYNAMIC rotation over `ruleset.games`, BLITZ's quick
//! game in the first third of a round, and how START_GAME / END_GAME / OPEN_VOTING / END_DAY
//! treat a game.

use crate::common;
use crate::games_support;

use common::*;
use games_support::*;
use pecking_order::engine::fact::Fact;
use pecking_order::engine::games::{GameType, KingsAction};
use pecking_order::engine::timeline::Action;
use pecking_order::engine::{Command, Phase};
use pecking_order::room::{Room, RoomError};
use serde_json::{json, Value};

fn create(manifest: Value, players: usize) -> Result<Room, RoomError> {
    let body = json!({ "manifest": manifest, "roster": roster(players) }).to_string();
    Room::create("g-games", body.as_bytes(), T0 - 1, SEED).map(|(r, _)| r)
}

fn field_errors(e: RoomError) -> Vec<(String, &'static str)> {
    match e {
        RoomError::InvalidManifest(m) => m.errors.into_iter().map(|e| (e.path, e.code)).collect(),
        other => panic!("expected field errors, got {other}"),
    }
}

fn no_effect(facts: &[Fact]) -> Option<String> {
    facts.iter().find_map(|f| match f {
        Fact::NoEffect { reason, .. } => Some(reason.clone()),
        _ => None,
    })
}

#[test]
fn every_supported_game_type_is_accepted_and_the_others_are_refused_clearly() {
    for g in GameType::ALL {
        let m = static_manifest(vec![json!({ "gameType": g.as_str() }), json!({})]);
        match create(m, 4) {
            Ok(_) => assert!(g.is_supported(), "{g:?}"),
            Err(e) => {
                assert!(!g.is_supported(), "{g:?}");
                assert_eq!(
                    field_errors(e),
                    vec![("manifest.days[0].gameType".to_string(), "UNSUPPORTED")]
                );
            }
        }
    }
    assert_eq!(
        GameType::ALL.iter().filter(|g| g.is_supported()).count(),
        25
    );
    create(
        static_manifest(vec![json!({ "gameType": "NONE" }), json!({})]),
        4,
    )
    .unwrap();
    create(
        static_manifest(vec![
            json!({ "gameType": "TRIVIA", "gameMode": "SOLO" }),
            json!({}),
        ]),
        4,
    )
    .unwrap();
    let e = create(
        static_manifest(vec![
            json!({ "gameType": "CHESS", "gameMode": "FAST" }),
            json!({}),
        ]),
        4,
    )
    .unwrap_err();
    assert_eq!(
        field_errors(e),
        vec![
            ("manifest.days[0].gameType".to_string(), "INVALID_VALUE"),
            ("manifest.days[0].gameMode".to_string(), "INVALID_VALUE")
        ]
    );
}

#[test]
fn preset_timelines_schedule_start_and_end_game_on_game_days_only() {
    let m = json!({ "mode": "PECKING_ORDER", "kind": "STATIC", "startTime": "2026-12-01T09:00:00Z",
        "schedulePreset": "SMOKE_TEST",
        "days": [{"voteType": "MAJORITY", "gameType": "TRIVIA"}, {"voteType": "MAJORITY"}, {"voteType": "FINALS"}] });
    let mut live = Live::create(m, 4);
    live.fire(T0, 10);
    let actions: Vec<(i64, Action)> = live
        .st()
        .tasks
        .iter()
        .filter(|t| t.day == 1)
        .map(|t| (t.due_ms - T0, t.action))
        .collect();
    assert!(actions.contains(&(30_000, Action::StartGame)));
    assert!(actions.contains(&(60_000, Action::EndGame)));
    assert_eq!(live.st().games.today, Some(GameType::Trivia));
    // Day 2 has no game: no START_GAME / END_GAME.
    live.fire(T0 + 360_000, 100);
    let st = live.st();
    assert_eq!(st.day, 2);
    assert_eq!(st.games.today, None);
    assert!(st.tasks.iter().all(|t| t.action != Action::StartGame));
    // Day 1's trivia ran and ended by its END_GAME alarm (nobody played).
    assert_eq!(st.games.results.len(), 1);
    assert!(st.games.results[0].forced);
    live.check_replay();
}

fn dynamic(games: Value, players: usize) -> H {
    let m = json!({ "kind": "DYNAMIC", "scheduling": "ADMIN", "startTime": "2026-12-01T09:00:00Z",
        "ruleset": { "voting": {"allowed": ["MAJORITY"]}, "games": games } });
    let mut h = H::with_manifest(m, players);
    h.inject(Action::StartDay);
    h
}

/// Plays today's game for nobody (START_GAME then END_GAME) and starts the next day.
fn play_and_next(h: &mut H) {
    start_game(h);
    end_game(h);
    h.next_stage();
    h.inject(Action::StartDay);
}

/// Like [`play_and_next`], with an admin eliminating `id` before the next day.
fn play_eliminate_and_next(h: &mut H, id: &str) {
    start_game(h);
    end_game(h);
    h.admin(Command::EliminatePlayer {
        player_id: id.into(),
        reason: None,
    });
    h.next_stage();
    h.inject(Action::StartDay);
}

#[test]
fn dynamic_days_rotate_over_allowed_games_that_suit_the_alive_count_and_avoid_repeats() {
    let allowed = json!({ "allowed": ["BET_BET_BET", "TRIVIA", "GAP_RUN"] });
    let mut h = dynamic(allowed.clone(), 4);
    assert_eq!(
        h.st().games.today,
        Some(GameType::BetBetBet),
        "day 1: first of three"
    );
    play_and_next(&mut h);
    assert_eq!(h.st().games.today, Some(GameType::Trivia), "day 2: second");
    // Down to three alive: the sync games (4 players or more) drop out of the rotation. Day 3
    // would be [TRIVIA, GAP_RUN][(3-1) % 2] = TRIVIA again: avoidRepeat picks GAP_RUN.
    play_eliminate_and_next(&mut h, "p4");
    assert_eq!(h.st().alive_count(), 3);
    assert_eq!(h.st().games.today, Some(GameType::GapRun));
    // The day's timeline (as DYNAMIC plans it) has the game.
    h.check_replay();

    // Without avoidRepeat the rotation repeats.
    let mut h = dynamic(
        json!({ "allowed": ["BET_BET_BET", "TRIVIA", "GAP_RUN"], "avoidRepeat": false }),
        4,
    );
    play_and_next(&mut h);
    play_eliminate_and_next(&mut h, "p4");
    assert_eq!(h.st().games.today, Some(GameType::Trivia));
}

#[test]
fn dynamic_game_rules_modes_and_errors() {
    let h = dynamic(json!({ "mode": "NONE", "pool": ["TRIVIA"] }), 4);
    assert_eq!(h.st().games.today, None);
    let h = dynamic(
        json!({ "mode": "SEQUENCE", "sequence": ["GAP_RUN", "SNAKE"] }),
        4,
    );
    assert_eq!(h.st().games.today, Some(GameType::GapRun));
    let h = dynamic(json!({ "mode": "POOL", "pool": ["SNAKE", "GAP_RUN"] }), 4);
    assert_eq!(h.st().games.today, Some(GameType::Snake));
    // A ruleset without games has none.
    let m = json!({ "kind": "DYNAMIC", "scheduling": "ADMIN", "startTime": "2026-12-01T09:00:00Z", "ruleset": {} });
    let mut h = H::with_manifest(m, 4);
    h.inject(Action::StartDay);
    assert_eq!(h.st().games.today, None);
    let f = start_game(&mut h);
    assert_eq!(no_effect(&f).as_deref(), Some("no game today"));
    // Errors name the field.
    let m = |games: Value| json!({ "kind": "DYNAMIC", "startTime": "2026-12-01T09:00:00Z", "ruleset": { "games": games } });
    assert_eq!(
        field_errors(
            create(
                m(json!({ "allowed": ["TRIVIA", "CHESS", "TOUCH_SCREEN"] })),
                4
            )
            .unwrap_err()
        ),
        vec![(
            "manifest.ruleset.games.allowed[1]".to_string(),
            "INVALID_VALUE"
        )]
    );
    // An unknown field stops the decoding (the first structural problem is the only error); a
    // bad value is reported with every other bad value.
    assert_eq!(
        field_errors(create(m(json!({ "mode": "RANDOM", "colour": 1 })), 4).unwrap_err()),
        vec![("manifest.ruleset.games.colour".to_string(), "UNKNOWN_FIELD")]
    );
    assert_eq!(
        field_errors(create(m(json!({ "mode": "RANDOM", "pool": ["CHESS"] })), 4).unwrap_err()),
        vec![
            ("manifest.ruleset.games.mode".to_string(), "INVALID_VALUE"),
            (
                "manifest.ruleset.games.pool[0]".to_string(),
                "INVALID_VALUE"
            )
        ]
    );
}

#[test]
fn blitz_rounds_play_a_quick_game_in_their_first_third() {
    // Rules version 2 and 3 agree here: 60-second rounds leave a 19 s game window, too short for
    // a live game (games::BLITZ_LIVE_MIN_WINDOW_MS), so rules 3 keeps to the sync-decision games.
    for rules in [2, 3] {
        blitz_rounds(rules);
    }
}

#[test]
fn blitz_rounds_of_rules_3_pick_live_games_when_the_window_holds_them() {
    let blitz = |round_s: u32| json!({ "mode": "BLITZ", "scheduling": "ADMIN", "startTime": "2026-12-01T09:00:00Z", "roundSeconds": round_s });
    let today = |round_s: u32, alive: usize, rules: u32| {
        let mut h = H::with_rules(blitz(round_s), alive, rules);
        h.inject(Action::StartDay);
        h.st().games.today
    };
    // 180 s (the default): a 59 s window. Round 1 with three alive, rules 3: the rotation is
    // [REALTIME_TRIVIA, TOUCH_SCREEN] (the sync games need 4), index 0.
    assert_eq!(today(180, 3, 3), Some(GameType::RealtimeTrivia));
    // Two alive: TOUCH_SCREEN needs 3, so [REALTIME_TRIVIA].
    assert_eq!(today(180, 2, 3), Some(GameType::RealtimeTrivia));
    // Four alive: [BET_BET_BET, KINGS_RANSOM, REALTIME_TRIVIA, TOUCH_SCREEN], round 1 plays the first.
    assert_eq!(today(180, 4, 3), Some(GameType::BetBetBet));
    // Rules 2: no game below four alive.
    assert_eq!(today(180, 3, 2), None);
    // 111 s rounds: window 36 s, just enough; 110 s: 35.66 s, too short.
    assert_eq!(today(111, 3, 3), Some(GameType::RealtimeTrivia));
    assert_eq!(today(110, 3, 3), None);
}

fn blitz_rounds(rules: u32) {
    let m = json!({ "mode": "BLITZ", "startTime": "2026-12-01T09:00:00Z", "roundSeconds": 60 });
    let mut live = Live::create_rules(m, 5, rules);
    live.fire(T0, 10);
    let st = live.st();
    assert_eq!(st.games.today, Some(GameType::BetBetBet));
    let day1: Vec<(i64, Action)> = st
        .tasks
        .iter()
        .filter(|t| t.day == 1)
        .map(|t| (t.due_ms - T0, t.action))
        .collect();
    assert!(day1.contains(&(0, Action::StartGame)) || st.games.active.is_some());
    assert!(day1.contains(&(19_000, Action::EndGame)));
    assert!(day1.contains(&(20_000, Action::OpenVoting)));
    live.fire(T0, 10);
    assert!(live.st().games.active.is_some());
    let mut journal_ok = 0;
    for (i, p) in ["p1", "p2", "p3"].iter().enumerate() {
        journal_ok += usize::from(live.act(p, &bet(i as u64 + 1), T0 + 1_000));
    }
    assert_eq!(journal_ok, 3);
    // END_GAME at +19 s settles it; the vote opens at +20 s.
    live.fire(T0 + 20_000, 10);
    let st = live.st();
    assert_eq!(st.games.results.len(), 1);
    assert!(st.ballot.is_some());
    // Round 2 (four alive after round 1's elimination): KINGS_RANSOM.
    live.fire(T0 + 60_000, 20);
    let st = live.st();
    assert_eq!((st.day, st.alive_count()), (2, 4));
    assert_eq!(st.games.today, Some(GameType::KingsRansom));
    let king = match &st.games.active.as_ref().unwrap().run {
        pecking_order::engine::games::GameRun::KingsRansom(k) => k.king.clone().unwrap(),
        _ => panic!(),
    };
    let others: Vec<String> = st
        .players
        .iter()
        .filter(|p| p.alive && p.id != king)
        .map(|p| p.id.clone())
        .collect();
    for p in &others {
        assert!(live.act(p, &kings(KingsAction::Steal), T0 + 61_000));
    }
    assert_eq!(live.st().games.results.len(), 2, "ended early");
    // Round 3 with three alive: no game that suits three players and this round length.
    live.fire(T0 + 120_000, 20);
    let st = live.st();
    assert_eq!((st.day, st.alive_count()), (3, 3));
    assert_eq!(st.games.today, None);
    assert!(st.tasks.iter().all(|t| t.action != Action::StartGame));
    live.check_replay();
}

/// Today's game of a DYNAMIC ADMIN game of `players` players playing rules `rules`, on `day`
/// (earlier days' games played by nobody).
fn dynamic_today(games: Value, players: usize, rules: u32, day: u32) -> Option<GameType> {
    let m = json!({ "kind": "DYNAMIC", "scheduling": "ADMIN", "startTime": "2026-12-01T09:00:00Z",
        "minPlayers": 2, "ruleset": { "voting": {"allowed": ["MAJORITY"]}, "games": games } });
    let mut h = H::with_rules(m, players, rules);
    h.inject(Action::StartDay);
    for _ in 1..day {
        play_and_next(&mut h);
    }
    h.check_replay();
    h.st().games.today
}

#[test]
fn dynamic_rotations_pick_live_games_from_rules_version_3_only() {
    use GameType::{RealtimeTrivia as Rt, TouchScreen as Ts, Trivia};
    let all = json!({ "allowed": ["TOUCH_SCREEN", "REALTIME_TRIVIA", "TRIVIA"] });
    // Rules 3, four alive: the rotation is [TOUCH_SCREEN, REALTIME_TRIVIA, TRIVIA] in the
    // manifest's order; day d plays list[(d-1) % 3].
    for (day, want) in [(1, Ts), (2, Rt), (3, Trivia), (4, Ts)] {
        assert_eq!(
            dynamic_today(all.clone(), 4, 3, day),
            Some(want),
            "v3 day {day}"
        );
    }
    // Rules 2: the live games are skipped, as before: [TRIVIA] every day.
    for day in 1..=3 {
        assert_eq!(
            dynamic_today(all.clone(), 4, 2, day),
            Some(Trivia),
            "v2 day {day}"
        );
    }
    // Two alive (rules 3): TOUCH_SCREEN needs three (the lobby's cycle minimum), so the
    // rotation is [REALTIME_TRIVIA, TRIVIA].
    assert_eq!(dynamic_today(all.clone(), 2, 3, 1), Some(Rt));
    assert_eq!(dynamic_today(all, 2, 3, 2), Some(Trivia));
    // SEQUENCE: rules 3 plays the named live game; rules 2 has no game that day.
    let seq = json!({ "mode": "SEQUENCE", "sequence": ["REALTIME_TRIVIA", "TRIVIA"] });
    assert_eq!(dynamic_today(seq.clone(), 4, 3, 1), Some(Rt));
    assert_eq!(dynamic_today(seq, 4, 2, 1), None);

    // The rotation's TOUCH_SCREEN is played LIVE (a DYNAMIC day has no gameMode): it opens on
    // its READY phase, and the day's preset timeline has START_GAME / END_GAME.
    let m = json!({ "kind": "DYNAMIC", "scheduling": "ADMIN", "startTime": "2026-12-01T09:00:00Z",
        "ruleset": { "voting": {"allowed": ["MAJORITY"]},
                     "games": { "allowed": ["TOUCH_SCREEN"] } } });
    let mut h = H::with_rules(m, 3, 3);
    h.inject(Action::StartDay);
    start_game(&mut h);
    match &active(&h).run {
        pecking_order::engine::games::GameRun::TouchScreen(t) => {
            assert!(t.live);
            assert_eq!(
                t.phase,
                pecking_order::engine::games::touch_screen::TsPhase::Ready
            );
        }
        other => panic!("expected TOUCH_SCREEN, got {other:?}"),
    }
    h.check_replay();
}

#[test]
fn open_voting_and_end_day_end_a_running_game_and_start_game_waits_for_nothing_else() {
    let mut h = game_day(GameType::KingsRansom, 5, 2);
    h.admin(Command::CreditSilver {
        rewards: [("p2".to_string(), 10)].into_iter().collect(),
    });
    let f = end_game(&mut h);
    assert_eq!(no_effect(&f).as_deref(), Some("no game is running"));
    start_game(&mut h);
    for p in ["p1", "p3", "p4"] {
        h.ok(p, kings(KingsAction::Steal));
    }
    // OPEN_VOTING ends the game first (forced): the king's shield counts in this vote.
    let f = h.inject(Action::OpenVoting);
    let (_, forced) = result_in(&f).expect("the game ended at OPEN_VOTING");
    assert!(forced);
    let pos = |pred: &dyn Fn(&Fact) -> bool| f.iter().position(pred).unwrap();
    assert!(
        pos(&|x| matches!(x, Fact::GameResult { .. }))
            < pos(&|x| matches!(x, Fact::VotingOpened { .. }))
    );
    assert!(!h
        .st()
        .ballot
        .as_ref()
        .unwrap()
        .targets
        .contains(&"p2".to_string()));
    let f = start_game(&mut h);
    assert!(no_effect(&f).is_some());

    // END_DAY ends a running game (here: a day whose game starts but never ends).
    h.next_stage();
    h.inject(Action::StartDay);
    let f = start_game(&mut h);
    assert_eq!(no_effect(&f).as_deref(), Some("no game today"));
    let mut h = game_day(GameType::BetBetBet, 4, 0);
    start_game(&mut h);
    h.ok("p1", bet(7));
    h.ok("p2", bet(9));
    let f = h.next_stage();
    let (_, forced) = result_in(&f).expect("ended at END_DAY");
    assert!(forced);
    assert_eq!(h.st().phase, Phase::Night);
    h.reject("p1", bet(1), "WRONG_PHASE");
    h.check_replay();
}

#[test]
fn game_messages_decode_strictly_on_the_wire() {
    use pecking_order::room::parse_client_message;
    let ok = |s: &str| {
        parse_client_message(s.as_bytes())
            .map(|m| m.command)
            .unwrap()
    };
    let code = |s: &str| parse_client_message(s.as_bytes()).unwrap_err().1.code();
    assert_eq!(
        ok(r#"{"type":"GAME.BET_BET_BET.SUBMIT","amount":5}"#),
        bet(5)
    );
    assert_eq!(
        ok(
            r#"{"type":"GAME.ARCADE.RESULT","gameType":"GAP_RUN","result":{"distance":900,"timeElapsed":45000}}"#
        ),
        arcade_result(
            GameType::GapRun,
            &[("distance", 900), ("timeElapsed", 45_000)]
        )
    );
    assert_eq!(ok(r#"{"type":"GAME.SUBMIT","ref":"r1"}"#), submit());
    assert_eq!(
        ok(r#"{"type":"GAME.TRIVIA.ANSWER","answerIndex":2}"#),
        Command::from(pecking_order::engine::games::trivia::Command::Answer { answer_index: 2 })
    );
    assert_eq!(
        ok(r#"{"type":"GAME.KINGS_RANSOM.SUBMIT","action":"PROTECT"}"#),
        kings(KingsAction::Protect)
    );
    for bad in [
        r#"{"type":"GAME.ARCADE.RESULT","gameType":"GAP_RUN","result":{"distance":1.5}}"#,
        r#"{"type":"GAME.ARCADE.RESULT","gameType":"GAP_RUN","result":{"distance":-3}}"#,
        r#"{"type":"GAME.ARCADE.RESULT","gameType":"GAP_RUN","distance":3}"#,
        r#"{"type":"GAME.ARCADE.START","gameType":"CHESS"}"#,
        r#"{"type":"GAME.ARCADE.START","gameType":"NONE"}"#,
        r#"{"type":"GAME.THE_SPLIT.SUBMIT","action":"SHARE"}"#,
        r#"{"type":"GAME.BET_BET_BET.SUBMIT","amount":"5"}"#,
        r#"{"type":"GAME.BLIND_AUCTION.SUBMIT","slot":1}"#,
        r#"{"type":"GAME.TRIVIA.ANSWER","answerIndex":-1}"#,
        r#"{"type":"GAME.SUBMIT","score":10}"#,
    ] {
        assert_eq!(code(bad), "INVALID_FIELDS", "{bad}");
    }
    assert_eq!(
        code(r#"{"type":"GAME.TOUCH_SCREEN.SWIPE"}"#),
        "UNKNOWN_TYPE"
    );
    assert_eq!(code(r#"{"type":"GAME.CHANNEL.CREATE"}"#), "UNKNOWN_TYPE");
}
