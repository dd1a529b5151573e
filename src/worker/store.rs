//! `room::live::Store` on the Durable Object's SQLite. Every method is synchronous (no await), so
//! the writes of one host step commit atomically.
//!
//! Tables: `meta` (key → value: `snapshot`, `snapshot_seq`, `ticker` (the ticker buffer written
//! with the snapshot), `prev_snapshot`, `prev_snapshot_seq` (the snapshot it replaced, kept
//! while the row after it is), `confirmed_seq`, the [`Meta`] settings `d1_failures`, `d1_retry_at`,
//! `d1_batches`, `d1_batched_entries`, `dev_fail_d1`, and after a cleanup only the tombstone
//! `tombstone_seq`, `tombstone_head`, `tombstone_at_ms`), `journal` (the rows the room keeps,
//! same columns as D1's `journal`: the tail after `snapshot_seq`, a short tail before it and
//! whatever D1 has not confirmed), `outbox` (seqs not yet confirmed in D1) and `tasks` (the
//! AlarmManager's queue, a mirror of the engine's timeline).

use std::cell::Cell;

use worker::{SqlCursor, SqlStorage, SqlStorageValue};

use super::rows::{
    as_i64, as_str, as_u64, entry_from_row, entry_values, insert_journal, sql_int, JOURNAL_COLUMNS,
};
use crate::journal::{Entry, Hash};
use crate::room::alarms::{AlarmTask, SyncChanges};
use crate::room::live::{JournalSpan, Meta, Store, Stored, Tombstone};

const DO_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS journal (
  game_id TEXT NOT NULL, seq INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, day INTEGER NOT NULL,
  kind TEXT NOT NULL, actor TEXT NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL,
  verdict TEXT NOT NULL, facts TEXT NOT NULL, engine TEXT NOT NULL, v INTEGER NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS tasks (task_id TEXT PRIMARY KEY, due_ms INTEGER NOT NULL, payload TEXT NOT NULL);
";

pub(super) struct DoStore {
    sql: SqlStorage,
    schema_ready: Cell<bool>,
}

impl DoStore {
    pub(super) fn new(sql: SqlStorage) -> DoStore {
        DoStore {
            sql,
            schema_ready: Cell::new(false),
        }
    }

    /// Runs one statement (creating the tables first, once per instance).
    fn exec(&self, query: &str, bindings: Vec<SqlStorageValue>) -> Result<SqlCursor, String> {
        if !self.schema_ready.get() {
            self.sql.exec(DO_SCHEMA, None).map_err(|e| e.to_string())?;
            self.schema_ready.set(true);
        }
        self.sql.exec(query, bindings).map_err(|e| e.to_string())
    }

    fn read_entries(
        &self,
        query: &str,
        bindings: Vec<SqlStorageValue>,
    ) -> Result<Vec<Entry>, String> {
        let mut out = Vec::new();
        for row in self.exec(query, bindings)?.raw() {
            let row = row.map_err(|e| e.to_string())?;
            out.push(entry_from_row(&row).map_err(|e| format!("corrupt journal row: {e}"))?);
        }
        Ok(out)
    }

    fn first_value(
        &self,
        query: &str,
        bindings: Vec<SqlStorageValue>,
    ) -> Result<Option<SqlStorageValue>, String> {
        match self.exec(query, bindings)?.raw().next() {
            None => Ok(None),
            Some(row) => Ok(row.map_err(|e| e.to_string())?.into_iter().next()),
        }
    }

    fn meta_int(&self, key: &str) -> Result<Option<i64>, String> {
        let v = self.first_value("SELECT value FROM meta WHERE key = ?", vec![key.into()])?;
        Ok(v.as_ref().and_then(as_i64))
    }

    fn set_meta_int(&self, key: &str, value: Option<i64>) -> Result<(), String> {
        match value {
            Some(v) => {
                let v = SqlStorageValue::try_from_i64(v).map_err(|e| e.to_string())?;
                self.exec(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    vec![key.into(), v],
                )?;
            }
            None => {
                self.exec("DELETE FROM meta WHERE key = ?", vec![key.into()])?;
            }
        }
        Ok(())
    }

    fn meta_text(&self, key: &str) -> Result<Option<String>, String> {
        let v = self.first_value("SELECT value FROM meta WHERE key = ?", vec![key.into()])?;
        Ok(v.as_ref().and_then(as_str).map(str::to_string))
    }

    fn set_meta_text(&self, key: &str, value: &str) -> Result<(), String> {
        self.exec(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            vec![key.into(), value.into()],
        )?;
        Ok(())
    }

    fn snapshot(&self) -> Result<Option<Vec<u8>>, String> {
        match self.first_value("SELECT value FROM meta WHERE key = 'snapshot'", vec![])? {
            None => Ok(None),
            Some(SqlStorageValue::Blob(bytes)) => Ok(Some(bytes)),
            Some(_) => Err("stored snapshot is not a blob".into()),
        }
    }
}

impl Store for DoStore {
    type Error = String;

    fn load(&self) -> Result<Stored, String> {
        let snapshot = self.snapshot()?;
        let from = self.meta_int("snapshot_seq")?.unwrap_or(0);
        let tail = self.read_entries(
            &format!("SELECT {JOURNAL_COLUMNS} FROM journal WHERE seq > ? ORDER BY seq"),
            vec![SqlStorageValue::try_from_i64(from).map_err(|e| e.to_string())?],
        )?;
        let ticker = self.meta_text("ticker")?.unwrap_or_default();
        Ok(Stored {
            snapshot,
            ticker,
            tail,
        })
    }

    fn exists(&self) -> Result<bool, String> {
        Ok(self.snapshot()?.is_some())
    }

    fn reset(&mut self) -> Result<(), String> {
        for table in ["journal", "outbox", "tasks", "meta"] {
            self.exec(&format!("DELETE FROM {table}"), vec![])?;
        }
        Ok(())
    }

    fn append(&mut self, entries: &[Entry]) -> Result<(), String> {
        let insert = insert_journal();
        for entry in entries {
            self.exec(&insert, entry_values(entry)?)?;
            self.exec(
                "INSERT OR IGNORE INTO outbox (seq) VALUES (?)",
                vec![sql_int(entry.seq)?],
            )?;
        }
        Ok(())
    }

    fn compact(&mut self, snapshot: &[u8], seq: u64, ticker: &str) -> Result<(), String> {
        // The replaced snapshot becomes the previous one, copied inside SQLite (no read into
        // the worker); in the same synchronous step, so both writes commit together.
        self.exec(
            "INSERT OR REPLACE INTO meta (key, value) SELECT 'prev_snapshot', value FROM meta WHERE key = 'snapshot' AND EXISTS (SELECT 1 FROM meta WHERE key = 'snapshot_seq' AND value < ?)",
            vec![sql_int(seq)?],
        )?;
        self.exec(
            "INSERT OR REPLACE INTO meta (key, value) SELECT 'prev_snapshot_seq', value FROM meta WHERE key = 'snapshot_seq' AND value < ?",
            vec![sql_int(seq)?],
        )?;
        self.exec(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('snapshot', ?)",
            vec![SqlStorageValue::Blob(snapshot.to_vec())],
        )?;
        self.set_meta_text("ticker", ticker)?;
        let seq = i64::try_from(seq).map_err(|_| "seq out of range".to_string())?;
        self.set_meta_int("snapshot_seq", Some(seq))
    }

    fn snapshot_seq(&self) -> Result<u64, String> {
        Ok(self
            .meta_int("snapshot_seq")?
            .and_then(|v| u64::try_from(v).ok())
            .unwrap_or(0))
    }

    fn previous_snapshot(&self) -> Result<Option<(Vec<u8>, u64)>, String> {
        let Some(seq) = self
            .meta_int("prev_snapshot_seq")?
            .and_then(|v| u64::try_from(v).ok())
        else {
            return Ok(None);
        };
        match self.first_value("SELECT value FROM meta WHERE key = 'prev_snapshot'", vec![])? {
            Some(SqlStorageValue::Blob(bytes)) => Ok(Some((bytes, seq))),
            _ => Ok(None),
        }
    }

    fn prune(&mut self, up_to: u64) -> Result<(), String> {
        self.exec("DELETE FROM journal WHERE seq <= ?", vec![sql_int(up_to)?])?;
        // The previous snapshot goes with the row right after it.
        let prev = self.meta_int("prev_snapshot_seq")?;
        if prev.is_some_and(|p| p < sql_seq(up_to).unwrap_or(i64::MAX)) {
            self.exec(
                "DELETE FROM meta WHERE key IN ('prev_snapshot', 'prev_snapshot_seq')",
                vec![],
            )?;
        }
        Ok(())
    }

    fn journal(&self, from: u64, limit: usize) -> Result<Vec<Entry>, String> {
        self.read_entries(
            &format!(
                "SELECT {JOURNAL_COLUMNS} FROM journal WHERE seq >= ? ORDER BY seq LIMIT {limit}"
            ),
            vec![sql_int(from)?],
        )
    }

    fn journal_span(&self) -> Result<JournalSpan, String> {
        let mut rows = self
            .exec("SELECT COUNT(*), MIN(seq) FROM journal", vec![])?
            .raw();
        let Some(row) = rows.next() else {
            return Ok(JournalSpan::default());
        };
        let row = row.map_err(|e| e.to_string())?;
        Ok(JournalSpan {
            rows: row.first().and_then(as_u64).unwrap_or(0),
            first: row.get(1).and_then(as_u64),
        })
    }

    fn size_bytes(&self) -> Result<Option<u64>, String> {
        Ok(Some(self.sql.database_size() as u64))
    }

    fn outbox(&self, limit: usize) -> Result<Vec<Entry>, String> {
        self.read_entries(
            &format!(
                "SELECT {JOURNAL_COLUMNS} FROM journal WHERE seq IN (SELECT seq FROM outbox) ORDER BY seq LIMIT {limit}"
            ),
            vec![],
        )
    }

    fn confirm(&mut self, seq: u64) -> Result<(), String> {
        self.exec("DELETE FROM outbox WHERE seq <= ?", vec![sql_int(seq)?])?;
        let confirmed = self.confirmed_seq()?.max(seq);
        let confirmed = i64::try_from(confirmed).map_err(|_| "seq out of range".to_string())?;
        self.set_meta_int("confirmed_seq", Some(confirmed))
    }

    fn outbox_len(&self) -> Result<u64, String> {
        let n = self.first_value("SELECT COUNT(*) FROM outbox", vec![])?;
        Ok(n.as_ref().and_then(as_u64).unwrap_or(0))
    }

    fn confirmed_seq(&self) -> Result<u64, String> {
        Ok(self
            .meta_int("confirmed_seq")?
            .and_then(|v| u64::try_from(v).ok())
            .unwrap_or(0))
    }

    fn tasks(&self) -> Result<Vec<AlarmTask>, String> {
        let mut out = Vec::new();
        for row in self
            .exec("SELECT task_id, due_ms, payload FROM tasks", vec![])?
            .raw()
        {
            let row = row.map_err(|e| e.to_string())?;
            let (Some(id), Some(due), Some(payload)) = (
                row.first().and_then(as_str),
                row.get(1).and_then(as_i64),
                row.get(2).and_then(as_str),
            ) else {
                return Err("corrupt tasks row".into());
            };
            out.push(AlarmTask {
                task_id: id.to_string(),
                due_ms: due,
                payload: payload.to_string(),
            });
        }
        Ok(out)
    }

    fn write_tasks(&mut self, changes: &SyncChanges) -> Result<(), String> {
        for id in &changes.cancelled {
            self.exec(
                "DELETE FROM tasks WHERE task_id = ?",
                vec![id.as_str().into()],
            )?;
        }
        for t in &changes.upserted {
            self.exec(
                "INSERT OR REPLACE INTO tasks (task_id, due_ms, payload) VALUES (?, ?, ?)",
                vec![
                    t.task_id.as_str().into(),
                    SqlStorageValue::try_from_i64(t.due_ms).map_err(|e| e.to_string())?,
                    t.payload.as_str().into(),
                ],
            )?;
        }
        Ok(())
    }

    fn meta(&self, key: Meta) -> Result<Option<i64>, String> {
        self.meta_int(key.key())
    }

    fn set_meta(&mut self, key: Meta, value: Option<i64>) -> Result<(), String> {
        self.set_meta_int(key.key(), value)
    }

    fn tombstone(&self) -> Result<Option<Tombstone>, String> {
        let Some(seq) = self.meta_int("tombstone_seq")? else {
            return Ok(None);
        };
        let head = self.meta_text("tombstone_head")?.unwrap_or_default();
        Ok(Some(Tombstone {
            seq: u64::try_from(seq).map_err(|_| "corrupt tombstone".to_string())?,
            head: Hash::from_hex(&head).ok_or_else(|| "corrupt tombstone head".to_string())?,
            cleaned_at_ms: self.meta_int("tombstone_at_ms")?.unwrap_or(0),
        }))
    }

    fn refusals(&self) -> Result<Option<String>, String> {
        self.meta_text("refusals")
    }

    fn set_refusals(&mut self, json: &str) -> Result<(), String> {
        self.set_meta_text("refusals", json)
    }

    fn pushes(&self) -> Result<Option<String>, String> {
        self.meta_text("pushes")
    }

    fn set_pushes(&mut self, json: &str) -> Result<(), String> {
        self.set_meta_text("pushes", json)
    }

    /// Drops every table (their pages go back to the database) and keeps only the tombstone.
    fn clean_up(&mut self, tombstone: &Tombstone) -> Result<(), String> {
        for table in ["journal", "outbox", "tasks", "meta"] {
            self.exec(&format!("DROP TABLE IF EXISTS {table}"), vec![])?;
        }
        self.schema_ready.set(false);
        self.set_meta_int("tombstone_seq", Some(sql_seq(tombstone.seq)?))?;
        self.set_meta_text("tombstone_head", &tombstone.head.to_hex())?;
        self.set_meta_int("tombstone_at_ms", Some(tombstone.cleaned_at_ms))
    }
}

fn sql_seq(seq: u64) -> Result<i64, String> {
    i64::try_from(seq).map_err(|_| "seq out of range".to_string())
}
