//! The room's checkpoints (docs/audit.md): a `SYSTEM.CHECKPOINT` entry that states the journal's
//! head, day and seed field, and the [`crate::checkpoint::Checkpoint`] the host signs from it.

use super::{Room, RoomError, Submitted};
use crate::checkpoint::{Checkpoint, SeedField};
use crate::engine::{Command, ENGINE_VERSION};
use crate::journal::{Entry, EntryKind, Hash};

impl Room {
    /// The checkpoint command describing the journal as it is now (`None` before INIT).
    pub fn checkpoint_command(&self) -> Option<Command> {
        let st = self.state()?;
        let revealed = st.seed_revealed;
        Some(Command::Checkpoint {
            game_id: st.game_id.clone(),
            seq: self.seq,
            head: self.head,
            day: st.day,
            seed_commitment: (!revealed).then_some(st.seed_commitment),
            seed: if revealed {
                self.engine.seed().map(|s| Hash(*s))
            } else {
                None
            },
            engine: ENGINE_VERSION.to_string(),
        })
    }

    /// Journals a checkpoint of the journal up to now (one SYSTEM entry).
    pub fn checkpoint(&mut self, now_ms: i64) -> Result<Submitted, RoomError> {
        let cmd = self.checkpoint_command().ok_or(RoomError::Rejected(
            crate::engine::Rejection::NotInitialised,
        ))?;
        self.submit(EntryKind::System, "SYSTEM", &cmd, now_ms)
    }
}

/// The checkpoint an accepted `SYSTEM.CHECKPOINT` entry states (what the host signs).
pub fn checkpoint_of(entry: &Entry) -> Option<Checkpoint> {
    if entry.typ != "SYSTEM.CHECKPOINT" || !entry.verdict.is_accepted() {
        return None;
    }
    match Command::from_type_and_payload(&entry.typ, &entry.payload).ok()? {
        Command::Checkpoint {
            game_id,
            seq,
            head,
            day,
            seed_commitment,
            seed,
            engine,
        } => Some(Checkpoint {
            game_id,
            seq,
            head,
            day,
            seed: match (seed, seed_commitment) {
                (Some(s), _) => SeedField::Revealed(s),
                (None, Some(c)) => SeedField::Commitment(c),
                (None, None) => return None,
            },
            engine,
        }),
        _ => None,
    }
}
