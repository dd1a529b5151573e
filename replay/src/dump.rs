//! Reading a `wrangler d1 export` SQL dump without running it (docs/security.md, "Auditor").
//!
//! An audit tool's input is untrusted: a crafted "export" executed by SQLite could `ATTACH
//! DATABASE` a file anywhere, or hang the tool with a heavy query. So the dump is only tokenized:
//! SQLite's literals (strings with `''`, numbers with an optional sign, `NULL`, `X'…'` blobs),
//! identifiers (bare, `"…"`, `` `…` ``, `[…]`) and comments. The statements a D1 export holds
//! are recognised — `PRAGMA`, `BEGIN`/`COMMIT`/`END`, `CREATE …` (a `CREATE TABLE journal`
//! gives the column order), `INSERT [OR …] INTO name [(columns)] VALUES (…), …` (only the
//! journal's rows are kept) — and any other statement (`ATTACH`, `SELECT`, `UPDATE`, `DELETE`,
//! `DROP`, …) refuses the whole dump. Nothing is ever executed.

use std::fmt;

/// One literal value of an INSERT.
#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// What the dump says about the journal table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dump {
    /// The tables the dump creates or inserts into, in order of appearance.
    pub tables: Vec<String>,
    /// The journal's columns from its `CREATE TABLE`, when the dump has one.
    pub journal_columns: Option<Vec<String>>,
    /// The column lists of the journal's INSERT statements (usually one, shared by every row).
    pub columns: Vec<Vec<String>>,
    /// Each journal row, in dump order.
    pub rows: Vec<Row>,
}

/// One row of an INSERT into the journal: its values, in the order of `Dump::columns[cols]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub cols: usize,
    pub values: Vec<Lit>,
}

impl Dump {
    /// The value of the column named `column` (ASCII case-insensitive) in `row`.
    pub fn value<'a>(&'a self, row: &'a Row, column: &str) -> Option<&'a Lit> {
        let names = self.columns.get(row.cols)?;
        let k = names.iter().position(|n| n.eq_ignore_ascii_case(column))?;
        row.values.get(k)
    }
}

/// Why a dump was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DumpError(pub String);

impl fmt::Display for DumpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// A bare word (keyword or identifier), as written.
    Word(String),
    /// A quoted identifier.
    Ident(String),
    Str(String),
    Blob(Vec<u8>),
    Int(i64),
    Real(f64),
    Punct(char),
}

fn err<T>(msg: impl Into<String>) -> Result<T, DumpError> {
    Err(DumpError(msg.into()))
}

/// Splits `text` into tokens and hands each, with its line number, to `emit` as it is read (the
/// dump is never held as tokens whole).
fn tokenize(
    text: &str,
    mut emit: impl FnMut(Tok, usize) -> Result<(), DumpError>,
) -> Result<(), DumpError> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut line = 1;
    // The text between two delimiters, with a doubled closing delimiter standing for one.
    let quoted = |i: &mut usize, line: &mut usize, close: u8, doubled: bool| {
        let start_line = *line;
        let mut s = Vec::new();
        *i += 1;
        loop {
            match b.get(*i) {
                None => return err(format!("line {start_line}: unterminated quoted text")),
                Some(&c) if c == close => {
                    if doubled && b.get(*i + 1) == Some(&close) {
                        s.push(close);
                        *i += 2;
                    } else {
                        *i += 1;
                        break;
                    }
                }
                Some(&c) => {
                    if c == b'\n' {
                        *line += 1;
                    }
                    s.push(c);
                    *i += 1;
                }
            }
        }
        // `text` is UTF-8 and the delimiters are ASCII, so the bytes between them are too.
        Ok(String::from_utf8_lossy(&s).into_owned())
    };
    while i < b.len() {
        let c = b[i];
        let at = line;
        match c {
            b'\n' => {
                line += 1;
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                loop {
                    match b.get(i) {
                        None => return err(format!("line {at}: unterminated comment")),
                        Some(b'*') if b.get(i + 1) == Some(&b'/') => {
                            i += 2;
                            break;
                        }
                        Some(&c) => {
                            if c == b'\n' {
                                line += 1;
                            }
                            i += 1;
                        }
                    }
                }
            }
            b'\'' => emit(Tok::Str(quoted(&mut i, &mut line, b'\'', true)?), at)?,
            b'"' => emit(Tok::Ident(quoted(&mut i, &mut line, b'"', true)?), at)?,
            b'`' => emit(Tok::Ident(quoted(&mut i, &mut line, b'`', true)?), at)?,
            b'[' => emit(Tok::Ident(quoted(&mut i, &mut line, b']', false)?), at)?,
            b'x' | b'X' if b.get(i + 1) == Some(&b'\'') => {
                i += 1;
                let hex = quoted(&mut i, &mut line, b'\'', false)?;
                let bytes = decode_hex(&hex)
                    .ok_or_else(|| DumpError(format!("line {at}: malformed blob X'{hex}'")))?;
                emit(Tok::Blob(bytes), at)?;
            }
            c if c.is_ascii_digit()
                || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) =>
            {
                let start = i;
                let mut real = false;
                while i < b.len() {
                    let d = b[i];
                    if d.is_ascii_digit() {
                        i += 1;
                    } else if d == b'.' {
                        real = true;
                        i += 1;
                    } else if (d == b'e' || d == b'E')
                        && (b.get(i + 1).is_some_and(u8::is_ascii_digit)
                            || (matches!(b.get(i + 1), Some(b'+' | b'-'))
                                && b.get(i + 2).is_some_and(u8::is_ascii_digit)))
                    {
                        real = true;
                        i += 2;
                    } else {
                        break;
                    }
                }
                let s = &text[start..i];
                let tok = if real {
                    Tok::Real(
                        s.parse()
                            .map_err(|_| DumpError(format!("line {at}: malformed number {s}")))?,
                    )
                } else {
                    match s.parse::<i64>() {
                        Ok(n) => Tok::Int(n),
                        // SQLite reads an integer literal too large for 64 bits as a REAL.
                        Err(_) => {
                            Tok::Real(s.parse().map_err(|_| {
                                DumpError(format!("line {at}: malformed number {s}"))
                            })?)
                        }
                    }
                };
                emit(tok, at)?;
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                let start = i;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric()
                        || b[i] == b'_'
                        || b[i] == b'$'
                        || b[i] >= 0x80)
                {
                    i += 1;
                }
                emit(Tok::Word(text[start..i].to_string()), at)?;
            }
            _ => {
                // `text` is UTF-8: step over the whole character.
                let ch = text[i..].chars().next().unwrap_or('?');
                emit(Tok::Punct(ch), at)?;
                i += ch.len_utf8().max(1);
            }
        }
    }
    Ok(())
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

fn is_word(t: Option<&(Tok, usize)>, w: &str) -> bool {
    matches!(t, Some((Tok::Word(x), _)) if x.eq_ignore_ascii_case(w))
}

/// A table or column name: a bare word or a quoted identifier (or a string, which SQLite also
/// accepts there).
fn name(t: Option<&(Tok, usize)>) -> Option<String> {
    match t {
        Some((Tok::Word(w) | Tok::Ident(w) | Tok::Str(w), _)) => Some(w.clone()),
        _ => None,
    }
}

/// Reads the journal's rows out of a dump's text, running none of it. Statements are handled
/// one at a time as the tokenizer reaches their `;` (a `CREATE TRIGGER` runs to `END;`).
pub fn parse(text: &str) -> Result<Dump, DumpError> {
    let mut dump = Dump::default();
    let mut cur: Vec<(Tok, usize)> = Vec::new();
    tokenize(text, |tok, line| {
        if tok != Tok::Punct(';') {
            cur.push((tok, line));
            return Ok(());
        }
        let trigger = is_word(cur.first(), "CREATE")
            && cur.iter().take(4).any(|t| is_word(Some(t), "TRIGGER"));
        if trigger && !is_word(cur.last(), "END") {
            cur.push((tok, line));
            return Ok(());
        }
        if !cur.is_empty() {
            statement(&cur, &mut dump)?;
            cur.clear();
        }
        Ok(())
    })?;
    if !cur.is_empty() {
        statement(&cur, &mut dump)?;
    }
    Ok(dump)
}

fn note_table(dump: &mut Dump, t: &str) {
    if !dump.tables.iter().any(|x| x.eq_ignore_ascii_case(t)) {
        dump.tables.push(t.to_string());
    }
}

fn statement(st: &[(Tok, usize)], dump: &mut Dump) -> Result<(), DumpError> {
    let line = st.first().map_or(0, |t| t.1);
    let keyword = match st.first() {
        Some((Tok::Word(w), _)) => w.to_ascii_uppercase(),
        _ => {
            return err(format!(
                "line {line}: a statement must start with a keyword"
            ))
        }
    };
    match keyword.as_str() {
        "PRAGMA" | "BEGIN" | "COMMIT" | "END" => Ok(()),
        "CREATE" => {
            let mut i = 1;
            while is_word(st.get(i), "TEMP") || is_word(st.get(i), "TEMPORARY") {
                i += 1;
            }
            if !is_word(st.get(i), "TABLE") {
                return Ok(()); // an index, a view, a trigger: nothing the journal needs
            }
            i += 1;
            if is_word(st.get(i), "IF") {
                i += 3; // IF NOT EXISTS
            }
            let Some(table) = name(st.get(i)) else {
                return err(format!("line {line}: CREATE TABLE without a table name"));
            };
            note_table(dump, &table);
            if table.eq_ignore_ascii_case("journal") {
                dump.journal_columns = Some(table_columns(&st[i + 1..]));
            }
            Ok(())
        }
        "INSERT" | "REPLACE" => insert(st, line, dump),
        other => err(format!(
            "line {line}: {other} is not a statement of a D1 export; po-replay never runs a dump, it reads only its CREATE TABLE and INSERT INTO statements"
        )),
    }
}

/// The column names of `( col type …, col type …, PRIMARY KEY (…) )`.
fn table_columns(toks: &[(Tok, usize)]) -> Vec<String> {
    let mut cols = Vec::new();
    let mut depth = 0usize;
    let mut first = true;
    for t in toks {
        match &t.0 {
            Tok::Punct('(') => {
                depth += 1;
                if depth == 1 {
                    first = true;
                }
                continue;
            }
            Tok::Punct(')') => {
                depth = depth.saturating_sub(1);
                continue;
            }
            Tok::Punct(',') if depth == 1 => {
                first = true;
                continue;
            }
            _ => {}
        }
        if depth == 1 && first {
            first = false;
            if let Some(n) = name(Some(t)) {
                let constraint = ["PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "CONSTRAINT"]
                    .iter()
                    .any(|k| matches!(&t.0, Tok::Word(w) if w.eq_ignore_ascii_case(k)));
                if !constraint {
                    cols.push(n);
                }
            }
        }
    }
    cols
}

fn insert(st: &[(Tok, usize)], line: usize, dump: &mut Dump) -> Result<(), DumpError> {
    let malformed = |why: &str| DumpError(format!("line {line}: malformed INSERT: {why}"));
    let mut i = 1;
    if is_word(st.get(i), "OR") {
        i += 2;
    }
    if !is_word(st.get(i), "INTO") {
        return Err(malformed("expected INTO"));
    }
    i += 1;
    let table = name(st.get(i)).ok_or_else(|| malformed("expected a table name"))?;
    i += 1;
    note_table(dump, &table);
    let journal = table.eq_ignore_ascii_case("journal");
    let mut columns = None;
    if st.get(i).map(|t| &t.0) == Some(&Tok::Punct('(')) {
        let mut cols = Vec::new();
        i += 1;
        loop {
            cols.push(name(st.get(i)).ok_or_else(|| malformed("expected a column name"))?);
            i += 1;
            match st.get(i).map(|t| &t.0) {
                Some(Tok::Punct(',')) => i += 1,
                Some(Tok::Punct(')')) => {
                    i += 1;
                    break;
                }
                _ => return Err(malformed("expected , or ) in the column list")),
            }
        }
        columns = Some(cols);
    }
    if !is_word(st.get(i), "VALUES") {
        return Err(malformed(
            "expected VALUES (a dump holds literal rows only)",
        ));
    }
    i += 1;
    let columns = columns
        .or_else(|| dump.journal_columns.clone())
        .unwrap_or_else(|| {
            pecking_order::journal::row::Column::ALL
                .iter()
                .map(|c| c.name().to_string())
                .collect()
        });
    loop {
        if st.get(i).map(|t| &t.0) != Some(&Tok::Punct('(')) {
            return Err(malformed("expected ( before a row"));
        }
        i += 1;
        let mut values = Vec::new();
        loop {
            let (v, used) = literal(&st[i.min(st.len())..]).ok_or_else(|| {
                malformed("a value is not a literal (po-replay evaluates no SQL)")
            })?;
            values.push(v);
            i += used;
            match st.get(i).map(|t| &t.0) {
                Some(Tok::Punct(',')) => i += 1,
                Some(Tok::Punct(')')) => {
                    i += 1;
                    break;
                }
                _ => return Err(malformed("expected , or ) after a value")),
            }
        }
        if journal && values.len() != columns.len() {
            return Err(malformed(&format!(
                "{} values for {} columns",
                values.len(),
                columns.len()
            )));
        }
        if journal {
            let cols = match dump.columns.iter().rposition(|c| *c == columns) {
                Some(k) => k,
                None => {
                    dump.columns.push(columns.clone());
                    dump.columns.len() - 1
                }
            };
            dump.rows.push(Row { cols, values });
        }
        match st.get(i).map(|t| &t.0) {
            None => return Ok(()),
            Some(Tok::Punct(',')) => i += 1,
            Some(_) => return Err(malformed("unexpected text after the rows")),
        }
    }
}

/// A literal at the start of `toks` and how many tokens it took.
fn literal(toks: &[(Tok, usize)]) -> Option<(Lit, usize)> {
    let sign = match toks.first().map(|t| &t.0) {
        Some(Tok::Punct('-')) => Some(-1i32),
        Some(Tok::Punct('+')) => Some(1i32),
        _ => None,
    };
    if let Some(s) = sign {
        return match toks.get(1).map(|t| &t.0) {
            Some(Tok::Int(n)) => Some((
                n.checked_mul(i64::from(s))
                    .map_or(Lit::Real(*n as f64 * f64::from(s)), Lit::Integer),
                2,
            )),
            Some(Tok::Real(r)) => Some((Lit::Real(r * f64::from(s)), 2)),
            _ => None,
        };
    }
    let lit = match &toks.first()?.0 {
        Tok::Int(n) => Lit::Integer(*n),
        Tok::Real(r) => Lit::Real(*r),
        Tok::Str(s) => Lit::Text(s.clone()),
        Tok::Blob(b) => Lit::Blob(b.clone()),
        Tok::Word(w) if w.eq_ignore_ascii_case("NULL") => Lit::Null,
        _ => return None,
    };
    Some((lit, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_names_are_read_as_sqlite_writes_them() {
        let d = parse(
            "PRAGMA defer_foreign_keys=TRUE;\n-- a comment; with a semicolon\n\
             CREATE TABLE \"journal\" (b TEXT, a INTEGER, PRIMARY KEY (a));\n\
             /* a ; block */ INSERT INTO [journal] VALUES('it''s; fine',-5),(X'00ff',NULL);\n\
             INSERT OR IGNORE INTO journal (a, b) VALUES (1.5e3, 'x');\n\
             INSERT INTO other VALUES(1);\n\
             CREATE TRIGGER t AFTER INSERT ON other BEGIN DELETE FROM other; END;",
        )
        .unwrap();
        assert_eq!(d.tables, ["journal", "other"]);
        assert_eq!(d.journal_columns, Some(vec!["b".into(), "a".into()]));
        let pairs: Vec<Vec<(String, Lit)>> = d
            .rows
            .iter()
            .map(|r| {
                d.columns[r.cols]
                    .iter()
                    .cloned()
                    .zip(r.values.clone())
                    .collect()
            })
            .collect();
        assert_eq!(
            pairs,
            vec![
                vec![
                    ("b".into(), Lit::Text("it's; fine".into())),
                    ("a".into(), Lit::Integer(-5))
                ],
                vec![
                    ("b".into(), Lit::Blob(vec![0, 255])),
                    ("a".into(), Lit::Null)
                ],
                vec![
                    ("a".into(), Lit::Real(1500.0)),
                    ("b".into(), Lit::Text("x".into()))
                ],
            ]
        );
    }

    #[test]
    fn anything_but_create_and_insert_is_refused() {
        for sql in [
            "ATTACH DATABASE '/tmp/x.db' AS x;",
            "SELECT 1;",
            "INSERT INTO journal VALUES (abs(1));",
            "INSERT INTO journal SELECT * FROM x;",
            "DELETE FROM journal;",
            "INSERT INTO journal VALUES ('unterminated);",
        ] {
            assert!(parse(sql).is_err(), "{sql}");
        }
        // Truncated or odd input is an error, never a panic.
        for sql in [
            "X'",
            "x'0",
            "X'zz'",
            "'",
            "\"",
            "[",
            "/*",
            "1e",
            "1e+",
            "1.2.3",
            "é;",
            "INSERT",
            "INSERT INTO",
            "INSERT INTO journal (",
            "INSERT INTO journal (a",
            "INSERT INTO journal VALUES",
            "INSERT INTO journal VALUES (",
            "INSERT INTO journal VALUES (-",
            "INSERT OR",
            "CREATE TABLE IF",
            "CREATE TABLE",
            "CREATE",
            "CREATE TABLE journal (",
            ";;;",
            "-",
            "INSERT INTO journal VALUES (1) (2)",
            "INSERT INTO journal VALUES (1),",
        ] {
            let _ = parse(sql);
        }
        let e = parse("PRAGMA x;\nATTACH DATABASE 'evil.db' AS e;").unwrap_err();
        assert!(e.0.starts_with("line 2: ATTACH is not a statement"), "{e}");
    }
}
