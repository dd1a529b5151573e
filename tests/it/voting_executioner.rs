//! EXECUTIONER through the real room: an election at CLOSE_VOTING, then the executioner's
//! validated pick until END_DAY; a missing pick falls back to lowest silver (never "nobody").

use crate::voting_common;
use common::*;
use pecking_order::engine::voting::Stage;
use voting_common as common;

const ELECT: &str = "VOTE.EXECUTIONER.ELECT";
const PICK: &str = "VOTE.EXECUTIONER.PICK";

/// Top three: p1 (90), p2 (80), p3 (70). Others: p4 (10), p5 (20), p6 (30). p7 is out.
fn game() -> Game {
    let six = [
        ("p1", 90),
        ("p2", 80),
        ("p3", 70),
        ("p4", 10),
        ("p5", 20),
        ("p6", 30),
    ];
    Game::for_vote("EXECUTIONER", &seats(&six, &[("p7", 5)]))
}

fn executioner(g: &Game) -> Option<String> {
    match &g.state().ballot.as_ref()?.stage {
        Stage::Pick { executioner, .. } => Some(executioner.clone()),
        _ => None,
    }
}

#[test]
fn the_elected_executioner_picks_and_the_pick_settles_the_vote() {
    let mut g = game();
    g.start_and_open();
    g.reject_vote("p1", PICK, "p4", "WRONG_STAGE");
    g.votes(
        ELECT,
        &[("p1", "p4"), ("p2", "p4"), ("p3", "p5"), ("p4", "p1")],
    );
    g.close();
    let f = g.last_facts();
    assert_eq!(f[0]["type"], "VOTING_STAGE");
    assert_eq!(f[0]["stage"]["PICK"]["executioner"], "p4");
    assert_eq!(f[0]["voters"], serde_json::json!(["p4"]));
    assert_eq!(f[0]["targets"], serde_json::json!(["p5", "p6"]));
    assert_eq!(executioner(&g).as_deref(), Some("p4"));
    assert!(
        g.state().pending.is_none(),
        "nothing is decided until the pick"
    );
    // A second CLOSE_VOTING does not cut the pick short.
    g.close();
    assert_eq!(g.last_facts()[0]["type"], "NO_EFFECT");
    // Validation of the pick.
    g.reject_vote("p5", PICK, "p6", "NOT_ELIGIBLE_VOTER");
    g.reject_vote("p4", PICK, "p4", "SELF_TARGET");
    g.reject_vote("p4", PICK, "p1", "TARGET_IMMUNE");
    g.reject_vote("p4", PICK, "p3", "TARGET_IMMUNE");
    g.reject_vote("p4", PICK, "p7", "NOT_ELIGIBLE_TARGET");
    g.reject_vote("p4", PICK, "ghost", "NOT_ELIGIBLE_TARGET");
    g.reject_vote("p1", ELECT, "p2", "WRONG_STAGE");
    g.vote("p4", PICK, "p6");
    let f = g.last_facts();
    assert_eq!(f[1]["type"], "VOTE_RESULT");
    assert_eq!(f[1]["eliminated"], "p6");
    assert_eq!(f[1]["summary"]["executioner"], "p4");
    assert_eq!(f[1]["summary"]["executionerPick"], "p6");
    g.assert_tallies(&[
        ("p1", 1),
        ("p2", 0),
        ("p3", 0),
        ("p4", 2),
        ("p5", 1),
        ("p6", 0),
    ]);
    assert!(g.state().ballot.is_none());
    g.reject_vote("p4", PICK, "p5", "VOTING_CLOSED");
    g.end_day();
    g.assert_dead(&["p6", "p7"]);
    g.assert_replays();
}

#[test]
fn an_election_tie_goes_to_lowest_silver_then_roster_order() {
    let mut g = game();
    g.play_vote(ELECT, &[("p1", "p6"), ("p2", "p5")]);
    assert_eq!(executioner(&g).as_deref(), Some("p5"));
    g.vote("p5", PICK, "p4");
    g.assert_eliminated("p4");
    g.assert_tie_break_contains("election tied on votes (1)");
    g.assert_tie_break_lacks("roster order");
    g.end_day();
    g.assert_replays();

    let mut g = Game::for_vote(
        "EXECUTIONER",
        &alive(&[("p1", 50), ("p2", 50), ("p3", 50), ("p4", 50), ("p5", 50)]),
    );
    g.play_vote(ELECT, &[("p1", "p5"), ("p2", "p4")]);
    assert_eq!(executioner(&g).as_deref(), Some("p4"));
    // Top three by roster order on equal silver: p1, p2, p3; p4 may pick only p5.
    g.reject_vote("p4", PICK, "p3", "TARGET_IMMUNE");
    g.vote("p4", PICK, "p5");
    g.assert_tie_break_contains("earliest in roster order");
    g.assert_replays();
}

#[test]
fn no_election_votes_eliminates_lowest_silver_outside_the_top_three_at_close() {
    let mut g = game();
    g.assert_unvoted_fallback("p4", "no election votes");
    assert!(g.state().ballot.is_none());
    assert_eq!(g.result().summary.executioner, None);
    g.end_day();
    g.assert_dead(&["p4", "p7"]);
    g.assert_replays();
}

#[test]
fn no_pick_by_end_day_falls_back_to_lowest_silver_among_pickable() {
    let mut g = game();
    g.play_vote(ELECT, &[("p1", "p4")]);
    g.end_day();
    let r = g.result().clone();
    assert_eq!(r.summary.executioner.as_deref(), Some("p4"));
    assert_eq!(r.summary.executioner_pick, None);
    assert_eq!(
        r.eliminated.as_deref(),
        Some("p5"),
        "p5 (20) is the poorest the executioner could pick"
    );
    g.assert_tie_break_contains("no pick by END_DAY");
    g.assert_dead(&["p5", "p7"]);
    g.assert_replays();
}

#[test]
fn end_day_before_close_still_eliminates() {
    let mut g = game();
    g.start_and_open();
    g.vote("p1", ELECT, "p5");
    g.end_day();
    assert_eq!(g.result().summary.executioner.as_deref(), Some("p5"));
    g.assert_eliminated("p4");
    g.assert_tie_break_contains("no time to pick");
    g.assert_dead(&["p4", "p7"]);
    g.assert_replays();
}

#[test]
fn an_executioner_removed_by_an_admin_leaves_the_fallback() {
    let mut g = game();
    g.play_vote(ELECT, &[("p1", "p4")]);
    g.admin_eliminate("p4");
    g.reject_vote("p4", PICK, "p5", "NOT_ELIGIBLE_VOTER");
    g.end_day();
    assert_eq!(
        g.dead(),
        ids(&["p4", "p5", "p7"]),
        "the vote still eliminates its own player"
    );
    g.assert_replays();
}

#[test]
fn too_few_players() {
    // Four alive, the executioner is fourth: the top three protection is lifted.
    let mut g = Game::for_vote(
        "EXECUTIONER",
        &alive(&[("p1", 90), ("p2", 80), ("p3", 70), ("p4", 10)]),
    );
    g.play_vote(ELECT, &[("p1", "p4")]);
    assert_eq!(
        g.state().ballot.as_ref().unwrap().targets,
        ids(&["p1", "p2", "p3"])
    );
    g.vote("p4", PICK, "p1");
    g.assert_eliminated("p1");
    g.assert_replays();
    // Two alive: the executioner picks the other.
    let mut g = Game::for_vote("EXECUTIONER", &alive(&[("p1", 90), ("p2", 80)]));
    g.play_vote(ELECT, &[("p2", "p2")]);
    g.reject_vote("p2", PICK, "p2", "SELF_TARGET");
    g.vote("p2", PICK, "p1");
    g.assert_eliminated("p1");
    g.assert_replays();
    // One alive: nobody to pick; the lone player leaves (every vote eliminates one).
    let mut g = Game::for_vote("EXECUTIONER", &[("p1", 90, true), ("p2", 1, false)]);
    g.play_vote(ELECT, &[("p1", "p1")]);
    assert!(g.state().ballot.is_none());
    g.assert_eliminated("p1");
    g.assert_replays();
}

#[test]
fn ineligible_electors_and_candidates_are_rejected_and_change_nothing() {
    let mut g = game();
    g.start_and_open();
    g.vote("p2", ELECT, "p6");
    g.reject_outsiders(ELECT, "p7", "p1", "p1");
    g.reject_vote("p1", "VOTE.MAJORITY.CAST", "p1", "WRONG_MECHANISM");
    g.close();
    assert_eq!(executioner(&g).as_deref(), Some("p6"));
    g.vote("p6", PICK, "p5");
    g.end_day();
    g.assert_replays();
}

#[test]
fn a_changed_election_vote_replaces_the_earlier_one() {
    let mut g = game();
    g.play_changed_vote(
        ELECT,
        &[("p1", "p4"), ("p2", "p4"), ("p3", "p6")],
        &[("p2", "p6")],
    );
    assert_eq!(executioner(&g).as_deref(), Some("p6"));
    g.vote("p6", PICK, "p4");
    g.assert_tallies(&[
        ("p1", 0),
        ("p2", 0),
        ("p3", 0),
        ("p4", 1),
        ("p5", 0),
        ("p6", 2),
    ]);
    g.end_day_eliminating("p4");
    g.assert_replays();
}
