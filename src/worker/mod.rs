//! Cloudflare glue (wasm32 only): the Worker's HTTP routes, the `GameRoom` Durable Object, and the
//! DO-SQLite and D1 persistence of the journal.
//!
//! Routes (every error body is `{"error":{"code":STABLE_CODE,"message":...}}`):
//! - `GET  /health` → `{"ok":true,"engine":ENGINE_VERSION}`
//! - `POST /parties/game-server/:gameId/init` (Bearer) → 201 `{gameId, seq, head}`, 409 if the room exists
//! - `GET  /parties/game-server/:gameId/state` (Bearer) → public state + `journalHead`, `seq`, `outboxLag` …
//!   (`room::admin::operator_state`)
//! - `POST /parties/game-server/:gameId/admin` (Bearer) → bodies decoded by `room::admin`
//! - `GET  /parties/game-server/:gameId/journal?from=SEQ` (Bearer) → entries as JSON lines
//!
//! The Worker checks the bearer and forwards room routes to the DO named by the game id. The DO keeps
//! the snapshot, its journal rows and an outbox of seqs not yet confirmed in D1; entries go to D1 with
//! `INSERT OR IGNORE` (retries are harmless), and a D1 failure never fails a request.
//!
//! Nothing here may panic: a panic in wasm aborts the instance and kills the room. All fallible
//! calls return [`ApiError`], which becomes a JSON error response.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt::Display;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use worker::js_sys::{Function, Reflect, Uint8Array};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::{
    console_error, durable_object, event, Context, D1Database, D1PreparedStatement, Date, Delay,
    DurableObject, Env, Method, Request, Response, ScheduledTime, SqlStorage, SqlStorageValue,
    State, WebSocket, WebSocketIncomingMessage, WebSocketPair,
};

use crate::engine::ticker::TickerLine;
use crate::engine::{Command, ENGINE_VERSION};
use crate::journal::{Entry, EntryKind, Hash, Verdict};
use crate::room::admin::{
    operator_state, AdminResponse, DevFailD1Response, JournaledResponse, NextTask, OperatorStatus,
    TaskListResponse, OPERATOR_NEXT_TASKS,
};
use crate::room::alarms::{AlarmQueue, AlarmTask, SyncChanges};
use crate::room::live::{LiveError, LiveRoom, Store, Stored};
use crate::room::protocol::{ServerMessage, TICKER_HISTORY_LINES};
use crate::room::route::RouteError;
use crate::room::session::{self, SessionError};
use crate::room::{
    check_player_joined, parse_admin_request, parse_client_message, token, AdminError,
    AdminRequest, Room, RoomError,
};

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

/// Every error body comes from a typed error (RouteError, RoomError, AdminError), so every code a
/// client can receive is in `schemas/http-error.schema.json`.
impl ApiError {
    fn internal(message: impl Display) -> Self {
        let message = message.to_string();
        console_error!("internal error: {}", message);
        RouteError::Internal(message).into()
    }

    fn not_found(message: impl Display) -> Self {
        RouteError::NotFound(message.to_string()).into()
    }

    /// A storage failure of the live room, or the room error inside it.
    fn live<E: Display + std::fmt::Debug>(err: LiveError<E>) -> Self {
        match err {
            LiveError::Store(e) => RouteError::StorageFailed(e.to_string()).into(),
            LiveError::Room(r) => ApiError::room(r),
            LiveError::NoRoom => RouteError::RoomNotFound.into(),
        }
    }

    fn room(err: RoomError) -> Self {
        ApiError {
            status: err.http_status(),
            body: err.to_json(),
        }
    }

    fn admin(err: AdminError) -> Self {
        ApiError {
            status: err.http_status(),
            body: err.to_json(),
        }
    }

    fn into_response(self) -> worker::Result<Response> {
        json_response(self.status, &self.body)
    }
}

impl From<RouteError> for ApiError {
    fn from(err: RouteError) -> Self {
        ApiError {
            status: err.http_status(),
            body: err.to_json(),
        }
    }
}

impl From<worker::Error> for ApiError {
    fn from(err: worker::Error) -> Self {
        ApiError::internal(err)
    }
}

type ApiResult<T> = std::result::Result<T, ApiError>;

fn json_response(status: u16, body: &impl Serialize) -> worker::Result<Response> {
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
    Admin,
    PlayerJoined,
    /// `GET /parties/game-server/:gameId` with `Upgrade: websocket`.
    Connect,
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
    let (Some(game_id), action, None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(ApiError::not_found(format!("no route for {path}")));
    };
    let (action, allowed, allowed_name) = match action.unwrap_or("") {
        "" => (RoomAction::Connect, Method::Get, "GET"),
        "init" => (RoomAction::Init, Method::Post, "POST"),
        "state" => (RoomAction::State, Method::Get, "GET"),
        "journal" => (RoomAction::Journal, Method::Get, "GET"),
        "admin" => (RoomAction::Admin, Method::Post, "POST"),
        "player-joined" => (RoomAction::PlayerJoined, Method::Post, "POST"),
        _ => return Err(ApiError::not_found(format!("no route for {path}"))),
    };
    if *method != allowed {
        return Err(
            RouteError::MethodNotAllowed(format!("{path} accepts {allowed_name} only")).into(),
        );
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
        Err(RouteError::BadGameId(format!(
            "game id must be 1 to {MAX_GAME_ID} characters of A-Z a-z 0-9 . _ -"
        ))
        .into())
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
            return Err(RouteError::MethodNotAllowed("/health accepts GET only".into()).into());
        }
        return Ok(json_response(
            200,
            &json!({ "ok": true, "engine": ENGINE_VERSION }),
        )?);
    }
    let (game_id, action) = match_room_route(&path, &method)?;
    match action {
        // The room checks the token itself (and closes a bad one with 4003).
        RoomAction::Connect => {}
        // Bearer AUTH_SECRET or a player token for this game (the room checks the roster).
        RoomAction::State => authorize_state(&req, env, game_id)?,
        _ => authorize(&req, env)?,
    }
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
        return Err(RouteError::AuthNotConfigured.into());
    }
    let header = req
        .headers()
        .get("Authorization")
        .ok()
        .flatten()
        .unwrap_or_default();
    let token = bearer_token(&header)
        .ok_or_else(|| RouteError::Unauthorized("missing bearer token".into()))?;
    if constant_time_eq(token.as_bytes(), secret.as_bytes()) {
        Ok(())
    } else {
        Err(RouteError::Unauthorized("invalid bearer token".into()).into())
    }
}

/// `GET …/state`: the bearer is AUTH_SECRET or a valid player token for this game.
fn authorize_state(req: &Request, env: &Env, game_id: &str) -> ApiResult<()> {
    let secret = env
        .secret(AUTH_SECRET)
        .map(|s| s.to_string())
        .unwrap_or_default();
    let header = req
        .headers()
        .get("Authorization")
        .ok()
        .flatten()
        .unwrap_or_default();
    let is_player = bearer_token(&header).is_some_and(|t| {
        !secret.is_empty()
            && token::verify(
                secret.as_bytes(),
                t,
                game_id,
                Date::now().as_millis() as i64 / 1000,
            )
            .is_ok()
    });
    if is_player {
        Ok(())
    } else {
        authorize(req, env)
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

/// Identity of an accepted WebSocket, kept in its attachment (survives hibernation).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct SocketId {
    #[serde(rename = "playerId")]
    player_id: String,
    /// Connection id, keys the in-memory rate limiter.
    cid: String,
    /// The token's `exp` (unix seconds): frames after it close the socket (0: not recorded).
    #[serde(default)]
    exp: i64,
}

/// A per-socket token bucket: [`RATE_PER_S`] messages a second, bursts of [`RATE_BURST`].
#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    last_ms: f64,
    /// Consecutive rate-limited messages; [`RATE_STRIKES_CLOSE`] of them close the socket (4008).
    strikes: u32,
}

const RATE_PER_S: f64 = 10.0;
const RATE_BURST: f64 = 20.0;
const RATE_STRIKES_CLOSE: u32 = 20;

/// WebSocket close codes (docs/protocol.md).
const CLOSE_AUTH: u16 = 4003;
const CLOSE_ABUSE: u16 = 4008;

/// Tasks fired per alarm delivery; the rest run at the next (immediate) delivery.
const FIRE_PER_ALARM: usize = 64;
/// When entries wait in the outbox without a D1 failure, the alarm flushes them after this delay.
const FLUSH_DELAY_MS: i64 = 200;
/// A commit flushes right away when this many entries wait, or when the last flush started at
/// least [`FLUSH_DELAY_MS`] ago; otherwise its entries ride the next batch (the alarm, armed at
/// last flush + [`FLUSH_DELAY_MS`], guarantees it happens). Quiet rooms flush every entry at once;
/// busy rooms send fuller batches.
const FLUSH_MIN_BATCH: u64 = 32;
/// D1 retry backoff: 500 ms doubling up to 60 s.
const BACKOFF_BASE_MS: i64 = 500;
const BACKOFF_MAX_MS: i64 = 60_000;
/// SYNC broadcasts are throttled to one per this interval: a change in a quiet room is broadcast at
/// once, changes arriving within the interval after a broadcast ride one trailing broadcast. Every
/// socket still sees every change (the trailing SYNC reads the state when it is sent), but a busy
/// room builds 20 projections once per interval instead of once per action, which is what kept
/// ACKs waiting under load (BENCHMARKS.md). ACKs and ERRORs are never delayed.
const SYNC_INTERVAL_MS: i64 = 20;
/// Journal rows of the current day read to rebuild the ticker history on connect (most rows yield
/// no line: chat, votes, tasks).
const TICKER_HISTORY_SCAN: usize = 400;

/// One game room. Its storage (SQLite): `meta` (key → value: `snapshot`, `snapshot_seq`,
/// `confirmed_seq`, `d1_failures`, `d1_retry_at`, `dev_fail_d1`), `journal` (every entry, same
/// columns as D1's `journal`; the tail is the part after `snapshot_seq`), `outbox` (seqs not yet
/// confirmed in D1) and `tasks` (the AlarmManager's queue, a mirror of the engine's timeline).
/// The loaded [`LiveRoom`] stays in memory between requests; a cold start (new instance, or
/// after hibernation) reloads it from snapshot + tail.
#[durable_object]
pub struct GameRoom {
    state: State,
    env: Env,
    schema_ready: Cell<bool>,
    live: RefCell<Option<LiveRoom<DoStore>>>,
    queue: RefCell<Option<AlarmQueue>>,
    /// The alarm time last set by this instance (`None`: unknown or none).
    armed: Cell<Option<i64>>,
    /// Whether this instance has armed (or cleared) the alarm at least once.
    alarm_checked: Cell<bool>,
    flushing: Cell<bool>,
    /// When the last flush started (ms; 0: never in this instance).
    last_flush_ms: Cell<i64>,
    buckets: RefCell<HashMap<String, Bucket>>,
    next_cid: Cell<u64>,
    /// When the last SYNC broadcast was sent (ms; 0: never in this instance).
    last_sync_ms: Cell<i64>,
    /// A trailing SYNC broadcast is already waiting (see [`SYNC_INTERVAL_MS`]).
    sync_pending: Cell<bool>,
    /// Ticker lines of committed entries, sent with the next broadcast.
    ticker: RefCell<Vec<TickerLine>>,
}

impl DurableObject for GameRoom {
    /// Must stay cheap and side-effect free: no storage writes, and never arm alarms here.
    fn new(state: State, env: Env) -> Self {
        GameRoom {
            state,
            env,
            schema_ready: Cell::new(false),
            live: RefCell::new(None),
            queue: RefCell::new(None),
            armed: Cell::new(None),
            alarm_checked: Cell::new(false),
            flushing: Cell::new(false),
            last_flush_ms: Cell::new(0),
            buckets: RefCell::new(HashMap::new()),
            next_cid: Cell::new(0),
            last_sync_ms: Cell::new(0),
            sync_pending: Cell::new(false),
            ticker: RefCell::new(Vec::new()),
        }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        respond(self.handle(req).await)
    }

    async fn alarm(&self) -> worker::Result<Response> {
        if let Err(err) = self.on_alarm().await {
            console_error!("alarm failed: {}", err.body);
        }
        Response::ok("")
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> worker::Result<()> {
        if let Err(err) = self.on_message(&ws, message).await {
            console_error!("websocket message failed: {}", err.body);
        }
        Ok(())
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        _code: usize,
        _reason: String,
        _was_clean: bool,
    ) -> worker::Result<()> {
        self.socket_gone(&ws);
        let _ = ws.close(Some(1000), Some("closed"));
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> worker::Result<()> {
        self.socket_gone(&ws);
        Ok(())
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
CREATE TABLE IF NOT EXISTS tasks (task_id TEXT PRIMARY KEY, due_ms INTEGER NOT NULL, payload TEXT NOT NULL);
";

/// The journal columns, in the order every query here selects and binds them.
const JOURNAL_COLUMNS: &str =
    "game_id, seq, at_ms, day, kind, actor, type, payload, verdict, facts, engine, v, prev_hash, hash";

fn now_ms() -> i64 {
    Date::now().as_millis() as i64
}

fn ws_send(ws: &WebSocket, msg: &Value) {
    if let Err(e) = ws.send_with_str(msg.to_string()) {
        console_error!("websocket send failed: {}", e);
    }
}

fn ws_error(reference: Option<&str>, code: &str, message: impl Display) -> Value {
    json!({ "type": "ERROR", "ref": reference, "code": code, "message": message.to_string() })
}

/// What one journaled input produced, for the reply.
struct Committed {
    seq: u64,
    verdict: Verdict,
}

impl GameRoom {
    async fn handle(&self, req: Request) -> ApiResult<Response> {
        let result = self.route(req).await;
        // A fresh instance (cold start, or after a restart) re-asserts the alarm once, so tasks
        // that fell due while nothing ran are caught up even if the stored alarm was lost.
        if !self.alarm_checked.get() && self.live.borrow().is_some() {
            if let Err(err) = self.arm().await {
                console_error!("arming the alarm failed: {}", err.body);
            }
        }
        result
    }

    async fn route(&self, mut req: Request) -> ApiResult<Response> {
        let (game_id, action) = parse_room_route(&req.path(), &req.method())?;
        match action {
            RoomAction::Init => {
                // Read the body before touching storage: from the existence check to the last
                // write below there is no await, so the check and the writes are one atomic turn.
                let body = read_body(&mut req).await?;
                self.init(&game_id, &body).await
            }
            RoomAction::State => self.get_state(&req, &game_id),
            RoomAction::Journal => {
                let from = journal_from(&req)?;
                self.journal_lines(from)
            }
            RoomAction::Admin => {
                let body = read_body(&mut req).await?;
                self.admin(&body).await
            }
            RoomAction::PlayerJoined => {
                let body = read_body(&mut req).await?;
                self.player_joined(&body).await
            }
            RoomAction::Connect => self.accept_socket(&req, &game_id),
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

    fn secret(&self) -> String {
        self.env
            .secret(AUTH_SECRET)
            .map(|s| s.to_string())
            .unwrap_or_default()
    }

    fn dev_faults(&self) -> bool {
        self.env
            .var("DEV_FAULTS")
            .map(|v| v.to_string() == "1")
            .unwrap_or(false)
    }

    /// Loads the room (snapshot + tail) and the task queue when this instance has not yet.
    fn ensure_loaded(&self) -> ApiResult<()> {
        if self.live.borrow().is_some() {
            return Ok(());
        }
        let sql = self.sql()?;
        let live = match LiveRoom::open(DoStore::new(sql.clone())) {
            Ok(l) => l,
            Err(LiveError::NoRoom) => return Err(room_not_found()),
            Err(e) => return Err(ApiError::live(e)),
        };
        let mut queue = AlarmQueue::from_tasks(load_tasks(&sql)?);
        // The table mirrors the engine: repair any drift (e.g. a write that failed after a commit).
        let changes = queue.sync(&live.room.alarm_tasks());
        write_task_changes(&sql, &changes)?;
        *self.queue.borrow_mut() = Some(queue);
        *self.live.borrow_mut() = Some(live);
        Ok(())
    }

    /// Journals one input and commits it to DO storage (no await in here: one atomic turn).
    /// Only after this returns Ok may the input be acknowledged.
    fn journal(&self, kind: EntryKind, actor: &str, cmd: &Command) -> ApiResult<Committed> {
        self.ensure_loaded()?;
        let mut guard = self.live.borrow_mut();
        let live = guard.as_mut().ok_or_else(room_not_found)?;
        let s = live
            .room
            .submit(kind, actor, cmd, now_ms())
            .map_err(ApiError::room)?;
        if let Err(e) = live.commit(&s.entries) {
            // Memory ran ahead of storage: forget it, the next request reloads.
            *guard = None;
            *self.queue.borrow_mut() = None;
            return Err(ApiError::live(e));
        }
        let seq = s.entries.first().map(|e| e.seq).unwrap_or(0);
        self.ticker
            .borrow_mut()
            .extend(live.room.ticker(&s.entries));
        self.sync_tasks(&live.room)?;
        Ok(Committed {
            seq,
            verdict: s.verdict,
        })
    }

    /// Mirrors the engine's pending timeline into the `tasks` table.
    fn sync_tasks(&self, room: &Room) -> ApiResult<()> {
        let sql = self.sql()?;
        let mut q = self.queue.borrow_mut();
        let queue = match q.as_mut() {
            Some(q) => q,
            None => q.insert(AlarmQueue::from_tasks(load_tasks(&sql)?)),
        };
        let changes = queue.sync(&room.alarm_tasks());
        write_task_changes(&sql, &changes)
    }

    /// After any change: every socket gets its SYNC (now, or in one trailing broadcast when the
    /// last one was under [`SYNC_INTERVAL_MS`] ago), the outbox goes to D1, the alarm is re-armed.
    async fn after_change(&self) {
        let trailing = self.sync_soon();
        let waiting = self
            .sql()
            .ok()
            .and_then(|sql| outbox_lag(&sql).ok())
            .unwrap_or(0);
        if waiting >= FLUSH_MIN_BATCH || self.last_flush_ms.get() + FLUSH_DELAY_MS <= now_ms() {
            if let Err(err) = self.flush_outbox().await {
                console_error!("outbox flush: {}", err.body);
            }
        }
        if let Err(err) = self.arm().await {
            console_error!("arming the alarm failed: {}", err.body);
        }
        if trailing {
            let wait = self.last_sync_ms.get() + SYNC_INTERVAL_MS - now_ms();
            if wait > 0 {
                Delay::from(Duration::from_millis(wait as u64)).await;
            }
            self.sync_pending.set(false);
            self.broadcast_sync();
        }
    }

    /// Broadcasts now when the last SYNC is old enough. Otherwise returns true when this caller
    /// must send the trailing broadcast (false when another caller already will).
    fn sync_soon(&self) -> bool {
        if self.sync_pending.get() {
            return false;
        }
        if now_ms() >= self.last_sync_ms.get() + SYNC_INTERVAL_MS {
            self.broadcast_sync();
            return false;
        }
        self.sync_pending.set(true);
        true
    }

    fn sync_message(&self, player: &str) -> Option<Value> {
        let guard = self.live.borrow();
        let live = guard.as_ref()?;
        Some(json!({ "type": "SYSTEM.SYNC", "state": live.room.projection(Some(player)) }))
    }

    /// A socket closed or failed: forget its rate bucket and tell the others who is still here.
    fn socket_gone(&self, ws: &WebSocket) {
        if let Ok(Some(id)) = ws.deserialize_attachment::<SocketId>() {
            self.buckets.borrow_mut().remove(&id.cid);
            self.broadcast_presence(Some(&id.cid));
        }
    }

    /// Every authenticated socket with its identity (sockets closed for a bad token have none).
    fn players_sockets(&self) -> impl Iterator<Item = (WebSocket, SocketId)> {
        self.state.get_websockets().into_iter().filter_map(|ws| {
            let id = ws.deserialize_attachment::<SocketId>().ok()??;
            Some((ws, id))
        })
    }

    /// `PRESENCE.UPDATE` to every authenticated socket but `leaving` (whose close is being
    /// handled and may still be listed).
    fn broadcast_presence(&self, leaving: Option<&str>) {
        let sockets: Vec<(WebSocket, SocketId)> = self
            .players_sockets()
            .filter(|(_, id)| Some(id.cid.as_str()) != leaving)
            .collect();
        let online: std::collections::BTreeSet<&str> = sockets
            .iter()
            .map(|(_, id)| id.player_id.as_str())
            .collect();
        let text = ServerMessage::Presence {
            online_players: online.into_iter().map(str::to_string).collect(),
        }
        .to_text();
        for (ws, _) in &sockets {
            let _ = ws.send_with_str(&text);
        }
    }

    fn broadcast_sync(&self) {
        self.last_sync_ms.set(now_ms());
        let lines = std::mem::take(&mut *self.ticker.borrow_mut());
        let ticker = (!lines.is_empty()).then(|| ServerMessage::TickerUpdate { lines }.to_text());
        let mut cache: HashMap<String, String> = HashMap::new();
        for (ws, id) in self.players_sockets() {
            let text = match cache.get(&id.player_id) {
                Some(t) => t.clone(),
                None => {
                    let Some(msg) = self.sync_message(&id.player_id) else {
                        return;
                    };
                    let t = msg.to_string();
                    cache.insert(id.player_id.clone(), t.clone());
                    t
                }
            };
            let _ = ws.send_with_str(text);
            if let Some(t) = &ticker {
                let _ = ws.send_with_str(t);
            }
        }
    }

    /// Arms the single DO alarm at min(next task, next outbox flush), or clears it.
    async fn arm(&self) -> ApiResult<()> {
        let sql = self.sql()?;
        let next_task = self.queue.borrow().as_ref().and_then(AlarmQueue::next_due);
        let store = DoStore::new(sql.clone());
        let next_flush = if store.outbox_len().map_err(ApiError::internal)? > 0 {
            Some(
                meta_int(&sql, "d1_retry_at")?
                    .unwrap_or_else(|| self.last_flush_ms.get() + FLUSH_DELAY_MS),
            )
        } else {
            None
        };
        let at = match (next_task, next_flush) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if at == self.armed.get() && at.is_some() {
            return Ok(());
        }
        let storage = self.state.storage();
        match at {
            Some(t) => {
                let date = worker::js_sys::Date::new(&JsValue::from_f64(t as f64));
                storage.set_alarm(ScheduledTime::new(date)).await?;
            }
            None => storage.delete_alarm().await?,
        }
        self.armed.set(at);
        self.alarm_checked.set(true);
        Ok(())
    }

    async fn on_alarm(&self) -> ApiResult<()> {
        self.armed.set(None);
        match self.ensure_loaded() {
            Ok(()) => {}
            Err(e) if e.status == 404 => return Ok(()),
            Err(e) => return Err(e),
        }
        let fired = {
            let mut guard = self.live.borrow_mut();
            let live = guard.as_mut().ok_or_else(room_not_found)?;
            let entries = live.room.fire_due(now_ms(), FIRE_PER_ALARM);
            if let Err(e) = live.commit(&entries) {
                *guard = None;
                *self.queue.borrow_mut() = None;
                return Err(ApiError::live(e));
            }
            self.ticker.borrow_mut().extend(live.room.ticker(&entries));
            self.sync_tasks(&live.room)?;
            entries.len()
        };
        if fired > 0 {
            self.broadcast_sync();
        }
        if let Err(err) = self.flush_outbox().await {
            console_error!("outbox flush: {}", err.body);
        }
        self.arm().await
    }

    async fn init(&self, game_id: &str, body: &[u8]) -> ApiResult<Response> {
        let sql = self.sql()?;
        if load_snapshot(&sql)?.is_some() {
            return Err(RouteError::RoomExists(game_id.to_string()).into());
        }
        let seed = random_seed()?;
        let (room, entries) =
            Room::create(game_id, body, now_ms(), seed).map_err(ApiError::room)?;
        // Leftovers of an earlier init that failed half-way.
        for table in ["journal", "outbox", "tasks", "meta"] {
            sql.exec(&format!("DELETE FROM {table}"), None)?;
        }
        let live =
            LiveRoom::create(DoStore::new(sql.clone()), room, &entries).map_err(ApiError::live)?;
        let body = json!({ "gameId": live.room.game_id(), "seq": live.room.seq(), "head": live.room.head().to_hex() });
        *self.queue.borrow_mut() = Some(AlarmQueue::default());
        self.sync_tasks(&live.room)?;
        *self.live.borrow_mut() = Some(live);
        // The entry is safe in DO storage; D1 is best effort here (it stays in the outbox).
        self.after_change().await;
        Ok(json_response(201, &body)?)
    }

    /// Bearer AUTH_SECRET: the operator view (public projection + chain head + outbox lag + next
    /// tasks). A player token: that player's projection only.
    fn get_state(&self, req: &Request, game_id: &str) -> ApiResult<Response> {
        let header = req
            .headers()
            .get("Authorization")
            .ok()
            .flatten()
            .unwrap_or_default();
        let token = bearer_token(&header).unwrap_or_default();
        let secret = self.secret();
        if secret.is_empty() {
            return Err(RouteError::AuthNotConfigured.into());
        }
        self.ensure_loaded()?;
        if constant_time_eq(token.as_bytes(), secret.as_bytes()) {
            let sql = self.sql()?;
            let guard = self.live.borrow();
            let live = guard.as_ref().ok_or_else(room_not_found)?;
            let store = DoStore::new(sql.clone());
            let count = |key: &str| -> ApiResult<u64> {
                Ok(u64::try_from(meta_int(&sql, key)?.unwrap_or(0)).unwrap_or(0))
            };
            let status = OperatorStatus {
                outbox_lag: store.outbox_len().map_err(ApiError::internal)?,
                d1_confirmed_seq: store.confirmed_seq().map_err(ApiError::internal)?,
                d1_failures: count("d1_failures")?,
                d1_retry_at: meta_int(&sql, "d1_retry_at")?,
                next_tasks: self.next_tasks(OPERATOR_NEXT_TASKS),
                snapshot_seq: live.snapshot_seq(),
                d1_batches: count("d1_batches")?,
                d1_batched_entries: count("d1_batched_entries")?,
            };
            let body = operator_state(&live.room, &status);
            return Ok(json_response(200, &body)?);
        }
        let player = self
            .player_from_token(token, game_id)
            .map(|(player, _)| player)
            .map_err(RouteError::Unauthorized)?;
        let msg = self.sync_message(&player).ok_or_else(room_not_found)?;
        Ok(json_response(200, &msg["state"])?)
    }

    fn next_tasks(&self, n: usize) -> Vec<NextTask> {
        self.queue
            .borrow()
            .as_ref()
            .map(|q| {
                q.list()
                    .into_iter()
                    .take(n)
                    .map(|t| NextTask {
                        task_id: t.task_id,
                        due_ms: t.due_ms,
                        action: t.payload,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Checks a player token: signature, expiry, the game, and the roster.
    /// The player and the token's expiry (unix seconds).
    fn player_from_token(&self, token: &str, game_id: &str) -> Result<(String, i64), String> {
        let secret = self.secret();
        let claims = token::verify(secret.as_bytes(), token, game_id, now_ms() / 1000)
            .map_err(|e| e.to_string())?;
        self.ensure_loaded()
            .map_err(|_| "no such game".to_string())?;
        let guard = self.live.borrow();
        let live = guard.as_ref().ok_or("no such game")?;
        if live.room.game_id() != claims.game_id {
            return Err("token is for another game".into());
        }
        let in_roster = live
            .room
            .state()
            .is_some_and(|st| st.players.iter().any(|p| p.id == claims.player_id));
        if !in_roster {
            return Err("player is not in this game".into());
        }
        Ok((claims.player_id, claims.exp))
    }

    /// `GET /parties/game-server/:gameId?token=JWT` (WebSocket upgrade, hibernation API). A bad
    /// token is accepted then closed with 4003, so clients see a close code, not an HTTP error.
    fn accept_socket(&self, req: &Request, game_id: &str) -> ApiResult<Response> {
        let upgrade = req
            .headers()
            .get("Upgrade")
            .ok()
            .flatten()
            .unwrap_or_default();
        if !upgrade.eq_ignore_ascii_case("websocket") {
            return Err(RouteError::UpgradeRequired.into());
        }
        let url = req.url()?;
        let token = url
            .query_pairs()
            .find(|(k, _)| k == "token")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        let pair = WebSocketPair::new()?;
        let server = pair.server;
        self.state.accept_web_socket(&server);
        match self.player_from_token(&token, game_id) {
            Ok((player, exp)) => {
                let n = self.next_cid.get() + 1;
                self.next_cid.set(n);
                let id = SocketId {
                    player_id: player.clone(),
                    cid: format!("{}-{n}", now_ms()),
                    exp,
                };
                server.serialize_attachment(&id)?;
                if let Some(msg) = self.sync_message(&player) {
                    ws_send(&server, &msg);
                    match self.ticker_history() {
                        Ok(lines) => {
                            let _ = server
                                .send_with_str(ServerMessage::TickerHistory { lines }.to_text());
                        }
                        Err(e) => console_error!("ticker history: {}", e.body),
                    }
                    self.broadcast_presence(None);
                }
            }
            Err(why) => {
                let _ = server.close(Some(CLOSE_AUTH), Some(why));
            }
        }
        Ok(Response::from_websocket(pair.client)?)
    }

    /// `(per second, burst)`: [`RATE_PER_S`] and [`RATE_BURST`] unless the vars `WS_RATE_PER_S`
    /// / `WS_RATE_BURST` say otherwise (the load script raises them).
    fn rate(&self) -> (f64, f64) {
        let var = |k: &str, d: f64| {
            self.env
                .var(k)
                .ok()
                .and_then(|v| v.to_string().parse::<f64>().ok())
                .filter(|v| *v > 0.0)
                .unwrap_or(d)
        };
        (
            var("WS_RATE_PER_S", RATE_PER_S),
            var("WS_RATE_BURST", RATE_BURST),
        )
    }

    /// Token bucket; `Err(close)` when the socket should be closed for persistent abuse.
    fn rate_limit(&self, cid: &str) -> Result<bool, ()> {
        let (per_s, burst) = self.rate();
        let now = Date::now().as_millis() as f64;
        let mut buckets = self.buckets.borrow_mut();
        let b = buckets.entry(cid.to_string()).or_insert(Bucket {
            tokens: burst,
            last_ms: now,
            strikes: 0,
        });
        b.tokens = (b.tokens + (now - b.last_ms) / 1000.0 * per_s).min(burst);
        b.last_ms = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            b.strikes = 0;
            Ok(true)
        } else {
            b.strikes += 1;
            if b.strikes >= RATE_STRIKES_CLOSE {
                Err(())
            } else {
                Ok(false)
            }
        }
    }

    async fn on_message(&self, ws: &WebSocket, message: WebSocketIncomingMessage) -> ApiResult<()> {
        let Some(id) = ws.deserialize_attachment::<SocketId>()? else {
            let _ = ws.close(Some(CLOSE_AUTH), Some("not authenticated"));
            return Ok(());
        };
        if session::expired(id.exp, now_ms() / 1000) {
            let e = SessionError::TokenExpired { exp: id.exp };
            ws_send(ws, &ws_error(None, e.code(), &e));
            let _ = ws.close(Some(CLOSE_AUTH), Some("token expired"));
            return Ok(());
        }
        match self.rate_limit(&id.cid) {
            Ok(true) => {}
            Ok(false) => {
                let (per_s, burst) = self.rate();
                let e = SessionError::RateLimited { per_s, burst };
                ws_send(ws, &ws_error(None, e.code(), &e));
                return Ok(());
            }
            Err(()) => {
                let _ = ws.close(Some(CLOSE_ABUSE), Some("rate limit exceeded repeatedly"));
                return Ok(());
            }
        }
        let bytes = match message {
            WebSocketIncomingMessage::String(s) => s.into_bytes(),
            WebSocketIncomingMessage::Binary(b) => b,
        };
        let msg = match parse_client_message(&bytes) {
            Ok(m) => m,
            Err((reference, err)) => {
                ws_send(ws, &ws_error(reference.as_deref(), err.code(), &err));
                return Ok(());
            }
        };
        let reference = msg.reference.as_deref();
        match self.journal(EntryKind::Action, &id.player_id, &msg.command) {
            Ok(Committed {
                seq,
                verdict: Verdict::Accepted,
            }) => {
                ws_send(ws, &json!({ "type": "ACK", "ref": reference, "seq": seq }));
            }
            Ok(Committed {
                seq,
                verdict: Verdict::Rejected(code),
            }) => {
                let mut e = ws_error(reference, &code, "refused by the rules (journaled)");
                e["seq"] = json!(seq);
                ws_send(ws, &e);
            }
            Err(err) => {
                // Only codes the socket's ERROR schema lists: a room error keeps its own code,
                // the rest become the session's.
                let code = err
                    .body
                    .pointer("/error/code")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let (code, message) = if RoomError::all_codes().contains(&code) {
                    (code.to_string(), "not journaled; try again".to_string())
                } else {
                    let e = match code {
                        "STORAGE_FAILED" => SessionError::StorageFailed,
                        "ROOM_NOT_FOUND" | "NO_SUCH_GAME" => SessionError::NoSuchGame,
                        other => SessionError::Internal(other.to_string()),
                    };
                    (e.code().to_string(), e.to_string())
                };
                ws_send(ws, &ws_error(reference, &code, message));
                return Err(err);
            }
        }
        self.after_change().await;
        Ok(())
    }

    async fn admin(&self, body: &[u8]) -> ApiResult<Response> {
        let cmd = match parse_admin_request(body).map_err(ApiError::admin)? {
            AdminRequest::ListTasks => {
                self.ensure_loaded()?;
                let tasks = TaskListResponse {
                    tasks: self.next_tasks(usize::MAX),
                };
                return Ok(json_response(200, &AdminResponse::Tasks(tasks))?);
            }
            AdminRequest::DevFailD1 { on } => {
                if !self.dev_faults() {
                    return Err(RouteError::DevFaultsOff.into());
                }
                let sql = self.sql()?;
                meta_set_int(&sql, "dev_fail_d1", i64::from(on))?;
                if !on {
                    // Retry right away.
                    sql.exec("DELETE FROM meta WHERE key = 'd1_retry_at'", None)?;
                }
                self.ensure_loaded()?;
                self.after_change().await;
                let answer = DevFailD1Response { dev_fail_d1: on };
                return Ok(json_response(200, &AdminResponse::DevFailD1(answer))?);
            }
            AdminRequest::Journal(cmd) => cmd,
        };
        let c = self.journal(EntryKind::Admin, "ADMIN", &cmd)?;
        self.after_change().await;
        let answer = JournaledResponse::new(c.seq, &c.verdict);
        Ok(json_response(200, &AdminResponse::Journaled(answer))?)
    }

    async fn player_joined(&self, body: &[u8]) -> ApiResult<Response> {
        let player = check_player_joined(body).map_err(ApiError::room)?;
        let c = self.journal(
            EntryKind::System,
            "SYSTEM",
            &Command::PlayerJoined { player },
        )?;
        self.after_change().await;
        let status = if c.verdict.is_accepted() { 200 } else { 409 };
        Ok(json_response(
            status,
            &JournaledResponse::new(c.seq, &c.verdict),
        )?)
    }

    /// Today's last [`TICKER_HISTORY_LINES`] ticker lines, rebuilt from the room's own journal
    /// (so they survive restarts and hibernation without being stored twice).
    fn ticker_history(&self) -> ApiResult<Vec<TickerLine>> {
        let guard = self.live.borrow();
        let Some(live) = guard.as_ref() else {
            return Ok(Vec::new());
        };
        let day = live.room.state().map(|s| s.day).unwrap_or(0);
        let sql = self.sql()?;
        let mut entries = read_entries(
            &sql,
            &format!(
                "SELECT {JOURNAL_COLUMNS} FROM journal WHERE day = ? ORDER BY seq DESC LIMIT {}",
                TICKER_HISTORY_SCAN
            ),
            vec![sql_int(day as u64)?],
        )?;
        entries.reverse();
        let mut lines = live.room.ticker(&entries);
        let cut = lines.len().saturating_sub(TICKER_HISTORY_LINES);
        lines.drain(..cut);
        Ok(lines)
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

    /// Writes outbox entries to D1 (`INSERT OR IGNORE`, batches of [`D1_BATCH`] statements) and
    /// confirms them. One flush at a time per instance; entries that arrive meanwhile are taken
    /// by its next round or by the alarm. On failure: exponential backoff, retried by the alarm.
    async fn flush_outbox(&self) -> ApiResult<usize> {
        if self.flushing.get() {
            return Ok(0);
        }
        // While D1 is failing, only the alarm (at `d1_retry_at`) retries: commits do not hammer it.
        if meta_int(&self.sql()?, "d1_retry_at")?.is_some_and(|at| at > now_ms()) {
            return Ok(0);
        }
        self.flushing.set(true);
        self.last_flush_ms.set(now_ms());
        let result = self.flush_rounds().await;
        self.flushing.set(false);
        let sql = self.sql()?;
        match &result {
            Ok(_) => {
                sql.exec(
                    "DELETE FROM meta WHERE key IN ('d1_failures', 'd1_retry_at')",
                    None,
                )?;
            }
            Err(_) => {
                let failures = meta_int(&sql, "d1_failures")?.unwrap_or(0) + 1;
                let backoff = BACKOFF_BASE_MS
                    .saturating_mul(1i64 << (failures - 1).clamp(0, 20))
                    .min(BACKOFF_MAX_MS);
                meta_set_int(&sql, "d1_failures", failures)?;
                meta_set_int(&sql, "d1_retry_at", now_ms() + backoff)?;
            }
        }
        result
    }

    async fn flush_rounds(&self) -> ApiResult<usize> {
        let sql = self.sql()?;
        let mut store = DoStore::new(sql.clone());
        let db = self.env.d1(D1_BINDING)?;
        let mut confirmed = 0;
        for _ in 0..D1_MAX_BATCHES {
            let entries = store.outbox(D1_BATCH).map_err(ApiError::internal)?;
            let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
                break;
            };
            if self.dev_faults() && meta_int(&sql, "dev_fail_d1")?.unwrap_or(0) == 1 {
                return Err(RouteError::D1Unavailable("DEV_FAIL_D1 is on".into()).into());
            }
            let (lo, hi) = (first.seq, last.seq);
            let mut statements = Vec::with_capacity(entries.len() + 1);
            for entry in &entries {
                statements.push(d1_insert_entry(&db, entry)?);
                statements.extend(d1_insert_game(&db, entry)?);
                statements.extend(d1_insert_players(&db, entry)?);
            }
            let results = db.batch(statements).await?;
            if let Some(err) = results.iter().find(|r| !r.success()) {
                return Err(ApiError::internal(format!(
                    "D1 batch failed: {}",
                    err.error().unwrap_or_default()
                )));
            }
            // Outbox seqs are contiguous from `lo`: everything up to `hi` is in D1 now.
            let _ = lo;
            store.confirm(hi).map_err(ApiError::internal)?;
            meta_add_int(&sql, "d1_batches", 1)?;
            meta_add_int(&sql, "d1_batched_entries", entries.len() as i64)?;
            confirmed += entries.len();
            if entries.len() < D1_BATCH {
                break;
            }
        }
        Ok(confirmed)
    }
}

async fn read_body(req: &mut Request) -> ApiResult<Vec<u8>> {
    req.bytes()
        .await
        .map_err(|e| RouteError::BadBody(e.to_string()).into())
}

// ---------------------------------------------------------------------------------------------
// `room::live::Store` on DO SQLite

/// The room's persistence on DO SQLite. Every method is synchronous (no await), so the writes of
/// one method, and of one handler turn, commit atomically. Journal rows are kept after
/// compaction (they serve `GET …/journal`); only rows after `snapshot_seq` form the tail that a
/// cold start folds.
struct DoStore {
    sql: SqlStorage,
}

impl DoStore {
    fn new(sql: SqlStorage) -> DoStore {
        DoStore { sql }
    }
}

fn api_msg(e: ApiError) -> String {
    e.body.to_string()
}

impl Store for DoStore {
    type Error = String;

    fn load(&self) -> Result<Stored, String> {
        let snapshot = load_snapshot(&self.sql).map_err(api_msg)?;
        let from = meta_int(&self.sql, "snapshot_seq")
            .map_err(api_msg)?
            .unwrap_or(0);
        let tail = read_entries(
            &self.sql,
            &format!("SELECT {JOURNAL_COLUMNS} FROM journal WHERE seq > ? ORDER BY seq"),
            vec![SqlStorageValue::try_from_i64(from).map_err(|e| e.to_string())?],
        )
        .map_err(api_msg)?;
        Ok(Stored { snapshot, tail })
    }

    fn append(&mut self, entries: &[Entry]) -> Result<(), String> {
        for entry in entries {
            self.sql
                .exec(
                    &format!("INSERT INTO journal ({JOURNAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                    entry_values(entry).map_err(api_msg)?,
                )
                .map_err(|e| e.to_string())?;
            self.sql
                .exec(
                    "INSERT OR IGNORE INTO outbox (seq) VALUES (?)",
                    vec![sql_int(entry.seq).map_err(api_msg)?],
                )
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    fn compact(&mut self, snapshot: &[u8], seq: u64, _drop_up_to: u64) -> Result<(), String> {
        self.sql
            .exec(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('snapshot', ?)",
                vec![SqlStorageValue::Blob(snapshot.to_vec())],
            )
            .map_err(|e| e.to_string())?;
        meta_set_int(&self.sql, "snapshot_seq", seq as i64).map_err(api_msg)
    }

    fn outbox(&self, limit: usize) -> Result<Vec<Entry>, String> {
        read_entries(
            &self.sql,
            &format!(
                "SELECT {JOURNAL_COLUMNS} FROM journal WHERE seq IN (SELECT seq FROM outbox) ORDER BY seq LIMIT {limit}"
            ),
            vec![],
        )
        .map_err(api_msg)
    }

    fn confirm(&mut self, seq: u64) -> Result<(), String> {
        let s = sql_int(seq).map_err(api_msg)?;
        self.sql
            .exec("DELETE FROM outbox WHERE seq <= ?", vec![s])
            .map_err(|e| e.to_string())?;
        let before = self.confirmed_seq()?;
        meta_set_int(&self.sql, "confirmed_seq", before.max(seq) as i64).map_err(api_msg)
    }

    fn outbox_len(&self) -> Result<u64, String> {
        outbox_lag(&self.sql).map_err(api_msg)
    }

    fn confirmed_seq(&self) -> Result<u64, String> {
        Ok(meta_int(&self.sql, "confirmed_seq")
            .map_err(api_msg)?
            .and_then(|v| u64::try_from(v).ok())
            .unwrap_or(0))
    }
}

fn meta_int(sql: &SqlStorage, key: &str) -> ApiResult<Option<i64>> {
    let cursor = sql.exec("SELECT value FROM meta WHERE key = ?", vec![key.into()])?;
    match cursor.raw().next() {
        None => Ok(None),
        Some(row) => Ok(row?.first().and_then(as_i64)),
    }
}

fn meta_set_int(sql: &SqlStorage, key: &str, value: i64) -> ApiResult<()> {
    sql.exec(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        vec![key.into(), SqlStorageValue::try_from_i64(value)?],
    )?;
    Ok(())
}

fn meta_add_int(sql: &SqlStorage, key: &str, add: i64) -> ApiResult<()> {
    let v = meta_int(sql, key)?.unwrap_or(0);
    meta_set_int(sql, key, v + add)
}

fn load_tasks(sql: &SqlStorage) -> ApiResult<Vec<AlarmTask>> {
    let cursor = sql.exec("SELECT task_id, due_ms, payload FROM tasks", None)?;
    let mut out = Vec::new();
    for row in cursor.raw() {
        let row = row?;
        let (Some(id), Some(due), Some(payload)) = (
            row.first().and_then(as_str),
            row.get(1).and_then(as_i64),
            row.get(2).and_then(as_str),
        ) else {
            return Err(ApiError::internal("corrupt tasks row"));
        };
        out.push(AlarmTask {
            task_id: id.to_string(),
            due_ms: due,
            payload: payload.to_string(),
        });
    }
    Ok(out)
}

fn write_task_changes(sql: &SqlStorage, changes: &SyncChanges) -> ApiResult<()> {
    for id in &changes.cancelled {
        sql.exec(
            "DELETE FROM tasks WHERE task_id = ?",
            vec![id.as_str().into()],
        )?;
    }
    for t in &changes.upserted {
        sql.exec(
            "INSERT OR REPLACE INTO tasks (task_id, due_ms, payload) VALUES (?, ?, ?)",
            vec![
                t.task_id.as_str().into(),
                SqlStorageValue::try_from_i64(t.due_ms)?,
                t.payload.as_str().into(),
            ],
        )?;
    }
    Ok(())
}

fn room_not_found() -> ApiError {
    RouteError::RoomNotFound.into()
}

/// `?from=SEQ` (default 1).
fn journal_from(req: &Request) -> ApiResult<u64> {
    let url = req.url()?;
    match url.query_pairs().find(|(k, _)| k == "from") {
        None => Ok(1),
        Some((_, v)) => v
            .parse::<u64>()
            .map_err(|_| RouteError::BadQuery("from must be a non-negative integer".into()).into()),
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

/// `players` rows: the roster of SYSTEM.INIT and each accepted SYSTEM.PLAYER_JOINED.
fn d1_insert_players(db: &D1Database, e: &Entry) -> ApiResult<Vec<D1PreparedStatement>> {
    let players: Vec<Value> = match (e.seq, e.typ.as_str()) {
        (1, _) => serde_json::from_str::<Value>(&e.payload)
            .ok()
            .and_then(|p| p.get("roster").and_then(Value::as_array).cloned())
            .unwrap_or_default(),
        (_, "SYSTEM.PLAYER_JOINED") if e.verdict.is_accepted() => {
            serde_json::from_str::<Value>(&e.payload)
                .ok()
                .and_then(|p| p.get("player").cloned())
                .into_iter()
                .collect()
        }
        _ => return Ok(Vec::new()),
    };
    let mut out = Vec::new();
    for p in players {
        let text = |k: &str| {
            p.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let id = text("id");
        if id.is_empty() {
            continue;
        }
        let values = [
            JsValue::from_str(&e.game_id),
            JsValue::from_str(&id),
            JsValue::from_str(&text("realUserId")),
            JsValue::from_str(&text("personaName")),
            JsValue::from_f64(e.seq as f64),
        ];
        out.push(
            db.prepare("INSERT OR IGNORE INTO players (game_id, player_id, real_user_id, persona_name, joined_seq) VALUES (?, ?, ?, ?, ?)")
                .bind(&values)?,
        );
    }
    Ok(out)
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
