//! TOUCH_SCREEN through the room, LIVE and SOLO: READY, the countdown, TOUCH / RELEASE on the
//! server's clock, the ranking (hand-computed, ties included), a hold that never ends, refusals,
//! no other player's times on any frame before the result, and replay (whole, snapshot + tail,
//! a room rebuilt mid-hold).

use crate::common;
use crate::games_support;

use common::*;
use games_support::*;
use pecking_order::engine::fact::Fact;
use pecking_order::engine::games::touch_screen::{
    rank, TsPhase, COUNTDOWN_MS, MAX_HOLD_MS, READY_MS,
};
use pecking_order::engine::games::{GameRun, GameType, Summary};
use pecking_order::engine::timeline::Action;
use pecking_order::engine::Command;
use pecking_order::room::Room;
use serde_json::{json, Value};

const G: GameType = GameType::TouchScreen;
use pecking_order::engine::games::touch_screen::Command as Ts;

fn cmd(c: Ts) -> Command {
    Command::from(c)
}

fn day(mode: &str, players: usize) -> H {
    let mut h = H::day1(
        vec![
            json!({ "gameType": "TOUCH_SCREEN", "gameMode": mode }),
            json!({}),
        ],
        players,
    );
    start_game(&mut h);
    h
}

fn game(h: &H) -> &pecking_order::engine::games::touch_screen::TouchScreen {
    match &active(h).run {
        GameRun::TouchScreen(g) => g,
        other => panic!("not touch screen: {other:?}"),
    }
}

fn ok_at(h: &mut H, at_ms: i64, actor: &str, c: Ts) -> Vec<Fact> {
    h.now = at_ms - 1_000;
    h.ok(actor, cmd(c))
}

fn reject_at(h: &mut H, at_ms: i64, actor: &str, c: Ts, code: &str) {
    h.now = at_ms - 1_000;
    h.reject(actor, cmd(c), code);
}

fn fire(h: &mut H, at_ms: i64) -> Vec<Fact> {
    h.now = at_ms;
    let entries = h.room.fire_due(at_ms, 10);
    let mut facts = Vec::new();
    for e in &entries {
        let f: Vec<Fact> = serde_json::from_str(&e.facts).unwrap();
        facts.extend(f);
    }
    h.journal.extend(entries);
    facts
}

fn timer(h: &H) -> Option<i64> {
    h.st()
        .tasks
        .iter()
        .find(|t| t.action == Action::GameTimer)
        .map(|t| t.due_ms)
}

fn ranking(f: &[Fact]) -> Vec<(String, u32, i64, u64)> {
    let Some((Summary::TouchScreen(s), _)) = result_in(f) else {
        panic!("no TOUCH_SCREEN result in {f:?}")
    };
    s.ranking
        .iter()
        .map(|r| (r.player_id.clone(), r.rank, r.hold_ms, r.silver))
        .collect()
}

/// Each frame: players show only id and status; `mine` is the viewer's own; nobody else's
/// times appear.
fn check_frame(h: &H, players: usize) {
    let Some(a) = h.st().games.active.as_ref() else {
        return;
    };
    let GameRun::TouchScreen(g) = &a.run else {
        return;
    };
    let mut viewers: Vec<Option<String>> = (1..=players).map(|i| Some(format!("p{i}"))).collect();
    viewers.push(None);
    for v in viewers {
        let view: Value = h.room.projection(v.as_deref());
        let act = &view["games"]["active"];
        for p in act["players"].as_array().unwrap() {
            let keys: Vec<&String> = p.as_object().unwrap().keys().collect();
            assert_eq!(keys, vec!["playerId", "status"]);
        }
        let me = v
            .as_deref()
            .and_then(|v| g.players.iter().find(|p| p.player_id == v));
        match me {
            Some(me) => {
                assert_eq!(act["mine"]["touchAtMs"].as_i64(), me.touch_at_ms);
                assert_eq!(act["mine"]["releaseAtMs"].as_i64(), me.release_at_ms);
            }
            None => assert!(act["mine"].is_null()),
        }
        // Another player's touch time appears nowhere in the running game's view but `mine`.
        let mut rest = act.clone();
        rest.as_object_mut().unwrap().remove("mine");
        let text = rest.to_string();
        for p in &g.players {
            if let Some(t) = p.touch_at_ms {
                if t != g.phase_started_at_ms {
                    assert!(!text.contains(&t.to_string()), "a touch time leaked");
                }
            }
        }
    }
}

#[test]
fn ranks_are_shared_on_ties_and_silver_follows_the_table() {
    let holds = |v: &[(&str, i64)]| -> Vec<(String, i64)> {
        v.iter().map(|(p, ms)| (p.to_string(), *ms)).collect()
    };
    let r: Vec<(String, u32, u64)> = rank(&holds(&[
        ("a", 4_000),
        ("b", 9_000),
        ("c", 4_000),
        ("d", 1_000),
        ("e", 500),
    ]))
    .into_iter()
    .map(|r| (r.player_id, r.rank, r.silver))
    .collect();
    assert_eq!(
        r,
        vec![
            ("b".into(), 1, 15),
            ("a".into(), 2, 10),
            ("c".into(), 2, 10),
            ("d".into(), 4, 3),
            ("e".into(), 5, 3)
        ]
    );
}

/// LIVE, four players, p4 never ready. Holds: p1 10 000 ms, p2 9 500 ms (stopped when p1's
/// release leaves only p2 holding), p3 5 000 ms. Silver 15 / 10 / 7; gold floor(24 500 / 5000)
/// = 4 to the pool; SHIELD to p1.
#[test]
fn live_round_ranks_holds_computed_by_hand() {
    let mut h = day("LIVE", 4);
    let t0 = game(&h).phase_started_at_ms;
    assert_eq!(game(&h).phase, TsPhase::Ready);
    assert_eq!(timer(&h), Some(t0 + READY_MS));
    check_frame(&h, 4);
    reject_at(&mut h, t0 + 500, "p1", Ts::Touch {}, "WRONG_GAME_STAGE");
    for (k, p) in ["p1", "p2", "p3"].iter().enumerate() {
        ok_at(&mut h, t0 + 1_000 * (k as i64 + 1), p, Ts::Ready {});
        check_frame(&h, 4);
    }
    reject_at(&mut h, t0 + 4_000, "p1", Ts::Ready {}, "ALREADY_SUBMITTED");
    reject_at(&mut h, t0 + 4_000, "p1", Ts::Start {}, "WRONG_GAME_STAGE");
    // READY closes at its deadline (p4 never came): the countdown starts at the firing.
    let t = t0 + READY_MS + 200;
    fire(&mut h, t);
    assert_eq!(game(&h).phase, TsPhase::Countdown);
    assert_eq!(timer(&h), Some(t + COUNTDOWN_MS));
    reject_at(&mut h, t + 1, "p4", Ts::Ready {}, "WRONG_GAME_STAGE");
    reject_at(&mut h, t + 1_000, "p1", Ts::Touch {}, "TOO_EARLY");
    reject_at(&mut h, t + 1_000, "p1", Ts::Release {}, "WRONG_GAME_STAGE");
    reject_at(&mut h, t + COUNTDOWN_MS, "p4", Ts::Touch {}, "NOT_IN_GAME");
    let o = t + COUNTDOWN_MS;
    // The countdown's end is judged by the entry's time, even before its timer fired.
    ok_at(&mut h, o, "p1", Ts::Touch {});
    check_frame(&h, 4);
    reject_at(&mut h, o + 100, "p1", Ts::Touch {}, "ALREADY_SUBMITTED");
    ok_at(&mut h, o + 500, "p2", Ts::Touch {});
    check_frame(&h, 4);
    ok_at(&mut h, o + 1_000, "p3", Ts::Touch {});
    check_frame(&h, 4);
    assert_eq!(game(&h).phase, TsPhase::Hold);
    assert_eq!(timer(&h), Some(o + MAX_HOLD_MS));
    ok_at(&mut h, o + 6_000, "p3", Ts::Release {});
    check_frame(&h, 4);
    reject_at(&mut h, o + 6_500, "p3", Ts::Release {}, "WRONG_GAME_STAGE");
    assert!(running(&h));
    let f = ok_at(&mut h, o + 10_000, "p1", Ts::Release {});
    assert!(!running(&h));
    assert_eq!(timer(&h), None);
    assert_eq!(
        ranking(&f),
        vec![
            ("p1".into(), 1, 10_000, 15),
            ("p2".into(), 2, 9_500, 10),
            ("p3".into(), 3, 5_000, 7)
        ]
    );
    assert_eq!(
        game_silver(&f, G),
        vec![("p1".into(), 15), ("p2".into(), 10), ("p3".into(), 7)]
    );
    assert_eq!(pool_deltas(&f), vec![4]);
    assert!(f
        .iter()
        .any(|x| matches!(x, Fact::GameEffect { player_id, .. } if player_id == "p1")));
    h.check_replay();
}

#[test]
fn live_holds_that_never_end_stop_at_the_cap_and_tie() {
    let mut h = day("LIVE", 3);
    let t0 = game(&h).phase_started_at_ms;
    for (k, p) in ["p1", "p2", "p3"].iter().enumerate() {
        ok_at(&mut h, t0 + 1_000 * (k as i64 + 1), p, Ts::Ready {});
    }
    // Everyone ready: the countdown started at p3's READY.
    assert_eq!(game(&h).phase, TsPhase::Countdown);
    let o = t0 + 3_000 + COUNTDOWN_MS;
    fire(&mut h, o);
    assert_eq!(game(&h).phase, TsPhase::Hold);
    ok_at(&mut h, o + 1_000, "p1", Ts::Touch {});
    ok_at(&mut h, o + 1_000, "p2", Ts::Touch {});
    // p3 never touches; p1 and p2 never release: the cap stops both (and the room was rebuilt
    // from its snapshot meanwhile: same timer).
    let cold = Room::from_snapshot(&h.room.snapshot_bytes()).unwrap();
    assert_eq!(cold.alarm_tasks()[0].due_ms, o + MAX_HOLD_MS);
    reject_at(
        &mut h,
        o + MAX_HOLD_MS + 1,
        "p1",
        Ts::Release {},
        "TOO_LATE",
    );
    let f = fire(&mut h, o + MAX_HOLD_MS + 7);
    let hold = MAX_HOLD_MS - 1_000;
    assert_eq!(
        ranking(&f),
        vec![("p1".into(), 1, hold, 15), ("p2".into(), 1, hold, 15)]
    );
    assert_eq!(pool_deltas(&f), vec![(2 * hold / 5_000)]);
    assert!(
        !f.iter().any(|x| matches!(x, Fact::GameEffect { .. })),
        "a tie: no shield"
    );
    h.check_replay();
}

#[test]
fn live_with_nobody_ready_ends_empty() {
    let mut h = day("LIVE", 3);
    let t0 = game(&h).phase_started_at_ms;
    let f = fire(&mut h, t0 + READY_MS);
    assert!(!running(&h));
    assert!(ranking(&f).is_empty());
    assert!(player_results(&f).is_empty());
    h.check_replay();
}

/// SOLO: each on their own clock. p1 holds 2 000 ms, p2 never releases (END_GAME at o2 + 8 000
/// counts 8 000 ms), p3 never starts. p2 15, p1 10; gold floor(10 000 / 5000) = 2.
#[test]
fn solo_players_hold_on_their_own_clocks_and_a_hold_never_released_counts_to_the_end() {
    let mut h = day("SOLO", 3);
    let t0 = game(&h).phase_started_at_ms;
    assert_eq!(timer(&h), None, "nobody is holding");
    reject_at(&mut h, t0 + 500, "p1", Ts::Ready {}, "WRONG_GAME_STAGE");
    reject_at(&mut h, t0 + 500, "p1", Ts::Touch {}, "WRONG_GAME_STAGE");
    ok_at(&mut h, t0 + 1_000, "p1", Ts::Start {});
    reject_at(&mut h, t0 + 1_500, "p1", Ts::Start {}, "ALREADY_SUBMITTED");
    reject_at(&mut h, t0 + 2_000, "p1", Ts::Touch {}, "TOO_EARLY");
    let o1 = t0 + 1_000 + COUNTDOWN_MS;
    ok_at(&mut h, o1, "p1", Ts::Touch {});
    check_frame(&h, 3);
    assert_eq!(timer(&h), Some(o1 + MAX_HOLD_MS));
    ok_at(&mut h, o1 + 2_000, "p1", Ts::Release {});
    assert_eq!(timer(&h), None);
    ok_at(&mut h, o1 + 3_000, "p2", Ts::Start {});
    let o2 = o1 + 3_000 + COUNTDOWN_MS;
    ok_at(&mut h, o2, "p2", Ts::Touch {});
    check_frame(&h, 3);
    h.now = o2 + 8_000 - 1_000;
    let f = end_game(&mut h);
    assert_eq!(
        ranking(&f),
        vec![("p2".into(), 1, 8_000, 15), ("p1".into(), 2, 2_000, 10)]
    );
    assert_eq!(pool_deltas(&f), vec![2]);
    assert_eq!(timer(&h), None);
    h.check_replay();
}

#[test]
fn solo_ends_when_every_alive_player_released() {
    let mut h = day("SOLO", 2);
    let t0 = game(&h).phase_started_at_ms;
    for p in ["p1", "p2"] {
        ok_at(&mut h, t0 + 1_000, p, Ts::Start {});
    }
    let o = t0 + 1_000 + COUNTDOWN_MS;
    ok_at(&mut h, o, "p1", Ts::Touch {});
    ok_at(&mut h, o + 10, "p2", Ts::Touch {});
    ok_at(&mut h, o + 5_000, "p2", Ts::Release {});
    let f = ok_at(&mut h, o + 5_010, "p1", Ts::Release {});
    // p1 held 5 010 ms, p2 5 000 − 10 = 4 990 ms.
    assert_eq!(
        ranking(&f),
        vec![("p1".into(), 1, 5_010, 15), ("p2".into(), 2, 4_990, 10)]
    );
    h.check_replay();
}

#[test]
fn the_mode_defaults_to_live() {
    let mut h = H::day1(vec![json!({ "gameType": "TOUCH_SCREEN" }), json!({})], 3);
    start_game(&mut h);
    assert!(game(&h).live);
}
