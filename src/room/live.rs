//! The persistence protocol of a live room, host-agnostic (docs/architecture.md, "Persistence
//! protocol").
//!
//! A [`Store`] is the Durable Object's own storage: the latest snapshot, the journal rows (the
//! tail after the snapshot is what a cold start folds), the outbox of entries not yet confirmed
//! in D1, the alarm tasks, and a few integer settings ([`Meta`]). Every method is synchronous, so
//! the writes of one host step commit atomically. [`LiveRoom`] is the mechanism: it commits
//! journaled entries to the store before they may be acknowledged, writes snapshots and opens a
//! room from snapshot + tail. When to snapshot, what to flush and which rows may go are the
//! room host's decisions (`room::host`). The worker implements `Store` on DO SQLite; tests use
//! [`MemStore`].

use super::alarms::{AlarmTask, SyncChanges};
use super::{Room, RoomError};
use crate::journal::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What a store holds for one room.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stored {
    pub snapshot: Option<Vec<u8>>,
    /// Every entry after the snapshot, in seq order.
    pub tail: Vec<Entry>,
}

/// Integer settings kept next to the journal (the DO's `meta` table; the names are its keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Meta {
    /// Failed D1 flushes since the last success.
    D1Failures,
    /// When the next D1 flush may be tried (ms), while D1 is failing.
    D1RetryAt,
    /// D1 batches written, and the entries in them.
    D1Batches,
    D1BatchedEntries,
    /// The dev-only `DEV_FAIL_D1` switch (1: on).
    DevFailD1,
}

impl Meta {
    pub fn key(self) -> &'static str {
        match self {
            Meta::D1Failures => "d1_failures",
            Meta::D1RetryAt => "d1_retry_at",
            Meta::D1Batches => "d1_batches",
            Meta::D1BatchedEntries => "d1_batched_entries",
            Meta::DevFailD1 => "dev_fail_d1",
        }
    }
}

pub trait Store {
    type Error: fmt::Display + fmt::Debug;

    /// The snapshot and the tail after it (`snapshot: None` for a room never created).
    fn load(&self) -> Result<Stored, Self::Error>;
    /// Whether a room was created here (a snapshot exists).
    fn exists(&self) -> Result<bool, Self::Error>;
    /// Forgets everything (the leftovers of a creation that failed half-way).
    fn reset(&mut self) -> Result<(), Self::Error>;
    /// Appends entries to the journal and the outbox in one atomic write.
    fn append(&mut self, entries: &[Entry]) -> Result<(), Self::Error>;
    /// Replaces the snapshot (taken at `seq`); the rows after `seq` become the tail.
    fn compact(&mut self, snapshot: &[u8], seq: u64) -> Result<(), Self::Error>;
    /// Deletes journal rows at or below `up_to` (never called for rows still in the outbox).
    fn prune(&mut self, up_to: u64) -> Result<(), Self::Error>;
    /// Journal rows with seq ≥ `from`, in seq order.
    fn journal(&self, from: u64) -> Result<Vec<Entry>, Self::Error>;
    /// The last `limit` journal rows of `day`, in seq order.
    fn day_entries(&self, day: u32, limit: usize) -> Result<Vec<Entry>, Self::Error>;
    /// Up to `limit` outbox entries, oldest first.
    fn outbox(&self, limit: usize) -> Result<Vec<Entry>, Self::Error>;
    /// Outbox entries are in D1 up to and including `seq`.
    fn confirm(&mut self, seq: u64) -> Result<(), Self::Error>;
    /// How many entries are waiting for D1.
    fn outbox_len(&self) -> Result<u64, Self::Error>;
    /// Highest seq confirmed in D1 (0 when none).
    fn confirmed_seq(&self) -> Result<u64, Self::Error>;
    /// The stored alarm queue (`room::alarms`).
    fn tasks(&self) -> Result<Vec<AlarmTask>, Self::Error>;
    fn write_tasks(&mut self, changes: &SyncChanges) -> Result<(), Self::Error>;
    fn meta(&self, key: Meta) -> Result<Option<i64>, Self::Error>;
    /// Sets (`Some`) or deletes (`None`) a setting.
    fn set_meta(&mut self, key: Meta, value: Option<i64>) -> Result<(), Self::Error>;
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

/// A room whose entries are in a store: the room and the seq of the stored snapshot.
#[derive(Clone, Debug)]
pub struct LiveRoom {
    pub room: Room,
    snapshot_seq: u64,
}

impl LiveRoom {
    /// Cold start: snapshot + fold of the tail. Gives the same state as a full replay.
    pub fn open<S: Store>(store: &S) -> Result<LiveRoom, LiveError<S::Error>> {
        let stored = store.load().map_err(LiveError::Store)?;
        let snapshot = stored.snapshot.ok_or(LiveError::NoRoom)?;
        let mut room = Room::from_snapshot(&snapshot)?;
        let snapshot_seq = room.seq();
        for e in stored.tail.iter().filter(|e| e.seq > snapshot_seq) {
            room.apply_trusted(e)?;
        }
        Ok(LiveRoom { room, snapshot_seq })
    }

    /// A new room: entry 1 and the first snapshot are stored before this returns.
    pub fn create<S: Store>(
        store: &mut S,
        room: Room,
        entries: &[Entry],
    ) -> Result<LiveRoom, LiveError<S::Error>> {
        store.append(entries).map_err(LiveError::Store)?;
        let seq = room.seq();
        store
            .compact(&room.snapshot_bytes(), seq)
            .map_err(LiveError::Store)?;
        Ok(LiveRoom {
            room,
            snapshot_seq: seq,
        })
    }

    /// Stores freshly journaled entries. Call before acknowledging them.
    pub fn commit<S: Store>(
        &mut self,
        store: &mut S,
        entries: &[Entry],
    ) -> Result<(), LiveError<S::Error>> {
        if entries.is_empty() {
            return Ok(());
        }
        store.append(entries).map_err(LiveError::Store)
    }

    /// Writes a snapshot of the room as it is now.
    pub fn snapshot<S: Store>(&mut self, store: &mut S) -> Result<(), LiveError<S::Error>> {
        let seq = self.room.seq();
        store
            .compact(&self.room.snapshot_bytes(), seq)
            .map_err(LiveError::Store)?;
        self.snapshot_seq = seq;
        Ok(())
    }

    pub fn snapshot_seq(&self) -> u64 {
        self.snapshot_seq
    }
}

/// An in-memory store for tests, with writes that fail on demand. Never the only test of a
/// Cloudflare path: the worker's DO SQLite store is tested under `wrangler dev`.
#[derive(Clone, Debug, Default)]
pub struct MemStore {
    pub snapshot: Option<(Vec<u8>, u64)>,
    /// The journal rows still kept (see [`Store::prune`]).
    pub journal: Vec<Entry>,
    /// Seqs not yet confirmed in D1.
    pub outbox: BTreeSet<u64>,
    pub confirmed: u64,
    pub tasks: BTreeMap<String, AlarmTask>,
    pub meta: BTreeMap<Meta, i64>,
    /// While set, every write fails (to test that nothing is acknowledged on a failed commit).
    pub fail_writes: bool,
    /// Successful writes so far.
    pub writes: u64,
}

impl MemStore {
    fn write(&mut self) -> Result<(), String> {
        if self.fail_writes {
            return Err("write refused".into());
        }
        self.writes += 1;
        Ok(())
    }
}

impl Store for MemStore {
    type Error = String;

    fn load(&self) -> Result<Stored, String> {
        let from = self.snapshot.as_ref().map(|(_, s)| *s).unwrap_or(0);
        Ok(Stored {
            snapshot: self.snapshot.as_ref().map(|(b, _)| b.clone()),
            tail: self
                .journal
                .iter()
                .filter(|e| e.seq > from)
                .cloned()
                .collect(),
        })
    }

    fn exists(&self) -> Result<bool, String> {
        Ok(self.snapshot.is_some())
    }

    fn reset(&mut self) -> Result<(), String> {
        self.write()?;
        let fail = self.fail_writes;
        let writes = self.writes;
        *self = MemStore::default();
        self.fail_writes = fail;
        self.writes = writes;
        Ok(())
    }

    fn append(&mut self, entries: &[Entry]) -> Result<(), String> {
        self.write()?;
        self.journal.extend_from_slice(entries);
        self.outbox.extend(entries.iter().map(|e| e.seq));
        Ok(())
    }

    fn compact(&mut self, snapshot: &[u8], seq: u64) -> Result<(), String> {
        self.write()?;
        self.snapshot = Some((snapshot.to_vec(), seq));
        Ok(())
    }

    fn prune(&mut self, up_to: u64) -> Result<(), String> {
        self.write()?;
        self.journal.retain(|e| e.seq > up_to);
        Ok(())
    }

    fn journal(&self, from: u64) -> Result<Vec<Entry>, String> {
        Ok(self
            .journal
            .iter()
            .filter(|e| e.seq >= from)
            .cloned()
            .collect())
    }

    fn day_entries(&self, day: u32, limit: usize) -> Result<Vec<Entry>, String> {
        let of_day: Vec<&Entry> = self.journal.iter().filter(|e| e.day == day).collect();
        let skip = of_day.len().saturating_sub(limit);
        Ok(of_day.into_iter().skip(skip).cloned().collect())
    }

    fn outbox(&self, limit: usize) -> Result<Vec<Entry>, String> {
        Ok(self
            .journal
            .iter()
            .filter(|e| self.outbox.contains(&e.seq))
            .take(limit)
            .cloned()
            .collect())
    }

    fn confirm(&mut self, seq: u64) -> Result<(), String> {
        self.write()?;
        self.outbox.retain(|s| *s > seq);
        self.confirmed = self.confirmed.max(seq);
        Ok(())
    }

    fn outbox_len(&self) -> Result<u64, String> {
        Ok(self.outbox.len() as u64)
    }

    fn confirmed_seq(&self) -> Result<u64, String> {
        Ok(self.confirmed)
    }

    fn tasks(&self) -> Result<Vec<AlarmTask>, String> {
        Ok(self.tasks.values().cloned().collect())
    }

    fn write_tasks(&mut self, changes: &SyncChanges) -> Result<(), String> {
        if changes.upserted.is_empty() && changes.cancelled.is_empty() {
            return Ok(());
        }
        self.write()?;
        for id in &changes.cancelled {
            self.tasks.remove(id);
        }
        for t in &changes.upserted {
            self.tasks.insert(t.task_id.clone(), t.clone());
        }
        Ok(())
    }

    fn meta(&self, key: Meta) -> Result<Option<i64>, String> {
        Ok(self.meta.get(&key).copied())
    }

    fn set_meta(&mut self, key: Meta, value: Option<i64>) -> Result<(), String> {
        self.write()?;
        match value {
            Some(v) => self.meta.insert(key, v),
            None => self.meta.remove(&key),
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Command;
    use crate::journal::EntryKind;
    use crate::sim;

    fn created() -> (LiveRoom, MemStore) {
        let (room, entries) = Room::create("live-1", &sim::init_body(4, 2), 0, [9; 32]).unwrap();
        let mut store = MemStore::default();
        let live = LiveRoom::create(&mut store, room, &entries).unwrap();
        (live, store)
    }

    #[test]
    fn cold_start_equals_live_state_across_snapshots_pruning_and_d1_lag() {
        let (mut live, mut store) = created();
        let st = live.room.state().unwrap().clone();
        let start = st.tasks[0].due_ms;
        for i in 0..40i64 {
            let entries = live.room.fire_due(start + i * 20_000, 4);
            live.commit(&mut store, &entries).unwrap();
            if i == 10 {
                // D1 confirms what it has so far; later entries stay in the outbox.
                let last = store.outbox(1000).unwrap().last().map(|e| e.seq).unwrap();
                store.confirm(last).unwrap();
            }
            if i % 5 == 4 {
                live.snapshot(&mut store).unwrap();
                // Rows both covered by the snapshot and confirmed in D1 may go.
                store
                    .prune(store.confirmed.min(live.snapshot_seq()))
                    .unwrap();
            }
            let reopened = LiveRoom::open(&store).unwrap();
            assert_eq!(
                reopened.room.snapshot_bytes(),
                live.room.snapshot_bytes(),
                "step {i}"
            );
        }
        // Unconfirmed entries never left the store.
        let outbox = store.outbox(10_000).unwrap();
        assert_eq!(outbox.len() as u64, store.outbox_len().unwrap());
        assert!(store.journal.iter().all(|e| e.seq > store.confirmed));
    }

    #[test]
    fn duplicate_alarm_delivery_journals_nothing() {
        let (mut live, _) = created();
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
    fn failed_commit_is_reported_and_stores_nothing() {
        let (mut live, mut store) = created();
        store.fail_writes = true;
        let due = live.room.state().unwrap().tasks[0].due_ms;
        let entries = live.room.fire_due(due, 1);
        assert_eq!(
            live.commit(&mut store, &entries).unwrap_err().code(),
            "STORAGE_FAILED"
        );
        assert_eq!(store.journal.len(), 1, "only SYSTEM.INIT");
    }
}
