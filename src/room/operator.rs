//! The operator's read routes over D1 (docs/protocol.md, "Operator routes"), pure so the worker
//! only runs the queries:
//!
//! - `GET /parties/game-server?status=&limit=&offset=`: the rooms D1 knows (`games` rows), one
//!   page ([`RoomsQuery`], [`RoomsResponse`]);
//! - `GET /parties/game-server/:gameId/verify`: D1's journal of one game read back from seq 1 in
//!   pages and checked link by link and hash by hash with `journal::verify_from` (the chain code
//!   `po-replay verify` and `POST …/cleanup` use), as a [`VerifyResponse`] ([`ChainCheck`]).
//!
//! Both read D1 only, never the room: they answer for a cleaned-up room too, and a verification
//! says what D1 holds, which is what an auditor gets.

use super::host::SqlParam;
use super::route::RouteError;
use super::Lifecycle;
use crate::journal::row::{self, ValueRef, COLUMNS};
use crate::journal::{genesis_hash, verify_from, ChainError, Entry, Field, Hash};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The rooms route: the room prefix without a game id.
pub const ROOMS_PATH: &str = "/parties/game-server";
/// Rooms in one page of `GET /parties/game-server` when `limit` is not given.
pub const ROOMS_PAGE_DEFAULT: u64 = 50;
/// Most rooms one page may ask for.
pub const ROOMS_PAGE_MAX: u64 = 200;
/// Largest `offset` accepted (a list that long is paged by status first).
pub const ROOMS_OFFSET_MAX: u64 = 1_000_000;
/// Journal rows `…/verify` reads from D1 per query.
pub const VERIFY_PAGE: u64 = crate::limits::JOURNAL_PAGE_MAX;

/// The query of `GET /parties/game-server`: `status` (ACTIVE, COMPLETED or ABANDONED; absent:
/// all), `limit` (1 to [`ROOMS_PAGE_MAX`], default [`ROOMS_PAGE_DEFAULT`]) and `offset`
/// (default 0). Any other key, a repeated key or a bad value is `BAD_QUERY`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoomsQuery {
    pub status: Option<Lifecycle>,
    pub limit: u64,
    pub offset: u64,
}

impl Default for RoomsQuery {
    fn default() -> Self {
        RoomsQuery {
            status: None,
            limit: ROOMS_PAGE_DEFAULT,
            offset: 0,
        }
    }
}

fn bad(why: impl Into<String>) -> RouteError {
    RouteError::BadQuery(why.into())
}

impl RoomsQuery {
    /// Decodes the query string's pairs.
    pub fn parse(pairs: &[(String, String)]) -> Result<RoomsQuery, RouteError> {
        let mut q = RoomsQuery::default();
        let mut seen: Vec<&str> = Vec::new();
        for (k, v) in pairs {
            if seen.contains(&k.as_str()) {
                return Err(bad(format!("{k} is given more than once")));
            }
            seen.push(k);
            match k.as_str() {
                "status" => {
                    q.status = Some(match v.as_str() {
                        "ACTIVE" => Lifecycle::Active,
                        "COMPLETED" => Lifecycle::Completed,
                        "ABANDONED" => Lifecycle::Abandoned,
                        _ => return Err(bad("status must be ACTIVE, COMPLETED or ABANDONED")),
                    })
                }
                "limit" => {
                    q.limit = v
                        .parse::<u64>()
                        .ok()
                        .filter(|n| (1..=ROOMS_PAGE_MAX).contains(n))
                        .ok_or_else(|| {
                            bad(format!(
                                "limit must be an integer from 1 to {ROOMS_PAGE_MAX}"
                            ))
                        })?
                }
                "offset" => {
                    q.offset = v
                        .parse::<u64>()
                        .ok()
                        .filter(|n| *n <= ROOMS_OFFSET_MAX)
                        .ok_or_else(|| {
                            bad(format!(
                                "offset must be an integer from 0 to {ROOMS_OFFSET_MAX}"
                            ))
                        })?
                }
                other => {
                    return Err(bad(format!(
                        "unknown query parameter {other:?} (status, limit, offset)"
                    )))
                }
            }
        }
        Ok(q)
    }

    fn filter(&self) -> (&'static str, Vec<SqlParam>) {
        match self.status {
            Some(s) => (
                " WHERE g.status = ?1",
                vec![SqlParam::Text(s.as_str().into())],
            ),
            None => ("", Vec::new()),
        }
    }

    /// The page: newest first (then by game id), with each game's player count and the
    /// highest journal seq D1 holds (both read through primary-key indexes).
    pub fn page_sql(&self) -> (String, Vec<SqlParam>) {
        let (filter, mut params) = self.filter();
        let n = params.len();
        let sql = format!(
            "SELECT g.game_id, g.mode, g.status, g.created_at_ms, g.completed_at_ms, \
             g.winner_player_id, g.end_seq, \
             (SELECT COUNT(*) FROM players p WHERE p.game_id = g.game_id) AS players, \
             (SELECT MAX(seq) FROM journal j WHERE j.game_id = g.game_id) AS d1_head_seq \
             FROM games g{filter} ORDER BY g.created_at_ms DESC, g.game_id \
             LIMIT ?{} OFFSET ?{}",
            n + 1,
            n + 2
        );
        params.push(SqlParam::Int(self.limit as i64));
        params.push(SqlParam::Int(self.offset as i64));
        (sql, params)
    }

    /// How many rooms match (for the page's `total`).
    pub fn count_sql(&self) -> (String, Vec<SqlParam>) {
        let (filter, params) = self.filter();
        (format!("SELECT COUNT(*) AS n FROM games g{filter}"), params)
    }
}

/// One room as D1's `games` row says (docs/protocol.md, "Persistence and D1"). Its live state
/// (phase, tasks, outbox lag) is the room's own `GET …/state`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoomSummary {
    pub game_id: String,
    /// The manifest's mode (PECKING_ORDER, BLITZ …), as its GAME_CREATED fact says.
    pub mode: String,
    pub status: Lifecycle,
    /// The time of entry 1 (ms since the Unix epoch).
    pub created_at_ms: i64,
    /// The time of the ending entry, or null while the game runs.
    pub completed_at_ms: Option<i64>,
    /// The winner, or null (running, abandoned, or no winner).
    pub winner_player_id: Option<String>,
    /// The seq of the ending entry, or null while the game runs.
    pub end_seq: Option<u64>,
    /// Players D1 holds for the game.
    pub players: u64,
    /// The highest journal seq D1 holds (0: none yet). The room's own head may be further:
    /// entries wait in its outbox (`outboxLag` of `GET …/state`).
    pub d1_head_seq: u64,
}

fn int(row: &Map<String, Value>, col: &str) -> Result<Option<i64>, String> {
    match row.get(col) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => ValueRef::from(v)
            .as_exact_i64()
            .map(Some)
            .ok_or_else(|| format!("column {col}: not an integer")),
    }
}

fn uint(row: &Map<String, Value>, col: &str) -> Result<Option<u64>, String> {
    int(row, col)?
        .map(|i| u64::try_from(i).map_err(|_| format!("column {col}: negative")))
        .transpose()
}

fn text(row: &Map<String, Value>, col: &str) -> Result<Option<String>, String> {
    match row.get(col) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("column {col}: not text")),
    }
}

fn required<T>(v: Option<T>, col: &str) -> Result<T, String> {
    v.ok_or_else(|| format!("column {col}: missing"))
}

impl RoomSummary {
    /// Decodes one row of [`RoomsQuery::page_sql`] (as D1 returns it: a JSON object).
    pub fn from_row(row: &Map<String, Value>) -> Result<RoomSummary, String> {
        let status = match required(text(row, "status")?, "status")?.as_str() {
            "ACTIVE" => Lifecycle::Active,
            "COMPLETED" => Lifecycle::Completed,
            "ABANDONED" => Lifecycle::Abandoned,
            other => return Err(format!("column status: unknown status {other:?}")),
        };
        Ok(RoomSummary {
            game_id: required(text(row, "game_id")?, "game_id")?,
            mode: required(text(row, "mode")?, "mode")?,
            status,
            created_at_ms: required(int(row, "created_at_ms")?, "created_at_ms")?,
            completed_at_ms: int(row, "completed_at_ms")?,
            winner_player_id: text(row, "winner_player_id")?,
            end_seq: uint(row, "end_seq")?,
            players: uint(row, "players")?.unwrap_or(0),
            d1_head_seq: uint(row, "d1_head_seq")?.unwrap_or(0),
        })
    }
}

/// The answer to `GET /parties/game-server`: one page of rooms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoomsResponse {
    /// Newest first.
    pub rooms: Vec<RoomSummary>,
    /// Rooms matching the filter, over all pages.
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
    /// The next page's `offset`, or null on the last page.
    pub next_offset: Option<u64>,
}

impl RoomsResponse {
    pub fn new(q: &RoomsQuery, rooms: Vec<RoomSummary>, total: u64) -> RoomsResponse {
        let end = q.offset + rooms.len() as u64;
        RoomsResponse {
            next_offset: (end < total && !rooms.is_empty()).then_some(end),
            rooms,
            total,
            offset: q.offset,
            limit: q.limit,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Verification

/// The outcome of `GET …/verify`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VerifyStatus {
    /// Every entry D1 holds, from seq 1, links to the one before and hashes to its `hash`.
    Verified,
    /// An entry is missing, out of place, undecodable or altered: `firstBadSeq` names it.
    Broken,
    /// D1 holds no entry of this game (no such game, or nothing flushed yet).
    Empty,
}

/// The answer to `GET /parties/game-server/:gameId/verify`: D1's journal of the game, checked
/// from seq 1 as `po-replay verify` checks the chain (the replay of the rules is that tool's).
/// There are no signed checkpoints yet: the head below is the latest *verified* point, as of
/// `checkedAtMs`, not a signature anyone else can check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerifyResponse {
    pub game_id: String,
    pub status: VerifyStatus,
    /// Entries that verified, from seq 1 (all of them unless BROKEN).
    pub entries_checked: u64,
    /// The last verified entry's seq (0: none).
    pub head_seq: u64,
    /// Its hash (64 hex), or null when none verified.
    pub head_hash: Option<String>,
    /// The first entry that does not verify (BROKEN only): the seq its position requires.
    pub first_bad_seq: Option<u64>,
    /// What is wrong with it: `game_id`, `seq` (a gap or a swap), `prev_hash`, `hash` (a hashed
    /// field or the hash was changed) or `row` (a column does not decode); BROKEN only.
    pub bad_field: Option<String>,
    /// The same in plain words (BROKEN only).
    pub problem: Option<String>,
    /// When the check ran (ms since the Unix epoch).
    pub checked_at_ms: i64,
}

/// `…/verify`'s D1 query: the next page after `seq` (gaps show, since the page starts at the
/// first row after the last verified one whatever its seq). Parameters: game id, seq, limit.
pub fn verify_page_sql() -> String {
    format!("SELECT {COLUMNS} FROM journal WHERE game_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3")
}

/// A verification in progress: feed it D1's pages until [`ChainCheck::next_page`] is `None`.
#[derive(Clone, Debug, PartialEq)]
pub struct ChainCheck {
    game_id: String,
    seq: u64,
    head: Hash,
    bad: Option<(u64, String, String)>,
    done: bool,
    page: u64,
}

impl ChainCheck {
    /// A check reading [`VERIFY_PAGE`] rows per query.
    pub fn new(game_id: &str) -> ChainCheck {
        ChainCheck::with_page(game_id, VERIFY_PAGE)
    }

    /// A check reading `page` rows (at least 1) per query.
    pub fn with_page(game_id: &str, page: u64) -> ChainCheck {
        ChainCheck {
            game_id: game_id.to_string(),
            seq: 0,
            head: genesis_hash(game_id),
            bad: None,
            done: false,
            page: page.max(1),
        }
    }

    /// The parameters of the next query (`seq > after`, at most `limit` rows), or `None` once
    /// the check is over.
    pub fn next_page(&self) -> Option<(u64, u64)> {
        (!self.done).then_some((self.seq, self.page))
    }

    /// One page of rows as D1 returned them (JSON objects with the journal columns).
    pub fn feed_rows(&mut self, rows: &[Map<String, Value>]) {
        let decoded: Vec<Result<Entry, String>> = rows
            .iter()
            .map(|r| row::decode_json(r).map_err(|e| e.to_string()))
            .collect();
        self.feed(decoded, rows.len() as u64);
    }

    /// One page of decoded rows (`Err`: a row that does not decode); `returned` is how many
    /// rows the query returned, so a short page ends the check.
    pub fn feed(&mut self, rows: Vec<Result<Entry, String>>, returned: u64) {
        if self.done {
            return;
        }
        let mut good = Vec::with_capacity(rows.len());
        let mut undecodable = None;
        for r in rows {
            match r {
                Ok(e) => good.push(e),
                Err(why) => {
                    undecodable = Some(why);
                    break;
                }
            }
        }
        if let Err(e) = self.verify(&good) {
            self.bad = Some(e);
            self.done = true;
            return;
        }
        if let Some(why) = undecodable {
            let seq = self.seq + 1;
            self.bad = Some((
                seq,
                "row".into(),
                format!("entry {seq} cannot be read: {why}"),
            ));
            self.done = true;
            return;
        }
        if returned < self.page {
            self.done = true;
        }
    }

    fn verify(&mut self, rows: &[Entry]) -> Result<(), (u64, String, String)> {
        if rows.is_empty() {
            return Ok(());
        }
        match verify_from(&self.game_id, self.seq, self.head, rows) {
            Ok(head) => {
                self.head = head;
                self.seq += rows.len() as u64;
                Ok(())
            }
            Err(ChainError::Broken { index, seq, field }) => {
                // The entries before the broken one verified.
                if index > 0 {
                    self.head = rows[index - 1].hash;
                    self.seq += index as u64;
                }
                let what = match field {
                    Field::GameId => "belongs to another game",
                    Field::Seq => "is missing or out of place (the next row has another seq)",
                    Field::PrevHash => "does not link to the entry before it",
                    Field::Hash => "was altered: its content does not hash to its hash",
                };
                Err((
                    seq,
                    field.as_str().to_string(),
                    format!("entry {seq} {what}"),
                ))
            }
            Err(e @ ChainError::Empty) => Err((self.seq + 1, "row".into(), e.to_string())),
        }
    }

    /// Whether the check is over (broken, or the last page was short).
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The answer, at `now` (ms).
    pub fn finish(&self, now_ms: i64) -> VerifyResponse {
        let status = match (&self.bad, self.seq) {
            (Some(_), _) => VerifyStatus::Broken,
            (None, 0) => VerifyStatus::Empty,
            (None, _) => VerifyStatus::Verified,
        };
        let (first_bad_seq, bad_field, problem) = match &self.bad {
            Some((s, f, p)) => (Some(*s), Some(f.clone()), Some(p.clone())),
            None => (None, None, None),
        };
        VerifyResponse {
            game_id: self.game_id.clone(),
            status,
            entries_checked: self.seq,
            head_seq: self.seq,
            head_hash: (self.seq > 0).then(|| self.head.to_hex()),
            first_bad_seq,
            bad_field,
            problem,
            checked_at_ms: now_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
        q.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_rooms_query_is_checked() {
        assert_eq!(RoomsQuery::parse(&[]), Ok(RoomsQuery::default()));
        let q = RoomsQuery::parse(&pairs(&[
            ("status", "COMPLETED"),
            ("limit", "200"),
            ("offset", "40"),
        ]))
        .unwrap();
        assert_eq!(
            q,
            RoomsQuery {
                status: Some(Lifecycle::Completed),
                limit: 200,
                offset: 40
            }
        );
        for bad in [
            vec![("status", "active")],
            vec![("limit", "0")],
            vec![("limit", "201")],
            vec![("limit", "-1")],
            vec![("offset", "x")],
            vec![("offset", "1000001")],
            vec![("limit", "5"), ("limit", "6")],
            vec![("sort", "x")],
        ] {
            let e = RoomsQuery::parse(&pairs(&bad)).unwrap_err();
            assert_eq!((e.code(), e.http_status()), ("BAD_QUERY", 400), "{bad:?}");
        }
    }

    #[test]
    fn the_page_sql_numbers_its_parameters() {
        let (sql, params) = RoomsQuery::default().page_sql();
        assert!(sql.contains("LIMIT ?1 OFFSET ?2"), "{sql}");
        assert_eq!(params, vec![SqlParam::Int(50), SqlParam::Int(0)]);
        let q = RoomsQuery {
            status: Some(Lifecycle::Active),
            ..RoomsQuery::default()
        };
        let (sql, params) = q.page_sql();
        assert!(sql.contains("WHERE g.status = ?1") && sql.contains("LIMIT ?2 OFFSET ?3"));
        assert_eq!(params[0], SqlParam::Text("ACTIVE".into()));
        assert_eq!(q.count_sql().1.len(), 1);
    }

    #[test]
    fn a_room_row_decodes_or_says_which_column_is_wrong() {
        let row = serde_json::json!({
            "game_id": "g1", "mode": "BLITZ", "status": "COMPLETED",
            "created_at_ms": 1_796_115_600_000.0_f64, "completed_at_ms": 1_796_115_700_000_i64,
            "winner_player_id": "p2", "end_seq": 90, "players": 5, "d1_head_seq": 91
        });
        let r = RoomSummary::from_row(row.as_object().unwrap()).unwrap();
        assert_eq!(r.created_at_ms, 1_796_115_600_000);
        assert_eq!((r.status, r.d1_head_seq), (Lifecycle::Completed, 91));
        for (col, v) in [
            ("status", serde_json::json!("DONE")),
            ("game_id", Value::Null),
            ("end_seq", serde_json::json!(-1)),
            ("players", serde_json::json!("5")),
            ("created_at_ms", serde_json::json!(1.5)),
        ] {
            let mut bad = row.as_object().unwrap().clone();
            bad.insert(col.into(), v);
            let e = RoomSummary::from_row(&bad).unwrap_err();
            assert!(e.contains(col), "{e}");
        }
    }

    #[test]
    fn next_offset_is_null_on_the_last_page() {
        let q = RoomsQuery {
            limit: 2,
            ..RoomsQuery::default()
        };
        assert_eq!(RoomsResponse::new(&q, vec![], 0).next_offset, None);
        let r = |id: &str| RoomSummary {
            game_id: id.into(),
            mode: "BLITZ".into(),
            status: Lifecycle::Active,
            created_at_ms: 1,
            completed_at_ms: None,
            winner_player_id: None,
            end_seq: None,
            players: 0,
            d1_head_seq: 0,
        };
        assert_eq!(
            RoomsResponse::new(&q, vec![r("a"), r("b")], 3).next_offset,
            Some(2)
        );
        let last = RoomsQuery { offset: 2, ..q };
        assert_eq!(RoomsResponse::new(&last, vec![r("c")], 3).next_offset, None);
    }
}
