//! AlarmManager, the pure part: a priority queue of tasks over a Durable Object's single alarm.
//!
//! The worker keeps this queue in DO SQLite and arms the DO alarm at [`AlarmQueue::next_due`].
//! For games, the queue mirrors the engine's pending timeline ([`AlarmQueue::sync`]); firing goes
//! through [`crate::room::Room::fire_due`], which journals each due task as one ALARM entry,
//! settled before the next. A task's firing is keyed by `(task_id, due_ms)`: once fired it is no
//! longer pending in the engine, so a duplicated or retried delivery finds nothing to do.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmTask {
    pub task_id: String,
    pub due_ms: i64,
    /// Opaque to the queue (the timeline action, for display).
    pub payload: String,
}

/// A task as the operator's routes list it (`GET …/state`, `LIST_TASKS`).
impl From<AlarmTask> for super::admin::NextTask {
    fn from(t: AlarmTask) -> Self {
        super::admin::NextTask {
            task_id: t.task_id,
            due_ms: t.due_ms,
            action: t.payload,
        }
    }
}

/// Tasks ordered by `(due_ms, task_id)`; at most one task per id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AlarmQueue {
    by_id: BTreeMap<String, (i64, String)>,
}

/// What [`AlarmQueue::sync`] changed, for the storage layer to apply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncChanges {
    pub upserted: Vec<AlarmTask>,
    pub cancelled: Vec<String>,
}

impl AlarmQueue {
    pub fn from_tasks(tasks: impl IntoIterator<Item = AlarmTask>) -> AlarmQueue {
        let mut q = AlarmQueue::default();
        for t in tasks {
            q.schedule(&t.task_id, t.due_ms, &t.payload);
        }
        q
    }

    /// Upsert: scheduling the same id again moves it; scheduling it identically changes nothing.
    /// Returns whether anything changed.
    pub fn schedule(&mut self, task_id: &str, due_ms: i64, payload: &str) -> bool {
        let new = (due_ms, payload.to_string());
        match self.by_id.get(task_id) {
            Some(old) if *old == new => false,
            _ => {
                self.by_id.insert(task_id.to_string(), new);
                true
            }
        }
    }

    /// Returns whether the task existed.
    pub fn cancel(&mut self, task_id: &str) -> bool {
        self.by_id.remove(task_id).is_some()
    }

    /// All tasks in firing order.
    pub fn list(&self) -> Vec<AlarmTask> {
        let mut v: Vec<AlarmTask> = self
            .by_id
            .iter()
            .map(|(id, (due, p))| AlarmTask {
                task_id: id.clone(),
                due_ms: *due,
                payload: p.clone(),
            })
            .collect();
        v.sort_by(|a, b| (a.due_ms, &a.task_id).cmp(&(b.due_ms, &b.task_id)));
        v
    }

    /// When the DO alarm should ring next.
    pub fn next_due(&self) -> Option<i64> {
        self.by_id.values().map(|(d, _)| *d).min()
    }

    /// Tasks due at `now_ms`, in firing order (they stay queued until cancelled or synced away).
    pub fn due(&self, now_ms: i64) -> Vec<AlarmTask> {
        self.list()
            .into_iter()
            .filter(|t| t.due_ms <= now_ms)
            .collect()
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Makes the queue equal to `desired` (the engine's pending tasks), reporting the changes.
    pub fn sync(&mut self, desired: &[AlarmTask]) -> SyncChanges {
        let mut changes = SyncChanges::default();
        let keep: BTreeMap<&str, &AlarmTask> =
            desired.iter().map(|t| (t.task_id.as_str(), t)).collect();
        let stale: Vec<String> = self
            .by_id
            .keys()
            .filter(|id| !keep.contains_key(id.as_str()))
            .cloned()
            .collect();
        for id in stale {
            self.by_id.remove(&id);
            changes.cancelled.push(id);
        }
        for t in desired {
            if self.schedule(&t.task_id, t.due_ms, &t.payload) {
                changes.upserted.push(t.clone());
            }
        }
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(id: &str, due: i64) -> AlarmTask {
        AlarmTask {
            task_id: id.into(),
            due_ms: due,
            payload: String::new(),
        }
    }

    #[test]
    fn orders_by_due_then_id_and_upserts() {
        let mut q = AlarmQueue::default();
        assert!(q.schedule("b", 10, ""));
        assert!(q.schedule("a", 10, ""));
        assert!(q.schedule("c", 5, ""));
        assert!(!q.schedule("c", 5, ""), "identical upsert is a no-op");
        let ids: Vec<String> = q.list().into_iter().map(|t| t.task_id).collect();
        assert_eq!(ids, ["c", "a", "b"]);
        assert!(q.schedule("c", 20, ""));
        assert_eq!(q.next_due(), Some(10));
        assert_eq!(q.due(10).len(), 2);
        assert!(q.cancel("a") && !q.cancel("a"));
        assert_eq!(q.len(), 2);
    }

    #[test]
    fn sync_reports_only_changes() {
        let mut q = AlarmQueue::from_tasks([t("x", 1), t("y", 2)]);
        let ch = q.sync(&[t("y", 2), t("z", 3)]);
        assert_eq!(ch.cancelled, vec!["x".to_string()]);
        assert_eq!(ch.upserted, vec![t("z", 3)]);
        assert_eq!(q.sync(&[t("y", 2), t("z", 3)]), SyncChanges::default());
    }
}
