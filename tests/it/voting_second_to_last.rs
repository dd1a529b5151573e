//! SECOND_TO_LAST through the real room: no votes; the second-lowest in silver at opening leaves,
//! decided the moment voting opens.

use crate::voting_common;
use common::*;
use voting_common as common;

#[test]
fn second_lowest_in_silver_is_eliminated_at_opening() {
    let mut g = Game::for_vote(
        "SECOND_TO_LAST",
        &[
            ("p1", 10, true),
            ("p2", 40, true),
            ("p3", 30, true),
            ("p4", 20, true),
            ("p5", 5, false),
        ],
    );
    g.start_and_open();
    let facts = g.last_facts();
    assert_eq!(facts[0]["type"], "VOTING_OPENED");
    assert_eq!(facts[1]["type"], "VOTE_RESULT");
    assert_eq!(facts[1]["eliminated"], "p4");
    assert_eq!(
        facts[1]["summary"]["silverRanking"],
        serde_json::json!([["p2", 40], ["p3", 30], ["p4", 20], ["p1", 10]])
    );
    assert!(g.state().ballot.is_none(), "nothing stays open");
    g.assert_no_tie_break();
    // CLOSE_VOTING has nothing left to do.
    g.close();
    assert_eq!(g.last_facts()[0]["type"], "NO_EFFECT");
    g.end_day();
    g.assert_dead(&["p4", "p5"]);
    g.assert_replays();
}

#[test]
fn ties_keep_roster_order_in_the_ranking() {
    // Ranking p1, p2, p3 (equal silver keeps roster order), p4: second to last is p3.
    let mut g = Game::for_vote(
        "SECOND_TO_LAST",
        &alive(&[("p1", 50), ("p2", 50), ("p3", 50), ("p4", 10)]),
    );
    g.start_and_open();
    g.assert_eliminated("p3");
    g.assert_tie_break_contains("roster order");
    g.end_day();
    g.assert_replays();
    let mut g = Game::for_vote(
        "SECOND_TO_LAST",
        &alive(&[("p1", 50), ("p2", 50), ("p3", 50)]),
    );
    g.start_and_open();
    g.assert_eliminated("p2");
    g.assert_replays();
}

#[test]
fn no_votes_exist_and_any_vote_is_rejected() {
    let mut g = Game::for_vote(
        "SECOND_TO_LAST",
        &alive(&[("p1", 50), ("p2", 40), ("p3", 30)]),
    );
    g.start_day();
    g.reject_vote("p1", "VOTE.MAJORITY.CAST", "p2", "VOTING_CLOSED");
    g.open();
    g.reject_vote("p1", "VOTE.MAJORITY.CAST", "p2", "VOTING_CLOSED");
    g.reject_vote("p1", "VOTE.SHIELD.SAVE", "p2", "VOTING_CLOSED");
    g.assert_eliminated("p2");
    g.end_day();
    g.assert_replays();
}

#[test]
fn too_few_players() {
    // Two alive: the lower one is second to last.
    let mut g = Game::for_vote("SECOND_TO_LAST", &alive(&[("p1", 10), ("p2", 40)]));
    g.start_and_open();
    assert_eq!(
        g.result().eliminated.as_deref(),
        Some("p2"),
        "ranking p2, p1: second to last is p2"
    );
    g.assert_replays();
    // One alive: that player.
    let mut g = Game::for_vote("SECOND_TO_LAST", &[("p1", 10, true), ("p2", 40, false)]);
    g.start_and_open();
    g.assert_eliminated("p1");
    g.assert_tie_break("only one player alive");
    g.end_day_eliminating("p1");
    g.assert_replays();
}

#[test]
fn a_second_open_changes_nothing() {
    let mut g = Game::for_vote(
        "SECOND_TO_LAST",
        &alive(&[("p1", 10), ("p2", 40), ("p3", 30)]),
    );
    g.start_and_open();
    let before = g.state().clone();
    g.open();
    assert_eq!(g.last_facts()[0]["type"], "NO_EFFECT");
    assert_eq!(g.state().results, before.results);
    g.assert_replays();
}
