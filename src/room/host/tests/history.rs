//! History read back from D1 (`GET …/journal`) and `POST …/cleanup`: D1 reads are effects whose
//! rows come back as inputs, answered here from the fake D1 of `compaction`.

use super::compaction::World;
use super::*;
use crate::journal::{self, Entry};

type Headers = Vec<(String, String)>;

/// The reply of `fx`, whatever its body: status, headers, body text.
fn any_reply(fx: &[Effect]) -> Option<(u16, Headers, String)> {
    fx.iter().find_map(|e| match e {
        Effect::Reply {
            status,
            headers,
            body: ReplyBody::Ndjson(text) | ReplyBody::Json(text),
        } => Some((*status, headers.clone(), text.clone())),
        _ => None,
    })
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn reads(fx: &[Effect]) -> Vec<D1Read> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::ReadD1(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

impl World {
    /// Answers every D1 read of `fx` (and of what follows) from the fake D1, with
    /// `tamper` applied to the rows; returns every effect.
    fn answer_reads(&mut self, fx: Vec<Effect>, tamper: &dyn Fn(&mut Vec<Entry>)) -> Vec<Effect> {
        let mut all = fx.clone();
        let mut pending = reads(&fx);
        while let Some(read) = pending.pop() {
            let mut rows: Vec<Entry> = self
                .d1
                .rows
                .range(read.from..=read.to)
                .map(|(_, e)| e.clone())
                .collect();
            tamper(&mut rows);
            let next = self.rig.step(Input::D1Read {
                read,
                result: Ok(rows),
            });
            pending.extend(reads(&next));
            all.extend(next);
        }
        all
    }

    fn get(&mut self, query: &str) -> Vec<Effect> {
        let mut req = self.rig.request("GET", "/journal", "");
        req.query = query
            .split('&')
            .filter(|kv| !kv.is_empty())
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self.rig.step(Input::Http(req))
    }

    /// One page, its reads answered: (status, headers, entries).
    fn page(&mut self, query: &str) -> (u16, Headers, Vec<Entry>) {
        let fx = self.get(query);
        let fx = self.answer_reads(fx, &|_| {});
        let (status, headers, text) = any_reply(&fx).unwrap_or_else(|| panic!("{fx:?}"));
        let entries = text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        (status, headers, entries)
    }

    fn long_game(n: usize) -> World {
        let mut w = World::new();
        for _ in 0..n {
            w.input();
            w.d1_answers();
        }
        w.drain();
        w
    }
}

fn error_code(fx: &[Effect]) -> (u16, String) {
    let (status, _, text) = any_reply(fx).unwrap_or_else(|| panic!("{fx:?}"));
    let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    (
        status,
        v["error"]["code"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn a_whole_game_pages_back_from_d1_and_the_do_tail_as_one_verified_stream() {
    let mut w = World::long_game(1100);
    let head = w.rig.seq();
    let first_kept = w.store().journal[0].seq;
    assert!(first_kept > 900, "the DO keeps a tail: {first_kept}");
    let mut all = Vec::new();
    let mut from = 1;
    let mut pages = 0;
    loop {
        let (status, headers, entries) = w.page(&format!("from={from}&limit=400"));
        assert_eq!(status, 200);
        assert_eq!(
            header(&headers, "X-Journal-Head"),
            Some(head.to_string().as_str())
        );
        assert_eq!(entries.first().map(|e| e.seq), Some(from));
        all.extend(entries);
        pages += 1;
        match header(&headers, "X-Next-From") {
            Some(next) => from = next.parse().unwrap_or(0),
            None => break,
        }
    }
    assert_eq!(pages, head.div_ceil(400));
    assert_eq!(all.len() as u64, head);
    assert_eq!(
        journal::verify(GAME, &all).ok(),
        w.rig.host.live().map(|l| l.room.head())
    );
    assert_eq!(all, w.d1.entries(), "the stream equals D1");
    // A page across the boundary: D1 below the DO's first row, the DO from it.
    let fx = w.get(&format!("from={}&limit=10", first_kept - 5));
    let asked = reads(&fx);
    assert_eq!(asked.len(), 1);
    assert_eq!(
        (asked[0].from, asked[0].to),
        (first_kept - 5, first_kept - 1)
    );
    // The page within the DO's rows asks D1 nothing.
    let fx = w.get(&format!("from={first_kept}&limit=10"));
    assert!(reads(&fx).is_empty(), "{fx:?}");
    assert_eq!(any_reply(&fx).map(|r| r.0), Some(200));
}

#[test]
fn rows_deleted_while_d1_is_read_are_read_from_d1_too() {
    let mut w = World::long_game(300);
    let first_kept = w.store().journal[0].seq;
    let head_then = w.rig.seq();
    let fx = w.get("from=1&limit=1000");
    let asked = reads(&fx);
    assert_eq!(asked[0].to, first_kept - 1);
    // Meanwhile the room moves on and compacts past where the read stops.
    for _ in 0..200 {
        w.input();
        w.d1_answers();
    }
    w.drain();
    assert!(w.store().journal[0].seq > first_kept + 100);
    let fx = w.answer_reads(fx, &|_| {});
    let asked: Vec<(u64, u64)> = reads(&fx).iter().map(|r| (r.from, r.to)).collect();
    assert_eq!(asked.len(), 2, "a second read fills the gap: {asked:?}");
    assert_eq!(asked[1].0, first_kept);
    let (status, headers, text) = any_reply(&fx).unwrap_or_else(|| panic!("{fx:?}"));
    assert_eq!(status, 200);
    let entries: Vec<Entry> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    // The page ends at the head it was asked at.
    assert_eq!(entries.len() as u64, head_then);
    assert!(
        journal::verify(GAME, &entries).is_ok(),
        "gapless and linked"
    );
    assert_eq!(
        header(&headers, "X-Journal-Head"),
        Some(head_then.to_string().as_str())
    );
    assert_eq!(header(&headers, "X-Next-From"), None);
}

#[test]
fn bad_from_and_limit_are_refused_with_typed_errors_and_the_head_page_is_empty() {
    let mut w = World::long_game(10);
    let head = w.rig.seq();
    for q in [
        "from=abc",
        "from=-1",
        "from=1.5",
        "limit=0",
        "limit=-3",
        "limit=x",
        "limit=1001",
    ] {
        assert_eq!(error_code(&w.get(q)), (400, "BAD_QUERY".into()), "{q}");
    }
    let past = format!("from={}", head + 2);
    assert_eq!(error_code(&w.get(&past)), (400, "FROM_PAST_HEAD".into()));
    // The next seq to be written: an empty page, no cursor (a tailing reader polls it).
    let (status, headers, entries) = w.page(&format!("from={}", head + 1));
    assert_eq!((status, entries.len()), (200, 0));
    assert_eq!(header(&headers, "X-Next-From"), None);
    // from=0 reads as 1, as it always has; the default page is JOURNAL_PAGE_DEFAULT.
    let (_, _, entries) = w.page("from=0");
    assert_eq!(entries.first().map(|e| e.seq), Some(1));
    assert_eq!(entries.len() as u64, head.min(JOURNAL_PAGE_DEFAULT));
    let (_, headers, entries) = w.page("from=2&limit=3");
    assert_eq!(entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 3, 4]);
    assert_eq!(header(&headers, "X-Next-From"), Some("5"));
}

#[test]
fn a_d1_read_that_fails_or_comes_back_short_is_503_d1_unavailable() {
    let mut w = World::long_game(400);
    let fx = w.get("from=1");
    let read = reads(&fx).pop().expect("a D1 read");
    let fx = w.rig.step(Input::D1Read {
        read: read.clone(),
        result: Err("D1 is down".into()),
    });
    assert_eq!(error_code(&fx), (503, "D1_UNAVAILABLE".into()));
    let fx = w.get("from=1");
    let fx = w.answer_reads(fx, &|rows| {
        rows.remove(3);
    });
    assert_eq!(error_code(&fx), (503, "D1_UNAVAILABLE".into()));
}

// ---------------------------------------------------------------------------------------------
// POST …/cleanup

fn cleanup(w: &mut World, tamper: &dyn Fn(&mut Vec<Entry>)) -> Vec<Effect> {
    w.rig.advance(10);
    let fx = w.rig.http("POST", "/cleanup", "");
    w.answer_reads(fx, tamper)
}

#[test]
fn cleanup_is_refused_while_the_game_runs_or_d1_lacks_an_entry_and_deletes_nothing() {
    let mut w = World::long_game(150);
    assert_eq!(
        error_code(&cleanup(&mut w, &|_| {})),
        (409, "GAME_NOT_FINISHED".into())
    );
    w.end_game();
    // The last entries are not confirmed yet.
    w.d1_down = true;
    w.input();
    w.d1_answers();
    let (status, code) = error_code(&cleanup(&mut w, &|_| {}));
    assert_eq!((status, code.as_str()), (409, "D1_INCOMPLETE"));
    w.d1_down = false;
    w.drain();
    // D1 lost a row, or holds an altered one: the verification refuses.
    let fx = cleanup(&mut w, &|rows| {
        if rows.first().is_some_and(|e| e.seq == 1) {
            rows.remove(40);
        }
    });
    assert_eq!(error_code(&fx), (409, "D1_INCOMPLETE".into()));
    let fx = cleanup(&mut w, &|rows| {
        if let Some(e) = rows.get_mut(7) {
            e.payload = e.payload.replace('1', "2");
        }
    });
    let (_, _, text) = any_reply(&fx).unwrap_or_default();
    assert!(text.contains("does not verify"), "{text}");
    assert!(
        w.store().snapshot.is_some() && w.store().tombstone.is_none(),
        "nothing deleted"
    );
}

#[test]
fn cleanup_after_d1_verified_everything_leaves_a_tombstone_and_the_journal_in_d1() {
    let mut w = World::long_game(1200);
    let s1 = w.rig.connect("p1");
    w.end_game();
    w.drain();
    let head = w.rig.seq();
    let fx = cleanup(&mut w, &|_| {});
    assert_eq!(reads(&fx).len() as u64, head.div_ceil(JOURNAL_PAGE_MAX));
    let (status, _, text) = any_reply(&fx).unwrap_or_else(|| panic!("{fx:?}"));
    assert_eq!(status, 200, "{text}");
    let answer: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    assert_eq!(answer["seq"], head);
    assert_eq!(answer["head"], w.d1.rows[&head].hash.to_hex());
    assert!(fx
        .iter()
        .any(|e| matches!(e, Effect::Close { socket, code: 1000, .. } if *socket == s1)));
    assert_eq!(alarm(&fx), Some(None), "the alarm is deleted");
    let logged = |e: &LogEvent| w.rig.logs.iter().any(|l| &l.event == e);
    assert!(logged(&LogEvent::Cleanup), "the cleanup is logged");
    let cleanup = w.rig.logs.iter().find(|l| l.event == LogEvent::Cleanup);
    assert_eq!(cleanup.map(|l| l.seq), Some(head));
    assert!(
        w.rig
            .logs
            .iter()
            .any(|l| matches!(l.event, LogEvent::Compaction { rows, .. } if rows > 0)),
        "compactions are logged"
    );
    let s = w.store();
    assert!(s.snapshot.is_none() && s.journal.is_empty() && s.outbox.is_empty());
    assert!(s.tasks.is_empty() && s.meta.is_empty());
    assert_eq!(s.tombstone.as_ref().map(|t| t.seq), Some(head));
    // What is left answers 410, except the journal, read from D1.
    for (method, path) in [("GET", "/state"), ("POST", "/cleanup"), ("POST", "/admin")] {
        let fx = w.rig.http(method, path, r#"{"type":"NEXT_STAGE"}"#);
        assert_eq!(error_code(&fx), (410, "ROOM_CLEANED_UP".into()), "{path}");
    }
    let body = init_body("ADMIN", T0);
    assert_eq!(
        error_code(&w.rig.http("POST", "/init", &body)),
        (410, "ROOM_CLEANED_UP".into())
    );
    let (status, headers, entries) = w.page("from=1&limit=1000");
    assert_eq!(status, 200);
    assert_eq!(entries.len(), 1000);
    assert_eq!(
        header(&headers, "X-Journal-Head"),
        Some(head.to_string().as_str())
    );
    // A fresh instance over the same storage still knows.
    let store = w.store().clone();
    w.rig.host = Host::new(config(), store, Vec::new());
    assert_eq!(
        error_code(&w.rig.http("GET", "/state", "")),
        (410, "ROOM_CLEANED_UP".into())
    );
}

#[test]
fn an_entry_journaled_during_the_check_stops_the_cleanup() {
    let mut w = World::long_game(1100);
    w.end_game();
    w.drain();
    w.rig.advance(10);
    let fx = w.rig.http("POST", "/cleanup", "");
    let first = reads(&fx);
    assert_eq!(first.len(), 1);
    // A late (refused) input is journaled and confirmed while D1 is being read.
    w.input();
    w.drain();
    let fx = w.answer_reads(fx, &|_| {});
    let (_, code) = error_code(&fx);
    assert_eq!(code, "D1_INCOMPLETE");
    assert!(w.store().tombstone.is_none());
    // Asked again, it goes through.
    let fx = cleanup(&mut w, &|_| {});
    assert_eq!(any_reply(&fx).map(|r| r.0), Some(200));
}
