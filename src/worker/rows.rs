//! Journal entries as SQL rows, both ways, for DO SQLite (and D1's reads): thin adapters over the one
//! journal-row codec (`journal::row`, docs/journal-format.md), plus the small integer and text
//! readers the other DO tables need.

use worker::SqlStorageValue;

use crate::journal::row::{self, ValueRef, COLUMNS, PLACEHOLDERS};
use crate::journal::Entry;

/// The journal columns, in the order every query selects and binds them.
pub(super) const JOURNAL_COLUMNS: &str = COLUMNS;

/// `INSERT` of one journal row into DO SQLite (D1's statements are `room::host::d1rows`').
pub(super) fn insert_journal() -> String {
    format!("INSERT INTO journal ({COLUMNS}) VALUES ({PLACEHOLDERS})")
}

pub(super) fn sql_int(n: u64) -> Result<SqlStorageValue, String> {
    let n = i64::try_from(n).map_err(|_| "integer out of range".to_string())?;
    SqlStorageValue::try_from_i64(n).map_err(|e| e.to_string())
}

/// An entry's values for DO SQLite, in [`JOURNAL_COLUMNS`] order.
pub(super) fn entry_values(e: &Entry) -> Result<Vec<SqlStorageValue>, String> {
    let values = row::values(e).map_err(|e| e.to_string())?;
    Ok(values.into_iter().map(SqlStorageValue::from).collect())
}

pub(super) fn as_u64(v: &SqlStorageValue) -> Option<u64> {
    as_i64(v).and_then(|i| u64::try_from(i).ok())
}

pub(super) fn as_i64(v: &SqlStorageValue) -> Option<i64> {
    ValueRef::from(v).as_exact_i64()
}

pub(super) fn as_str(v: &SqlStorageValue) -> Option<&str> {
    match v {
        SqlStorageValue::String(s) => Some(s),
        _ => None,
    }
}

/// Rebuilds an [`Entry`] from a row selected with [`JOURNAL_COLUMNS`].
pub(super) fn entry_from_row(cells: &[SqlStorageValue]) -> Result<Entry, String> {
    let cells: Vec<ValueRef<'_>> = cells.iter().map(ValueRef::from).collect();
    row::decode(&cells).map_err(|e| e.to_string())
}
