//! The destiny SQL of `migrations/0002_destiny_views.sql`, run on a real SQLite database filled
//! with scripted games' journals, must give the engine's answer for every player.

#[allow(dead_code)]
use crate::destiny_games;

use destiny_games as games;

use pecking_order::journal::{row, Entry};
use rusqlite::Connection;

fn db(journals: &[&[Entry]]) -> Connection {
    let c = Connection::open_in_memory().unwrap();
    c.execute_batch(include_str!("../../migrations/0001_journal.sql"))
        .unwrap();
    c.execute_batch(include_str!("../../migrations/0002_destiny_views.sql"))
        .unwrap();
    let insert = format!(
        "INSERT INTO journal ({}) VALUES ({})",
        row::COLUMNS,
        row::PLACEHOLDERS
    );
    for j in journals {
        for e in j.iter() {
            let values = row::values(e).unwrap();
            c.execute(&insert, rusqlite::params_from_iter(values.iter()))
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
