//! DUELS through the real room: nominations until CLOSE_VOTING pick the two duelists; each stakes
//! silver in secret; the higher stake survives and pays it, the loser is eliminated.

use crate::voting_common;
use common::*;
use pecking_order::engine::rng::Rng;
use pecking_order::engine::voting::Stage;
use pecking_order::engine::Command;
use pecking_order::journal::Verdict;
use voting_common as common;

const CAST: &str = "VOTE.DUELS.CAST";

fn game() -> Game {
    Game::for_vote("DUELS", &seats(&FOUR, &[("p5", 99)]))
}

fn duelists(g: &Game) -> Vec<String> {
    match g.state().ballot.as_ref().map(|b| &b.stage) {
        Some(Stage::Duel { duelists, .. }) => duelists.clone(),
        _ => Vec::new(),
    }
}

fn stake_ok(g: &mut Game, p: &str, n: u64) {
    assert_eq!(g.act(p, &stake(n)), Verdict::Accepted, "{p} stakes {n}");
    assert_eq!(g.last_facts()[0]["type"], "STAKE_PLACED");
}

#[test]
fn the_two_most_named_duel_and_the_higher_stake_survives() {
    let mut g = game();
    g.play_vote(
        CAST,
        &[("p1", "p2"), ("p3", "p2"), ("p2", "p4"), ("p4", "p1")],
    );
    let f = g.last_facts();
    assert_eq!(f[0]["type"], "VOTING_STAGE");
    // p2 has two nominations; p1 and p4 one each, p4 has less silver.
    assert_eq!(
        f[0]["stage"]["DUEL"]["duelists"],
        serde_json::json!(["p2", "p4"])
    );
    assert!(f[0]["stage"]["DUEL"]["tieBreak"]
        .as_str()
        .unwrap()
        .contains("tied on nominations (1)"));
    assert_eq!(duelists(&g), ids(&["p2", "p4"]));
    stake_ok(&mut g, "p2", 5);
    assert!(
        g.state().pending.is_none(),
        "one stake does not settle the duel"
    );
    stake_ok(&mut g, "p4", 6);
    let f = g.last_facts();
    assert_eq!(f[1]["type"], "SILVER");
    assert_eq!(f[1]["playerId"], "p4");
    assert_eq!(f[1]["delta"], -6);
    assert_eq!(f[1]["balanceAfter"], 14);
    assert_eq!(f[2]["type"], "VOTE_RESULT");
    assert_eq!(f[2]["eliminated"], "p2");
    assert_eq!(
        f[2]["summary"]["stakes"],
        serde_json::json!([["p2", 5], ["p4", 6]])
    );
    g.assert_tallies(&[("p1", 1), ("p2", 2), ("p3", 0), ("p4", 1)]);
    g.assert_tie_break("tied on nominations (1): lowest silver");
    assert_eq!(g.silver("p4"), 14);
    assert_eq!(g.silver("p2"), 40, "the loser pays nothing");
    g.end_day();
    g.assert_dead(&["p2", "p5"]);
    g.assert_replays();
}

#[test]
fn equal_stakes_lower_silver_loses() {
    let mut g = game();
    g.play_vote(CAST, &[("p1", "p2"), ("p2", "p1")]);
    assert_eq!(duelists(&g), ids(&["p1", "p2"]));
    stake_ok(&mut g, "p1", 7);
    stake_ok(&mut g, "p2", 7);
    g.assert_eliminated("p2");
    g.assert_tie_break_contains("equal stakes (7): the lower silver at opening loses");
    assert_eq!(g.silver("p1"), 43);
    g.end_day();
    g.assert_replays();
}

#[test]
fn equal_stakes_and_silver_is_a_seeded_coin_flip() {
    let mut losers = std::collections::BTreeSet::new();
    for s in 0..10u8 {
        let mut g = Game::with_seed(
            &["DUELS", "MAJORITY"],
            &alive(&[("p1", 50), ("p2", 50), ("p3", 50)]),
            [s; 32],
        );
        g.play_vote(CAST, &[("p1", "p3"), ("p3", "p1")]);
        assert_eq!(duelists(&g), ids(&["p1", "p3"]));
        stake_ok(&mut g, "p1", 0);
        stake_ok(&mut g, "p3", 0);
        let seq = g.journal.last().unwrap().seq;
        let flip = Rng::for_entry(&g.seed, seq, "vote").below(2);
        let want = if flip == 0 { "p3" } else { "p1" };
        assert_eq!(g.result().eliminated.as_deref(), Some(want));
        g.assert_tie_break_contains("seeded coin flip");
        assert!(
            g.result().summary.charges.is_empty(),
            "a zero stake costs nothing"
        );
        losers.insert(want.to_string());
        g.assert_replays();
    }
    assert_eq!(losers.len(), 2, "either duelist can lose the flip");
}

#[test]
fn no_nominations_the_two_lowest_in_silver_duel() {
    let mut g = game();
    g.start_and_open();
    g.close();
    assert_eq!(duelists(&g), ids(&["p3", "p4"]));
    // Neither stakes: at END_DAY both count as 0 and the lower silver loses.
    g.end_day();
    g.assert_eliminated("p4");
    g.assert_tie_break_starts_with("no nominations");
    g.assert_tie_break_contains("equal stakes (0)");
    g.assert_dead(&["p4", "p5"]);
    g.assert_replays();
}

#[test]
fn a_missing_stake_counts_as_zero() {
    let mut g = game();
    g.start_and_open();
    g.close();
    stake_ok(&mut g, "p4", 1);
    g.end_day();
    g.assert_eliminated("p3");
    assert_eq!(g.silver("p4"), 19);
    g.assert_replays();
}

#[test]
fn end_day_before_close_still_eliminates() {
    let mut g = game();
    g.start_and_open();
    g.vote("p1", CAST, "p2");
    g.end_day();
    // Duelists p2 (1 nomination) and p4 (lowest silver among the rest); no stakes: p4 loses.
    assert_eq!(g.result().summary.duelists, ids(&["p2", "p4"]));
    g.assert_eliminated("p4");
    g.assert_tie_break_contains("the duel never started");
    g.assert_replays();
}

#[test]
fn a_stake_counts_only_up_to_the_silver_left_at_settlement() {
    let mut g = game();
    g.start_and_open();
    g.close();
    stake_ok(&mut g, "p4", 20);
    // Giving silver away after staking does not keep backing the stake: p4's stake is now 5.
    let send = Command::SendSilver {
        target_id: "p1".into(),
        amount: 15,
    };
    assert!(g.act("p4", &send).is_accepted());
    stake_ok(&mut g, "p3", 10);
    g.assert_eliminated("p4");
    assert_eq!(
        g.result().summary.stakes,
        vec![("p3".to_string(), 10), ("p4".to_string(), 5)]
    );
    assert_eq!(g.silver("p3"), 20, "the winner pays their stake");
    g.assert_replays();
}

#[test]
fn a_duelist_removed_by_an_admin_forfeits() {
    let mut g = game();
    g.start_and_open();
    g.close();
    stake_ok(&mut g, "p3", 3);
    g.admin_eliminate("p3");
    g.end_day();
    g.assert_eliminated("p3");
    g.assert_tie_break_contains("forfeits");
    assert!(g.is_alive("p4"));
    g.assert_replays();
}

#[test]
fn too_few_players() {
    let mut g = Game::for_vote("DUELS", &alive(&[("p1", 50), ("p2", 40)]));
    g.start_and_open();
    g.close();
    assert_eq!(duelists(&g), ids(&["p1", "p2"]));
    stake_ok(&mut g, "p2", 40);
    stake_ok(&mut g, "p1", 39);
    g.assert_eliminated("p1");
    assert_eq!(g.silver("p2"), 0);
    g.assert_replays();

    let mut g = Game::for_vote("DUELS", &[("p1", 50, true), ("p2", 40, false)]);
    g.start_and_open();
    g.reject_vote("p1", CAST, "p1", "SELF_TARGET");
    g.close();
    assert!(g.state().ballot.is_none(), "no duel with one player");
    g.assert_eliminated("p1");
    g.assert_tie_break_contains("fewer than two");
    g.assert_replays();
}

#[test]
fn ineligible_inputs_are_rejected_and_change_nothing() {
    let mut g = game();
    g.start_and_open();
    g.reject("p1", &stake(1), "WRONG_STAGE");
    g.reject_vote("p1", CAST, "p1", "SELF_TARGET");
    g.reject_outsiders(CAST, "p5", "p1", "p1");
    g.reject_vote("p1", "VOTE.MAJORITY.CAST", "p2", "WRONG_MECHANISM");
    g.vote("p1", CAST, "p2");
    g.vote("p2", CAST, "p1");
    g.close();
    g.reject_vote("p3", CAST, "p1", "WRONG_STAGE");
    g.reject("p3", &stake(1), "NOT_ELIGIBLE_VOTER");
    g.reject("p5", &stake(1), "NOT_ELIGIBLE_VOTER");
    g.reject("p2", &stake(41), "INSUFFICIENT_SILVER");
    stake_ok(&mut g, "p2", 40);
    stake_ok(&mut g, "p1", 1);
    g.reject("p1", &stake(2), "VOTING_CLOSED");
    g.assert_eliminated("p1");
    g.end_day();
    g.assert_replays();
}

#[test]
fn nominations_and_stakes_may_change_until_settled() {
    let mut g = game();
    g.start_and_open();
    g.vote("p1", CAST, "p3");
    g.vote("p2", CAST, "p3");
    g.vote("p3", CAST, "p2");
    g.vote("p2", CAST, "p1"); // p2 changes their nomination
    g.close();
    assert_eq!(
        g.state().ballot.as_ref().map(|b| b.stage.as_str()),
        Some("DUEL")
    );
    // p1, p2 and p3 have one nomination each: the two with least silver, p2 and p3, duel.
    assert_eq!(duelists(&g), ids(&["p2", "p3"]));
    stake_ok(&mut g, "p2", 30);
    stake_ok(&mut g, "p2", 2); // changes the stake before p3 stakes
    stake_ok(&mut g, "p3", 3);
    g.assert_eliminated("p2");
    assert_eq!(
        g.result().summary.stakes,
        vec![("p2".to_string(), 2), ("p3".to_string(), 3)]
    );
    g.end_day();
    g.assert_replays();
}
