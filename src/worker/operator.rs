//! The operator's read routes, answered by the Worker from D1 (`room::operator` decides, this
//! runs the queries): `GET /parties/game-server` (the rooms) and `GET …/:gameId/verify` (D1's
//! journal of one game, checked from seq 1). Bearer AUTH_SECRET, checked by the caller.

use serde_json::{Map, Value};
use worker::{D1Database, Date, Env, Response};

use super::d1::prepare;
use super::D1_BINDING;
use crate::room::host::{D1Statement, SqlParam};
use crate::room::operator::{verify_page_sql, ChainCheck, RoomSummary, RoomsQuery, RoomsResponse};
use crate::room::route::RouteError;

fn unavailable(e: impl ToString) -> RouteError {
    RouteError::D1Unavailable(e.to_string())
}

fn db(env: &Env) -> Result<D1Database, RouteError> {
    env.d1(D1_BINDING).map_err(unavailable)
}

/// Runs one query; its rows as JSON objects.
async fn rows(
    db: &D1Database,
    sql: String,
    params: Vec<SqlParam>,
) -> Result<Vec<Map<String, Value>>, RouteError> {
    let st = D1Statement { sql, params };
    let result = prepare(db, &st)
        .map_err(unavailable)?
        .all()
        .await
        .map_err(unavailable)?;
    if let Some(e) = result.error() {
        return Err(unavailable(e));
    }
    result.results().map_err(unavailable)
}

fn json(body: &impl serde::Serialize) -> Result<Response, RouteError> {
    Response::from_json(body).map_err(|e| RouteError::Internal(e.to_string()))
}

/// `GET /parties/game-server?status=&limit=&offset=`.
pub(super) async fn rooms(query: &[(String, String)], env: &Env) -> Result<Response, RouteError> {
    let q = RoomsQuery::parse(query)?;
    let db = db(env)?;
    let (sql, params) = q.count_sql();
    let total = rows(&db, sql, params)
        .await?
        .first()
        .and_then(|r| r.get("n"))
        .and_then(Value::as_f64)
        .map_or(0, |n| n.max(0.0) as u64);
    let (sql, params) = q.page_sql();
    let rooms = rows(&db, sql, params)
        .await?
        .iter()
        .map(RoomSummary::from_row)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| RouteError::Internal(format!("a D1 games row: {e}")))?;
    json(&RoomsResponse::new(&q, rooms, total))
}

/// `GET /parties/game-server/:gameId/verify`.
pub(super) async fn verify(game_id: &str, env: &Env) -> Result<Response, RouteError> {
    let db = db(env)?;
    let mut check = ChainCheck::new(game_id);
    while let Some((after, limit)) = check.next_page() {
        let params = vec![
            SqlParam::Text(game_id.to_string()),
            SqlParam::Int(i64::try_from(after).unwrap_or(i64::MAX)),
            SqlParam::Int(i64::try_from(limit).unwrap_or(i64::MAX)),
        ];
        let page = rows(&db, verify_page_sql(), params).await?;
        check.feed_rows(&page);
    }
    json(&check.finish(Date::now().as_millis() as i64))
}
