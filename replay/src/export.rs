//! Writing a journal in the three forms the tool reads: a D1-schema SQLite file, a `wrangler d1
//! export`-style SQL dump, and JSON lines. Used by the tests and the fixture generator.

use crate::source::JOURNAL_SCHEMA;
use pecking_order::journal::row::{self, Column, RowError, Value};
use pecking_order::journal::Entry;
use rusqlite::{params_from_iter, Connection};
use std::io::Write;
use std::path::Path;

/// Creates (or appends to) a SQLite file with the D1 journal table and inserts `entries`.
pub fn write_sqlite(path: &Path, entries: &[Entry]) -> rusqlite::Result<()> {
    let mut conn = Connection::open(path)?;
    conn.execute_batch(JOURNAL_SCHEMA)?;
    let tx = conn.transaction()?;
    {
        let mut st = tx.prepare(&format!(
            "INSERT INTO journal ({}) VALUES ({})",
            row::COLUMNS,
            row::PLACEHOLDERS
        ))?;
        for e in entries {
            let values = row::values(e)
                .map_err(|err| rusqlite::Error::ToSqlConversionFailure(Box::new(err)))?;
            st.execute(params_from_iter(values.iter()))?;
        }
    }
    tx.commit()
}

fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The SQL text `wrangler d1 export` produces for a journal table: a pragma, the table, one
/// INSERT per row.
pub fn sql_dump(entries: &[Entry]) -> Result<String, RowError> {
    let mut out = String::from("PRAGMA defer_foreign_keys=TRUE;\n");
    out.push_str(JOURNAL_SCHEMA);
    out.push('\n');
    let columns: Vec<String> = Column::ALL
        .iter()
        .map(|c| format!("\"{}\"", c.name()))
        .collect();
    let columns = columns.join(",");
    for e in entries {
        let values: Vec<String> = row::values(e)?
            .iter()
            .map(|v| match v {
                Value::Integer(i) => i.to_string(),
                Value::Text(s) => sql_text(s),
            })
            .collect();
        out.push_str(&format!(
            "INSERT INTO \"journal\" ({columns}) VALUES({});\n",
            values.join(",")
        ));
    }
    Ok(out)
}

pub fn write_sql_dump(path: &Path, entries: &[Entry]) -> std::io::Result<()> {
    std::fs::write(path, sql_dump(entries).map_err(std::io::Error::other)?)
}

/// One serde_json [`Entry`] per line, as `GET …/journal` returns them.
pub fn write_json_lines(path: &Path, entries: &[Entry]) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    for e in entries {
        serde_json::to_writer(&mut f, e)?;
        f.write_all(b"\n")?;
    }
    f.flush()
}
