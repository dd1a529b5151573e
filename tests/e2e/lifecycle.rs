//! The Durable Object holds a snapshot and a short tail, D1 the history, and a game has a
//! lifecycle: end to end under `wrangler dev` (real workerd, real local D1 and DO SQLite).
//! docs/architecture.md "Compaction", docs/protocol.md "`GET …/journal`" and "Lifecycle".
//!
//! Run with `make test`, or after `make build`: `cargo test --features e2e --test e2e lifecycle::`.
#![cfg(feature = "e2e")]

use crate::support;

use std::collections::BTreeMap;
use std::thread;
use std::time::{Duration, Instant};

use pecking_order::journal::{self, Entry};
use pecking_order::limits::DO_JOURNAL_TAIL;
use pecking_order::room::Room;
use serde_json::{json, Value};
use support::{Player, WranglerDev};

/// Many actions per socket: the per-player rate limit (10/s) is raised as tests/e2e_load.rs does.
const FAST: [(&str, &str); 2] = [("WS_RATE_PER_S", "100000"), ("WS_RATE_BURST", "100000")];

fn init_body(players: usize, days: &[&str]) -> String {
    let roster: Vec<Value> = (1..=players)
        .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}"), "realUserId": format!("user-{i}") }))
        .collect();
    let days: Vec<Value> = days.iter().map(|v| json!({ "voteType": v })).collect();
    // No `mode`: the default (PECKING_ORDER) must still get its D1 `games` row.
    json!({
        "manifest": { "kind": "STATIC", "scheduling": "ADMIN", "startTime": "2026-12-01T09:00:00Z",
                      "schedulePreset": "SMOKE_TEST", "days": days },
        "roster": roster,
    })
    .to_string()
}

fn join(dev: &WranglerDev, game: &str, player: &str) -> Player {
    dev.join(game, player)
}

fn admin(dev: &WranglerDev, game: &str, body: Value) -> Value {
    dev.admin(game, body)
}

fn state(dev: &WranglerDev, game: &str) -> Value {
    dev.state(game)
}

/// A fast room (raised rate limits) of four players on day 1 with the group chat open.
fn chatting_room(game: &str) -> WranglerDev {
    let dev = WranglerDev::start_with_vars(&FAST);
    dev.create(game, &init_body(4, &["MAJORITY", "FINALS"]));
    admin(&dev, game, json!({ "type": "NEXT_STAGE" }));
    dev.inject(game, "OPEN_GROUP_CHAT");
    dev
}

fn wait_confirmed(dev: &WranglerDev, game: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let st = state(dev, game);
        if st["outboxLag"] == 0 {
            return st;
        }
        assert!(Instant::now() < deadline, "the outbox never drained: {st}");
        thread::sleep(Duration::from_millis(200));
    }
}

fn journal(dev: &WranglerDev, game: &str, limit: u64) -> (Vec<Entry>, usize) {
    let (lines, pages) = dev.journal_pages(game, limit);
    let entries = lines
        .into_iter()
        .map(|l| serde_json::from_value(l).expect("a journal line is an entry"))
        .collect();
    (entries, pages)
}

fn d1_entries(dev: &WranglerDev, game: &str) -> Vec<Entry> {
    dev.d1_query(&format!(
        "SELECT * FROM journal WHERE game_id = '{game}' ORDER BY seq"
    ))
    .into_iter()
    .map(|row| serde_json::from_value(row).expect("a D1 row is an entry"))
    .collect()
}

fn int(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

/// The DO's own journal rows, read from its SQLite file: (count, lowest seq).
fn do_rows(dev: &WranglerDev) -> (u64, Option<u64>) {
    let r = dev.do_query("SELECT COUNT(*) AS n, MIN(seq) AS first FROM journal");
    (int(&r[0]["n"]), r[0]["first"].as_u64())
}

/// Sends every message of `msgs` on `p` without waiting, then reads until each is answered;
/// the seq of each ACK (None for an ERROR). Stops at the first read error (a killed server).
fn burst(p: &mut Player, tag: &str, msgs: &[Value]) -> Vec<Option<u64>> {
    for (i, m) in msgs.iter().enumerate() {
        let mut m = m.clone();
        m["ref"] = json!(format!("{tag}-{i}"));
        if p.ws
            .send(tungstenite::Message::Text(m.to_string()))
            .is_err()
        {
            break;
        }
    }
    let mut answers: BTreeMap<usize, Option<u64>> = BTreeMap::new();
    while answers.len() < msgs.len() {
        let text = match p.ws.read() {
            Ok(tungstenite::Message::Text(t)) => t,
            Ok(_) => continue,
            Err(_) => break,
        };
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let Some(i) = v["ref"]
            .as_str()
            .and_then(|r| r.strip_prefix(tag))
            .and_then(|r| r.strip_prefix('-'))
            .and_then(|n| n.parse().ok())
        else {
            continue;
        };
        let seq = (v["type"] == "ACK").then(|| v["seq"].as_u64()).flatten();
        answers.insert(i, seq);
    }
    answers.into_values().collect()
}

/// Every player sends `n` chat messages at once, each on its own thread; the seqs of the ACKs
/// and the texts they were for.
fn chatter(players: Vec<Player>, day: u32, n: usize) -> (Vec<Player>, Vec<(u64, String)>) {
    let handles: Vec<_> = players
        .into_iter()
        .enumerate()
        .map(|(i, mut p)| {
            thread::spawn(move || {
                let texts: Vec<String> = (0..n).map(|k| format!("d{day} p{i} m{k}")).collect();
                let msgs: Vec<Value> = texts
                    .iter()
                    .map(|t| json!({ "type": "SOCIAL.SEND_MSG", "content": t }))
                    .collect();
                let seqs = burst(&mut p, &format!("c{day}"), &msgs);
                let acked: Vec<(u64, String)> = seqs
                    .into_iter()
                    .zip(texts)
                    .filter_map(|(s, t)| s.map(|s| (s, t)))
                    .collect();
                (p, acked)
            })
        })
        .collect();
    let mut players = Vec::new();
    let mut acked = Vec::new();
    for h in handles {
        let (p, a) = h.join().expect("a chatting thread");
        players.push(p);
        acked.extend(a);
    }
    (players, acked)
}

/// Every entry a player was told was journaled is there, as it was sent.
fn assert_acked_kept(entries: &[Entry], acked: &[(u64, String)]) {
    for (seq, text) in acked {
        let e = entries
            .get((*seq as usize).wrapping_sub(1))
            .unwrap_or_else(|| panic!("acknowledged entry {seq} is missing"));
        assert_eq!(e.seq, *seq);
        assert!(e.payload.contains(text.as_str()), "{seq}: {}", e.payload);
    }
}

/// The operator moves an ADMIN-scheduled game to its end (NEXT_STAGE until it ends), so that
/// its seed is revealed and D1 alone replays it.
fn end_game(dev: &WranglerDev, game: &str) {
    for _ in 0..12 {
        if state(dev, game)["lifecycle"] != "ACTIVE" {
            return;
        }
        admin(dev, game, json!({ "type": "NEXT_STAGE" }));
    }
    panic!("the game never ended");
}

/// The state the room holds equals a replay of D1 (the operator's fields aside). The game has
/// ended: a running game's D1 journal cannot be replayed without its secret seed.
fn assert_state_is_replay_of(st: &Value, game: &str, d1: &[Entry]) {
    let replayed = Room::replay(game, d1, None)
        .expect("D1 replays")
        .public_state();
    for (k, v) in replayed.as_object().expect("an object") {
        if k == "nextTasks" {
            continue;
        }
        assert_eq!(&st[k], v, "field {k}: the room's state is the replay of D1");
    }
}

#[test]
fn a_game_of_over_a_thousand_entries_ends_with_the_tail_in_the_do_the_history_in_d1_and_a_completed_games_row(
) {
    let dev = WranglerDev::start_with_vars(&FAST);
    let game = "life-1";
    dev.create(
        game,
        &init_body(5, &["MAJORITY", "MAJORITY", "MAJORITY", "FINALS"]),
    );
    let mut players: Vec<Player> = (1..=5)
        .map(|i| join(&dev, game, &format!("p{i}")))
        .collect();
    let mut acked = Vec::new();
    // Three days of chat and votes: the first vote out the last player standing in the list.
    for (day, out) in [(1u32, "p5"), (2, "p4"), (3, "p3")] {
        admin(&dev, game, json!({ "type": "NEXT_STAGE" }));
        dev.inject(game, "OPEN_GROUP_CHAT");
        let (ps, a) = chatter(players, day, 70);
        players = ps;
        acked.extend(a);
        dev.inject(game, "OPEN_VOTING");
        for p in players.iter_mut() {
            // The voted-out player's own vote is refused on later days (eliminated).
            let _ = p.act(json!({ "type": "VOTE.MAJORITY.CAST", "targetId": out }));
        }
        dev.inject(game, "CLOSE_VOTING");
        admin(&dev, game, json!({ "type": "NEXT_STAGE" })); // night: `out` is eliminated
                                                            // Mid-game, once D1 has everything: the DO keeps at most its tail.
        let st = wait_confirmed(&dev, game);
        let (rows, first) = do_rows(&dev);
        assert!(rows <= DO_JOURNAL_TAIL, "day {day}: {rows} rows in the DO");
        assert_eq!(rows, int(&st["doJournalRows"]), "{st}");
        assert_eq!(first, st["doJournalFirstSeq"].as_u64());
        if int(&st["seq"]) > DO_JOURNAL_TAIL + 64 {
            assert!(first > Some(1), "older rows were deleted: {st}");
        }
        // A bad query is refused with its code; a running game cannot be cleaned up.
        for q in ["from=x", "from=-1", "limit=0", "limit=100000"] {
            let r = dev.get(&format!("/parties/game-server/{game}/journal?{q}"));
            assert_eq!((r.status, r.error_code()), (400, "BAD_QUERY".into()), "{q}");
        }
        let past = int(&st["seq"]) + 2;
        let r = dev.get(&format!("/parties/game-server/{game}/journal?from={past}"));
        assert_eq!((r.status, r.error_code()), (400, "FROM_PAST_HEAD".into()));
    }
    let r = dev.post(&format!("/parties/game-server/{game}/cleanup"), "");
    assert_eq!(
        (r.status, r.error_code()),
        (409, "GAME_NOT_FINISHED".into())
    );
    // Day 4: the FINALS. p3 and p4 (out) vote for p2.
    admin(&dev, game, json!({ "type": "NEXT_STAGE" }));
    dev.inject(game, "OPEN_VOTING");
    for i in [2, 3, 4] {
        let _ = players[i].act(json!({ "type": "VOTE.FINALS.CAST", "targetId": "p2" }));
    }
    dev.inject(game, "CLOSE_VOTING");
    admin(&dev, game, json!({ "type": "NEXT_STAGE" }));
    let st = wait_confirmed(&dev, game);
    let head = int(&st["seq"]);
    assert!(head > 1000, "over a thousand entries: {head}");
    assert_eq!(st["lifecycle"], "COMPLETED", "{st}");
    let winner = st["winner"].as_str().expect("a winner").to_string();
    assert_eq!(winner, "p2");

    // The DO keeps its final snapshot and no journal row once D1 has everything.
    let deadline = Instant::now() + Duration::from_secs(30);
    while do_rows(&dev).0 > 0 {
        assert!(Instant::now() < deadline, "rows left: {:?}", do_rows(&dev));
        thread::sleep(Duration::from_millis(200));
    }
    let st = state(&dev, game);
    assert_eq!(
        int(&st["snapshotSeq"]),
        head,
        "the final snapshot is at the head"
    );
    assert_eq!(st["doJournalRows"], 0);

    // Every entry pages back, from D1, as one gapless verified stream equal to D1.
    let (entries, pages) = journal(&dev, game, 300);
    assert_eq!(pages as u64, head.div_ceil(300));
    assert_eq!(entries.len() as u64, head);
    let chain = journal::verify(game, &entries).expect("the chain verifies");
    assert_eq!(chain.to_hex(), st["journalHead"].as_str().unwrap_or(""));
    let d1 = d1_entries(&dev, game);
    assert_eq!(entries, d1, "GET …/journal equals D1");
    assert_acked_kept(&entries, &acked);
    assert_state_is_replay_of(&st, game, &d1);

    // D1 says how the game ended, and how each player finished.
    let games = dev.d1_query(&format!(
        "SELECT mode, status, completed_at_ms, winner_player_id, end_seq FROM games WHERE game_id = '{game}'"
    ));
    let end = entries
        .iter()
        .find(|e| e.facts.contains("\"GAME_ENDED\""))
        .expect("the ending entry");
    assert_eq!(
        games,
        [
            json!({"mode": "PECKING_ORDER", "status": "COMPLETED", "completed_at_ms": end.at_ms,
                "winner_player_id": "p2", "end_seq": end.seq})
        ]
    );
    let players_rows = dev.d1_query(&format!(
        "SELECT player_id, final_status, placement FROM players WHERE game_id = '{game}' ORDER BY placement, player_id"
    ));
    let podium: Vec<(String, String, u64)> = players_rows
        .iter()
        .map(|p| {
            (
                p["player_id"].as_str().unwrap_or("").to_string(),
                p["final_status"].as_str().unwrap_or("").to_string(),
                int(&p["placement"]),
            )
        })
        .collect();
    assert_eq!(podium[0], ("p2".into(), "WINNER".into(), 1));
    assert_eq!(podium[1].2, 2, "{podium:?}");
    assert_eq!(
        podium[2..],
        [
            ("p3".into(), "ELIMINATED".into(), 3),
            ("p4".into(), "ELIMINATED".into(), 4),
            ("p5".into(), "ELIMINATED".into(), 5)
        ],
        "{podium:?}"
    );

    // A late visitor: the final state and the day's ticker lines, with no journal row left.
    let mut late = join(&dev, game, "p1");
    let history = late.wait_for(|v| v["type"] == "TICKER.HISTORY");
    assert!(
        history["lines"]
            .as_array()
            .is_some_and(|l| l.iter().any(|l| l["text"] == "The game is over")),
        "{history}"
    );
    drop(late);

    // Cleanup: D1 is verified, the DO's storage dropped, the journal still pages from D1.
    let r = dev.post(&format!("/parties/game-server/{game}/cleanup"), "");
    assert_eq!(r.status, 200, "{}", r.text());
    let answer = r.json();
    assert_eq!(
        (answer["seq"].as_u64(), answer["head"].as_str()),
        (Some(head), Some(chain.to_hex().as_str()))
    );
    let tables = dev.do_query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name");
    let journal_left = dev.do_query("SELECT COUNT(*) AS n FROM journal");
    assert_eq!(journal_left[0]["n"], 0, "{tables:?}");
    assert!(dev.do_query("SELECT key FROM meta").iter().all(|r| r["key"]
        .as_str()
        .is_some_and(|k| k.starts_with("tombstone_"))));
    let r = dev.get(&format!("/parties/game-server/{game}/state"));
    assert_eq!((r.status, r.error_code()), (410, "ROOM_CLEANED_UP".into()));
    let r = dev.post(
        &format!("/parties/game-server/{game}/init"),
        &init_body(3, &["FINALS"]),
    );
    assert_eq!((r.status, r.error_code()), (410, "ROOM_CLEANED_UP".into()));
    let (after, _) = journal(&dev, game, 1000);
    assert_eq!(
        after, entries,
        "the journal pages from D1 after the cleanup"
    );
    eprintln!(
        "{game}: {head} entries ({} acknowledged chat messages), read back in {pages} pages of 300, cleaned up",
        acked.len()
    );
}

/// Players chat on their own threads until told to stop; returns every acknowledged entry.
fn chat_until_killed(
    players: Vec<Player>,
    round: u32,
) -> Vec<thread::JoinHandle<Vec<(u64, String)>>> {
    players
        .into_iter()
        .enumerate()
        .map(|(i, mut p)| {
            thread::spawn(move || {
                let mut acked = Vec::new();
                for k in 0.. {
                    let texts: Vec<String> = (0..20)
                        .map(|j| format!("r{round} p{i} b{k} m{j}"))
                        .collect();
                    let msgs: Vec<Value> = texts
                        .iter()
                        .map(|t| json!({ "type": "SOCIAL.SEND_MSG", "content": t }))
                        .collect();
                    let seqs = burst(&mut p, &format!("k{round}-{k}"), &msgs);
                    let answered = seqs.len();
                    acked.extend(
                        seqs.into_iter()
                            .zip(texts)
                            .filter_map(|(s, t)| s.map(|s| (s, t))),
                    );
                    if answered < msgs.len() {
                        break; // the server is gone
                    }
                }
                acked
            })
        })
        .collect()
}

#[test]
fn kill_9_during_compaction_loses_nothing_and_a_cold_start_equals_the_replay_of_d1() {
    let game = "kill-c";
    let mut dev = chatting_room(game);
    let mut acked = Vec::new();
    // Three times: four sockets stream chat (a snapshot every 64 entries, a D1 confirmation
    // every few dozen, each followed by deletions), and wrangler dev is SIGKILLed mid-stream.
    for round in 0..3u32 {
        let players: Vec<Player> = (1..=4)
            .map(|i| join(&dev, game, &format!("p{i}")))
            .collect();
        let start = int(&state(&dev, game)["seq"]);
        let handles = chat_until_killed(players, round);
        // Kill once the stream has crossed a few snapshots and confirmations.
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let r = dev
                .get(&format!("/parties/game-server/{game}/state"))
                .json();
            if int(&r["seq"]) > start + 300 + 37 * u64::from(round) {
                break;
            }
            assert!(Instant::now() < deadline, "the stream stalled: {r}");
            thread::sleep(Duration::from_millis(20));
        }
        dev.kill_hard();
        for h in handles {
            acked.extend(h.join().expect("a chatting thread"));
        }
        dev.start_again();
        // The room comes back from its snapshot and tail; nothing acknowledged is lost.
        let st = wait_confirmed(&dev, game);
        let (entries, _) = journal(&dev, game, 1000);
        assert_eq!(entries.len() as u64, int(&st["seq"]), "round {round}");
        let chain = journal::verify(game, &entries).expect("the chain verifies");
        assert_eq!(chain.to_hex(), st["journalHead"].as_str().unwrap_or(""));
        assert_acked_kept(&entries, &acked);
        let d1 = d1_entries(&dev, game);
        assert_eq!(entries, d1, "round {round}: D1 holds each entry once");
        let (rows, _) = do_rows(&dev);
        assert!(rows <= DO_JOURNAL_TAIL, "round {round}: {rows} rows");
    }
    // The game ends; one more SIGKILL: the room that comes back from its snapshot (and tail)
    // after three kills and four cold starts is the replay of D1.
    end_game(&dev, game);
    wait_confirmed(&dev, game);
    dev.kill_hard();
    dev.start_again();
    let st = wait_confirmed(&dev, game);
    assert_state_is_replay_of(&st, game, &d1_entries(&dev, game));
    let counts = dev.d1_query(&format!(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT seq) AS d FROM journal WHERE game_id = '{game}'"
    ));
    assert_eq!(counts[0]["n"], counts[0]["d"]);
    assert!(acked.len() > 600, "{} acknowledged", acked.len());
}

#[test]
fn a_d1_outage_over_several_compactions_deletes_nothing_unconfirmed_and_d1_catches_up_once() {
    let game = "outage";
    let mut dev = chatting_room(game);
    let players: Vec<Player> = (1..=4)
        .map(|i| join(&dev, game, &format!("p{i}")))
        .collect();
    let (players, mut acked) = chatter(players, 1, 60);
    let before = wait_confirmed(&dev, game);
    let confirmed = int(&before["seq"]);
    let v = admin(&dev, game, json!({ "type": "DEV_FAIL_D1", "on": true }));
    assert_eq!(v["devFailD1"], true);
    // Several snapshots' worth of entries while D1 is down.
    let (players, a) = chatter(players, 2, 100);
    acked.extend(a);
    let st = state(&dev, game);
    let head = int(&st["seq"]);
    assert!(head >= confirmed + 5 * 64, "{st}");
    assert!(
        int(&st["snapshotSeq"]) >= confirmed + 4 * 64,
        "snapshots went on: {st}"
    );
    assert!(int(&st["outboxLag"]) >= head - confirmed - 1, "{st}");
    // Nothing unconfirmed was deleted: the DO holds every row after the last confirmation.
    let (rows, first) = do_rows(&dev);
    assert!(
        first <= Some(int(&st["d1ConfirmedSeq"]) + 1),
        "{first:?} {st}"
    );
    assert!(rows >= head - int(&st["d1ConfirmedSeq"]), "{rows} {st}");
    assert!(d1_entries(&dev, game).len() as u64 <= int(&st["d1ConfirmedSeq"]));
    // History still reads: the confirmed part from D1, the rest from the DO.
    let (entries, _) = journal(&dev, game, 1000);
    assert_eq!(entries.len() as u64, head);
    journal::verify(game, &entries).expect("the chain verifies during the outage");
    // A SIGKILL in the middle of the outage changes nothing.
    drop(players);
    dev.kill_hard();
    dev.start_again();
    let st = state(&dev, game);
    assert_eq!(int(&st["seq"]), head);
    admin(&dev, game, json!({ "type": "DEV_FAIL_D1", "on": false }));
    let st = wait_confirmed(&dev, game);
    let d1 = d1_entries(&dev, game);
    assert_eq!(d1.len() as u64, int(&st["seq"]), "D1 caught up");
    let counts = dev.d1_query(&format!(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT seq) AS d FROM journal WHERE game_id = '{game}'"
    ));
    assert_eq!(counts[0]["n"], counts[0]["d"], "each entry once");
    journal::verify(game, &d1).expect("D1's chain verifies");
    assert_acked_kept(&d1, &acked);
    // Compaction resumed: the DO is back to its tail.
    let deadline = Instant::now() + Duration::from_secs(30);
    while do_rows(&dev).0 > DO_JOURNAL_TAIL {
        assert!(Instant::now() < deadline, "{:?}", do_rows(&dev));
        // The next confirmation compacts: nudge one more entry through.
        admin(
            &dev,
            game,
            json!({ "type": "CREDIT_SILVER", "rewards": { "p1": 1 } }),
        );
        thread::sleep(Duration::from_millis(300));
    }
    end_game(&dev, game);
    let st = wait_confirmed(&dev, game);
    assert_state_is_replay_of(&st, game, &d1_entries(&dev, game));
}
