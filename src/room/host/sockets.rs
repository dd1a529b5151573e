//! Player sockets (docs/protocol.md, "WebSocket"): who is connected, the per-player limits
//! ([`super::limits`]), frames in, and what goes out: ACK/ERROR, the throttled SYNC or DELTA
//! broadcast with its ticker lines, resume, the ticker history on connect, and presence.

use super::limits::{PlayerLimits, Players, Rate, Refusals, MAX_SOCKETS_PER_PLAYER};
use super::{
    Effect, Host, HostError, CLOSE_ABUSE, CLOSE_AUTH, CLOSE_NORMAL, CLOSE_TOO_MANY,
    SYNC_INTERVAL_MS,
};
use crate::engine::ticker::TickerLine;
use crate::journal::Verdict;
use crate::limits::RESUME_VERSIONS;
use crate::room::delta;
use crate::room::live::Store;
use crate::room::parse_client_message;
use crate::room::protocol::{parse_signal, ControlMessage, ServerMessage};
use crate::room::route::RouteError;
use crate::room::session::{self, SessionError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::VecDeque;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// Identity of an accepted WebSocket, kept in its attachment (survives hibernation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SocketId {
    #[serde(rename = "playerId")]
    pub player_id: String,
    /// Connection id: names the socket in inputs and effects.
    pub cid: String,
    /// The token's `exp` (unix seconds): frames after it close the socket (0: not recorded).
    #[serde(default)]
    pub exp: i64,
    /// The socket asked for SYSTEM.DELTA frames (`delta=1` on connect; docs/protocol.md).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub delta: bool,
    /// On a delta socket: the version of the last SYNC or DELTA the room sent it, kept here
    /// (the host emits [`Effect::Attach`] with each such frame) so that an instance woken from
    /// hibernation still knows what the open socket holds (docs/protocol.md, "Resume").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v: Option<u64>,
}

/// A projection sent to a player, with its version (the room's seq when it was built).
type Sent = (u64, Arc<Value>);

/// A projection kept for resume, as its compact JSON text: a `Value` tree costs several times
/// its text, and a room keeps up to 2 × [`RESUME_VERSIONS`] of them per player
/// (BENCHMARKS.md, "What held workerd's memory"); it is parsed back only when a socket resumes
/// from it.
type Kept = (u64, Arc<str>);

#[derive(Clone, Debug)]
struct Peer {
    player_id: String,
    exp: i64,
    /// The room closed it (abuse, expired token): its later frames are dropped unread.
    closed: bool,
    /// It wants SYSTEM.DELTA frames after its first SYNC.
    delta: bool,
    /// The last projection sent to it (SYNC or DELTA): a frame that would repeat it is not
    /// sent, so a socket hears only of changes to its own view (docs/security.md), and a delta
    /// is computed from it. `None` after hibernation until [`Peer::held`] is resolved.
    last: Option<Sent>,
    /// After hibernation, a delta socket's version from its attachment ([`SocketId::v`]): the
    /// next broadcast rebuilds that projection as a resume would, and sends a DELTA from it.
    held: Option<u64>,
}

impl Peer {
    fn new(id: SocketId) -> Peer {
        Peer {
            player_id: id.player_id,
            exp: id.exp,
            closed: false,
            delta: id.delta,
            last: None,
            held: id.v.filter(|_| id.delta),
        }
    }

    /// The attachment of this socket (named `cid`) once it holds version `v` (kept on a delta
    /// socket only).
    fn identity(&self, cid: &str, v: Option<u64>) -> SocketId {
        SocketId {
            player_id: self.player_id.clone(),
            cid: cid.to_string(),
            exp: self.exp,
            delta: self.delta,
            v: v.filter(|_| self.delta),
        }
    }
}

/// Upgrades the request to `socket`, with the attachment of `peer` holding `v`.
fn accept(fx: &mut Vec<Effect>, socket: &str, peer: &Peer, v: Option<u64>) {
    fx.push(Effect::Accept {
        socket: socket.to_string(),
        identity: Some(peer.identity(socket, v)),
    });
}

/// A delta socket now holds `v`: its attachment says so (what a woken instance reads).
fn attach(fx: &mut Vec<Effect>, socket: &str, peer: &Peer, v: u64) {
    if peer.delta {
        fx.push(Effect::Attach {
            identity: peer.identity(socket, Some(v)),
        });
    }
}

/// The frame that brings a socket holding `base` to `now`: `None` when its view is unchanged,
/// a SYSTEM.DELTA when it takes them and holds a base, a full SYSTEM.SYNC otherwise.
fn update_frame(delta: bool, base: Option<&Sent>, now: &Sent) -> Option<String> {
    match base {
        Some((_, b)) if **b == *now.1 => None,
        Some(base) if delta => Some(delta_or_sync(base, now)),
        _ => Some(sync_text(now)),
    }
}

/// Deltas above this size (bytes) are checked against the full SYNC, and the smaller is sent.
const DELTA_CHECK_BYTES: usize = 1024;

/// A SYSTEM.DELTA from `base` to `now`, or the full SYNC when that is no larger (a delta of a
/// whole day's changes can outgrow the projection it leads to).
fn delta_or_sync(base: &Sent, now: &Sent) -> String {
    let text = ServerMessage::Delta {
        v: now.0,
        base: base.0,
        ops: delta::diff(&base.1, &now.1),
    }
    .to_text();
    if text.len() <= DELTA_CHECK_BYTES {
        return text;
    }
    let sync = sync_text(now);
    if sync.len() <= text.len() {
        sync
    } else {
        text
    }
}

fn sync_text(now: &Sent) -> String {
    ServerMessage::Sync {
        v: now.0,
        state: (*now.1).clone(),
    }
    .to_text()
}

/// The sockets of this instance and what goes out to them.
#[derive(Debug, Default)]
pub(super) struct Sockets {
    peers: BTreeMap<String, Peer>,
    /// Each player's buckets, over all their sockets.
    players: Players,
    /// The day's journaled refusals (loaded from the store on first use).
    refusals: Option<Refusals>,
    next_cid: u64,
    /// When the last SYNC broadcast was sent (ms; 0: never in this instance).
    last_sync_ms: i64,
    /// A trailing SYNC broadcast is already waiting (see [`SYNC_INTERVAL_MS`]).
    sync_pending: bool,
    /// Ticker lines of committed entries, sent with the next broadcast.
    ticker: Vec<TickerLine>,
    /// Per player, the last [`RESUME_VERSIONS`] projections sent to them, oldest first: what a
    /// resuming socket's delta is computed from (docs/protocol.md, "Resume").
    recent: BTreeMap<String, VecDeque<Kept>>,
    /// Per player, the last projection of each of their last [`RESUME_VERSIONS`] sockets that
    /// closed, oldest first: a socket that drops and comes back resumes from it however much
    /// the player's other sockets were sent meanwhile.
    parked: BTreeMap<String, VecDeque<Kept>>,
}

impl Sockets {
    pub(super) fn new(known: Vec<SocketId>) -> Sockets {
        Sockets {
            peers: known
                .into_iter()
                .map(|id| (id.cid.clone(), Peer::new(id)))
                .collect(),
            ..Sockets::default()
        }
    }

    /// A fresh connection id (`<ms>-<n>`).
    pub(super) fn new_cid(&mut self, now_ms: i64) -> String {
        self.next_cid += 1;
        format!("{now_ms}-{}", self.next_cid)
    }

    /// Keeps `sent` as one of the versions `player` may resume from.
    fn remember(&mut self, player: &str, sent: &Sent) {
        keep(self.recent.entry(player.to_string()).or_default(), sent);
    }

    /// The projection of version `v` this room sent `player`, if it still has it.
    fn known(&self, player: &str, v: u64) -> Option<Sent> {
        [&self.recent, &self.parked]
            .into_iter()
            .filter_map(|m| m.get(player))
            .flat_map(|q| q.iter())
            .find(|(x, _)| *x == v)
            .and_then(|(x, text)| Some((*x, Arc::new(serde_json::from_str(text).ok()?))))
    }

    pub(super) fn buffer_ticker(&mut self, lines: Vec<TickerLine>) {
        self.ticker.extend(lines);
    }

    /// The open sockets of these players.
    pub(super) fn sockets_of(&self, players: &[String]) -> Vec<String> {
        self.open()
            .filter(|(_, p)| players.contains(&p.player_id))
            .map(|(s, _)| s.clone())
            .collect()
    }

    /// Closes every open socket (the room is gone).
    pub(super) fn close_all(&mut self, code: u16, reason: &str, fx: &mut Vec<Effect>) {
        for (socket, peer) in self.peers.iter_mut().filter(|(_, p)| !p.closed) {
            peer.closed = true;
            fx.push(Effect::Close {
                socket: socket.clone(),
                code,
                reason: reason.to_string(),
            });
        }
    }

    /// Sends `text` to every open socket.
    pub(super) fn send_all(&self, text: &str, fx: &mut Vec<Effect>) {
        for (socket, _) in self.open() {
            fx.push(Effect::Send {
                socket: socket.clone(),
                text: text.to_string(),
            });
        }
    }

    /// How many sockets are open.
    pub(super) fn open_count(&self) -> usize {
        self.open().count()
    }

    /// The open sockets and their players.
    fn open(&self) -> impl Iterator<Item = (&String, &Peer)> {
        self.peers.iter().filter(|(_, p)| !p.closed)
    }

    /// Whether `player` may open one more socket now: under [`MAX_SOCKETS_PER_PLAYER`] open
    /// sockets, and within their connect bucket. `Err((close code, reason))` otherwise.
    pub(super) fn admit_connect(
        &mut self,
        now_ms: i64,
        player: &str,
        frame_burst: f64,
    ) -> Result<(), (u16, String)> {
        let open = self.open().filter(|(_, p)| p.player_id == player).count();
        if open >= MAX_SOCKETS_PER_PLAYER {
            return Err((
                CLOSE_TOO_MANY,
                format!("this player already has {MAX_SOCKETS_PER_PLAYER} sockets open"),
            ));
        }
        let limits = self
            .players
            .entry(player.to_string())
            .or_insert_with(|| PlayerLimits::new(frame_burst, now_ms));
        if !limits.connect(now_ms) {
            return Err((CLOSE_ABUSE, "too many connects: wait and retry".into()));
        }
        Ok(())
    }
}

/// Adds `sent` to a per-player list of at most [`RESUME_VERSIONS`] versions (oldest dropped).
fn keep(q: &mut VecDeque<Kept>, sent: &Sent) {
    if q.iter().any(|(v, _)| *v == sent.0) {
        return;
    }
    q.push_back((sent.0, Arc::from(sent.1.to_string())));
    while q.len() > RESUME_VERSIONS {
        q.pop_front();
    }
}

fn send(fx: &mut Vec<Effect>, socket: &str, msg: &ServerMessage) {
    fx.push(Effect::Send {
        socket: socket.to_string(),
        text: msg.to_text(),
    });
}

fn error(reference: Option<&str>, code: &str, message: impl ToString) -> ServerMessage {
    ServerMessage::Error {
        reference: reference.map(str::to_string),
        code: code.to_string(),
        message: message.to_string(),
        path: None,
        seq: None,
        head: None,
    }
}

impl<S: Store> Host<S> {
    /// A socket is accepted for `id` ([`Effect::Accept`], its attachment saying which version
    /// it will hold on a delta socket): its SYNC (or, resuming from a version `resume` the room
    /// can rebuild for the player, a DELTA from it), today's ticker history, then presence to all.
    pub(super) fn welcome(&mut self, id: SocketId, resume: Option<u64>, fx: &mut Vec<Effect>) {
        let socket = id.cid.clone();
        let player = id.player_id.clone();
        let mut peer = Peer::new(SocketId { v: None, ..id });
        let Some(live) = self.live.as_ref() else {
            accept(fx, &socket, &peer, None);
            self.sockets.peers.insert(socket, peer);
            return;
        };
        let now: Sent = (
            live.room.seq(),
            Arc::new(live.room.projection(Some(&player))),
        );
        let base = resume
            .filter(|_| peer.delta)
            .and_then(|v| self.resume_base(&player, v));
        let Some(live) = self.live.as_ref() else {
            accept(fx, &socket, &peer, None);
            self.sockets.peers.insert(socket, peer);
            return;
        };
        let text = match &base {
            // Resumed: a DELTA, with no operations when nothing changed (it still says which
            // version the socket now holds), or the SYNC when that is smaller.
            Some(base) => delta_or_sync(base, &now),
            None => sync_text(&now),
        };
        accept(fx, &socket, &peer, Some(now.0));
        self.sockets.remember(&player, &now);
        peer.last = Some(now);
        self.sockets.peers.insert(socket.clone(), peer);
        fx.push(Effect::Send {
            socket: socket.clone(),
            text,
        });
        let lines = live.ticker_history();
        send(fx, &socket, &ServerMessage::TickerHistory { lines });
        self.broadcast_presence(fx);
    }

    /// The projection of version `v` a resuming socket of `player` holds: one the room sent
    /// them and still keeps in memory, or else rebuilt from the room's tail when `v` is between
    /// the previous snapshot's seq and the head (a projection is a function of the room's state
    /// at its version: docs/protocol.md, "Versions"). `None`: the first frame is a full SYNC.
    fn resume_base(&mut self, player: &str, v: u64) -> Option<Sent> {
        if let Some(kept) = self.sockets.known(player, v) {
            return Some(kept);
        }
        let room = self.live.as_mut()?.room_at_stored(&self.store, v)?;
        Some((v, Arc::new(room.projection(Some(player)))))
    }

    /// SYSTEM.RESYNC: a full SYNC to a socket that could not apply a delta, counted against the
    /// player's connect bucket (a full SYNC costs what a connect does); ERROR RATE_LIMITED when
    /// it is empty.
    fn resync(
        &mut self,
        now: i64,
        socket: &str,
        player: &str,
        reference: Option<String>,
        fx: &mut Vec<Effect>,
    ) {
        let burst = self.config.rate_burst;
        let limits = self
            .sockets
            .players
            .entry(player.to_string())
            .or_insert_with(|| PlayerLimits::new(burst, now));
        if !limits.connect(now) {
            let e = SessionError::RateLimited {
                per_s: super::limits::CONNECTS_PER_MIN / 60.0,
                burst: super::limits::CONNECT_BURST,
            };
            send(fx, socket, &error(reference.as_deref(), e.code(), &e));
            return;
        }
        let Some(live) = self.live.as_ref() else {
            return;
        };
        let sent: Sent = (
            live.room.seq(),
            Arc::new(live.room.projection(Some(player))),
        );
        fx.push(Effect::Send {
            socket: socket.to_string(),
            text: sync_text(&sent),
        });
        self.sockets.remember(player, &sent);
        if let Some(peer) = self.sockets.peers.get_mut(socket) {
            attach(fx, socket, peer, sent.0);
            peer.last = Some(sent);
            peer.held = None;
        }
    }

    /// One frame from `socket`: token expiry, rate limit, decoding, then the journal and the
    /// answer (ACK, or ERROR with the rejection's `seq`); nothing is journaled before it passes.
    pub(super) fn frame(
        &mut self,
        now: i64,
        socket: &str,
        identity: Option<SocketId>,
        data: &[u8],
        fx: &mut Vec<Effect>,
    ) {
        let Some(id) = identity else {
            close(fx, socket, CLOSE_AUTH, "not authenticated");
            return;
        };
        let (per_s, burst) = (self.config.rate_per_s, self.config.rate_burst);
        let peer = self
            .sockets
            .peers
            .entry(socket.to_string())
            .or_insert_with(|| Peer::new(id));
        if peer.closed {
            return;
        }
        if session::expired(peer.exp, now / 1000) {
            let e = SessionError::TokenExpired { exp: peer.exp };
            peer.closed = true;
            send(fx, socket, &error(None, e.code(), &e));
            close(fx, socket, CLOSE_AUTH, "token expired");
            return;
        }
        let player = peer.player_id.clone();
        let limits = self
            .sockets
            .players
            .entry(player.clone())
            .or_insert_with(|| PlayerLimits::new(burst, now));
        match limits.frames.take(now, per_s, burst) {
            Rate::Admit => {}
            Rate::Refuse => {
                let e = SessionError::RateLimited { per_s, burst };
                send(fx, socket, &error(None, e.code(), &e));
                return;
            }
            Rate::Close => {
                if let Some(peer) = self.sockets.peers.get_mut(socket) {
                    peer.closed = true;
                }
                close(fx, socket, CLOSE_ABUSE, "rate limit exceeded repeatedly");
                return;
            }
        }
        if let Some(ControlMessage::Resync { reference }) = ControlMessage::parse(data) {
            if self.live.is_none() {
                let _ = self.ensure_loaded();
            }
            self.resync(now, socket, &player, reference, fx);
            return;
        }
        // Typing signals: relayed by the host, never journaled.
        if let Some(sig) = parse_signal(data) {
            match sig {
                Ok((reference, signal)) => self.signal(now, socket, &player, reference, signal, fx),
                Err((reference, err)) => {
                    send(fx, socket, &ServerMessage::protocol_error(reference, &err));
                }
            }
            return;
        }
        let msg = match parse_client_message(data) {
            Ok(m) => m,
            Err((reference, err)) => {
                send(fx, socket, &ServerMessage::protocol_error(reference, &err));
                return;
            }
        };
        let reference = msg.reference.as_deref();
        match self.journal_action(now, &player, &msg.command) {
            Ok(Err(code)) => {
                // Refused by the rules, past the day's budget: answered, not journaled, and
                // nobody else hears of it.
                send(
                    fx,
                    socket,
                    &error(
                        reference,
                        &code,
                        "refused by the rules (not journaled: today's budget of journaled refusals is spent)",
                    ),
                );
            }
            Ok(Ok(c)) => {
                let answer = match c.verdict {
                    Verdict::Accepted => ServerMessage::Ack {
                        reference: msg.reference.clone(),
                        seq: c.seq,
                        head: c.head,
                    },
                    Verdict::Rejected(code) => ServerMessage::Error {
                        reference: msg.reference.clone(),
                        code,
                        message: "refused by the rules (journaled)".into(),
                        path: None,
                        seq: Some(c.seq),
                        head: Some(c.head),
                    },
                };
                send(fx, socket, &answer);
                self.after_change(now, fx);
            }
            Err(err) => {
                // Only codes the socket's ERROR schema lists: a room error keeps its own code,
                // the rest become the session's.
                let answer = match &err {
                    HostError::Room(r) => error(reference, r.code(), "not journaled; try again"),
                    HostError::Route(route) => {
                        let e = match route {
                            RouteError::StorageFailed(_) => SessionError::StorageFailed,
                            RouteError::RoomNotFound => SessionError::NoSuchGame,
                            other => SessionError::Internal(other.code().to_string()),
                        };
                        error(reference, e.code(), &e)
                    }
                    HostError::Admin(a) => {
                        let e = SessionError::Internal(a.code().to_string());
                        error(reference, e.code(), &e)
                    }
                };
                send(fx, socket, &answer);
                let why = format!("websocket message failed: {}", err.to_json());
                self.log(super::LogEvent::error(why));
            }
        }
    }

    /// Journals a player's action, unless the rules refuse it and the player's refusal budget
    /// for today is spent (`Ok(Err(code))`: answered, not journaled). A journaled refusal is
    /// counted in the store in the same step as its entry, so the count survives hibernation.
    fn journal_action(
        &mut self,
        now: i64,
        player: &str,
        cmd: &crate::engine::Command,
    ) -> Result<Result<super::Committed, String>, HostError> {
        let mut refusals = match self.sockets.refusals.take() {
            Some(r) => r,
            None => Refusals::parse(
                self.store
                    .refusals()
                    .map_err(HostError::internal)?
                    .as_deref(),
            ),
        };
        refusals.roll(now);
        let allowed = refusals.allows(player);
        let result = self.journal_unless_refused(now, player, cmd, allowed);
        if let Ok(Ok(c)) = &result {
            if matches!(c.verdict, Verdict::Rejected(_)) {
                refusals.count(player);
                // The entry is stored and answered whatever happens here; should this write
                // fail, the count is still kept in memory and stored with the next refusal.
                let _ = self.store.set_refusals(&refusals.to_json());
            }
        }
        self.sockets.refusals = Some(refusals);
        result
    }

    /// A socket closed or failed: forget it and tell the others who is still here.
    pub(super) fn socket_gone(
        &mut self,
        socket: &str,
        identified: bool,
        echo: bool,
        fx: &mut Vec<Effect>,
    ) {
        let gone = self.sockets.peers.remove(socket);
        if let Some(Peer {
            player_id,
            last: Some(last),
            ..
        }) = &gone
        {
            keep(
                self.sockets.parked.entry(player_id.clone()).or_default(),
                last,
            );
        }
        if gone.is_some() || identified {
            self.broadcast_presence(fx);
        }
        if echo {
            close(fx, socket, CLOSE_NORMAL, "closed");
        }
    }

    /// Broadcasts now when the last SYNC is old enough. Otherwise returns when the trailing
    /// broadcast is due, if this change must start its timer (`None` when one already waits).
    pub(super) fn sync_soon(&mut self, now: i64, fx: &mut Vec<Effect>) -> Option<i64> {
        let s = &mut self.sockets;
        if s.sync_pending {
            if now < s.last_sync_ms + 2 * SYNC_INTERVAL_MS {
                return None;
            }
            // The trailing timer is an interval overdue (its handler was lost): send it now.
            s.sync_pending = false;
        }
        if now >= s.last_sync_ms + SYNC_INTERVAL_MS {
            self.broadcast_sync(now, fx);
            return None;
        }
        s.sync_pending = true;
        Some(s.last_sync_ms + SYNC_INTERVAL_MS)
    }

    /// The trailing broadcast: it reads the state as it is now.
    pub(super) fn on_timer(&mut self, now: i64, fx: &mut Vec<Effect>) {
        if self.sockets.sync_pending {
            self.sockets.sync_pending = false;
            self.broadcast_sync(now, fx);
        }
    }

    /// To every socket whose view changed since the last frame it got: a `SYSTEM.DELTA` from
    /// that frame if it takes deltas and the room knows what it holds, else `SYSTEM.SYNC` with
    /// its whole projection (one projection per player); then the buffered ticker lines to every
    /// socket. A change a player cannot see sends them nothing: an entry hidden from them (a DM
    /// between others, a refused action) is not announced by a frame (docs/security.md).
    fn broadcast_sync(&mut self, now: i64, fx: &mut Vec<Effect>) {
        self.sockets.last_sync_ms = now;
        let lines = std::mem::take(&mut self.sockets.ticker);
        self.recall_held();
        let Some(live) = self.live.as_ref() else {
            return;
        };
        let ticker = (!lines.is_empty()).then(|| ServerMessage::TickerUpdate { lines }.to_text());
        let seq = live.room.seq();
        let mut views: HashMap<String, Sent> = HashMap::new();
        // (player, base version, delta?) → the frame, so sockets of one player share the work.
        let mut frames: HashMap<(String, Option<u64>, bool), Option<String>> = HashMap::new();
        let mut sent_to: Vec<(String, Sent)> = Vec::new();
        for (socket, peer) in self.sockets.peers.iter_mut().filter(|(_, p)| !p.closed) {
            let view = views
                .entry(peer.player_id.clone())
                .or_insert_with(|| (seq, Arc::new(live.room.projection(Some(&peer.player_id)))))
                .clone();
            let key = (
                peer.player_id.clone(),
                peer.last.as_ref().map(|(v, _)| *v),
                peer.delta,
            );
            let text = frames
                .entry(key)
                .or_insert_with(|| update_frame(peer.delta, peer.last.as_ref(), &view))
                .clone();
            if let Some(text) = text {
                fx.push(Effect::Send {
                    socket: socket.clone(),
                    text,
                });
                attach(fx, socket, peer, view.0);
                peer.last = Some(view.clone());
                sent_to.push((peer.player_id.clone(), view));
            }
            if let Some(t) = &ticker {
                fx.push(Effect::Send {
                    socket: socket.clone(),
                    text: t.clone(),
                });
            }
        }
        for (player, view) in sent_to {
            self.sockets.remember(&player, &view);
        }
    }

    /// After hibernation: what each open delta socket holds, from the version its attachment
    /// kept ([`Peer::held`]), rebuilt as a resume rebuilds it ([`Self::resume_base`]: in
    /// memory, else from the room's tail). One the room cannot rebuild stays unknown: that
    /// socket's next frame is a full SYNC.
    fn recall_held(&mut self) {
        if self.live.is_none() {
            return;
        }
        let held: Vec<(String, String, u64)> = self
            .sockets
            .open()
            .filter(|(_, p)| p.last.is_none())
            .filter_map(|(s, p)| Some((s.clone(), p.player_id.clone(), p.held?)))
            .collect();
        let mut rebuilt: HashMap<(String, u64), Option<Sent>> = HashMap::new();
        for (socket, player, v) in held {
            let base = match rebuilt.get(&(player.clone(), v)) {
                Some(b) => b.clone(),
                None => {
                    let b = self.resume_base(&player, v);
                    rebuilt.insert((player, v), b.clone());
                    b
                }
            };
            if let Some(peer) = self.sockets.peers.get_mut(&socket) {
                peer.last = base;
                peer.held = None;
            }
        }
    }

    /// `PRESENCE.UPDATE` (the sorted ids of players with a socket open) to every open socket.
    fn broadcast_presence(&self, fx: &mut Vec<Effect>) {
        let online: BTreeSet<&str> = self
            .sockets
            .open()
            .map(|(_, p)| p.player_id.as_str())
            .collect();
        let text = ServerMessage::Presence {
            online_players: online.into_iter().map(str::to_string).collect(),
        }
        .to_text();
        for (socket, _) in self.sockets.open() {
            fx.push(Effect::Send {
                socket: socket.clone(),
                text: text.clone(),
            });
        }
    }
}

fn close(fx: &mut Vec<Effect>, socket: &str, code: u16, reason: &str) {
    fx.push(Effect::Close {
        socket: socket.to_string(),
        code,
        reason: reason.to_string(),
    });
}
