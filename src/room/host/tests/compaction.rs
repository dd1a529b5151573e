//! Compaction (docs/architecture.md, "Compaction"): the DO keeps a snapshot and a short tail,
//! D1 the history. Every ordering of snapshot write, D1 confirmation, row deletion and crash
//! (the host dropped and rebuilt over the same store), with writes failing part-way, must lose
//! nothing and duplicate nothing.

use super::*;
use crate::journal::{self, Entry, Hash};
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------------------
// The policy

#[test]
fn rows_to_drop_never_pass_the_snapshot_or_the_confirmation_and_keep_the_tail() {
    let tail = DO_JOURNAL_TAIL;
    // Nothing confirmed, or no snapshot yet: nothing goes.
    assert_eq!(journal_rows_to_drop(640, 0, 700, false), 0);
    assert_eq!(journal_rows_to_drop(0, 640, 700, false), 0);
    // Both far ahead: everything but the last `tail` entries before the head.
    assert_eq!(journal_rows_to_drop(640, 700, 700, false), 700 - tail);
    // The older of the two bounds it, whichever it is.
    assert_eq!(journal_rows_to_drop(300, 700, 700, false), 300);
    assert_eq!(journal_rows_to_drop(700, 300, 700, false), 300);
    // A young game keeps everything.
    assert_eq!(journal_rows_to_drop(64, 70, 70, false), 0);
    // A finished game keeps no tail, but still nothing unconfirmed or unsnapshotted.
    assert_eq!(journal_rows_to_drop(700, 700, 700, true), 700);
    assert_eq!(journal_rows_to_drop(700, 650, 700, true), 650);
    assert_eq!(journal_rows_to_drop(650, 700, 700, true), 650);
    for snap in (0..800).step_by(37) {
        for conf in (0..800).step_by(41) {
            for finished in [false, true] {
                let head = snap.max(conf);
                let d = journal_rows_to_drop(snap, conf, head, finished);
                assert!(d <= snap.min(conf), "{snap} {conf} {finished}");
                if !finished {
                    assert!(head - d.min(head) >= tail.min(head), "{snap} {conf}");
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A simulated world: the host, a D1 that applies batches with INSERT OR IGNORE, crashes

/// D1 as the room sees it: `INSERT OR IGNORE` keyed by seq. A second write of a seq with other
/// bytes would be silently ignored by D1, so it is recorded here as a fork.
#[derive(Default)]
pub(super) struct FakeD1 {
    pub(super) rows: BTreeMap<u64, Entry>,
    pub(super) forks: Vec<u64>,
}

impl FakeD1 {
    pub(super) fn apply(&mut self, batch: &D1Batch) {
        for row in &batch.rows {
            if let D1Row::Journal(e) = row {
                match self.rows.get(&e.seq) {
                    Some(old) if old != e => self.forks.push(e.seq),
                    Some(_) => {}
                    None => {
                        self.rows.insert(e.seq, e.clone());
                    }
                }
            }
        }
    }

    pub(super) fn entries(&self) -> Vec<Entry> {
        self.rows.values().cloned().collect()
    }
}

pub(super) struct World {
    pub(super) rig: Rig,
    pub(super) d1: FakeD1,
    /// The batch in flight (the host sent it, D1 has not answered).
    flight: Option<D1Batch>,
    /// D1 answers with an error while set.
    pub(super) d1_down: bool,
    /// Every entry the room acknowledged (its seq and hash when acknowledged).
    acked: BTreeMap<u64, Hash>,
    /// Snapshots written so far (seqs), to know the tests crossed several.
    snapshots: Vec<u64>,
    /// A store write was made to fail: a deletion may have been skipped, so the DO may hold
    /// more than the tail until the next compaction (nothing is lost: it is only late).
    faulted: bool,
}

impl World {
    pub(super) fn new() -> World {
        let mut rig = Rig::new(config());
        let fx = rig.create(&init_body("ADMIN", T0 + 86_400_000));
        let mut w = World {
            rig,
            d1: FakeD1::default(),
            flight: None,
            d1_down: false,
            acked: BTreeMap::new(),
            snapshots: Vec::new(),
            faulted: false,
        };
        w.absorb(&fx);
        w.record_ack(1);
        w
    }

    pub(super) fn store(&self) -> &MemStore {
        self.rig.host.store()
    }

    /// Takes the batch an effect list sends (one is in flight at a time).
    pub(super) fn absorb(&mut self, fx: &[Effect]) {
        if let Some(b) = batches(fx).pop() {
            assert!(self.flight.is_none(), "two batches in flight: {fx:?}");
            self.flight = Some(b);
        }
        let snap = self.store().snapshot.as_ref().map_or(0, |(_, s, _)| *s);
        if self.snapshots.last() != Some(&snap) {
            self.snapshots.push(snap);
        }
    }

    fn record_ack(&mut self, seq: u64) {
        let e = self
            .store()
            .journal
            .iter()
            .find(|e| e.seq == seq)
            .cloned()
            .unwrap_or_else(|| panic!("acknowledged {seq} is not stored"));
        self.acked.insert(seq, e.hash);
    }

    /// One admin input; recorded as acknowledged when the answer is 200.
    pub(super) fn input(&mut self) {
        self.rig.advance(3);
        let body = json!({ "type": "CREDIT_SILVER", "rewards": { "p1": 1 } }).to_string();
        let fx = self.rig.http("POST", "/admin", &body);
        let (status, answer) = reply(&fx);
        if status == 200 {
            let seq = answer["seq"].as_u64().unwrap_or(0);
            self.record_ack(seq);
        }
        self.absorb(&fx);
    }

    /// D1 answers the batch in flight (applying it when up).
    pub(super) fn d1_answers(&mut self) {
        let Some(b) = self.flight.take() else {
            return;
        };
        let result = if self.d1_down {
            Err("D1 is down".to_string())
        } else {
            self.d1.apply(&b);
            Ok(())
        };
        self.rig.advance(2);
        let fx = self.rig.step(Input::D1Done {
            up_to: b.up_to,
            result,
        });
        self.absorb(&fx);
    }

    /// The alarm rings at the next flush or retry time.
    pub(super) fn alarm(&mut self) {
        let at = self.rig.host.alarm.armed.unwrap_or(self.rig.now);
        self.rig.now = self.rig.now.max(at);
        let fx = self.rig.step(Input::Alarm);
        self.absorb(&fx);
    }

    /// SIGKILL: the instance dies; the store is what it is. The batch in flight may or may not
    /// have reached D1.
    pub(super) fn crash(&mut self, batch_reached_d1: bool) {
        if let Some(b) = self.flight.take() {
            if batch_reached_d1 && !self.d1_down {
                self.d1.apply(&b);
            }
        }
        let mut store = self.rig.host.store().clone();
        store.fail_after = None;
        store.fail_writes = false;
        self.rig.host = Host::new(config(), store, Vec::new());
        self.rig.advance(50);
        // A fresh instance: its first event loads the room and re-arms the alarm.
        let fx = self.rig.http("GET", "/state", "");
        self.absorb(&fx);
    }

    /// ADMIN scheduling: the operator moves the game to its end (NEXT_STAGE until it ends).
    pub(super) fn end_game(&mut self) {
        let mut guard = 0;
        while !self.rig.host.live().is_some_and(|l| l.room.has_ended()) {
            self.rig.advance(10);
            let fx = self.rig.http("POST", "/admin", r#"{"type":"NEXT_STAGE"}"#);
            assert_eq!(reply(&fx).0, 200, "{fx:?}");
            self.absorb(&fx);
            self.d1_answers();
            guard += 1;
            assert!(guard < 20, "the game never ended");
        }
    }

    /// Fails store writes after the next `k` (None: no fault).
    pub(super) fn fault(&mut self, k: Option<u64>) {
        self.faulted |= k.is_some();
        self.rig.host.store.fail_after = k;
    }

    /// What deletion may never break: every unconfirmed row and every row after the stored
    /// snapshot (what a cold start folds) is kept, and the kept rows are contiguous up to the
    /// head. Unless a write was made to fail, the DO keeps at most the tail plus what D1 has not
    /// confirmed.
    pub(super) fn check_rows(&self, when: &str) {
        let s = self.store();
        let seqs: Vec<u64> = s.journal.iter().map(|e| e.seq).collect();
        let head = seqs.last().copied().unwrap_or(0);
        let snapshot = s.snapshot.as_ref().map_or(0, |(_, seq, _)| *seq);
        let first = seqs.first().copied().unwrap_or(head + 1);
        assert_eq!(
            seqs,
            (first..=head).collect::<Vec<_>>(),
            "{when}: contiguous"
        );
        assert!(
            first <= snapshot + 1,
            "{when}: a row a cold start folds was deleted"
        );
        assert!(
            s.outbox.iter().all(|seq| *seq >= first),
            "{when}: an unconfirmed row was deleted"
        );
        let rows = seqs.len() as u64;
        assert!(
            self.faulted || rows <= DO_JOURNAL_TAIL + s.outbox.len() as u64,
            "{when}: {rows} rows, {} unconfirmed",
            s.outbox.len()
        );
    }

    /// Answers D1 and rings the alarm until the outbox is empty.
    pub(super) fn drain(&mut self) {
        for _ in 0..200 {
            if self.flight.is_some() {
                self.d1_answers();
            } else if self.store().outbox.is_empty() {
                break;
            } else {
                self.rig.advance(BACKOFF_MAX_MS);
                self.alarm();
            }
        }
    }

    /// D1 comes back and the outbox drains; then nothing is lost or duplicated.
    pub(super) fn settle_and_check(&mut self, when: &str) {
        self.d1_down = false;
        self.fault(None);
        self.drain();
        // One more input and its confirmation: the compaction a failed write skipped runs.
        if !self.rig.host.live().is_some_and(|l| l.room.has_ended()) {
            self.input();
            self.drain();
        }
        self.faulted = false;
        assert!(self.store().outbox.is_empty(), "{when}: the outbox drained");
        self.check_rows(when);
        let d1 = self.d1.entries();
        assert!(
            self.d1.forks.is_empty(),
            "{when}: forks {:?}",
            self.d1.forks
        );
        let head = journal::verify(GAME, &d1).unwrap_or_else(|e| panic!("{when}: {e}"));
        let live = LiveRoom::open(self.store()).expect("the store opens");
        assert_eq!(live.room.seq(), d1.len() as u64, "{when}: D1 is gapless");
        assert_eq!(live.room.head(), head, "{when}: D1 ends at the room's head");
        for (seq, hash) in &self.acked {
            assert_eq!(
                self.d1.rows.get(seq).map(|e| e.hash),
                Some(*hash),
                "{when}: acknowledged entry {seq} is in D1 as acknowledged"
            );
        }
        // Cold start (snapshot + tail) equals a full replay of D1 (which does not know the
        // seed of a running game: the states, chain positions and day heads are compared).
        let replayed = crate::room::Room::replay(GAME, &d1, None).expect("D1 replays");
        assert!(
            live.room.state() == replayed.state()
                && live.room.day_heads() == replayed.day_heads()
                && (live.room.seq(), live.room.head()) == (replayed.seq(), replayed.head()),
            "{when}: cold start equals the replay of D1"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The invariant over a long game

#[test]
fn a_long_game_keeps_the_tail_plus_unconfirmed_rows_and_cold_starts_equal_d1() {
    let mut w = World::new();
    for i in 0..1200 {
        w.input();
        // D1 is slow: it answers every third input.
        if i % 3 == 0 {
            w.d1_answers();
        }
        if i % 50 == 49 {
            w.alarm();
        }
        w.check_rows(&format!("input {i}"));
    }
    assert!(w.snapshots.len() > 15, "{:?}", w.snapshots);
    w.settle_and_check("long game");
    let rows = w.store().journal.len() as u64;
    assert!(rows <= DO_JOURNAL_TAIL, "{rows}");
    assert!(
        rows >= DO_JOURNAL_TAIL - 1,
        "a running game keeps its tail: {rows}"
    );
}

#[test]
fn a_d1_outage_over_several_compactions_deletes_nothing_unconfirmed_then_drains_once() {
    let mut w = World::new();
    for _ in 0..10 {
        w.input();
        w.d1_answers();
    }
    let confirmed = w.store().confirmed;
    w.d1_down = true;
    let snapshots_before = w.snapshots.len();
    for i in 0..400 {
        w.input();
        w.d1_answers();
        if i % 40 == 0 {
            w.rig.advance(BACKOFF_MAX_MS);
            w.alarm();
            w.d1_answers();
        }
        w.check_rows(&format!("outage, input {i}"));
        assert!(
            w.store().journal.iter().any(|e| e.seq == confirmed + 1),
            "the first unconfirmed row stays"
        );
    }
    assert!(
        w.snapshots.len() >= snapshots_before + 5,
        "several compactions during the outage: {:?}",
        w.snapshots
    );
    assert_eq!(w.store().journal.len() as u64, w.rig.seq() - confirmed);
    // A crash in the middle of the outage changes nothing.
    w.crash(false);
    w.settle_and_check("after the outage");
    assert!(w.store().journal.len() as u64 <= DO_JOURNAL_TAIL);
}

// ---------------------------------------------------------------------------------------------
// Every ordering of snapshot write, D1 confirmation, deletion and crash

#[derive(Clone, Copy, Debug, PartialEq)]
enum Step {
    /// Inputs up to the next snapshot (its write, and the deletion it allows).
    Snapshot,
    /// D1 answers the batch in flight, then what follows (its confirmation, the deletion it
    /// allows, the next batch).
    Confirm,
    /// The alarm flushes what waits.
    Flush,
    /// SIGKILL; the batch in flight reached D1 (true) or not.
    Crash(bool),
}

fn run(w: &mut World, step: Step) {
    match step {
        Step::Snapshot => {
            let next = w.rig.host.live().map_or(0, LiveRoom::snapshot_seq) + COMPACT_EVERY;
            while w.rig.seq() < next {
                let before = w.rig.seq();
                w.input();
                if w.rig.seq() == before {
                    // The room was dropped by a failed write: the next input reloads it.
                    w.fault(None);
                }
            }
        }
        Step::Confirm => w.d1_answers(),
        Step::Flush => {
            w.rig.advance(FLUSH_DELAY_MS);
            w.alarm();
        }
        Step::Crash(reached) => w.crash(reached),
    }
}

fn permutations(items: &[Step]) -> Vec<Vec<Step>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for mut p in permutations(&rest) {
            p.insert(0, first);
            out.push(p);
        }
    }
    out
}

#[test]
fn every_ordering_of_snapshot_confirmation_deletion_and_crash_loses_and_duplicates_nothing() {
    let mut cases = 0;
    for reached in [false, true] {
        let steps = [
            Step::Snapshot,
            Step::Confirm,
            Step::Flush,
            Step::Crash(reached),
        ];
        for order in permutations(&steps) {
            // A store write fails part-way through one of the steps (after k successful writes
            // of that step), or none does.
            for (faulty, k) in (0..order.len())
                .flat_map(|i| (0..3).map(move |k| (Some(i), k)))
                .chain([(None, 0)])
            {
                let mut w = World::new();
                // A running game past its tail, with D1 behind it.
                for _ in 0..(DO_JOURNAL_TAIL + COMPACT_EVERY) {
                    w.input();
                    w.d1_answers();
                }
                w.input();
                let when = format!("{order:?}, write fault in step {faulty:?} after {k}");
                for (i, step) in order.iter().enumerate() {
                    if faulty == Some(i) {
                        w.fault(Some(k));
                    }
                    run(&mut w, *step);
                    w.rig.host.store.fail_after = None;
                    w.check_rows(&when);
                }
                w.settle_and_check(&when);
                cases += 1;
            }
        }
    }
    assert_eq!(cases, 2 * 24 * 13);
}

#[test]
fn a_random_walk_of_inputs_answers_failures_and_crashes_loses_nothing() {
    for seed in 1..=40u64 {
        let mut x = seed;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let mut w = World::new();
        for i in 0..400 {
            match next(20) {
                0..=9 => w.input(),
                10..=12 => w.d1_answers(),
                13 => {
                    w.rig.advance(BACKOFF_MAX_MS);
                    w.alarm();
                }
                14 => w.d1_down = !w.d1_down,
                15 => w.crash(next(2) == 0),
                16 => w.fault(Some(next(4))),
                _ => w.rig.host.store.fail_after = None,
            }
            w.check_rows(&format!("seed {seed}, step {i}"));
        }
        w.settle_and_check(&format!("seed {seed}"));
    }
}

// ---------------------------------------------------------------------------------------------
// The end of the game

#[test]
fn a_finished_game_keeps_its_final_snapshot_and_no_journal_row_once_d1_has_everything() {
    let mut w = World::new();
    for _ in 0..200 {
        w.input();
        w.d1_answers();
    }
    w.end_game();
    w.settle_and_check("game over");
    let s = w.store();
    assert!(s.journal.is_empty(), "{} rows left", s.journal.len());
    assert_eq!(
        s.snapshot.as_ref().map(|(_, seq, _)| *seq),
        Some(w.rig.seq())
    );
    // A late visitor still gets the final state and today's ticker lines, from the snapshot.
    let mut fresh = Rig {
        host: Host::new(config(), s.clone(), Vec::new()),
        now: w.rig.now + 1000,
        logs: Vec::new(),
    };
    let st = fresh.state();
    assert_eq!(st["seq"], w.rig.seq());
    assert!(["GAME_SUMMARY", "GAME_OVER"].contains(&st["phase"].as_str().unwrap_or("")));
    let fx = fresh.connect_until("p1", fresh.now / 1000 + 3600);
    let Some(Effect::Accept { socket, .. }) = fx.first() else {
        panic!("{fx:?}")
    };
    let history = of_type(&sent(&fx, socket), "TICKER.HISTORY");
    assert_eq!(history.len(), 1, "{fx:?}");
    let lines = history[0]["lines"].as_array().cloned().unwrap_or_default();
    assert!(
        !lines.is_empty(),
        "today's lines survive the last journal row"
    );
}
