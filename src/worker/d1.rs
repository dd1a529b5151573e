//! D1 writes: one [`D1Batch`] of the room host as one D1 `batch` of `INSERT OR IGNORE`
//! statements (retries are harmless); and reads of journal rows ([`D1Read`]) for the history.

use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env};

use super::rows::{entry_js_values, insert_journal, JOURNAL_COLUMNS};
use super::D1_BINDING;
use crate::journal::{row, Entry};
use crate::room::host::{D1Batch, D1Read, D1Row};

/// The journal rows `read.from..=read.to` of one game, in seq order.
pub(super) async fn read(env: &Env, read: &D1Read) -> Result<Vec<Entry>, String> {
    let db = env.d1(D1_BINDING).map_err(|e| e.to_string())?;
    let query = format!(
        "SELECT {JOURNAL_COLUMNS} FROM journal WHERE game_id = ? AND seq BETWEEN ? AND ? ORDER BY seq"
    );
    let result = db
        .prepare(query)
        .bind(&[
            JsValue::from_str(&read.game_id),
            JsValue::from_f64(read.from as f64),
            JsValue::from_f64(read.to as f64),
        ])
        .map_err(|e| e.to_string())?
        .all()
        .await
        .map_err(|e| e.to_string())?;
    if let Some(e) = result.error() {
        return Err(e);
    }
    let rows: Vec<serde_json::Map<String, serde_json::Value>> =
        result.results().map_err(|e| e.to_string())?;
    rows.iter()
        .map(|r| row::decode_json(r).map_err(|e| format!("corrupt D1 journal row: {e}")))
        .collect()
}

/// Writes the batch; `Err` with D1's reason when any statement failed.
pub(super) async fn write(env: &Env, batch: &D1Batch) -> Result<(), String> {
    let db = env.d1(D1_BINDING).map_err(|e| e.to_string())?;
    let statements = batch
        .rows
        .iter()
        .map(|row| statement(&db, row))
        .collect::<worker::Result<Vec<_>>>()
        .map_err(|e| e.to_string())?;
    let results = db.batch(statements).await.map_err(|e| e.to_string())?;
    match results.iter().find(|r| !r.success()) {
        Some(failed) => Err(failed.error().unwrap_or_default()),
        None => Ok(()),
    }
}

fn statement(db: &D1Database, row: &D1Row) -> worker::Result<D1PreparedStatement> {
    match row {
        D1Row::Journal(e) => {
            let values = entry_js_values(e).map_err(worker::Error::RustError)?;
            db.prepare(insert_journal(true)).bind(&values)
        }
        D1Row::Game {
            game_id,
            mode,
            status,
            created_at_ms,
        } => db
            .prepare("INSERT OR IGNORE INTO games (game_id, mode, status, created_at_ms) VALUES (?, ?, ?, ?)")
            .bind(&[
                JsValue::from_str(game_id),
                JsValue::from_str(mode),
                JsValue::from_str(status),
                JsValue::from_f64(*created_at_ms as f64),
            ]),
        D1Row::Player {
            game_id,
            player_id,
            real_user_id,
            persona_name,
            joined_seq,
        } => db
            .prepare("INSERT OR IGNORE INTO players (game_id, player_id, real_user_id, persona_name, joined_seq) VALUES (?, ?, ?, ?, ?)")
            .bind(&[
                JsValue::from_str(game_id),
                JsValue::from_str(player_id),
                JsValue::from_str(real_user_id),
                JsValue::from_str(persona_name),
                JsValue::from_f64(*joined_seq as f64),
            ]),
    }
}
