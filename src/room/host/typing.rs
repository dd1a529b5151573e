//! The typing indicator (docs/protocol.md, "Typing"): `PRESENCE.TYPING` / `PRESENCE.STOP_TYPING`
//! `{channelId}` from a player's socket is relayed to the sockets of the channel's other readers
//! (the engine says who: [`crate::engine::social::typing_audience`]) and to nobody else. It is
//! never journaled, never in SYNC, and lost on hibernation (nothing to restore). A player may
//! send TYPING at most once every [`TYPING_MIN_INTERVAL_MS`] (over all their sockets); a faster
//! TYPING, and a signal for a channel they may not post in, gets a typed ERROR and is not relayed.
//!
//! STOP_TYPING is not rate limited: it is relayed at once when it ends a TYPING this instance
//! relayed for that player and channel, and otherwise dropped without an answer (nothing to stop).
//! So a STOP can never be refused for coming "too soon" after its TYPING (which arrival jitter
//! made happen: the listener then showed "is typing…" until its 7 s expiry), and STOPs cannot be
//! used to flood a channel: at most one per relayed TYPING.

use super::{Effect, Host};
use crate::engine::social::typing_audience;
use crate::room::live::Store;
use crate::room::protocol::{ServerMessage, Signal};
use crate::room::session::SessionError;
use std::collections::{BTreeMap, BTreeSet};

/// The shortest interval between two relayed typing signals of one player.
pub const TYPING_MIN_INTERVAL_MS: i64 = 1_000;

/// When each player's last TYPING was relayed, and which (player, channel) TYPINGs no STOP has
/// ended yet (this instance only).
#[derive(Debug, Default)]
pub(super) struct TypingLimiter {
    last: BTreeMap<String, i64>,
    open: BTreeSet<(String, String)>,
}

/// What to do with one typing signal.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Relay,
    TooFast,
    /// A STOP with no relayed TYPING to end: no answer, nothing relayed.
    Drop,
}

impl TypingLimiter {
    /// What to do with `player`'s `signal` at `now` (a relayed one is counted).
    fn judge(&mut self, player: &str, signal: &Signal, now: i64) -> Verdict {
        let key = (player.to_string(), signal.channel_id().to_string());
        match signal {
            Signal::StopTyping { .. } => {
                if self.open.remove(&key) {
                    Verdict::Relay
                } else {
                    Verdict::Drop
                }
            }
            Signal::Typing { .. } => match self.last.get(player) {
                Some(t) if now - *t < TYPING_MIN_INTERVAL_MS => Verdict::TooFast,
                _ => {
                    self.last.insert(player.to_string(), now);
                    self.open.insert(key);
                    Verdict::Relay
                }
            },
        }
    }
}

impl<S: Store> Host<S> {
    /// A typing signal from `player`'s `socket`.
    pub(super) fn signal(
        &mut self,
        now: i64,
        socket: &str,
        player: &str,
        reference: Option<String>,
        signal: Signal,
        fx: &mut Vec<Effect>,
    ) {
        let channel = signal.channel_id().to_string();
        let audience = match self.live.as_ref().and_then(|l| l.room.state()) {
            Some(st) => typing_audience(st, player, &channel).map_err(|r| {
                let text = r.to_string();
                (r.code().to_string(), text)
            }),
            None => {
                let e = SessionError::NoSuchGame;
                Err((e.code().to_string(), e.to_string()))
            }
        };
        let audience = match audience {
            Ok(a) => a,
            Err((code, text)) => {
                fx.push(Effect::Send {
                    socket: socket.to_string(),
                    text: error(reference, &code, text).to_text(),
                });
                return;
            }
        };
        match self.typing.judge(player, &signal, now) {
            Verdict::Relay => {}
            Verdict::Drop => return,
            Verdict::TooFast => {
                let e = SessionError::TypingTooFast {
                    min_ms: TYPING_MIN_INTERVAL_MS,
                };
                fx.push(Effect::Send {
                    socket: socket.to_string(),
                    text: error(reference, e.code(), e.to_string()).to_text(),
                });
                return;
            }
        }
        let player_id = player.to_string();
        let text = match signal {
            Signal::Typing { .. } => ServerMessage::Typing {
                player_id,
                channel_id: channel,
            },
            Signal::StopTyping { .. } => ServerMessage::StopTyping {
                player_id,
                channel_id: channel,
            },
        }
        .to_text();
        for s in self.sockets.sockets_of(&audience) {
            fx.push(Effect::Send {
                socket: s,
                text: text.clone(),
            });
        }
    }
}

fn error(reference: Option<String>, code: &str, message: String) -> ServerMessage {
    ServerMessage::Error {
        reference,
        code: code.to_string(),
        message,
        path: None,
        seq: None,
        head: None,
    }
}
