//! PODIUM_SACRIFICE through the real room: players off the podium save podium players; the
//! podium player with the fewest saves leaves.

use crate::voting_common;
use common::*;
use voting_common as common;

const CAST: &str = "VOTE.PODIUM_SACRIFICE.CAST";

/// Podium: p1 (90), p2 (80), p3 (70). Voters: p4, p5, p6. p7 is already out.
fn game() -> Game {
    Game::for_vote("PODIUM_SACRIFICE", &seats(&SIX, &[("p7", 99)]))
}

#[test]
fn least_saved_podium_player_is_eliminated() {
    let mut g = game();
    g.play_vote(CAST, &[("p4", "p1"), ("p5", "p3"), ("p6", "p3")]);
    g.assert_outright("p2", &[("p1", 1), ("p2", 0), ("p3", 2)]);
    assert_eq!(g.result().summary.podium, ids(&["p1", "p2", "p3"]));
    assert_eq!(
        g.last_facts()[0]["summary"]["podium"],
        serde_json::json!(["p1", "p2", "p3"])
    );
    g.end_day();
    g.assert_dead(&["p2", "p7"]);
    g.assert_replays();
}

#[test]
fn a_tie_goes_to_lowest_silver() {
    let mut g = game();
    g.play_vote(CAST, &[("p4", "p1")]);
    g.assert_eliminated("p3");
    g.assert_tie_break_contains("tied on fewest saves (0)");
    g.assert_tie_break_lacks("roster order");
    g.end_day();
    g.assert_replays();
}

#[test]
fn a_tie_on_silver_too_goes_to_roster_order() {
    let mut g = Game::for_vote(
        "PODIUM_SACRIFICE",
        &alive(&[("p1", 80), ("p2", 80), ("p3", 80), ("p4", 80), ("p5", 10)]),
    );
    g.start_and_open();
    // Equal silver: the podium is the first three in roster order; p4 is off it.
    g.reject_vote("p1", CAST, "p2", "NOT_ELIGIBLE_VOTER");
    g.reject_vote("p4", CAST, "p4", "NOT_ELIGIBLE_TARGET");
    g.vote("p4", CAST, "p1");
    g.close();
    g.assert_eliminated("p2");
    g.assert_tie_break_contains("earliest in roster order");
    g.assert_replays();
}

#[test]
fn no_saves_eliminates_lowest_silver_on_the_podium() {
    let mut g = game();
    g.assert_unvoted_fallback("p3", "no saves");
    g.end_day_eliminating("p3");
    g.assert_replays();
}

#[test]
fn too_few_players_nobody_can_vote_and_lowest_silver_leaves() {
    let mut g = Game::for_vote(
        "PODIUM_SACRIFICE",
        &[
            ("p1", 50, true),
            ("p2", 20, true),
            ("p3", 30, true),
            ("p4", 1, false),
        ],
    );
    g.start_and_open();
    g.reject_vote("p1", CAST, "p2", "NOT_ELIGIBLE_VOTER");
    g.reject_vote("p4", CAST, "p2", "NOT_ELIGIBLE_VOTER");
    g.close();
    g.assert_eliminated("p2");
    g.assert_tie_break_contains("nobody off the podium could vote");
    g.end_day();
    g.assert_dead(&["p2", "p4"]);
    g.assert_replays();
}

#[test]
fn ineligible_voters_and_targets_are_rejected_and_change_nothing() {
    let mut g = game();
    g.start_and_open();
    g.vote("p4", CAST, "p3");
    g.reject_vote("p1", CAST, "p2", "NOT_ELIGIBLE_VOTER");
    g.reject_outsiders(CAST, "p7", "p5", "p2");
    g.reject_vote("p5", CAST, "p6", "NOT_ELIGIBLE_TARGET");
    g.reject_vote("p5", CAST, "p5", "NOT_ELIGIBLE_TARGET");
    g.reject_vote("p5", "VOTE.BUBBLE.CAST", "p1", "WRONG_MECHANISM");
    g.close();
    g.reject_vote("p5", CAST, "p1", "VOTING_CLOSED");
    g.assert_tallies(&[("p1", 0), ("p2", 0), ("p3", 1)]);
    g.assert_eliminated("p2");
    g.end_day();
    g.assert_replays();
}

#[test]
fn a_changed_vote_replaces_the_earlier_one() {
    let mut g = game();
    g.play_changed_vote(
        CAST,
        &[("p4", "p1"), ("p5", "p2"), ("p6", "p3")],
        &[("p6", "p2")],
    );
    g.assert_tallies(&[("p1", 1), ("p2", 2), ("p3", 0)]);
    g.assert_eliminated("p3");
    g.end_day();
    g.assert_replays();
}
