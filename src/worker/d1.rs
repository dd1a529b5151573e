//! D1 writes: one [`D1Batch`] of the room host as one D1 `batch` of `INSERT OR IGNORE`
//! statements (retries are harmless); and reads of journal rows ([`D1Read`]) for the history.

use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env};

use super::rows::JOURNAL_COLUMNS;
use super::D1_BINDING;
use crate::journal::{row, Entry};
use crate::room::host::{D1Batch, D1Read, D1Statement, SqlParam};

/// The journal rows `read.from..=read.to` of one game, in seq order.
pub(super) async fn read(env: &Env, read: &D1Read) -> Result<Vec<Entry>, String> {
    let db = env.d1(D1_BINDING).map_err(|e| e.to_string())?;
    let query = format!(
        "SELECT {JOURNAL_COLUMNS} FROM journal WHERE game_id = ? AND seq BETWEEN ? AND ? ORDER BY seq"
    );
    let statement = db
        .prepare(query)
        .bind(&[
            JsValue::from_str(&read.game_id),
            JsValue::from_f64(read.from as f64),
            JsValue::from_f64(read.to as f64),
        ])
        .map_err(|e| e.to_string())?;
    let rows = all_rows(statement).await?;
    rows.iter()
        .map(|r| row::decode_json(r).map_err(|e| format!("corrupt D1 journal row: {e}")))
        .collect()
}

/// The wallet balance (view `wallet_balances`) of each of `users` that has one.
pub(super) async fn wallet_balances(
    env: &Env,
    users: &[String],
) -> Result<std::collections::BTreeMap<String, u64>, String> {
    let db = env.d1(D1_BINDING).map_err(|e| e.to_string())?;
    let marks = vec!["?"; users.len()].join(",");
    let query =
        format!("SELECT real_user_id, gold FROM wallet_balances WHERE real_user_id IN ({marks})");
    let params: Vec<JsValue> = users.iter().map(|u| JsValue::from_str(u)).collect();
    let statement = db.prepare(query).bind(&params).map_err(|e| e.to_string())?;
    let rows = all_rows(statement).await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let user = r.get("real_user_id")?.as_str()?.to_string();
            let gold = r.get("gold")?.as_f64()?;
            Some((user, gold.max(0.0) as u64))
        })
        .collect())
}

/// Writes the batch; `Err` with D1's reason when any statement failed.
pub(super) async fn write(env: &Env, batch: &D1Batch) -> Result<(), String> {
    let db = env.d1(D1_BINDING).map_err(|e| e.to_string())?;
    let mut statements = Vec::new();
    for row in &batch.rows {
        for st in row.statements()? {
            statements.push(prepare(&db, &st).map_err(|e| e.to_string())?);
        }
    }
    let results = db.batch(statements).await.map_err(|e| e.to_string())?;
    match results.iter().find(|r| !r.success()) {
        Some(failed) => Err(failed.error().unwrap_or_default()),
        None => Ok(()),
    }
}

/// One statement of `room::host::d1rows` bound for D1 (integers are exact as JavaScript numbers:
/// `journal::row` keeps them within 2^53).
pub(super) fn prepare(db: &D1Database, st: &D1Statement) -> worker::Result<D1PreparedStatement> {
    let values: Vec<JsValue> = st
        .params
        .iter()
        .map(|p| match p {
            SqlParam::Int(i) => JsValue::from_f64(*i as f64),
            SqlParam::Text(t) => JsValue::from_str(t),
            SqlParam::Null => JsValue::NULL,
        })
        .collect();
    db.prepare(&st.sql).bind(&values)
}

/// The rows a read statement returns, as JSON objects (one shape for every read of this worker).
pub(super) async fn all_rows(
    statement: D1PreparedStatement,
) -> Result<Vec<serde_json::Map<String, serde_json::Value>>, String> {
    let result = statement.all().await.map_err(|e| e.to_string())?;
    if let Some(e) = result.error() {
        return Err(e);
    }
    result.results().map_err(|e| e.to_string())
}
