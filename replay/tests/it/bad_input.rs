//! Unreadable or bad input exits 4 with a message that says what is wrong.

use crate::common;

use common::*;
use pecking_order_replay::export;

fn assert_bad(run: &Run, needle: &str) {
    assert_eq!(
        run.code, 4,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert!(
        run.stderr.contains(needle),
        "expected {needle:?} in: {}",
        run.stderr
    );
}

#[test]
fn a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("nope.sqlite");
    for verb in ["verify", "diff", "destiny"] {
        assert_bad(&po(&[verb, path_str(&p)]), "no such file");
    }
}

#[test]
fn empty_databases() {
    let dir = tempfile::tempdir().unwrap();
    // A zero-byte file (what a fresh wrangler state can leave behind).
    let zero = dir.path().join("zero.sqlite");
    std::fs::write(&zero, b"").unwrap();
    assert_bad(&po(&["verify", path_str(&zero)]), "empty database");
    // A SQLite file without any table.
    let none = dir.path().join("none.sqlite");
    sql(&none, "CREATE TABLE t (x); DROP TABLE t; VACUUM;");
    assert_bad(&po(&["verify", path_str(&none)]), "empty database");
    // The journal table with no rows.
    let rows = dir.path().join("rows.sqlite");
    export::write_sqlite(&rows, &[]).unwrap();
    assert_bad(&po(&["verify", path_str(&rows)]), "empty journal");
    // An empty JSON lines or SQL file.
    let ws = dir.path().join("ws.jsonl");
    std::fs::write(&ws, "\n \n").unwrap();
    assert_bad(&po(&["verify", path_str(&ws)]), "empty input");
}

#[test]
fn a_foreign_database() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("other.sqlite");
    sql(&p, "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'x');");
    assert_bad(&po(&["verify", path_str(&p)]), "foreign database");
    let run = po(&["verify", path_str(&p)]);
    assert!(
        run.stderr.contains("has no journal table (tables: users)"),
        "{}",
        run.stderr
    );
    // A `journal` table of another schema.
    let q = dir.path().join("other-journal.sqlite");
    sql(&q, "CREATE TABLE journal (id INTEGER, line TEXT);");
    assert_bad(
        &po(&["verify", path_str(&q)]),
        "lacks the column(s) game_id, seq",
    );
    // Not a database at all.
    let r = dir.path().join("notes.txt");
    std::fs::write(&r, "hello\nworld\n").unwrap();
    assert_bad(&po(&["verify", path_str(&r)]), "neither a SQLite database");
    let b = dir.path().join("blob.bin");
    std::fs::write(&b, [0xffu8, 0xfe, 0, 1, 2]).unwrap();
    assert_bad(&po(&["verify", path_str(&b)]), "unreadable");
}

#[test]
fn malformed_json_lines() {
    let (_, journal) = sim_game();
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.jsonl");
    export::write_json_lines(&good, &journal).unwrap();
    let text = std::fs::read_to_string(&good).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[4] = "{\"game_id\": \"game-a\", \"seq\": 5";
    let p = dir.path().join("bad.jsonl");
    std::fs::write(&p, lines.join("\n")).unwrap();
    assert_bad(&po(&["verify", path_str(&p)]), "malformed JSON lines");
    assert!(po(&["verify", path_str(&p)]).stderr.contains("line 5"));
    // A line with a wrong field type.
    let mut v: serde_json::Value = serde_json::from_str(lines[3]).unwrap();
    v["verdict"] = serde_json::json!("MAYBE");
    let bad_verdict = v.to_string();
    lines[4] = &bad_verdict;
    std::fs::write(&p, lines.join("\n")).unwrap();
    assert_bad(
        &po(&["verify", path_str(&p)]),
        "expected ACCEPTED or REJECTED:<code>",
    );
    // Two identical lines for one seq are read once (two exports concatenated); two different
    // ones are a fork (exit 5, tests/it/defects.rs).
    let dup = format!("{}\n{}\n{}\n", lines[0], lines[1], lines[1]);
    std::fs::write(&p, dup).unwrap();
    let run = po(&["verify", path_str(&p)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run
        .stderr
        .contains("seq 2 appears more than once with identical rows"));
}

#[test]
fn malformed_rows_name_seq_and_column() {
    let (_, journal) = sim_game();
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "j.sqlite", &journal);
    sql(&db, "UPDATE journal SET verdict = 'OK' WHERE seq = 7");
    assert_bad(
        &po(&["verify", path_str(&db)]),
        "malformed row (seq 7): column verdict",
    );
    let db = write_sqlite(dir.path(), "k.sqlite", &journal);
    sql(&db, "UPDATE journal SET at_ms = 'noon' WHERE seq = 3");
    assert_bad(
        &po(&["verify", path_str(&db)]),
        "malformed row (seq 3): column at_ms: expected an integer, found text",
    );
    let db = write_sqlite(dir.path(), "l.sqlite", &journal);
    sql(&db, "UPDATE journal SET prev_hash = 'xyz' WHERE seq = 4");
    assert_bad(&po(&["verify", path_str(&db)]), "column prev_hash");
    // The D1 schema forbids NULL; a copy without the constraints still must not pass.
    let db = dir.path().join("n.sqlite");
    sql(
        &db,
        &format!(
            "CREATE TABLE journal ({})",
            pecking_order::journal::row::COLUMNS
        ),
    );
    export::write_sqlite(&db, &journal).unwrap();
    sql(&db, "UPDATE journal SET payload = NULL WHERE seq = 4");
    assert_bad(
        &po(&["verify", path_str(&db)]),
        "malformed row (seq 4): column payload: expected text, found NULL",
    );
}

#[test]
fn gaps_are_named() {
    let (_, journal) = sim_game();
    let dir = tempfile::tempdir().unwrap();
    // An export that starts late (e.g. GET …/journal?from=20).
    let p = dir.path().join("tail.jsonl");
    export::write_json_lines(&p, &journal[19..]).unwrap();
    assert_bad(
        &po(&["verify", path_str(&p)]),
        "journal has a gap: seq 1–19 are missing (the next row present is seq 20)",
    );
    // Several rows missing in the middle.
    let mut holes = journal.clone();
    holes.drain(30..33);
    let db = write_sqlite(dir.path(), "holes.sqlite", &holes);
    let run = po(&["verify", path_str(&db)]);
    assert_eq!(run.code, 2, "an inner gap is tampering: {}", run.stderr);
    assert!(
        run.stderr.contains("seq 31–33 are missing"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_command_lines_are_usage_errors() {
    let (_, journal) = sim_game();
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "j.sqlite", &journal);
    for args in [
        vec![],
        vec!["frobnicate", path_str(&db)],
        vec!["verify"],
        vec!["verify", path_str(&db), "--bogus"],
        vec!["state", path_str(&db)],
        vec!["report", path_str(&db)],
        vec!["explain", path_str(&db), "--day", "x"],
        vec!["verify", path_str(&db), "--seed", "12"],
        vec!["verify", path_str(&db), "--expect-head", "zz"],
        vec!["verify", path_str(&db), "--game"],
        vec!["explain", path_str(&db)],
        vec!["explain", path_str(&db), "--day", "1", "--payout"],
        vec!["ticker", path_str(&db), "--payout"],
        vec!["verify", path_str(&db), path_str(&db)],
    ] {
        let run = po(&args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("error: "), "{args:?}: {}", run.stderr);
    }
    for args in [vec!["--help"], vec!["help"], vec!["-h"]] {
        let help = po(&args);
        assert_eq!(help.code, 0, "{args:?}");
        assert!(
            help.stdout.contains("EXIT CODES"),
            "{args:?}: {}",
            help.stdout
        );
    }
    let verb_help = po(&["explain", "--help"]);
    assert_eq!(verb_help.code, 0);
    assert!(verb_help.stdout.contains("--elimination <PLAYER>"));
    for args in [vec!["--version"], vec!["-V"], vec!["version"]] {
        let v = po(&args);
        assert_eq!(v.code, 0, "{args:?}");
        assert!(
            v.stdout.starts_with("po-replay ") && v.stdout.contains("(engine po-engine/"),
            "{args:?}: {}",
            v.stdout
        );
    }
}

#[test]
fn options_go_before_or_after_the_verb_and_source() {
    let (_, journal) = sim_game();
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "j.sqlite", &journal);
    for args in [
        vec!["verify", path_str(&db), "--game", "game-a", "-q"],
        vec!["verify", "--game=game-a", "--quiet", path_str(&db)],
        vec!["--game", "game-a", "-q", "verify", path_str(&db)],
        vec!["--timings", "verify", path_str(&db)],
    ] {
        let run = po(&args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(run.stdout.contains("chain:   OK"), "{args:?}");
    }
    let run = po(&["--timings", "verify", path_str(&db)]);
    assert!(run.stderr.contains("entries/s"), "{}", run.stderr);
}

#[test]
fn integers_stored_as_exact_reals_are_read_inexact_ones_refused() {
    // D1 hands integers to JavaScript as numbers; a copy may store them as REAL.
    let (_, journal) = sim_game();
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "real.sqlite", &journal);
    sql(
        &db,
        "UPDATE journal SET at_ms = CAST(at_ms AS REAL), day = CAST(day AS REAL) WHERE seq = 5",
    );
    let run = po(&["verify", path_str(&db)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    sql(&db, "UPDATE journal SET at_ms = at_ms + 0.5 WHERE seq = 5");
    assert_bad(
        &po(&["verify", path_str(&db)]),
        "malformed row (seq 5): column at_ms: ",
    );
    assert!(po(&["verify", path_str(&db)])
        .stderr
        .contains("is not an exact integer"));
    // The same in JSON lines.
    let p = dir.path().join("real.jsonl");
    export::write_json_lines(&p, &journal).unwrap();
    let text = std::fs::read_to_string(&p).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut v: serde_json::Value = serde_json::from_str(&lines[2]).unwrap();
    v["seq"] = serde_json::json!(3.0);
    lines[2] = v.to_string();
    std::fs::write(&p, lines.join("\n")).unwrap();
    assert_eq!(po(&["verify", path_str(&p)]).code, 0);
    v["seq"] = serde_json::json!(3.25);
    lines[2] = v.to_string();
    std::fs::write(&p, lines.join("\n")).unwrap();
    assert_bad(
        &po(&["verify", path_str(&p)]),
        "line 3: column seq: 3.25 is not an exact integer",
    );
}

/// A dump is read, never run (docs/security.md, "Auditor"): a crafted "export" that attaches a
/// database (which would create a file at any path) or runs a query is refused before anything
/// happens, and the honest rows around it do not make it acceptable.
#[test]
fn a_dump_that_would_run_sql_is_refused_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_, journal) = sim_game();
    let honest = export::sql_dump(&journal).unwrap();
    let planted = dir.path().join("planted.db");
    let attach = format!(
        "{honest}ATTACH DATABASE '{}' AS x;\nCREATE TABLE x.t (a);\n",
        planted.display()
    );
    let p = dir.path().join("attach.sql");
    std::fs::write(&p, attach).unwrap();
    assert_bad(
        &po(&["verify", path_str(&p)]),
        "ATTACH is not a statement of a D1 export",
    );
    assert!(!planted.exists(), "the dump created {}", planted.display());
    // A query that would take forever, and a value computed by SQL.
    let heavy = dir.path().join("heavy.sql");
    std::fs::write(
        &heavy,
        format!("{honest}WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c;\n"),
    )
    .unwrap();
    assert_bad(&po(&["verify", path_str(&heavy)]), "refused SQL dump");
    let computed = dir.path().join("computed.sql");
    std::fs::write(&computed, honest.replacen("VALUES(", "VALUES(lower(", 1)).unwrap();
    assert_bad(&po(&["verify", path_str(&computed)]), "not a literal");
    // The honest dump itself still verifies.
    let ok = dir.path().join("ok.sql");
    std::fs::write(&ok, honest).unwrap();
    assert_eq!(po(&["verify", path_str(&ok)]).code, 0);
}
