//! FINALS through the real room: eliminated players vote for the winner among the alive.

use crate::voting_common;
use common::*;
use pecking_order::engine::rng::Rng;
use pecking_order::engine::Phase;
use voting_common as common;

const CAST: &str = "VOTE.FINALS.CAST";

/// Finalists p1 (60) and p2 (40); the jury p3, p4, p5.
fn game() -> Game {
    Game::new(
        &["FINALS"],
        &[
            ("p1", 60, true),
            ("p2", 40, true),
            ("p3", 1, false),
            ("p4", 1, false),
            ("p5", 1, false),
        ],
    )
}

#[test]
fn most_votes_wins_and_the_game_ends() {
    let mut g = game();
    g.play_vote(CAST, &[("p3", "p2"), ("p4", "p2"), ("p5", "p1")]);
    g.assert_tallies(&[("p1", 1), ("p2", 2)]);
    g.assert_winner("p2");
    g.assert_eliminated("p1");
    g.end_day();
    assert_eq!(g.state().winner.as_deref(), Some("p2"));
    assert_eq!(g.state().phase, Phase::GameSummary);
    assert_eq!(g.journal.last().unwrap().typ, "SYSTEM.REVEAL_SEED");
    g.assert_replays();
}

#[test]
fn a_tie_goes_to_highest_silver() {
    let mut g = game();
    g.play_vote(CAST, &[("p3", "p2"), ("p4", "p1")]);
    g.assert_winner("p1");
    g.assert_tie_break_contains("highest silver");
    g.end_day();
    g.assert_replays();
}

#[test]
fn a_tie_on_silver_too_is_a_seeded_draw() {
    let mut g = Game::new(
        &["FINALS"],
        &[
            ("p1", 50, true),
            ("p2", 50, true),
            ("p3", 1, false),
            ("p4", 1, false),
        ],
    );
    g.play_vote(CAST, &[("p3", "p1"), ("p4", "p2")]);
    let seq = g.journal.last().unwrap().seq;
    let i = Rng::for_entry(&g.seed, seq, "vote").below(2) as usize;
    assert_eq!(g.result().winner.as_deref(), Some(["p1", "p2"][i]));
    g.assert_tie_break_contains("seeded draw");
    g.end_day();
    g.assert_replays();
}

#[test]
fn no_votes_highest_silver_wins() {
    let mut g = game();
    g.start_and_open();
    g.close();
    g.assert_winner("p1");
    g.assert_tie_break_starts_with("no votes");
    g.end_day();
    g.assert_replays();
}

#[test]
fn too_few_players() {
    // Nobody eliminated yet: no jury, highest silver wins.
    let mut g = Game::new(&["FINALS"], &alive(&[("p1", 30), ("p2", 40)]));
    g.start_and_open();
    g.reject_vote("p1", CAST, "p2", "NOT_ELIGIBLE_VOTER");
    g.close();
    g.assert_winner("p2");
    g.end_day();
    g.assert_replays();
    // One finalist: they win, nobody else leaves.
    let mut g = Game::new(&["FINALS"], &[("p1", 30, true), ("p2", 40, false)]);
    g.play_vote(CAST, &[("p2", "p1")]);
    g.assert_winner("p1");
    assert_eq!(g.result().eliminated, None);
    g.end_day();
    g.assert_replays();
}

#[test]
fn three_finalists_only_the_runner_up_leaves() {
    let mut g = Game::new(
        &["FINALS"],
        &[
            ("p1", 10, true),
            ("p2", 20, true),
            ("p3", 30, true),
            ("p4", 1, false),
        ],
    );
    g.play_vote(CAST, &[("p4", "p1")]);
    g.assert_winner("p1");
    assert_eq!(
        g.result().eliminated.as_deref(),
        Some("p3"),
        "runner-up: no votes, highest silver"
    );
    g.end_day();
    g.assert_replays();
}

#[test]
fn ineligible_voters_and_targets_are_rejected_and_change_nothing() {
    let mut g = game();
    g.start_and_open();
    g.vote("p3", CAST, "p1");
    g.reject_vote("p1", CAST, "p2", "NOT_ELIGIBLE_VOTER");
    g.reject_vote("p4", CAST, "p5", "NOT_ELIGIBLE_TARGET");
    g.reject_vote("p4", CAST, "nobody", "NOT_ELIGIBLE_TARGET");
    g.reject_vote("ghost", CAST, "p1", "UNKNOWN_PLAYER");
    g.reject_vote("p4", "VOTE.MAJORITY.CAST", "p1", "WRONG_MECHANISM");
    g.close();
    g.reject_vote("p4", CAST, "p2", "VOTING_CLOSED");
    g.assert_tallies(&[("p1", 1), ("p2", 0)]);
    g.end_day();
    g.assert_replays();
}

#[test]
fn a_changed_vote_replaces_the_earlier_one() {
    let mut g = game();
    g.play_vote(
        CAST,
        &[("p3", "p1"), ("p4", "p1"), ("p3", "p2"), ("p5", "p2")],
    );
    g.assert_tallies(&[("p1", 1), ("p2", 2)]);
    g.assert_winner("p2");
    g.end_day();
    g.assert_replays();
}
