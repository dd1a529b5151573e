//! The typing indicator (docs/protocol.md, "Typing"): `PRESENCE.TYPING` / `PRESENCE.STOP_TYPING`
//! `{channelId}` from a player's socket is relayed to the sockets of the channel's other readers
//! (the engine says who: [`crate::engine::social::typing_audience`]) and to nobody else. It is
//! never journaled, never in SYNC, and lost on hibernation (nothing to restore). A player may
//! signal at most once every [`TYPING_MIN_INTERVAL_MS`] (over all their sockets); faster signals,
//! and signals for a channel they may not post in, get a typed ERROR and are not relayed.

use super::{Effect, Host};
use crate::engine::social::typing_audience;
use crate::room::live::Store;
use crate::room::protocol::{ServerMessage, Signal};
use crate::room::session::SessionError;
use std::collections::BTreeMap;

/// The shortest interval between two relayed typing signals of one player.
pub const TYPING_MIN_INTERVAL_MS: i64 = 1_000;

/// When each player's last typing signal was relayed (this instance only).
#[derive(Debug, Default)]
pub(super) struct TypingLimiter {
    last: BTreeMap<String, i64>,
}

impl TypingLimiter {
    /// Whether `player` may signal at `now` (and if so, counts it).
    fn admit(&mut self, player: &str, now: i64) -> bool {
        match self.last.get(player) {
            Some(t) if now - *t < TYPING_MIN_INTERVAL_MS => false,
            _ => {
                self.last.insert(player.to_string(), now);
                true
            }
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
        if !self.typing.admit(player, now) {
            let e = SessionError::TypingTooFast {
                min_ms: TYPING_MIN_INTERVAL_MS,
            };
            fx.push(Effect::Send {
                socket: socket.to_string(),
                text: error(reference, e.code(), e.to_string()).to_text(),
            });
            return;
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
