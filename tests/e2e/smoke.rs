//! End-to-end smoke tests against the built worker under `wrangler dev` (real workerd, real local
//! D1, real DO storage). Run with `make test`, or after `make build`:
//! `cargo test --features e2e --test e2e smoke::`.
#![cfg(feature = "e2e")]

use crate::support;

use pecking_order::journal::{self, Entry};
use serde_json::{json, Value};
use support::WranglerDev;

const VALID_INIT: &str = r#"{"manifest":{"mode":"PECKING_ORDER","kind":"STATIC","scheduling":"ADMIN","startTime":"2026-12-01T09:00:00Z","schedulePreset":"SMOKE_TEST","days":[{"voteType":"MAJORITY"},{"voteType":"FINALS"}]},"roster":[{"id":"p1","personaName":"Ada"},{"id":"p2","personaName":"Bo"},{"id":"p3","personaName":"Cy"}]}"#;

fn bad_manifest_init() -> String {
    VALID_INIT.replace(r#""mode":"PECKING_ORDER""#, r#""mode":"CHESS""#)
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[test]
fn health_and_unknown_routes() {
    let dev = WranglerDev::start();

    let health = dev.get("/health");
    assert_eq!(health.status, 200, "{}", health.text());
    assert_eq!(
        health.json(),
        json!({ "ok": true, "engine": pecking_order::engine::ENGINE_VERSION })
    );

    let missing = dev.get("/no/such/route");
    assert_eq!(missing.status, 404, "{}", missing.text());
    assert_eq!(missing.error_code(), "NOT_FOUND");
    assert!(missing
        .json()
        .pointer("/error/message")
        .is_some_and(Value::is_string));

    let missing_action = dev.get("/parties/game-server/g1/nope");
    assert_eq!(missing_action.status, 404, "{}", missing_action.text());
    assert_eq!(missing_action.error_code(), "NOT_FOUND");

    // Authentication comes before the game id is looked at.
    let bad_id = "/parties/game-server/bad%20id/state";
    let anonymous = dev
        .request("GET", bad_id, None, None)
        .expect("GET without bearer");
    assert_eq!(anonymous.status, 401, "{}", anonymous.text());
    let bad_id = dev.get(bad_id);
    assert_eq!(bad_id.status, 400, "{}", bad_id.text());
    assert_eq!(bad_id.error_code(), "BAD_GAME_ID");

    // A room that was never created.
    let state = dev.get("/parties/game-server/never-created/state");
    assert_eq!(state.status, 404, "{}", state.text());
    assert_eq!(state.error_code(), "ROOM_NOT_FOUND");
}

#[test]
fn init_state_journal_and_d1_row() {
    let dev = WranglerDev::start();
    let game = "smoke-1";
    let init_path = format!("/parties/game-server/{game}/init");

    // Authentication comes first and journals nothing.
    let no_bearer = dev
        .request("POST", &init_path, None, Some(VALID_INIT.as_bytes()))
        .expect("POST init without bearer");
    assert_eq!(no_bearer.status, 401, "{}", no_bearer.text());
    assert_eq!(no_bearer.error_code(), "UNAUTHORIZED");
    let wrong_bearer = dev
        .request(
            "POST",
            &init_path,
            Some("Bearer not-the-secret"),
            Some(VALID_INIT.as_bytes()),
        )
        .expect("POST init with a wrong bearer");
    assert_eq!(wrong_bearer.status, 401, "{}", wrong_bearer.text());
    assert_eq!(wrong_bearer.error_code(), "UNAUTHORIZED");
    let state_no_bearer = dev
        .request(
            "GET",
            &format!("/parties/game-server/{game}/state"),
            None,
            None,
        )
        .expect("GET state without bearer");
    assert_eq!(state_no_bearer.status, 401, "{}", state_no_bearer.text());

    // A bad manifest: 400 with a field error, and no room is created.
    let bad = dev.post(&init_path, &bad_manifest_init());
    assert_eq!(bad.status, 400, "{}", bad.text());
    let bad_body = bad.json();
    assert!(
        bad_body
            .pointer("/error/code")
            .is_some_and(Value::is_string),
        "{bad_body}"
    );
    assert!(
        bad_body.to_string().contains("mode"),
        "the error should name the field: {bad_body}"
    );

    // A valid init.
    let created = dev.post(&init_path, VALID_INIT);
    assert_eq!(created.status, 201, "{}", created.text());
    let created = created.json();
    assert_eq!(created["gameId"], game);
    assert_eq!(created["seq"], 1);
    let head = created["head"].as_str().expect("head").to_string();
    assert!(is_hex64(&head), "{created}");

    // A second init of the same room.
    let again = dev.post(&init_path, VALID_INIT);
    assert_eq!(again.status, 409, "{}", again.text());
    assert_eq!(again.error_code(), "ROOM_EXISTS");

    // State: the roster, seq 1, the journal head, and nothing left in the outbox.
    let state = dev.get(&format!("/parties/game-server/{game}/state"));
    assert_eq!(state.status, 200, "{}", state.text());
    let state = state.json();
    assert_eq!(state["seq"], 1, "{state}");
    assert_eq!(state["journalHead"], head.as_str(), "{state}");
    assert_eq!(state["outboxLag"], 0, "{state}");
    let state_text = state.to_string();
    for (id, name) in [("p1", "Ada"), ("p2", "Bo"), ("p3", "Cy")] {
        assert!(
            state_text.contains(&format!("\"{id}\""))
                && state_text.contains(&format!("\"{name}\"")),
            "roster member {id}/{name} missing from the state: {state}"
        );
    }

    // Journal from seq 1: one JSON line, the INIT entry, chained from the genesis hash.
    let lines = dev.get(&format!("/parties/game-server/{game}/journal?from=1"));
    assert_eq!(lines.status, 200, "{}", lines.text());
    let text = lines.text();
    let entries: Vec<Entry> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad journal line ({e}): {l}")))
        .collect();
    assert_eq!(entries.len(), 1, "{text}");
    assert_eq!(entries[0].seq, 1);
    assert_eq!(entries[0].game_id, game);
    assert_eq!(entries[0].hash.to_hex(), head);
    assert_eq!(
        journal::verify(game, &entries).map(|h| h.to_hex()),
        Ok(head.clone())
    );

    let past_end = dev.get(&format!("/parties/game-server/{game}/journal?from=2"));
    assert_eq!(past_end.status, 200, "{}", past_end.text());
    assert!(past_end.text().trim().is_empty(), "{}", past_end.text());
    let bad_from = dev.get(&format!("/parties/game-server/{game}/journal?from=x"));
    assert_eq!(bad_from.status, 400, "{}", bad_from.text());

    // The row reached the local D1 database, byte for byte.
    let rows = dev.d1_query(&format!(
        "SELECT game_id, seq, kind, type, verdict, engine, v, prev_hash, hash FROM journal WHERE game_id = '{game}'"
    ));
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    assert_eq!(row["seq"], 1);
    assert_eq!(row["hash"], head.as_str());
    assert_eq!(
        row["prev_hash"],
        journal::genesis_hash(game).to_hex().as_str()
    );
    assert_eq!(row["kind"], entries[0].kind.as_str());
    assert_eq!(row["type"], entries[0].typ.as_str());
    assert_eq!(row["verdict"], entries[0].verdict.to_wire().as_str());
    assert_eq!(row["engine"], entries[0].engine.as_str());
}

#[test]
fn d1_failure_does_not_fail_init_and_the_entry_waits_in_the_outbox() {
    // No migrations: the D1 database has no `journal` table, so the room's D1 write fails.
    let dev = WranglerDev::start_without_d1_tables();
    let game = "d1-down";

    let created = dev.post(&format!("/parties/game-server/{game}/init"), VALID_INIT);
    assert_eq!(created.status, 201, "{}", created.text());
    let head = created.json()["head"].as_str().expect("head").to_string();

    let state = dev.get(&format!("/parties/game-server/{game}/state"));
    assert_eq!(state.status, 200, "{}", state.text());
    let state = state.json();
    assert_eq!(state["seq"], 1, "{state}");
    assert_eq!(state["journalHead"], head.as_str(), "{state}");
    assert_eq!(
        state["outboxLag"], 1,
        "the unconfirmed entry stays in the outbox: {state}"
    );

    // The entry is safe in the room's own storage.
    let lines = dev.get(&format!("/parties/game-server/{game}/journal"));
    assert_eq!(lines.status, 200, "{}", lines.text());
    let entries: Vec<Entry> = lines
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).expect("journal line"))
        .collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].hash.to_hex(), head);
}
