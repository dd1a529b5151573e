//! End-to-end tests of live rooms under `wrangler dev` (real workerd, real local D1, real DO
//! storage, alarms and hibernating WebSockets): players over WebSocket, the outbox to D1, restarts,
//! D1 outages, authentication and bad input (the self-advancing timeline: timeline.rs).
//! Run with `make test`, or after `make build`: `cargo test --features e2e --test e2e live::`.
#![cfg(feature = "e2e")]

use crate::support;
use crate::timeline::fired;

use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use pecking_order::journal::{self, Entry};
use pecking_order::room::token::{mint, Claims};
use serde_json::{json, Value};
use support::{connect, Connected, Player, WranglerDev};

const PLAYERS: [&str; 4] = ["p1", "p2", "p3", "p4"];

fn admin_init(players: usize) -> String {
    let roster: Vec<Value> = (1..=players)
        .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}") }))
        .collect();
    json!({
        "manifest": { "mode": "PECKING_ORDER", "kind": "STATIC", "scheduling": "ADMIN",
                      "startTime": "2026-12-01T09:00:00Z", "schedulePreset": "SMOKE_TEST",
                      "days": [{ "voteType": "MAJORITY" }, { "voteType": "MAJORITY" }, { "voteType": "FINALS" }] },
        "roster": roster,
    })
    .to_string()
}

fn now_s() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn token(secret: &str, game: &str, player: &str, exp: i64) -> String {
    mint(
        secret.as_bytes(),
        &Claims {
            sub: format!("user-{player}"),
            game_id: game.into(),
            player_id: player.into(),
            exp,
        },
    )
}

fn join(dev: &WranglerDev, game: &str, player: &str) -> Player {
    dev.join(game, player)
}

pub(crate) fn create(dev: &WranglerDev, game: &str, body: &str) {
    dev.create(game, body)
}

pub(crate) fn admin(dev: &WranglerDev, game: &str, body: Value) -> Value {
    dev.admin(game, body)
}

fn inject(dev: &WranglerDev, game: &str, action: &str) {
    dev.inject(game, action)
}

pub(crate) fn state(dev: &WranglerDev, game: &str) -> Value {
    dev.state(game)
}

/// The whole journal, page by page (`GET …/journal` follows D1 and the room's own rows).
pub(crate) fn journal_lines(dev: &WranglerDev, game: &str) -> Vec<Entry> {
    dev.journal_pages(game, 1000)
        .0
        .into_iter()
        .map(|l| serde_json::from_value(l).expect("journal line"))
        .collect()
}

fn d1_entries(dev: &WranglerDev, game: &str) -> Vec<Entry> {
    dev.d1_query(&format!(
        "SELECT * FROM journal WHERE game_id = '{game}' ORDER BY seq"
    ))
    .into_iter()
    .map(|row| serde_json::from_value(row).expect("D1 row is an entry"))
    .collect()
}

/// Waits until the outbox is empty, then checks that D1 holds exactly the room's journal:
/// gapless, each seq once, hash chain intact.
pub(crate) fn assert_d1_equals_journal(dev: &WranglerDev, game: &str) -> Vec<Entry> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while state(dev, game)["outboxLag"] != 0 {
        assert!(Instant::now() < deadline, "outbox never drained");
        thread::sleep(Duration::from_millis(200));
    }
    let d1 = d1_entries(dev, game);
    let seqs: Vec<u64> = d1.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=d1.len() as u64).collect::<Vec<_>>(), "gapless");
    let counts = dev.d1_query(&format!(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT seq) AS d FROM journal WHERE game_id = '{game}'"
    ));
    assert_eq!(counts[0]["n"], counts[0]["d"], "each seq exactly once");
    let head = journal::verify(game, &d1).expect("the D1 chain verifies");
    assert_eq!(d1, journal_lines(dev, game), "D1 equals GET …/journal");
    assert_eq!(state(dev, game)["journalHead"], head.to_hex().as_str());
    d1
}

fn chat(text: &str) -> Value {
    json!({ "type": "SOCIAL.SEND_MSG", "content": text })
}

fn assert_ack(v: &Value) -> u64 {
    assert_eq!(v["type"], "ACK", "{v}");
    v["seq"].as_u64().expect("seq")
}

#[test]
fn four_players_chat_transfer_and_vote_with_secrets_kept_and_bad_input_refused() {
    let dev = WranglerDev::start();
    let game = "live-1";
    create(&dev, game, &admin_init(4));
    let mut ps: Vec<Player> = PLAYERS.iter().map(|p| join(&dev, game, p)).collect();
    inject(&dev, game, "START_DAY");
    inject(&dev, game, "OPEN_GROUP_CHAT");
    inject(&dev, game, "OPEN_DMS");

    assert_ack(&ps[0].act(chat("hello everyone")));
    assert_ack(
        &ps[0].act(
            json!({ "type": "SOCIAL.SEND_MSG", "content": "SECRET-DM-1to2", "targetId": "p2" }),
        ),
    );
    assert_ack(&ps[2].act(json!({ "type": "SOCIAL.SEND_SILVER", "targetId": "p4", "amount": 5 })));

    // (f) Bad input: a typed ERROR to that socket only, nothing journaled.
    let seq_before = state(&dev, game)["seq"].clone();
    let big = chat(&"x".repeat(5000)).to_string();
    // (text, code, the bad field's `path` for INVALID_FIELDS)
    let bad: Vec<(String, &str, Option<&str>)> = vec![
        ("{not json".into(), "MALFORMED_JSON", None),
        ("[1,2]".into(), "NOT_AN_OBJECT", None),
        (
            r#"{"type":"VOTE.COIN.FLIP","ref":"b1"}"#.into(),
            "UNKNOWN_TYPE",
            None,
        ),
        (
            r#"{"type":"SOCIAL.SEND_SILVER","targetId":"p1","ref":"b2"}"#.into(),
            "INVALID_FIELDS",
            Some("amount"),
        ),
        (
            r#"{"type":"SOCIAL.SEND_SILVER","targetId":"p1","amount":"5","ref":"b3"}"#.into(),
            "INVALID_FIELDS",
            Some("amount"),
        ),
        (
            r#"{"type":"VOTE.MAJORITY.CAST","targetId":"p1","voterId":"p2","ref":"b4"}"#.into(),
            "INVALID_FIELDS",
            Some("voterId"),
        ),
        (
            r#"{"type":"SOCIAL.SEND_MSG","content":"hi","senderId":"p1","ref":"b5"}"#.into(),
            "INVALID_FIELDS",
            Some("senderId"),
        ),
        (
            r#"{"type":"SOCIAL.SEND_SILVER","targetId":"p2","amount":"x","ref":"b9"}"#.into(),
            "INVALID_FIELDS",
            Some("amount"),
        ),
        (
            r#"{"type":"INTERNAL.END_DAY","ref":"b6"}"#.into(),
            "FORBIDDEN_TYPE",
            None,
        ),
        (
            r#"{"type":"SYSTEM.INIT","manifest":{},"roster":[],"ref":"b7"}"#.into(),
            "FORBIDDEN_TYPE",
            None,
        ),
        (
            r#"{"type":"ADMIN.NEXT_STAGE","ref":"b8"}"#.into(),
            "FORBIDDEN_TYPE",
            None,
        ),
        (big, "MESSAGE_TOO_LARGE", None),
    ];
    for (text, code, path) in &bad {
        ps[3].send_text(text);
        let v = ps[3].wait_for(|v| v["type"] == "ERROR");
        assert_eq!(v["code"], *code, "{text:.80}: {v}");
        assert_eq!(
            v.get("path").and_then(Value::as_str),
            *path,
            "{text:.80}: {v}"
        );
        assert!(v.get("seq").is_none(), "not journaled: {v}");
    }
    assert_eq!(state(&dev, game)["seq"], seq_before, "nothing journaled");
    // The other sockets are unaffected.
    assert_ack(&ps[1].act(chat("still here")));

    // An engine rejection is journaled and answered with its code.
    let rejected = ps[1].act(json!({ "type": "VOTE.MAJORITY.CAST", "targetId": "p3" }));
    assert_eq!(rejected["type"], "ERROR", "{rejected}");
    assert_eq!(rejected["code"], "VOTING_CLOSED", "{rejected}");
    let rseq = rejected["seq"].as_u64().expect("journaled");

    // (b) Votes are secret until the reveal.
    inject(&dev, game, "OPEN_VOTING");
    for (i, target) in ["p4", "p4", "p4", "p3"].iter().enumerate() {
        assert_ack(&ps[i].act(json!({ "type": "VOTE.MAJORITY.CAST", "targetId": target })));
    }
    for p in ps.iter_mut() {
        p.drain(300);
    }
    let before_reveal: Vec<String> = ps.iter().map(Player::all_frames_text).collect();
    inject(&dev, game, "CLOSE_VOTING");
    inject(&dev, game, "END_DAY");

    for (i, text) in before_reveal.iter().enumerate() {
        let me = PLAYERS[i];
        assert!(!text.contains("journalHead"), "{me} was sent journalHead");
        if me != "p1" && me != "p2" {
            assert!(!text.contains("SECRET-DM-1to2"), "{me} saw the DM");
        }
        // p4's vote (p3) is seen by nobody else before the reveal; the others' (p4) by nobody
        // but their voters — no frame to p4 says that anyone's vote is p4.
        if me != "p4" {
            assert!(!text.contains(r#""myVote":"p3""#), "{me} saw p4's vote");
        } else {
            assert!(!text.contains(r#""myVote":"p4""#), "p4 saw a vote for p4");
        }
    }
    for p in ps.iter_mut() {
        p.drain(300);
        assert!(!p.all_frames_text().contains("journalHead"));
    }

    let st = state(&dev, game);
    let p4 = st.to_string();
    assert!(
        p4.contains("ELIMINATED") || p4.contains(r#""alive":false"#),
        "{st}"
    );

    // (a) D1 == GET …/journal, gapless and verified; the rejection is journaled with its verdict.
    let d1 = assert_d1_equals_journal(&dev, game);
    let r = d1.iter().find(|e| e.seq == rseq).expect("rejected entry");
    assert_eq!(r.verdict.to_wire(), "REJECTED:VOTING_CLOSED");
    assert_eq!(r.actor, "p2");
    assert!(d1
        .iter()
        .any(|e| e.typ == "SOCIAL.SEND_SILVER" && e.actor == "p3"));
    assert!(d1.iter().all(|e| !e.payload.contains("voterId")));
    let players = dev.d1_query(&format!(
        "SELECT player_id FROM players WHERE game_id = '{game}' ORDER BY player_id"
    ));
    assert_eq!(players.len(), 4, "{players:?}");

    // A player's own state over HTTP: the projection, no journalHead.
    let t = token(&dev.token_secret, game, "p1", now_s() + 60);
    let mine = dev
        .request(
            "GET",
            &format!("/parties/game-server/{game}/state"),
            Some(&format!("Bearer {t}")),
            None,
        )
        .expect("GET state as p1");
    assert_eq!(mine.status, 200, "{}", mine.text());
    assert!(!mine.text().contains("journalHead"), "{}", mine.text());
}

#[test]
fn bad_tokens_close_with_4003_and_admin_routes_need_the_bearer() {
    let dev = WranglerDev::start();
    let game = "auth-1";
    create(&dev, game, &admin_init(4));
    create(&dev, "auth-2", &admin_init(4));
    let seq = state(&dev, game)["seq"].clone();

    let forged = token("not-the-secret", game, "p1", now_s() + 3600);
    let expired = token(&dev.token_secret, game, "p1", now_s() - 10);
    let other_game = token(&dev.token_secret, "auth-2", "p1", now_s() + 3600);
    let stranger = token(&dev.token_secret, game, "p9", now_s() + 3600);
    let tampered = {
        let t = token(&dev.token_secret, game, "p1", now_s() + 3600);
        let mut parts: Vec<String> = t.split('.').map(String::from).collect();
        let p2 = token(&dev.token_secret, game, "p2", now_s() + 3600);
        parts[1] = p2.split('.').nth(1).unwrap_or_default().to_string();
        // p2's claims under p1's signature.
        parts.join(".")
    };
    for (name, t) in [
        ("missing", None),
        ("empty", Some("")),
        ("garbage", Some("abc")),
        ("forged", Some(forged.as_str())),
        ("expired", Some(expired.as_str())),
        ("another game", Some(other_game.as_str())),
        ("not in the roster", Some(stranger.as_str())),
        ("tampered", Some(tampered.as_str())),
    ] {
        match connect(dev.port, game, t) {
            Connected::Closed(code) => assert_eq!(code, Some(4003), "{name}"),
            Connected::Open(p) => panic!("{name}: accepted, first frame {}", p.frames[0]),
            Connected::Refused(s) => panic!("{name}: refused with {s}, expected a 4003 close"),
        }
    }
    for (path, body) in [
        ("admin", r#"{"type":"NEXT_STAGE"}"#),
        ("player-joined", r#"{"id":"p5","personaName":"E"}"#),
        ("init", "{}"),
    ] {
        let r = dev
            .request(
                "POST",
                &format!("/parties/game-server/{game}/{path}"),
                None,
                Some(body.as_bytes()),
            )
            .expect("POST");
        assert_eq!(r.status, 401, "{path}: {}", r.text());
        let r = dev
            .request(
                "POST",
                &format!("/parties/game-server/{game}/{path}"),
                Some(&format!(
                    "Bearer {}",
                    token(&dev.token_secret, game, "p1", now_s() + 60)
                )),
                Some(body.as_bytes()),
            )
            .expect("POST");
        assert_eq!(
            r.status,
            401,
            "a player token is not the bearer: {path}: {}",
            r.text()
        );
    }
    let r = dev
        .request(
            "GET",
            &format!("/parties/game-server/{game}/state"),
            Some(&format!("Bearer {forged}")),
            None,
        )
        .expect("GET");
    assert_eq!(r.status, 401, "{}", r.text());
    assert_eq!(state(&dev, game)["seq"], seq, "nothing journaled");
    assert_eq!(journal_lines(&dev, game).len(), 1);

    // A valid token still works after all that.
    let _ = join(&dev, game, "p1");

    // A socket does not outlive its token: the first frame after `exp` gets TOKEN_EXPIRED, then
    // the socket is closed with 4003, and nothing is journaled.
    let exp = now_s() + 2;
    let short = token(&dev.token_secret, game, "p2", exp);
    let Connected::Open(mut p2) = connect(dev.port, game, Some(&short)) else {
        panic!("a token valid for 2 s is accepted");
    };
    while now_s() < exp + 1 {
        thread::sleep(Duration::from_millis(200));
    }
    p2.send_text(r#"{"type":"SOCIAL.SEND_MSG","content":"still here?","ref":"late"}"#);
    let code = loop {
        match p2.read() {
            Ok(v) if v["type"] == "ERROR" => {
                assert_eq!(v["code"], "TOKEN_EXPIRED", "{v}");
            }
            Ok(_) => {}
            Err(code) => break code,
        }
    };
    assert_eq!(code, Some(4003));
    assert!(
        p2.frames.is_empty() || p2.frames.iter().all(|f| f["type"] != "ACK"),
        "nothing acknowledged"
    );
    assert_eq!(state(&dev, game)["seq"], seq, "nothing journaled");
}

#[test]
fn sigkill_mid_game_keeps_every_acked_action_and_the_chain_continues() {
    let mut dev = WranglerDev::start();
    let game = "kill-1";
    create(&dev, game, &admin_init(4));
    inject(&dev, game, "START_DAY");
    inject(&dev, game, "OPEN_GROUP_CHAT");
    let mut ps: Vec<Player> = PLAYERS.iter().map(|p| join(&dev, game, p)).collect();
    // Enough entries to cross a compaction (every 64): cold start = snapshot + tail.
    let mut acked = Vec::new();
    for round in 0..18 {
        for (i, p) in ps.iter_mut().enumerate() {
            let seq = assert_ack(&p.act(chat(&format!("m{round}-{i}"))));
            acked.push((seq, PLAYERS[i], format!("m{round}-{i}")));
        }
    }
    let before_state = state(&dev, game);
    let before_journal = journal_lines(&dev, game);
    drop(ps);

    dev.kill_hard();
    dev.start_again();

    let mut after_state = state(&dev, game);
    let mut before = before_state.clone();
    for k in [
        "outboxLag",
        "d1ConfirmedSeq",
        "d1Failures",
        "d1RetryAt",
        "d1Batches",
        "d1BatchedEntries",
        "doJournalRows",
        "doJournalFirstSeq",
        "doStorageBytes",
    ] {
        before.as_object_mut().map(|o| o.remove(k));
        after_state.as_object_mut().map(|o| o.remove(k));
    }
    assert_eq!(
        after_state, before,
        "state after restart equals state before"
    );
    let after_journal = journal_lines(&dev, game);
    assert_eq!(after_journal, before_journal);
    for (seq, actor, text) in &acked {
        let e = &after_journal[(*seq - 1) as usize];
        assert_eq!((e.seq, e.actor.as_str()), (*seq, *actor));
        assert!(e.payload.contains(text.as_str()));
    }
    // The chain continues, gapless.
    let mut p1 = join(&dev, game, "p1");
    let seq = assert_ack(&p1.act(chat("after the restart")));
    assert_eq!(seq, before_journal.len() as u64 + 1);
    let d1 = assert_d1_equals_journal(&dev, game);
    assert_eq!(d1.len() as u64, seq);
}

#[test]
fn d1_outage_the_room_keeps_playing_and_d1_catches_up_exactly_once() {
    let dev = WranglerDev::start();
    let game = "d1-out";
    create(&dev, game, &admin_init(4));
    assert_eq!(
        admin(&dev, game, json!({ "type": "DEV_FAIL_D1", "on": true }))["devFailD1"],
        true
    );
    inject(&dev, game, "START_DAY");
    inject(&dev, game, "OPEN_GROUP_CHAT");
    let mut p1 = join(&dev, game, "p1");
    let mut p2 = join(&dev, game, "p2");
    for i in 0..10 {
        assert_ack(&p1.act(chat(&format!("during the outage {i}"))));
        assert_ack(&p2.act(json!({ "type": "SOCIAL.SEND_SILVER", "targetId": "p1", "amount": 1 })));
    }
    let st = state(&dev, game);
    assert!(st["outboxLag"].as_u64().unwrap_or(0) >= 20, "{st}");
    // Retries are driven by the alarm, with backoff, without any request.
    let failures = st["d1Failures"].as_i64().unwrap_or(0);
    thread::sleep(Duration::from_secs(3));
    let st2 = state(&dev, game);
    assert!(
        st2["d1Failures"].as_i64().unwrap_or(0) > failures,
        "alarm retried: {failures} → {}",
        st2["d1Failures"]
    );
    let in_d1 = d1_entries(&dev, game).len();
    assert!(in_d1 < 20, "D1 was down: {in_d1} rows");

    admin(&dev, game, json!({ "type": "DEV_FAIL_D1", "on": false }));
    let d1 = assert_d1_equals_journal(&dev, game);
    assert_eq!(d1.len(), 23, "init + 2 admin + 20 actions");
}

/// Asserts only what holds at any machine speed: the bucket refills while a slow machine works
/// through the flood, so how many frames get in varies. The exact numbers (burst 20, 10/s, the
/// 20th consecutive refusal closes) are checked on a fake clock in `room::host`'s tests.
#[test]
fn flooding_a_socket_is_rate_limited_then_closed_with_4008() {
    let dev = WranglerDev::start();
    let game = "flood-1";
    create(&dev, game, &admin_init(4));
    let mut p1 = join(&dev, game, "p1");
    let mut p2 = join(&dev, game, "p2");
    let seq = state(&dev, game)["seq"].as_u64().expect("seq");
    for _ in 0..80 {
        p1.send_text(r#"{"type":"SOCIAL.SEND_SILVER","targetId":"p2","amount":1}"#);
    }
    let mut limited = 0;
    // The seqs of the frames that got a journaled reply: an ACK, or an ERROR with a `seq`.
    let mut journaled = Vec::new();
    let code = loop {
        match p1.read() {
            Ok(v) if v["code"] == "RATE_LIMITED" => {
                assert!(
                    v.get("seq").is_none(),
                    "a refused frame is not journaled: {v}"
                );
                limited += 1;
            }
            Ok(v) if v["type"] == "ACK" || (v["type"] == "ERROR" && v.get("seq").is_some()) => {
                journaled.push(v["seq"].as_u64().expect("seq"));
            }
            Ok(_) => {}
            Err(code) => break code,
        }
    };
    // The close comes after 20 refusals in a row, 19 of them answered RATE_LIMITED.
    assert!(
        limited >= 19,
        "the flood was refused: {limited} RATE_LIMITED"
    );
    assert_eq!(code, Some(4008));
    // Nothing over the limit reached the journal: it grew by exactly the frames that got a
    // journaled reply, each one of p1's transfers (refused by the rules: no day has started).
    let after = state(&dev, game)["seq"].as_u64().expect("seq");
    assert_eq!(
        journaled,
        (seq + 1..=after).collect::<Vec<_>>(),
        "{seq} → {after}"
    );
    assert!(!journaled.is_empty() && journaled.len() + limited <= 80);
    eprintln!(
        "flood of 80: {} journaled (seq {seq} → {after}), {limited} RATE_LIMITED, then 4008",
        journaled.len()
    );
    let new: Vec<Entry> = journal_lines(&dev, game)
        .into_iter()
        .filter(|e| e.seq > seq)
        .collect();
    assert_eq!(new.len(), journaled.len());
    assert!(new
        .iter()
        .all(|e| e.actor == "p1" && e.typ == "SOCIAL.SEND_SILVER"));
    // Another player is unaffected.
    let v = p2.act(json!({ "type": "SOCIAL.SEND_SILVER", "targetId": "p1", "amount": 1 }));
    assert!(v["type"] == "ACK" || v["type"] == "ERROR", "{v}");
    assert_eq!(v["seq"], after + 1, "{v}");
}

#[test]
fn player_joined_adds_a_dynamic_player_who_can_then_connect() {
    let dev = WranglerDev::start();
    let game = "dyn-1";
    let init = json!({
        "manifest": { "mode": "PECKING_ORDER", "kind": "DYNAMIC", "scheduling": "ADMIN",
                      "startTime": "2026-12-01T09:00:00Z",
                      "ruleset": { "voting": { "allowed": ["MAJORITY"] } } },
        "roster": [],
    });
    create(&dev, game, &init.to_string());
    // Not in the roster yet: 4003.
    let t = token(&dev.token_secret, game, "p1", now_s() + 3600);
    assert!(matches!(
        connect(dev.port, game, Some(&t)),
        Connected::Closed(Some(4003))
    ));
    let path = format!("/parties/game-server/{game}/player-joined");
    let joined = dev.post(
        &path,
        r#"{"id":"p1","personaName":"Ada","realUserId":"u1"}"#,
    );
    assert_eq!(joined.status, 200, "{}", joined.text());
    assert_eq!(joined.json()["verdict"], "ACCEPTED");
    let again = dev.post(
        &path,
        r#"{"id":"p1","personaName":"Ada","realUserId":"u1"}"#,
    );
    assert_eq!(again.status, 409, "{}", again.text());
    assert!(
        again.json()["verdict"]
            .as_str()
            .is_some_and(|v| v.starts_with("REJECTED:")),
        "{}",
        again.text()
    );
    let seq = state(&dev, game)["seq"].clone();
    let bad = dev.post(&path, "[1]");
    assert_eq!(bad.status, 400, "{}", bad.text());
    // A bad roster entry is refused with its field path before anything is journaled (serde
    // stops at the first structural problem: a wrong type, then an unknown field).
    for (body, field) in [
        (r#"{"id":"p2","personaName":7}"#, "player.personaName"),
        (
            r#"{"id":"p2","personaName":"Bo","team":"red"}"#,
            "player.team",
        ),
    ] {
        let bad = dev.post(&path, body);
        assert_eq!(bad.status, 400, "{}", bad.text());
        let fields = bad.json()["error"]["fields"].to_string();
        assert!(fields.contains(field), "{fields}");
    }
    assert_eq!(state(&dev, game)["seq"], seq, "nothing journaled");
    let p1 = join(&dev, game, "p1");
    assert!(p1.frames[0].to_string().contains("Ada"));
    assert_d1_equals_journal(&dev, game);
    let players = dev.d1_query(&format!(
        "SELECT player_id, real_user_id FROM players WHERE game_id = '{game}'"
    ));
    assert_eq!(
        players,
        vec![json!({ "player_id": "p1", "real_user_id": "u1" })]
    );
}

/// SYNC broadcasts are throttled (one per interval under load), never dropped: after a burst of
/// actions sent without waiting, each is ACKed in order and every socket's last SYNC shows the
/// final state. The ticker narrates each transfer once, and a late socket gets them as history.
#[test]
fn a_burst_of_actions_is_acked_in_order_every_socket_ends_on_the_final_state_and_the_ticker_tells_each(
) {
    let dev = WranglerDev::start();
    let game = "burst-1";
    create(&dev, game, &admin_init(3));
    let mut ps: Vec<Player> = ["p1", "p2", "p3"]
        .iter()
        .map(|p| join(&dev, game, p))
        .collect();
    inject(&dev, game, "START_DAY");
    // Within the default rate-limit burst (20).
    const N: u64 = 15;
    for i in 0..N {
        ps[0].send_text(
            &json!({ "type": "SOCIAL.SEND_SILVER", "targetId": "p2", "amount": 1, "ref": format!("b{i}") })
                .to_string(),
        );
    }
    let mut seqs = Vec::new();
    for i in 0..N {
        seqs.push(assert_ack(&ps[0].reply_to(&format!("b{i}"))));
    }
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "{seqs:?}");
    let silver = |sync: &Value, id: &str| {
        sync["state"]["roster"]
            .as_array()
            .and_then(|r| r.iter().find(|p| p["id"] == id))
            .map(|p| p["silver"].clone())
            .unwrap_or(Value::Null)
    };
    let final_state = |v: &Value| {
        v["type"] == "SYSTEM.SYNC"
            && silver(v, "p1") == json!(50 - N)
            && silver(v, "p2") == json!(50 + N)
    };
    for p in ps.iter_mut() {
        p.wait_for(final_state);
        // Nothing after it undoes it: the last SYNC a socket holds is the final state.
        p.drain(300);
        let last = p
            .frames
            .iter()
            .rev()
            .find(|f| f["type"] == "SYSTEM.SYNC")
            .cloned()
            .unwrap_or(Value::Null);
        assert!(final_state(&last), "{last}");
    }
    let syncs = ps[2]
        .frames
        .iter()
        .filter(|f| f["type"] == "SYSTEM.SYNC")
        .count();
    eprintln!("p3 received {syncs} SYNC frames for {N} actions and the day start");

    // The bystander's ticker told every transfer once, by name, in seq order.
    let told = |frames: &[Value], typ: &str| -> Vec<(u64, String)> {
        let mut lines: Vec<(u64, String)> = frames
            .iter()
            .filter(|f| f["type"] == typ)
            .flat_map(|f| f["lines"].as_array().cloned().unwrap_or_default())
            .map(|l| {
                (
                    l["seq"].as_u64().unwrap_or(0),
                    l["text"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        lines.dedup();
        lines
    };
    let transfer = "Player 1 sent 1 silver to Player 2".to_string();
    let updates = told(&ps[2].frames, "TICKER.UPDATE");
    let expected: Vec<(u64, String)> = seqs.iter().map(|s| (*s, transfer.clone())).collect();
    let got: Vec<(u64, String)> = updates
        .iter()
        .filter(|(_, t)| *t == transfer)
        .cloned()
        .collect();
    assert_eq!(got, expected, "{updates:?}");
    assert!(
        updates.iter().any(|(_, t)| t == "Day 1 has begun"),
        "{updates:?}"
    );
    // A phone that connects now gets today's lines as TICKER.HISTORY right after its SYNC.
    let mut late = join(&dev, game, "p3");
    let history = late.wait_for(|v| v["type"] == "TICKER.HISTORY");
    assert_eq!(late.frames[0]["type"], "SYSTEM.SYNC");
    let history = told(std::slice::from_ref(&history), "TICKER.HISTORY");
    assert_eq!(
        history.first().map(|l| l.1.as_str()),
        Some("Day 1 has begun")
    );
    assert_eq!(history[1..].to_vec(), expected, "{history:?}");

    // Presence: the late socket hears who is online (p3 twice is one player), then that p1 left.
    let online = |v: &Value| -> Vec<String> {
        v["onlinePlayers"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| p.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let all = late.wait_for(|v| v["type"] == "PRESENCE.UPDATE");
    assert_eq!(online(&all), ["p1", "p2", "p3"], "{all}");
    let mut p1 = ps.remove(0);
    p1.ws.close(None).expect("close p1");
    let _ = p1.ws.flush();
    let after = late.wait_for(|v| v["type"] == "PRESENCE.UPDATE");
    assert_eq!(online(&after), ["p2", "p3"], "{after}");
    // Presence is not journaled: the journal ends with the last transfer.
    assert_eq!(state(&dev, game)["seq"], json!(seqs[seqs.len() - 1]));
    assert_d1_equals_journal(&dev, game);
}

/// One Worker serves both modes, chosen by the manifest: a BLITZ room (30-second rounds, no DMs)
/// plays to a winner by alarms alone, and its D1 journal replays to the room's state.
#[test]
fn a_blitz_game_plays_to_a_winner_by_alarms_alone() {
    let dev = WranglerDev::start();
    let game = "blitz-1";
    let start = now_ms() + 3000;
    let at = chrono::DateTime::from_timestamp_millis(start)
        .expect("time")
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let roster: Vec<Value> = (1..=3)
        .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}") }))
        .collect();
    let init = json!({
        "manifest": { "mode": "BLITZ", "scheduling": "PRE_SCHEDULED", "startTime": at, "roundSeconds": 30 },
        "roster": roster,
    });
    create(&dev, game, &init.to_string());
    let mut p1 = join(&dev, game, "p1");
    assert_eq!(p1.frames[0]["state"]["mode"], "BLITZ", "{}", p1.frames[0]);
    // Round 1 starts by alarm; chat is open, DMs are not part of BLITZ.
    p1.wait_for(|v| v["type"] == "SYSTEM.SYNC" && v["state"]["phase"] == "DAY");
    assert_ack(&p1.act(chat("quick, vote!")));
    let dm = p1.act(json!({ "type": "SOCIAL.SEND_MSG", "content": "psst", "targetId": "p2" }));
    assert_eq!(dm["type"], "ERROR", "{dm}");
    assert_eq!(dm["code"], "DMS_CLOSED", "{dm}");
    // Two rounds (3 players → 2 → FINALS) and a winner, with no one voting.
    let deadline = Instant::now() + Duration::from_secs(150);
    let st = loop {
        let st = state(&dev, game);
        if st["winner"].is_string() {
            break st;
        }
        assert!(
            Instant::now() < deadline,
            "no winner yet: phase {} day {}",
            st["phase"],
            st["day"]
        );
        thread::sleep(Duration::from_millis(500));
    };
    assert_eq!(st["mode"], "BLITZ");
    let j = assert_d1_equals_journal(&dev, game);
    assert!(
        j.iter().any(|e| e.typ == "SYSTEM.REVEAL_SEED"),
        "seed revealed"
    );
    let fired_ends = fired(&j)
        .iter()
        .filter(|(id, ..)| id.contains("END_DAY"))
        .count();
    assert_eq!(fired_ends, 2, "two rounds: {:?}", fired(&j));
    let replayed = pecking_order::room::Room::replay(game, &j, None).expect("D1 replays");
    assert_eq!(replayed.public_state(), {
        let mut s = st.clone();
        // The operator view adds the worker's own persistence counters.
        if let Some(o) = s.as_object_mut() {
            for k in [
                "outboxLag",
                "d1ConfirmedSeq",
                "d1Failures",
                "d1RetryAt",
                "snapshotSeq",
                "d1Batches",
                "d1BatchedEntries",
                "lifecycle",
                "doJournalRows",
                "doJournalFirstSeq",
                "doStorageBytes",
            ] {
                o.remove(k);
            }
        }
        s
    });
    // The winner's ticker line went out with the last broadcast.
    let winner = st["winner"].as_str().unwrap_or_default().to_string();
    p1.wait_for(|v| {
        v["type"] == "TICKER.UPDATE"
            && v["lines"].as_array().is_some_and(|l| {
                l.iter()
                    .any(|l| l["category"] == "PHASE.WINNER" && l["players"][0] == winner.as_str())
            })
    });
}
