//! BUBBLE through the real room: saves for players outside the top three; fewest saves leaves.

use crate::voting_common;
use common::*;
use pecking_order::engine::timeline::Action;
use pecking_order::engine::Command;
use pecking_order::journal::EntryKind;
use std::collections::BTreeMap;
use voting_common as common;

const CAST: &str = "VOTE.BUBBLE.CAST";

/// Top three: p1, p2, p3. Vulnerable: p4 (30), p5 (20), p6 (40). p7 is already out.
fn game() -> Game {
    Game::for_vote("BUBBLE", &seats(&SIX, &[("p7", 99)]))
}

#[test]
fn fewest_saves_outside_the_top_three_is_eliminated() {
    let mut g = game();
    g.play_vote(
        CAST,
        &[
            ("p1", "p4"),
            ("p2", "p4"),
            ("p3", "p6"),
            ("p4", "p4"),
            ("p5", "p6"),
            ("p6", "p5"),
        ],
    );
    let facts = g.last_facts();
    assert_eq!(facts[0]["type"], "VOTE_RESULT");
    assert_eq!(facts[0]["eliminated"], "p5");
    assert_eq!(
        facts[0]["summary"]["immune"],
        serde_json::json!(["p1", "p2", "p3"])
    );
    g.assert_tallies(&[("p4", 3), ("p5", 1), ("p6", 2)]);
    g.assert_no_tie_break();
    g.end_day_eliminating("p5");
    g.assert_dead(&["p5", "p7"]);
    let elim: Vec<_> = g
        .all_facts()
        .into_iter()
        .filter(|f| f["type"] == "ELIMINATION")
        .collect();
    assert_eq!(elim.len(), 1);
    assert_eq!(elim[0]["mechanism"], "BUBBLE");
    g.assert_replays();
}

#[test]
fn a_tie_goes_to_lowest_silver_at_opening() {
    let mut g = game();
    g.start_and_open();
    // p4 (30) and p6 (40) have one save each; p5 has two.
    g.votes(
        CAST,
        &[("p1", "p5"), ("p2", "p5"), ("p3", "p4"), ("p4", "p6")],
    );
    // Silver changes after opening do not matter: the snapshot at OPEN_VOTING decides.
    let credit = Command::CreditSilver {
        rewards: BTreeMap::from([("p4".to_string(), 500)]),
    };
    assert!(g.submit(EntryKind::Admin, "ADMIN", &credit).is_accepted());
    g.close();
    g.assert_eliminated("p4");
    g.assert_tie_break_contains("tied on fewest saves (1)");
    g.assert_tie_break_contains("lowest silver");
    g.assert_tie_break_lacks("roster order");
    g.end_day_eliminating("p4");
    g.assert_replays();
}

#[test]
fn a_tie_on_silver_too_goes_to_roster_order() {
    let mut g = Game::for_vote(
        "BUBBLE",
        &alive(&[
            ("p1", 90),
            ("p2", 80),
            ("p3", 70),
            ("p4", 30),
            ("p5", 30),
            ("p6", 30),
        ]),
    );
    g.play_vote(CAST, &[("p1", "p4")]);
    g.assert_eliminated("p5");
    g.assert_tie_break_contains("earliest in roster order");
    g.end_day();
    g.assert_replays();
}

#[test]
fn no_saves_eliminates_lowest_silver_outside_the_top_three() {
    let mut g = game();
    g.assert_unvoted_fallback("p5", "no saves");
    g.assert_tallies(&[("p4", 0), ("p5", 0), ("p6", 0)]);
    g.end_day_eliminating("p5");
    g.assert_replays();
}

#[test]
fn too_few_players_everyone_immune_falls_back_to_lowest_silver() {
    let mut g = Game::for_vote(
        "BUBBLE",
        &[
            ("p1", 50, true),
            ("p2", 20, true),
            ("p3", 30, true),
            ("p4", 5, false),
        ],
    );
    g.start_and_open();
    g.reject_vote("p1", CAST, "p2", "TARGET_IMMUNE");
    g.close();
    g.assert_eliminated("p2");
    g.assert_tie_break_contains("nobody is outside the top three");
    assert!(g.tallies().is_empty());
    g.end_day();
    g.assert_dead(&["p2", "p4"]);
    g.assert_replays();
}

#[test]
fn four_alive_leaves_a_single_target() {
    let mut g = Game::for_vote(
        "BUBBLE",
        &alive(&[("p1", 50), ("p2", 20), ("p3", 30), ("p4", 40)]),
    );
    g.play_vote(CAST, &[("p1", "p2")]);
    assert_eq!(
        g.result().eliminated.as_deref(),
        Some("p2"),
        "the only player outside the top three"
    );
    g.assert_no_tie_break();
    g.assert_replays();
}

#[test]
fn ineligible_voters_and_targets_are_rejected_and_change_nothing() {
    let mut g = game();
    g.reject_vote("p1", CAST, "p4", "WRONG_PHASE");
    g.start_day();
    g.reject_vote("p1", CAST, "p4", "VOTING_CLOSED");
    g.open();
    g.vote("p2", CAST, "p6");
    g.reject_vote("p1", CAST, "p2", "TARGET_IMMUNE");
    g.reject_outsiders(CAST, "p7", "p1", "p4");
    g.reject_vote("p1", CAST, "nobody", "NOT_ELIGIBLE_TARGET");
    g.reject_vote("p1", "VOTE.MAJORITY.CAST", "p4", "WRONG_MECHANISM");
    g.reject_vote("p1", "VOTE.SHIELD.SAVE", "p4", "WRONG_MECHANISM");
    g.close();
    g.reject_vote("p1", CAST, "p4", "VOTING_CLOSED");
    // Only p2's vote counted: p4 and p5 tie on zero saves, p5 has less silver.
    g.assert_tallies(&[("p4", 0), ("p5", 0), ("p6", 1)]);
    g.assert_eliminated("p5");
    g.end_day();
    g.assert_replays();
}

#[test]
fn a_changed_vote_replaces_the_earlier_one() {
    let mut g = game();
    // p1 changes their mind: p5 now has no save.
    g.play_changed_vote(CAST, &[("p1", "p5"), ("p2", "p6")], &[("p1", "p4")]);
    g.assert_tallies(&[("p4", 1), ("p5", 0), ("p6", 1)]);
    g.assert_eliminated("p5");
    g.end_day();
    g.assert_replays();
}

#[test]
fn end_day_settles_a_vote_that_never_closed() {
    let mut g = game();
    g.start_and_open();
    g.vote("p1", CAST, "p4");
    g.admin(Action::EndDay);
    g.assert_dead(&["p5", "p7"]);
    g.assert_replays();
}
