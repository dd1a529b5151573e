//! The operator's D1 routes (`room::operator`, docs/protocol.md "Operator routes") on a real
//! SQLite database with the migrations: the rooms page and its filter as the Worker queries
//! them, and `…/verify` reading a journal back in pages and naming the first altered, missing
//! or unreadable row.

use crate::d1_lifecycle::{db, finished_game, rows, write};
use pecking_order::room::host::SqlParam;
use pecking_order::room::operator::{
    verify_page_sql, ChainCheck, RoomSummary, RoomsQuery, RoomsResponse, VerifyStatus,
};
use pecking_order::room::{Lifecycle, Room};
use pecking_order::sim;
use rusqlite::types::Value as Sql;
use rusqlite::Connection;
use serde_json::{json, Map, Value};

fn query(c: &Connection, sql: &str, params: &[SqlParam]) -> Vec<Map<String, Value>> {
    let params: Vec<Sql> = params
        .iter()
        .map(|p| match p {
            SqlParam::Int(i) => Sql::Integer(*i),
            SqlParam::Text(t) => Sql::Text(t.clone()),
            SqlParam::Null => Sql::Null,
        })
        .collect();
    // `rows` runs a query without parameters: inline them through a prepared copy.
    let mut stmt = c.prepare(sql).unwrap();
    let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
    stmt.query_map(rusqlite::params_from_iter(params), |r| {
        let mut o = Map::new();
        for (i, n) in names.iter().enumerate() {
            let v = match r.get::<_, Sql>(i)? {
                Sql::Null => Value::Null,
                Sql::Integer(x) => Value::from(x),
                Sql::Real(x) => Value::from(x),
                Sql::Text(t) => Value::from(t),
                Sql::Blob(_) => Value::from("blob"),
            };
            o.insert(n.clone(), v);
        }
        Ok(o)
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// The rooms page as the Worker builds it.
fn rooms_page(c: &Connection, q: &RoomsQuery) -> RoomsResponse {
    let (sql, params) = q.count_sql();
    let total = query(c, &sql, &params)[0]["n"].as_u64().unwrap();
    let (sql, params) = q.page_sql();
    let rooms = query(c, &sql, &params)
        .iter()
        .map(|r| RoomSummary::from_row(r).unwrap())
        .collect();
    RoomsResponse::new(q, rooms, total)
}

/// `…/verify` as the Worker runs it: pages of `page` rows until the check is over.
fn verify(
    c: &Connection,
    game: &str,
    page: u64,
) -> (pecking_order::room::operator::VerifyResponse, usize) {
    let mut check = ChainCheck::with_page(game, page);
    let mut queries = 0;
    while let Some((after, limit)) = check.next_page() {
        let params = [
            SqlParam::Text(game.into()),
            SqlParam::Int(after as i64),
            SqlParam::Int(limit as i64),
        ];
        check.feed_rows(&query(c, &verify_page_sql(), &params));
        queries += 1;
    }
    (check.finish(7), queries)
}

fn two_games() -> (Connection, u64) {
    let (_, journal) = finished_game();
    let c = db(5);
    write(&c, &journal);
    let (room, entries) = Room::create(
        "new-1",
        &sim::init_body(4, 2),
        journal[0].at_ms + 1,
        [5; 32],
    )
    .unwrap();
    assert_eq!(room.seq(), 1);
    write(&c, &entries);
    (c, journal.len() as u64)
}

#[test]
fn the_rooms_page_lists_games_newest_first_with_their_d1_head() {
    let (c, finished_len) = two_games();
    let all = rooms_page(&c, &RoomsQuery::default());
    assert_eq!(all.total, 2);
    assert_eq!(all.next_offset, None);
    let ids: Vec<&str> = all.rooms.iter().map(|r| r.game_id.as_str()).collect();
    assert_eq!(ids, ["new-1", "life-1"]);
    let (new, done) = (&all.rooms[0], &all.rooms[1]);
    assert_eq!(
        (new.status, new.d1_head_seq, new.players),
        (Lifecycle::Active, 1, 4)
    );
    assert_eq!(new.end_seq, None);
    assert_eq!(done.status, Lifecycle::Completed);
    assert_eq!(done.d1_head_seq, finished_len);
    assert!(done.winner_player_id.is_some() && done.end_seq.is_some());
    // The document the route sends is what its schema says.
    crate::schema_support::assert_valid("RoomsResponse", &serde_json::to_value(&all).unwrap());

    let active = RoomsQuery {
        status: Some(Lifecycle::Active),
        ..RoomsQuery::default()
    };
    let page = rooms_page(&c, &active);
    assert_eq!((page.total, page.rooms.len()), (1, 1));
    assert_eq!(page.rooms[0].game_id, "new-1");
    let first = rooms_page(
        &c,
        &RoomsQuery {
            limit: 1,
            ..RoomsQuery::default()
        },
    );
    assert_eq!((first.rooms.len(), first.next_offset), (1, Some(1)));
    let second = rooms_page(
        &c,
        &RoomsQuery {
            limit: 1,
            offset: 1,
            ..RoomsQuery::default()
        },
    );
    assert_eq!(second.rooms[0].game_id, "life-1");
    assert_eq!(second.next_offset, None);
    assert!(rows(&c, "SELECT 1 AS one").len() == 1);
}

#[test]
fn an_intact_journal_verifies_in_pages_to_its_head() {
    let (c, len) = two_games();
    let (_, journal) = finished_game();
    let head = journal.last().unwrap();
    for page in [1000, 7, len, len - 1] {
        let (v, queries) = verify(&c, "life-1", page);
        assert_eq!(v.status, VerifyStatus::Verified, "page {page}");
        assert_eq!((v.entries_checked, v.head_seq), (len, len));
        assert_eq!(v.head_hash, Some(head.hash.to_hex()));
        assert_eq!((v.first_bad_seq, v.problem.as_deref()), (None, None));
        // One query per full page, plus the short one that ends it.
        assert_eq!(queries as u64, len / page + 1, "page {page}");
        crate::schema_support::assert_valid("VerifyResponse", &serde_json::to_value(&v).unwrap());
    }
    let (v, _) = verify(&c, "no-such-game", 1000);
    assert_eq!(
        (v.status, v.entries_checked, v.head_hash),
        (VerifyStatus::Empty, 0, None)
    );
}

#[test]
fn verify_names_the_first_altered_missing_or_unreadable_entry() {
    let (_, journal) = finished_game();
    let cases: [(&str, u64, &str); 4] = [
        (
            "UPDATE journal SET payload = '{\"x\":1}' WHERE game_id = 'life-1' AND seq = 40",
            40,
            "hash",
        ),
        (
            "UPDATE journal SET hash = prev_hash WHERE game_id = 'life-1' AND seq = 12",
            12,
            "hash",
        ),
        (
            "DELETE FROM journal WHERE game_id = 'life-1' AND seq = 25",
            25,
            "seq",
        ),
        (
            "UPDATE journal SET at_ms = 'noon' WHERE game_id = 'life-1' AND seq = 9",
            9,
            "row",
        ),
    ];
    for (sql, bad, field) in cases {
        let c = db(5);
        write(&c, &journal);
        c.execute_batch(sql).unwrap();
        for page in [1000, 8] {
            let (v, _) = verify(&c, "life-1", page);
            assert_eq!(v.status, VerifyStatus::Broken, "{sql}");
            assert_eq!(v.first_bad_seq, Some(bad), "{sql}, page {page}");
            assert_eq!(v.bad_field.as_deref(), Some(field), "{sql}");
            assert_eq!(v.entries_checked, bad - 1, "{sql}");
            assert_eq!(v.head_seq, bad - 1);
            assert_eq!(
                v.head_hash,
                Some(journal[bad as usize - 2].hash.to_hex()),
                "the head is the last entry that verified"
            );
            let problem = v.problem.clone().unwrap();
            assert!(problem.contains(&format!("entry {bad}")), "{problem}");
        }
    }
}

/// The operator routes' answers (`room::operator`) are what their schemas say, and the schemas
/// refuse what the routes never send.
#[test]
fn the_operator_answers_match_their_schemas() {
    let empty = RoomsResponse::new(&RoomsQuery::default(), vec![], 0);
    crate::schema_support::assert_valid("RoomsResponse", &serde_json::to_value(&empty).unwrap());
    let room = json!({"gameId": "g1", "mode": "BLITZ", "status": "DONE", "createdAtMs": 1,
        "completedAtMs": null, "winnerPlayerId": null, "endSeq": null, "players": 3, "d1HeadSeq": 4});
    let page = json!({"rooms": [room], "total": 1, "offset": 0, "limit": 50, "nextOffset": null});
    assert!(
        !crate::schema_support::valid("RoomsResponse", &page),
        "an unknown status"
    );
    let v = ChainCheck::new("g1").finish(5);
    let mut doc = serde_json::to_value(&v).unwrap();
    crate::schema_support::assert_valid("VerifyResponse", &doc);
    doc["status"] = json!("OK");
    assert!(
        !crate::schema_support::valid("VerifyResponse", &doc),
        "an unknown verification status"
    );
}
