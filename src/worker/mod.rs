//! Cloudflare glue (wasm32 only): the Worker's HTTP routes, the `GameRoom` Durable Object, and the
//! DO-SQLite and D1 persistence of the journal.
//!
//! Routes (every error body is `{"error":{"code":STABLE_CODE,"message":...}}`):
//! - `GET  /health` → `{"ok":true,"engine":ENGINE_VERSION}`
//! - `POST /parties/game-server/:gameId/init` (Bearer) → 201 `{gameId, seq, head}`, 409 if the room exists
//! - `GET  /parties/game-server/:gameId/state` (Bearer) → public state + `journalHead`, `seq`, `outboxLag`
//! - `GET  /parties/game-server/:gameId/journal?from=SEQ` (Bearer) → entries as JSON lines
//!
//! The Worker checks the bearer and forwards room routes to the DO named by the game id. The DO keeps
//! the snapshot, its journal rows and an outbox of seqs not yet confirmed in D1; entries go to D1 with
//! `INSERT OR IGNORE` (retries are harmless), and a D1 failure never fails a request.
//!
//! Nothing here may panic: a panic in wasm aborts the instance and kills the room. All fallible
//! calls return [`ApiError`], which becomes a JSON error response.

use std::cell::Cell;
use std::fmt::Display;

use serde_json::{json, Value};
use worker::js_sys::{Function, Reflect, Uint8Array};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::{
    console_error, durable_object, event, Context, D1Database, D1PreparedStatement, Date,
    DurableObject, Env, Method, Request, Response, SqlStorage, SqlStorageValue, State,
};

use crate::engine::ENGINE_VERSION;
use crate::journal::{Entry, EntryKind, Hash, Verdict};
use crate::room::{Room, RoomError};

/// Binding names (wrangler.toml).
const DO_BINDING: &str = "GAME_ROOM";
const D1_BINDING: &str = "DB";
const AUTH_SECRET: &str = "AUTH_SECRET";

const ROOM_PREFIX: &str = "/parties/game-server/";
/// Longest accepted game id.
const MAX_GAME_ID: usize = 128;
/// Entries per D1 batch (one statement per entry: 14 bound parameters, well under D1's 100).
const D1_BATCH: usize = 50;
/// Batches per outbox flush; what is left waits for the next flush.
const D1_MAX_BATCHES: usize = 8;

// ---------------------------------------------------------------------------------------------
// Errors and responses

/// An HTTP error with a stable code. Rendered as `{"error":{"code":..,"message":..}}`, or, for
/// engine errors, as the engine's own JSON body.
#[derive(Debug)]
struct ApiError {
    status: u16,
    body: Value,
}

impl ApiError {
    fn new(status: u16, code: &str, message: impl Display) -> Self {
        ApiError {
            status,
            body: json!({ "error": { "code": code, "message": message.to_string() } }),
        }
    }

    fn internal(message: impl Display) -> Self {
        let message = message.to_string();
        console_error!("internal error: {}", message);
        ApiError::new(500, "INTERNAL", message)
    }

    fn not_found(message: impl Display) -> Self {
        ApiError::new(404, "NOT_FOUND", message)
    }

    fn room(err: RoomError) -> Self {
        ApiError {
            status: err.http_status(),
            body: err.to_json(),
        }
    }

    fn into_response(self) -> worker::Result<Response> {
        json_response(self.status, &self.body)
    }
}

impl From<worker::Error> for ApiError {
    fn from(err: worker::Error) -> Self {
        ApiError::internal(err)
    }
}

type ApiResult<T> = std::result::Result<T, ApiError>;

fn json_response(status: u16, body: &Value) -> worker::Result<Response> {
    Ok(Response::from_json(body)?.with_status(status))
}

fn respond(result: ApiResult<Response>) -> worker::Result<Response> {
    match result {
        Ok(resp) => Ok(resp),
        Err(err) => err.into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// Routing

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RoomAction {
    Init,
    State,
    Journal,
}

/// Parses `/parties/game-server/:gameId/:action` and checks the method and the game id.
fn parse_room_route(path: &str, method: &Method) -> ApiResult<(String, RoomAction)> {
    let (game_id, action) = match_room_route(path, method)?;
    check_game_id(game_id)?;
    Ok((game_id.to_string(), action))
}

/// Matches `/parties/game-server/:gameId/:action` and checks the method; the game id is not
/// checked yet (the Worker authenticates first, so nothing is said to a caller without the bearer).
fn match_room_route<'a>(path: &'a str, method: &Method) -> ApiResult<(&'a str, RoomAction)> {
    let rest = path
        .strip_prefix(ROOM_PREFIX)
        .ok_or_else(|| ApiError::not_found(format!("no route for {path}")))?;
    let mut parts = rest.split('/');
    let (Some(game_id), Some(action), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(ApiError::not_found(format!("no route for {path}")));
    };
    let (action, allowed, allowed_name) = match action {
        "init" => (RoomAction::Init, Method::Post, "POST"),
        "state" => (RoomAction::State, Method::Get, "GET"),
        "journal" => (RoomAction::Journal, Method::Get, "GET"),
        _ => return Err(ApiError::not_found(format!("no route for {path}"))),
    };
    if *method != allowed {
        return Err(ApiError::new(
            405,
            "METHOD_NOT_ALLOWED",
            format!("{path} accepts {allowed_name} only"),
        ));
    }
    Ok((game_id, action))
}

/// Game ids are 1..=128 characters of `[A-Za-z0-9._-]`.
fn check_game_id(game_id: &str) -> ApiResult<()> {
    let ok = !game_id.is_empty()
        && game_id.len() <= MAX_GAME_ID
        && game_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    if ok {
        Ok(())
    } else {
        Err(ApiError::new(
            400,
            "BAD_GAME_ID",
            format!("game id must be 1 to {MAX_GAME_ID} characters of A-Z a-z 0-9 . _ -"),
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// The Worker

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    respond(route(req, &env).await)
}

async fn route(req: Request, env: &Env) -> ApiResult<Response> {
    let path = req.path();
    let method = req.method();
    if path == "/health" {
        if method != Method::Get {
            return Err(ApiError::new(
                405,
                "METHOD_NOT_ALLOWED",
                "/health accepts GET only",
            ));
        }
        return Ok(json_response(
            200,
            &json!({ "ok": true, "engine": ENGINE_VERSION }),
        )?);
    }
    let (game_id, _action) = match_room_route(&path, &method)?;
    authorize(&req, env)?;
    check_game_id(game_id)?;
    let stub = env
        .durable_object(DO_BINDING)?
        .id_from_name(game_id)?
        .get_stub()?;
    Ok(stub.fetch_with_request(req).await?)
}

/// Checks `Authorization: Bearer <AUTH_SECRET>`. Refuses everything while the secret is unset.
fn authorize(req: &Request, env: &Env) -> ApiResult<()> {
    let secret = env
        .secret(AUTH_SECRET)
        .map(|s| s.to_string())
        .unwrap_or_default();
    if secret.is_empty() {
        console_error!("AUTH_SECRET is not set: refusing authenticated routes");
        return Err(ApiError::new(
            503,
            "AUTH_NOT_CONFIGURED",
            "the server has no AUTH_SECRET configured",
        ));
    }
    let header = req
        .headers()
        .get("Authorization")
        .ok()
        .flatten()
        .unwrap_or_default();
    let token = bearer_token(&header)
        .ok_or_else(|| ApiError::new(401, "UNAUTHORIZED", "missing bearer token"))?;
    if constant_time_eq(token.as_bytes(), secret.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::new(401, "UNAUTHORIZED", "invalid bearer token"))
    }
}

fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim();
    (!token.is_empty()).then_some(token)
}

/// Compares fixed-size digests of both sides, so the time taken depends on neither the contents
/// nor the length of the secret.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let ha = blake3::hash(a);
    let hb = blake3::hash(b);
    ha.as_bytes()
        .iter()
        .zip(hb.as_bytes().iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

// ---------------------------------------------------------------------------------------------
// The Durable Object

/// One game room. Its storage (SQLite): `meta` (key → value; `snapshot` = the room's snapshot
/// bytes), `journal` (the entries, same columns as D1's `journal`), `outbox` (seqs not yet
/// confirmed in D1).
#[durable_object]
pub struct GameRoom {
    state: State,
    env: Env,
    schema_ready: Cell<bool>,
}

impl DurableObject for GameRoom {
    /// Must stay cheap and side-effect free: no storage writes, and never arm alarms here.
    fn new(state: State, env: Env) -> Self {
        GameRoom {
            state,
            env,
            schema_ready: Cell::new(false),
        }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        respond(self.handle(req).await)
    }
}

const DO_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS journal (
  game_id TEXT NOT NULL, seq INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, day INTEGER NOT NULL,
  kind TEXT NOT NULL, actor TEXT NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL,
  verdict TEXT NOT NULL, facts TEXT NOT NULL, engine TEXT NOT NULL, v INTEGER NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY);
";

/// The journal columns, in the order every query here selects and binds them.
const JOURNAL_COLUMNS: &str =
    "game_id, seq, at_ms, day, kind, actor, type, payload, verdict, facts, engine, v, prev_hash, hash";

impl GameRoom {
    async fn handle(&self, mut req: Request) -> ApiResult<Response> {
        let (game_id, action) = parse_room_route(&req.path(), &req.method())?;
        match action {
            RoomAction::Init => {
                // Read the body before touching storage: from the existence check to the last
                // write below there is no await, so the check and the writes are one atomic turn.
                let body = req.bytes().await.map_err(|e| {
                    ApiError::new(400, "BAD_BODY", format!("cannot read the body: {e}"))
                })?;
                self.init(&game_id, &body).await
            }
            RoomAction::State => self.public_state(),
            RoomAction::Journal => {
                let from = journal_from(&req)?;
                self.journal_lines(from)
            }
        }
    }

    fn sql(&self) -> ApiResult<SqlStorage> {
        let sql = self.state.storage().sql();
        if !self.schema_ready.get() {
            sql.exec(DO_SCHEMA, None)?;
            self.schema_ready.set(true);
        }
        Ok(sql)
    }

    async fn init(&self, game_id: &str, body: &[u8]) -> ApiResult<Response> {
        let sql = self.sql()?;
        if load_snapshot(&sql)?.is_some() {
            return Err(ApiError::new(
                409,
                "ROOM_EXISTS",
                format!("room {game_id} already exists"),
            ));
        }
        let seed = random_seed()?;
        let now_ms = Date::now().as_millis() as i64;
        let (room, entries) = Room::create(game_id, body, now_ms, seed).map_err(ApiError::room)?;
        persist_new_room(&sql, &room, &entries)?;

        // The entries are safe in DO storage; D1 is best effort here (they stay in the outbox).
        if let Err(err) = self.flush_outbox(&sql).await {
            console_error!(
                "room {}: D1 write failed, entries stay in the outbox: {}",
                game_id,
                err.body
            );
        }
        Ok(json_response(
            201,
            &json!({ "gameId": room.game_id(), "seq": room.seq(), "head": room.head().to_hex() }),
        )?)
    }

    fn public_state(&self) -> ApiResult<Response> {
        let sql = self.sql()?;
        let room = load_room(&sql)?;
        let lag = outbox_lag(&sql)?;
        let extra = [
            ("journalHead", json!(room.head().to_hex())),
            ("seq", json!(room.seq())),
            ("outboxLag", json!(lag)),
        ];
        let body = match room.public_state() {
            Value::Object(mut map) => {
                for (k, v) in extra {
                    map.insert(k.to_string(), v);
                }
                Value::Object(map)
            }
            other => {
                let mut map = serde_json::Map::new();
                map.insert("state".to_string(), other);
                for (k, v) in extra {
                    map.insert(k.to_string(), v);
                }
                Value::Object(map)
            }
        };
        Ok(json_response(200, &body)?)
    }

    fn journal_lines(&self, from: u64) -> ApiResult<Response> {
        let sql = self.sql()?;
        if load_snapshot(&sql)?.is_none() {
            return Err(room_not_found());
        }
        let entries = read_entries(
            &sql,
            &format!("SELECT {JOURNAL_COLUMNS} FROM journal WHERE seq >= ? ORDER BY seq"),
            vec![sql_int(from)?],
        )?;
        let mut out = String::new();
        for entry in &entries {
            let line = serde_json::to_string(entry).map_err(ApiError::internal)?;
            out.push_str(&line);
            out.push('\n');
        }
        let mut resp = Response::ok(out)?;
        resp.headers_mut()
            .set("Content-Type", "application/x-ndjson")?;
        Ok(resp)
    }

    /// Writes outbox entries to D1 (`INSERT OR IGNORE`, one batch per [`D1_BATCH`] entries) and
    /// removes the confirmed ones from the outbox. Returns how many were confirmed.
    async fn flush_outbox(&self, sql: &SqlStorage) -> ApiResult<usize> {
        let db = self.env.d1(D1_BINDING)?;
        let mut confirmed = 0;
        for _ in 0..D1_MAX_BATCHES {
            let entries = read_entries(
                sql,
                &format!(
                    "SELECT {cols} FROM journal WHERE seq IN (SELECT seq FROM outbox) ORDER BY seq LIMIT {D1_BATCH}",
                    cols = JOURNAL_COLUMNS
                ),
                vec![],
            )?;
            let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
                break;
            };
            let (lo, hi) = (first.seq, last.seq);
            let mut statements = Vec::with_capacity(entries.len() + 1);
            for entry in &entries {
                statements.push(d1_insert_entry(&db, entry)?);
                if let Some(stmt) = d1_insert_game(&db, entry)? {
                    statements.push(stmt);
                }
            }
            let results = db.batch(statements).await?;
            if let Some(err) = results.iter().find(|r| !r.success()) {
                return Err(ApiError::internal(format!(
                    "D1 batch failed: {}",
                    err.error().unwrap_or_default()
                )));
            }
            sql.exec(
                "DELETE FROM outbox WHERE seq >= ? AND seq <= ?",
                vec![sql_int(lo)?, sql_int(hi)?],
            )?;
            confirmed += entries.len();
            if entries.len() < D1_BATCH {
                break;
            }
        }
        Ok(confirmed)
    }
}

fn room_not_found() -> ApiError {
    ApiError::new(
        404,
        "ROOM_NOT_FOUND",
        "no room with this game id; POST …/init first",
    )
}

/// `?from=SEQ` (default 1).
fn journal_from(req: &Request) -> ApiResult<u64> {
    let url = req.url()?;
    match url.query_pairs().find(|(k, _)| k == "from") {
        None => Ok(1),
        Some((_, v)) => v
            .parse::<u64>()
            .map_err(|_| ApiError::new(400, "BAD_QUERY", "from must be a non-negative integer")),
    }
}

// ---------------------------------------------------------------------------------------------
// DO storage

fn sql_int(n: u64) -> ApiResult<SqlStorageValue> {
    let n = i64::try_from(n).map_err(|_| ApiError::internal("integer out of range"))?;
    Ok(SqlStorageValue::try_from_i64(n)?)
}

fn load_snapshot(sql: &SqlStorage) -> ApiResult<Option<Vec<u8>>> {
    let cursor = sql.exec("SELECT value FROM meta WHERE key = 'snapshot'", None)?;
    match cursor.raw().next() {
        None => Ok(None),
        Some(row) => match row?.into_iter().next() {
            Some(SqlStorageValue::Blob(bytes)) => Ok(Some(bytes)),
            _ => Err(ApiError::internal("stored snapshot is not a blob")),
        },
    }
}

fn load_room(sql: &SqlStorage) -> ApiResult<Room> {
    let bytes = load_snapshot(sql)?.ok_or_else(room_not_found)?;
    Room::from_snapshot(&bytes).map_err(ApiError::room)
}

fn outbox_lag(sql: &SqlStorage) -> ApiResult<u64> {
    let cursor = sql.exec("SELECT COUNT(*) FROM outbox", None)?;
    match cursor.raw().next() {
        Some(row) => {
            let row = row?;
            Ok(row.first().and_then(as_u64).unwrap_or(0))
        }
        None => Ok(0),
    }
}

/// Stores a freshly created room: its entries (journal + outbox), then the snapshot, which marks
/// the room as existing. Leftovers of an earlier init that failed half-way are cleared first.
/// No await in here: the writes commit together.
fn persist_new_room(sql: &SqlStorage, room: &Room, entries: &[Entry]) -> ApiResult<()> {
    sql.exec("DELETE FROM journal", None)?;
    sql.exec("DELETE FROM outbox", None)?;
    for entry in entries {
        sql.exec(
            &format!("INSERT INTO journal ({JOURNAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            entry_values(entry)?,
        )?;
        sql.exec(
            "INSERT OR IGNORE INTO outbox (seq) VALUES (?)",
            vec![sql_int(entry.seq)?],
        )?;
    }
    sql.exec(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('snapshot', ?)",
        vec![SqlStorageValue::Blob(room.snapshot_bytes())],
    )?;
    Ok(())
}

fn entry_values(e: &Entry) -> ApiResult<Vec<SqlStorageValue>> {
    Ok(vec![
        e.game_id.as_str().into(),
        sql_int(e.seq)?,
        SqlStorageValue::try_from_i64(e.at_ms)?,
        i64::from(e.day).into(),
        e.kind.as_str().into(),
        e.actor.as_str().into(),
        e.typ.as_str().into(),
        e.payload.as_str().into(),
        e.verdict.to_wire().into(),
        e.facts.as_str().into(),
        e.engine.as_str().into(),
        i64::from(e.v).into(),
        e.prev_hash.to_hex().into(),
        e.hash.to_hex().into(),
    ])
}

fn read_entries(
    sql: &SqlStorage,
    query: &str,
    bindings: Vec<SqlStorageValue>,
) -> ApiResult<Vec<Entry>> {
    let cursor = sql.exec(query, bindings)?;
    let mut out = Vec::new();
    for row in cursor.raw() {
        let row = row?;
        out.push(
            entry_from_row(&row)
                .map_err(|e| ApiError::internal(format!("corrupt journal row: {e}")))?,
        );
    }
    Ok(out)
}

fn as_u64(v: &SqlStorageValue) -> Option<u64> {
    match v {
        SqlStorageValue::Integer(i) => u64::try_from(*i).ok(),
        SqlStorageValue::Float(f)
            if f.fract() == 0.0 && *f >= 0.0 && *f < 9.007_199_254_740_992e15 =>
        {
            Some(*f as u64)
        }
        _ => None,
    }
}

fn as_i64(v: &SqlStorageValue) -> Option<i64> {
    match v {
        SqlStorageValue::Integer(i) => Some(*i),
        SqlStorageValue::Float(f) if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 => {
            Some(*f as i64)
        }
        _ => None,
    }
}

fn as_str(v: &SqlStorageValue) -> Option<&str> {
    match v {
        SqlStorageValue::String(s) => Some(s),
        _ => None,
    }
}

/// Rebuilds an [`Entry`] from a row selected with [`JOURNAL_COLUMNS`].
fn entry_from_row(row: &[SqlStorageValue]) -> std::result::Result<Entry, String> {
    let col = |i: usize, name: &str| row.get(i).ok_or_else(|| format!("missing column {name}"));
    let text = |i: usize, name: &str| {
        col(i, name).and_then(|v| {
            as_str(v)
                .map(str::to_string)
                .ok_or_else(|| format!("{name} is not text"))
        })
    };
    let uint = |i: usize, name: &str| {
        col(i, name).and_then(|v| as_u64(v).ok_or_else(|| format!("{name} is not an integer")))
    };
    let hash = |i: usize, name: &str| {
        text(i, name)
            .and_then(|s| Hash::from_hex(&s).ok_or_else(|| format!("{name} is not a 64-hex hash")))
    };
    let kind = text(4, "kind")?;
    let verdict = text(8, "verdict")?;
    Ok(Entry {
        game_id: text(0, "game_id")?,
        seq: uint(1, "seq")?,
        at_ms: col(2, "at_ms")
            .and_then(|v| as_i64(v).ok_or_else(|| "at_ms is not an integer".to_string()))?,
        day: u32::try_from(uint(3, "day")?).map_err(|_| "day out of range".to_string())?,
        kind: EntryKind::parse(&kind).ok_or_else(|| format!("unknown kind {kind}"))?,
        actor: text(5, "actor")?,
        typ: text(6, "type")?,
        payload: text(7, "payload")?,
        verdict: Verdict::parse(&verdict).ok_or_else(|| format!("bad verdict {verdict}"))?,
        facts: text(9, "facts")?,
        engine: text(10, "engine")?,
        v: u32::try_from(uint(11, "v")?).map_err(|_| "v out of range".to_string())?,
        prev_hash: hash(12, "prev_hash")?,
        hash: hash(13, "hash")?,
    })
}

// ---------------------------------------------------------------------------------------------
// D1

fn d1_insert_entry(db: &D1Database, e: &Entry) -> ApiResult<D1PreparedStatement> {
    let values: [JsValue; 14] = [
        JsValue::from_str(&e.game_id),
        JsValue::from_f64(e.seq as f64),
        JsValue::from_f64(e.at_ms as f64),
        JsValue::from_f64(f64::from(e.day)),
        JsValue::from_str(e.kind.as_str()),
        JsValue::from_str(&e.actor),
        JsValue::from_str(&e.typ),
        JsValue::from_str(&e.payload),
        JsValue::from_str(&e.verdict.to_wire()),
        JsValue::from_str(&e.facts),
        JsValue::from_str(&e.engine),
        JsValue::from_f64(f64::from(e.v)),
        JsValue::from_str(&e.prev_hash.to_hex()),
        JsValue::from_str(&e.hash.to_hex()),
    ];
    Ok(db
        .prepare(format!(
            "INSERT OR IGNORE INTO journal ({JOURNAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(&values)?)
}

/// The `games` row, written alongside entry 1 (SYSTEM.INIT, whose payload holds the manifest).
fn d1_insert_game(db: &D1Database, e: &Entry) -> ApiResult<Option<D1PreparedStatement>> {
    if e.seq != 1 {
        return Ok(None);
    }
    let payload: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
    let Some(mode) = payload.pointer("/manifest/mode").and_then(Value::as_str) else {
        return Ok(None);
    };
    let values = [
        JsValue::from_str(&e.game_id),
        JsValue::from_str(mode),
        JsValue::from_str("ACTIVE"),
        JsValue::from_f64(e.at_ms as f64),
    ];
    Ok(Some(
        db.prepare("INSERT OR IGNORE INTO games (game_id, mode, status, created_at_ms) VALUES (?, ?, ?, ?)")
            .bind(&values)?,
    ))
}

// ---------------------------------------------------------------------------------------------
// Randomness

/// 32 bytes from `crypto.getRandomValues` (the Workers runtime's CSPRNG).
fn random_seed() -> ApiResult<[u8; 32]> {
    let global = worker::js_sys::global();
    let crypto = Reflect::get(&global, &JsValue::from_str("crypto"))
        .map_err(|_| ApiError::internal("globalThis.crypto is unavailable"))?;
    let get_random_values: Function = Reflect::get(&crypto, &JsValue::from_str("getRandomValues"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| ApiError::internal("crypto.getRandomValues is unavailable"))?;
    let buf = Uint8Array::new_with_length(32);
    get_random_values
        .call1(&crypto, &buf)
        .map_err(|_| ApiError::internal("crypto.getRandomValues failed"))?;
    let seed: [u8; 32] = buf
        .to_vec()
        .try_into()
        .map_err(|_| ApiError::internal("crypto.getRandomValues returned the wrong length"))?;
    if seed == [0u8; 32] {
        return Err(ApiError::internal("crypto.getRandomValues returned zeros"));
    }
    Ok(seed)
}
