//! Structured logs (docs/architecture.md, "Logs"): one JSON line per notable room event, built
//! by the host from what it knows at the step's time (its injected clock), appended after the
//! step's other effects as [`super::Effect::Log`] and printed by the worker with `console.log`,
//! where Workers Logs keeps it in the owner's account.

use super::{Effect, Host, ReplyBody};
use crate::journal::{Entry, EntryKind, Verdict};
use crate::room::live::Store;
use serde::Serialize;
use serde_json::Value;

/// One log line: the room, its journal head, the event and how it went.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LogLine {
    /// When the step happened (ms since the Unix epoch), from the host's clock.
    pub at_ms: i64,
    /// The room's game id (absent when the request named none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub game_id: Option<String>,
    /// The journal entry's seq for `entry`, otherwise the room's head after the step (0: no
    /// room loaded).
    pub seq: u64,
    pub outcome: Outcome,
    #[serde(flatten)]
    pub event: LogEvent,
}

impl LogLine {
    /// The JSON text the worker prints.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// How an event went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    Ok,
    /// Journaled, refused by the rules.
    Rejected,
    /// Answered with an error, nothing journaled.
    Refused,
    /// Something the room tried failed (D1, storage, the alarm).
    Failed,
}

/// What happened; its name is the line's `kind`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum LogEvent {
    /// `POST …/init` created the room.
    Init { players: usize },
    /// An entry was journaled (and committed to DO storage).
    Entry {
        entry_kind: EntryKind,
        /// The input's type (`SOCIAL.SEND_MSG`, `INJECT_TIMELINE_EVENT`, …); never its payload.
        command: String,
        actor: String,
        /// The rules' refusal code, for a rejected entry.
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<String>,
    },
    /// An HTTP request answered with an error (nothing journaled); 5xx ones are `failed`.
    Refused {
        status: u16,
        code: String,
        /// The error's message, for an INTERNAL error only.
        #[serde(skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// D1 answered one outbox batch (or it could not be sent).
    D1Flush {
        /// Entries in the batch (0: it failed before it was sent).
        entries: usize,
        /// The batch's last seq.
        up_to: u64,
        /// From sending the batch to D1's answer.
        ms: i64,
        /// Consecutive failed flushes so far (0 after a success).
        failures: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
    /// The DO alarm rang.
    Alarm {
        /// Tasks fired (entries journaled).
        fired: usize,
        /// How long after the time this instance armed it (absent: armed by another instance).
        #[serde(skip_serializing_if = "Option::is_none")]
        late_ms: Option<i64>,
    },
    /// This instance loaded the room from DO storage (a cold start, a wake from hibernation or
    /// eviction, or a reload after a failed write), knowing `sockets` open sockets (those kept
    /// across hibernation, from their attachments).
    Load { sockets: usize },
    /// Journal rows deleted from the DO (docs/architecture.md, "Compaction").
    Compaction { dropped_up_to: u64, rows: u64 },
    /// `POST …/cleanup` deleted the room's storage (D1 verified).
    Cleanup,
    /// The room closed a socket.
    SocketClose { code: u16, reason: String },
    /// Something went wrong that no reply tells.
    Error { message: String },
}

impl LogEvent {
    pub fn error(message: impl Into<String>) -> LogEvent {
        LogEvent::Error {
            message: message.into(),
        }
    }

    fn entry(e: &Entry) -> LogEvent {
        LogEvent::Entry {
            entry_kind: e.kind,
            command: e.typ.clone(),
            actor: e.actor.clone(),
            code: match &e.verdict {
                Verdict::Accepted => None,
                Verdict::Rejected(code) => Some(code.clone()),
            },
        }
    }

    fn outcome(&self) -> Outcome {
        match self {
            LogEvent::Entry { code: Some(_), .. } => Outcome::Rejected,
            LogEvent::Refused { status, .. } if *status >= 500 => Outcome::Failed,
            LogEvent::Refused { .. } => Outcome::Refused,
            LogEvent::D1Flush { error: Some(_), .. } | LogEvent::Error { .. } => Outcome::Failed,
            _ => Outcome::Ok,
        }
    }
}

/// The events of the step in progress, turned into lines when it ends.
#[derive(Debug, Default)]
pub(super) struct StepLog {
    events: Vec<(Option<u64>, LogEvent)>,
    /// The room's game id: from the route of a request, or the room once loaded.
    pub(super) game_id: Option<String>,
}

impl<S: Store> Host<S> {
    /// Logs `event` at the end of this step.
    pub(super) fn log(&mut self, event: LogEvent) {
        self.log.events.push((None, event));
    }

    /// Logs `event` at the end of this step, with `seq` (not the head then).
    pub(super) fn log_at(&mut self, seq: u64, event: LogEvent) {
        self.log.events.push((Some(seq), event));
    }

    /// Logs each journaled entry with its own seq.
    pub(super) fn log_entries(&mut self, entries: &[Entry]) {
        for e in entries {
            self.log.events.push((Some(e.seq), LogEvent::entry(e)));
        }
    }

    /// Appends the step's log lines after its other effects: the events in the order they
    /// happened, then one per HTTP error the step answered and one per socket the room closed.
    pub(super) fn flush_log(&mut self, now: i64, fx: &mut Vec<Effect>) {
        let answered: Vec<LogEvent> = fx.iter().filter_map(answered).collect();
        let events = std::mem::take(&mut self.log.events);
        // One room per host: its id, once known, names the lines of steps without it loaded.
        let head = match self.live.as_ref() {
            Some(l) => {
                self.log.game_id = Some(l.room.game_id().to_string());
                l.room.seq()
            }
            None => 0,
        };
        let game_id = self.log.game_id.clone();
        let tagged = events
            .into_iter()
            .chain(answered.into_iter().map(|e| (None, e)));
        for (seq, event) in tagged {
            fx.push(Effect::Log(LogLine {
                at_ms: now,
                game_id: game_id.clone(),
                seq: seq.unwrap_or(head),
                outcome: event.outcome(),
                event,
            }));
        }
    }
}

/// The event an effect of the step stands for: an HTTP error reply (its `{"error": {"code"}}`,
/// and the message of an INTERNAL one) or a socket the room closed.
fn answered(effect: &Effect) -> Option<LogEvent> {
    match effect {
        Effect::Reply {
            status,
            body: ReplyBody::Json(text),
            ..
        } if *status >= 400 => {
            // Only `{"error": …}` bodies: a journaled rejection (409 of …/player-joined) is
            // logged as its entry.
            let body: Value = serde_json::from_str(text).ok()?;
            let code = body.get("error")?["code"].as_str()?.to_string();
            let message = (code == "INTERNAL").then(|| {
                body["error"]["message"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            });
            Some(LogEvent::Refused {
                status: *status,
                code,
                message,
            })
        }
        Effect::Close { code, reason, .. } => Some(LogEvent::SocketClose {
            code: *code,
            reason: reason.clone(),
        }),
        _ => None,
    }
}
