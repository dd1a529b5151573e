//! Push delivery (docs/push.md, "Delivery"): the pushes a committed entry owes
//! (`push::triggers`) wait in DO storage (`Store::pushes`, at most [`PUSH_QUEUE_MAX`]); the
//! alarm sends them in batches of [`PUSH_BATCH`] ([`Effect::SendPushes`]), one batch in flight,
//! never while a task falls due within [`PUSH_TIMEOUT_MS`], so a slow push service never delays
//! the room. The Worker encrypts and sends each and reports per push; a failed batch (D1 down)
//! backs off and is sent again, a push that failed on its own is retried up to
//! [`PUSH_MAX_ATTEMPTS`] times; a push older than its TTL is dropped. Only with a usable
//! VAPID_PRIVATE_KEY (`HostConfig::push`); without one nothing is queued.
//!
//! Like the lobby calls, nothing leaves the room before D1 holds it: a push goes only once D1
//! confirmed the entry that owes it (`Store::confirmed_seq`), so a push never tells a player of an
//! entry an audit of D1 could not find; with D1 down, pushes wait with the outbox. A batch is
//! the longest prefix of the queue that D1 confirmed.

use super::callout::may_start;
use super::{Effect, Host, LogEvent};
use crate::engine::fact::Fact;
use crate::journal::{Entry, Verdict};
use crate::push::triggers::{self, PushIntent};
use crate::room::live::{Meta, Store};

/// Most pushes waiting; beyond it the oldest are dropped (logged).
pub const PUSH_QUEUE_MAX: usize = 500;
/// Most pushes per batch.
pub const PUSH_BATCH: usize = 50;
/// The Worker abandons each push request after this long (its requests run concurrently).
pub const PUSH_REQUEST_TIMEOUT_MS: i64 = 5_000;
/// A batch may take this long (the subscriptions' read, then the concurrent requests).
pub const PUSH_TIMEOUT_MS: i64 = 10_000;
/// Sends of one push before it is dropped.
pub const PUSH_MAX_ATTEMPTS: u32 = 3;
/// First retry delay; doubles per consecutive failure up to [`PUSH_BACKOFF_MAX_MS`].
pub const PUSH_BACKOFF_BASE_MS: i64 = 2_000;
pub const PUSH_BACKOFF_MAX_MS: i64 = 300_000;

/// One batch for the Worker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushBatch {
    pub game_id: String,
    pub intents: Vec<PushIntent>,
}

/// What became of one push of a batch (same order as its intents).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PushOutcome {
    /// The push service accepted it (2xx).
    Delivered,
    /// The player has no subscription for this game: nothing to send.
    NoSubscription,
    /// 404, 410 or 403: the subscription is gone; the Worker deleted it.
    Pruned,
    /// Any other answer or no answer: retried.
    Failed(String),
}

/// Retry delay after `failures` consecutive failures (1, 2, …).
pub fn push_backoff_ms(failures: i64) -> i64 {
    PUSH_BACKOFF_BASE_MS
        .saturating_mul(1i64 << (failures - 1).clamp(0, 20))
        .min(PUSH_BACKOFF_MAX_MS)
}

/// Whether a push is past its TTL at `now`.
pub fn expired(intent: &PushIntent, now: i64) -> bool {
    intent.at_ms + i64::from(intent.ttl_s) * 1_000 <= now
}

/// Whether a batch may start at `now` (`callout::may_start`).
pub fn may_send(
    queued: usize,
    in_flight: bool,
    retry_at: Option<i64>,
    next_task: Option<i64>,
    now: i64,
) -> bool {
    may_start(
        queued > 0,
        in_flight,
        retry_at,
        next_task,
        PUSH_TIMEOUT_MS,
        now,
    )
}

/// The pushes committed `entries` owe, from their `facts` (one list per entry, as the room
/// journaled them) and the state `st` after them.
pub fn owed(
    entries: &[Entry],
    facts: &[Vec<Fact>],
    st: &crate::engine::GameState,
) -> Vec<PushIntent> {
    entries
        .iter()
        .zip(facts)
        .filter(|(e, _)| matches!(e.verdict, Verdict::Accepted))
        .flat_map(|(e, facts)| triggers::intents(facts, st, e.seq, e.at_ms))
        .collect()
}

impl<S: Store> Host<S> {
    fn push_queue(&self) -> Vec<PushIntent> {
        self.store
            .pushes()
            .ok()
            .flatten()
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default()
    }

    fn store_push_queue(&mut self, mut queue: Vec<PushIntent>) {
        if queue.len() > PUSH_QUEUE_MAX {
            let dropped = queue.len() - PUSH_QUEUE_MAX;
            queue.drain(..dropped);
            self.log(LogEvent::error(format!(
                "push queue full: dropped the {dropped} oldest pushes"
            )));
        }
        let json = serde_json::to_string(&queue).unwrap_or_else(|_| "[]".into());
        if let Err(e) = self.store.set_pushes(&json) {
            self.log(LogEvent::error(format!("storing the push queue: {e}")));
        }
    }

    /// After a commit: queue the pushes its entries owe (none without a VAPID key).
    pub(super) fn queue_pushes(&mut self, entries: &[Entry], facts: &[Vec<Fact>]) {
        if !self.config.push {
            return;
        }
        let Some(st) = self.live.as_ref().and_then(|l| l.room.state()) else {
            return;
        };
        let owed = owed(entries, facts, st);
        if owed.is_empty() {
            return;
        }
        let mut queue = self.push_queue();
        queue.extend(owed);
        self.store_push_queue(queue);
    }

    /// When the alarm must ring for pushes (none while a batch is in flight or a task falls due
    /// first: its alarm looks again).
    pub(super) fn next_push_at(&self, now: i64) -> Option<i64> {
        if self.push_flight.is_some() || !self.config.push {
            return None;
        }
        if self.store.pushes().ok().flatten().is_none_or(|j| j == "[]") {
            return None;
        }
        // Nothing D1 has not confirmed: the flush that confirms it arms the alarm again.
        let confirmed = self.store.confirmed_seq().unwrap_or(0);
        if self.push_queue().first().is_none_or(|i| i.seq > confirmed) {
            return None;
        }
        self.callout_at(now, Meta::PushRetryAt, PUSH_TIMEOUT_MS)
    }

    /// From the alarm: sends the next batch, if one may start now (expired pushes dropped).
    pub(super) fn push_send(&mut self, now: i64, fx: &mut Vec<Effect>) {
        if !self.config.push {
            return;
        }
        let mut queue = self.push_queue();
        let before = queue.len();
        queue.retain(|i| !expired(i, now));
        if queue.len() != before {
            self.store_push_queue(queue.clone());
        }
        let retry_at = self.retry_at(Meta::PushRetryAt);
        let next_task = self.next_task_due();
        if !may_send(
            queue.len(),
            self.push_flight.is_some(),
            retry_at,
            next_task,
            now,
        ) {
            return;
        }
        let Some(live) = self.live.as_ref() else {
            return;
        };
        let confirmed = self.store.confirmed_seq().unwrap_or(0);
        let intents: Vec<PushIntent> = queue
            .into_iter()
            .take_while(|i| i.seq <= confirmed)
            .take(PUSH_BATCH)
            .collect();
        if intents.is_empty() {
            return;
        }
        self.push_flight = Some(intents.len());
        fx.push(Effect::SendPushes(PushBatch {
            game_id: live.room.game_id().to_string(),
            intents,
        }));
    }

    /// The Worker reports the batch in flight: per push (`Ok`, in order), or why the whole batch
    /// failed (`Err`: sent again after a backoff).
    pub(super) fn push_done(
        &mut self,
        now: i64,
        result: Result<Vec<PushOutcome>, String>,
        fx: &mut Vec<Effect>,
    ) {
        let Some(sent) = self.push_flight.take() else {
            return;
        };
        let failures = self
            .store
            .meta(Meta::PushFailures)
            .ok()
            .flatten()
            .unwrap_or(0);
        let mut queue = self.push_queue();
        let failed_batch = match result {
            Err(why) => Some(why),
            Ok(outcomes) => {
                let batch: Vec<PushIntent> = queue.drain(..sent.min(queue.len())).collect();
                let mut retry = Vec::new();
                let mut last_error = None;
                for (mut intent, outcome) in batch.into_iter().zip(outcomes) {
                    if let PushOutcome::Failed(why) = outcome {
                        intent.attempts += 1;
                        if intent.attempts < PUSH_MAX_ATTEMPTS {
                            retry.push(intent);
                        }
                        last_error = Some(why);
                    }
                }
                queue.extend(retry);
                self.store_push_queue(queue);
                last_error
            }
        };
        match failed_batch {
            None => {
                let _ = self.store.set_meta(Meta::PushFailures, None);
                let _ = self.store.set_meta(Meta::PushRetryAt, None);
            }
            Some(why) => {
                let failures = self.callout_failed(
                    now,
                    failures,
                    Meta::PushFailures,
                    Meta::PushRetryAt,
                    push_backoff_ms,
                );
                self.log(LogEvent::error(format!(
                    "push delivery failed ({failures} in a row): {why}"
                )));
            }
        }
        self.arm(fx);
    }
}
