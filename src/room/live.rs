//! The persistence protocol of a live room, host-agnostic (docs/architecture.md, "Persistence
//! protocol").
//!
//! A [`Store`] is the Durable Object's own storage: the latest snapshot (with the ticker buffer
//! it covers), the journal rows the room still keeps (the rows after the snapshot, which a cold
//! start folds, plus a short tail before it and whatever D1 has not confirmed), the outbox of
//! entries not yet confirmed in D1, the alarm tasks, and a few integer settings ([`Meta`]).
//! Every method is synchronous, so the writes of one host step commit atomically. [`LiveRoom`]
//! is the mechanism: it commits journaled entries to the store before they may be acknowledged,
//! writes snapshots and opens a room from snapshot + tail. When to snapshot, what to flush and
//! which rows may go are the room host's decisions (`room::host`). The worker implements
//! `Store` on DO SQLite; tests use [`MemStore`].

use super::alarms::{AlarmTask, SyncChanges};
use super::{Room, RoomError};
use crate::engine::ticker::TickerLine;
use crate::engine::Fact;
use crate::journal::{Entry, Hash};
use crate::limits::TICKER_HISTORY_LINES;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What a store holds for one room.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stored {
    pub snapshot: Option<Vec<u8>>,
    /// The ticker buffer written with the snapshot (JSON; empty when none).
    pub ticker: String,
    /// Every entry after the snapshot, in seq order.
    pub tail: Vec<Entry>,
}

/// The journal rows a store keeps: how many, and the lowest seq among them (they are
/// contiguous up to the head).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JournalSpan {
    pub rows: u64,
    pub first: Option<u64>,
}

/// What is left of a room after `POST …/cleanup` (docs/protocol.md, "Lifecycle"): its head, so
/// that the game id is never created again over the journal D1 holds, and `GET …/journal` can
/// still page through it from D1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tombstone {
    /// The last seq, and its hash, at the cleanup.
    pub seq: u64,
    pub head: Hash,
    pub cleaned_at_ms: i64,
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
    /// Lobby status callbacks delivered (bits: 1 IN_PROGRESS, 2 COMPLETED), failed calls in a
    /// row, and when the next may be tried (ms; `room::host::lobby`).
    LobbySent,
    LobbyFailures,
    LobbyRetryAt,
    /// Failed push batches in a row, and when the next may be sent (ms; `room::host::push`).
    PushFailures,
    PushRetryAt,
}

impl Meta {
    pub fn key(self) -> &'static str {
        match self {
            Meta::D1Failures => "d1_failures",
            Meta::D1RetryAt => "d1_retry_at",
            Meta::D1Batches => "d1_batches",
            Meta::D1BatchedEntries => "d1_batched_entries",
            Meta::DevFailD1 => "dev_fail_d1",
            Meta::LobbySent => "lobby_sent",
            Meta::LobbyFailures => "lobby_failures",
            Meta::LobbyRetryAt => "lobby_retry_at",
            Meta::PushFailures => "push_failures",
            Meta::PushRetryAt => "push_retry_at",
        }
    }
}

pub trait Store {
    type Error: fmt::Display + fmt::Debug;

    /// The snapshot, its ticker buffer and the tail after it (`snapshot: None` for a room never
    /// created).
    fn load(&self) -> Result<Stored, Self::Error>;
    /// Whether a room was created here (a snapshot exists).
    fn exists(&self) -> Result<bool, Self::Error>;
    /// Forgets everything (the leftovers of a creation that failed half-way).
    fn reset(&mut self) -> Result<(), Self::Error>;
    /// Appends entries to the journal and the outbox in one atomic write.
    fn append(&mut self, entries: &[Entry]) -> Result<(), Self::Error>;
    /// Replaces the snapshot (taken at `seq`) and the ticker buffer it covers (JSON); the rows
    /// after `seq` become the tail. The replaced snapshot becomes the previous one
    /// ([`Store::previous_snapshot`]) in the same write.
    fn compact(&mut self, snapshot: &[u8], seq: u64, ticker: &str) -> Result<(), Self::Error>;
    /// The seq of the stored snapshot (0 when none).
    fn snapshot_seq(&self) -> Result<u64, Self::Error>;
    /// The snapshot [`Store::compact`] last replaced, and its seq: kept while the rows after it
    /// are (read only by a resume older than the stored snapshot, docs/protocol.md "Resume").
    fn previous_snapshot(&self) -> Result<Option<(Vec<u8>, u64)>, Self::Error>;
    /// Deletes journal rows at or below `up_to` (never called for rows still in the outbox), and
    /// the previous snapshot once a row it needs (the one right after it) is gone.
    fn prune(&mut self, up_to: u64) -> Result<(), Self::Error>;
    /// Up to `limit` journal rows with seq ≥ `from`, in seq order.
    fn journal(&self, from: u64, limit: usize) -> Result<Vec<Entry>, Self::Error>;
    /// How many journal rows are kept, and the lowest seq among them.
    fn journal_span(&self) -> Result<JournalSpan, Self::Error>;
    /// The storage's size in bytes, where the host can tell (DO SQLite's database size).
    fn size_bytes(&self) -> Result<Option<u64>, Self::Error>;
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
    /// The per-player refusal counts of the day (JSON, `host::limits::Refusals`), kept with the
    /// settings so they survive hibernation and compaction (docs/security.md).
    fn refusals(&self) -> Result<Option<String>, Self::Error>;
    /// Stores the refusal counts (in the same step as the refused entry they count).
    fn set_refusals(&mut self, json: &str) -> Result<(), Self::Error>;
    /// The pushes owed and not yet sent (JSON array of `push::triggers::PushIntent`;
    /// `room::host::push`), `None` when none was ever stored.
    fn pushes(&self) -> Result<Option<String>, Self::Error>;
    /// Replaces [`Store::pushes`].
    fn set_pushes(&mut self, json: &str) -> Result<(), Self::Error>;
    /// The tombstone of a cleaned-up room, if this is one.
    fn tombstone(&self) -> Result<Option<Tombstone>, Self::Error>;
    /// Deletes everything the room stored and keeps only `tombstone`.
    fn clean_up(&mut self, tombstone: &Tombstone) -> Result<(), Self::Error>;
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

/// Today's last [`TICKER_HISTORY_LINES`] ticker lines: what `TICKER.HISTORY` sends on connect.
/// Bounded, written with each snapshot and rebuilt on a cold start from that copy plus the lines
/// of the tail, so the history never needs older journal rows (they may be in D1 only).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TickerBuffer {
    lines: Vec<TickerLine>,
}

impl TickerBuffer {
    /// Keeps the newest lines of the latest day seen.
    pub fn push(&mut self, lines: &[TickerLine]) {
        for line in lines {
            if self.lines.last().is_some_and(|l| l.day != line.day) {
                self.lines.clear();
            }
            self.lines.push(line.clone());
        }
        let cut = self.lines.len().saturating_sub(TICKER_HISTORY_LINES);
        self.lines.drain(..cut);
    }

    /// The kept lines of `day`, oldest first.
    pub fn of_day(&self, day: u32) -> Vec<TickerLine> {
        self.lines
            .iter()
            .filter(|l| l.day == day)
            .cloned()
            .collect()
    }

    fn to_json(&self) -> String {
        serde_json::to_string(&self.lines).unwrap_or_default()
    }

    /// A stored buffer; an unreadable one is empty (narration is never a reason to fail a load).
    fn from_json(text: &str) -> TickerBuffer {
        TickerBuffer {
            lines: serde_json::from_str(text).unwrap_or_default(),
        }
    }
}

/// A room whose entries are in a store: the room, the seq of the stored snapshot, today's
/// ticker buffer, and what rebuilds the room at any seq since the snapshot ([`LiveRoom::room_at`]).
#[derive(Clone, Debug)]
pub struct LiveRoom {
    pub room: Room,
    snapshot_seq: u64,
    ticker: TickerBuffer,
    since: SinceSnapshot,
    /// The previous snapshot and the entries from it to the stored one: `None` until a resume
    /// older than the stored snapshot asks (then read from the store once), or the `since` of
    /// the snapshot this instance replaced (no read).
    before: Option<Option<(u64, SinceSnapshot)>>,
}

/// What [`LiveRoom::commit`] stored: the entries' ticker lines and each entry's facts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Committed {
    pub lines: Vec<TickerLine>,
    pub facts: Vec<Vec<Fact>>,
}

/// The stored snapshot's bytes and the entries committed after it, in seq order (what a cold
/// start reads anyway: kept rather than dropped), and the room last rebuilt from them, so that
/// resumes at nearby versions (a reconnect storm after a restart) share one decode.
#[derive(Clone, Debug, Default)]
struct SinceSnapshot {
    snapshot: Vec<u8>,
    entries: Vec<Entry>,
    rebuilt: Option<Room>,
}

impl LiveRoom {
    /// Cold start: snapshot + fold of the tail. Gives the same state as a full replay.
    pub fn open<S: Store>(store: &S) -> Result<LiveRoom, LiveError<S::Error>> {
        let stored = store.load().map_err(LiveError::Store)?;
        let snapshot = stored.snapshot.ok_or(LiveError::NoRoom)?;
        let mut room = Room::from_snapshot(&snapshot)?;
        let snapshot_seq = room.seq();
        let tail: Vec<&Entry> = stored
            .tail
            .iter()
            .filter(|e| e.seq > snapshot_seq)
            .collect();
        // The fold's facts narrate the tail (no second decode of the facts' JSON).
        let mut facts = Vec::with_capacity(tail.len());
        for e in &tail {
            facts.push(room.apply_trusted_facts(e)?);
        }
        let mut ticker = TickerBuffer::from_json(&stored.ticker);
        ticker.push(&room.ticker_of(tail.iter().copied().zip(facts)));
        let tail: Vec<Entry> = tail.into_iter().cloned().collect();
        Ok(LiveRoom {
            room,
            snapshot_seq,
            ticker,
            since: SinceSnapshot {
                snapshot,
                entries: tail,
                rebuilt: None,
            },
            before: None,
        })
    }

    /// A new room: entry 1 and the first snapshot are stored before this returns.
    pub fn create<S: Store>(
        store: &mut S,
        room: Room,
        entries: &[Entry],
    ) -> Result<LiveRoom, LiveError<S::Error>> {
        store.append(entries).map_err(LiveError::Store)?;
        let mut live = LiveRoom {
            room,
            snapshot_seq: 0,
            ticker: TickerBuffer::default(),
            since: SinceSnapshot::default(),
            before: None,
        };
        live.snapshot(store)?;
        Ok(live)
    }

    /// Stores entries this room just journaled (call before acknowledging them); their ticker
    /// lines, which join today's buffer, and their facts (from the room's [`Room::take_facts`],
    /// never decoded from the entries' text).
    pub fn commit<S: Store>(
        &mut self,
        store: &mut S,
        entries: &[Entry],
    ) -> Result<Committed, LiveError<S::Error>> {
        if entries.is_empty() {
            return Ok(Committed::default());
        }
        store.append(entries).map_err(LiveError::Store)?;
        self.since.entries.extend_from_slice(entries);
        let facts = self.room.take_facts(entries);
        let lines = self
            .room
            .ticker_of(entries.iter().zip(facts.iter().cloned()));
        self.ticker.push(&lines);
        Ok(Committed { lines, facts })
    }

    /// Writes a snapshot of the room as it is now, with the ticker buffer.
    pub fn snapshot<S: Store>(&mut self, store: &mut S) -> Result<(), LiveError<S::Error>> {
        let seq = self.room.seq();
        let bytes = self.room.snapshot_bytes();
        store
            .compact(&bytes, seq, &self.ticker.to_json())
            .map_err(LiveError::Store)?;
        let old = std::mem::replace(
            &mut self.since,
            SinceSnapshot {
                snapshot: bytes,
                entries: Vec::new(),
                rebuilt: None,
            },
        );
        let old_seq = std::mem::replace(&mut self.snapshot_seq, seq);
        self.before = (!old.snapshot.is_empty() && old_seq < seq).then_some(Some((
            old_seq,
            SinceSnapshot {
                rebuilt: None,
                ..old
            },
        )));
        Ok(())
    }

    /// The room as it was right after entry `seq`, for any `seq` from the stored snapshot's to
    /// the head (`None` otherwise): the snapshot decoded and the entries after it folded up to
    /// `seq`, no I/O (docs/protocol.md, "Resume"). At most [`crate::limits::COMPACT_EVERY`]
    /// entries are folded, and a later call at the same or a later seq continues from the last
    /// room rebuilt instead of decoding again.
    pub fn room_at(&mut self, seq: u64) -> Option<&Room> {
        if seq == self.room.seq() {
            return Some(&self.room);
        }
        if seq < self.snapshot_seq || seq > self.room.seq() {
            return None;
        }
        let since = &mut self.since;
        let mut room = match since.rebuilt.take() {
            Some(r) if (self.snapshot_seq..=seq).contains(&r.seq()) => r,
            _ => Room::from_snapshot(&since.snapshot).ok()?,
        };
        // The entries are contiguous from the snapshot's seq + 1; anything else (which the
        // store never gives) fails the fold's own seq check and rebuilds nothing.
        let from = usize::try_from(room.seq().checked_sub(self.snapshot_seq)?).ok()?;
        let to = usize::try_from(seq - self.snapshot_seq).ok()?;
        for e in since.entries.get(from..to)? {
            room.apply_trusted(e).ok()?;
        }
        (room.seq() == seq).then_some(())?;
        Some(&*since.rebuilt.insert(room))
    }

    /// [`LiveRoom::room_at`], reaching further back: a `seq` before the stored snapshot is
    /// rebuilt from the previous snapshot ([`Store::previous_snapshot`]) and the journal rows
    /// after it, read from `store` on the first such call only (never on a cold start) and kept
    /// (docs/protocol.md, "Resume"). `None` when the store no longer has them.
    pub fn room_at_stored<S: Store>(&mut self, store: &S, seq: u64) -> Option<&Room> {
        if seq >= self.snapshot_seq {
            return self.room_at(seq);
        }
        if self.before.is_none() {
            self.before = Some(Self::read_before(store, self.snapshot_seq));
        }
        let (from_seq, before) = self.before.as_mut()?.as_mut()?;
        let from_seq = *from_seq;
        if seq < from_seq {
            return None;
        }
        let mut room = match before.rebuilt.take() {
            Some(r) if (from_seq..=seq).contains(&r.seq()) => r,
            _ => Room::from_snapshot(&before.snapshot).ok()?,
        };
        let from = usize::try_from(room.seq().checked_sub(from_seq)?).ok()?;
        let to = usize::try_from(seq - from_seq).ok()?;
        for e in before.entries.get(from..to)? {
            room.apply_trusted(e).ok()?;
        }
        (room.seq() == seq).then_some(())?;
        Some(&*before.rebuilt.insert(room))
    }

    /// The previous snapshot and the rows from it up to the stored snapshot at `upto`, when the
    /// store still has all of them (contiguous).
    fn read_before<S: Store>(store: &S, upto: u64) -> Option<(u64, SinceSnapshot)> {
        let (snapshot, from) = store.previous_snapshot().ok()??;
        if from >= upto {
            return None;
        }
        let want = usize::try_from(upto - from).ok()?;
        let entries = store.journal(from + 1, want).ok()?;
        let contiguous =
            entries.len() == want && entries.iter().zip(from + 1..).all(|(e, s)| e.seq == s);
        contiguous.then_some((
            from,
            SinceSnapshot {
                snapshot,
                entries,
                rebuilt: None,
            },
        ))
    }

    pub fn snapshot_seq(&self) -> u64 {
        self.snapshot_seq
    }

    /// Today's last ticker lines, oldest first.
    pub fn ticker_history(&self) -> Vec<TickerLine> {
        let day = self.room.state().map(|s| s.day).unwrap_or(0);
        self.ticker.of_day(day)
    }
}

/// An in-memory store for tests, with writes that fail on demand. Never the only test of a
/// Cloudflare path: the worker's DO SQLite store is tested under `wrangler dev`.
///
/// Each method is one write that happens whole or not at all, like one statement of DO SQLite; a
/// host step's writes are several, so [`MemStore::fail_after`] can stop a step half-way (which
/// the worker's atomic steps never do: a stricter test).
#[derive(Clone, Debug, Default)]
pub struct MemStore {
    /// The snapshot, its seq and its ticker buffer.
    pub snapshot: Option<(Vec<u8>, u64, String)>,
    /// [`Store::previous_snapshot`].
    pub previous: Option<(Vec<u8>, u64)>,
    /// The journal rows still kept (see [`Store::prune`]).
    pub journal: Vec<Entry>,
    /// Seqs not yet confirmed in D1.
    pub outbox: BTreeSet<u64>,
    pub confirmed: u64,
    pub tasks: BTreeMap<String, AlarmTask>,
    pub meta: BTreeMap<Meta, i64>,
    /// [`Store::refusals`].
    pub refusals: Option<String>,
    /// [`Store::pushes`].
    pub pushes: Option<String>,
    pub tombstone: Option<Tombstone>,
    /// While set, every write fails (to test that nothing is acknowledged on a failed commit).
    pub fail_writes: bool,
    /// While `Some(n)`: the next `n` writes succeed, every later one fails.
    pub fail_after: Option<u64>,
    /// Successful writes so far.
    pub writes: u64,
}

impl MemStore {
    fn write(&mut self) -> Result<(), String> {
        if self.fail_writes {
            return Err("write refused".into());
        }
        if let Some(n) = self.fail_after {
            if n == 0 {
                return Err("write refused (fail_after)".into());
            }
            self.fail_after = Some(n - 1);
        }
        self.writes += 1;
        Ok(())
    }
}

impl Store for MemStore {
    type Error = String;

    fn load(&self) -> Result<Stored, String> {
        let from = self.snapshot.as_ref().map(|(_, s, _)| *s).unwrap_or(0);
        Ok(Stored {
            snapshot: self.snapshot.as_ref().map(|(b, _, _)| b.clone()),
            ticker: self
                .snapshot
                .as_ref()
                .map(|(_, _, t)| t.clone())
                .unwrap_or_default(),
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
        let (fail, fail_after, writes) = (self.fail_writes, self.fail_after, self.writes);
        *self = MemStore::default();
        self.fail_writes = fail;
        self.fail_after = fail_after;
        self.writes = writes;
        Ok(())
    }

    fn append(&mut self, entries: &[Entry]) -> Result<(), String> {
        self.write()?;
        self.journal.extend_from_slice(entries);
        self.outbox.extend(entries.iter().map(|e| e.seq));
        Ok(())
    }

    fn compact(&mut self, snapshot: &[u8], seq: u64, ticker: &str) -> Result<(), String> {
        self.write()?;
        let old = self
            .snapshot
            .replace((snapshot.to_vec(), seq, ticker.to_string()));
        if let Some((bytes, at, _)) = old.filter(|(_, at, _)| *at < seq) {
            self.previous = Some((bytes, at));
        }
        Ok(())
    }

    fn snapshot_seq(&self) -> Result<u64, String> {
        Ok(self.snapshot.as_ref().map_or(0, |(_, s, _)| *s))
    }

    fn previous_snapshot(&self) -> Result<Option<(Vec<u8>, u64)>, String> {
        Ok(self.previous.clone())
    }

    fn prune(&mut self, up_to: u64) -> Result<(), String> {
        self.write()?;
        self.journal.retain(|e| e.seq > up_to);
        if self.previous.as_ref().is_some_and(|(_, at)| *at < up_to) {
            self.previous = None;
        }
        Ok(())
    }

    fn journal(&self, from: u64, limit: usize) -> Result<Vec<Entry>, String> {
        Ok(self
            .journal
            .iter()
            .filter(|e| e.seq >= from)
            .take(limit)
            .cloned()
            .collect())
    }

    fn journal_span(&self) -> Result<JournalSpan, String> {
        Ok(JournalSpan {
            rows: self.journal.len() as u64,
            first: self.journal.iter().map(|e| e.seq).min(),
        })
    }

    fn size_bytes(&self) -> Result<Option<u64>, String> {
        Ok(None)
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

    fn refusals(&self) -> Result<Option<String>, String> {
        Ok(self.refusals.clone())
    }

    fn set_refusals(&mut self, json: &str) -> Result<(), String> {
        self.write()?;
        self.refusals = Some(json.to_string());
        Ok(())
    }

    fn pushes(&self) -> Result<Option<String>, String> {
        Ok(self.pushes.clone())
    }

    fn set_pushes(&mut self, json: &str) -> Result<(), String> {
        self.write()?;
        self.pushes = Some(json.to_string());
        Ok(())
    }

    fn tombstone(&self) -> Result<Option<Tombstone>, String> {
        Ok(self.tombstone.clone())
    }

    fn clean_up(&mut self, tombstone: &Tombstone) -> Result<(), String> {
        self.write()?;
        let (fail, fail_after, writes) = (self.fail_writes, self.fail_after, self.writes);
        *self = MemStore::default();
        self.fail_writes = fail;
        self.fail_after = fail_after;
        self.writes = writes;
        self.tombstone = Some(tombstone.clone());
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
            assert_eq!(reopened.ticker_history(), live.ticker_history(), "step {i}");
        }
        // Unconfirmed entries never left the store.
        let outbox = store.outbox(10_000).unwrap();
        assert_eq!(outbox.len() as u64, store.outbox_len().unwrap());
        assert!(store.journal.iter().all(|e| e.seq > store.confirmed));
    }

    #[test]
    fn the_room_at_any_seq_since_the_snapshot_is_rebuilt_as_it_was_warm_or_cold() {
        let (mut live, mut store) = created();
        let start = live.room.state().unwrap().tasks[0].due_ms;
        // The room's bytes right after each seq, as it was live.
        let mut at: BTreeMap<u64, Vec<u8>> = BTreeMap::new();
        at.insert(live.room.seq(), live.room.snapshot_bytes());
        for i in 0..30i64 {
            let entries = live.room.fire_due(start + i * 20_000, 4);
            live.commit(&mut store, &entries).unwrap();
            at.insert(live.room.seq(), live.room.snapshot_bytes());
            if i % 7 == 6 {
                live.snapshot(&mut store).unwrap();
            }
            let mut cold = LiveRoom::open(&store).unwrap();
            let head = live.room.seq();
            let snap = live.snapshot_seq();
            assert_eq!(cold.snapshot_seq(), snap);
            for r in [&mut live, &mut cold] {
                // Every seq in the tail, in an order that both continues and restarts the fold.
                for seq in (snap..=head).rev().chain(snap..=head) {
                    let bytes = r.room_at(seq).map(Room::snapshot_bytes);
                    assert!(bytes.is_some(), "step {i} seq {seq}");
                    // (A commit of several entries leaves its inner seqs unrecorded.)
                    if let Some(want) = at.get(&seq) {
                        assert_eq!(bytes.as_ref(), Some(want), "step {i} seq {seq}");
                    }
                }
                assert!(r.room_at(head + 1).is_none());
                if snap > 0 {
                    assert!(r.room_at(snap - 1).is_none());
                }
                assert_eq!(r.room.seq(), head, "the live room is never moved");
            }
        }
    }

    #[test]
    fn the_room_at_any_seq_since_the_previous_snapshot_is_rebuilt_warm_or_cold() {
        let (mut live, mut store) = created();
        let start = live.room.state().unwrap().tasks[0].due_ms;
        let mut at: BTreeMap<u64, Vec<u8>> = BTreeMap::new();
        at.insert(live.room.seq(), live.room.snapshot_bytes());
        for i in 0..30i64 {
            let entries = live.room.fire_due(start + i * 20_000, 4);
            live.commit(&mut store, &entries).unwrap();
            at.insert(live.room.seq(), live.room.snapshot_bytes());
            if i % 7 == 6 {
                // A crash in the snapshot's write: both snapshots stay as they were.
                let kept = (store.snapshot.clone(), store.previous.clone());
                store.fail_writes = true;
                assert!(live.clone().snapshot(&mut store).is_err());
                store.fail_writes = false;
                assert_eq!((store.snapshot.clone(), store.previous.clone()), kept);
                live.snapshot(&mut store).unwrap();
            }
            let head = live.room.seq();
            let Some((_, prev)) = store.previous.clone() else {
                continue;
            };
            let mut cold = LiveRoom::open(&store).unwrap();
            for r in [&mut live, &mut cold] {
                for seq in (prev..=head).rev().chain(prev..=head) {
                    let bytes = r.room_at_stored(&store, seq).map(Room::snapshot_bytes);
                    assert!(bytes.is_some(), "step {i} seq {seq}");
                    if let Some(want) = at.get(&seq) {
                        assert_eq!(bytes.as_ref(), Some(want), "step {i} seq {seq}");
                    }
                }
                if prev > 0 {
                    assert!(r.room_at_stored(&store, prev - 1).is_none());
                }
                assert_eq!(r.room.seq(), head, "the live room is never moved");
            }
        }
        // The previous snapshot goes with the row right after it; a cold start then reaches
        // back to the stored snapshot only.
        let (_, prev) = store.previous.clone().unwrap();
        store.prune(prev + 1).unwrap();
        assert!(store.previous.is_none());
        let mut cold = LiveRoom::open(&store).unwrap();
        assert!(cold.room_at_stored(&store, prev + 1).is_none());
        let snap = cold.snapshot_seq();
        assert!(cold.room_at_stored(&store, snap).is_some());
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
