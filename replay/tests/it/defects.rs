//! The verify defects of issue 18, each on a journal tampered the way an auditor would find it:
//! the exit code and the seq named.

use crate::common;

use common::*;
use pecking_order::journal::Entry;
use pecking_order_replay::export;
use std::path::{Path, PathBuf};

fn index_of_transfer(journal: &[Entry]) -> usize {
    journal
        .iter()
        .enumerate()
        .position(|(i, e)| {
            i > journal.len() / 3
                && e.typ == "SOCIAL.SEND_SILVER"
                && e.verdict.is_accepted()
                && e.at_ms > journal[i - 1].at_ms
        })
        .expect("an accepted transfer")
}

fn jsonl(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    p
}

fn lines_of(journal: &[Entry]) -> Vec<String> {
    journal
        .iter()
        .map(|e| serde_json::to_string(e).unwrap())
        .collect()
}

fn show(run: &Run) -> String {
    format!(
        "exit {}\nstdout:\n{}\nstderr:\n{}",
        run.code, run.stdout, run.stderr
    )
}

#[test]
fn a_resealed_row_whose_at_ms_goes_back_is_tampering_at_its_seq() {
    let (_, mut journal) = sim_game();
    let k = index_of_transfer(&journal);
    journal[k].at_ms = journal[k - 1].at_ms - 1;
    reseal(&mut journal, k);
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "at.sqlite", &journal);
    let run = po(&["verify", path_str(&db)]);
    assert_eq!(run.code, 2, "{}", show(&run));
    let seq = journal[k].seq;
    assert!(
        run.stderr.starts_with(&format!(
            "TAMPERED: entry seq {seq} is broken: its at_ms does not match"
        )),
        "{}",
        show(&run)
    );
    assert!(run.stderr.contains("is earlier than"), "{}", show(&run));
}

#[test]
fn a_resealed_day_column_is_compared_with_the_day_the_engine_derives() {
    let (_, mut journal) = sim_game();
    let k = index_of_transfer(&journal);
    let seq = journal[k].seq;
    let day = journal[k].day;
    journal[k].day = day + 1;
    reseal(&mut journal, k);
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "day.sqlite", &journal);
    let run = po(&["verify", path_str(&db)]);
    assert_eq!(run.code, 3, "{}", show(&run));
    assert!(
        run.stdout.contains(&format!("first at seq {seq} ")),
        "{}",
        show(&run)
    );
    assert!(
        run.stdout.contains(&format!(
            "day column says {}, the engine derives day {day}",
            day + 1
        )),
        "{}",
        show(&run)
    );
}

#[test]
fn an_earlier_alteration_is_reported_before_a_later_malformed_row() {
    let (_, journal) = sim_game();
    let k = index_of_transfer(&journal);
    let seq = journal[k].seq;
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "both.sqlite", &journal);
    sql(
        &db,
        &format!(
            "UPDATE journal SET payload = replace(payload, '\"amount\":', '\"amount\":9') WHERE seq = {seq};
             UPDATE journal SET verdict = 'GARBAGE' WHERE seq = {}",
            seq + 20
        ),
    );
    let run = po(&["verify", path_str(&db)]);
    assert_eq!(run.code, 2, "{}", show(&run));
    assert!(
        run.stderr.starts_with(&format!(
            "TAMPERED: entry seq {seq} is broken: its hash does not match"
        )),
        "{}",
        show(&run)
    );
    // The other way round, the malformed row comes first in seq order: bad input (4).
    let db = write_sqlite(dir.path(), "first.sqlite", &journal);
    sql(
        &db,
        &format!(
            "UPDATE journal SET verdict = 'GARBAGE' WHERE seq = {};
             UPDATE journal SET payload = replace(payload, '\"amount\":', '\"amount\":9') WHERE seq = {seq}",
            seq - 5
        ),
    );
    let run = po(&["verify", path_str(&db)]);
    assert_eq!(run.code, 4, "{}", show(&run));
    assert!(
        run.stderr
            .contains(&format!("malformed row (seq {}): column verdict", seq - 5)),
        "{}",
        show(&run)
    );
}

#[test]
fn an_earlier_alteration_is_reported_before_a_later_conflicting_duplicate() {
    let (_, journal) = sim_game();
    let k = index_of_transfer(&journal);
    let seq = journal[k].seq;
    let mut lines = lines_of(&journal);
    lines[k] = lines[k].replace("\"amount\\\":", "\"amount\\\":9");
    assert_ne!(lines[k], lines_of(&journal)[k], "the edit applies");
    let mut other = journal[k + 20].clone();
    other.payload = "{}".into();
    lines.push(serde_json::to_string(&other).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let p = jsonl(dir.path(), "j.jsonl", &lines);
    let run = po(&["verify", path_str(&p)]);
    assert_eq!(run.code, 2, "{}", show(&run));
    assert!(
        run.stderr.starts_with(&format!(
            "TAMPERED: entry seq {seq} is broken: its hash does not match"
        )),
        "{}",
        show(&run)
    );
}

#[test]
fn an_alteration_is_reported_when_seq_1_is_missing() {
    let (_, journal) = sim_game();
    let k = index_of_transfer(&journal);
    let seq = journal[k].seq;
    let mut lines = lines_of(&journal);
    lines[k] = lines[k].replace("\"amount\\\":", "\"amount\\\":9");
    let dir = tempfile::tempdir().unwrap();
    let p = jsonl(dir.path(), "late.jsonl", &lines[1..]);
    let run = po(&["verify", path_str(&p)]);
    assert_eq!(run.code, 2, "{}", show(&run));
    assert!(
        run.stderr.starts_with(&format!(
            "TAMPERED: entry seq {seq} is broken: its hash does not match"
        )),
        "{}",
        show(&run)
    );
    // Without the alteration it is a journal that starts late: bad input, as before.
    let p = jsonl(dir.path(), "late-ok.jsonl", &lines_of(&journal)[1..]);
    let run = po(&["verify", path_str(&p)]);
    assert_eq!(run.code, 4, "{}", show(&run));
    assert!(run.stderr.contains("seq 1 is missing"), "{}", show(&run));
}

#[test]
fn identical_duplicates_are_read_once_conflicting_ones_are_a_fork() {
    let (_, journal) = sim_game();
    let k = index_of_transfer(&journal);
    let seq = journal[k].seq;
    let dir = tempfile::tempdir().unwrap();
    // Two exports concatenated: every row of the first 50 twice, byte for byte.
    let mut lines = lines_of(&journal);
    lines.extend(lines_of(&journal[..50]));
    let p = jsonl(dir.path(), "twice.jsonl", &lines);
    let run = po(&["verify", path_str(&p)]);
    assert_eq!(run.code, 0, "{}", show(&run));
    assert!(
        run.stderr
            .contains("note: seq 1 appears more than once with identical rows; read once"),
        "{}",
        show(&run)
    );
    // A second history for one seq, sealed on the same predecessor: fork evidence (5).
    let mut forked = journal[k].clone();
    forked.payload = forked.payload.replace("\"amount\":", "\"amount\":9");
    let forked = forked.seal(journal[k - 1].hash);
    let mut lines = lines_of(&journal);
    lines.push(serde_json::to_string(&forked).unwrap());
    let p = jsonl(dir.path(), "fork.jsonl", &lines);
    let run = po(&["verify", path_str(&p)]);
    assert_eq!(run.code, 5, "{}", show(&run));
    assert!(
        run.stderr
            .starts_with(&format!("FORK: seq {seq} has two different rows")),
        "{}",
        show(&run)
    );
    assert!(
        run.stderr.contains(&journal[k].hash.to_string())
            && run.stderr.contains(&forked.hash.to_string()),
        "{}",
        show(&run)
    );
}

#[test]
fn an_unfinished_game_is_verified_up_to_its_first_seeded_outcome() {
    let (_, mut journal) = tie_game();
    assert_eq!(journal.pop().unwrap().typ, "SYSTEM.REVEAL_SEED");
    // The first entry the engine cannot redo without the seed (the live room had it).
    let close = match pecking_order::room::Room::replay("tie-game", &journal, None) {
        Err(pecking_order::room::RoomError::Diverged { seq, why }) => {
            assert!(why.contains("SEED_UNKNOWN"), "{why}");
            seq
        }
        other => panic!("expected a seeded entry, got {:?}", other.map(|_| ())),
    };
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "unrevealed.sqlite", &journal);
    let run = po(&["verify", path_str(&db)]);
    assert_eq!(run.code, 0, "{}", show(&run));
    assert!(
        run.stdout.contains(&format!(
            "verified up to seq {}; seeded outcomes unverifiable until the reveal",
            close - 1
        )),
        "{}",
        show(&run)
    );
    assert!(!run.stdout.contains("DIVERGED"), "{}", show(&run));
    // An alteration before the draw is still a divergence.
    let k = 0;
    assert!(journal[k].seq < close);
    journal[k].facts = journal[k].facts.replacen("\"delta\":", "\"delta\":1", 1);
    reseal(&mut journal, k);
    let db = write_sqlite(dir.path(), "unrevealed-forged.sqlite", &journal);
    let run = po(&["verify", path_str(&db)]);
    assert_eq!(run.code, 3, "{}", show(&run));
    assert!(
        run.stdout
            .contains(&format!("first at seq {} ", journal[k].seq)),
        "{}",
        show(&run)
    );
}

#[test]
fn the_reordered_hint_never_names_the_row_itself() {
    let (_, journal) = sim_game();
    let k = index_of_transfer(&journal);
    let seq = journal[k].seq;
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "self.sqlite", &journal);
    sql(
        &db,
        &format!("UPDATE journal SET prev_hash = hash WHERE seq = {seq}"),
    );
    let run = po(&["verify", path_str(&db)]);
    assert_eq!(run.code, 2, "{}", show(&run));
    assert!(
        run.stderr.starts_with(&format!(
            "TAMPERED: entry seq {seq} is broken: its prev_hash does not match"
        )),
        "{}",
        show(&run)
    );
    assert!(!run.stderr.contains("reordered"), "{}", show(&run));
    assert!(
        run.stderr.contains("prev_hash was rewritten"),
        "{}",
        show(&run)
    );
}

#[test]
fn exit_3_tells_a_defect_or_forgery_from_rules_drift() {
    let (_, journal) = sim_game();
    let k = find_fact(&journal, "\"TRANSFER_IN\"");
    let dir = tempfile::tempdir().unwrap();
    let mut same = journal.clone();
    same[k].facts = same[k].facts.replace("TRANSFER_IN", "GIFT");
    reseal(&mut same, k);
    let db = write_sqlite(dir.path(), "same.sqlite", &same);
    let run = po(&["verify", path_str(&db)]);
    assert_eq!(run.code, 3, "{}", show(&run));
    assert!(
        run.stdout.contains(
            "the same engine version that recorded it: a defect in the engine or a forged entry"
        ),
        "{}",
        show(&run)
    );
    assert!(!run.stdout.contains("rules drift"), "{}", show(&run));
    let mut older = same.clone();
    older[k].engine = "po-engine/0.0.9".into();
    reseal(&mut older, k);
    let db = write_sqlite(dir.path(), "older.sqlite", &older);
    let run = po(&["verify", path_str(&db)]);
    assert_eq!(run.code, 3, "{}", show(&run));
    assert!(
        run.stdout
            .contains("rules drift: recorded by po-engine/0.0.9, replayed with po-engine/"),
        "{}",
        show(&run)
    );
}

#[test]
fn json_lines_round_trip_keeps_the_export_helper_honest() {
    // The JSON lines these tests build by hand are the ones the export writes.
    let (_, journal) = sim_game();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.jsonl");
    export::write_json_lines(&p, &journal).unwrap();
    let written = std::fs::read_to_string(&p).unwrap();
    let ours = lines_of(&journal);
    assert_eq!(written.lines().next().unwrap(), ours[0]);
}
