//! Dilemmas through the real engine (STATIC, ADMIN-scheduled; START/END_DILEMMA injected): every
//! type with its normal case, no-shows, ties, early completion and forced end; decisions secret
//! until the reveal; every journal replayed to byte-identical snapshots.

use crate::common;
use crate::content;

use common::*;
use content::*;
use pecking_order::engine::dilemmas::{DilemmaOutcome, DilemmaType, GambitAction, Revealed};
use pecking_order::engine::timeline::Action;
use pecking_order::engine::Fact;
use serde_json::json;

fn result(facts: &[Fact]) -> Option<Revealed> {
    facts.iter().find_map(|f| match f {
        Fact::DilemmaResult { result, .. } => Some(result.clone()),
        _ => None,
    })
}

fn gambit_day(players: usize) -> H {
    let mut h = day_with(json!({"dilemmaType": "SILVER_GAMBIT"}), players);
    let f = h.inject(Action::StartDilemma);
    assert!(f.iter().any(|f| matches!(
        f,
        Fact::DilemmaStarted {
            dilemma_type: DilemmaType::SilverGambit,
            ..
        }
    )));
    h
}

fn gambit_outcome(r: &Revealed) -> (Vec<String>, u64, u64, Option<String>) {
    match &r.outcome {
        DilemmaOutcome::SilverGambit {
            donors,
            donated,
            jackpot,
            winner,
            ..
        } => (donors.clone(), *donated, *jackpot, winner.clone()),
        o => panic!("{o:?}"),
    }
}

#[test]
fn silver_gambit_everyone_donates_donors_are_charged_and_one_wins_the_jackpot() {
    let mut h = day_with(json!({"dilemmaType": "SILVER_GAMBIT"}), 4);
    h.reject("p1", gambit(GambitAction::Donate), "DILEMMA_CLOSED");
    h.inject(Action::StartDilemma);
    for p in ["p1", "p2", "p3"] {
        let f = h.ok(p, gambit(GambitAction::Donate));
        assert!(paid(&f).is_empty(), "nothing is charged before the reveal");
    }
    assert_eq!(h.silver("p1"), 50);
    h.reject("p1", gambit(GambitAction::Keep), "ALREADY_RESPONDED");
    let f = h.ok("p4", gambit(GambitAction::Donate));
    let r = result(&f).expect("early reveal");
    assert!(!r.timed_out);
    assert_eq!((r.submitted, r.eligible), (4, 4));
    let (donors, donated, jackpot, winner) = gambit_outcome(&r);
    assert_eq!(donors, ids(&P4));
    assert_eq!((donated, jackpot), (20, 60));
    let w = winner.expect("a winner");
    let p = paid(&f);
    for d in P4 {
        assert!(p.contains(&(d.to_string(), -5, "SILVER_GAMBIT_DONATION".to_string())));
    }
    assert!(p.contains(&(w.clone(), 60, "SILVER_GAMBIT_JACKPOT".to_string())));
    for d in P4 {
        assert_eq!(h.silver(d), if d == w { 105 } else { 45 });
    }
    assert!(r.summary.contains(&w));
    h.reject("p1", gambit(GambitAction::Donate), "DILEMMA_CLOSED");
    h.check_replay();
}

#[test]
fn silver_gambit_tolerates_one_no_show_but_not_two() {
    let mut h = gambit_day(4);
    for p in ["p1", "p2", "p3"] {
        h.ok(p, gambit(GambitAction::Donate));
    }
    let f = h.inject(Action::EndDilemma);
    let r = result(&f).unwrap();
    assert!(r.timed_out);
    let (_, donated, jackpot, winner) = gambit_outcome(&r);
    assert_eq!((donated, jackpot), (15, 45));
    let w = winner.unwrap();
    assert!(["p1", "p2", "p3"].contains(&w.as_str()));
    assert_eq!(h.silver("p4"), 50);
    assert!(result(&h.inject(Action::EndDilemma)).is_none());
    h.check_replay();

    let mut h = gambit_day(4);
    h.ok("p1", gambit(GambitAction::Donate));
    h.ok("p2", gambit(GambitAction::Donate));
    let f = h.inject(Action::EndDilemma);
    let r = result(&f).unwrap();
    let (_, donated, jackpot, winner) = gambit_outcome(&r);
    assert_eq!((donated, jackpot, winner), (10, 0, None));
    assert_eq!(
        paid(&f),
        vec![
            ("p1".into(), -5, "SILVER_GAMBIT_DONATION".into()),
            ("p2".into(), -5, "SILVER_GAMBIT_DONATION".into()),
        ],
        "donations are lost"
    );
    assert_eq!(r.rewards, pairs(&[("p1", -5), ("p2", -5)]));
    h.check_replay();
}

#[test]
fn silver_gambit_one_keeper_loses_everyone_s_donation() {
    let mut h = gambit_day(4);
    h.ok("p1", gambit(GambitAction::Keep));
    for p in ["p2", "p3"] {
        h.ok(p, gambit(GambitAction::Donate));
    }
    let f = h.ok("p4", gambit(GambitAction::Donate));
    let r = result(&f).unwrap();
    assert!(!r.timed_out);
    let (_, donated, _, winner) = gambit_outcome(&r);
    assert_eq!((donated, winner), (15, None));
    assert_eq!(h.silver("p1"), 50);
    assert_eq!(h.silver("p2"), 45);
    assert!(r.summary.contains("kept"));
    h.check_replay();
}

#[test]
fn silver_gambit_needs_five_silver_to_donate_and_charges_at_most_the_balance() {
    let mut h = gambit_day(4);
    set_silver(&mut h, "p1", 4);
    h.reject("p1", gambit(GambitAction::Donate), "INSUFFICIENT_SILVER");
    set_silver(&mut h, "p1", 50);
    h.ok("p1", gambit(GambitAction::Donate));
    h.ok("p2", gambit(GambitAction::Donate));
    // p2 spends most of it before the reveal.
    h.ok("p2", transfer("p3", 48));
    h.ok("p3", gambit(GambitAction::Donate));
    let f = h.ok("p4", gambit(GambitAction::Donate));
    let r = result(&f).unwrap();
    let (_, donated, jackpot, _) = gambit_outcome(&r);
    assert_eq!((donated, jackpot), (17, 51));
    assert!(paid(&f).contains(&("p2".into(), -2, "SILVER_GAMBIT_DONATION".into())));
    h.check_replay();
}

#[test]
fn spotlight_pays_a_unanimous_pick_with_at_most_one_no_show() {
    // Nobody can name themselves, so a unanimous pick always leaves its target out.
    let mut h = day_with(json!({"dilemmaType": "SPOTLIGHT"}), 4);
    h.inject(Action::StartDilemma);
    h.reject("p1", spotlight("p1"), "SELF_TARGET");
    h.reject("p1", gambit(GambitAction::Donate), "WRONG_DILEMMA");
    for p in ["p1", "p2", "p3"] {
        h.ok(p, spotlight("p4"));
    }
    let f = h.inject(Action::EndDilemma);
    let r = result(&f).unwrap();
    assert!(
        matches!(&r.outcome, DilemmaOutcome::Spotlight { chosen } if chosen.as_deref() == Some("p4"))
    );
    assert_eq!(
        paid(&f),
        vec![("p4".into(), 20, "DILEMMA_SPOTLIGHT".into())]
    );
    h.check_replay();

    // Not unanimous: nothing. All four answered: revealed at once.
    let mut h = day_with(json!({"dilemmaType": "SPOTLIGHT"}), 4);
    h.inject(Action::StartDilemma);
    for p in ["p1", "p2", "p3"] {
        h.ok(p, spotlight("p4"));
    }
    let f = h.ok("p4", spotlight("p1"));
    let r = result(&f).unwrap();
    assert!(!r.timed_out);
    assert!(matches!(
        &r.outcome,
        DilemmaOutcome::Spotlight { chosen: None }
    ));
    assert!(paid(&f).is_empty());
    h.check_replay();

    // Unanimous, but two no-shows: nothing.
    let mut h = day_with(json!({"dilemmaType": "SPOTLIGHT"}), 4);
    h.inject(Action::StartDilemma);
    h.ok("p1", spotlight("p4"));
    h.ok("p2", spotlight("p4"));
    let f = h.inject(Action::EndDilemma);
    let r = result(&f).unwrap();
    assert!(matches!(
        &r.outcome,
        DilemmaOutcome::Spotlight { chosen: None }
    ));
    assert!(r.summary.contains("did not decide"));
    h.check_replay();
}

#[test]
fn gift_or_grief_gifts_the_most_and_griefs_the_least_nominated() {
    let mut h = day_with(json!({"dilemmaType": "GIFT_OR_GRIEF"}), 5);
    set_silver(&mut h, "p3", 4);
    h.inject(Action::StartDilemma);
    h.ok("p1", gift("p2"));
    h.ok("p2", gift("p1"));
    h.ok("p3", gift("p2"));
    h.ok("p4", gift("p3"));
    let f = h.ok("p5", gift("p2"));
    let r = result(&f).unwrap();
    match &r.outcome {
        DilemmaOutcome::GiftOrGrief {
            nominations,
            gifted,
            grieved,
        } => {
            assert_eq!(
                *nominations,
                vec![("p1".into(), 1), ("p2".into(), 3), ("p3".into(), 1)]
            );
            assert_eq!(*gifted, ids(&["p2"]));
            assert_eq!(*grieved, ids(&["p1", "p3"]));
        }
        o => panic!("{o:?}"),
    }
    assert_eq!(
        paid(&f),
        vec![
            ("p2".into(), 10, "DILEMMA_GIFT".into()),
            ("p1".into(), -10, "DILEMMA_GRIEF".into()),
            ("p3".into(), -4, "DILEMMA_GRIEF".into()),
        ],
        "a grief never takes a balance below zero"
    );
    assert_eq!(r.rewards, pairs(&[("p1", -10), ("p2", 10), ("p3", -4)]));
    assert_eq!(h.silver("p3"), 0);
    h.check_replay();
}

#[test]
fn gift_or_grief_all_tied_only_gifts_and_it_has_no_no_show_threshold() {
    let mut h = day_with(json!({"dilemmaType": "GIFT_OR_GRIEF"}), 4);
    h.inject(Action::StartDilemma);
    h.ok("p1", gift("p2"));
    h.ok("p2", gift("p1"));
    h.ok("p3", gift("p4"));
    let f = h.ok("p4", gift("p3"));
    let r = result(&f).unwrap();
    assert_eq!(
        r.rewards,
        pairs(&[("p1", 10), ("p2", 10), ("p3", 10), ("p4", 10)])
    );
    h.check_replay();

    let mut h = day_with(json!({"dilemmaType": "GIFT_OR_GRIEF"}), 4);
    h.inject(Action::StartDilemma);
    h.ok("p1", gift("p2"));
    let f = h.inject(Action::EndDilemma);
    let r = result(&f).unwrap();
    assert!(r.timed_out);
    assert_eq!(
        r.rewards,
        pairs(&[("p2", 10)]),
        "three no-shows do not void it"
    );
    h.check_replay();
}

#[test]
fn dilemma_targets_and_players_must_be_alive_and_eligible() {
    let mut h = day_with(json!({"dilemmaType": "GIFT_OR_GRIEF"}), 5);
    eliminate(&mut h, "p5");
    h.inject(Action::StartDilemma);
    assert_eq!(h.st().dilemmas.current.as_ref().unwrap().eligible, ids(&P4));
    h.reject("p5", gift("p1"), "PLAYER_ELIMINATED");
    h.reject("p1", gift("p5"), "TARGET_ELIMINATED");
    h.reject("p1", gift("p9"), "UNKNOWN_PLAYER");
    h.reject("p1", spotlight("p2"), "WRONG_DILEMMA");
    eliminate(&mut h, "p4");
    // p4 is out: the other three are everyone still to wait for.
    h.ok("p1", gift("p2"));
    h.ok("p2", gift("p3"));
    let f = h.ok("p3", gift("p2"));
    let r = result(&f).unwrap();
    assert!(!r.timed_out);
    assert_eq!(r.eligible, 4);
    assert_eq!(r.submitted, 3);
    h.check_replay();
}

#[test]
fn end_day_reveals_an_open_dilemma_and_no_dilemma_today_is_a_no_op() {
    let mut h = gambit_day(4);
    for p in ["p1", "p2", "p3"] {
        h.ok(p, gambit(GambitAction::Donate));
    }
    let f = h.next_stage();
    let r = result(&f).expect("revealed at END_DAY");
    assert!(r.timed_out);
    assert_eq!(gambit_outcome(&r).2, 45);
    // Day 2 has no dilemma.
    h.inject(Action::StartDay);
    let f = h.inject(Action::StartDilemma);
    assert!(f.iter().any(|f| matches!(f, Fact::NoEffect { .. })));
    assert_eq!(h.view("p1")["dilemma"], serde_json::Value::Null);
    h.reject("p1", gift("p2"), "DILEMMA_CLOSED");
    h.check_replay();
}

#[test]
fn decisions_are_secret_until_the_reveal() {
    let mut h = gambit_day(4);
    h.ok("p1", gambit(GambitAction::Donate));
    h.ok("p2", gambit(GambitAction::Keep));
    only_seen_by(&h, "\"myDecision\":\"DONATE\"", &["p1"], &P4);
    only_seen_by(&h, "\"myDecision\":\"KEEP\"", &["p2"], &P4);
    seen_by_nobody(&h, "\"decisions\"", &P4);
    // Who has submitted is public.
    assert_eq!(h.view("p3")["dilemma"]["submitted"], json!(["p1", "p2"]));
    h.inject(Action::EndDilemma);
    seen_by_all(&h, "[\"p1\",\"DONATE\"]", &P4);
    seen_by_all(&h, "[\"p2\",\"KEEP\"]", &P4);
    h.check_replay();

    let mut h = day_with(json!({"dilemmaType": "SPOTLIGHT"}), 4);
    h.inject(Action::StartDilemma);
    h.ok("p1", spotlight("p3"));
    only_seen_by(&h, "\"myDecision\":\"p3\"", &["p1"], &P4);
    h.check_replay();
}
