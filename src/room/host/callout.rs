//! The policy the room's calls to outside services share: the lobby status callbacks
//! (docs/protocol.md, "Lobby status callbacks") and the push batches (docs/push.md,
//! "Delivery"). Both start only from the alarm, one at a time, wait for a retry time after a
//! failure, and never start when a task falls due before the call could time out: a slow or
//! hanging service must never delay the room's timeline.

use super::Host;
use crate::room::alarms::AlarmQueue;
use crate::room::live::{Meta, Store};

/// Whether a call may start at `now`: something is owed, none is in flight, its retry time has
/// come, and no task falls due before it could time out (`timeout_ms`).
pub fn may_start(
    owed: bool,
    in_flight: bool,
    retry_at: Option<i64>,
    next_task: Option<i64>,
    timeout_ms: i64,
    now: i64,
) -> bool {
    owed && !in_flight
        && retry_at.is_none_or(|t| t <= now)
        && next_task.is_none_or(|t| t > now + timeout_ms)
}

impl<S: Store> Host<S> {
    /// When the next task of the timeline falls due.
    pub(super) fn next_task_due(&self) -> Option<i64> {
        self.queue.as_ref().and_then(AlarmQueue::next_due)
    }

    /// The retry time kept at `retry` (none: no failure since the last success).
    pub(super) fn retry_at(&self, retry: Meta) -> Option<i64> {
        self.store.meta(retry).ok().flatten()
    }

    /// One more failure of a call after `failures` in a row: counted at `failures_key`, its
    /// retry time set at `retry_key` by `backoff`. Returns the new count.
    pub(super) fn callout_failed(
        &mut self,
        now: i64,
        failures: i64,
        failures_key: Meta,
        retry_key: Meta,
        backoff: fn(i64) -> i64,
    ) -> i64 {
        let failures = failures + 1;
        let _ = self.store.set_meta(failures_key, Some(failures));
        let _ = self
            .store
            .set_meta(retry_key, Some(now + backoff(failures)));
        failures
    }

    /// When the alarm must ring for a call owed and not in flight, retried at `retry`: at that
    /// time (or now), unless a task falls due first or within `timeout_ms` of it (then the
    /// task's alarm looks again).
    pub(super) fn callout_at(&self, now: i64, retry: Meta, timeout_ms: i64) -> Option<i64> {
        let at = self.retry_at(retry).unwrap_or(now);
        match self.next_task_due() {
            Some(t) if t <= at.max(now) + timeout_ms => None,
            _ => Some(at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::may_start;

    #[test]
    fn a_call_starts_only_when_owed_alone_due_and_clear_of_the_next_task() {
        assert!(may_start(true, false, None, None, 10, 100));
        assert!(
            !may_start(false, false, None, None, 10, 100),
            "nothing owed"
        );
        assert!(!may_start(true, true, None, None, 10, 100), "one in flight");
        assert!(
            !may_start(true, false, Some(101), None, 10, 100),
            "backing off"
        );
        assert!(may_start(true, false, Some(100), None, 10, 100));
        assert!(
            !may_start(true, false, None, Some(110), 10, 100),
            "a task within the timeout"
        );
        assert!(may_start(true, false, None, Some(111), 10, 100));
    }
}
