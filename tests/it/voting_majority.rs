//! MAJORITY through the real room: most votes leaves; ties and empty ballots go to lowest silver.

use crate::voting_common;
use common::*;
use pecking_order::journal::EntryKind;
use voting_common as common;

const CAST: &str = "VOTE.MAJORITY.CAST";

fn game() -> Game {
    Game::for_vote("MAJORITY", &seats(&FOUR, &[("p5", 1)]))
}

#[test]
fn most_votes_is_eliminated() {
    let mut g = game();
    g.play_vote(
        CAST,
        &[("p1", "p2"), ("p3", "p2"), ("p2", "p1"), ("p4", "p4")],
    );
    g.assert_outright("p2", &[("p1", 1), ("p2", 2), ("p3", 0), ("p4", 1)]);
    let f = g.last_facts();
    assert_eq!(f[0]["type"], "VOTE_RESULT");
    assert!(
        f[0].get("summary").is_none(),
        "MAJORITY has no extra summary"
    );
    g.end_day();
    g.assert_dead(&["p2", "p5"]);
    g.assert_replays();
}

#[test]
fn a_tie_goes_to_lowest_silver_then_roster_order() {
    let mut g = game();
    g.play_vote(CAST, &[("p1", "p2"), ("p2", "p3")]);
    g.assert_eliminated("p3");
    g.assert_tie_break_contains("lowest silver");
    g.assert_tie_break_lacks("roster order");
    g.assert_replays();

    let mut g = Game::for_vote("MAJORITY", &alive(&[("p1", 50), ("p2", 30), ("p3", 30)]));
    g.play_vote(CAST, &[("p1", "p3"), ("p3", "p2")]);
    g.assert_eliminated("p2");
    g.assert_tie_break_contains("roster order");
    g.assert_replays();
}

#[test]
fn no_votes_eliminates_lowest_silver() {
    let mut g = game();
    g.assert_unvoted_fallback("p4", "no votes");
    g.end_day();
    g.assert_replays();
}

#[test]
fn too_few_players() {
    let mut g = Game::for_vote("MAJORITY", &[("p1", 50, true), ("p2", 40, false)]);
    g.start_and_open();
    g.reject_vote("p2", CAST, "p1", "NOT_ELIGIBLE_VOTER");
    g.vote("p1", CAST, "p1");
    g.close();
    g.assert_eliminated("p1");
    g.assert_replays();
}

#[test]
fn ineligible_voters_and_targets_are_rejected_and_change_nothing() {
    let mut g = game();
    g.reject_vote("p1", CAST, "p2", "WRONG_PHASE");
    g.start_day();
    g.reject_vote("p1", CAST, "p2", "VOTING_CLOSED");
    g.open();
    g.vote("p1", CAST, "p1");
    g.reject_outsiders(CAST, "p5", "p1", "p1");
    g.reject_vote("p1", "VOTE.FINALS.CAST", "p2", "WRONG_MECHANISM");
    // An input kind that does not fit the command is refused too.
    let before = g.state().clone();
    let v = g.submit(EntryKind::Admin, "ADMIN", &vote(CAST, "p2"));
    assert_eq!(v.to_wire(), "REJECTED:NOT_PERMITTED");
    assert_eq!(*g.state(), before);
    g.close();
    g.reject_vote("p2", CAST, "p1", "VOTING_CLOSED");
    g.assert_eliminated("p1");
    g.end_day();
    g.reject_vote("p2", CAST, "p3", "WRONG_PHASE");
    g.assert_replays();
}

#[test]
fn a_changed_vote_replaces_the_earlier_one() {
    let mut g = game();
    g.play_changed_vote(
        CAST,
        &[("p1", "p2"), ("p3", "p2"), ("p4", "p3")],
        &[("p3", "p4")],
    );
    g.assert_tallies(&[("p1", 0), ("p2", 1), ("p3", 1), ("p4", 1)]);
    g.assert_eliminated("p4");
    g.end_day();
    g.assert_replays();
}

#[test]
fn a_player_eliminated_mid_vote_leaves_the_ballot() {
    let mut g = game();
    g.start_and_open();
    g.vote("p1", CAST, "p4");
    g.vote("p4", CAST, "p1");
    g.vote("p2", CAST, "p1");
    g.admin_eliminate("p1");
    g.reject_vote("p2", CAST, "p1", "NOT_ELIGIBLE_TARGET");
    g.close();
    g.assert_tallies(&[("p2", 0), ("p3", 0), ("p4", 0)]);
    g.assert_eliminated("p4");
    g.end_day();
    g.assert_dead(&["p1", "p4", "p5"]);
    g.assert_replays();
}
