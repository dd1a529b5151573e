//! The room host: every policy of a live room, sans-IO (docs/architecture.md, "The live room").
//!
//! [`Host::handle`] takes one [`Input`] (an HTTP request for a room route, a WebSocket frame, a
//! socket gone, the alarm, D1's answer, the trailing-SYNC timer) with the time it happened, and
//! returns the [`Effect`]s to perform (reply, send, close, write this D1 batch, arm the alarm at
//! T, start a timer, log). It never reads a clock, never awaits and never touches a socket: the
//! worker turns workers-rs events into inputs and performs the effects, and the native tests
//! drive it with a fake clock. DO SQLite is synchronous, so the host calls its [`Store`]
//! directly; every write of one step commits atomically.
//!
//! What lives here: when to flush the outbox to D1 and how much ([`outbox`]), D1 retry backoff,
//! when to arm the alarm, the SYNC throttle and its trailing broadcast, the per-player rate
//! limit, presence, ticker buffering ([`sockets`]), snapshot points and which journal rows may
//! be deleted ([`journal_rows_to_drop`]), the D1 rows each entry produces, and the routes'
//! answers ([`http`]).

mod callout;
mod checkpoint;
mod d1rows;
mod history;
mod http;
mod lifecycle;
mod limits;
mod lobby;
mod log;
mod outbox;
mod push;
mod sockets;
#[cfg(test)]
mod tests;
mod typing;

pub use d1rows::{d1_rows, D1Row, D1Statement, SqlParam, STANDINGS_SQL};
pub use history::{page_query, D1Read, Page, ReadPurpose, Verify};
pub use lifecycle::CleanupResponse;
pub use lobby::{lobby_backoff_ms, lobby_due, may_call, LobbyCall, LobbyStatus, LOBBY_TIMEOUT_MS};
pub use log::{LogEvent, LogLine, Outcome};
pub use outbox::D1Batch;
pub use push::{
    expired, may_send, push_backoff_ms, PushBatch, PushOutcome, PUSH_BATCH,
    PUSH_REQUEST_TIMEOUT_MS, PUSH_TIMEOUT_MS,
};
pub use sockets::SocketId;

use super::alarms::AlarmQueue;
use super::live::{LiveError, LiveRoom, Store};
use super::route::{parse_room_route, RouteError};
use super::{AdminError, RoomError};
use crate::engine::Command;
use crate::journal::{EntryKind, Verdict};
use serde_json::Value;
use std::fmt;
use thiserror::Error;

// ---------------------------------------------------------------------------------------------
// Policy constants (docs/protocol.md, "Persistence and D1")

/// The policy's numbers live in `src/limits.rs` (each with why it has its value, and the
/// compile-time checks of how they relate); re-exported here, where the policy reads them.
pub use crate::limits::{
    BACKOFF_BASE_MS, BACKOFF_MAX_MS, COMPACT_EVERY, D1_BATCH, D1_MAX_BATCHES, DO_JOURNAL_TAIL,
    FIRE_PER_ALARM, FLUSH_DELAY_MS, FLUSH_MIN_BATCH, JOURNAL_PAGE_DEFAULT, JOURNAL_PAGE_MAX,
    RATE_BURST, RATE_PER_S, RATE_STRIKES_CLOSE, SYNC_INTERVAL_MS,
};
/// WebSocket close codes (docs/protocol.md).
pub const CLOSE_NORMAL: u16 = 1000;
pub const CLOSE_AUTH: u16 = 4003;
pub const CLOSE_ABUSE: u16 = 4008;
/// The player already has `MAX_SOCKETS_PER_PLAYER` sockets open in this room.
pub const CLOSE_TOO_MANY: u16 = 4009;

/// The DO journal rows that may be deleted (those at or below the returned seq), given the
/// *stored* snapshot's seq, the *stored* highest seq D1 confirmed and the stored head
/// (docs/architecture.md, "Compaction"). Asked after every snapshot and every D1 confirmation.
///
/// A row covered by the snapshot is never folded again, and one confirmed in D1 is never sent
/// again and can be read back from there: rows at or below both may go, except the last
/// [`DO_JOURNAL_TAIL`] entries before the head, kept for readers of recent history. So the DO
/// keeps at most that tail plus the entries D1 has not confirmed (a snapshot is never more than
/// [`COMPACT_EVERY`] entries behind the head). Once the game has ended (`finished`) the tail
/// goes too: the room keeps its final snapshot and head, D1 the rest. Never more than
/// `min(snapshot_seq, d1_confirmed)`: an unconfirmed row, or one a cold start folds, stays.
pub fn journal_rows_to_drop(
    snapshot_seq: u64,
    d1_confirmed: u64,
    head: u64,
    finished: bool,
) -> u64 {
    let durable = snapshot_seq.min(d1_confirmed);
    if finished {
        durable
    } else {
        durable.min(head.saturating_sub(DO_JOURNAL_TAIL))
    }
}

/// D1 retry delay after `failures` consecutive failed flushes (1, 2, …): 500 ms doubling, capped
/// at 60 s.
pub fn backoff_ms(failures: i64) -> i64 {
    BACKOFF_BASE_MS
        .saturating_mul(1i64 << (failures - 1).clamp(0, 20))
        .min(BACKOFF_MAX_MS)
}

// ---------------------------------------------------------------------------------------------
// Configuration, inputs and effects

/// What the worker's environment says.
#[derive(Clone, Debug, PartialEq)]
pub struct HostConfig {
    /// AUTH_SECRET, the operator's bearer (empty: unset or refused by
    /// [`crate::room::secrets`], every operator route is refused).
    pub secret: String,
    /// TOKEN_SECRET, the key of player tokens (empty: unset or refused, every token is refused).
    pub token_secret: String,
    pub rate_per_s: f64,
    pub rate_burst: f64,
    /// The var `DEV_FAULTS=1`: dev-only fault switches (`DEV_FAIL_D1`) are honoured.
    pub dev_faults: bool,
    /// The secret CHECKPOINT_KEY: with it the room journals and signs checkpoints
    /// (docs/audit.md); without it (unset or unusable) it journals none.
    pub checkpoint_key: Option<crate::checkpoint::CheckpointKey>,
    /// The var `LOBBY_HOST` (the lobby's base URL, without a trailing `/`): where game status
    /// callbacks go; none without it.
    pub lobby_host: Option<String>,
    /// The secret VAPID_PRIVATE_KEY is usable: the room queues and sends pushes (docs/push.md).
    pub push: bool,
}

impl HostConfig {
    /// Reads TOKEN_SECRET, `DEV_MODE`, the vars `WS_RATE_PER_S` / `WS_RATE_BURST` (positive
    /// numbers, else the defaults) and `DEV_FAULTS` through `var`; `secret` is AUTH_SECRET. A
    /// secret that breaks the rules of [`crate::room::secrets`] is left empty (unset).
    pub fn from_vars(secret: String, var: impl Fn(&str) -> Option<String>) -> HostConfig {
        use crate::room::secrets;
        let rate = |k: &str, d: f64| {
            var(k)
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|v| *v > 0.0)
                .unwrap_or(d)
        };
        let token = var(secrets::TOKEN_SECRET).unwrap_or_default();
        let dev = secrets::dev_mode(var(secrets::DEV_MODE).as_deref());
        let auth_ok = secrets::auth_secret(&secret, &token, dev).is_ok();
        let token_ok = secrets::token_secret(&secret, &token, dev).is_ok();
        HostConfig {
            secret: if auth_ok { secret } else { String::new() },
            token_secret: if token_ok { token } else { String::new() },
            rate_per_s: rate("WS_RATE_PER_S", RATE_PER_S),
            rate_burst: rate("WS_RATE_BURST", RATE_BURST),
            dev_faults: var("DEV_FAULTS").as_deref() == Some("1"),
            checkpoint_key: var(crate::checkpoint::CHECKPOINT_KEY)
                .and_then(|k| crate::checkpoint::CheckpointKey::from_secret(&k).ok()),
            lobby_host: var("LOBBY_HOST")
                .map(|h| h.trim().trim_end_matches('/').to_string())
                .filter(|h| h.starts_with("http://") || h.starts_with("https://")),
            push: var(crate::push::vapid::VAPID_PRIVATE_KEY)
                .is_some_and(|k| crate::push::vapid::VapidKey::from_base64(&k).is_ok()),
        }
    }
}

/// An HTTP request for a room route, as the Worker forwarded it to the room.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub path: String,
    /// `GET`, `POST`, …
    pub method: String,
    /// The `Authorization` header.
    pub authorization: String,
    /// The `Upgrade` header.
    pub upgrade: String,
    /// The query string's pairs, decoded.
    pub query: Vec<(String, String)>,
    /// The body (`Err`: it could not be read).
    pub body: Result<Vec<u8>, String>,
    /// Fresh randomness for a new room's secret seed (read by `…/init` only).
    pub seed: Result<[u8; 32], String>,
}

impl Request {
    /// A request without headers, query, body or randomness.
    pub fn new(method: &str, path: &str) -> Request {
        Request {
            path: path.to_string(),
            method: method.to_string(),
            authorization: String::new(),
            upgrade: String::new(),
            query: Vec::new(),
            body: Ok(Vec::new()),
            seed: Err("no randomness was drawn for this request".into()),
        }
    }

    fn query(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// What happened, at the time given to [`Host::handle`].
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// An HTTP request for a room route.
    Http(Request),
    /// A frame arrived on `socket`; `identity` is its attachment (`None`: not authenticated).
    Frame {
        socket: String,
        identity: Option<SocketId>,
        data: Vec<u8>,
    },
    /// The client closed `socket` (`echo`: answer its close) or the socket failed.
    SocketGone {
        socket: String,
        identity: Option<SocketId>,
        echo: bool,
    },
    /// The DO alarm rang.
    Alarm,
    /// D1 answered the batch [`Effect::WriteD1`] sent for entries up to `up_to`.
    D1Done {
        up_to: u64,
        result: Result<(), String>,
    },
    /// D1 answered the read [`Effect::ReadD1`] asked (the rows, in seq order).
    D1Read {
        read: D1Read,
        result: Result<Vec<crate::journal::Entry>, String>,
    },
    /// The timer of [`Effect::StartTimer`] fired.
    Timer,
    /// Setting or deleting the alarm failed.
    AlarmFailed(String),
    /// The lobby answered the call of [`Effect::NotifyLobby`] with this HTTP status, or the call
    /// failed (unreachable, or no answer within [`LOBBY_TIMEOUT_MS`]).
    LobbyDone {
        status: LobbyStatus,
        result: Result<u16, String>,
    },
    /// The pushes of [`Effect::SendPushes`]: what became of each (in order), or why the batch
    /// failed as a whole.
    PushDone(Result<Vec<PushOutcome>, String>),
}

/// The body of an HTTP answer.
#[derive(Clone, Debug, PartialEq)]
pub enum ReplyBody {
    /// `application/json` text.
    Json(String),
    /// `application/x-ndjson` lines.
    Ndjson(String),
}

/// What to do. Perform them in order; [`Effect::WriteD1`], [`Effect::ReadD1`] and
/// [`Effect::StartTimer`] complete later, as [`Input::D1Done`], [`Input::D1Read`] and
/// [`Input::Timer`].
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Answer the HTTP request of this step (or of the step whose read this one completes).
    Reply {
        status: u16,
        /// Headers besides `Content-Type`.
        headers: Vec<(String, String)>,
        body: ReplyBody,
    },
    /// Answer the request of this step by upgrading it to a WebSocket known as `socket`, with
    /// `identity` as its attachment (`None`: it is closed right after).
    Accept {
        socket: String,
        identity: Option<SocketId>,
    },
    Send {
        socket: String,
        text: String,
    },
    /// Replace the attachment of the open socket `identity.cid` with `identity` (it survives
    /// hibernation). Emitted right after each SYSTEM.SYNC or SYSTEM.DELTA sent to a delta
    /// socket, with the version that frame brought it to (docs/protocol.md, "Resume").
    Attach {
        identity: SocketId,
    },
    Close {
        socket: String,
        code: u16,
        reason: String,
    },
    /// Write these rows to D1 (`INSERT OR IGNORE`, one batch), then report [`Input::D1Done`].
    WriteD1(D1Batch),
    /// Read these journal rows from D1, then report [`Input::D1Read`].
    ReadD1(D1Read),
    SetAlarm(i64),
    ClearAlarm,
    /// Report [`Input::Timer`] at this time (ms).
    StartTimer(i64),
    /// Print this line (appended after the step's other effects; docs/architecture.md, "Logs").
    Log(LogLine),
    /// `POST {LOBBY_HOST}/api/internal/game-status` with this body and the bearer AUTH_SECRET,
    /// abandoned after [`LOBBY_TIMEOUT_MS`]; then report [`Input::LobbyDone`].
    NotifyLobby(LobbyCall),
    /// Encrypt and send these pushes to the players' subscriptions (docs/push.md), each
    /// abandoned after [`PUSH_REQUEST_TIMEOUT_MS`]; then report [`Input::PushDone`].
    SendPushes(PushBatch),
}

/// An HTTP error with a stable code, from a typed error of the route, the room or the admin body.
#[derive(Debug, Error)]
pub enum HostError {
    #[error(transparent)]
    Route(#[from] RouteError),
    #[error(transparent)]
    Room(#[from] RoomError),
    #[error(transparent)]
    Admin(#[from] AdminError),
}

impl HostError {
    fn storage(e: impl fmt::Display) -> HostError {
        RouteError::StorageFailed(e.to_string()).into()
    }

    fn internal(e: impl fmt::Display) -> HostError {
        RouteError::Internal(e.to_string()).into()
    }

    pub fn code(&self) -> &'static str {
        match self {
            HostError::Route(e) => e.code(),
            HostError::Room(e) => e.code(),
            HostError::Admin(e) => e.code(),
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            HostError::Route(e) => e.http_status(),
            HostError::Room(e) => e.http_status(),
            HostError::Admin(e) => e.http_status(),
        }
    }

    /// `{"error": {"code", "message", "fields"?}}`.
    pub fn to_json(&self) -> Value {
        match self {
            HostError::Route(e) => e.to_json(),
            HostError::Room(e) => e.to_json(),
            HostError::Admin(e) => e.to_json(),
        }
    }
}

impl<E: fmt::Display + fmt::Debug> From<LiveError<E>> for HostError {
    fn from(err: LiveError<E>) -> Self {
        match err {
            LiveError::Store(e) => HostError::storage(e),
            LiveError::Room(r) => r.into(),
            LiveError::NoRoom => RouteError::RoomNotFound.into(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The host

/// When the single DO alarm is set.
#[derive(Clone, Copy, Debug, Default)]
struct AlarmState {
    /// The time this instance last set (`None`: none, or unknown).
    armed: Option<i64>,
    /// Whether this instance has set or deleted the alarm (a fresh one re-asserts it).
    asserted: bool,
}

/// One room's host: its store, the room once loaded, and the policy state of this instance.
pub struct Host<S: Store> {
    config: HostConfig,
    store: S,
    live: Option<LiveRoom>,
    /// The AlarmManager queue, mirrored in the store's tasks (`room::alarms`).
    queue: Option<AlarmQueue>,
    alarm: AlarmState,
    flush: outbox::Flush,
    sockets: sockets::Sockets,
    /// Typing signals relayed per player (ephemeral).
    typing: typing::TypingLimiter,
    /// The log events of the step in progress.
    log: log::StepLog,
    /// A day ended or the seed was revealed in this step: a checkpoint is due (docs/audit.md).
    checkpoint_due: bool,
    /// The lobby callback in flight (`lobby`).
    lobby_flight: Option<LobbyStatus>,
    /// The push batch in flight (its size; `push`).
    push_flight: Option<usize>,
    /// Per status (IN_PROGRESS, COMPLETED), the head when this instance first saw it owed: the
    /// call waits until D1 confirmed it (`lobby`).
    lobby_owed_at: [Option<u64>; 2],
    /// The time of the step in progress.
    now_ms: i64,
}

/// What one journaled input produced, for the reply.
struct Committed {
    seq: u64,
    /// The hash of entry `seq` (the chain head right after it): the receipt's head.
    head: crate::journal::Hash,
    verdict: Verdict,
}

impl<S: Store> Host<S> {
    /// A host for a fresh instance; `sockets` are the authenticated sockets the room already has
    /// (they survive hibernation, with their identity in their attachment).
    pub fn new(config: HostConfig, store: S, sockets: Vec<SocketId>) -> Host<S> {
        Host {
            config,
            store,
            live: None,
            queue: None,
            alarm: AlarmState::default(),
            flush: outbox::Flush::default(),
            sockets: sockets::Sockets::new(sockets),
            typing: typing::TypingLimiter::default(),
            log: log::StepLog::default(),
            checkpoint_due: false,
            lobby_flight: None,
            push_flight: None,
            lobby_owed_at: [None; 2],
            now_ms: 0,
        }
    }

    /// Handles one input that happened at `now_ms` (ms since the Unix epoch).
    pub fn handle(&mut self, now_ms: i64, input: Input) -> Vec<Effect> {
        let mut fx = Vec::new();
        self.now_ms = now_ms;
        match input {
            Input::Http(req) => {
                if let Ok((game_id, _)) = parse_room_route(&req.path, &req.method) {
                    self.log.game_id = Some(game_id);
                }
                self.http(now_ms, &req, &mut fx);
                // A fresh instance (cold start, or after a restart) re-asserts the alarm once, so
                // tasks that fell due while nothing ran are caught up even if it was lost.
                if !self.alarm.asserted && self.live.is_some() {
                    self.arm(&mut fx);
                }
            }
            Input::Frame {
                socket,
                identity,
                data,
            } => self.frame(now_ms, &socket, identity, &data, &mut fx),
            Input::SocketGone {
                socket,
                identity,
                echo,
            } => self.socket_gone(&socket, identity.is_some(), echo, &mut fx),
            Input::Alarm => self.on_alarm(now_ms, &mut fx),
            Input::D1Done { up_to, result } => self.d1_done(now_ms, up_to, result, &mut fx),
            Input::D1Read { read, result } => self.d1_read(now_ms, read, result, &mut fx),
            Input::Timer => self.on_timer(now_ms, &mut fx),
            Input::LobbyDone { status, result } => self.lobby_done(now_ms, status, result, &mut fx),
            Input::PushDone(result) => self.push_done(now_ms, result, &mut fx),
            Input::AlarmFailed(why) => {
                self.alarm = AlarmState::default();
                self.log(LogEvent::error(format!("arming the alarm failed: {why}")));
            }
        }
        self.flush_log(now_ms, &mut fx);
        fx
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    /// The room, once loaded.
    pub fn live(&self) -> Option<&LiveRoom> {
        self.live.as_ref()
    }

    /// Loads the room (snapshot + tail) and the task queue when this instance has not yet.
    fn ensure_loaded(&mut self) -> Result<&mut LiveRoom, HostError> {
        if self.live.is_none() {
            let live = LiveRoom::open(&self.store)?;
            let stored = self.store.tasks().map_err(HostError::storage)?;
            let mut queue = AlarmQueue::from_tasks(stored);
            // The table mirrors the engine: repair any drift (e.g. a write that failed after a
            // commit).
            let changes = queue.sync(&live.room.alarm_tasks());
            self.store
                .write_tasks(&changes)
                .map_err(HostError::storage)?;
            self.queue = Some(queue);
            self.live = Some(live);
            let sockets = self.sockets.open_count();
            self.log(LogEvent::Load { sockets });
        }
        self.live.as_mut().ok_or(RouteError::RoomNotFound.into())
    }

    /// Forgets the in-memory room: memory ran ahead of storage, the next input reloads it.
    fn drop_room(&mut self) {
        self.live = None;
        self.queue = None;
        // Heads noted from memory that storage may not hold.
        self.lobby_owed_at = [None; 2];
    }

    /// A player's action, journaled and committed like [`Host::journal`], except that a refusal
    /// is not journaled unless `journal_refusal` (`Ok(Err(code))`).
    fn journal_unless_refused(
        &mut self,
        now_ms: i64,
        actor: &str,
        cmd: &Command,
        journal_refusal: bool,
    ) -> Result<Result<Committed, String>, HostError> {
        let live = self.ensure_loaded()?;
        let s = match live.room.submit_unless_refused(
            EntryKind::Action,
            actor,
            cmd,
            now_ms,
            journal_refusal,
        )? {
            Ok(s) => s,
            Err(code) => return Ok(Err(code)),
        };
        if let Err(e) = self.commit(&s.entries) {
            self.drop_room();
            return Err(e);
        }
        Ok(Ok(Committed {
            seq: s.entries.first().map(|e| e.seq).unwrap_or(0),
            head: s.entries.first().map(|e| e.hash).unwrap_or_default(),
            verdict: s.verdict,
        }))
    }

    /// Journals one input and commits it to the store. Only after this returns Ok may the input
    /// be acknowledged.
    fn journal(
        &mut self,
        now_ms: i64,
        kind: EntryKind,
        actor: &str,
        cmd: &Command,
    ) -> Result<Committed, HostError> {
        let live = self.ensure_loaded()?;
        let s = live.room.submit(kind, actor, cmd, now_ms)?;
        if let Err(e) = self.commit(&s.entries) {
            self.drop_room();
            return Err(e);
        }
        Ok(Committed {
            seq: s.entries.first().map(|e| e.seq).unwrap_or(0),
            head: s.entries.first().map(|e| e.hash).unwrap_or_default(),
            verdict: s.verdict,
        })
    }

    /// Stores journaled entries, writes a snapshot when one is due (every [`COMPACT_EVERY`]
    /// entries), buffers their ticker lines and mirrors the engine's timeline into the tasks.
    fn commit(&mut self, entries: &[crate::journal::Entry]) -> Result<(), HostError> {
        let Some(live) = self.live.as_mut() else {
            return Err(RouteError::RoomNotFound.into());
        };
        let committed = live.commit(&mut self.store, entries)?;
        if checkpoint::ends_a_day_or_the_game(entries) {
            self.checkpoint_due = true;
        }
        // Committed: logged even if the snapshot below fails.
        self.log_entries(entries);
        self.queue_pushes(entries, &committed.facts);
        let Some(live) = self.live.as_mut() else {
            return Err(RouteError::RoomNotFound.into());
        };
        if live.room.seq() >= live.snapshot_seq() + COMPACT_EVERY {
            live.snapshot(&mut self.store)?;
            self.prune()?;
        }
        self.sockets.buffer_ticker(committed.lines);
        self.sync_tasks()
    }

    /// Deletes the journal rows [`journal_rows_to_drop`] allows, from what the store holds (the
    /// stored snapshot's seq and the stored D1 confirmation), never from memory. Once the game
    /// has ended and D1 has confirmed every entry, the final snapshot is written first (at the
    /// head), so the room keeps that snapshot and no journal row.
    fn prune(&mut self) -> Result<(), HostError> {
        let storage = HostError::storage;
        let mut snapshot_seq = self.store.snapshot_seq().map_err(storage)?;
        let confirmed = self.store.confirmed_seq().map_err(storage)?;
        let finished = self.live.as_ref().is_some_and(|l| l.room.has_ended());
        if let Some(live) = self.live.as_mut().filter(|_| finished) {
            let head = live.room.seq();
            if confirmed >= head && snapshot_seq < head {
                live.snapshot(&mut self.store)?;
                snapshot_seq = head;
            }
        }
        let span = self.store.journal_span().map_err(storage)?;
        let Some(first) = span.first else {
            return Ok(());
        };
        // The kept rows are contiguous up to the head.
        let head = first + span.rows.saturating_sub(1);
        let up_to = journal_rows_to_drop(snapshot_seq, confirmed, head, finished);
        if first <= up_to {
            self.store.prune(up_to).map_err(storage)?;
            self.log(LogEvent::Compaction {
                dropped_up_to: up_to,
                rows: up_to - first + 1,
            });
        }
        Ok(())
    }

    /// Mirrors the engine's pending timeline into the stored tasks.
    fn sync_tasks(&mut self) -> Result<(), HostError> {
        let Some(live) = self.live.as_ref() else {
            return Ok(());
        };
        let queue = match self.queue.as_mut() {
            Some(q) => q,
            None => self.queue.insert(AlarmQueue::from_tasks(
                self.store.tasks().map_err(HostError::storage)?,
            )),
        };
        let changes = queue.sync(&live.room.alarm_tasks());
        self.store.write_tasks(&changes).map_err(HostError::storage)
    }

    /// After any change: every socket gets its SYNC (now, or in one trailing broadcast), the
    /// outbox goes to D1 when a flush is due, the alarm follows.
    fn after_change(&mut self, now_ms: i64, fx: &mut Vec<Effect>) {
        self.checkpoint_if_due(now_ms, fx);
        let trailing = self.sync_soon(now_ms, fx);
        if self.flush_due(now_ms) {
            self.start_flush(now_ms, fx);
        }
        self.arm(fx);
        if let Some(at) = trailing {
            fx.push(Effect::StartTimer(at));
        }
    }

    /// The alarm rang: fire every due task (journaled, committed), then SYNC, flush, re-arm.
    fn on_alarm(&mut self, now_ms: i64, fx: &mut Vec<Effect>) {
        let late_ms = self.alarm.armed.map(|at| now_ms - at);
        self.alarm.armed = None;
        let live = match self.ensure_loaded() {
            Ok(live) => live,
            Err(HostError::Route(RouteError::RoomNotFound)) => return,
            Err(e) => {
                self.log(LogEvent::error(format!("alarm failed: {}", e.to_json())));
                return;
            }
        };
        let entries = live.room.fire_due(now_ms, FIRE_PER_ALARM);
        let fired = entries.len();
        if let Err(e) = self.commit(&entries) {
            self.drop_room();
            self.log(LogEvent::error(format!("alarm failed: {}", e.to_json())));
            return;
        }
        self.log(LogEvent::Alarm { fired, late_ms });
        self.checkpoint_if_due(now_ms, fx);
        let trailing = if entries.is_empty() {
            None
        } else {
            self.sync_soon(now_ms, fx)
        };
        self.start_flush(now_ms, fx);
        self.lobby_call(now_ms, fx);
        self.push_send(now_ms, fx);
        self.arm(fx);
        if let Some(at) = trailing {
            fx.push(Effect::StartTimer(at));
        }
    }

    /// Sets the single DO alarm at min(next task, next outbox flush), or deletes it. A flush in
    /// flight re-arms when D1 answers.
    fn arm(&mut self, fx: &mut Vec<Effect>) {
        self.lobby_note();
        let next_task = self.queue.as_ref().and_then(AlarmQueue::next_due);
        let at = [
            next_task,
            self.next_flush_at(),
            self.next_lobby_at(self.now_ms),
            self.next_push_at(self.now_ms),
        ]
        .into_iter()
        .flatten()
        .min();
        if self.alarm.asserted && at == self.alarm.armed {
            return;
        }
        fx.push(at.map_or(Effect::ClearAlarm, Effect::SetAlarm));
        self.alarm = AlarmState {
            armed: at,
            asserted: true,
        };
    }
}

/// `{"error": …}` as a reply (logged at the end of the step, with the message when INTERNAL).
fn error_reply(err: &HostError, fx: &mut Vec<Effect>) {
    fx.push(json_reply(err.status(), &err.to_json()));
}

/// A JSON answer, serialized in the type's own field order.
fn json_reply(status: u16, body: &impl serde::Serialize) -> Effect {
    Effect::Reply {
        status,
        headers: Vec::new(),
        body: ReplyBody::Json(serde_json::to_string(body).unwrap_or_default()),
    }
}
