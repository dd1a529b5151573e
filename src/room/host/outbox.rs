//! The outbox to D1 (docs/protocol.md, "Persistence and D1"): when to flush and how much, the
//! rows each entry produces, confirmation, and backoff while D1 fails. One batch is in flight at
//! a time; D1 answers with [`super::Input::D1Done`].

use super::{backoff_ms, Effect, Host, D1_BATCH, D1_MAX_BATCHES, FLUSH_DELAY_MS, FLUSH_MIN_BATCH};
use crate::journal::Entry;
use crate::room::live::{Meta, Store};
use serde_json::Value;

/// One D1 row, written with `INSERT OR IGNORE` (retries are harmless).
#[derive(Clone, Debug, PartialEq)]
pub enum D1Row {
    /// The `journal` row: the entry itself.
    Journal(Entry),
    /// The `games` row, written alongside entry 1 (SYSTEM.INIT, whose payload holds the manifest).
    Game {
        game_id: String,
        mode: String,
        status: &'static str,
        created_at_ms: i64,
    },
    /// A `players` row: the roster of SYSTEM.INIT and each accepted SYSTEM.PLAYER_JOINED.
    Player {
        game_id: String,
        player_id: String,
        real_user_id: String,
        persona_name: String,
        joined_seq: u64,
    },
}

/// One D1 `batch`: the rows of outbox entries up to and including `up_to`.
#[derive(Clone, Debug, PartialEq)]
pub struct D1Batch {
    pub up_to: u64,
    /// How many entries it holds.
    pub entries: usize,
    pub rows: Vec<D1Row>,
}

/// The D1 rows of one entry: its journal row, plus the `games` row for entry 1 and the `players`
/// rows of SYSTEM.INIT and accepted SYSTEM.PLAYER_JOINED.
pub fn d1_rows(e: &Entry) -> Vec<D1Row> {
    let payload = || serde_json::from_str::<Value>(&e.payload).unwrap_or(Value::Null);
    let mut rows = vec![D1Row::Journal(e.clone())];
    let players: Vec<Value> = match (e.seq, e.typ.as_str()) {
        (1, _) => {
            let p = payload();
            if let Some(mode) = p.pointer("/manifest/mode").and_then(Value::as_str) {
                rows.push(D1Row::Game {
                    game_id: e.game_id.clone(),
                    mode: mode.to_string(),
                    status: "ACTIVE",
                    created_at_ms: e.at_ms,
                });
            }
            p.get("roster")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        }
        (_, "SYSTEM.PLAYER_JOINED") if e.verdict.is_accepted() => {
            payload().get("player").cloned().into_iter().collect()
        }
        _ => Vec::new(),
    };
    for p in players {
        let text = |k: &str| {
            p.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let player_id = text("id");
        if player_id.is_empty() {
            continue;
        }
        rows.push(D1Row::Player {
            game_id: e.game_id.clone(),
            player_id,
            real_user_id: text("realUserId"),
            persona_name: text("personaName"),
            joined_seq: e.seq,
        });
    }
    rows
}

/// The batch D1 is writing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Flight {
    up_to: u64,
    entries: usize,
    /// Batches of this flush so far (at most [`D1_MAX_BATCHES`]).
    round: usize,
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
            Err(e) => return self.flush_failed(now, &format!("reading the outbox: {e}"), fx),
        };
        let Some(up_to) = entries.last().map(|e| e.seq) else {
            return self.flush_succeeded(fx);
        };
        let dev_fail =
            self.config.dev_faults && self.store.meta(Meta::DevFailD1).unwrap_or(None) == Some(1);
        if dev_fail {
            return self.flush_failed(now, "D1 is unavailable: DEV_FAIL_D1 is on", fx);
        }
        self.flush.flight = Some(Flight {
            up_to,
            entries: entries.len(),
            round,
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
            fx.push(Effect::Log(format!(
                "D1 answered a batch not in flight ({up_to})"
            )));
            return;
        };
        self.flush.flight = None;
        match result {
            Ok(()) => match self.confirm(&flight) {
                Err(e) => self.flush_failed(now, &format!("confirming the outbox: {e}"), fx),
                Ok(()) => {
                    // Compaction after the confirmation. A failure deletes nothing more; it is
                    // asked again after the next snapshot or confirmation.
                    if let Err(e) = self.prune() {
                        fx.push(Effect::Log(format!("compaction: {}", e.to_json())));
                    }
                    if flight.entries == D1_BATCH && flight.round + 1 < D1_MAX_BATCHES {
                        self.next_batch(now, flight.round + 1, fx);
                    } else {
                        self.flush_succeeded(fx);
                    }
                }
            },
            Err(e) => self.flush_failed(now, &format!("D1 batch failed: {e}"), fx),
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

    fn flush_succeeded(&mut self, fx: &mut Vec<Effect>) {
        for key in [Meta::D1Failures, Meta::D1RetryAt] {
            if let Err(e) = self.store.set_meta(key, None) {
                fx.push(Effect::Log(format!("outbox flush: {e}")));
            }
        }
    }

    /// Backoff: the next flush waits [`backoff_ms`] of the failures so far.
    fn flush_failed(&mut self, now: i64, why: &str, fx: &mut Vec<Effect>) {
        fx.push(Effect::Log(format!("outbox flush: {why}")));
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
        if let Err(e) = written {
            fx.push(Effect::Log(format!("outbox flush: {e}")));
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
