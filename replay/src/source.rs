//! Reading a game's journal from disk: the SQLite file `wrangler dev` keeps, a `wrangler d1
//! export` SQL dump, or JSON lines (`GET …/journal`). Every source ends as the entries of one
//! game, sorted by seq, each row checked for well-formedness. Gaps and chain links are checked
//! later (see [`crate::audit`]), so that the first problem in seq order is the one reported.

use crate::dump;
use pecking_order::journal::row::{self, Column, ValueRef};
use pecking_order::journal::Entry;
use rusqlite::{Connection, OpenFlags};
use std::fmt;
use std::path::{Path, PathBuf};

/// The D1 journal table, as in `migrations/0001_journal.sql`. Used to load a data-only dump.
pub const JOURNAL_SCHEMA: &str = "CREATE TABLE IF NOT EXISTS journal (
  game_id TEXT NOT NULL, seq INTEGER NOT NULL, at_ms INTEGER NOT NULL, day INTEGER NOT NULL,
  kind TEXT NOT NULL, actor TEXT NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL,
  verdict TEXT NOT NULL, facts TEXT NOT NULL, engine TEXT NOT NULL, v INTEGER NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (game_id, seq));";

/// What kind of file the journal came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Sqlite,
    SqlDump,
    JsonLines,
}

impl Format {
    pub fn describe(self) -> &'static str {
        match self {
            Format::Sqlite => "D1 SQLite file",
            Format::SqlDump => "SQL dump",
            Format::JsonLines => "JSON lines",
        }
    }
}

/// One game's journal as read, sorted by seq (not yet verified).
#[derive(Clone, Debug)]
pub struct Journal {
    pub path: PathBuf,
    pub format: Format,
    pub game_id: String,
    /// The well-formed rows, sorted by seq, one per seq.
    pub entries: Vec<Entry>,
    /// Rows that could not be taken as entries (malformed, or a second different row for a seq),
    /// in seq order (rows whose seq is unreadable last). They are reported only when no earlier
    /// problem is found in seq order ([`crate::audit::check_chain`]).
    pub problems: Vec<RowProblem>,
    /// Seqs that appeared more than once with byte-identical rows (read once).
    pub identical_duplicates: Vec<u64>,
}

/// A row that is not part of [`Journal::entries`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    /// The row's seq, when that column is readable.
    pub seq: Option<u64>,
    pub kind: RowProblemKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowProblemKind {
    /// The row does not decode (the message names the row and the column).
    Malformed(String),
    /// Two different rows claim the same seq: evidence of a fork (both kept).
    Conflict(Box<(Entry, Entry)>),
}

impl RowProblem {
    fn malformed(seq: Option<i64>, msg: String) -> RowProblem {
        RowProblem {
            seq: seq.and_then(|s| u64::try_from(s).ok()),
            kind: RowProblemKind::Malformed(msg),
        }
    }

    /// Where this problem sits in seq order (unreadable seqs last).
    pub fn order(&self) -> u64 {
        self.seq.unwrap_or(u64::MAX)
    }
}

/// Why a source could not be read. All of these exit with code 4.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadInput(pub String);

impl fmt::Display for BadInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn bad<T>(msg: impl Into<String>) -> Result<T, BadInput> {
    Err(BadInput(msg.into()))
}

/// Reads one game's journal from `path` (a file, or a directory holding one wrangler D1 SQLite
/// file). `game` is required when the source holds several games.
pub fn load(path: &Path, game: Option<&str>) -> Result<Journal, BadInput> {
    load_with(path, game, &mut |_, _| {})
}

/// [`load`], calling `progress(rows read, rows in the game)` while it reads a database.
pub fn load_with(
    path: &Path,
    game: Option<&str>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Journal, BadInput> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return bad(format!("no such file: {}", path.display()))
        }
        Err(e) => return bad(format!("cannot read {}: {e}", path.display())),
    };
    if meta.is_dir() {
        let file = find_sqlite_in_dir(path)?;
        return load_with(&file, game, progress);
    }
    if meta.len() == 0 {
        return bad(format!(
            "empty database: {} is an empty file (0 bytes), it holds no journal",
            path.display()
        ));
    }
    let cannot = |e: std::io::Error| BadInput(format!("cannot read {}: {e}", path.display()));
    // Sniff the SQLite header without reading a large database file whole.
    let mut magic = [0u8; 16];
    let n = std::io::Read::read(&mut std::fs::File::open(path).map_err(cannot)?, &mut magic)
        .map_err(cannot)?;
    if magic[..n].starts_with(b"SQLite format 3\0") {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| BadInput(format!("cannot open {} as SQLite: {e}", path.display())))?;
        return from_connection(&conn, path, Format::Sqlite, game, progress);
    }
    let bytes = std::fs::read(path).map_err(cannot)?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => {
            return bad(format!(
                "unreadable: {} is neither a SQLite database, a SQL dump nor JSON lines",
                path.display()
            ))
        }
    };
    let first = text.trim_start().chars().next();
    if first == Some('{') {
        let (entries, bad_lines) = parse_json_lines(&text, path);
        return select_game(path, Format::JsonLines, entries, bad_lines, game);
    }
    if contains_ignore_case(&text, "INSERT INTO") || contains_ignore_case(&text, "CREATE TABLE") {
        return from_dump(&text, path, game, progress);
    }
    if text.trim().is_empty() {
        return bad(format!(
            "empty input: {} holds only whitespace",
            path.display()
        ));
    }
    bad(format!(
        "unreadable: {} is neither a SQLite database, a SQL dump (INSERT INTO journal …) nor JSON lines",
        path.display()
    ))
}

/// Whether `hay` contains `needle`, ASCII case-insensitively (without an upper-cased copy of a
/// dump that may be hundreds of megabytes).
fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    hay.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// `.wrangler/state/v3/d1` (or any folder above the miniflare files): the one `*.sqlite` file in
/// it that has a journal table.
fn find_sqlite_in_dir(dir: &Path) -> Result<PathBuf, BadInput> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "sqlite") {
                found.push(p);
            }
        }
    }
    found.sort();
    let with_journal: Vec<PathBuf> = found
        .iter()
        .filter(|p| {
            Connection::open_with_flags(p, OpenFlags::SQLITE_OPEN_READ_ONLY)
                .ok()
                .and_then(|c| table_names(&c).ok())
                .is_some_and(|t| t.iter().any(|n| n == "journal"))
        })
        .cloned()
        .collect();
    match with_journal.len() {
        1 => Ok(with_journal.into_iter().next().unwrap_or_default()),
        0 if found.is_empty() => bad(format!("no *.sqlite file under {}", dir.display())),
        0 => bad(format!(
            "none of the *.sqlite files under {} has a journal table: {}",
            dir.display(),
            list_paths(&found)
        )),
        _ => bad(format!(
            "several databases with a journal table under {}; name one: {}",
            dir.display(),
            list_paths(&with_journal)
        )),
    }
}

fn list_paths(p: &[PathBuf]) -> String {
    p.iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads a `wrangler d1 export` dump without running it ([`crate::dump`]): the journal's rows
/// come from its INSERT statements, in the column order of its `CREATE TABLE journal` (or the
/// D1 schema's, for a data-only dump).
fn from_dump(
    text: &str,
    path: &Path,
    game: Option<&str>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Journal, BadInput> {
    let shown = path.display();
    let d = dump::parse(text).map_err(|e| BadInput(format!("refused SQL dump {shown}: {e}")))?;
    let has_journal = d.journal_columns.is_some() || !d.rows.is_empty();
    if !has_journal {
        if d.tables.is_empty() {
            return bad(format!(
                "empty database: {shown} has no tables (no journal table)"
            ));
        }
        return bad(format!(
            "foreign database: {shown} has no journal table (tables: {})",
            d.tables.join(", ")
        ));
    }
    if let Some(cols) = &d.journal_columns {
        let missing: Vec<&str> = Column::ALL
            .iter()
            .map(|c| c.name())
            .filter(|c| !cols.iter().any(|x| x.eq_ignore_ascii_case(c)))
            .collect();
        if !missing.is_empty() {
            return bad(format!(
                "foreign database: the journal table of {shown} lacks the column(s) {} (it is not a Pecking Order D1 journal)",
                missing.join(", ")
            ));
        }
    }
    // The game of each row, read as SQLite's CAST(game_id AS TEXT) would.
    let game_of = |row: &dump::Row| -> String {
        d.value(row, Column::GameId.name())
            .map(|v| match v {
                dump::Lit::Null => String::new(),
                dump::Lit::Integer(i) => i.to_string(),
                dump::Lit::Real(r) => r.to_string(),
                dump::Lit::Text(t) => t.clone(),
                dump::Lit::Blob(b) => String::from_utf8_lossy(b).into_owned(),
            })
            .unwrap_or_default()
    };
    let mut games: Vec<(String, i64)> = Vec::new();
    for row in &d.rows {
        let g = game_of(row);
        match games.iter_mut().find(|(x, _)| *x == g) {
            Some(x) => x.1 += 1,
            None => games.push((g, 1)),
        }
    }
    games.sort();
    let game_id = choose_game(path, &games, game)?;
    let selected: Vec<&dump::Row> = d.rows.iter().filter(|r| game_of(r) == game_id).collect();
    let count = selected.len();
    let mut entries = Vec::with_capacity(count);
    let mut problems = Vec::new();
    for (ordinal, row) in selected.into_iter().enumerate() {
        match row::decode_with(|c| cell(&d, row, c)) {
            Ok(entry) => entries.push(entry),
            Err(e) => {
                let seq = cell(&d, row, Column::Seq).and_then(|v| v.as_exact_i64());
                let at = match seq {
                    Some(s) => format!("seq {s}"),
                    None => format!("row {}", ordinal + 1),
                };
                problems.push(RowProblem::malformed(
                    seq,
                    format!("malformed row ({at}): {e}"),
                ));
            }
        }
        if (ordinal + 1) & 4095 == 0 {
            progress(ordinal + 1, count);
        }
    }
    finish(path, Format::SqlDump, game_id, entries, problems)
}

/// The value of column `c` in a dump row.
fn cell<'a>(d: &'a dump::Dump, row: &'a dump::Row, c: Column) -> Option<ValueRef<'a>> {
    d.value(row, c.name()).map(|v| match v {
        dump::Lit::Null => ValueRef::Null,
        dump::Lit::Integer(i) => ValueRef::Integer(*i),
        dump::Lit::Real(r) => ValueRef::Real(*r),
        dump::Lit::Text(t) => ValueRef::Text(t.as_bytes()),
        dump::Lit::Blob(b) => ValueRef::Blob(b),
    })
}

fn table_names(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut st =
        conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?;
    let rows = st.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

fn from_connection(
    conn: &Connection,
    path: &Path,
    format: Format,
    game: Option<&str>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Journal, BadInput> {
    let shown = path.display();
    let tables = table_names(conn).map_err(|e| {
        BadInput(format!(
            "unreadable: {shown} is not a usable SQLite database: {e}"
        ))
    })?;
    if tables.is_empty() {
        return bad(format!(
            "empty database: {shown} has no tables (no journal table)"
        ));
    }
    if !tables.iter().any(|t| t == "journal") {
        return bad(format!(
            "foreign database: {shown} has no journal table (tables: {})",
            tables.join(", ")
        ));
    }
    let mut st = conn
        .prepare("SELECT name FROM pragma_table_info('journal')")
        .map_err(|e| BadInput(format!("cannot read the journal table of {shown}: {e}")))?;
    let cols: Vec<String> = st
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|r| r.collect())
        .map_err(|e| BadInput(format!("cannot read the journal table of {shown}: {e}")))?;
    let missing: Vec<&str> = Column::ALL
        .iter()
        .map(|c| c.name())
        .filter(|c| !cols.iter().any(|x| x == c))
        .collect();
    if !missing.is_empty() {
        return bad(format!(
            "foreign database: the journal table of {shown} lacks the column(s) {} (it is not a Pecking Order D1 journal)",
            missing.join(", ")
        ));
    }
    let games = game_counts(conn)
        .map_err(|e| BadInput(format!("cannot read the journal table of {shown}: {e}")))?;
    let game_id = choose_game(path, &games, game)?;
    let count = games
        .iter()
        .find(|(g, _)| *g == game_id)
        .map_or(0, |(_, n)| *n as usize);
    let sql = format!(
        "SELECT {} FROM journal WHERE game_id = ?1 ORDER BY seq",
        row::COLUMNS
    );
    let mut st = conn
        .prepare(&sql)
        .map_err(|e| BadInput(format!("cannot read the journal table of {shown}: {e}")))?;
    let mut rows = st
        .query([&game_id])
        .map_err(|e| BadInput(format!("cannot read the journal table of {shown}: {e}")))?;
    let mut entries = Vec::with_capacity(count);
    let mut problems = Vec::new();
    let mut ordinal = 0;
    loop {
        let row = match rows.next() {
            Ok(Some(r)) => r,
            Ok(None) => break,
            Err(e) => return bad(format!("cannot read the journal table of {shown}: {e}")),
        };
        ordinal += 1;
        match entry_from_row(row, ordinal) {
            Ok(e) => entries.push(e),
            Err(p) => problems.push(p),
        }
        if ordinal & 4095 == 0 {
            progress(ordinal, count);
        }
    }
    finish(path, format, game_id, entries, problems)
}

fn game_counts(conn: &Connection) -> rusqlite::Result<Vec<(String, i64)>> {
    let mut st = conn.prepare(
        "SELECT CAST(game_id AS TEXT), COUNT(*) FROM journal GROUP BY game_id ORDER BY game_id",
    )?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    rows.collect()
}

fn choose_game(
    path: &Path,
    games: &[(String, i64)],
    wanted: Option<&str>,
) -> Result<String, BadInput> {
    let listing = || {
        games
            .iter()
            .map(|(g, n)| format!("{g} ({n} entries)"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if games.is_empty() {
        return bad(format!(
            "empty journal: {} has a journal table with no rows",
            path.display()
        ));
    }
    match wanted {
        Some(w) if games.iter().any(|(g, _)| g == w) => Ok(w.to_string()),
        Some(w) => bad(format!(
            "no such game: {w:?} is not in {}; games: {}",
            path.display(),
            listing()
        )),
        None if games.len() == 1 => Ok(games[0].0.clone()),
        None => bad(format!(
            "{} holds {} games; choose one with --game ID: {}",
            path.display(),
            games.len(),
            listing()
        )),
    }
}

/// A row of the journal table as an [`Entry`], every column checked by the journal-row codec.
fn entry_from_row(row: &rusqlite::Row<'_>, ordinal: usize) -> Result<Entry, RowProblem> {
    let cell = |c: Column| row.get_ref(c.index()).ok().map(ValueRef::from);
    row::decode_with(cell).map_err(|e| {
        // Name the row by its seq when that column is readable, else by its position.
        let seq = cell(Column::Seq).and_then(|v| v.as_exact_i64());
        let at = match seq {
            Some(s) => format!("seq {s}"),
            None => format!("row {ordinal}"),
        };
        RowProblem::malformed(seq, format!("malformed row ({at}): {e}"))
    })
}

/// A JSON line that does not decode, with its game (when readable) and seq.
struct BadLine {
    game: Option<String>,
    problem: RowProblem,
}

fn parse_json_lines(text: &str, path: &Path) -> (Vec<Entry>, Vec<BadLine>) {
    let mut out = Vec::new();
    let mut bad_lines = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let malformed = |why: String| {
            format!(
                "malformed JSON lines {}: line {}: {why}",
                path.display(),
                i + 1
            )
        };
        let object = match serde_json::from_str(line) {
            Ok(serde_json::Value::Object(o)) => o,
            Ok(_) => {
                bad_lines.push(BadLine {
                    game: None,
                    problem: RowProblem::malformed(
                        None,
                        malformed("expected a JSON object".into()),
                    ),
                });
                continue;
            }
            Err(e) => {
                bad_lines.push(BadLine {
                    game: None,
                    problem: RowProblem::malformed(None, malformed(e.to_string())),
                });
                continue;
            }
        };
        match row::decode_json(&object) {
            Ok(e) => out.push(e),
            Err(e) => bad_lines.push(BadLine {
                game: object
                    .get("game_id")
                    .and_then(|g| g.as_str())
                    .map(String::from),
                problem: RowProblem::malformed(
                    object.get("seq").and_then(|s| s.as_i64()),
                    malformed(e.to_string()),
                ),
            }),
        }
    }
    (out, bad_lines)
}

fn select_game(
    path: &Path,
    format: Format,
    mut entries: Vec<Entry>,
    bad_lines: Vec<BadLine>,
    game: Option<&str>,
) -> Result<Journal, BadInput> {
    let mut games: Vec<(String, i64)> = Vec::new();
    let ids = entries
        .iter()
        .map(|e| e.game_id.as_str())
        .chain(bad_lines.iter().filter_map(|b| b.game.as_deref()));
    for id in ids {
        match games.iter_mut().find(|(g, _)| g == id) {
            Some(g) => g.1 += 1,
            None => games.push((id.to_string(), 1)),
        }
    }
    games.sort();
    if games.is_empty() {
        // Nothing readable at all: the first bad line is the answer.
        if let Some(RowProblemKind::Malformed(m)) = bad_lines.first().map(|b| &b.problem.kind) {
            return bad(m.clone());
        }
    }
    let game_id = choose_game(path, &games, game)?;
    entries.retain(|e| e.game_id == game_id);
    // A line whose game cannot be read may belong to this game: it is kept as a problem.
    let problems = bad_lines
        .into_iter()
        .filter(|b| b.game.as_deref().is_none_or(|g| g == game_id))
        .map(|b| b.problem)
        .collect();
    finish(path, format, game_id, entries, problems)
}

/// Sorts by seq; reads byte-identical duplicates once and keeps two different rows for one seq
/// as a [`RowProblemKind::Conflict`] (two rows claiming one seq cannot both be the journal).
fn finish(
    path: &Path,
    format: Format,
    game_id: String,
    mut entries: Vec<Entry>,
    mut problems: Vec<RowProblem>,
) -> Result<Journal, BadInput> {
    entries.sort_by_key(|e| e.seq);
    let mut kept: Vec<Entry> = Vec::with_capacity(entries.len());
    let mut identical_duplicates = Vec::new();
    for e in entries {
        match kept.last() {
            Some(last) if last.seq == e.seq => {
                if *last == e {
                    if identical_duplicates.last() != Some(&e.seq) {
                        identical_duplicates.push(e.seq);
                    }
                } else if !problems.iter().any(|p| p.seq == Some(e.seq)) {
                    problems.push(RowProblem {
                        seq: Some(e.seq),
                        kind: RowProblemKind::Conflict(Box::new((last.clone(), e))),
                    });
                }
            }
            _ => kept.push(e),
        }
    }
    // A seq with two different rows has no single row in the journal.
    let conflicted: Vec<u64> = problems
        .iter()
        .filter(|p| matches!(p.kind, RowProblemKind::Conflict(_)))
        .filter_map(|p| p.seq)
        .collect();
    kept.retain(|e| !conflicted.contains(&e.seq));
    problems.sort_by_key(RowProblem::order);
    Ok(Journal {
        path: path.to_path_buf(),
        format,
        game_id,
        entries: kept,
        problems,
        identical_duplicates,
    })
}
