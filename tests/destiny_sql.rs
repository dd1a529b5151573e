//! The destiny SQL of `migrations/0002_destiny_views.sql`, run on a real SQLite database filled
//! with scripted games' journals, must give the engine's answer for every player.

#[allow(dead_code)]
mod destiny_games;

use destiny_games as games;

use pecking_order::journal::Entry;
use rusqlite::Connection;

fn db(journals: &[&[Entry]]) -> Connection {
    let c = Connection::open_in_memory().unwrap();
    c.execute_batch(include_str!("../migrations/0001_journal.sql"))
        .unwrap();
    c.execute_batch(include_str!("../migrations/0002_destiny_views.sql"))
        .unwrap();
    for j in journals {
        for e in j.iter() {
            c.execute(
                "INSERT INTO journal (game_id, seq, at_ms, day, kind, actor, type, payload, verdict, facts, engine, v, prev_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                rusqlite::params![
                    e.game_id, e.seq as i64, e.at_ms, e.day, e.kind.as_str(), e.actor, e.typ, e.payload,
                    e.verdict.to_wire(), e.facts, e.engine, e.v, e.prev_hash.to_hex(), e.hash.to_hex()
                ],
            )
            .unwrap();
        }
    }
    c
}

fn name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

fn rows(c: &Connection, view: &str, game: &str) -> Vec<(String, String, String)> {
    let mut st = c
        .prepare(&format!(
            "SELECT player_id, destiny, status FROM {view} WHERE game_id = ?1 ORDER BY player_id"
        ))
        .unwrap();
    st.query_map([game], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn sql_evaluation_matches_the_engine_for_every_player() {
    let (a, b) = (games::game_a(), games::game_b());
    let c = db(&[&a.journal, &b.journal]);
    for g in [&a, &b] {
        let id = g.room.game_id();
        let mut engine: Vec<(String, String, String)> = g
            .room
            .state()
            .unwrap()
            .destinies
            .holders
            .iter()
            .map(|h| (h.player_id.clone(), name(&h.destiny), name(&h.status)))
            .collect();
        engine.sort();
        assert_eq!(engine.len(), 6);
        assert_eq!(
            rows(&c, "destiny_evaluation", id),
            engine,
            "independent SQL evaluation, game {id}"
        );
        assert_eq!(
            rows(&c, "destiny_results", id),
            engine,
            "engine facts read by SQL, game {id}"
        );
    }
}

#[test]
fn sql_says_pending_while_the_game_runs() {
    let g = games::Game::new("destiny-running", 0, 5);
    let c = db(&[&g.journal]);
    let r = rows(&c, "destiny_evaluation", "destiny-running");
    assert_eq!(r.len(), 6);
    assert!(r.iter().all(|(_, _, s)| s == "PENDING"), "{r:?}");
}
