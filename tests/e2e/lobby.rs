//! The prototype lobby's own payloads under `wrangler dev` (docs/protocol.md, "The prototype
//! lobby"): the three captured `/init` bodies (tests/fixtures/lobby/) and its `…/player-joined`
//! bodies create games that play to a winner; a token minted the way the lobby mints it opens a
//! socket; a player's gold is their D1 wallet.
//!
//! Run after `make build`: `cargo test --features e2e --test e2e lobby::`.
#![cfg(feature = "e2e")]

use crate::support::{self, Connected, WranglerDev};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn fixture(name: &str) -> Value {
    let path = support::repo_root().join("tests/fixtures/lobby").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// As `signGameToken` does (jose `SignJWT`, header `{"alg":"HS256"}`, `iat`, `personaName`).
fn lobby_token(secret: &str, game: &str, player: &str) -> String {
    let iat = now_ms() / 1000;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256"}"#);
    let claims = json!({"sub": format!("user-{player}"), "gameId": game, "playerId": player,
                        "personaName": "Bella Rossi", "iat": iat, "exp": iat + 21 * 86_400});
    let input = format!("{header}.{}", URL_SAFE_NO_PAD.encode(claims.to_string()));
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(input.as_bytes());
    format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}

/// Moves every timeline `time` so that the first is `at` and minutes become seconds.
fn compress_times(v: &mut Value, first: i64, at: i64) {
    match v {
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                if k == "time" {
                    if let Some(t) = x
                        .as_str()
                        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                    {
                        let ms = at + (t.timestamp_millis() - first) / 60;
                        *x = json!(chrono::DateTime::from_timestamp_millis(ms)
                            .unwrap()
                            .to_rfc3339());
                    }
                } else {
                    compress_times(x, first, at);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| compress_times(x, first, at)),
        _ => {}
    }
}

fn join_players(dev: &WranglerDev, game: &str) {
    for body in fixture("player-joined.json").as_array().unwrap() {
        let r = dev.post(
            &format!("/parties/game-server/{game}/player-joined"),
            &body.to_string(),
        );
        assert_eq!(r.status, 200, "{}", r.text());
    }
}

/// ADMIN scheduling: the operator opens and closes each day's vote and moves the game on.
fn drive_admin(dev: &WranglerDev, game: &str) {
    for _ in 0..20 {
        if dev.state(game)["lifecycle"] != "ACTIVE" {
            return;
        }
        dev.admin(game, json!({ "type": "NEXT_STAGE" }));
        if dev.state(game)["phase"] == "DAY" {
            for action in ["OPEN_VOTING", "CLOSE_VOTING"] {
                dev.admin(
                    game,
                    json!({ "type": "INJECT_TIMELINE_EVENT", "action": action }),
                );
            }
        }
    }
    panic!("{game} never ended: {}", dev.state(game));
}

fn wait_completed(dev: &WranglerDev, game: &str, secs: u64) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if dev.state(game)["lifecycle"] != "ACTIVE" {
            return;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    panic!("{game} never ended: {}", dev.state(game));
}

fn assert_winner(dev: &WranglerDev, game: &str) {
    let st = dev.state(game);
    assert_eq!(st["lifecycle"], "COMPLETED", "{st}");
    assert!(st["winner"].is_string(), "a winner: {st}");
}

#[test]
fn the_lobbys_three_payloads_play_to_a_winner_and_its_tokens_open_sockets() {
    let dev = WranglerDev::start();
    dev.d1_query(
        "INSERT INTO wallets (real_user_id, gold, updated_at_ms) VALUES ('user-1', 25, 0)",
    );

    // 1. startDebugGame: STATIC, ADMIN scheduling (DEBUG_PECKING_ORDER), a keyed roster.
    let game = "game-lobby-debug";
    dev.create(game, &fixture("static-debug.init.json").to_string());
    match support::connect(
        dev.port,
        game,
        Some(&lobby_token(&dev.token_secret, game, "p1")),
    ) {
        Connected::Open(p) => assert_eq!(p.frames[0]["type"], "SYSTEM.SYNC"),
        Connected::Closed(c) => panic!("the lobby's token was closed with {c:?}"),
        Connected::Refused(s) => panic!("the lobby's token was refused with {s}"),
    }
    drive_admin(&dev, game);
    assert_winner(&dev, game);

    // 2. createGame with a per-day config: STATIC, PRE_SCHEDULED, an empty roster, then joins.
    let game = "game-lobby-cc";
    let mut body = fixture("cc-static.init.json");
    let first = chrono::DateTime::parse_from_rfc3339(
        body["manifest"]["days"][0]["timeline"][0]["time"]
            .as_str()
            .unwrap(),
    )
    .unwrap()
    .timestamp_millis();
    compress_times(&mut body, first, now_ms() + 8_000);
    dev.create(game, &body.to_string());
    join_players(&dev, game);
    let st = dev.state(game);
    let gold: Vec<Value> = st["roster"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["gold"].clone())
        .collect();
    assert_eq!(gold[0], 25, "user-1's wallet: {st}");
    wait_completed(&dev, game, 120);
    assert_winner(&dev, game);
    let late = dev.post(
        &format!("/parties/game-server/{game}/player-joined"),
        r#"{"playerId":"p9","realUserId":"u9","personaName":"Late"}"#,
    );
    assert_eq!(late.status, 409, "{}", late.text());

    // 3. buildCCDefaultInitPayload: DYNAMIC, ADMIN scheduling, empty roster, then joins.
    let game = "game-lobby-dynamic";
    dev.create(game, &fixture("dynamic-default.init.json").to_string());
    join_players(&dev, game);
    drive_admin(&dev, game);
    assert_winner(&dev, game);

    // A lobby mistake changes nothing: 400 with the path, no room.
    let mut bad = fixture("dynamic-default.init.json");
    bad["manifest"]["minPlayers"] = json!(1);
    let r = dev.post("/parties/game-server/game-lobby-bad/init", &bad.to_string());
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(
        r.json()["error"]["fields"][0]["path"],
        "manifest.minPlayers"
    );
    let r = dev.get("/parties/game-server/game-lobby-bad/state");
    assert_eq!(r.status, 404, "{}", r.text());
}

/// Issue 15, "Pregame": before day 1 MAIN chat is open, and a player's first connection reveals
/// one of their Q&A answers to everyone; day 1 starts with an empty chat.
#[test]
fn pregame_chat_and_an_auto_revealed_answer_are_seen_by_everyone() {
    let dev = WranglerDev::start();
    let game = "game-lobby-pregame";
    dev.create(game, &fixture("dynamic-default.init.json").to_string());
    join_players(&dev, game);
    // p3 brought no answers: connecting reveals nothing.
    let mut p3 = dev.join(game, "p3");
    assert!(p3.frames[0]["state"].get("qaRevealed").is_none());
    // p2 brought one answer: their first connection reveals it, to p3 too.
    let _p2 = dev.join(game, "p2");
    let sync =
        p3.wait_for(|f| f["type"] == "SYSTEM.SYNC" && f["state"].get("qaRevealed").is_some());
    let revealed = &sync["state"]["qaRevealed"][0];
    assert_eq!(revealed["playerId"], "p2");
    assert_eq!(revealed["question"], "Dream vacation?");
    assert_eq!(revealed["answer"], "A silent retreat");
    // MAIN chat is open in the pregame.
    let mut p1 = dev.join(game, "p1");
    let ack = p1.act(json!({ "type": "SOCIAL.SEND_MSG", "content": "hello before day 1" }));
    assert_eq!(ack["type"], "ACK", "{ack}");
    let sync = p3.wait_for(|f| {
        f["type"] == "SYSTEM.SYNC"
            && f["state"]["chat"]
                .as_array()
                .is_some_and(|c| c.iter().any(|m| m["content"] == "hello before day 1"))
    });
    assert_eq!(sync["state"]["phase"], "PRE_GAME");
    // Day 1 does not carry the pregame chat; the revealed answers stay.
    dev.admin(game, json!({ "type": "NEXT_STAGE" }));
    let st = dev.state(game);
    assert_eq!(st["phase"], "DAY", "{st}");
    assert_eq!(st["chat"].as_array().map(Vec::len), Some(0), "{st}");
    assert!(
        st["qaRevealed"].as_array().is_some_and(|a| a.len() >= 2),
        "{st}"
    );
}

/// One call the stub lobby received, and what it answered.
#[derive(Clone, Debug)]
struct LobbyHit {
    path: String,
    authorization: String,
    body: Value,
    answered: u16,
}

/// A small local lobby that records `POST /api/internal/game-status` calls and answers 503 to
/// the first `down_for` of them (a lobby that is down for a while), 200 after.
fn stub_lobby(down_for: usize) -> (String, std::sync::Arc<std::sync::Mutex<Vec<LobbyHit>>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = std::sync::Arc::new(std::sync::Mutex::new(Vec::<LobbyHit>::new()));
    let recorded = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let path = line
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_string();
            let (mut length, mut authorization) = (0usize, String::new());
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                    break;
                }
                let (k, v) = h.split_once(':').unwrap_or((&h, ""));
                match k.trim().to_ascii_lowercase().as_str() {
                    "content-length" => length = v.trim().parse().unwrap_or(0),
                    "authorization" => authorization = v.trim().to_string(),
                    _ => {}
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let mut hits = recorded.lock().unwrap();
            let answered = if hits.len() < down_for { 503 } else { 200 };
            hits.push(LobbyHit {
                path,
                authorization,
                body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                answered,
            });
            drop(hits);
            let reason = if answered == 200 {
                "OK"
            } else {
                "Service Unavailable"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {answered} {reason}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
            );
        }
    });
    (url, hits)
}

fn wait_hits(hits: &std::sync::Mutex<Vec<LobbyHit>>, what: &str, ok: impl Fn(&[LobbyHit]) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if ok(&hits.lock().unwrap()) {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("{what}: {:?}", hits.lock().unwrap());
}

/// Issue 14, item 2: the lobby hears IN_PROGRESS and COMPLETED exactly once each, although it
/// is down for the first calls; the room never waits for it.
#[test]
fn the_lobby_hears_in_progress_and_completed_once_each_through_an_outage() {
    let (url, hits) = stub_lobby(2);
    let dev = WranglerDev::start_with_vars(&[("LOBBY_HOST", &url)]);
    let game = "game-lobby-callbacks";
    dev.create(game, &fixture("dynamic-default.init.json").to_string());
    join_players(&dev, game);
    std::thread::sleep(Duration::from_secs(2));
    assert!(hits.lock().unwrap().is_empty(), "nothing owed in pregame");
    // Day 1: the answer does not wait for the lobby.
    let t = Instant::now();
    dev.admin(game, json!({ "type": "NEXT_STAGE" }));
    assert!(t.elapsed() < Duration::from_secs(4), "{:?}", t.elapsed());
    let delivered = |h: &[LobbyHit], s: &str| {
        h.iter()
            .filter(|x| x.answered == 200 && x.body["status"] == s)
            .count()
    };
    wait_hits(&hits, "IN_PROGRESS delivered", |h| {
        delivered(h, "IN_PROGRESS") == 1
    });
    drive_admin(&dev, game);
    assert_winner(&dev, game);
    wait_hits(&hits, "COMPLETED delivered", |h| {
        delivered(h, "COMPLETED") == 1
    });
    std::thread::sleep(Duration::from_secs(5));
    let h = hits.lock().unwrap().clone();
    assert_eq!(delivered(&h, "IN_PROGRESS"), 1, "{h:?}");
    assert_eq!(delivered(&h, "COMPLETED"), 1, "{h:?}");
    assert_eq!(h.iter().filter(|x| x.answered == 503).count(), 2, "{h:?}");
    for x in &h {
        assert_eq!(x.path, "/api/internal/game-status");
        assert_eq!(x.authorization, dev.bearer());
        assert_eq!(x.body["gameId"], game);
    }
    assert_eq!(h.len(), 4, "2 refused, then one of each: {h:?}");
}

/// The console's task list, `GET …/scheduled-tasks` (docs/protocol.md): the admin LIST_TASKS
/// queue with the prototype's `{count, tasks: [{id, time}]}`; bearer only; its flush (POST) drops
/// every task, journaled as ADMIN.FLUSH_TASKS.
#[test]
fn the_consoles_scheduled_tasks_list_is_the_task_queue() {
    let dev = WranglerDev::start();
    let game = "game-lobby-tasks";
    let mut body = fixture("cc-static.init.json");
    let first = chrono::DateTime::parse_from_rfc3339(
        body["manifest"]["days"][0]["timeline"][0]["time"]
            .as_str()
            .unwrap(),
    )
    .unwrap()
    .timestamp_millis();
    // Far enough ahead that nothing fires during the test.
    compress_times(&mut body, first, now_ms() + 3_600_000);
    dev.create(game, &body.to_string());
    let path = format!("/parties/game-server/{game}/scheduled-tasks");
    let r = dev.get(&path);
    assert_eq!(r.status, 200, "{}", r.text());
    let listed = r.json();
    let queue = dev.admin(game, json!({ "type": "LIST_TASKS" }));
    let tasks = listed["tasks"].as_array().unwrap();
    let queue = queue["tasks"].as_array().unwrap();
    assert!(!tasks.is_empty(), "{listed}");
    assert_eq!(listed["count"], tasks.len());
    assert_eq!(tasks.len(), queue.len());
    for (t, q) in tasks.iter().zip(queue) {
        assert_eq!(t["id"], q["taskId"]);
        assert_eq!(t["dueMs"], q["dueMs"]);
        assert_eq!(t["action"], q["action"]);
        assert_eq!(
            t["time"].as_i64().unwrap(),
            q["dueMs"].as_i64().unwrap() / 1000
        );
    }
    // No bearer: 401; PUT: 405, nothing changed.
    let r = dev.request("GET", &path, None, None).unwrap();
    assert_eq!(r.status, 401, "{}", r.text());
    let r = dev
        .request("PUT", &path, Some(&dev.bearer()), Some(b"{}"))
        .unwrap();
    assert_eq!(r.status, 405, "{}", r.text());
    assert_eq!(dev.get(&path).json(), listed);
    // The prototype's flush (POST, without a bearer refused): every task dropped.
    let flush = format!("/parties/game-server/{game}/flush-tasks");
    let r = dev.request("POST", &flush, None, Some(b"")).unwrap();
    assert_eq!(r.status, 401, "{}", r.text());
    let r = dev.post(&path, "");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["verdict"], "ACCEPTED");
    let after = dev.get(&path).json();
    assert_eq!(after["count"], 0, "{after}");
    assert_eq!(dev.post(&flush, "").status, 200);
}
