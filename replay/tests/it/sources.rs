//! A recorded game written as a D1 SQLite file, a SQL dump and JSON lines replays to the state of
//! the live room, and `verify` accepts it.

use crate::common;

use common::*;
use pecking_order::room::{revealed_seed, Room};
use pecking_order_replay::audit::{check_chain, Replayer};
use pecking_order_replay::{export, source};

#[test]
fn every_source_replays_to_the_live_room() {
    let (live, journal) = sim_game();
    let dir = tempfile::tempdir().unwrap();
    let sqlite = write_sqlite(dir.path(), "journal.sqlite", &journal);
    let dump = dir.path().join("export.sql");
    export::write_sql_dump(&dump, &journal).unwrap();
    let jsonl = dir.path().join("journal.jsonl");
    export::write_json_lines(&jsonl, &journal).unwrap();
    for (path, format) in [
        (&sqlite, source::Format::Sqlite),
        (&dump, source::Format::SqlDump),
        (&jsonl, source::Format::JsonLines),
    ] {
        let j = source::load(path, None).unwrap();
        assert_eq!(j.format, format);
        assert_eq!(j.game_id, "game-a");
        assert_eq!(j.entries, journal, "{format:?} reads back every column");
        assert_eq!(check_chain(&j).unwrap(), live.head());
        let mut r = Replayer::new(&j.game_id, &j.entries, revealed_seed(&j.entries));
        r.run(|_| {});
        assert!(r.divergences.is_empty());
        assert_eq!(
            r.room().snapshot_bytes(),
            live.snapshot_bytes(),
            "{format:?}"
        );
        // The engine's own replay agrees too.
        let room = Room::replay(&j.game_id, &j.entries, None).unwrap();
        assert_eq!(room.snapshot_bytes(), live.snapshot_bytes());

        let run = po(&["verify", path_str(path)]);
        assert_eq!(run.code, 0, "{format:?}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stdout.contains(&format!("OK {}", live.head())),
            "{}",
            run.stdout
        );
        for (day, head) in live.day_heads() {
            assert!(
                run.stdout.contains(&format!("day {day}:   head {head}")),
                "{}",
                run.stdout
            );
        }
    }
}

#[test]
fn state_at_the_end_and_midway_matches_the_live_room() {
    let (live, journal) = sim_game();
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "j.sqlite", &journal);
    let last = journal.len().to_string();
    let run = po(&["state", path_str(&db), "--at", &last]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let got: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(got, serde_json::to_value(live.state()).unwrap());

    // Midway, by seq and by time: the state of a room that replayed only that prefix.
    let k = journal.len() / 2;
    let prefix = Room::replay("game-a", &journal[..k], revealed_seed(&journal)).unwrap();
    let expect = serde_json::to_value(prefix.state()).unwrap();
    let by_seq = po(&["state", path_str(&db), "--at", &k.to_string()]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&by_seq.stdout).unwrap(),
        expect
    );
    // The entries stamped at the same ms as entry k are included by a time.
    let t = journal[k - 1].at_ms;
    let n_at_t = journal.iter().filter(|e| e.at_ms <= t).count();
    let prefix_t = Room::replay("game-a", &journal[..n_at_t], revealed_seed(&journal)).unwrap();
    let expect_t = serde_json::to_value(prefix_t.state()).unwrap();
    let rfc = chrono::DateTime::from_timestamp_millis(t)
        .unwrap()
        .to_rfc3339();
    for at in [format!("{t}ms"), t.to_string(), rfc] {
        let run = po(&["state", path_str(&db), "--at", &at]);
        assert_eq!(run.code, 0, "--at {at}: {}", run.stderr);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap(),
            expect_t,
            "--at {at}"
        );
    }

    // One player's projection is the live room's projection for that player.
    let run = po(&["state", path_str(&db), "--at", &last, "--player", "p2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap(),
        live.projection(Some("p2"))
    );
    let run = po(&["state", path_str(&db), "--at", &last, "--public"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap(),
        live.projection(None)
    );

    // Points the journal does not have are bad input.
    let past = (journal.len() + 1).to_string();
    for at in [past.as_str(), "2020-01-01T00:00:00Z", "yesterday"] {
        let run = po(&["state", path_str(&db), "--at", at]);
        assert_eq!(run.code, 4, "--at {at}: {}", run.stderr);
    }
    let run = po(&["state", path_str(&db), "--at", "5", "--player", "nobody"]);
    assert_eq!(run.code, 4);
    assert!(run.stderr.contains("no such player"), "{}", run.stderr);
}

#[test]
fn several_games_need_a_choice() {
    let (_, a) = sim_game();
    let (_, b) = tie_game();
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "both.sqlite", &a);
    export::write_sqlite(&db, &b).unwrap();
    let run = po(&["verify", path_str(&db)]);
    assert_eq!(run.code, 4);
    assert!(run.stderr.contains("holds 2 games"), "{}", run.stderr);
    assert!(
        run.stderr.contains("game-a (") && run.stderr.contains("tie-game ("),
        "{}",
        run.stderr
    );
    assert_eq!(po(&["verify", path_str(&db), "--game", "tie-game"]).code, 0);
    assert_eq!(po(&["verify", path_str(&db), "--game=game-a"]).code, 0);
    let run = po(&["verify", path_str(&db), "--game", "nope"]);
    assert_eq!(run.code, 4);
    assert!(
        run.stderr.contains("no such game") && run.stderr.contains("game-a"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_wrangler_state_directory_is_a_source() {
    let (live, journal) = sim_game();
    let dir = tempfile::tempdir().unwrap();
    let d1 = dir
        .path()
        .join(".wrangler/state/v3/d1/miniflare-D1DatabaseObject");
    std::fs::create_dir_all(&d1).unwrap();
    write_sqlite(&d1, "0f1e2d3c4b5a.sqlite", &journal);
    let run = po(&[
        "verify",
        path_str(&dir.path().join(".wrangler/state/v3/d1")),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(&live.head().to_hex()));
}

#[test]
fn a_data_only_dump_gets_the_journal_table() {
    let (live, journal) = sim_game();
    let dir = tempfile::tempdir().unwrap();
    let dump = export::sql_dump(&journal).unwrap();
    let data_only: String = dump
        .lines()
        .filter(|l| l.starts_with("INSERT"))
        .map(|l| format!("{l}\n"))
        .collect();
    let p = dir.path().join("data.sql");
    std::fs::write(&p, data_only).unwrap();
    let run = po(&["verify", path_str(&p)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(&live.head().to_hex()));
}

#[test]
fn a_live_wal_mode_database_is_read_while_its_writer_holds_it() {
    // `wrangler dev` keeps its D1 file open in WAL mode: recent rows live in the -wal file.
    let (live, journal) = sim_game();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.sqlite");
    let writer = rusqlite::Connection::open(&db).unwrap();
    let mode: String = writer
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    writer
        .execute_batch(pecking_order_replay::source::JOURNAL_SCHEMA)
        .unwrap();
    export::write_sqlite(&db, &journal).unwrap();
    assert!(dir.path().join("live.sqlite-wal").exists());
    let run = po(&["verify", path_str(&db)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(&live.head().to_hex()));
    drop(writer);
}
