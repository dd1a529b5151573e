//! The journal row: the one codec between an [`Entry`] and the columns of the `journal` table
//! (D1's `migrations/0001_journal.sql`, the Durable Object's own table, a `wrangler d1 export`
//! dump, the JSON lines of `GET …/journal`). The columns and their types are specified in
//! `docs/journal-format.md` §1.
//!
//! - [`COLUMNS`]: the column list for SQL text, in the order every query selects and binds.
//! - [`values`]: an entry as the values to bind, in that order ([`Value`]: integer or text).
//! - [`decode`] / [`decode_with`]: a row back into an entry, every column checked, or a
//!   [`RowError`] naming the bad column. An INTEGER column that arrives as a floating-point
//!   number (a JavaScript number: D1 results, JSON) is accepted when it is an exact integer within
//!   ±(2^53 − 1), and refused otherwise.
//!
//! On wasm32 the worker's types convert directly: `SqlStorageValue` (DO SQLite) to and from
//! [`ValueRef`] / [`Value`], and [`Value`] to `JsValue` (D1 bindings). With the `sqlite` feature
//! (native tools and tests), `rusqlite`'s types do.

use super::{Entry, EntryKind, Hash, Verdict};
use crate::limits::JS_MAX_SAFE_INTEGER;
use std::borrow::Cow;
use std::fmt;
use thiserror::Error;

/// The journal columns, comma-separated, in the order every query selects and binds them (the
/// order of [`Column::ALL`]; a compile-time check keeps the two equal).
pub const COLUMNS: &str =
    "game_id, seq, at_ms, day, kind, actor, type, payload, verdict, facts, engine, v, prev_hash, hash";

/// One `?` per column, for `INSERT INTO journal (COLUMNS) VALUES (PLACEHOLDERS)`.
pub const PLACEHOLDERS: &str = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

/// Number of journal columns.
pub const COLUMN_COUNT: usize = Column::ALL.len();

/// One column of the journal row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    GameId,
    Seq,
    AtMs,
    Day,
    Kind,
    Actor,
    Type,
    Payload,
    Verdict,
    Facts,
    Engine,
    V,
    PrevHash,
    Hash,
}

impl Column {
    /// Every column, in [`COLUMNS`] order.
    pub const ALL: [Column; 14] = [
        Column::GameId,
        Column::Seq,
        Column::AtMs,
        Column::Day,
        Column::Kind,
        Column::Actor,
        Column::Type,
        Column::Payload,
        Column::Verdict,
        Column::Facts,
        Column::Engine,
        Column::V,
        Column::PrevHash,
        Column::Hash,
    ];

    /// The SQL column name (also the JSON field name of a JSON-lines row).
    pub const fn name(self) -> &'static str {
        match self {
            Column::GameId => "game_id",
            Column::Seq => "seq",
            Column::AtMs => "at_ms",
            Column::Day => "day",
            Column::Kind => "kind",
            Column::Actor => "actor",
            Column::Type => "type",
            Column::Payload => "payload",
            Column::Verdict => "verdict",
            Column::Facts => "facts",
            Column::Engine => "engine",
            Column::V => "v",
            Column::PrevHash => "prev_hash",
            Column::Hash => "hash",
        }
    }

    /// Position in a row selected with [`COLUMNS`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether `list` is exactly the names of [`Column::ALL`] joined with `", "`, and `placeholders`
/// one `?` per column joined the same way.
const fn spelled_in_order(list: &str, placeholders: &str) -> bool {
    let (list, marks) = (list.as_bytes(), placeholders.as_bytes());
    let (mut at, mut c) = (0, 0);
    while c < Column::ALL.len() {
        if c > 0 {
            if at + 2 > list.len() || list[at] != b',' || list[at + 1] != b' ' {
                return false;
            }
            at += 2;
        }
        let name = Column::ALL[c].name().as_bytes();
        let mut i = 0;
        while i < name.len() {
            if at >= list.len() || list[at] != name[i] {
                return false;
            }
            at += 1;
            i += 1;
        }
        let m = 3 * c;
        if m >= marks.len()
            || marks[m] != b'?'
            || (c > 0 && (marks[m - 2] != b',' || marks[m - 1] != b' '))
        {
            return false;
        }
        c += 1;
    }
    at == list.len() && marks.len() == 3 * Column::ALL.len() - 2
}

const _: () = assert!(spelled_in_order(COLUMNS, PLACEHOLDERS));
const _: () = {
    let mut c = 0;
    while c < Column::ALL.len() {
        assert!(Column::ALL[c].index() == c);
        c += 1;
    }
};

/// A value to bind, as an INTEGER or TEXT column takes it. Text borrows from the entry where it
/// can (the hashes and the verdict are formatted).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    /// Always within ±[`JS_MAX_SAFE_INTEGER`], so a JavaScript number (a D1 binding) carries it
    /// exactly.
    Integer(i64),
    Text(Cow<'a, str>),
}

/// A column value as read, typed the way its source typed it (SQLite's storage classes; JSON and
/// DO SQLite add booleans). Text is bytes: whether it is UTF-8 is checked by the decoder.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a [u8]),
    Blob(&'a [u8]),
    Boolean(bool),
    /// A value of a kind no journal column holds (a JSON array or object), named for the error.
    Other(&'static str),
}

impl ValueRef<'_> {
    /// What this value is, for an error message ("an integer", "text", "NULL" …).
    pub fn type_name(&self) -> &'static str {
        match self {
            ValueRef::Null => "NULL",
            ValueRef::Integer(_) => "an integer",
            ValueRef::Real(_) => "a real number",
            ValueRef::Text(_) => "text",
            ValueRef::Blob(_) => "a blob",
            ValueRef::Boolean(_) => "a boolean",
            ValueRef::Other(what) => what,
        }
    }

    /// The integer this value holds: an INTEGER, or a REAL that is an exact integer within
    /// ±[`JS_MAX_SAFE_INTEGER`] (beyond that a JavaScript number no longer tells neighbouring
    /// integers apart). `None` for anything else.
    pub fn as_exact_i64(&self) -> Option<i64> {
        match *self {
            ValueRef::Integer(i) => Some(i),
            ValueRef::Real(f) if f.fract() == 0.0 && f.abs() <= JS_MAX_SAFE_INTEGER as f64 => {
                Some(f as i64)
            }
            _ => None,
        }
    }
}

/// Why a row does not decode (or an entry cannot be written as one). Every variant names the
/// column; the messages read `column <name>: …`.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum RowError {
    #[error("column {column}: missing")]
    Missing { column: Column },
    #[error("column {column}: expected {expected}, found {found}")]
    WrongType {
        column: Column,
        expected: &'static str,
        found: &'static str,
    },
    #[error("column {column}: {value} is not an exact integer")]
    Inexact { column: Column, value: f64 },
    #[error("column {column}: {value} is out of range ({min} to {max})")]
    OutOfRange {
        column: Column,
        value: i128,
        min: i64,
        max: i64,
    },
    #[error("column {column}: text is not valid UTF-8")]
    NotUtf8 { column: Column },
    /// Text that does not parse as the column's type (kind, verdict, a hash).
    #[error("column {column}: expected {expected}, found {found:?}")]
    Unparsable {
        column: Column,
        expected: &'static str,
        /// The text found, cut to its first 80 characters.
        found: String,
    },
}

impl RowError {
    /// The column at fault.
    pub fn column(&self) -> Column {
        match self {
            RowError::Missing { column }
            | RowError::WrongType { column, .. }
            | RowError::Inexact { column, .. }
            | RowError::OutOfRange { column, .. }
            | RowError::NotUtf8 { column }
            | RowError::Unparsable { column, .. } => *column,
        }
    }
}

/// An integer column's value, checked against the range `[min, max]`.
fn integer(column: Column, value: i128, min: i64, max: i64) -> Result<i64, RowError> {
    if value < i128::from(min) || value > i128::from(max) {
        return Err(RowError::OutOfRange {
            column,
            value,
            min,
            max,
        });
    }
    Ok(value as i64)
}

/// `entry` as the values to bind, in [`COLUMNS`] order. Refuses an integer a JavaScript number
/// could not carry exactly (beyond ±[`JS_MAX_SAFE_INTEGER`]): D1 binds through JavaScript, and a
/// row must read back as the entry that was written.
pub fn values(e: &Entry) -> Result<[Value<'_>; COLUMN_COUNT], RowError> {
    let max = JS_MAX_SAFE_INTEGER;
    fn text(s: &str) -> Value<'_> {
        Value::Text(Cow::Borrowed(s))
    }
    fn owned(s: String) -> Value<'static> {
        Value::Text(Cow::Owned(s))
    }
    Ok([
        text(&e.game_id),
        Value::Integer(integer(Column::Seq, i128::from(e.seq), 1, max)?),
        Value::Integer(integer(Column::AtMs, i128::from(e.at_ms), -max, max)?),
        Value::Integer(i64::from(e.day)),
        text(e.kind.as_str()),
        text(&e.actor),
        text(&e.typ),
        text(&e.payload),
        owned(e.verdict.to_wire()),
        text(&e.facts),
        text(&e.engine),
        Value::Integer(i64::from(e.v)),
        owned(e.prev_hash.to_hex()),
        owned(e.hash.to_hex()),
    ])
}

/// Decodes a row selected with [`COLUMNS`] (one value per column, in that order).
pub fn decode(row: &[ValueRef<'_>]) -> Result<Entry, RowError> {
    decode_with(|c| row.get(c.index()).copied())
}

/// Decodes a row whose columns are looked up by `cell` (`None`: the column is absent). An absent
/// `v` is version 0, as for a JSON-lines row written before the column existed
/// (`docs/schema-evolution.md`); every other column is required, and a NULL is never accepted.
pub fn decode_with<'a>(
    mut cell: impl FnMut(Column) -> Option<ValueRef<'a>>,
) -> Result<Entry, RowError> {
    let mut get = |column: Column| cell(column).ok_or(RowError::Missing { column });
    let text = |column: Column, v: ValueRef<'a>| -> Result<&'a str, RowError> {
        match v {
            ValueRef::Text(t) => std::str::from_utf8(t).map_err(|_| RowError::NotUtf8 { column }),
            other => Err(RowError::WrongType {
                column,
                expected: "text",
                found: other.type_name(),
            }),
        }
    };
    let int = |column: Column, v: ValueRef<'a>, min: i64, max: i64| -> Result<i64, RowError> {
        match (v, v.as_exact_i64()) {
            (_, Some(i)) => integer(column, i128::from(i), min, max),
            (ValueRef::Real(value), None) => Err(RowError::Inexact { column, value }),
            (other, None) => Err(RowError::WrongType {
                column,
                expected: "an integer",
                found: other.type_name(),
            }),
        }
    };
    let unparsable = |column: Column, expected: &'static str, s: &str| RowError::Unparsable {
        column,
        expected,
        found: s.chars().take(80).collect(),
    };
    let hash = |column: Column, v: ValueRef<'a>| -> Result<Hash, RowError> {
        let s = text(column, v)?;
        Hash::from_hex(s).ok_or_else(|| unparsable(column, "64 hex characters", s))
    };
    let u32_max = i64::from(u32::MAX);

    let game_id = text(Column::GameId, get(Column::GameId)?)?.to_owned();
    let seq = int(Column::Seq, get(Column::Seq)?, 1, i64::MAX)? as u64;
    let at_ms = int(Column::AtMs, get(Column::AtMs)?, i64::MIN, i64::MAX)?;
    let day = int(Column::Day, get(Column::Day)?, 0, u32_max)? as u32;
    let kind_s = text(Column::Kind, get(Column::Kind)?)?;
    let kind = EntryKind::parse(kind_s)
        .ok_or_else(|| unparsable(Column::Kind, "ACTION, ALARM, SYSTEM or ADMIN", kind_s))?;
    let actor = text(Column::Actor, get(Column::Actor)?)?.to_owned();
    let typ = text(Column::Type, get(Column::Type)?)?.to_owned();
    let payload = text(Column::Payload, get(Column::Payload)?)?.to_owned();
    let verdict_s = text(Column::Verdict, get(Column::Verdict)?)?;
    let verdict = Verdict::parse(verdict_s)
        .ok_or_else(|| unparsable(Column::Verdict, "ACCEPTED or REJECTED:<code>", verdict_s))?;
    let facts = text(Column::Facts, get(Column::Facts)?)?.to_owned();
    let engine = text(Column::Engine, get(Column::Engine)?)?.to_owned();
    let v = match get(Column::V) {
        Err(RowError::Missing { .. }) => 0,
        found => int(Column::V, found?, 0, u32_max)? as u32,
    };
    Ok(Entry {
        game_id,
        seq,
        at_ms,
        day,
        kind,
        actor,
        typ,
        payload,
        verdict,
        facts,
        engine,
        v,
        prev_hash: hash(Column::PrevHash, get(Column::PrevHash)?)?,
        hash: hash(Column::Hash, get(Column::Hash)?)?,
    })
}

/// A JSON value as a column value (JSON lines, D1 results as JSON).
impl<'a> From<&'a serde_json::Value> for ValueRef<'a> {
    fn from(v: &'a serde_json::Value) -> Self {
        use serde_json::Value as J;
        match v {
            J::Null => ValueRef::Null,
            J::Bool(b) => ValueRef::Boolean(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => ValueRef::Integer(i),
                None => ValueRef::Real(n.as_f64().unwrap_or(f64::NAN)),
            },
            J::String(s) => ValueRef::Text(s.as_bytes()),
            J::Array(_) => ValueRef::Other("an array"),
            J::Object(_) => ValueRef::Other("an object"),
        }
    }
}

/// Decodes one JSON object whose fields are named like the columns (a line of `GET …/journal`).
pub fn decode_json(object: &serde_json::Map<String, serde_json::Value>) -> Result<Entry, RowError> {
    decode_with(|c| object.get(c.name()).map(ValueRef::from))
}

#[cfg(target_arch = "wasm32")]
mod worker_types {
    use super::{Value, ValueRef};
    use wasm_bindgen::JsValue;
    use worker::SqlStorageValue;

    impl<'a> From<&'a SqlStorageValue> for ValueRef<'a> {
        fn from(v: &'a SqlStorageValue) -> Self {
            match v {
                SqlStorageValue::Null => ValueRef::Null,
                SqlStorageValue::Boolean(b) => ValueRef::Boolean(*b),
                SqlStorageValue::Integer(i) => ValueRef::Integer(*i),
                SqlStorageValue::Float(f) => ValueRef::Real(*f),
                SqlStorageValue::String(s) => ValueRef::Text(s.as_bytes()),
                SqlStorageValue::Blob(b) => ValueRef::Blob(b),
            }
        }
    }

    /// For DO SQLite bindings (`sql.exec(query, values)`).
    impl From<Value<'_>> for SqlStorageValue {
        fn from(v: Value<'_>) -> Self {
            match v {
                Value::Integer(i) => SqlStorageValue::Integer(i),
                Value::Text(s) => SqlStorageValue::String(s.into_owned()),
            }
        }
    }

    /// For D1 bindings (`prepare(…).bind(&values)`): integers are exact as JavaScript numbers.
    impl From<&Value<'_>> for JsValue {
        fn from(v: &Value<'_>) -> Self {
            match v {
                Value::Integer(i) => JsValue::from_f64(*i as f64),
                Value::Text(s) => JsValue::from_str(s),
            }
        }
    }
}

#[cfg(feature = "sqlite")]
mod sqlite_types {
    use super::{Value, ValueRef};
    use rusqlite::types::{ToSql, ToSqlOutput, ValueRef as SqlRef};

    impl<'a> From<SqlRef<'a>> for ValueRef<'a> {
        fn from(v: SqlRef<'a>) -> Self {
            match v {
                SqlRef::Null => ValueRef::Null,
                SqlRef::Integer(i) => ValueRef::Integer(i),
                SqlRef::Real(f) => ValueRef::Real(f),
                SqlRef::Text(t) => ValueRef::Text(t),
                SqlRef::Blob(b) => ValueRef::Blob(b),
            }
        }
    }

    impl ToSql for Value<'_> {
        fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
            Ok(match self {
                Value::Integer(i) => ToSqlOutput::Borrowed(SqlRef::Integer(*i)),
                Value::Text(s) => ToSqlOutput::Borrowed(SqlRef::Text(s.as_bytes())),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{self, SimConfig};

    fn entries() -> Vec<Entry> {
        sim::play(&SimConfig {
            game_id: "row-game".into(),
            players: 4,
            days: 1,
            actions_per_step: 2,
            script_seed: 3,
            game_seed: [1; 32],
            rules_version: crate::engine::RULES_VERSION,
        })
        .1
    }

    fn as_ref<'a>(v: &'a Value<'_>) -> ValueRef<'a> {
        match v {
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
        }
    }

    fn row_of(e: &Entry) -> Vec<Value<'_>> {
        values(e).expect("encodable").to_vec()
    }

    #[test]
    fn the_column_list_names_every_column_in_order() {
        let names: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(names.join(", "), COLUMNS);
        assert_eq!(PLACEHOLDERS.matches('?').count(), COLUMN_COUNT);
        assert!(!spelled_in_order("game_id, seq", PLACEHOLDERS));
        assert!(!spelled_in_order(COLUMNS, "?, ?"));
    }

    #[test]
    fn every_entry_round_trips_through_its_row() {
        let entries = entries();
        assert!(entries.iter().any(|e| !e.verdict.is_accepted()));
        for e in &entries {
            let row = row_of(e);
            let cells: Vec<ValueRef> = row.iter().map(as_ref).collect();
            assert_eq!(&decode(&cells).unwrap(), e);
            // And through its JSON lines form.
            let json = serde_json::to_value(e).unwrap();
            assert_eq!(&decode_json(json.as_object().unwrap()).unwrap(), e);
        }
    }

    #[test]
    fn integers_as_exact_floats_are_accepted_inexact_ones_refused() {
        let e = &entries()[1];
        let row = row_of(e);
        let mut cells: Vec<ValueRef> = row.iter().map(as_ref).collect();
        cells[Column::Seq.index()] = ValueRef::Real(e.seq as f64);
        cells[Column::AtMs.index()] = ValueRef::Real(e.at_ms as f64);
        cells[Column::Day.index()] = ValueRef::Real(f64::from(e.day));
        cells[Column::V.index()] = ValueRef::Real(f64::from(e.v));
        assert_eq!(&decode(&cells).unwrap(), e);

        cells[Column::AtMs.index()] = ValueRef::Real(e.at_ms as f64 + 0.5);
        assert_eq!(
            decode(&cells),
            Err(RowError::Inexact {
                column: Column::AtMs,
                value: e.at_ms as f64 + 0.5
            })
        );
        // Beyond 2^53 a float no longer names one integer.
        cells[Column::AtMs.index()] = ValueRef::Real(2f64.powi(60));
        assert_eq!(decode(&cells).unwrap_err().column(), Column::AtMs);
        cells[Column::AtMs.index()] = ValueRef::Real(f64::NAN);
        assert_eq!(decode(&cells).unwrap_err().column(), Column::AtMs);
    }

    #[test]
    fn errors_name_the_bad_column() {
        let e = &entries()[0];
        let row = row_of(e);
        let base: Vec<ValueRef> = row.iter().map(as_ref).collect();
        let with = |c: Column, v: ValueRef<'static>| {
            let mut cells = base.clone();
            cells[c.index()] = v;
            decode(&cells).unwrap_err()
        };
        assert_eq!(
            with(Column::AtMs, ValueRef::Text(b"noon")).to_string(),
            "column at_ms: expected an integer, found text"
        );
        assert_eq!(
            with(Column::Payload, ValueRef::Null).to_string(),
            "column payload: expected text, found NULL"
        );
        assert_eq!(
            with(Column::Verdict, ValueRef::Text(b"OK")).to_string(),
            "column verdict: expected ACCEPTED or REJECTED:<code>, found \"OK\""
        );
        assert_eq!(
            with(Column::Kind, ValueRef::Text(b"PLAYER")).to_string(),
            "column kind: expected ACTION, ALARM, SYSTEM or ADMIN, found \"PLAYER\""
        );
        assert_eq!(
            with(Column::PrevHash, ValueRef::Text(b"xyz")).to_string(),
            "column prev_hash: expected 64 hex characters, found \"xyz\""
        );
        assert_eq!(
            with(Column::Seq, ValueRef::Integer(0)).to_string(),
            format!("column seq: 0 is out of range (1 to {})", i64::MAX)
        );
        assert_eq!(
            with(Column::Day, ValueRef::Integer(-1)).column(),
            Column::Day
        );
        assert_eq!(
            with(Column::Actor, ValueRef::Text(&[0xff, 0xfe])),
            RowError::NotUtf8 {
                column: Column::Actor
            }
        );
        assert_eq!(
            with(Column::Hash, ValueRef::Blob(b"x")).to_string(),
            "column hash: expected text, found a blob"
        );
        assert_eq!(
            decode(&base[..13]),
            Err(RowError::Missing {
                column: Column::Hash
            })
        );
    }

    #[test]
    fn a_row_without_v_is_version_0() {
        let e = &entries()[0];
        let mut json = serde_json::to_value(e).unwrap();
        let o = json.as_object_mut().unwrap();
        o.remove("v");
        assert_eq!(decode_json(o).unwrap().v, 0);
        o.insert("v".into(), serde_json::Value::Null);
        assert_eq!(
            decode_json(o),
            Err(RowError::WrongType {
                column: Column::V,
                expected: "an integer",
                found: "NULL"
            })
        );
        o.insert("v".into(), serde_json::json!([1]));
        assert_eq!(
            decode_json(o).unwrap_err().to_string(),
            "column v: expected an integer, found an array"
        );
    }

    #[test]
    fn integers_a_javascript_number_cannot_carry_are_not_written() {
        let mut e = entries()[0].clone();
        e.at_ms = JS_MAX_SAFE_INTEGER + 1;
        assert_eq!(values(&e).unwrap_err().column(), Column::AtMs);
        e.at_ms = -JS_MAX_SAFE_INTEGER;
        assert!(values(&e).is_ok());
        e.seq = 1 << 53;
        assert_eq!(values(&e).unwrap_err().column(), Column::Seq);
        e.seq = 0;
        assert_eq!(values(&e).unwrap_err().column(), Column::Seq);
    }
}
