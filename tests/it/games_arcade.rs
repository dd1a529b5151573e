//! Arcade games through the room: START / RESULT / SUBMIT / RETRY, the reward tables, score
//! validation (`INVALID_SCORE`), crediting at SUBMIT and by the deadline (auto-submission and the
//! retry fallback are credited, unlike the prototype), early completion, secrecy of results.
//! Every scenario replays to byte-identical snapshots.

use crate::games_support;

use games_support::*;
use pecking_order::engine::fact::Fact;
use pecking_order::engine::games::{GameRun, GameType, Summary};
use pecking_order::engine::Command;

const G: GameType = GameType::GapRun;

#[test]
fn a_submitted_run_is_credited_at_once_with_silver_and_pool_gold() {
    let mut h = game_day(G, 3, 0);
    h.reject("p1", arcade_start(G), "NO_GAME");
    let f = start_game(&mut h);
    assert!(matches!(
        &f[0],
        Fact::GameStarted {
            game_type: GameType::GapRun,
            ..
        }
    ));
    h.reject("p1", arcade_start(GameType::Snake), "WRONG_GAME");
    h.reject(
        "p1",
        Command::from(pecking_order::engine::games::trivia::Command::Start {}),
        "WRONG_GAME",
    );
    h.reject(
        "p1",
        arcade_result(G, &[("distance", 100)]),
        "WRONG_GAME_STAGE",
    );
    h.ok("p1", arcade_start(G));
    h.reject("p1", arcade_start(G), "WRONG_GAME_STAGE");
    h.reject("p1", submit(), "WRONG_GAME_STAGE");
    h.now += 44_000;
    // 1234 distance: 12 silver, +5 for surviving to the end; gold 2.
    h.ok(
        "p1",
        arcade_result(G, &[("distance", 1234), ("timeElapsed", 44_500)]),
    );
    let f = h.ok("p1", submit());
    assert_eq!(player_results(&f), vec![("p1".into(), 17, 2, false)]);
    assert_eq!(game_silver(&f, G), vec![("p1".into(), 17)]);
    assert_eq!(pool_deltas(&f), vec![2]);
    assert_eq!(h.silver("p1"), 67);
    assert_eq!(h.st().gold_pool, 42);
    h.reject("p1", retry(), "WRONG_GAME_STAGE");
    assert!(running(&h));
    h.check_replay();
}

#[test]
fn impossible_scores_are_refused_with_invalid_score() {
    let mut h = game_day(G, 3, 0);
    start_game(&mut h);
    h.ok("p1", arcade_start(G));
    h.now += 10_000;
    for (fields, why) in [
        (&[("distance", 10_001)][..], "above the bound"),
        (&[("speed", 3)][..], "unknown field"),
        (&[("timeElapsed", 45_001)][..], "over the time limit"),
        (
            &[("timeElapsed", 30_000)][..],
            "longer than the run has lasted",
        ),
    ] {
        h.reject("p1", arcade_result(G, fields), "INVALID_SCORE");
        let _ = why;
    }
    // Within bounds and within the real duration (+2 s grace) is fine.
    h.ok(
        "p1",
        arcade_result(G, &[("distance", 500), ("timeElapsed", 12_000)]),
    );
    // Cross-field checks of other games.
    let mut h = game_day(GameType::ReactionTime, 2, 0);
    start_game(&mut h);
    h.ok("p1", arcade_start(GameType::ReactionTime));
    h.now += 50_000;
    h.reject(
        "p1",
        arcade_result(
            GameType::ReactionTime,
            &[("avgReactionMs", 50), ("roundsCompleted", 5)],
        ),
        "INVALID_SCORE",
    );
    h.reject(
        "p1",
        arcade_result(
            GameType::ReactionTime,
            &[("avgReactionMs", 5_000), ("roundsCompleted", 20)],
        ),
        "INVALID_SCORE",
    );
    h.ok(
        "p1",
        arcade_result(
            GameType::ReactionTime,
            &[("avgReactionMs", 240), ("roundsCompleted", 9)],
        ),
    );
    let f = h.ok("p1", submit());
    assert_eq!(player_results(&f), vec![("p1".into(), 12, 3, false)]);
    h.check_replay();
}

#[test]
fn the_deadline_credits_awaiting_runs_and_retry_fallbacks() {
    let mut h = game_day(GameType::Stacker, 4, 0);
    start_game(&mut h);
    let s = GameType::Stacker;
    h.reject(
        "p1",
        arcade_result(s, &[("height", 9), ("perfectLayers", 10)]),
        "WRONG_GAME_STAGE",
    );
    // p1: a result left awaiting a decision.
    h.ok("p1", arcade_start(s));
    h.ok(
        "p1",
        arcade_result(s, &[("height", 9), ("perfectLayers", 6)]),
    );
    // p2: a result, then a retry left unfinished: the first result is the fallback.
    h.ok("p2", arcade_start(s));
    h.reject(
        "p2",
        arcade_result(s, &[("height", 9), ("perfectLayers", 10)]),
        "INVALID_SCORE",
    );
    h.ok(
        "p2",
        arcade_result(s, &[("height", 20), ("perfectLayers", 3)]),
    );
    h.ok("p2", retry());
    // p3: started, never reported. p4: never started.
    h.ok("p3", arcade_start(s));
    let f = end_game(&mut h);
    let (Summary::Arcade(sum), true) = result_in(&f).expect("forced") else {
        panic!("arcade")
    };
    assert_eq!(
        player_results(&f),
        vec![("p1".into(), 9, 2, true), ("p2".into(), 15, 1, true)],
        "both credited, by the deadline (silver capped at 15)"
    );
    assert_eq!(
        game_silver(&f, s),
        vec![("p1".into(), 9), ("p2".into(), 15)]
    );
    assert_eq!(pool_deltas(&f), vec![2, 1]);
    assert_eq!(sum.gold_contribution, 3);
    let rows: Vec<(String, u64, bool)> = sum
        .players
        .iter()
        .map(|r| (r.player_id.clone(), r.silver, r.auto))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("p1".into(), 9, true),
            ("p2".into(), 15, true),
            ("p3".into(), 0, false),
            ("p4".into(), 0, false)
        ]
    );
    h.reject("p3", submit(), "NO_GAME");
    h.check_replay();
}

#[test]
fn the_game_ends_early_once_every_alive_player_submitted() {
    let mut h = game_day(GameType::Recall, 3, 0);
    h.admin(Command::EliminatePlayer {
        player_id: "p3".into(),
        reason: None,
    });
    start_game(&mut h);
    let GameRun::Arcade(a) = &active(&h).run else {
        panic!("arcade")
    };
    assert_eq!(a.players.len(), 2, "alive players only");
    h.reject("p3", arcade_start(GameType::Recall), "PLAYER_ELIMINATED");
    let r = GameType::Recall;
    for p in ["p1", "p2"] {
        h.ok(p, arcade_start(r));
    }
    h.now += 80_000;
    h.reject(
        "p1",
        arcade_result(r, &[("tiles", 50), ("highestSize", 5), ("fullClear", 1)]),
        "INVALID_SCORE",
    );
    h.ok(
        "p1",
        arcade_result(r, &[("tiles", 86), ("highestSize", 6), ("fullClear", 1)]),
    );
    h.ok("p2", arcade_result(r, &[("tiles", 1)]));
    let f = h.ok("p1", submit());
    assert_eq!(
        player_results(&f),
        vec![("p1".into(), 30, 1, false)],
        "RECALL caps at 30"
    );
    assert!(running(&h));
    let f = h.ok("p2", submit());
    assert_eq!(player_results(&f), vec![("p2".into(), 1, 0, false)]);
    let (_, forced) = result_in(&f).expect("the last submit completes the game");
    assert!(!forced);
    h.check_replay();
}

#[test]
fn results_are_private_until_the_viewer_has_completed() {
    let mut h = game_day(G, 3, 0);
    start_game(&mut h);
    for p in ["p1", "p2"] {
        h.ok(p, arcade_start(G));
    }
    h.now += 45_000;
    h.ok("p1", arcade_result(G, &[("distance", 4321)]));
    only_seen_by(&h, 3, "\"distance\":4321", &["p1"]);
    h.ok("p1", submit());
    only_seen_by(&h, 3, "\"distance\":4321", &["p1"]);
    let v = game_view(&h, "p2");
    assert!(v["leaderboard"].is_null(), "p2 has not completed");
    assert_eq!(v["progress"][0]["stage"], "COMPLETED", "progress is public");
    h.ok("p2", arcade_result(G, &[("distance", 300)]));
    h.ok("p2", submit());
    // Now p2 sees the leaderboard of completed players (silver only).
    let board = &game_view(&h, "p2")["leaderboard"];
    assert_eq!(board[0]["playerId"], "p1");
    assert_eq!(board[0]["silver"], 15);
    assert!(!game_view(&h, "p3")["leaderboard"].is_array());
    end_game(&mut h);
    // After the game the scores are public.
    assert!(h.view("p3")["games"]["results"]
        .to_string()
        .contains("4321"));
    h.check_replay();
}

#[test]
fn every_arcade_game_runs_and_rewards_by_its_table() {
    use pecking_order::engine::games::GameType::*;
    // (game, fields of a good run, expected silver, expected gold)
    type Row = (GameType, Vec<(&'static str, u64)>, u64, u64);
    let table: Vec<Row> = vec![
        (GapRun, vec![("distance", 900)], 9, 1),
        (GridPush, vec![("bankedTotal", 60)], 12, 2),
        (Sequence, vec![("correctRounds", 7)], 14, 2),
        (SimonSays, vec![("roundsCompleted", 9)], 15, 3),
        (
            ReactionTime,
            vec![("avgReactionMs", 190), ("roundsCompleted", 3)],
            15,
            1,
        ),
        (ColorMatch, vec![("correctAnswers", 11)], 11, 2),
        (Stacker, vec![("height", 4), ("perfectLayers", 4)], 4, 1),
        (QuickMath, vec![("correctAnswers", 8), ("streak", 6)], 10, 2),
        (AimTrainer, vec![("score", 130)], 13, 2),
        (
            Shockwave,
            vec![("wavesCleared", 30), ("nearMisses", 12)],
            12,
            2,
        ),
        (Orbit, vec![("transfers", 12), ("perfectCaptures", 6)], 8, 1),
        (BeatDrop, vec![("score", 3_000), ("accuracyPct", 100)], 9, 1),
        (Inflate, vec![("score", 1_300), ("perfectBanks", 4)], 7, 1),
        (Snake, vec![("score", 20), ("finalLength", 9)], 8, 1),
        (Flappy, vec![("score", 30), ("coinsCollected", 10)], 12, 2),
        (ColorSort, vec![("score", 150), ("solved", 1)], 12, 1),
        (Blink, vec![("score", 99)], 9, 1),
        (Recall, vec![("tiles", 9), ("highestSize", 3)], 6, 0),
    ];
    assert_eq!(table.len(), 18);
    for (g, fields, silver, gold) in table {
        let mut h = game_day(g, 2, 0);
        start_game(&mut h);
        h.ok("p1", arcade_start(g));
        h.now += 200_000;
        h.ok("p1", arcade_result(g, &fields));
        let f = h.ok("p1", submit());
        assert_eq!(
            player_results(&f),
            vec![("p1".into(), silver, gold, false)],
            "{g:?}"
        );
        h.check_replay();
    }
}
