//! The D1 rows of a game's lifecycle (`room::host::d1_rows`, migrations/0005_lifecycle.sql),
//! run on a real SQLite database with the migrations: `games` says how the game ended and who
//! won, `players` how each player finished, whatever the manifest names and however often a
//! batch is repeated; and the migration's backfill of older games gives the same rows.

use pecking_order::engine::{Command, Fact};
use pecking_order::journal::{Entry, EntryKind};
use pecking_order::room::host::{d1_rows, SqlParam};
use pecking_order::room::Room;
use pecking_order::sim::{self, SimConfig};
use rusqlite::types::Value as Sql;
use rusqlite::Connection;
use serde_json::{json, Value};

const MIGRATIONS: [&str; 5] = [
    include_str!("../../migrations/0001_journal.sql"),
    include_str!("../../migrations/0002_destiny_views.sql"),
    include_str!("../../migrations/0003_players_wallets.sql"),
    include_str!("../../migrations/0004_wallet_gold.sql"),
    include_str!("../../migrations/0005_lifecycle.sql"),
];

pub(crate) fn db(migrations: usize) -> Connection {
    let c = Connection::open_in_memory().unwrap();
    for m in &MIGRATIONS[..migrations] {
        c.execute_batch(m).unwrap();
    }
    c
}

/// Runs every statement of every entry's rows, as the room's batches do.
pub(crate) fn write(c: &Connection, journal: &[Entry]) {
    for e in journal {
        for row in d1_rows(e) {
            for st in row.statements().unwrap() {
                let params: Vec<Sql> = st
                    .params
                    .iter()
                    .map(|p| match p {
                        SqlParam::Int(i) => Sql::Integer(*i),
                        SqlParam::Text(t) => Sql::Text(t.clone()),
                        SqlParam::Null => Sql::Null,
                    })
                    .collect();
                c.execute(&st.sql, rusqlite::params_from_iter(params))
                    .unwrap_or_else(|err| panic!("{err}: {}", st.sql));
            }
        }
    }
}

pub(crate) fn rows(c: &Connection, sql: &str) -> Vec<Value> {
    let mut stmt = c.prepare(sql).unwrap();
    let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
    stmt.query_map([], |r| {
        let mut o = serde_json::Map::new();
        for (i, n) in names.iter().enumerate() {
            let v = match r.get::<_, Sql>(i)? {
                Sql::Null => Value::Null,
                Sql::Integer(x) => json!(x),
                Sql::Real(x) => json!(x),
                Sql::Text(t) => json!(t),
                Sql::Blob(_) => json!("blob"),
            };
            o.insert(n.clone(), v);
        }
        Ok(Value::Object(o))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

const GAMES: &str = "SELECT game_id, mode, status, created_at_ms, completed_at_ms, winner_player_id, end_seq FROM games ORDER BY game_id";
const PLAYERS: &str = "SELECT game_id, player_id, eliminated_seq, eliminated_day, final_status, placement FROM players ORDER BY game_id, player_id";

/// A 6-player STATIC game played by the scripted simulation to a winner; its manifest names no
/// `mode` (the default), which earlier rooms wrote no `games` row for.
pub(crate) fn finished_game() -> (Room, Vec<Entry>) {
    let mut body: Value = serde_json::from_slice(&sim::init_body(6, 4)).unwrap();
    body["manifest"]
        .as_object_mut()
        .unwrap()
        .remove("mode")
        .expect("the sim names the mode");
    let cfg = SimConfig {
        game_id: "life-1".into(),
        players: 6,
        days: 4,
        actions_per_step: 6,
        script_seed: 9,
        game_seed: [3; 32],
        rules_version: pecking_order::engine::RULES_VERSION,
    };
    sim::play_scripted(&cfg, body.to_string().as_bytes())
}

/// The ELIMINATION facts of a journal: (player, seq), in order.
fn eliminations(journal: &[Entry]) -> Vec<(String, u64)> {
    journal
        .iter()
        .filter(|e| e.verdict.is_accepted())
        .flat_map(|e| {
            let facts: Vec<Fact> = serde_json::from_str(&e.facts).unwrap();
            facts.into_iter().filter_map(move |f| match f {
                Fact::Elimination { player_id, .. } => Some((player_id, e.seq)),
                _ => None,
            })
        })
        .collect()
}

#[test]
fn a_finished_game_is_completed_with_its_winner_and_every_players_placement() {
    let (room, journal) = finished_game();
    let st = room.state().unwrap();
    let winner = st.winner.clone().expect("a winner");
    let c = db(5);
    write(&c, &journal);
    let end = journal
        .iter()
        .find(|e| e.facts.contains("\"GAME_ENDED\""))
        .unwrap();
    let games = rows(&c, GAMES);
    assert_eq!(
        games,
        [
            json!({"game_id": "life-1", "mode": "PECKING_ORDER", "status": "COMPLETED",
                "created_at_ms": journal[0].at_ms, "completed_at_ms": end.at_ms,
                "winner_player_id": winner, "end_seq": end.seq})
        ]
    );
    let players = rows(&c, PLAYERS);
    assert_eq!(players.len(), 6);
    let out = eliminations(&journal);
    for p in &players {
        let id = p["player_id"].as_str().unwrap();
        let alive = st.player(id).unwrap().alive;
        let status = if id == winner {
            "WINNER"
        } else if alive {
            "ALIVE"
        } else {
            "ELIMINATED"
        };
        assert_eq!(p["final_status"], status, "{p}");
        // 1 + the players who outlasted this one.
        let my_out = out.iter().find(|(who, _)| who == id).map(|(_, s)| *s);
        assert_eq!(p["eliminated_seq"], json!(my_out), "{p}");
        let outlasted_by = st
            .players
            .iter()
            .filter(|q| q.id != id)
            .filter(|q| {
                let q_out = out.iter().find(|(who, _)| *who == q.id).map(|(_, s)| *s);
                if id == winner {
                    false
                } else if q.id == winner {
                    true
                } else {
                    match (my_out, q_out) {
                        (None, _) => false,
                        (Some(_), None) => true,
                        (Some(a), Some(b)) => b > a,
                    }
                }
            })
            .count();
        assert_eq!(p["placement"], json!(1 + outlasted_by), "{p}");
    }
    assert!(players
        .iter()
        .any(|p| p["placement"] == 1 && p["player_id"] == winner.as_str()));
}

#[test]
fn every_batch_written_twice_changes_nothing() {
    let (_, journal) = finished_game();
    let once = db(5);
    write(&once, &journal);
    let twice = db(5);
    for chunk in journal.chunks(50) {
        write(&twice, chunk);
        write(&twice, chunk);
    }
    // A batch of the middle of the game arriving again after the end.
    write(&twice, &journal[10..60]);
    for q in [GAMES, PLAYERS, "SELECT COUNT(*) AS n FROM journal"] {
        assert_eq!(rows(&once, q), rows(&twice, q), "{q}");
    }
}

#[test]
fn an_abandoned_game_is_abandoned_without_a_winner_or_placements() {
    let (mut room, mut journal) =
        Room::create("life-2", &sim::init_body(4, 3), 1_796_115_000_000, [4; 32]).unwrap();
    for _ in 0..12 {
        let Some(due) = room.state().and_then(|s| s.tasks.first()).map(|t| t.due_ms) else {
            break;
        };
        journal.extend(room.fire_due(due, 1));
    }
    let at = room.state().unwrap().last_at_ms;
    let cmd = Command::AbandonGame {
        reason: Some("no quorum".into()),
    };
    journal.extend(
        room.submit(EntryKind::Admin, "ADMIN", &cmd, at)
            .unwrap()
            .entries,
    );
    let c = db(5);
    write(&c, &journal);
    let g = &rows(&c, GAMES)[0];
    assert_eq!(g["status"], "ABANDONED");
    assert_eq!(g["winner_player_id"], Value::Null);
    assert_eq!(g["completed_at_ms"], at);
    let players = rows(&c, PLAYERS);
    assert!(
        players.iter().all(|p| p["placement"].is_null()),
        "{players:?}"
    );
    assert!(players
        .iter()
        .all(|p| p["final_status"] == "ALIVE" || p["final_status"] == "ELIMINATED"));
    assert!(players.iter().any(|p| p["final_status"] == "ELIMINATED"));
}

#[test]
fn a_running_game_is_active_and_its_players_have_no_final_status() {
    let (_, journal) = finished_game();
    let end = journal
        .iter()
        .position(|e| e.facts.contains("\"GAME_ENDED\""))
        .unwrap();
    let c = db(5);
    write(&c, &journal[..end]);
    let g = &rows(&c, GAMES)[0];
    assert_eq!(
        (g["status"].as_str(), &g["end_seq"]),
        (Some("ACTIVE"), &Value::Null)
    );
    let players = rows(&c, PLAYERS);
    assert!(players.iter().all(|p| p["final_status"].is_null()));
    assert!(players.iter().any(|p| !p["eliminated_seq"].is_null()));
}

#[test]
fn the_migration_backfills_older_games_to_the_same_rows() {
    let (_, finished) = finished_game();
    // Earlier rooms wrote the journal, the players (without the new columns) and no games row
    // when the manifest left the mode to its default.
    let old = db(4);
    let insert = format!(
        "INSERT INTO journal ({}) VALUES ({})",
        pecking_order::journal::row::COLUMNS,
        pecking_order::journal::row::PLACEHOLDERS
    );
    for e in &finished {
        let values = pecking_order::journal::row::values(e).unwrap();
        old.execute(&insert, rusqlite::params_from_iter(values.iter()))
            .unwrap();
    }
    for p in 1..=6 {
        old.execute(
            "INSERT INTO players (game_id, player_id, real_user_id, persona_name, joined_seq) VALUES ('life-1', ?1, '', ?2, 1)",
            [format!("p{p}"), format!("Player {p}")],
        )
        .unwrap();
    }
    old.execute_batch(MIGRATIONS[4]).unwrap();
    let live = db(5);
    write(&live, &finished);
    assert_eq!(rows(&old, GAMES), rows(&live, GAMES));
    assert_eq!(rows(&old, PLAYERS), rows(&live, PLAYERS));
}
