//! Checkpoints in the host (docs/audit.md): when a step ended a day or revealed the seed, and on
//! the operator's `CHECKPOINT`, the room journals a `SYSTEM.CHECKPOINT` entry, signs it with the
//! secret CHECKPOINT_KEY and sends the signed note to every socket. Without the key, no
//! checkpoint is journaled (games then journal exactly what they did before checkpoints).

use super::{Effect, Host, HostError, LogEvent, Store};
use crate::journal::Entry;
use crate::room::protocol::ServerMessage;
use crate::room::route::RouteError;

/// Whether committed `entries` ended a day (NIGHT, GAME_SUMMARY) or revealed the seed.
pub(super) fn ends_a_day_or_the_game(entries: &[Entry]) -> bool {
    entries.iter().any(|e| {
        e.verdict.is_accepted()
            && (e.typ == "SYSTEM.REVEAL_SEED"
                || e.facts
                    .contains(r#""type":"PHASE_CHANGED","phase":"NIGHT""#)
                || e.facts
                    .contains(r#""type":"PHASE_CHANGED","phase":"GAME_SUMMARY""#))
    })
}

/// A journaled, signed checkpoint.
pub(super) struct Signed {
    pub entry_seq: u64,
    pub seq: u64,
    pub head: crate::journal::Hash,
    pub note: String,
}

impl<S: Store> Host<S> {
    /// Journals the checkpoint a day's end or the seed reveal made due (a failure is logged:
    /// the game goes on, the next one covers this one's entries).
    pub(super) fn checkpoint_if_due(&mut self, now_ms: i64, fx: &mut Vec<Effect>) {
        if !std::mem::take(&mut self.checkpoint_due) || self.config.checkpoint_key.is_none() {
            return;
        }
        if let Err(e) = self.journal_checkpoint(now_ms, fx) {
            self.log(LogEvent::error(format!(
                "checkpoint failed: {}",
                e.to_json()
            )));
        }
    }

    /// Journals and commits a checkpoint, signs it and sends it to every socket.
    pub(super) fn journal_checkpoint(
        &mut self,
        now_ms: i64,
        fx: &mut Vec<Effect>,
    ) -> Result<Signed, HostError> {
        let key = self
            .config
            .checkpoint_key
            .clone()
            .ok_or(RouteError::CheckpointKeyMissing)?;
        let live = self.ensure_loaded()?;
        let s = live.room.checkpoint(now_ms)?;
        if let Err(e) = self.commit(&s.entries) {
            self.drop_room();
            return Err(e);
        }
        // Its own commit does not call for another.
        self.checkpoint_due = false;
        let entry = s.entries.first().ok_or(RouteError::Internal(
            "a checkpoint journaled no entry".into(),
        ))?;
        let cp = crate::room::checkpoint_of(entry).ok_or_else(|| {
            RouteError::Internal(format!(
                "the checkpoint was refused: {}",
                entry.verdict.to_wire()
            ))
        })?;
        let note = key.sign(&cp);
        let msg = ServerMessage::Checkpoint {
            seq: cp.seq,
            head: cp.head,
            note: note.clone(),
        }
        .to_text();
        self.sockets.send_all(&msg, fx);
        Ok(Signed {
            entry_seq: entry.seq,
            seq: cp.seq,
            head: cp.head,
            note,
        })
    }
}
