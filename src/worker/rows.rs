//! Journal entries as SQL rows, both ways: the `journal` columns of DO SQLite and D1 (the same
//! columns and order, `migrations/0001_*.sql`). Every row conversion of the worker is here, so
//! one codec can replace them.

use worker::wasm_bindgen::JsValue;
use worker::SqlStorageValue;

use crate::journal::{Entry, EntryKind, Hash, Verdict};

/// The journal columns, in the order every query selects and binds them.
pub(super) const JOURNAL_COLUMNS: &str =
    "game_id, seq, at_ms, day, kind, actor, type, payload, verdict, facts, engine, v, prev_hash, hash";

/// `INSERT` of one journal row (`OR IGNORE` on D1, where a retried batch may repeat it).
pub(super) fn insert_journal(or_ignore: bool) -> String {
    let verb = if or_ignore {
        "INSERT OR IGNORE"
    } else {
        "INSERT"
    };
    format!(
        "{verb} INTO journal ({JOURNAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
}

pub(super) fn sql_int(n: u64) -> Result<SqlStorageValue, String> {
    let n = i64::try_from(n).map_err(|_| "integer out of range".to_string())?;
    SqlStorageValue::try_from_i64(n).map_err(|e| e.to_string())
}

/// An entry's values for DO SQLite, in [`JOURNAL_COLUMNS`] order.
pub(super) fn entry_values(e: &Entry) -> Result<Vec<SqlStorageValue>, String> {
    Ok(vec![
        e.game_id.as_str().into(),
        sql_int(e.seq)?,
        SqlStorageValue::try_from_i64(e.at_ms).map_err(|e| e.to_string())?,
        i64::from(e.day).into(),
        e.kind.as_str().into(),
        e.actor.as_str().into(),
        e.typ.as_str().into(),
        e.payload.as_str().into(),
        e.verdict.to_wire().into(),
        e.facts.as_str().into(),
        e.engine.as_str().into(),
        i64::from(e.v).into(),
        e.prev_hash.to_hex().into(),
        e.hash.to_hex().into(),
    ])
}

/// An entry's values for D1, in [`JOURNAL_COLUMNS`] order.
pub(super) fn entry_js_values(e: &Entry) -> [JsValue; 14] {
    [
        JsValue::from_str(&e.game_id),
        JsValue::from_f64(e.seq as f64),
        JsValue::from_f64(e.at_ms as f64),
        JsValue::from_f64(f64::from(e.day)),
        JsValue::from_str(e.kind.as_str()),
        JsValue::from_str(&e.actor),
        JsValue::from_str(&e.typ),
        JsValue::from_str(&e.payload),
        JsValue::from_str(&e.verdict.to_wire()),
        JsValue::from_str(&e.facts),
        JsValue::from_str(&e.engine),
        JsValue::from_f64(f64::from(e.v)),
        JsValue::from_str(&e.prev_hash.to_hex()),
        JsValue::from_str(&e.hash.to_hex()),
    ]
}

pub(super) fn as_u64(v: &SqlStorageValue) -> Option<u64> {
    match v {
        SqlStorageValue::Integer(i) => u64::try_from(*i).ok(),
        SqlStorageValue::Float(f)
            if f.fract() == 0.0 && *f >= 0.0 && *f < 9.007_199_254_740_992e15 =>
        {
            Some(*f as u64)
        }
        _ => None,
    }
}

pub(super) fn as_i64(v: &SqlStorageValue) -> Option<i64> {
    match v {
        SqlStorageValue::Integer(i) => Some(*i),
        SqlStorageValue::Float(f) if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 => {
            Some(*f as i64)
        }
        _ => None,
    }
}

pub(super) fn as_str(v: &SqlStorageValue) -> Option<&str> {
    match v {
        SqlStorageValue::String(s) => Some(s),
        _ => None,
    }
}

/// Rebuilds an [`Entry`] from a row selected with [`JOURNAL_COLUMNS`].
pub(super) fn entry_from_row(row: &[SqlStorageValue]) -> Result<Entry, String> {
    let col = |i: usize, name: &str| row.get(i).ok_or_else(|| format!("missing column {name}"));
    let text = |i: usize, name: &str| {
        col(i, name).and_then(|v| {
            as_str(v)
                .map(str::to_string)
                .ok_or_else(|| format!("{name} is not text"))
        })
    };
    let uint = |i: usize, name: &str| {
        col(i, name).and_then(|v| as_u64(v).ok_or_else(|| format!("{name} is not an integer")))
    };
    let hash = |i: usize, name: &str| {
        text(i, name)
            .and_then(|s| Hash::from_hex(&s).ok_or_else(|| format!("{name} is not a 64-hex hash")))
    };
    let kind = text(4, "kind")?;
    let verdict = text(8, "verdict")?;
    Ok(Entry {
        game_id: text(0, "game_id")?,
        seq: uint(1, "seq")?,
        at_ms: col(2, "at_ms")
            .and_then(|v| as_i64(v).ok_or_else(|| "at_ms is not an integer".to_string()))?,
        day: u32::try_from(uint(3, "day")?).map_err(|_| "day out of range".to_string())?,
        kind: EntryKind::parse(&kind).ok_or_else(|| format!("unknown kind {kind}"))?,
        actor: text(5, "actor")?,
        typ: text(6, "type")?,
        payload: text(7, "payload")?,
        verdict: Verdict::parse(&verdict).ok_or_else(|| format!("bad verdict {verdict}"))?,
        facts: text(9, "facts")?,
        engine: text(10, "engine")?,
        v: u32::try_from(uint(11, "v")?).map_err(|_| "v out of range".to_string())?,
        prev_hash: hash(12, "prev_hash")?,
        hash: hash(13, "hash")?,
    })
}
