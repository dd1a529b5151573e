//! THE_SPLIT through the room: rounds in seeded pair order, early completion, per-round deadlines
//! checked against later entries' times, forced end at END_GAME, secrecy of the current round's
//! decisions, and the SHIELD it awards. Every scenario replays to byte-identical snapshots.

use crate::common;
use crate::games_support;

use common::*;
use games_support::*;
use pecking_order::engine::fact::Fact;
use pecking_order::engine::games::{GameRun, GameType, SplitAction, SplitRound, Summary};
use pecking_order::engine::timeline::Action;
use SplitAction::{Split, Steal};

fn rounds_in(facts: &[Fact]) -> Vec<SplitRound> {
    facts
        .iter()
        .filter_map(|f| match f {
            Fact::SplitRoundResolved { round, .. } => Some(round.clone()),
            _ => None,
        })
        .collect()
}

fn round_ms(h: &H) -> i64 {
    match &active(h).run {
        GameRun::TheSplit(s) => s.round_ms,
        _ => panic!("the split"),
    }
}

fn deadline(h: &H) -> i64 {
    match &active(h).run {
        GameRun::TheSplit(s) => s.deadline_ms(),
        _ => panic!("the split"),
    }
}

/// Plays the current round with actions (a, b) for its pair; returns the entry facts of the
/// second decision.
fn play(h: &mut H, a: SplitAction, b: SplitAction) -> Vec<Fact> {
    let (pa, pb) = split_pair(h).expect("a current round");
    h.ok(&pa, split(a));
    h.ok(&pb, split(b))
}

#[test]
fn every_pair_meets_once_and_the_game_ends_when_the_last_round_resolves() {
    let mut h = game_day(GameType::TheSplit, 3, 1);
    start_game(&mut h);
    let GameRun::TheSplit(s) = &active(&h).run else {
        panic!("the split")
    };
    assert_eq!(s.pairs.len(), 3, "n(n-1)/2 pairs");
    assert_eq!(round_ms(&h), 60_000, "ADMIN scheduling: 60 s rounds");
    let pairs = s.pairs.clone();
    // Round 0 (pot 5): both split.
    let f = play(&mut h, Split, Split);
    let r = rounds_in(&f);
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].pot, r[0].silver, r[0].timed_out), (5, (2, 2), false));
    // Round 1 (pot 10): the first steals.
    let f = play(&mut h, Steal, Split);
    assert_eq!(rounds_in(&f)[0].silver, (10, 0));
    // Round 2 (pot 15): both steal; the pot goes to the gold pool, and the game is complete.
    let f = play(&mut h, Steal, Steal);
    assert_eq!(rounds_in(&f)[0].gold, 15);
    let (Summary::TheSplit(sum), false) = result_in(&f).expect("complete") else {
        panic!("an early split result")
    };
    assert_eq!(sum.unplayed, 0);
    assert_eq!(pool_deltas(&f), vec![15]);
    // Expected totals from the seeded pairs.
    let total = |p: &str| -> u64 {
        let mut t = 0;
        for (i, (a, b)) in pairs.iter().enumerate() {
            let (sa, sb) = [(2, 2), (10, 0), (0, 0)][i];
            if a == p {
                t += sa;
            }
            if b == p {
                t += sb;
            }
        }
        t
    };
    for (p, t) in &sum.totals {
        assert_eq!(*t, total(p), "{p}");
    }
    let best = sum.totals.iter().map(|(_, t)| *t).max().unwrap();
    let winner = sum
        .totals
        .iter()
        .find(|(_, t)| *t == best)
        .unwrap()
        .0
        .clone();
    assert_eq!(sum.bonus_winner.as_deref(), Some(winner.as_str()));
    for (p, t) in &sum.totals {
        let bonus = if *p == winner { 10 } else { 0 };
        assert_eq!(h.silver(p), 50 + t + bonus, "{p}");
    }
    // Most steals: the round-1 stealer and both round-2 players stole; the round-1 stealer
    // stole twice if they also played round 2.
    let steals = |p: &str| {
        u32::from(pairs[1].0 == p) + u32::from(pairs[2].0 == p) + u32::from(pairs[2].1 == p)
    };
    let most = ["p1", "p2", "p3"].iter().map(|p| steals(p)).max().unwrap();
    let shield = sum.shield.clone().expect("somebody stole");
    assert_eq!(steals(&shield), most);
    // The shield is real: no target tonight.
    h.inject(Action::OpenVoting);
    assert!(!h.st().ballot.as_ref().unwrap().targets.contains(&shield));
    h.check_replay();
}

#[test]
fn only_the_current_pair_may_decide_once_and_decisions_stay_secret_until_the_round_resolves() {
    let mut h = game_day(GameType::TheSplit, 4, 0);
    start_game(&mut h);
    let (a, b) = split_pair(&h).unwrap();
    let other = ["p1", "p2", "p3", "p4"]
        .into_iter()
        .find(|p| *p != a && *p != b)
        .unwrap();
    h.reject(other, split(Steal), "NOT_YOUR_ROUND");
    h.reject(&a, bet(3), "WRONG_GAME");
    h.ok(&a, split(Steal));
    h.reject(&a, split(Split), "ALREADY_SUBMITTED");
    only_seen_by(&h, 4, "STEAL", &[a.as_str()]);
    let cur = &game_view(&h, other)["current"];
    assert_eq!(
        cur["submitted"],
        serde_json::json!([a]),
        "who has decided is public"
    );
    h.ok(&b, split(Split));
    // Resolved: everyone sees the round.
    for p in ["p1", "p2", "p3", "p4"] {
        assert!(game_view(&h, p)["rounds"].to_string().contains("STEAL"));
    }
    h.check_replay();
}

#[test]
fn a_round_past_its_deadline_resolves_with_missing_decisions_as_split_on_the_next_entry() {
    let mut h = game_day(GameType::TheSplit, 3, 0);
    start_game(&mut h);
    let (a, b) = split_pair(&h).unwrap();
    let d0 = deadline(&h);
    h.ok(&a, split(Steal));
    // Exactly at the deadline the round is still open... (entries advance time by 1 s each)
    h.now = d0 - 1_000;
    h.ok("p1", main_msg("tick"));
    assert_eq!(split_pair(&h), Some((a.clone(), b.clone())));
    // ...after it, any accepted entry resolves it: b's missing decision counts as SPLIT.
    h.now = d0;
    let f = h.ok("p2", main_msg("tock"));
    let r = rounds_in(&f);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].actions, (Steal, Split));
    assert_eq!(r[0].silver, (5, 0));
    assert!(r[0].timed_out);
    // The next round started at the deadline, not at the entry.
    assert_eq!(deadline(&h), d0 + 60_000);
    // A rejected entry changes nothing, even past a deadline.
    h.now = d0 + 200_000;
    h.reject("p9", main_msg("who?"), "UNKNOWN_PLAYER");
    assert_eq!(h.st().games.active.as_ref().map(|_| ()), Some(()));
    // One entry long after: both remaining rounds time out in order; the game completes.
    let f = h.ok("p3", main_msg("anyone?"));
    let r = rounds_in(&f);
    assert_eq!(r.len(), 2);
    assert!(r.iter().all(|r| r.timed_out && r.actions == (Split, Split)));
    let (Summary::TheSplit(s), false) = result_in(&f).expect("complete") else {
        panic!("the split")
    };
    assert_eq!(s.rounds.len(), 3);
    assert_eq!(s.shield.as_deref(), Some(a.as_str()), "the only stealer");
    h.check_replay();
}

#[test]
fn a_decision_after_the_deadline_belongs_to_the_next_round() {
    let mut h = game_day(GameType::TheSplit, 3, 0);
    start_game(&mut h);
    let GameRun::TheSplit(s) = &active(&h).run else {
        panic!()
    };
    let pairs = s.pairs.clone();
    h.now = deadline(&h) + 5_000;
    // A player of round 1 decides: round 0 resolves by its deadline first, in the same entry.
    let p = pairs[1].0.clone();
    let f = h.ok(&p, split(Steal));
    let r = rounds_in(&f);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].index, 0);
    assert!(r[0].timed_out);
    assert_eq!(split_pair(&h), Some(pairs[1].clone()));
    // A player only in round 0 is now out of turn.
    let only0 = [&pairs[0].0, &pairs[0].1]
        .into_iter()
        .find(|x| **x != pairs[1].0 && **x != pairs[1].1)
        .unwrap()
        .clone();
    h.reject(&only0, split(Split), "NOT_YOUR_ROUND");
    h.check_replay();
}

#[test]
fn end_game_resolves_expired_rounds_and_discards_the_one_in_progress() {
    let mut h = game_day(GameType::TheSplit, 4, 0);
    start_game(&mut h);
    play(&mut h, Split, Split);
    let (a, _) = split_pair(&h).unwrap();
    h.ok(&a, split(Steal)); // round 1 in progress, not past its deadline
    let f = end_game(&mut h);
    assert!(rounds_in(&f).is_empty());
    let (Summary::TheSplit(s), true) = result_in(&f).expect("forced") else {
        panic!("the split")
    };
    assert_eq!(s.rounds.len(), 1);
    assert_eq!(s.unplayed, 5, "6 pairs, one played");
    assert_eq!(s.shield, None, "the discarded steal does not count");
    let winners: Vec<_> = game_silver(&f, GameType::TheSplit);
    assert_eq!(winners.len(), 2);
    // Both got 2; the first in roster order with the top total also got the +10 bonus.
    assert_eq!(winners.iter().map(|(_, d)| d).sum::<i64>(), 2 + 2 + 10);

    // Another game, nobody plays; END_GAME long after: every expired round resolves first.
    let mut h = game_day(GameType::TheSplit, 3, 0);
    start_game(&mut h);
    h.now += 3 * 60_000 + 10_000;
    let f = end_game(&mut h);
    assert_eq!(rounds_in(&f).len(), 3);
    let (Summary::TheSplit(s), _) = result_in(&f).unwrap() else {
        panic!()
    };
    assert_eq!(s.unplayed, 0);
    // Pots 5, 10, 15 split: 2+5+7 = 14 per pair; each player is in two pairs.
    let total: u64 = s.totals.iter().map(|(_, t)| t).sum();
    assert_eq!(total, 2 * (2 + 5 + 7));
    h.check_replay();
}

#[test]
fn round_length_follows_the_scheduled_end_game() {
    // PRE_SCHEDULED SMOKE_TEST: START_GAME at +30 s, END_GAME at +60 s; 4 players = 6 rounds.
    let manifest = serde_json::json!({ "mode": "PECKING_ORDER", "kind": "STATIC",
        "startTime": "2026-12-01T09:00:00Z", "schedulePreset": "SMOKE_TEST",
        "days": [{"voteType": "MAJORITY", "gameType": "THE_SPLIT"}, {"voteType": "FINALS"}] });
    let mut live = Live::create(manifest, 4);
    let mut now = T0;
    loop {
        live.fire(now, 100);
        if live.st().games.active.is_some() {
            break;
        }
        now += 1_000;
        assert!(now < T0 + 60_000, "the game starts at +30 s");
    }
    let GameRun::TheSplit(s) = &live.st().games.active.as_ref().unwrap().run else {
        panic!()
    };
    assert_eq!(s.pairs.len(), 6);
    assert_eq!(s.round_ms, 15_000, "30 s / 6 rounds = 5 s, clamped to 15 s");
    // END_GAME fires at +60 s by itself and settles the game.
    live.fire(T0 + 61_000, 100);
    let st = live.st();
    assert!(st.games.active.is_none());
    assert_eq!(st.games.results.len(), 1);
    assert!(st
        .tasks
        .iter()
        .all(|t| t.action != Action::StartGame && t.action != Action::EndGame));
    live.check_replay();
}
