//! The live games under `wrangler dev`: a REALTIME_TRIVIA game and a TOUCH_SCREEN LIVE round with
//! four sockets, one reconnecting mid-round, moved on by the room's own alarms (GAME_TIMER tasks)
//! in real time (each test takes well under a minute: questions close as soon as everyone has
//! answered, so only the 3 s results and the 3 s countdown are waited for). Checked: no frame
//! carries an open question's right option or another player's answer; D1 holds the journal and
//! replays to the same result.
//! Run after `make build`: `cargo test --features e2e --test e2e realtime::`.
#![cfg(feature = "e2e")]

use crate::support;

use std::thread;
use std::time::{Duration, Instant};

use pecking_order::journal::{self, Entry};
use serde_json::{json, Value};
use support::{Player, WranglerDev};

fn init(day1: Value) -> String {
    let roster: Vec<Value> = (1..=4)
        .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}") }))
        .collect();
    let mut d1 = day1;
    d1["voteType"] = json!("MAJORITY");
    json!({
        "manifest": { "mode": "PECKING_ORDER", "kind": "STATIC", "scheduling": "ADMIN",
                      "startTime": "2026-12-01T09:00:00Z",
                      "days": [d1, { "voteType": "MAJORITY" }, { "voteType": "FINALS" }] },
        "roster": roster,
    })
    .to_string()
}

fn assert_ack(v: &Value) {
    assert_eq!(v["type"], "ACK", "{v}");
}

fn assert_error(v: &Value, code: &str) {
    assert_eq!(v["type"], "ERROR", "{v}");
    assert_eq!(v["code"], code, "{v}");
}

fn active(v: &Value) -> &Value {
    &v["state"]["games"]["active"]
}

/// The D1 journal once the outbox drained (checked against the room's chain). The game is
/// abandoned first, which reveals the seed, so the journal replays without it.
fn d1_journal(dev: &WranglerDev, game: &str) -> Vec<Entry> {
    let v = dev.admin(game, json!({ "type": "ABANDON_GAME" }));
    assert_eq!(v["verdict"], "ACCEPTED", "{v}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while dev.state(game)["outboxLag"] != 0 {
        assert!(Instant::now() < deadline, "outbox never drained");
        thread::sleep(Duration::from_millis(200));
    }
    let d1: Vec<Entry> = dev
        .d1_query(&format!(
            "SELECT * FROM journal WHERE game_id = '{game}' ORDER BY seq"
        ))
        .into_iter()
        .map(|row| serde_json::from_value(row).expect("D1 row is an entry"))
        .collect();
    journal::verify(game, &d1).expect("the D1 chain verifies");
    d1
}

/// Waits (polling the operator state) until today's game is over; its result.
fn wait_result(dev: &WranglerDev, game: &str, secs: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let st = dev.state(game);
        if let Some(r) = st["games"]["results"].as_array().and_then(|r| r.first()) {
            return r.clone();
        }
        assert!(Instant::now() < deadline, "the game never ended: {st}");
        thread::sleep(Duration::from_millis(250));
    }
}

/// The result of the game replayed from D1.
fn replayed_result(game: &str, j: &[Entry]) -> Value {
    let r = pecking_order::room::Room::replay(game, j, None).expect("D1 replays");
    r.public_state()["games"]["results"][0].clone()
}

/// Every SYNC a player received while a question was open: no right option of it, no other
/// player's answer.
fn no_trivia_leak(p: &Player, me: &str) {
    for f in p.frames.iter().filter(|f| f["type"] == "SYSTEM.SYNC") {
        let a = active(f);
        if a["gameType"] != "REALTIME_TRIVIA" || a["phase"] != "QUESTION" {
            continue;
        }
        let round = a["round"].as_u64().unwrap();
        for r in a["revealed"].as_array().unwrap() {
            assert!(
                r["round"].as_u64().unwrap() < round,
                "{me} saw round {round} revealed while open"
            );
        }
        assert!(a["question"].get("correctIndex").is_none());
        assert!(a.get("answers").is_none());
    }
}

#[test]
fn a_realtime_trivia_game_with_four_sockets_and_a_reconnect() {
    let dev = WranglerDev::start();
    let game = "rt-trivia-1";
    dev.create(game, &init(json!({ "gameType": "REALTIME_TRIVIA" })));
    let names = ["p1", "p2", "p3", "p4"];
    let mut ps: Vec<Player> = names.iter().map(|p| dev.join(game, p)).collect();
    dev.inject(game, "START_DAY");
    dev.inject(game, "START_GAME");
    let mut old: Vec<Player> = Vec::new();
    for round in 1..=5u64 {
        // Everyone sees the question open (the first at START_GAME, the next by the alarm).
        for p in ps.iter_mut() {
            p.wait_for(|v| {
                v["type"] == "SYSTEM.SYNC"
                    && active(v)["phase"] == "QUESTION"
                    && active(v)["round"] == round
            });
        }
        assert_ack(&ps[0].act(json!({ "type": "GAME.REALTIME_TRIVIA.ANSWER", "answerIndex": 0 })));
        // A second answer, an index out of range: typed errors to that socket only.
        assert_error(
            &ps[0].act(json!({ "type": "GAME.REALTIME_TRIVIA.ANSWER", "answerIndex": 1 })),
            "ALREADY_SUBMITTED",
        );
        assert_error(
            &ps[1].act(json!({ "type": "GAME.REALTIME_TRIVIA.ANSWER", "answerIndex": 7 })),
            "INVALID_ANSWER",
        );
        if round == 2 {
            // p3 reconnects mid-question: its SYNC shows the open question, not answered yet.
            let gone = ps.remove(2);
            old.push(gone);
            let back = dev.join(game, "p3");
            let a = active(&back.frames[0]).clone();
            assert_eq!(a["phase"], "QUESTION", "{a}");
            assert_eq!(a["round"], 2);
            assert!(a["myAnswer"].is_null());
            assert_eq!(a["answered"], json!(["p1"]));
            ps.insert(2, back);
        }
        for (i, p) in ps.iter_mut().enumerate().skip(1) {
            let ans = (round as usize + i) % 4;
            assert_ack(
                &p.act(json!({ "type": "GAME.REALTIME_TRIVIA.ANSWER", "answerIndex": ans })),
            );
        }
        // All four answered: the question closes at once, its result is public.
        for p in ps.iter_mut() {
            p.wait_for(|v| {
                v["type"] == "SYSTEM.SYNC"
                    && active(v)["revealed"]
                        .as_array()
                        .is_some_and(|r| r.len() as u64 == round)
            });
        }
        if round < 5 {
            // The result is shown; an answer now is refused.
            let v = ps[3].act(json!({ "type": "GAME.REALTIME_TRIVIA.ANSWER", "answerIndex": 0 }));
            assert_eq!(v["type"], "ERROR", "{v}");
        }
    }
    let result = wait_result(&dev, game, 30);
    assert_eq!(result["gameType"], "REALTIME_TRIVIA");
    assert_eq!(result["forced"], false);
    for (p, me) in ps.iter().zip(names) {
        no_trivia_leak(p, me);
    }
    for p in &old {
        no_trivia_leak(p, "p3 (first socket)");
    }
    // Every player's silver is what the revealed rounds say, and D1 replays to the same result.
    let summary = &result["summary"]["REALTIME_TRIVIA"];
    for row in summary["players"].as_array().unwrap() {
        let id = row["playerId"].as_str().unwrap();
        let mut silver = 0;
        let mut right = 0;
        for r in summary["rounds"].as_array().unwrap() {
            for a in r["answers"].as_array().unwrap() {
                if a["playerId"] == id {
                    silver += a["silver"].as_u64().unwrap();
                    right += u64::from(a["correct"].as_bool().unwrap());
                }
            }
        }
        if right == 5 {
            silver += 5;
        }
        assert_eq!(row["silver"], silver, "{row}");
    }
    let j = d1_journal(&dev, game);
    assert!(
        j.iter()
            .any(|e| e.typ == "ALARM.FIRE" && e.payload.contains("GAME_TIMER")),
        "the next questions were shown by the GAME_TIMER alarm"
    );
    assert_eq!(replayed_result(game, &j), result);
}

#[test]
fn a_touch_screen_live_round_with_four_sockets_and_a_reconnect() {
    let dev = WranglerDev::start();
    let game = "touch-live-1";
    dev.create(
        game,
        &init(json!({ "gameType": "TOUCH_SCREEN", "gameMode": "LIVE" })),
    );
    let names = ["p1", "p2", "p3", "p4"];
    let mut ps: Vec<Player> = names.iter().map(|p| dev.join(game, p)).collect();
    dev.inject(game, "START_DAY");
    dev.inject(game, "START_GAME");
    let touch = json!({ "type": "GAME.TOUCH_SCREEN.TOUCH" });
    let release = json!({ "type": "GAME.TOUCH_SCREEN.RELEASE" });
    // TOUCH during READY; RELEASE without TOUCH.
    assert_error(&ps[0].act(touch.clone()), "WRONG_GAME_STAGE");
    assert_error(&ps[1].act(release.clone()), "WRONG_GAME_STAGE");
    for p in ps.iter_mut() {
        assert_ack(&p.act(json!({ "type": "GAME.TOUCH_SCREEN.READY" })));
    }
    // Everyone ready: the 3 s countdown runs; a TOUCH now is too early.
    assert_error(&ps[0].act(touch.clone()), "TOO_EARLY");
    // The countdown's end is a GAME_TIMER alarm: everyone sees the HOLD phase.
    for p in ps.iter_mut() {
        p.wait_for(|v| v["type"] == "SYSTEM.SYNC" && active(v)["phase"] == "HOLD");
    }
    for p in ps.iter_mut() {
        assert_ack(&p.act(touch.clone()));
    }
    assert_error(&ps[0].act(touch.clone()), "ALREADY_SUBMITTED");
    // p4 reconnects while holding: its own touch time is in its SYNC; nobody else's is.
    let gone = ps.pop().expect("p4");
    drop(gone);
    let back = dev.join(game, "p4");
    let a = active(&back.frames[0]).clone();
    assert_eq!(a["mine"]["status"], "HOLDING", "{a}");
    assert!(a["mine"]["touchAtMs"].is_i64());
    for p in a["players"].as_array().unwrap() {
        assert_eq!(p.as_object().unwrap().len(), 2, "{p}");
    }
    ps.push(back);
    thread::sleep(Duration::from_millis(300));
    assert_ack(&ps[2].act(release.clone()));
    thread::sleep(Duration::from_millis(300));
    assert_ack(&ps[1].act(release.clone()));
    thread::sleep(Duration::from_millis(300));
    // p1 releases: only p4 still holds, so the round is over.
    assert_ack(&ps[0].act(release.clone()));
    let result = wait_result(&dev, game, 20);
    assert_eq!(result["gameType"], "TOUCH_SCREEN");
    let ranking = result["summary"]["TOUCH_SCREEN"]["ranking"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(ranking.len(), 4);
    // Holds are the server's entry times: release − touch from the journal.
    let j = d1_journal(&dev, game);
    let at = |player: &str, typ: &str| -> i64 {
        j.iter()
            .find(|e| e.actor == player && e.typ == typ && e.verdict.is_accepted())
            .map(|e| e.at_ms)
            .unwrap_or_else(|| panic!("{player} {typ}"))
    };
    for p in ["p1", "p2", "p3"] {
        let hold = at(p, "GAME.TOUCH_SCREEN.RELEASE") - at(p, "GAME.TOUCH_SCREEN.TOUCH");
        let row = ranking.iter().find(|r| r["playerId"] == p).unwrap();
        assert_eq!(row["holdMs"], hold, "{p}");
    }
    // No frame before the result carried another player's touch time.
    for (p, me) in ps.iter().zip(names) {
        for f in p.frames.iter().filter(|f| f["type"] == "SYSTEM.SYNC") {
            let a = active(f);
            if a["gameType"] != "TOUCH_SCREEN" {
                continue;
            }
            for q in a["players"].as_array().unwrap() {
                assert!(q.get("touchAtMs").is_none(), "{me}: {q}");
            }
        }
    }
    assert_eq!(replayed_result(game, &j), result);
}

/// Typing signals reach the channel's other readers and nobody else, and are never journaled
/// (the rate limit is checked on a fake clock in `room::host`'s tests).
#[test]
fn typing_in_a_dm_reaches_only_its_other_member() {
    let dev = WranglerDev::start();
    let game = "typing-1";
    dev.create(game, &init(json!({})));
    let names = ["p1", "p2", "p3", "p4"];
    let mut ps: Vec<Player> = names.iter().map(|p| dev.join(game, p)).collect();
    for a in ["START_DAY", "OPEN_GROUP_CHAT", "OPEN_DMS"] {
        dev.inject(game, a);
    }
    assert_ack(&ps[0].act(json!({ "type": "SOCIAL.SEND_MSG", "content": "hi", "targetId": "p2" })));
    let seq = dev.state(game)["seq"].clone();
    ps[0].send_text(&json!({ "type": "PRESENCE.TYPING", "channelId": "dm:1:1" }).to_string());
    let t = ps[1].wait_for(|v| v["type"] == "PRESENCE.TYPING");
    assert_eq!(t["playerId"], "p1");
    assert_eq!(t["channelId"], "dm:1:1");
    // A non-member is refused; the others hear nothing.
    let v = ps[2].act(json!({ "type": "PRESENCE.TYPING", "channelId": "dm:1:1" }));
    assert_error(&v, "UNKNOWN_CHANNEL");
    for p in ps.iter_mut().skip(2) {
        p.drain(500);
        assert!(
            !p.all_frames_text()
                .contains("\"PRESENCE.TYPING\",\"playerId\""),
            "a non-member heard DM typing"
        );
    }
    assert_eq!(dev.state(game)["seq"], seq, "nothing journaled");
}
