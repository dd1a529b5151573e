//! `explain` names the inputs that decided each vote: the ballot, the tallies, the silver that
//! settled a MAJORITY tie, and the seeded draw (rechecked from the revealed seed) that settled a
//! FINALS tie.

use crate::common;

use common::*;
use pecking_order::engine::rng::Rng;

fn tie_db() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    pecking_order::room::Room,
    Vec<pecking_order::journal::Entry>,
) {
    let (room, journal) = tie_game();
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "tie.sqlite", &journal);
    (dir, db, room, journal)
}

#[test]
fn the_scripted_game_has_the_ties_it_was_built_for() {
    let (_dir, _db, room, _) = tie_db();
    let st = room.state().unwrap();
    let r = &st.results;
    assert_eq!(r.len(), 3);
    assert_eq!(r[0].1.eliminated.as_deref(), Some("p1"));
    assert_eq!(
        r[0].1.tie_break.as_deref(),
        Some("tied on votes: lowest silver")
    );
    assert_eq!(r[1].1.eliminated.as_deref(), Some("p5"));
    assert!(
        r[2].1.tie_break.as_deref().unwrap().contains("seeded draw"),
        "{:?}",
        r[2].1
    );
}

#[test]
fn a_majority_tie_settled_by_silver_names_its_inputs() {
    let (_dir, db, _, _) = tie_db();
    let run = po(&["explain", path_str(&db), "--day", "1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    println!("{out}");
    for needle in [
        "MAJORITY vote, day 1",
        "silver when voting opened: p1 40, p2 50, p3 50, p4 60, p5 30",
        "    p1 → p2 (seq ",
        "    p2 → p1 (seq ",
        "    p3: did not vote",
        "tallies: p1 1, p2 1, p3 0, p4 0, p5 0",
        "tied on 1 vote(s): p1, p2",
        "silver when voting opened: p1 40, p2 50\n",
        "lowest silver (40): p1 — decided by silver",
        "engine's tie-break note: tied on votes: lowest silver",
        "eliminated: p1 (Player 1)",
        "Eliminated on day 1:\n  p1 (Player 1) — MAJORITY",
        "Chain head at the end of day 1: ",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }

    let run = po(&["explain", path_str(&db), "--elimination", "p1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    println!("{}", run.stdout);
    for needle in [
        "p1 (Player 1) was eliminated on day 1 by MAJORITY.",
        "eliminating entry: seq ",
        "END_DAY",
        "deciding entry: seq ",
        "CLOSE_VOTING settled the MAJORITY vote",
        "votes for p1: p2",
        "lowest silver (40): p1 — decided by silver",
    ] {
        assert!(
            run.stdout.contains(needle),
            "missing {needle:?} in:\n{}",
            run.stdout
        );
    }
}

#[test]
fn a_finals_tie_settled_by_the_seeded_draw_names_seed_and_draw() {
    let (_dir, db, room, journal) = tie_db();
    let st = room.state().unwrap();
    let winner = st.winner.clone().unwrap();
    let close = journal
        .iter()
        .find(|e| e.day == 3 && e.facts.contains("\"VOTE_RESULT\""))
        .unwrap();
    let pick = Rng::for_entry(&[5u8; 32], close.seq, "vote").below(2);
    let run = po(&["explain", path_str(&db), "--day", "3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    println!("{out}");
    let seed_hex = "05".repeat(32);
    for needle in [
        "FINALS vote, day 3".to_string(),
        "voters:  p1, p5".to_string(),
        "    p1 → p2 (seq ".to_string(),
        "    p5 → p3 (seq ".to_string(),
        "tied on 1 vote(s): p2, p3".to_string(),
        "still tied on highest silver (50): p2, p3 (roster order)".to_string(),
        format!("seeded draw: index = Rng::for_entry(seed, seq {}, \"vote\").below(2) = {pick} → {winner} (matches the recorded result)", close.seq),
        format!("seed {seed_hex} (revealed at seq {})", journal.len()),
        "the seed matches it".to_string(),
        format!("winner: {winner}"),
        "Winner: ".to_string(),
    ] {
        assert!(out.contains(&needle), "missing {needle:?} in:\n{out}");
    }
    // The runner-up of the tie leaves the game, and the elimination explains that.
    let other = if winner == "p2" { "p3" } else { "p2" };
    assert!(out.contains(&format!("runner-up (most votes after the winner {winner}, then highest silver): {other} leaves the game")), "{out}");
    let run = po(&["explain", path_str(&db), "--elimination", other]);
    assert!(
        run.stdout.contains("by FINALS") && run.stdout.contains("seeded draw"),
        "{}",
        run.stdout
    );
    let run = po(&["explain", path_str(&db), "--elimination", &winner]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("was not eliminated: they won the game"),
        "{}",
        run.stdout
    );
}

#[test]
fn payouts_list_gold_with_balances_after() {
    let (_dir, db, room, _) = tie_db();
    let winner = room.state().unwrap().winner.clone().unwrap();
    let run = po(&["explain", path_str(&db), "--payout"]);
    assert_eq!(run.code, 0);
    println!("{}", run.stdout);
    assert!(run.stdout.contains("100 at the start"), "{}", run.stdout);
    assert!(
        run.stdout.contains("pool -100 → pool 0 (WINNER_PAYOUT)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("{winner} gold +100 → balance 100 (WINNER)")),
        "{}",
        run.stdout
    );
}

#[test]
fn explain_refuses_what_the_journal_does_not_have() {
    let (_dir, db, _, _) = tie_db();
    let run = po(&["explain", path_str(&db), "--day", "9"]);
    assert_eq!(run.code, 4);
    assert!(
        run.stderr
            .contains("no day 9 in this journal (days: 1, 2, 3)"),
        "{}",
        run.stderr
    );
    let run = po(&["explain", path_str(&db), "--elimination", "zed"]);
    assert_eq!(run.code, 4);
    assert!(run.stderr.contains("no such player"), "{}", run.stderr);
    let run = po(&["explain", path_str(&db)]);
    assert_eq!(run.code, 1, "no question asked is a usage error");
}

#[test]
fn destiny_says_plainly_when_there_is_none() {
    // Before the first morning nothing has been dealt.
    let (_, journal) = tie_game();
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "pregame.sqlite", &journal[..1]);
    let run = po(&["destiny", path_str(&db)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("this journal has no destiny facts"),
        "{}",
        run.stdout
    );
}

#[test]
fn destiny_lists_every_holders_evaluation_as_the_engine_has_it() {
    let (room, _) = tie_game();
    let (_dir, db, _, _) = tie_db();
    let run = po(&["destiny", path_str(&db)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let holders = &room.state().unwrap().destinies.holders;
    assert!(!holders.is_empty());
    for h in holders {
        let destiny = serde_json::to_value(h.destiny).unwrap();
        let status = serde_json::to_value(h.status).unwrap();
        let line = run
            .stdout
            .lines()
            .find(|l| {
                l.contains("DESTINY_RESULT")
                    && l.contains(&format!("\"playerId\":\"{}\"", h.player_id))
            })
            .unwrap_or_else(|| panic!("no result for {}: {}", h.player_id, run.stdout));
        assert!(line.contains(&format!("\"destiny\":{destiny}")), "{line}");
        assert!(line.contains(&format!("\"status\":{status}")), "{line}");
    }
}

#[test]
fn an_unrevealed_seed_can_be_given_to_recheck_a_draw() {
    let (_, mut journal) = tie_game();
    assert_eq!(journal.pop().unwrap().typ, "SYSTEM.REVEAL_SEED");
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "unrevealed.sqlite", &journal);
    let run = po(&["verify", path_str(&db)]);
    // Unfinished: verified up to the first seeded outcome, not diverged (docs/replay.md).
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("seeded outcomes unverifiable until the reveal"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("pass --seed HEX"), "{}", run.stdout);
    let seed = "05".repeat(32);
    let run = po(&["verify", path_str(&db), "--seed", &seed]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("seed:    not revealed yet"),
        "{}",
        run.stdout
    );
    let run = po(&["explain", path_str(&db), "--day", "3", "--seed", &seed]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("(matches the recorded result)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!(
            "seed {seed} (given with --seed, not revealed in this journal)"
        )),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("the seed matches it"), "{}", run.stdout);
}

#[test]
fn ticker_prints_the_lines_the_room_sent_and_filters_by_day() {
    let (_dir, db, room, journal) = tie_db();
    let want = room.ticker(&journal);
    assert!(!want.is_empty());
    let run = po(&["ticker", path_str(&db), "--json", "-q"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let got: Vec<pecking_order::engine::ticker::TickerLine> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got, want);
    let day1 = po(&["ticker", path_str(&db), "--day", "1", "-q"]);
    assert_eq!(day1.code, 0, "{}", day1.stderr);
    let n1 = want.iter().filter(|l| l.day == 1).count();
    assert_eq!(day1.stdout.lines().count(), n1);
    assert!(day1.stdout.lines().all(|l| l.starts_with("day 1 ")));
    assert!(day1.stdout.contains("Day 1 has begun"), "{}", day1.stdout);
    let none = po(&["ticker", path_str(&db), "--day", "99", "-q"]);
    assert_eq!(none.code, 4, "{}", none.stdout);
    assert!(
        none.stderr.contains("day 99 never started"),
        "{}",
        none.stderr
    );
}

/// A vote result applied by the timeline's ELIMINATE (PLAYTEST_NEXT) is explained with its vote,
/// and says when it was applied.
#[test]
fn an_elimination_applied_by_the_timelines_eliminate_names_its_vote() {
    let roster: Vec<_> = (1..=4)
        .map(|i| serde_json::json!({"id": format!("p{i}"), "personaName": format!("Player {i}")}))
        .collect();
    let body = serde_json::json!({
        "manifest": {"mode": "PECKING_ORDER", "kind": "STATIC", "startTime": "2026-12-01T09:00:00Z",
                     "schedulePreset": "PLAYTEST_NEXT", "initialGoldPool": 100,
                     "days": [{"voteType": "MAJORITY"}, {"voteType": "MAJORITY"}, {"voteType": "FINALS"}]},
        "roster": roster,
    })
    .to_string();
    let votes: [&[(&str, &str)]; 1] = [&[("p1", "p4"), ("p2", "p4"), ("p3", "p4")]];
    let (_, journal) = scripted(&body, [5u8; 32], &votes);
    let dir = tempfile::tempdir().unwrap();
    let db = write_sqlite(dir.path(), "next.sqlite", &journal);
    let run = po(&["explain", path_str(&db), "--elimination", "p4"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    for needle in [
        "p4 (Player 4) was eliminated on day 1 by MAJORITY.",
        "-ELIMINATE",
        "applied by the timeline's ELIMINATE, before the end of the day.",
        "votes for p4: p1, p2, p3",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
}
