//! Player sockets (docs/protocol.md, "WebSocket"): who is connected, the per-player limits
//! ([`super::limits`]), frames in, and what goes out: ACK/ERROR, the throttled SYNC broadcast with its ticker lines,
//! the ticker history on connect, and presence.

use super::limits::{PlayerLimits, Players, Rate, Refusals, MAX_SOCKETS_PER_PLAYER};
use super::{
    Effect, Host, HostError, CLOSE_ABUSE, CLOSE_AUTH, CLOSE_NORMAL, CLOSE_TOO_MANY,
    SYNC_INTERVAL_MS,
};
use crate::engine::ticker::TickerLine;
use crate::journal::Verdict;
use crate::room::live::Store;
use crate::room::parse_client_message;
use crate::room::protocol::{parse_signal, ServerMessage};
use crate::room::route::RouteError;
use crate::room::session::{self, SessionError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
}

#[derive(Clone, Debug)]
struct Peer {
    player_id: String,
    exp: i64,
    /// The room closed it (abuse, expired token): its later frames are dropped unread.
    closed: bool,
    /// The hash of the last SYNC sent to it: a SYNC that would repeat it is not sent, so a
    /// socket hears only of changes to its own view (docs/security.md).
    last_sync: Option<[u8; 32]>,
}

impl Peer {
    fn new(id: SocketId) -> Peer {
        Peer {
            player_id: id.player_id,
            exp: id.exp,
            closed: false,
            last_sync: None,
        }
    }
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
    pub(super) fn welcome(&mut self, id: SocketId, fx: &mut Vec<Effect>) {
        let socket = id.cid.clone();
        let player = id.player_id.clone();
        let mut peer = Peer::new(id);
        let Some(live) = self.live.as_ref() else {
            self.sockets.peers.insert(socket, peer);
            return;
        };
        let state = live.room.projection(Some(&player));
        let text = ServerMessage::Sync { state }.to_text();
        peer.last_sync = Some(*blake3::hash(text.as_bytes()).as_bytes());
        self.sockets.peers.insert(socket.clone(), peer);
        fx.push(Effect::Send {
            socket: socket.clone(),
            text,
        });
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

    /// `SYSTEM.SYNC` with its own projection to every socket whose view changed since the last
    /// SYNC it got (one projection per player), then the buffered ticker lines to every socket.
    /// A change a player cannot see sends them nothing: an entry hidden from them (a DM between
    /// others, a refused action) is not announced by a frame (docs/security.md).
    fn broadcast_sync(&mut self, now: i64, fx: &mut Vec<Effect>) {
        self.sockets.last_sync_ms = now;
        let lines = std::mem::take(&mut self.sockets.ticker);
        let Some(live) = self.live.as_ref() else {
            return;
        };
        let ticker = (!lines.is_empty()).then(|| ServerMessage::TickerUpdate { lines }.to_text());
        let mut cache: HashMap<String, (String, [u8; 32])> = HashMap::new();
        for (socket, peer) in self.sockets.peers.iter_mut().filter(|(_, p)| !p.closed) {
            let (text, hash) = cache
                .entry(peer.player_id.clone())
                .or_insert_with(|| {
                    let text = ServerMessage::Sync {
                        state: live.room.projection(Some(&peer.player_id)),
                    }
                    .to_text();
                    let hash = *blake3::hash(text.as_bytes()).as_bytes();
                    (text, hash)
                })
                .clone();
            if peer.last_sync != Some(hash) {
                peer.last_sync = Some(hash);
                fx.push(Effect::Send {
                    socket: socket.clone(),
                    text,
                });
            }
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
