//! SHIELD through the real room: saves for any alive player; fewest saves leaves; ties are a
//! seeded draw (reproducible from the game seed and the settling entry's seq).

use crate::voting_common;
use common::*;
use pecking_order::engine::rng::Rng;
use voting_common as common;

const SAVE: &str = "VOTE.SHIELD.SAVE";

fn game() -> Game {
    Game::for_vote("SHIELD", &seats(&FOUR, &[("p5", 99)]))
}

/// What the seeded draw of the entry that settled the vote picks among `pool`.
fn expected_draw(g: &Game, pool: &[&str]) -> String {
    let seq = g.journal.last().unwrap().seq;
    let i = Rng::for_entry(&g.seed, seq, "vote").below(pool.len() as u64) as usize;
    pool[i].to_string()
}

#[test]
fn fewest_saves_is_eliminated() {
    let mut g = game();
    g.play_vote(
        SAVE,
        &[("p1", "p1"), ("p2", "p1"), ("p3", "p2"), ("p4", "p4")],
    );
    g.assert_outright("p3", &[("p1", 2), ("p2", 1), ("p3", 0), ("p4", 1)]);
    g.end_day();
    g.assert_dead(&["p3", "p5"]);
    g.assert_replays();
}

#[test]
fn a_tie_is_a_seeded_draw_among_the_tied_not_lowest_silver() {
    let mut g = game();
    g.play_vote(SAVE, &[("p1", "p1"), ("p2", "p3")]);
    let want = expected_draw(&g, &["p2", "p4"]);
    assert_eq!(g.result().eliminated.as_deref(), Some(want.as_str()));
    g.assert_tie_break_contains("tied on fewest saves (0)");
    g.assert_tie_break_contains("seeded draw");
    g.assert_tie_break_contains("p2, p4");
    g.end_day_eliminating(&want);
    g.assert_replays();
}

#[test]
fn the_draw_changes_with_the_seed() {
    let mut seen = std::collections::BTreeSet::new();
    for s in 0..12u8 {
        let mut g = Game::with_seed(
            &["SHIELD", "MAJORITY"],
            &alive(&[("p1", 50), ("p2", 50), ("p3", 50)]),
            [s; 32],
        );
        g.start_and_open();
        g.close();
        let e = g.result().eliminated.clone().unwrap();
        assert_eq!(e, expected_draw(&g, &["p1", "p2", "p3"]));
        seen.insert(e);
        g.assert_replays();
    }
    assert_eq!(seen.len(), 3, "every tied player can be drawn");
}

#[test]
fn no_saves_is_a_seeded_draw_among_all_alive() {
    let mut g = game();
    g.start_and_open();
    g.close();
    let want = expected_draw(&g, &["p1", "p2", "p3", "p4"]);
    assert_eq!(g.result().eliminated.as_deref(), Some(want.as_str()));
    g.assert_tie_break_starts_with("no saves");
    g.end_day();
    g.assert_replays();
}

#[test]
fn end_day_settles_with_its_own_seq() {
    let mut g = game();
    g.start_and_open();
    g.end_day();
    // END_DAY's entry settled the vote: its seq seeds the draw.
    let seq = g
        .journal
        .iter()
        .rev()
        .find(|e| e.typ == "ADMIN.INJECT_TIMELINE_EVENT")
        .unwrap()
        .seq;
    let i = Rng::for_entry(&g.seed, seq, "vote").below(4) as usize;
    assert_eq!(
        g.result().eliminated.as_deref(),
        Some(["p1", "p2", "p3", "p4"][i])
    );
    g.assert_replays();
}

#[test]
fn too_few_players() {
    // One alive: nobody to tie with.
    let mut g = Game::for_vote("SHIELD", &[("p1", 50, true), ("p2", 40, false)]);
    g.start_and_open();
    g.reject_vote("p2", SAVE, "p1", "NOT_ELIGIBLE_VOTER");
    g.vote("p1", SAVE, "p1");
    g.close();
    g.assert_eliminated("p1");
    g.assert_no_tie_break();
    g.assert_replays();
    // Two alive, one saved.
    let mut g = Game::for_vote("SHIELD", &alive(&[("p1", 50), ("p2", 40)]));
    g.play_vote(SAVE, &[("p2", "p2")]);
    g.assert_eliminated("p1");
    g.assert_replays();
}

#[test]
fn ineligible_voters_and_targets_are_rejected_and_change_nothing() {
    let mut g = game();
    g.start_and_open();
    g.vote("p1", SAVE, "p2");
    g.reject_outsiders(SAVE, "p5", "p1", "p1");
    g.reject_vote("p1", SAVE, "zz", "NOT_ELIGIBLE_TARGET");
    g.reject_vote("p1", "VOTE.MAJORITY.CAST", "p1", "WRONG_MECHANISM");
    g.close();
    g.reject_vote("p1", SAVE, "p1", "VOTING_CLOSED");
    g.assert_tallies(&[("p1", 0), ("p2", 1), ("p3", 0), ("p4", 0)]);
    g.end_day();
    g.assert_replays();
}

#[test]
fn a_changed_vote_replaces_the_earlier_one() {
    let mut g = game();
    // Everyone saves themselves, then p4 saves p3 instead.
    g.play_changed_vote(
        SAVE,
        &[("p1", "p1"), ("p2", "p2"), ("p3", "p3"), ("p4", "p4")],
        &[("p4", "p3")],
    );
    g.assert_tallies(&[("p1", 1), ("p2", 1), ("p3", 2), ("p4", 0)]);
    g.assert_eliminated("p4");
    g.end_day();
    g.assert_replays();
}
