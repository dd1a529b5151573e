//! History (docs/protocol.md, "`GET …/journal`"): the journal is served from D1 below the rows
//! the Durable Object keeps and from the DO for those, as one gapless, ordered page with a
//! cursor. Reading D1 is an effect ([`Effect::ReadD1`]) whose rows come back as an input
//! ([`super::Input::D1Read`]), like D1 writes; what the read is for travels with it, so the
//! host keeps no request state across the await.

use super::{
    error_reply, Effect, Host, HostError, ReplyBody, Request, JOURNAL_PAGE_DEFAULT,
    JOURNAL_PAGE_MAX,
};
use crate::journal::{genesis_hash, Entry, Hash};
use crate::room::live::Store;
use crate::room::route::RouteError;

/// Rows of one game's D1 journal, `from..=to`, for `purpose`. The worker runs
/// `SELECT … FROM journal WHERE game_id = ? AND seq BETWEEN ? AND ? ORDER BY seq` and answers
/// with [`super::Input::D1Read`], carrying this value back.
#[derive(Clone, Debug, PartialEq)]
pub struct D1Read {
    pub game_id: String,
    pub from: u64,
    pub to: u64,
    pub purpose: ReadPurpose,
}

/// What a [`D1Read`] is for.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadPurpose {
    /// A page of `GET …/journal`.
    Page(Page),
    /// `POST …/cleanup` checking that D1 holds the whole chain (`room::host::lifecycle`).
    Verify(Verify),
}

/// A page being gathered: `from..=to` of a journal whose head was `head` when it was asked.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub from: u64,
    pub to: u64,
    pub head: u64,
    /// The entries gathered so far (`from..` in order).
    pub entries: Vec<Entry>,
}

/// How far `POST …/cleanup` has verified D1's chain: every entry up to `seq`, ending in `head`.
#[derive(Clone, Debug, PartialEq)]
pub struct Verify {
    pub seq: u64,
    pub head: Hash,
    /// The room's head when the check began.
    pub target_seq: u64,
}

impl Verify {
    pub fn start(game_id: &str, target_seq: u64) -> Verify {
        Verify {
            seq: 0,
            head: genesis_hash(game_id),
            target_seq,
        }
    }
}

/// The `from` (default 1; 0 reads as 1) and `limit` (default [`JOURNAL_PAGE_DEFAULT`], at most
/// [`JOURNAL_PAGE_MAX`]) of `GET …/journal`; anything else is `BAD_QUERY`.
pub fn page_query(req: &Request) -> Result<(u64, u64), RouteError> {
    let from = match req.query("from") {
        None => 1,
        Some(v) => v
            .parse::<u64>()
            .map_err(|_| RouteError::BadQuery("from must be a non-negative integer".into()))?
            .max(1),
    };
    let limit = match req.query("limit") {
        None => JOURNAL_PAGE_DEFAULT,
        Some(v) => v
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=JOURNAL_PAGE_MAX).contains(n))
            .ok_or_else(|| {
                RouteError::BadQuery(format!(
                    "limit must be an integer from 1 to {JOURNAL_PAGE_MAX}"
                ))
            })?,
    };
    Ok((from, limit))
}

/// Checks that `rows` are exactly `from..=to` of `game_id`, each linked to the one before
/// (the hashes themselves are for an auditor's `po-replay verify`).
fn check_rows(game_id: &str, from: u64, to: u64, rows: &[Entry]) -> Result<(), String> {
    let want = to + 1 - from;
    if rows.len() as u64 != want {
        return Err(format!(
            "D1 returned {} of the {want} entries {from}..={to}",
            rows.len()
        ));
    }
    for (seq, e) in (from..).zip(rows) {
        if e.seq != seq || e.game_id != game_id {
            return Err(format!(
                "D1 returned seq {} where {seq} was expected",
                e.seq
            ));
        }
    }
    for pair in rows.windows(2) {
        if pair[1].prev_hash != pair[0].hash {
            return Err(format!(
                "entry {} does not link to {}",
                pair[1].seq, pair[0].seq
            ));
        }
    }
    Ok(())
}

impl<S: Store> Host<S> {
    /// `GET …/journal?from=SEQ&limit=N`.
    pub(super) fn journal_page(
        &mut self,
        req: &Request,
        game_id: &str,
        fx: &mut Vec<Effect>,
    ) -> Result<(), HostError> {
        let (from, limit) = page_query(req)?;
        let head = match self.store.tombstone().map_err(HostError::internal)? {
            // A cleaned-up room still pages through its journal, from D1.
            Some(t) => t.seq,
            None => self.ensure_loaded()?.room.seq(),
        };
        if from > head + 1 {
            return Err(RouteError::PastHead { from, head }.into());
        }
        let page = Page {
            from,
            to: (from + limit - 1).min(head),
            head,
            entries: Vec::new(),
        };
        self.continue_page(game_id, page, fx)
    }

    /// Gathers what the page still lacks: from the DO's rows when it holds them, else a D1
    /// read up to the DO's first row; answers when the page is complete.
    fn continue_page(
        &mut self,
        game_id: &str,
        mut page: Page,
        fx: &mut Vec<Effect>,
    ) -> Result<(), HostError> {
        let next = page.from + page.entries.len() as u64;
        if next <= page.to {
            let first = self
                .store
                .journal_span()
                .map_err(HostError::internal)?
                .first;
            match first {
                Some(first) if first <= next => {
                    let n = usize::try_from(page.to + 1 - next).unwrap_or(usize::MAX);
                    let rows = self.store.journal(next, n).map_err(HostError::internal)?;
                    check_rows(game_id, next, page.to, &rows).map_err(HostError::internal)?;
                    page.entries.extend(rows);
                }
                _ => {
                    // Everything below the DO's first row is in D1 (rows are deleted only
                    // once confirmed there).
                    let to = first.map_or(page.to, |f| page.to.min(f - 1));
                    fx.push(Effect::ReadD1(D1Read {
                        game_id: game_id.to_string(),
                        from: next,
                        to,
                        purpose: ReadPurpose::Page(page),
                    }));
                    return Ok(());
                }
            }
        }
        if let Some(pair) = page
            .entries
            .windows(2)
            .find(|p| p[1].prev_hash != p[0].hash)
        {
            return Err(HostError::internal(format!(
                "D1 and the room disagree: entry {} does not link to {}",
                pair[1].seq, pair[0].seq
            )));
        }
        fx.push(page_reply(&page)?);
        Ok(())
    }

    /// D1 answered a [`D1Read`].
    pub(super) fn d1_read(
        &mut self,
        now: i64,
        read: D1Read,
        result: Result<Vec<Entry>, String>,
        fx: &mut Vec<Effect>,
    ) {
        let done = match (result, read.purpose) {
            (Err(e), _) => Err(RouteError::D1Unavailable(e).into()),
            (Ok(rows), ReadPurpose::Page(mut page)) => {
                match check_rows(&read.game_id, read.from, read.to, &rows) {
                    // The room no longer holds what D1 should: this page cannot be served now.
                    Err(e) => Err(RouteError::D1Unavailable(e).into()),
                    Ok(()) => {
                        page.entries.extend(rows);
                        self.continue_page(&read.game_id, page, fx)
                    }
                }
            }
            (Ok(rows), ReadPurpose::Verify(v)) => {
                match check_rows(&read.game_id, read.from, read.to, &rows) {
                    Err(e) => Err(RouteError::D1Incomplete(e).into()),
                    Ok(()) => self.verify_more(now, &read.game_id, v, &rows, fx),
                }
            }
        };
        if let Err(e) = done {
            error_reply(&e, fx);
        }
    }
}

/// The page as NDJSON, one entry a line, with `X-Journal-Head` (the head when it was asked)
/// and, unless it reaches the head, `X-Next-From` (the cursor: the next page's `from`).
fn page_reply(page: &Page) -> Result<Effect, HostError> {
    let mut out = String::new();
    for entry in &page.entries {
        out.push_str(&serde_json::to_string(entry).map_err(HostError::internal)?);
        out.push('\n');
    }
    let mut headers = vec![("X-Journal-Head".to_string(), page.head.to_string())];
    if page.to < page.head {
        headers.push(("X-Next-From".to_string(), (page.to + 1).to_string()));
    }
    Ok(Effect::Reply {
        status: 200,
        headers,
        body: ReplyBody::Ndjson(out),
    })
}
