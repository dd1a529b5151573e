//! The persistence protocol of a live room (ENGINE.md §5), host-agnostic.
//!
//! A [`Store`] is the Durable Object's own storage: the latest snapshot, the tail of entries
//! after it, and the outbox of entries not yet confirmed in D1. [`LiveRoom`] commits every
//! journaled entry to the store before it returns (the caller acknowledges only then), compacts
//! every [`LiveRoom::compact_every`] entries, and lets the host flush the outbox to D1 at its own
//! pace. The worker implements `Store` on DO SQLite; tests use [`MemStore`].

use super::{Room, RoomError};
use crate::journal::Entry;
use std::fmt;

/// What a store holds for one room.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stored {
    pub snapshot: Option<Vec<u8>>,
    /// Every entry after the snapshot, in seq order.
    pub tail: Vec<Entry>,
}

pub trait Store {
    type Error: fmt::Display;

    /// The snapshot and the tail after it (`snapshot: None` for a room never created).
    fn load(&self) -> Result<Stored, Self::Error>;
    /// Appends entries to the tail and the outbox in one atomic write.
    fn append(&mut self, entries: &[Entry]) -> Result<(), Self::Error>;
    /// Replaces the snapshot (taken at `seq`) and drops tail entries at or below `drop_up_to`
    /// (only entries already confirmed in D1 and covered by the snapshot), atomically.
    fn compact(&mut self, snapshot: &[u8], seq: u64, drop_up_to: u64) -> Result<(), Self::Error>;
    /// Up to `limit` outbox entries, oldest first.
    fn outbox(&self, limit: usize) -> Result<Vec<Entry>, Self::Error>;
    /// Outbox entries are in D1 up to and including `seq`.
    fn confirm(&mut self, seq: u64) -> Result<(), Self::Error>;
    /// How many entries are waiting for D1.
    fn outbox_len(&self) -> Result<u64, Self::Error>;
    /// Highest seq confirmed in D1 (0 when none).
    fn confirmed_seq(&self) -> Result<u64, Self::Error>;
}

#[derive(Debug, thiserror::Error)]
pub enum LiveError<E: fmt::Display + fmt::Debug> {
    #[error("storage failed: {0}")]
    Store(E),
    #[error(transparent)]
    Room(#[from] RoomError),
    #[error("no game in this room")]
    NoRoom,
}

impl<E: fmt::Display + fmt::Debug> LiveError<E> {
    pub fn code(&self) -> &'static str {
        match self {
            LiveError::Store(_) => "STORAGE_FAILED",
            LiveError::Room(r) => r.code(),
            LiveError::NoRoom => "NO_SUCH_GAME",
        }
    }
}

/// A room bound to its store.
pub struct LiveRoom<S: Store> {
    pub room: Room,
    pub store: S,
    /// Entries between snapshots.
    pub compact_every: u64,
    snapshot_seq: u64,
}

impl<S: Store> LiveRoom<S>
where
    S::Error: fmt::Debug,
{
    /// Cold start: snapshot + fold of the tail. Gives the same state as a full replay.
    pub fn open(store: S) -> Result<LiveRoom<S>, LiveError<S::Error>> {
        let stored = store.load().map_err(LiveError::Store)?;
        let snapshot = stored.snapshot.ok_or(LiveError::NoRoom)?;
        let mut room = Room::from_snapshot(&snapshot)?;
        let snapshot_seq = room.seq();
        for e in stored.tail.iter().filter(|e| e.seq > snapshot_seq) {
            room.apply_trusted(e)?;
        }
        Ok(LiveRoom {
            room,
            store,
            compact_every: crate::limits::COMPACT_EVERY,
            snapshot_seq,
        })
    }

    /// A new room: entry 1 and the first snapshot are stored before this returns.
    pub fn create(
        mut store: S,
        room: Room,
        entries: &[Entry],
    ) -> Result<LiveRoom<S>, LiveError<S::Error>> {
        store.append(entries).map_err(LiveError::Store)?;
        let seq = room.seq();
        store
            .compact(&room.snapshot_bytes(), seq, 0)
            .map_err(LiveError::Store)?;
        Ok(LiveRoom {
            room,
            store,
            compact_every: crate::limits::COMPACT_EVERY,
            snapshot_seq: seq,
        })
    }

    /// Stores freshly journaled entries (call before acknowledging them), then compacts if due.
    pub fn commit(&mut self, entries: &[Entry]) -> Result<(), LiveError<S::Error>> {
        if entries.is_empty() {
            return Ok(());
        }
        self.store.append(entries).map_err(LiveError::Store)?;
        if self.room.seq() >= self.snapshot_seq + self.compact_every {
            self.compact()?;
        }
        Ok(())
    }

    /// Writes a snapshot now; drops tail entries that are both covered and confirmed in D1.
    pub fn compact(&mut self) -> Result<(), LiveError<S::Error>> {
        let seq = self.room.seq();
        let confirmed = self.store.confirmed_seq().map_err(LiveError::Store)?;
        self.store
            .compact(&self.room.snapshot_bytes(), seq, confirmed.min(seq))
            .map_err(LiveError::Store)?;
        self.snapshot_seq = seq;
        Ok(())
    }

    pub fn snapshot_seq(&self) -> u64 {
        self.snapshot_seq
    }
}

/// An in-memory store for tests and the native simulator. Never the only test of a Cloudflare
/// path: the worker's DO SQLite store is tested under `wrangler dev`.
#[derive(Clone, Debug, Default)]
pub struct MemStore {
    pub snapshot: Option<(Vec<u8>, u64)>,
    pub tail: Vec<Entry>,
    pub outbox: Vec<Entry>,
    pub confirmed: u64,
    /// When set, every write fails (to test that nothing is acknowledged on a failed commit).
    pub fail_writes: bool,
}

impl Store for MemStore {
    type Error = String;

    fn load(&self) -> Result<Stored, String> {
        Ok(Stored {
            snapshot: self.snapshot.as_ref().map(|(b, _)| b.clone()),
            tail: self.tail.clone(),
        })
    }

    fn append(&mut self, entries: &[Entry]) -> Result<(), String> {
        if self.fail_writes {
            return Err("write refused".into());
        }
        self.tail.extend_from_slice(entries);
        self.outbox.extend_from_slice(entries);
        Ok(())
    }

    fn compact(&mut self, snapshot: &[u8], seq: u64, drop_up_to: u64) -> Result<(), String> {
        if self.fail_writes {
            return Err("write refused".into());
        }
        self.snapshot = Some((snapshot.to_vec(), seq));
        self.tail.retain(|e| e.seq > drop_up_to);
        Ok(())
    }

    fn outbox(&self, limit: usize) -> Result<Vec<Entry>, String> {
        Ok(self.outbox.iter().take(limit).cloned().collect())
    }

    fn confirm(&mut self, seq: u64) -> Result<(), String> {
        self.outbox.retain(|e| e.seq > seq);
        self.confirmed = self.confirmed.max(seq);
        Ok(())
    }

    fn outbox_len(&self) -> Result<u64, String> {
        Ok(self.outbox.len() as u64)
    }

    fn confirmed_seq(&self) -> Result<u64, String> {
        Ok(self.confirmed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Command;
    use crate::journal::EntryKind;
    use crate::sim;

    fn created() -> LiveRoom<MemStore> {
        let (room, entries) = Room::create("live-1", &sim::init_body(4, 2), 0, [9; 32]).unwrap();
        LiveRoom::create(MemStore::default(), room, &entries).unwrap()
    }

    #[test]
    fn cold_start_equals_live_state_across_compactions_and_d1_lag() {
        let mut live = created();
        live.compact_every = 5;
        let st = live.room.state().unwrap().clone();
        let start = st.tasks[0].due_ms;
        for i in 0..40i64 {
            let entries = live.room.fire_due(start + i * 20_000, 4);
            live.commit(&entries).unwrap();
            if i == 10 {
                // D1 confirms what it has so far; later entries stay in the outbox.
                let last = live
                    .store
                    .outbox(1000)
                    .unwrap()
                    .last()
                    .map(|e| e.seq)
                    .unwrap();
                live.store.confirm(last).unwrap();
            }
            let reopened = LiveRoom::open(live.store.clone()).unwrap();
            assert_eq!(
                reopened.room.snapshot_bytes(),
                live.room.snapshot_bytes(),
                "step {i}"
            );
        }
        // Unconfirmed entries never left the store.
        let outbox = live.store.outbox(10_000).unwrap();
        assert!(outbox
            .iter()
            .all(|e| live.store.tail.iter().any(|t| t.seq == e.seq)));
        assert!(live
            .store
            .tail
            .iter()
            .all(|e| e.seq > live.store.confirmed.min(live.snapshot_seq())));
    }

    #[test]
    fn duplicate_alarm_delivery_journals_nothing() {
        let mut live = created();
        let due = live.room.state().unwrap().tasks[0].due_ms;
        // START_DAY and the day's first event (OPEN_GROUP_CHAT at offset 0) are both due.
        let first = live.room.fire_due(due, 10);
        assert_eq!(first.len(), 2);
        let seq = live.room.seq();
        // The same delivery again: those tasks are no longer pending; nothing else is due yet.
        assert!(live.room.fire_due(due, 10).is_empty());
        assert_eq!(live.room.seq(), seq);
        // Direct re-fire of the fired task is refused by the engine (and would be journaled as such).
        let again = Command::Fire {
            task_id: "d001-00-START_DAY".into(),
            due_ms: due,
        };
        let s = live
            .room
            .submit(EntryKind::Alarm, "ALARM", &again, due)
            .unwrap();
        assert_eq!(s.verdict.to_wire(), "REJECTED:UNKNOWN_TASK");
    }

    #[test]
    fn failed_commit_is_reported() {
        let mut live = created();
        live.store.fail_writes = true;
        let due = live.room.state().unwrap().tasks[0].due_ms;
        let entries = live.room.fire_due(due, 1);
        assert!(live.commit(&entries).is_err());
    }
}
