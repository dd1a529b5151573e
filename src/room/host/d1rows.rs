//! The D1 rows each journal entry produces (docs/protocol.md, "Persistence and D1" and
//! "Lifecycle"), and their SQL. Pure: the rows are derived from the entry's own journaled facts
//! (`GAME_CREATED` names the mode, `ELIMINATION` a player out, `GAME_ENDED` the end and its
//! winner, `GAME_ABANDONED` the operator's end), and every statement is idempotent, so a batch
//! D1 wrote but whose answer was lost can be sent again. The worker binds the statements
//! (`worker::d1`); native tests run the same statements on SQLite with the migrations.

use crate::journal::{row, Entry};
use crate::room::Lifecycle;
use serde_json::Value;

/// One D1 row (or row update) of an entry.
#[derive(Clone, Debug, PartialEq)]
pub enum D1Row {
    /// The `journal` row: the entry itself.
    Journal(Entry),
    /// The `games` row, written alongside entry 1 (its `GAME_CREATED` fact names the mode).
    Game {
        game_id: String,
        mode: String,
        status: &'static str,
        created_at_ms: i64,
    },
    /// A `players` row: the roster of SYSTEM.INIT and each accepted SYSTEM.PLAYER_JOINED.
    Player {
        game_id: String,
        player_id: String,
        real_user_id: String,
        persona_name: String,
        joined_seq: u64,
    },
    /// An `ELIMINATION` fact: when the player went out.
    Eliminated {
        game_id: String,
        player_id: String,
        seq: u64,
        day: u32,
    },
    /// The entry with `GAME_ENDED`: the game's status, end time, winner and end seq, then every
    /// player's final status and placement ([`STANDINGS_SQL`]).
    Ended {
        game_id: String,
        status: Lifecycle,
        completed_at_ms: i64,
        winner: Option<String>,
        end_seq: u64,
    },
}

/// A value bound to a statement.
#[derive(Clone, Debug, PartialEq)]
pub enum SqlParam {
    Int(i64),
    Text(String),
    Null,
}

/// One SQL statement with its parameters (`?NNN`, numbered).
#[derive(Clone, Debug, PartialEq)]
pub struct D1Statement {
    pub sql: String,
    pub params: Vec<SqlParam>,
}

const INSERT_GAME_SQL: &str =
    "INSERT OR IGNORE INTO games (game_id, mode, status, created_at_ms) VALUES (?1, ?2, ?3, ?4)";

const INSERT_PLAYER_SQL: &str = "INSERT OR IGNORE INTO players (game_id, player_id, real_user_id, persona_name, joined_seq) VALUES (?1, ?2, ?3, ?4, ?5)";

/// A player is eliminated once; a second write of the same fact changes nothing.
const ELIMINATED_SQL: &str = "UPDATE players SET eliminated_seq = ?3, eliminated_day = ?4 WHERE game_id = ?1 AND player_id = ?2 AND (eliminated_seq IS NULL OR eliminated_seq = ?3)";

/// The end is written once (the first `GAME_ENDED`; a game ends once).
const ENDED_SQL: &str = "UPDATE games SET status = ?2, completed_at_ms = ?3, winner_player_id = ?4, end_seq = ?5 WHERE game_id = ?1 AND (end_seq IS NULL OR end_seq = ?5)";

/// Every player's final status and placement, from what the rows already hold (the batches
/// before this one carry every elimination, in seq order): `WINNER`, `ELIMINATED` or `ALIVE`
/// (in at the end without winning); placement 1 for the winner, then the players still in at
/// the end, then the eliminated, latest out first ("1 + the number of players who outlasted
/// this one"; players out in the same entry share a placement). An abandoned game has no
/// placements. Recomputing gives the same values, so a repeated batch is harmless.
pub const STANDINGS_SQL: &str = "UPDATE players SET final_status = s.final_status, placement = s.placement FROM (SELECT player_id, CASE WHEN player_id = ?2 THEN 'WINNER' WHEN eliminated_seq IS NOT NULL THEN 'ELIMINATED' ELSE 'ALIVE' END AS final_status, CASE WHEN ?3 = 'COMPLETED' THEN RANK() OVER (ORDER BY COALESCE(player_id = ?2, 0) DESC, eliminated_seq IS NULL DESC, eliminated_seq DESC) END AS placement FROM players WHERE game_id = ?1) AS s WHERE players.game_id = ?1 AND players.player_id = s.player_id";

fn text(s: &str) -> SqlParam {
    SqlParam::Text(s.to_string())
}

fn int(n: u64) -> Result<SqlParam, String> {
    i64::try_from(n)
        .map(SqlParam::Int)
        .map_err(|_| format!("{n} is out of range"))
}

impl D1Row {
    /// The statements that write this row (the end of a game: two).
    pub fn statements(&self) -> Result<Vec<D1Statement>, String> {
        let one = |sql: &str, params: Vec<SqlParam>| {
            Ok(vec![D1Statement {
                sql: sql.to_string(),
                params,
            }])
        };
        match self {
            D1Row::Journal(e) => {
                let values = row::values(e).map_err(|e| e.to_string())?;
                let params = values
                    .iter()
                    .map(|v| match v {
                        row::Value::Integer(i) => SqlParam::Int(*i),
                        row::Value::Text(t) => text(t),
                    })
                    .collect();
                let sql = format!(
                    "INSERT OR IGNORE INTO journal ({}) VALUES ({})",
                    row::COLUMNS,
                    row::PLACEHOLDERS
                );
                one(&sql, params)
            }
            D1Row::Game {
                game_id,
                mode,
                status,
                created_at_ms,
            } => one(
                INSERT_GAME_SQL,
                vec![
                    text(game_id),
                    text(mode),
                    text(status),
                    SqlParam::Int(*created_at_ms),
                ],
            ),
            D1Row::Player {
                game_id,
                player_id,
                real_user_id,
                persona_name,
                joined_seq,
            } => one(
                INSERT_PLAYER_SQL,
                vec![
                    text(game_id),
                    text(player_id),
                    text(real_user_id),
                    text(persona_name),
                    int(*joined_seq)?,
                ],
            ),
            D1Row::Eliminated {
                game_id,
                player_id,
                seq,
                day,
            } => one(
                ELIMINATED_SQL,
                vec![
                    text(game_id),
                    text(player_id),
                    int(*seq)?,
                    SqlParam::Int(i64::from(*day)),
                ],
            ),
            D1Row::Ended {
                game_id,
                status,
                completed_at_ms,
                winner,
                end_seq,
            } => {
                let winner = winner.as_deref().map_or(SqlParam::Null, text);
                Ok(vec![
                    D1Statement {
                        sql: ENDED_SQL.to_string(),
                        params: vec![
                            text(game_id),
                            text(status.as_str()),
                            SqlParam::Int(*completed_at_ms),
                            winner.clone(),
                            int(*end_seq)?,
                        ],
                    },
                    D1Statement {
                        sql: STANDINGS_SQL.to_string(),
                        params: vec![text(game_id), winner, text(status.as_str())],
                    },
                ])
            }
        }
    }
}

/// The D1 rows of one entry: its journal row; for entry 1 the `games` row (mode from its
/// `GAME_CREATED` fact) and the roster's `players` rows; a `players` row for an accepted
/// SYSTEM.PLAYER_JOINED; an elimination per `ELIMINATION` fact; the end of the game for
/// `GAME_ENDED` (`ABANDONED` when `GAME_ABANDONED` is among the facts, else `COMPLETED`).
///
/// The entry may come from storage (the outbox survives a restart), so its facts are read from
/// its text: as JSON values, by their `type` and the few fields used here, which keeps `Fact`'s
/// decoder out of the worker (room::facts).
pub fn d1_rows(e: &Entry) -> Vec<D1Row> {
    let mut rows = vec![D1Row::Journal(e.clone())];
    if !e.verdict.is_accepted() {
        return rows;
    }
    let facts = fact_values(&e.facts);
    let payload = || serde_json::from_str::<Value>(&e.payload).unwrap_or(Value::Null);
    let game_id = || e.game_id.clone();
    let players: Vec<Value> = match (e.seq, e.typ.as_str()) {
        (1, _) => {
            if let Some(mode) = facts
                .iter()
                .filter(|f| f["type"] == "GAME_CREATED")
                .find_map(|f| f["mode"].as_str())
            {
                let mode = mode.to_string();
                rows.push(D1Row::Game {
                    game_id: game_id(),
                    mode,
                    status: Lifecycle::Active.as_str(),
                    created_at_ms: e.at_ms,
                });
            }
            payload()
                .get("roster")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        }
        (_, "SYSTEM.PLAYER_JOINED") => payload().get("player").cloned().into_iter().collect(),
        _ => Vec::new(),
    };
    for p in players {
        let field = |k: &str| {
            p.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let player_id = field("id");
        if player_id.is_empty() {
            continue;
        }
        rows.push(D1Row::Player {
            game_id: game_id(),
            player_id,
            real_user_id: field("realUserId"),
            persona_name: field("personaName"),
            joined_seq: e.seq,
        });
    }
    let abandoned = facts.iter().any(|f| f["type"] == "GAME_ABANDONED");
    for f in &facts {
        match f["type"].as_str() {
            Some("ELIMINATION") => {
                let (Some(player_id), Some(day)) = (
                    f["playerId"].as_str(),
                    f["day"].as_u64().and_then(|d| u32::try_from(d).ok()),
                ) else {
                    continue;
                };
                rows.push(D1Row::Eliminated {
                    game_id: game_id(),
                    player_id: player_id.to_string(),
                    seq: e.seq,
                    day,
                })
            }
            Some("GAME_ENDED") => rows.push(D1Row::Ended {
                game_id: game_id(),
                status: if abandoned {
                    Lifecycle::Abandoned
                } else {
                    Lifecycle::Completed
                },
                completed_at_ms: e.at_ms,
                winner: f["winner"].as_str().map(str::to_string),
                end_seq: e.seq,
            }),
            _ => {}
        }
    }
    rows
}

/// An entry's facts as JSON values (each `{"type": …, …}`, docs/journal-format.md); none when
/// the text is not a JSON array.
fn fact_values(facts: &str) -> Vec<Value> {
    match crate::json::from_str::<Value>(facts) {
        Ok(Value::Array(list)) => list,
        _ => Vec::new(),
    }
}
