//! Writing a journal in the three forms the tool reads: a D1-schema SQLite file, a `wrangler d1
//! export`-style SQL dump, and JSON lines. Used by the tests and the fixture generator.

use crate::source::JOURNAL_SCHEMA;
use pecking_order::journal::Entry;
use rusqlite::{params, Connection};
use std::io::Write;
use std::path::Path;

/// Creates (or appends to) a SQLite file with the D1 journal table and inserts `entries`.
pub fn write_sqlite(path: &Path, entries: &[Entry]) -> rusqlite::Result<()> {
    let mut conn = Connection::open(path)?;
    conn.execute_batch(JOURNAL_SCHEMA)?;
    let tx = conn.transaction()?;
    {
        let mut st = tx.prepare(
            "INSERT INTO journal (game_id, seq, at_ms, day, kind, actor, type, payload, verdict, \
             facts, engine, v, prev_hash, hash) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?;
        for e in entries {
            st.execute(params![
                e.game_id,
                e.seq as i64,
                e.at_ms,
                e.day,
                e.kind.as_str(),
                e.actor,
                e.typ,
                e.payload,
                e.verdict.to_wire(),
                e.facts,
                e.engine,
                e.v,
                e.prev_hash.to_hex(),
                e.hash.to_hex(),
            ])?;
        }
    }
    tx.commit()
}

fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The SQL text `wrangler d1 export` produces for a journal table: a pragma, the table, one
/// INSERT per row.
pub fn sql_dump(entries: &[Entry]) -> String {
    let mut out = String::from("PRAGMA defer_foreign_keys=TRUE;\n");
    out.push_str(JOURNAL_SCHEMA);
    out.push('\n');
    for e in entries {
        out.push_str(&format!(
            "INSERT INTO \"journal\" (\"game_id\",\"seq\",\"at_ms\",\"day\",\"kind\",\"actor\",\"type\",\"payload\",\"verdict\",\"facts\",\"engine\",\"v\",\"prev_hash\",\"hash\") VALUES({},{},{},{},{},{},{},{},{},{},{},{},{},{});\n",
            sql_text(&e.game_id),
            e.seq,
            e.at_ms,
            e.day,
            sql_text(e.kind.as_str()),
            sql_text(&e.actor),
            sql_text(&e.typ),
            sql_text(&e.payload),
            sql_text(&e.verdict.to_wire()),
            sql_text(&e.facts),
            sql_text(&e.engine),
            e.v,
            sql_text(&e.prev_hash.to_hex()),
            sql_text(&e.hash.to_hex()),
        ));
    }
    out
}

pub fn write_sql_dump(path: &Path, entries: &[Entry]) -> std::io::Result<()> {
    std::fs::write(path, sql_dump(entries))
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
