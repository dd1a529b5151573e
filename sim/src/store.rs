//! The room's storage, shared between the host and the simulator: the host writes it through
//! the `Store` trait, the simulator reads it for the invariants and sets its write faults
//! (`MemStore::fail_after`) without reaching into the host.

use pecking_order::journal::Entry;
use pecking_order::room::alarms::{AlarmTask, SyncChanges};
use pecking_order::room::live::{JournalSpan, MemStore, Meta, Store, Stored, Tombstone};
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Clone, Debug, Default)]
pub(crate) struct Shared(pub Rc<RefCell<MemStore>>);

impl Shared {
    /// A fresh handle over a copy of what `self` holds (what survives a restart).
    pub fn copy(&self) -> Shared {
        let mut s = self.0.borrow().clone();
        s.fail_after = None;
        s.fail_writes = false;
        Shared(Rc::new(RefCell::new(s)))
    }
}

impl Store for Shared {
    type Error = String;

    fn load(&self) -> Result<Stored, String> {
        self.0.borrow().load()
    }
    fn exists(&self) -> Result<bool, String> {
        self.0.borrow().exists()
    }
    fn reset(&mut self) -> Result<(), String> {
        self.0.borrow_mut().reset()
    }
    fn append(&mut self, entries: &[Entry]) -> Result<(), String> {
        self.0.borrow_mut().append(entries)
    }
    fn compact(&mut self, snapshot: &[u8], seq: u64, ticker: &str) -> Result<(), String> {
        self.0.borrow_mut().compact(snapshot, seq, ticker)
    }
    fn snapshot_seq(&self) -> Result<u64, String> {
        self.0.borrow().snapshot_seq()
    }
    fn previous_snapshot(&self) -> Result<Option<(Vec<u8>, u64)>, String> {
        self.0.borrow().previous_snapshot()
    }
    fn prune(&mut self, up_to: u64) -> Result<(), String> {
        self.0.borrow_mut().prune(up_to)
    }
    fn journal(&self, from: u64, limit: usize) -> Result<Vec<Entry>, String> {
        self.0.borrow().journal(from, limit)
    }
    fn journal_span(&self) -> Result<JournalSpan, String> {
        self.0.borrow().journal_span()
    }
    fn size_bytes(&self) -> Result<Option<u64>, String> {
        self.0.borrow().size_bytes()
    }
    fn outbox(&self, limit: usize) -> Result<Vec<Entry>, String> {
        self.0.borrow().outbox(limit)
    }
    fn confirm(&mut self, seq: u64) -> Result<(), String> {
        self.0.borrow_mut().confirm(seq)
    }
    fn outbox_len(&self) -> Result<u64, String> {
        self.0.borrow().outbox_len()
    }
    fn confirmed_seq(&self) -> Result<u64, String> {
        self.0.borrow().confirmed_seq()
    }
    fn tasks(&self) -> Result<Vec<AlarmTask>, String> {
        self.0.borrow().tasks()
    }
    fn write_tasks(&mut self, changes: &SyncChanges) -> Result<(), String> {
        self.0.borrow_mut().write_tasks(changes)
    }
    fn meta(&self, key: Meta) -> Result<Option<i64>, String> {
        self.0.borrow().meta(key)
    }
    fn set_meta(&mut self, key: Meta, value: Option<i64>) -> Result<(), String> {
        self.0.borrow_mut().set_meta(key, value)
    }
    fn refusals(&self) -> Result<Option<String>, String> {
        self.0.borrow().refusals()
    }
    fn set_refusals(&mut self, json: &str) -> Result<(), String> {
        self.0.borrow_mut().set_refusals(json)
    }
    fn pushes(&self) -> Result<Option<String>, String> {
        self.0.borrow().pushes()
    }
    fn set_pushes(&mut self, json: &str) -> Result<(), String> {
        self.0.borrow_mut().set_pushes(json)
    }
    fn tombstone(&self) -> Result<Option<Tombstone>, String> {
        self.0.borrow().tombstone()
    }
    fn clean_up(&mut self, tombstone: &Tombstone) -> Result<(), String> {
        self.0.borrow_mut().clean_up(tombstone)
    }
}
