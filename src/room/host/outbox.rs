//! The outbox to D1 (docs/protocol.md, "Persistence and D1"): when to flush and how much,
//! confirmation, and backoff while D1 fails (the rows each entry produces: `d1rows`). One batch
//! is in flight at a time; D1 answers with [`super::Input::D1Done`].

use super::d1rows::{d1_rows, D1Row};
use super::{
    backoff_ms, Effect, Host, LogEvent, D1_BATCH, D1_MAX_BATCHES, FLUSH_DELAY_MS, FLUSH_MIN_BATCH,
};
use crate::room::live::{Meta, Store};

/// One D1 `batch`: the rows of outbox entries up to and including `up_to`.
#[derive(Clone, Debug, PartialEq)]
pub struct D1Batch {
    pub up_to: u64,
    /// How many entries it holds.
    pub entries: usize,
    pub rows: Vec<D1Row>,
}

/// The batch D1 is writing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Flight {
    up_to: u64,
    entries: usize,
    /// Batches of this flush so far (at most [`D1_MAX_BATCHES`]).
    round: usize,
    /// When it was sent (ms).
    sent_ms: i64,
}

#[derive(Clone, Debug, Default)]
pub(super) struct Flush {
    flight: Option<Flight>,
    /// When the last flush started (ms; 0: never in this instance).
    last_flush_ms: i64,
}

impl<S: Store> Host<S> {
    /// After a commit: flush at once when [`FLUSH_MIN_BATCH`] entries wait or the last flush
    /// started [`FLUSH_DELAY_MS`] ago; otherwise the entries ride the next batch.
    pub(super) fn flush_due(&self, now: i64) -> bool {
        let waiting = self.store.outbox_len().unwrap_or(0);
        waiting >= FLUSH_MIN_BATCH || self.flush.last_flush_ms + FLUSH_DELAY_MS <= now
    }

    /// Starts a flush unless one is in flight or D1 is in backoff (then only the alarm, at
    /// `d1_retry_at`, retries: commits do not hammer it).
    pub(super) fn start_flush(&mut self, now: i64, fx: &mut Vec<Effect>) {
        if self.flush.flight.is_some() {
            return;
        }
        let retry_at = self.store.meta(Meta::D1RetryAt).unwrap_or(None);
        if retry_at.is_some_and(|at| at > now) {
            return;
        }
        self.flush.last_flush_ms = now;
        self.next_batch(now, 0, fx);
    }

    /// Sends the next batch of the outbox, or ends the flush when it is empty.
    fn next_batch(&mut self, now: i64, round: usize, fx: &mut Vec<Effect>) {
        let entries = match self.store.outbox(D1_BATCH) {
            Ok(e) => e,
            Err(e) => return self.flush_failed(now, None, &format!("reading the outbox: {e}")),
        };
        let Some(up_to) = entries.last().map(|e| e.seq) else {
            return self.flush_succeeded();
        };
        let dev_fail =
            self.config.dev_faults && self.store.meta(Meta::DevFailD1).unwrap_or(None) == Some(1);
        if dev_fail {
            return self.flush_failed(now, None, "D1 is unavailable: DEV_FAIL_D1 is on");
        }
        self.flush.flight = Some(Flight {
            up_to,
            entries: entries.len(),
            round,
            sent_ms: now,
        });
        fx.push(Effect::WriteD1(D1Batch {
            up_to,
            entries: entries.len(),
            rows: entries.iter().flat_map(d1_rows).collect(),
        }));
    }

    /// D1 answered: confirm and go on (a full batch may have more behind it), or back off.
    pub(super) fn d1_done(
        &mut self,
        now: i64,
        up_to: u64,
        result: Result<(), String>,
        fx: &mut Vec<Effect>,
    ) {
        let Some(flight) = self.flush.flight.filter(|f| f.up_to == up_to) else {
            self.log(LogEvent::error(format!(
                "D1 answered a batch not in flight ({up_to})"
            )));
            return;
        };
        self.flush.flight = None;
        match result {
            Ok(()) => match self.confirm(&flight) {
                Err(e) => {
                    self.flush_failed(now, Some(flight), &format!("confirming the outbox: {e}"))
                }
                Ok(()) => {
                    self.log_flush(now, Some(flight), 0, None);
                    // Compaction after the confirmation. A failure deletes nothing more; it is
                    // asked again after the next snapshot or confirmation.
                    if let Err(e) = self.prune() {
                        self.log(LogEvent::error(format!("compaction: {}", e.to_json())));
                    }
                    if flight.entries == D1_BATCH && flight.round + 1 < D1_MAX_BATCHES {
                        self.next_batch(now, flight.round + 1, fx);
                    } else {
                        self.flush_succeeded();
                    }
                }
            },
            Err(e) => self.flush_failed(now, Some(flight), &format!("D1 batch failed: {e}")),
        }
        self.arm(fx);
    }

    /// Everything up to the flight's last seq is in D1 now (outbox seqs are contiguous).
    fn confirm(&mut self, flight: &Flight) -> Result<(), String> {
        let store = &mut self.store;
        let add = |store: &mut S, key: Meta, n: i64| {
            let v = store.meta(key).map_err(|e| e.to_string())?.unwrap_or(0);
            store.set_meta(key, Some(v + n)).map_err(|e| e.to_string())
        };
        store.confirm(flight.up_to).map_err(|e| e.to_string())?;
        add(store, Meta::D1Batches, 1)?;
        add(store, Meta::D1BatchedEntries, flight.entries as i64)
    }

    fn flush_succeeded(&mut self) {
        for key in [Meta::D1Failures, Meta::D1RetryAt] {
            if let Err(e) = self.store.set_meta(key, None) {
                self.log(LogEvent::error(format!("outbox flush: {e}")));
            }
        }
    }

    /// One `d1Flush` line: the batch (`None`: none was sent), how long D1 took, the failures.
    fn log_flush(
        &mut self,
        now: i64,
        flight: Option<Flight>,
        failures: i64,
        error: Option<String>,
    ) {
        self.log(LogEvent::D1Flush {
            entries: flight.map_or(0, |f| f.entries),
            up_to: flight.map_or(0, |f| f.up_to),
            ms: flight.map_or(0, |f| now - f.sent_ms),
            failures,
            error,
        });
    }

    /// Backoff: the next flush waits [`backoff_ms`] of the failures so far.
    fn flush_failed(&mut self, now: i64, flight: Option<Flight>, why: &str) {
        let failures = self
            .store
            .meta(Meta::D1Failures)
            .unwrap_or(None)
            .unwrap_or(0)
            + 1;
        let written = self
            .store
            .set_meta(Meta::D1Failures, Some(failures))
            .and_then(|()| {
                self.store
                    .set_meta(Meta::D1RetryAt, Some(now + backoff_ms(failures)))
            });
        self.log_flush(now, flight, failures, Some(why.to_string()));
        if let Err(e) = written {
            self.log(LogEvent::error(format!("outbox flush: {e}")));
        }
    }

    /// When the alarm must flush the outbox: at `d1_retry_at` while D1 fails, else at last flush
    /// + [`FLUSH_DELAY_MS`]; never while a batch is in flight (its answer re-arms).
    pub(super) fn next_flush_at(&self) -> Option<i64> {
        if self.flush.flight.is_some() || self.store.outbox_len().unwrap_or(0) == 0 {
            return None;
        }
        let retry_at = self.store.meta(Meta::D1RetryAt).unwrap_or(None);
        Some(retry_at.unwrap_or(self.flush.last_flush_ms + FLUSH_DELAY_MS))
    }
}
