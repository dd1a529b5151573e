//! TRUST_PAIRS through the real room: mutual trust makes both immune; eliminate votes on them are
//! discarded; most remaining votes leaves.

use crate::voting_common;
use common::*;
use voting_common as common;

const TRUST: &str = "VOTE.TRUST_PAIRS.TRUST";
const ELIM: &str = "VOTE.TRUST_PAIRS.ELIMINATE";

fn game() -> Game {
    let five = [("p1", 50), ("p2", 40), ("p3", 30), ("p4", 20), ("p5", 10)];
    Game::for_vote("TRUST_PAIRS", &seats(&five, &[("p6", 99)]))
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn mutual_pairs_are_immune_and_most_remaining_votes_leaves() {
    let mut g = game();
    g.start_and_open();
    g.votes(TRUST, &[("p1", "p2"), ("p2", "p1"), ("p3", "p4")]);
    g.votes(
        ELIM,
        &[
            ("p3", "p1"),
            ("p4", "p1"),
            ("p5", "p3"),
            ("p1", "p3"),
            ("p2", "p4"),
        ],
    );
    g.close();
    // Two votes on p1 were discarded: p1 trusts p2 and p2 trusts p1.
    g.assert_outright("p3", &[("p3", 2), ("p4", 1), ("p5", 0)]);
    assert_eq!(g.result().summary.mutual_pairs, pairs(&[("p1", "p2")]));
    assert_eq!(g.result().summary.immune, ids(&["p1", "p2"]));
    let f = g.last_facts();
    assert_eq!(
        f[0]["summary"]["mutualPairs"],
        serde_json::json!([["p1", "p2"]])
    );
    g.end_day();
    g.assert_dead(&["p3", "p6"]);
    g.assert_replays();
}

#[test]
fn a_tie_goes_to_lowest_silver_then_roster_order() {
    let mut g = game();
    g.play_vote(ELIM, &[("p1", "p3"), ("p2", "p4")]);
    g.assert_eliminated("p4");
    g.assert_tie_break_contains("tied on votes (1)");
    g.assert_tie_break_lacks("roster order");
    g.assert_replays();

    let mut g = Game::for_vote("TRUST_PAIRS", &alive(&[("p1", 30), ("p2", 30), ("p3", 30)]));
    g.play_vote(ELIM, &[("p1", "p3"), ("p3", "p2")]);
    g.assert_eliminated("p2");
    g.assert_tie_break_contains("earliest in roster order");
    g.assert_replays();
}

#[test]
fn no_votes_and_only_discarded_votes_fall_back_to_lowest_silver_unprotected() {
    let mut g = game();
    g.assert_unvoted_fallback("p5", "no eliminate votes");
    g.assert_replays();

    let mut g = game();
    g.start_and_open();
    g.vote("p4", TRUST, "p5");
    g.vote("p5", TRUST, "p4");
    g.vote("p1", ELIM, "p5");
    g.vote("p2", ELIM, "p4");
    g.close();
    g.assert_tallies(&[("p1", 0), ("p2", 0), ("p3", 0)]);
    assert_eq!(
        g.result().eliminated.as_deref(),
        Some("p3"),
        "lowest silver outside the pair p4-p5"
    );
    assert_eq!(g.result().summary.mutual_pairs, pairs(&[("p4", "p5")]));
    g.end_day();
    g.assert_replays();
}

#[test]
fn everyone_paired_falls_back_to_lowest_silver_among_all() {
    let mut g = Game::for_vote(
        "TRUST_PAIRS",
        &alive(&[("p1", 50), ("p2", 40), ("p3", 30), ("p4", 35)]),
    );
    g.start_and_open();
    g.votes(
        TRUST,
        &[("p1", "p3"), ("p3", "p1"), ("p4", "p2"), ("p2", "p4")],
    );
    g.vote("p1", ELIM, "p2");
    g.close();
    assert!(g.tallies().is_empty());
    assert_eq!(
        g.result().summary.mutual_pairs,
        pairs(&[("p1", "p3"), ("p2", "p4")])
    );
    g.assert_eliminated("p3");
    g.assert_tie_break_starts_with("everyone is in a mutual trust pair");
    g.end_day();
    g.assert_replays();
}

#[test]
fn too_few_players() {
    let mut g = Game::for_vote("TRUST_PAIRS", &alive(&[("p1", 50), ("p2", 40)]));
    g.start_and_open();
    g.vote("p1", TRUST, "p2");
    g.vote("p2", TRUST, "p1");
    g.vote("p1", ELIM, "p2");
    g.close();
    g.assert_eliminated("p2");
    g.assert_replays();

    let mut g = Game::for_vote("TRUST_PAIRS", &[("p1", 50, true), ("p2", 40, false)]);
    g.start_and_open();
    g.reject_vote("p1", TRUST, "p1", "SELF_TARGET");
    g.reject_vote("p1", TRUST, "p2", "NOT_ELIGIBLE_TARGET");
    g.close();
    g.assert_eliminated("p1");
    g.assert_replays();
}

#[test]
fn ineligible_voters_and_targets_are_rejected_and_change_nothing() {
    let mut g = game();
    g.start_and_open();
    g.vote("p1", TRUST, "p2");
    g.reject_vote("p2", TRUST, "p2", "SELF_TARGET");
    g.reject_vote("p6", TRUST, "p1", "NOT_ELIGIBLE_VOTER");
    g.reject_vote("p1", TRUST, "p6", "NOT_ELIGIBLE_TARGET");
    g.reject_outsiders(ELIM, "p6", "p1", "p1");
    g.reject_vote("p1", "VOTE.MAJORITY.CAST", "p3", "WRONG_MECHANISM");
    g.close();
    g.reject_vote("p2", TRUST, "p1", "VOTING_CLOSED");
    assert!(
        g.result().summary.mutual_pairs.is_empty(),
        "p2's trust was never recorded"
    );
    g.end_day();
    g.assert_replays();
}

#[test]
fn changed_votes_and_trust_replace_the_earlier_ones() {
    let mut g = game();
    g.start_and_open();
    g.vote("p1", TRUST, "p2");
    g.vote("p2", TRUST, "p1");
    g.vote("p2", TRUST, "p3"); // the pair is broken
    g.vote("p3", ELIM, "p1");
    g.vote("p4", ELIM, "p2");
    g.vote("p4", ELIM, "p1");
    g.close();
    assert!(g.result().summary.mutual_pairs.is_empty());
    g.assert_tallies(&[("p1", 2), ("p2", 0), ("p3", 0), ("p4", 0), ("p5", 0)]);
    g.assert_eliminated("p1");
    g.end_day();
    g.assert_replays();
}
