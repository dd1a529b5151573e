//! Single-round sync-decision games through the room: BET_BET_BET, KINGS_RANSOM, BLIND_AUCTION.
//! Normal play, ties, no-shows, early completion, forced end at END_GAME, secrecy of decisions,
//! and the real effects of SHIELD, CURSE_NO_DM and CURSE_HALF_VOTE in the next vote or DMs.
//! Every scenario ends by replaying its journal to byte-identical snapshots.

use crate::common;
use crate::games_support;

use common::*;
use games_support::*;
use pecking_order::engine::fact::Fact;
use pecking_order::engine::games::{EffectKind, GameRun, GameType, KingsAction, Prize, Summary};
use pecking_order::engine::timeline::Action;
use pecking_order::engine::Command;
use serde_json::json;

fn effects_in(facts: &[Fact]) -> Vec<(EffectKind, String, u32)> {
    facts
        .iter()
        .filter_map(|f| match f {
            Fact::GameEffect {
                effect,
                player_id,
                day,
                ..
            } => Some((*effect, player_id.clone(), *day)),
            _ => None,
        })
        .collect()
}

fn vote(target: &str) -> Command {
    Command::from(pecking_order::engine::voting::majority::Command::Cast {
        target_id: target.into(),
    })
}

fn ballot_targets(h: &H) -> Vec<String> {
    h.st()
        .ballot
        .as_ref()
        .expect("voting is open")
        .targets
        .clone()
}

// --- BET_BET_BET ---

#[test]
fn bet_bet_bet_second_highest_wins_and_ends_early_when_everyone_bet() {
    let mut h = game_day(GameType::BetBetBet, 4, 0);
    h.reject("p1", bet(5), "NO_GAME");
    let f = start_game(&mut h);
    assert!(
        matches!(&f[0], Fact::GameStarted { game_type: GameType::BetBetBet, day: 1, players } if players.len() == 4)
    );
    h.reject("p1", bet(0), "INVALID_AMOUNT");
    h.reject("p1", bet(51), "INSUFFICIENT_SILVER");
    h.reject("p1", kings(KingsAction::Steal), "WRONG_GAME");
    h.reject("p1", submit(), "WRONG_GAME");
    h.ok("p1", bet(10));
    h.reject("p1", bet(11), "ALREADY_SUBMITTED");
    h.ok("p2", bet(20));
    h.ok("p3", bet(5));
    assert!(running(&h), "not complete until everyone bet");
    let f = h.ok("p4", bet(30));
    let (summary, forced) = result_in(&f).expect("the last bet completes the game");
    assert!(!forced);
    let Summary::BetBetBet(s) = summary else {
        panic!("a bet summary")
    };
    assert_eq!(s.pot, 65);
    assert_eq!(s.winner.as_deref(), Some("p2"));
    assert_eq!(s.paid_double.as_deref(), Some("p3"));
    assert_eq!(
        game_silver(&f, GameType::BetBetBet),
        vec![
            ("p1".into(), -10),
            ("p2".into(), 45),
            ("p3".into(), -10),
            ("p4".into(), -30)
        ]
    );
    assert_eq!(
        [
            h.silver("p1"),
            h.silver("p2"),
            h.silver("p3"),
            h.silver("p4")
        ],
        [40, 95, 40, 20]
    );
    // Median 15: the closest bet not above it (10, p1) gets a real SHIELD for tonight.
    assert_eq!(effects_in(&f), vec![(EffectKind::Shield, "p1".into(), 1)]);
    assert!(!running(&h));
    h.reject("p2", bet(1), "NO_GAME");
    // A second START_GAME the same day does nothing.
    let f = start_game(&mut h);
    assert!(matches!(
        &f[0],
        Fact::NoEffect {
            action: Action::StartGame,
            ..
        }
    ));
    // The SHIELD in tonight's vote: p1 is no target.
    h.inject(Action::OpenVoting);
    assert_eq!(ballot_targets(&h), ids(&["p2", "p3", "p4"]));
    h.reject("p2", vote("p1"), "NOT_ELIGIBLE_TARGET");
    h.ok("p1", vote("p4"));
    h.check_replay();
}

#[test]
fn bet_bet_bet_ties_and_no_shows_settle_at_end_game() {
    let mut h = game_day(GameType::BetBetBet, 5, 0);
    h.ok("p5", transfer("p2", 38)); // p2: 88, p5: 12
    start_game(&mut h);
    h.ok("p1", bet(4));
    h.ok("p2", bet(4));
    h.ok("p3", bet(9));
    h.reject("p5", bet(13), "INSUFFICIENT_SILVER");
    // p4 and p5 never bet.
    let f = end_game(&mut h);
    let (Summary::BetBetBet(s), true) = result_in(&f).expect("a result") else {
        panic!("a forced bet result")
    };
    assert_eq!(s.tied_amounts, vec![4]);
    assert_eq!(s.winner.as_deref(), Some("p3"), "the only non-tied bettor");
    assert_eq!(
        game_silver(&f, GameType::BetBetBet),
        vec![("p1".into(), -20), ("p2".into(), -20), ("p3".into(), 8)]
    );
    assert_eq!(h.silver("p4"), 50);
    assert_eq!(h.silver("p5"), 12);
    h.check_replay();
}

#[test]
fn bet_bet_bet_decisions_are_secret_until_the_result() {
    let mut h = game_day(GameType::BetBetBet, 4, 0);
    start_game(&mut h);
    h.ok("p1", bet(37));
    only_seen_by(&h, 4, "\"myBet\":37", &["p1"]);
    let v = game_view(&h, "p2");
    assert_eq!(v["submitted"], json!(["p1"]), "who has bet is public");
    assert!(v["myBet"].is_null());
    assert!(h.view("p2")["games"]["results"]
        .as_array()
        .unwrap()
        .is_empty());
    h.ok("p2", bet(3));
    end_game(&mut h);
    // Revealed to everyone with the result.
    for p in ["p1", "p2", "p3", "p4"] {
        let r = &h.view(p)["games"]["results"][0]["summary"]["BET_BET_BET"]["bets"];
        assert_eq!(r, &json!([["p1", 37], ["p2", 3]]));
    }
    h.check_replay();
}

// --- KINGS_RANSOM ---

#[test]
fn kings_ransom_steal_majority_robs_the_king_who_gets_a_real_shield() {
    let mut h = game_day(GameType::KingsRansom, 5, 1);
    h.admin(Command::CreditSilver {
        rewards: [("p3".to_string(), 50)].into_iter().collect(),
    });
    start_game(&mut h);
    let GameRun::KingsRansom(k) = &active(&h).run else {
        panic!("kings ransom")
    };
    assert_eq!(k.king.as_deref(), Some("p3"), "the richest");
    assert_eq!(k.vault, 30, "30% of 100");
    h.reject("p3", kings(KingsAction::Protect), "NOT_IN_GAME");
    h.ok("p1", kings(KingsAction::Steal));
    h.ok("p2", kings(KingsAction::Steal));
    h.ok("p4", kings(KingsAction::Protect));
    h.reject("p4", kings(KingsAction::Steal), "ALREADY_SUBMITTED");
    let f = h.ok("p5", kings(KingsAction::Steal));
    let (Summary::KingsRansom(s), false) = result_in(&f).expect("complete") else {
        panic!("an early kings result")
    };
    assert_eq!(s.share, 20, "stealers split twice the vault");
    assert_eq!(
        game_silver(&f, GameType::KingsRansom),
        vec![
            ("p3".into(), -30),
            ("p1".into(), 20),
            ("p2".into(), 20),
            ("p5".into(), 20)
        ]
    );
    assert_eq!(effects_in(&f), vec![(EffectKind::Shield, "p3".into(), 1)]);
    // The king is protected tonight: even with no votes, the fallback passes over them.
    h.ok("p3", transfer("p4", 65)); // p3: 5, the lowest silver of all
    h.inject(Action::OpenVoting);
    assert!(!ballot_targets(&h).contains(&"p3".to_string()));
    h.reject("p1", vote("p3"), "NOT_ELIGIBLE_TARGET");
    h.next_stage(); // END_DAY: no votes, lowest silver among targets
    let out = h.st().results.last().unwrap().1.clone();
    assert_ne!(out.eliminated.as_deref(), Some("p3"));
    assert!(h.st().player("p3").unwrap().alive);
    // The shield was for one night only.
    h.inject(Action::StartDay);
    h.inject(Action::OpenVoting);
    assert!(ballot_targets(&h).contains(&"p3".to_string()));
    h.check_replay();
}

#[test]
fn kings_ransom_protect_majority_with_a_no_show_and_a_tie_at_end_game() {
    let mut h = game_day(GameType::KingsRansom, 5, 1);
    start_game(&mut h);
    let GameRun::KingsRansom(k) = &active(&h).run else {
        panic!("kings ransom")
    };
    assert_eq!(
        k.king.as_deref(),
        Some("p1"),
        "equal silver: first in roster order"
    );
    assert_eq!(k.vault, 15);
    h.ok("p2", kings(KingsAction::Protect));
    h.ok("p3", kings(KingsAction::Protect));
    h.ok("p4", kings(KingsAction::Steal));
    only_seen_by(&h, 5, "STEAL", &["p4"]);
    only_seen_by(&h, 5, "PROTECT", &["p2", "p3"]);
    let f = end_game(&mut h);
    let (Summary::KingsRansom(s), true) = result_in(&f).expect("forced") else {
        panic!("a forced kings result")
    };
    assert_eq!(s.share, 7);
    assert_eq!(
        game_silver(&f, GameType::KingsRansom),
        vec![("p1".into(), -15), ("p2".into(), 7), ("p3".into(), 7)]
    );
    assert!(
        effects_in(&f).is_empty(),
        "no shield when the protectors win"
    );
    // Revealed to all.
    assert!(h.view("p5")["games"].to_string().contains("STEAL"));
    h.check_replay();
}

#[test]
fn kings_ransom_tie_changes_nothing() {
    let mut h = game_day(GameType::KingsRansom, 4, 0);
    start_game(&mut h);
    h.ok("p2", kings(KingsAction::Steal));
    h.ok("p3", kings(KingsAction::Protect));
    let f = end_game(&mut h);
    let (Summary::KingsRansom(s), true) = result_in(&f).expect("forced") else {
        panic!("kings")
    };
    assert_eq!(s.king_paid, 0);
    assert!(game_silver(&f, GameType::KingsRansom).is_empty());
    h.check_replay();
}

// --- BLIND_AUCTION ---

/// Day 1 of a game whose day 1 is a BLIND_AUCTION that drew `want`, started. Pads the journal
/// with group-chat messages until the seeded draw contains it (the draw depends on the seq of
/// the START_GAME entry). Returns the game and the slot (1-based) holding `want`.
fn auction_with(want: Prize, players: usize, extra_days: usize) -> (H, u32) {
    for pad in 0..64 {
        let mut h = game_day(GameType::BlindAuction, players, extra_days);
        for i in 0..pad {
            h.ok("p1", main_msg(&format!("pad {i}")));
        }
        start_game(&mut h);
        let GameRun::BlindAuction(a) = &active(&h).run else {
            panic!("an auction")
        };
        if let Some(i) = a.prizes.iter().position(|p| *p == want) {
            return (h, i as u32 + 1);
        }
    }
    panic!("no draw with {want:?}");
}

#[test]
fn blind_auction_highest_bid_wins_sole_bidders_pay_nothing_and_ends_early() {
    let (mut h, _) = auction_with(Prize::Silver(20), 4, 0);
    let GameRun::BlindAuction(a) = &active(&h).run else {
        panic!("auction")
    };
    let prizes = a.prizes.clone();
    h.reject("p1", auction(4, 1), "INVALID_SLOT");
    h.reject("p1", auction(0, 1), "INVALID_SLOT");
    h.reject("p1", auction(1, 51), "INSUFFICIENT_SILVER");
    h.ok("p1", auction(1, 10));
    h.reject("p1", auction(2, 1), "ALREADY_SUBMITTED");
    h.ok("p2", auction(1, 12));
    h.ok("p3", auction(2, 0));
    let f = h.ok("p4", auction(1, 12)); // equal to p2's, later: p2 keeps the slot
    let (Summary::BlindAuction(s), false) = result_in(&f).expect("everyone bid") else {
        panic!("an early auction result")
    };
    assert_eq!(s.slots[0].winner.as_deref(), Some("p2"));
    assert_eq!(s.slots[0].paid, 12);
    assert_eq!(s.slots[1].winner.as_deref(), Some("p3"));
    assert_eq!(s.slots[1].paid, 0, "a sole bidder pays nothing");
    assert_eq!(s.slots[2].winner, None);
    assert_eq!(s.gold_contribution, 12);
    assert_eq!(
        pool_deltas(&f),
        vec![12],
        "what the winner paid goes to the gold pool"
    );
    assert_eq!(h.st().gold_pool, 40 + 12);
    let gain = |p: Prize| match p {
        Prize::Silver(n) => n as i64,
        _ => 0,
    };
    assert_eq!(h.silver("p2") as i64, 50 - 12 + gain(prizes[0]));
    assert_eq!(h.silver("p3") as i64, 50 + gain(prizes[1]));
    assert_eq!(h.silver("p1"), 50);
    assert_eq!(h.silver("p4"), 50);
    h.check_replay();
}

#[test]
fn blind_auction_prizes_and_bids_are_secret_until_the_result() {
    let (mut h, _) = auction_with(Prize::Shield, 4, 0);
    h.ok("p1", auction(3, 17));
    for needle in ["SHIELD", "CURSE", "\"SILVER\""] {
        for p in ["p1", "p2", "p3", "p4"] {
            assert!(
                !h.view(p)["games"].to_string().contains(needle),
                "{needle} in {p}'s games view"
            );
        }
    }
    only_seen_by(&h, 4, "\"amount\":17", &["p1"]);
    assert_eq!(game_view(&h, "p2")["submitted"], json!(["p1"]));
    let f = end_game(&mut h);
    assert!(result_in(&f).unwrap().1, "forced by END_GAME with no-shows");
    assert!(h.view("p2")["games"].to_string().contains("SHIELD"));
    h.check_replay();
}

#[test]
fn blind_auction_shield_protects_its_winner_in_tonights_vote_only() {
    let (mut h, slot) = auction_with(Prize::Shield, 5, 1);
    h.ok("p1", auction(slot, 0));
    let f = end_game(&mut h);
    assert_eq!(effects_in(&f), vec![(EffectKind::Shield, "p1".into(), 1)]);
    h.ok("p1", transfer("p2", 20)); // p1 would be the lowest-silver fallback
    h.inject(Action::OpenVoting);
    assert!(!ballot_targets(&h).contains(&"p1".to_string()));
    h.inject(Action::CloseVoting);
    let out = h.st().results.last().unwrap().1.clone();
    assert_ne!(out.eliminated.as_deref(), Some("p1"));
    assert!(out.eliminated.is_some(), "someone else still leaves");
    h.check_replay();
}

#[test]
fn blind_auction_curse_half_vote_halves_the_winners_vote_tonight() {
    let (mut h, slot) = auction_with(Prize::CurseHalfVote, 5, 1);
    h.ok("p1", auction(slot, 0));
    let f = end_game(&mut h);
    assert_eq!(
        effects_in(&f),
        vec![(EffectKind::CurseHalfVote, "p1".into(), 1)]
    );
    // Equal silver. Without the curse p3 and p4 tie 2–2 and p3 (earlier) would leave.
    for p in ["p1", "p2", "p3", "p4", "p5"] {
        assert_eq!(h.silver(p), 50);
    }
    h.inject(Action::OpenVoting);
    assert_eq!(h.st().ballot.as_ref().unwrap().half_votes, ids(&["p1"]));
    h.ok("p1", vote("p3"));
    h.ok("p2", vote("p3"));
    h.ok("p4", vote("p4"));
    h.ok("p5", vote("p4"));
    let f = h.inject(Action::CloseVoting);
    let tallies = f
        .iter()
        .find_map(|x| match x {
            Fact::VoteResult {
                tallies,
                eliminated,
                ..
            } => Some((tallies.clone(), eliminated.clone())),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        tallies.0,
        vec![
            ("p1".into(), 0),
            ("p2".into(), 0),
            ("p3".into(), 3),
            ("p4".into(), 4),
            ("p5".into(), 0)
        ],
        "tallies in half-votes: p1's vote counts 1, every other 2"
    );
    assert_eq!(tallies.1.as_deref(), Some("p4"));
    // Next day the curse is gone: tallies are plain votes again.
    h.next_day();
    h.inject(Action::OpenVoting);
    assert!(h.st().ballot.as_ref().unwrap().half_votes.is_empty());
    h.check_replay();
}

#[test]
fn blind_auction_curse_no_dm_blocks_the_winners_dms_tomorrow_only() {
    let (mut h, slot) = auction_with(Prize::CurseNoDm, 5, 2);
    h.ok("p1", auction(slot, 0));
    let f = end_game(&mut h);
    assert_eq!(
        effects_in(&f),
        vec![(EffectKind::CurseNoDm, "p1".into(), 2)]
    );
    // Today p1 may still DM.
    h.ok("p1", dm("p2", "still fine today"));
    h.inject(Action::OpenVoting);
    h.ok("p1", vote("p5"));
    h.ok("p2", vote("p5"));
    h.next_day();
    assert_eq!(h.st().day, 2);
    h.reject("p1", dm("p2", "hello?"), "DM_CURSED");
    h.reject("p1", to_many(&["p2", "p3"], "group?"), "DM_CURSED");
    h.reject("p1", create(&["p2", "p3"]), "DM_CURSED");
    h.reject("p1", whisper("p2", "psst"), "DM_CURSED");
    h.reject("p2", dm("p1", "to the cursed"), "DM_CURSED");
    h.reject("p2", create(&["p1", "p3"]), "DM_CURSED");
    h.ok("p2", dm("p3", "others are fine"));
    h.reject("p2", add(&h.ch(1), &["p1"]), "DM_CURSED");
    h.ok("p1", main_msg("the group chat is still open to me"));
    h.next_day();
    assert_eq!(h.st().day, 3);
    h.ok("p1", dm("p2", "free again"));
    h.check_replay();
}
