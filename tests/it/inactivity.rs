//! Inactivity in DYNAMIC games (ADMIN-scheduled, days stepped by NEXT_STAGE): counted from
//! accepted actions, decided at END_DAY after the vote's elimination, re-checked against the day's
//! own activity, stamped with the day, never below two alive; every journal replayed to
//! byte-identical snapshots.

use crate::common;
use crate::content;

use common::*;
use content::*;
use pecking_order::engine::timeline::Action;
use pecking_order::engine::Fact;
use serde_json::{json, Value};

fn game(players: usize, inactivity: Value) -> H {
    let m = json!({"kind": "DYNAMIC", "scheduling": "ADMIN", "startTime": "2026-12-01T09:00:00Z",
        "ruleset": {"voting": {"allowed": ["MAJORITY"]}, "inactivity": inactivity}});
    H::with_manifest(m, players)
}

/// A morning with group chat open; returns the morning's facts.
fn morning(h: &mut H) -> Vec<Fact> {
    let f = h.next_stage();
    h.inject(Action::OpenGroupChat);
    f
}

fn chat(h: &mut H, active: &[&str]) {
    for p in active {
        h.ok(p, main_msg(&format!("{p} was here")));
    }
}

fn eliminations(facts: &[Fact]) -> Vec<(String, String, u32)> {
    facts
        .iter()
        .filter_map(|f| match f {
            Fact::Elimination {
                player_id,
                mechanism,
                day,
            } => Some((player_id.clone(), mechanism.clone(), *day)),
            _ => None,
        })
        .collect()
}

fn streaks(facts: &[Fact]) -> Vec<(String, u32)> {
    facts
        .iter()
        .find_map(|f| match f {
            Fact::InactivityChecked { streaks, .. } => Some(streaks.clone()),
            _ => None,
        })
        .expect("an INACTIVITY_CHECKED fact")
}

#[test]
fn a_player_at_the_threshold_and_inactive_again_is_eliminated_and_stamped() {
    let mut h = game(5, json!({"enabled": true, "thresholdDays": 1}));
    morning(&mut h);
    chat(&mut h, &["p1", "p2", "p3", "p4"]);
    // A refused action is not activity.
    h.inject(Action::CloseGroupChat);
    h.reject("p5", main_msg("let me in"), "GROUP_CHAT_CLOSED");
    let f = h.next_stage();
    assert!(
        eliminations(&f).is_empty(),
        "one inactive day is not yet past the threshold"
    );
    assert_eq!(
        streaks(&f),
        vec![
            ("p1".into(), 0),
            ("p2".into(), 0),
            ("p3".into(), 0),
            ("p4".into(), 0),
            ("p5".into(), 1)
        ]
    );
    let f = morning(&mut h);
    assert!(
        !f.iter()
            .any(|f| matches!(f, Fact::InactivityWarning { .. })),
        "ELIMINATE does not warn"
    );
    assert_eq!(h.view("p5")["inactivity"]["atRisk"], json!(true));
    assert_eq!(h.view("p1")["inactivity"]["atRisk"], json!(false));
    chat(&mut h, &["p1", "p2", "p3", "p4"]);
    let f = h.next_stage();
    assert_eq!(
        eliminations(&f),
        vec![("p5".into(), "INACTIVITY".into(), 2)]
    );
    assert_eq!(h.st().player("p5").unwrap().eliminated_on_day, Some(2));
    assert_eq!(streaks(&f).len(), 4, "only alive players are counted");
    h.check_replay();
}

#[test]
fn activity_on_the_deciding_day_saves_the_player() {
    let mut h = game(5, json!({"enabled": true, "thresholdDays": 1}));
    morning(&mut h);
    chat(&mut h, &["p1", "p2", "p3", "p4"]);
    h.next_stage();
    morning(&mut h);
    chat(&mut h, &["p1", "p2", "p3", "p4"]);
    // Any accepted action counts, here a nudge.
    h.ok("p5", nudge("p1"));
    assert_eq!(h.view("p5")["inactivity"]["activeToday"], json!(true));
    assert_eq!(h.view("p5")["inactivity"]["atRisk"], json!(false));
    let f = h.next_stage();
    assert!(eliminations(&f).is_empty());
    assert!(streaks(&f).iter().all(|(_, n)| *n == 0));
    h.check_replay();
}

#[test]
fn the_threshold_counts_whole_days_before_the_deciding_one() {
    let mut h = game(4, json!({"enabled": true, "thresholdDays": 2}));
    for day in 1..=3u32 {
        morning(&mut h);
        chat(&mut h, &["p1", "p2", "p3"]);
        let f = h.next_stage();
        let out = eliminations(&f);
        if day < 3 {
            assert!(out.is_empty(), "day {day}");
        } else {
            assert_eq!(out, vec![("p4".into(), "INACTIVITY".into(), 3)]);
        }
    }
    h.check_replay();
}

#[test]
fn inactivity_comes_after_the_vote_and_never_leaves_fewer_than_two() {
    let mut h = game(4, json!({"enabled": true, "thresholdDays": 1}));
    morning(&mut h);
    h.next_stage(); // day 1: nobody does anything
    morning(&mut h);
    h.inject(Action::OpenVoting);
    h.ok("p1", vote("p2"));
    h.inject(Action::CloseVoting);
    let f = h.next_stage();
    assert_eq!(
        eliminations(&f),
        vec![
            ("p2".into(), "MAJORITY".into(), 2),
            ("p3".into(), "INACTIVITY".into(), 2),
        ],
        "p4 was inactive too, but two players must remain"
    );
    assert!(h.st().player("p4").unwrap().alive);
    assert_eq!(h.st().inactivity.streak("p4"), 2);
    assert_eq!(h.st().alive_count(), 2);
    h.check_replay();
}

#[test]
fn nudge_then_eliminate_warns_in_the_morning() {
    let mut h = game(
        4,
        json!({"enabled": true, "thresholdDays": 1, "action": "NUDGE_THEN_ELIMINATE"}),
    );
    morning(&mut h);
    chat(&mut h, &["p1", "p2", "p3"]);
    h.next_stage();
    let f = morning(&mut h);
    let warned: Vec<(String, u32)> = f
        .iter()
        .filter_map(|f| match f {
            Fact::InactivityWarning {
                player_id,
                inactive_days,
            } => Some((player_id.clone(), *inactive_days)),
            _ => None,
        })
        .collect();
    assert_eq!(warned, vec![("p4".into(), 1)]);
    assert_eq!(
        h.view("p4")["inactivity"]["consecutiveInactiveDays"],
        json!(1)
    );
    assert_eq!(h.room.projection(None)["inactivity"], Value::Null);
    chat(&mut h, &["p1", "p2", "p3"]);
    let f = h.next_stage();
    assert_eq!(
        eliminations(&f),
        vec![("p4".into(), "INACTIVITY".into(), 2)]
    );
    h.check_replay();
}

#[test]
fn disabled_or_static_games_track_nothing() {
    let mut h = game(4, json!({"enabled": false, "thresholdDays": 1}));
    for _ in 0..3 {
        morning(&mut h);
        let f = h.next_stage();
        assert!(eliminations(&f).is_empty());
        assert!(!f
            .iter()
            .any(|f| matches!(f, Fact::InactivityChecked { .. })));
    }
    assert!(h.st().inactivity.is_default());
    assert_eq!(h.view("p1")["inactivity"], Value::Null);
    h.check_replay();

    let mut h = H::day1(vec![json!({}), json!({}), json!({})], 4);
    h.next_day();
    h.next_day();
    assert_eq!(h.st().alive_count(), 4);
    assert!(h.st().inactivity.is_default());
    h.check_replay();
}
