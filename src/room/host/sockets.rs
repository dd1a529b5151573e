//! Player sockets (docs/protocol.md, "WebSocket"): who is connected, the per-socket rate limit,
//! frames in, and what goes out: ACK/ERROR, the throttled SYNC broadcast with its ticker lines,
//! the ticker history on connect, and presence.

use super::{
    Effect, Host, HostError, CLOSE_ABUSE, CLOSE_AUTH, CLOSE_NORMAL, RATE_STRIKES_CLOSE,
    SYNC_INTERVAL_MS,
};
use crate::engine::ticker::TickerLine;
use crate::journal::{EntryKind, Verdict};
use crate::room::live::Store;
use crate::room::parse_client_message;
use crate::room::protocol::ServerMessage;
use crate::room::route::RouteError;
use crate::room::session::{self, SessionError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Identity of an accepted WebSocket, kept in its attachment (survives hibernation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SocketId {
    #[serde(rename = "playerId")]
    pub player_id: String,
    /// Connection id: names the socket in inputs and effects, keys its rate limit.
    pub cid: String,
    /// The token's `exp` (unix seconds): frames after it close the socket (0: not recorded).
    #[serde(default)]
    pub exp: i64,
}

/// A per-socket token bucket: `rate_per_s` frames a second, bursts of `rate_burst`, measured
/// by the times given to the host.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Bucket {
    tokens: f64,
    last_ms: i64,
    /// Consecutive rate-limited frames; [`RATE_STRIKES_CLOSE`] of them close the socket (4008).
    strikes: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rate {
    Admit,
    Refuse,
    /// Persistent abuse: close the socket.
    Close,
}

impl Bucket {
    fn full(burst: f64, now_ms: i64) -> Bucket {
        Bucket {
            tokens: burst,
            last_ms: now_ms,
            strikes: 0,
        }
    }

    fn take(&mut self, now_ms: i64, per_s: f64, burst: f64) -> Rate {
        let elapsed = now_ms.saturating_sub(self.last_ms).max(0);
        self.tokens = (self.tokens + elapsed as f64 / 1000.0 * per_s).min(burst);
        self.last_ms = self.last_ms.max(now_ms);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            self.strikes = 0;
            Rate::Admit
        } else {
            self.strikes += 1;
            if self.strikes >= RATE_STRIKES_CLOSE {
                Rate::Close
            } else {
                Rate::Refuse
            }
        }
    }
}

#[derive(Clone, Debug)]
struct Peer {
    player_id: String,
    exp: i64,
    /// Created with the first frame.
    bucket: Option<Bucket>,
    /// The room closed it (abuse, expired token): its later frames are dropped unread.
    closed: bool,
}

impl Peer {
    fn new(id: SocketId) -> Peer {
        Peer {
            player_id: id.player_id,
            exp: id.exp,
            bucket: None,
            closed: false,
        }
    }
}

/// The sockets of this instance and what goes out to them.
#[derive(Debug, Default)]
pub(super) struct Sockets {
    peers: BTreeMap<String, Peer>,
    next_cid: u64,
    /// When the last SYNC broadcast was sent (ms; 0: never in this instance).
    last_sync_ms: i64,
    /// A trailing SYNC broadcast is already waiting (see [`SYNC_INTERVAL_MS`]).
    sync_pending: bool,
    /// Ticker lines of committed entries, sent with the next broadcast.
    ticker: Vec<TickerLine>,
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

    pub(super) fn buffer_ticker(&mut self, lines: Vec<TickerLine>) {
        self.ticker.extend(lines);
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

    /// The open sockets and their players.
    fn open(&self) -> impl Iterator<Item = (&String, &Peer)> {
        self.peers.iter().filter(|(_, p)| !p.closed)
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
    }
}

impl<S: Store> Host<S> {
    /// A socket was accepted for `id`: its SYNC, today's ticker history, then presence to all.
    pub(super) fn welcome(&mut self, now: i64, id: SocketId, fx: &mut Vec<Effect>) {
        let socket = id.cid.clone();
        let player = id.player_id.clone();
        let mut peer = Peer::new(id);
        peer.bucket = Some(Bucket::full(self.config.rate_burst, now));
        self.sockets.peers.insert(socket.clone(), peer);
        let Some(live) = self.live.as_ref() else {
            return;
        };
        let state = live.room.projection(Some(&player));
        send(fx, &socket, &ServerMessage::Sync { state });
        let lines = live.ticker_history();
        send(fx, &socket, &ServerMessage::TickerHistory { lines });
        self.broadcast_presence(fx);
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
        let bucket = peer.bucket.get_or_insert(Bucket::full(burst, now));
        match bucket.take(now, per_s, burst) {
            Rate::Admit => {}
            Rate::Refuse => {
                let e = SessionError::RateLimited { per_s, burst };
                send(fx, socket, &error(None, e.code(), &e));
                return;
            }
            Rate::Close => {
                peer.closed = true;
                close(fx, socket, CLOSE_ABUSE, "rate limit exceeded repeatedly");
                return;
            }
        }
        let msg = match parse_client_message(data) {
            Ok(m) => m,
            Err((reference, err)) => {
                send(fx, socket, &ServerMessage::protocol_error(reference, &err));
                return;
            }
        };
        let reference = msg.reference.as_deref();
        match self.journal(now, EntryKind::Action, &player, &msg.command) {
            Ok(c) => {
                let answer = match c.verdict {
                    Verdict::Accepted => ServerMessage::Ack {
                        reference: msg.reference.clone(),
                        seq: c.seq,
                    },
                    Verdict::Rejected(code) => ServerMessage::Error {
                        reference: msg.reference.clone(),
                        code,
                        message: "refused by the rules (journaled)".into(),
                        path: None,
                        seq: Some(c.seq),
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

    /// A socket closed or failed: forget it and tell the others who is still here.
    pub(super) fn socket_gone(
        &mut self,
        socket: &str,
        identified: bool,
        echo: bool,
        fx: &mut Vec<Effect>,
    ) {
        if self.sockets.peers.remove(socket).is_some() || identified {
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

    /// `SYSTEM.SYNC` with its own projection to every socket (one projection per player), each
    /// followed by the buffered ticker lines.
    fn broadcast_sync(&mut self, now: i64, fx: &mut Vec<Effect>) {
        self.sockets.last_sync_ms = now;
        let lines = std::mem::take(&mut self.sockets.ticker);
        let Some(live) = self.live.as_ref() else {
            return;
        };
        let ticker = (!lines.is_empty()).then(|| ServerMessage::TickerUpdate { lines }.to_text());
        let mut cache: HashMap<&str, String> = HashMap::new();
        for (socket, peer) in self.sockets.open() {
            let text = cache
                .entry(peer.player_id.as_str())
                .or_insert_with(|| {
                    ServerMessage::Sync {
                        state: live.room.projection(Some(&peer.player_id)),
                    }
                    .to_text()
                })
                .clone();
            fx.push(Effect::Send {
                socket: socket.clone(),
                text,
            });
            if let Some(t) = &ticker {
                fx.push(Effect::Send {
                    socket: socket.clone(),
                    text: t.clone(),
                });
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
