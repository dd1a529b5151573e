//! Prompts through the real engine: a `Room` with a STATIC, ADMIN-scheduled manifest (DYNAMIC for
//! the pools), START/END_ACTIVITY injected as ADMIN entries, players answering as ACTION entries.
//! Every scenario ends by replaying its journal to byte-identical snapshots.

use crate::common;
use crate::content;

use common::*;
use content::*;
use pecking_order::engine::manifest::parse_manifest;
use pecking_order::engine::prompts::{PromptOutcome, PromptType, Stage, Stance, WyrChoice};
use pecking_order::engine::timeline::Action;
use pecking_order::engine::Fact;
use serde_json::{json, Value};

fn no_effect(facts: &[Fact]) -> bool {
    facts.iter().any(|f| matches!(f, Fact::NoEffect { .. }))
}

#[test]
fn player_pick_pays_participation_and_mutual_pairs_and_ends_when_all_answered() {
    let mut h = day_with(json!({"activityType": "PLAYER_PICK"}), 4);
    h.reject("p1", pick("p2"), "ACTIVITY_CLOSED");
    let f = h.inject(Action::StartActivity);
    assert!(f.iter().any(|f| matches!(f, Fact::ActivityStarted { prompt_type: PromptType::PlayerPick, eligible, .. } if *eligible == ids(&P4))));
    h.reject("p1", pick("p1"), "SELF_TARGET");
    h.reject("p1", pick("nobody"), "UNKNOWN_PLAYER");
    h.reject("p1", wyr(WyrChoice::A), "WRONG_ACTIVITY");
    h.reject("p1", confess("hm"), "WRONG_ACTIVITY");
    h.ok("p1", pick("p2"));
    h.reject("p1", pick("p3"), "ALREADY_RESPONDED");
    h.ok("p2", pick("p1"));
    let f = h.ok("p3", pick("p1"));
    assert!(activity_result(&f).is_none(), "p4 has not answered");
    let f = h.ok("p4", pick("p1"));
    let (timed_out, outcome, rewards) = activity_result(&f).expect("complete");
    assert!(!timed_out);
    assert_eq!(
        rewards,
        pairs(&[("p1", 15), ("p2", 15), ("p3", 5), ("p4", 5)])
    );
    match outcome {
        PromptOutcome::PlayerPick {
            picks,
            mutual_pairs,
            most_picked,
            most_picked_count,
        } => {
            assert_eq!(picks.len(), 4);
            assert_eq!(mutual_pairs, vec![("p1".to_string(), "p2".to_string())]);
            assert_eq!(most_picked, ids(&["p1"]));
            assert_eq!(most_picked_count, 3);
        }
        o => panic!("{o:?}"),
    }
    assert_eq!(
        paid(&f),
        vec![
            ("p1".into(), 15, "PROMPT_PLAYER_PICK".into()),
            ("p2".into(), 15, "PROMPT_PLAYER_PICK".into()),
            ("p3".into(), 5, "PROMPT_PLAYER_PICK".into()),
            ("p4".into(), 5, "PROMPT_PLAYER_PICK".into()),
        ]
    );
    assert_eq!(h.silver("p1"), 65);
    h.reject("p1", pick("p2"), "ACTIVITY_CLOSED");
    // One activity a day: a second START does nothing; END after the results does nothing.
    assert!(no_effect(&h.inject(Action::StartActivity)));
    assert!(no_effect(&h.inject(Action::EndActivity)));
    let v = h.view("p3");
    assert_eq!(v["activity"]["stage"], json!("RESULTS"));
    assert_eq!(
        v["activity"]["result"]["outcome"]["kind"],
        json!("PLAYER_PICK")
    );
    // Held until the next morning.
    h.next_day();
    assert_eq!(h.view("p3")["activity"], Value::Null);
    h.check_replay();
}

#[test]
fn a_forced_end_builds_results_from_partial_answers() {
    let mut h = day_with(json!({"activityType": "PLAYER_PICK"}), 4);
    h.inject(Action::StartActivity);
    h.ok("p1", pick("p2"));
    h.ok("p2", pick("p3"));
    let f = h.inject(Action::EndActivity);
    let (timed_out, outcome, rewards) = activity_result(&f).expect("forced results");
    assert!(timed_out);
    assert_eq!(rewards, pairs(&[("p1", 5), ("p2", 5)]));
    match outcome {
        PromptOutcome::PlayerPick {
            mutual_pairs,
            most_picked,
            most_picked_count,
            ..
        } => {
            assert!(mutual_pairs.is_empty());
            assert_eq!(most_picked, ids(&["p2", "p3"]), "ties are all reported");
            assert_eq!(most_picked_count, 1);
        }
        o => panic!("{o:?}"),
    }
    h.reject("p3", pick("p1"), "ACTIVITY_CLOSED");
    h.check_replay();
}

#[test]
fn eligibility_is_frozen_at_start_and_only_alive_players_are_waited_for() {
    let mut h = day_with(json!({"activityType": "PLAYER_PICK"}), 5);
    eliminate(&mut h, "p5");
    h.inject(Action::StartActivity);
    assert_eq!(
        h.st().prompts.current.as_ref().unwrap().eligible,
        ids(&P4),
        "p5 was out before it started"
    );
    h.reject("p5", pick("p1"), "PLAYER_ELIMINATED");
    eliminate(&mut h, "p4");
    h.reject("p1", pick("p4"), "TARGET_ELIMINATED");
    h.reject("p4", pick("p1"), "PLAYER_ELIMINATED");
    h.ok("p1", pick("p2"));
    h.ok("p2", pick("p3"));
    let f = h.ok("p3", pick("p1"));
    let (timed_out, _, _) = activity_result(&f).expect("the alive eligible players all answered");
    assert!(!timed_out);
    h.check_replay();
}

#[test]
fn prediction_is_rewarded_against_the_actual_elimination_not_the_most_predicted() {
    let mut h = day_with(json!({"activityType": "PREDICTION"}), 4);
    h.inject(Action::StartActivity);
    h.reject("p1", pick("p1"), "SELF_TARGET");
    h.ok("p1", pick("p4"));
    h.ok("p2", pick("p4"));
    h.ok("p3", pick("p2"));
    let f = h.ok("p4", pick("p1"));
    let (_, outcome, rewards) = activity_result(&f).expect("all predicted");
    assert_eq!(
        rewards,
        pairs(&[("p1", 5), ("p2", 5), ("p3", 5), ("p4", 5)])
    );
    assert!(matches!(
        outcome,
        PromptOutcome::Prediction { ref most_predicted, settled: false, .. } if most_predicted.as_deref() == Some("p4")
    ));
    // The vote eliminates p2, whom only p3 predicted.
    h.inject(Action::OpenVoting);
    for v in ["p1", "p3", "p4"] {
        h.ok(v, vote("p2"));
    }
    h.ok("p2", vote("p4"));
    h.inject(Action::CloseVoting);
    let f = h.next_stage();
    let elim = f
        .iter()
        .position(|f| matches!(f, Fact::Elimination { player_id, .. } if player_id == "p2"))
        .expect("p2 eliminated");
    let settled = f
        .iter()
        .position(|f| {
            matches!(f, Fact::PredictionSettled { eliminated, correct, .. }
                if eliminated.as_deref() == Some("p2") && *correct == ids(&["p3"]))
        })
        .expect("settled against p2");
    assert!(elim < settled);
    assert_eq!(
        paid(&f),
        vec![("p3".into(), 10, "PREDICTION_CORRECT".into())]
    );
    assert_eq!(h.silver("p3"), 65);
    assert_eq!(
        h.silver("p1"),
        55,
        "predicting the most-predicted player pays nothing more"
    );
    let o = &h.view("p1")["activity"]["result"]["outcome"];
    assert_eq!(o["settled"], json!(true));
    assert_eq!(o["eliminated"], json!("p2"));
    h.check_replay();
}

#[test]
fn an_open_prediction_is_closed_at_end_day_and_no_elimination_pays_no_bonus() {
    let mut h = day_with(json!({"activityType": "PREDICTION"}), 4);
    h.inject(Action::StartActivity);
    h.ok("p1", pick("p3"));
    h.ok("p2", pick("p4"));
    let f = h.next_stage();
    let (timed_out, outcome, _) = activity_result(&f).expect("closed by END_DAY");
    assert!(timed_out);
    assert!(
        matches!(
            outcome,
            PromptOutcome::Prediction { ref most_predicted, .. } if most_predicted.as_deref() == Some("p3")
        ),
        "a tie goes to the player named first"
    );
    assert!(f.iter().any(|f| matches!(f, Fact::PredictionSettled { eliminated: None, correct, .. } if correct.is_empty())));
    assert_eq!(h.silver("p1"), 55);
    h.check_replay();
}

#[test]
fn would_you_rather_pays_the_strictly_smaller_side() {
    let mut h = day_with(json!({"activityType": "WOULD_YOU_RATHER"}), 5);
    h.inject(Action::StartActivity);
    let v = h.view("p1");
    assert_eq!(v["activity"]["options"].as_array().unwrap().len(), 2);
    h.reject("p1", hot(0), "WRONG_ACTIVITY");
    for p in ["p1", "p2", "p3"] {
        h.ok(p, wyr(WyrChoice::A));
    }
    h.ok("p4", wyr(WyrChoice::B));
    let f = h.ok("p5", wyr(WyrChoice::B));
    let (_, outcome, rewards) = activity_result(&f).unwrap();
    assert_eq!(
        rewards,
        pairs(&[("p1", 5), ("p2", 5), ("p3", 5), ("p4", 15), ("p5", 15)])
    );
    assert!(
        matches!(outcome, PromptOutcome::Choice { ref counts, ref minority, .. } if *counts == vec![3, 2] && *minority == vec![1])
    );
    h.check_replay();
}

#[test]
fn would_you_rather_tie_and_one_sided_pay_no_bonus_and_custom_options_come_from_the_payload() {
    let day = json!({"voteType": "MAJORITY", "activityType": "WOULD_YOU_RATHER", "timeline": [
        {"time": "2026-12-01T09:00:00Z", "action": "OPEN_GROUP_CHAT"},
        {"time": "2026-12-01T10:00:00Z", "action": "START_ACTIVITY",
         "payload": {"promptText": "Pick a power", "optionA": "Fly", "optionB": "Vanish"}},
        {"time": "2026-12-01T12:00:00Z", "action": "END_DAY"}]});
    let mut h = H::with_manifest(
        static_manifest(vec![day, json!({"activityType": "WOULD_YOU_RATHER"})]),
        4,
    );
    h.inject(Action::StartDay);
    h.inject(Action::StartActivity);
    let v = h.view("p1");
    assert_eq!(v["activity"]["promptText"], json!("Pick a power"));
    assert_eq!(v["activity"]["options"], json!(["Fly", "Vanish"]));
    h.ok("p1", wyr(WyrChoice::A));
    h.ok("p2", wyr(WyrChoice::B));
    h.ok("p3", wyr(WyrChoice::A));
    let f = h.ok("p4", wyr(WyrChoice::B));
    let (_, _, rewards) = activity_result(&f).unwrap();
    assert_eq!(
        rewards,
        pairs(&[("p1", 5), ("p2", 5), ("p3", 5), ("p4", 5)])
    );
    // Day 2: everyone on one side, no minority.
    h.next_day();
    h.inject(Action::StartActivity);
    assert_eq!(
        h.view("p1")["activity"]["promptText"],
        json!(PromptType::WouldYouRather.default_text())
    );
    for p in ["p1", "p2", "p3"] {
        h.ok(p, wyr(WyrChoice::B));
    }
    let f = h.ok("p4", wyr(WyrChoice::B));
    let (_, outcome, rewards) = activity_result(&f).unwrap();
    assert_eq!(
        rewards,
        pairs(&[("p1", 5), ("p2", 5), ("p3", 5), ("p4", 5)])
    );
    assert!(matches!(outcome, PromptOutcome::Choice { ref minority, .. } if minority.is_empty()));
    h.check_replay();
}

#[test]
fn hot_takes_are_drawn_from_the_pool_without_repeats() {
    let days: Vec<Value> = (0..6)
        .map(|_| json!({"activityType": "HOT_TAKE"}))
        .collect();
    let mut h = H::day1(days, 4);
    let mut seen = Vec::new();
    for day in 1..=6 {
        if day > 1 {
            h.next_day();
        }
        let f = h.inject(Action::StartActivity);
        let (id, options) = f
            .iter()
            .find_map(|f| match f {
                Fact::ActivityStarted {
                    prompt_id, options, ..
                } => Some((prompt_id.clone().unwrap(), options.clone())),
                _ => None,
            })
            .unwrap();
        assert!((2..=4).contains(&options.len()));
        assert!(!seen.contains(&id), "{id} drawn twice");
        seen.push(id);
    }
    assert_eq!(h.st().prompts.hot_takes_used.len(), 6);
    h.check_replay();
}

#[test]
fn hot_take_minority_is_the_smallest_non_empty_option_and_stance_needs_agree_disagree() {
    let timeline = |opts: Value| {
        json!([{"time": "2026-12-01T09:00:00Z", "action": "START_ACTIVITY",
                "payload": {"promptText": "Best colour?", "options": opts}},
               {"time": "2026-12-01T12:00:00Z", "action": "END_DAY"}])
    };
    let d1 = json!({"voteType": "MAJORITY", "activityType": "HOT_TAKE", "timeline": timeline(json!(["Red", "Green", "Blue"]))});
    let d2 = json!({"voteType": "FINALS", "activityType": "HOT_TAKE", "timeline": timeline(json!(["Agree", "Disagree"]))});
    let mut h = H::with_manifest(static_manifest(vec![d1, d2]), 4);
    h.inject(Action::StartDay);
    h.inject(Action::StartActivity);
    assert_eq!(h.view("p1")["activity"]["promptId"], Value::Null);
    h.reject("p1", stance(Stance::Agree), "INVALID_CHOICE");
    h.reject("p1", hot(3), "INVALID_CHOICE");
    h.reject(
        "p1",
        pecking_order::engine::Command::from(
            pecking_order::engine::prompts::hot_take::Command::Respond {
                option_index: Some(0),
                stance: Some(Stance::Agree),
            },
        ),
        "INVALID_CHOICE",
    );
    h.ok("p1", hot(0));
    h.ok("p2", hot(0));
    h.ok("p3", hot(1));
    let f = h.ok("p4", hot(0));
    let (_, outcome, rewards) = activity_result(&f).unwrap();
    assert!(
        matches!(outcome, PromptOutcome::Choice { ref counts, ref minority, .. } if *counts == vec![3, 1, 0] && *minority == vec![1]),
        "an option nobody chose is not the minority"
    );
    assert_eq!(
        rewards,
        pairs(&[("p1", 5), ("p2", 5), ("p3", 15), ("p4", 5)])
    );
    h.next_day();
    h.inject(Action::StartActivity);
    h.ok("p1", stance(Stance::Agree));
    h.ok("p2", stance(Stance::Disagree));
    h.ok("p3", hot(0));
    let f = h.ok("p4", hot(0));
    let (_, outcome, _) = activity_result(&f).unwrap();
    assert!(
        matches!(outcome, PromptOutcome::Choice { ref counts, ref minority, .. } if *counts == vec![3, 1] && *minority == vec![1])
    );
    h.check_replay();
}

/// Index of `author`'s entry in the anonymous list.
fn idx(h: &H, author: &str) -> u32 {
    h.st()
        .prompts
        .current
        .as_ref()
        .unwrap()
        .entry_of(author)
        .unwrap()
}

#[test]
fn confession_prompt_collects_then_votes_on_an_anonymous_list_and_reveals_authors() {
    let mut h = day_with(json!({"activityType": "CONFESSION"}), 4);
    h.inject(Action::StartActivity);
    h.reject("p1", confess(&"x".repeat(281)), "TEXT_TOO_LONG");
    h.reject("p1", confess("  "), "EMPTY_TEXT");
    h.ok("p1", confess("SECRET-C1 I ate the last cookie"));
    only_seen_by(&h, "SECRET-C1", &["p1"], &P4);
    h.ok("p2", confess("SECRET-C2 I never read the rules"));
    h.ok("p3", confess("SECRET-C3 I voted for myself once"));
    h.reject("p2", vote_confession(0), "WRONG_STAGE");
    let f = h.ok("p4", confess("SECRET-C4 I like this game"));
    assert!(f.iter().any(|f| matches!(
        f,
        Fact::ActivityStageChanged {
            stage: Stage::Voting,
            entries: 4
        }
    )));
    assert!(activity_result(&f).is_none());
    // The texts are public now, their authors are not.
    for s in ["SECRET-C1", "SECRET-C2", "SECRET-C3", "SECRET-C4"] {
        seen_by_all(&h, s, &P4);
    }
    seen_by_nobody(&h, "\"author\"", &P4);
    for p in P4 {
        let v = h.view(p);
        assert_eq!(v["activity"]["myEntryIndex"], json!(idx(&h, p)));
        for e in v["activity"]["entries"].as_array().unwrap() {
            assert_eq!(e.as_object().unwrap().len(), 2, "{e}: index and text only");
        }
    }
    h.reject("p1", confess("again"), "WRONG_STAGE");
    h.reject("p1", vote_confession(idx(&h, "p1")), "SELF_TARGET");
    h.reject("p1", vote_confession(9), "INVALID_CHOICE");
    let (c1, c3, c4) = (idx(&h, "p1"), idx(&h, "p3"), idx(&h, "p4"));
    h.ok("p1", vote_confession(c3));
    only_seen_by(
        &h,
        &format!("\"mySecond\":{{\"confessionIndex\":{c3}}}"),
        &["p1"],
        &P4,
    );
    h.reject("p1", vote_confession(c4), "ALREADY_RESPONDED");
    h.ok("p2", vote_confession(c3));
    h.ok("p3", vote_confession(c4));
    let f = h.ok("p4", vote_confession(c1));
    let (timed_out, outcome, rewards) = activity_result(&f).unwrap();
    assert!(!timed_out);
    assert_eq!(
        rewards,
        pairs(&[("p1", 10), ("p2", 10), ("p3", 25), ("p4", 10)])
    );
    match outcome {
        PromptOutcome::Confession {
            entries, winner, ..
        } => {
            assert_eq!(winner, Some(c3));
            assert_eq!(entries[c3 as usize].author, "p3");
        }
        o => panic!("{o:?}"),
    }
    // Results: every author revealed to everyone.
    seen_by_all(&h, "\"author\":\"p2\"", &P4);
    h.check_replay();
}

#[test]
fn confession_ties_go_to_the_lowest_index_and_a_forced_end_reveals_what_was_submitted() {
    let mut h = day_with(json!({"activityType": "CONFESSION"}), 4);
    h.inject(Action::StartActivity);
    for (p, t) in [
        ("p1", "one"),
        ("p2", "two"),
        ("p3", "three"),
        ("p4", "four"),
    ] {
        h.ok(p, confess(t));
    }
    let next = |h: &H, p: &str| {
        let order = ["p1", "p2", "p3", "p4"];
        let i = order.iter().position(|x| *x == p).unwrap();
        idx(h, order[(i + 1) % 4])
    };
    for p in ["p1", "p2", "p3"] {
        let i = next(&h, p);
        h.ok(p, vote_confession(i));
    }
    // p4 never votes: END_ACTIVITY closes the vote with three votes, a three-way tie.
    let f = h.inject(Action::EndActivity);
    let (timed_out, outcome, _) = activity_result(&f).unwrap();
    assert!(timed_out);
    let voted: Vec<u32> = ["p2", "p3", "p4"].iter().map(|p| idx(&h, p)).collect();
    let lowest = *voted.iter().min().unwrap();
    assert!(matches!(outcome, PromptOutcome::Confession { winner, .. } if winner == Some(lowest)));
    h.check_replay();

    // Ended while still collecting: the list is built and revealed, only confessions are paid.
    let mut h = day_with(json!({"activityType": "CONFESSION"}), 4);
    h.inject(Action::StartActivity);
    h.ok("p1", confess("SECRET-early-1"));
    h.ok("p3", confess("SECRET-early-3"));
    only_seen_by(&h, "SECRET-early-3", &["p3"], &P4);
    let f = h.inject(Action::EndActivity);
    let (timed_out, outcome, rewards) = activity_result(&f).unwrap();
    assert!(timed_out);
    assert_eq!(rewards, pairs(&[("p1", 5), ("p3", 5)]));
    match outcome {
        PromptOutcome::Confession {
            entries,
            votes,
            winner,
            ..
        } => {
            assert_eq!(entries.len(), 2);
            assert!(votes.is_empty());
            assert_eq!(winner, None);
        }
        o => panic!("{o:?}"),
    }
    seen_by_all(&h, "SECRET-early-3", &P4);
    h.check_replay();
}

#[test]
fn guess_who_pays_answers_correct_guesses_and_fooled_authors() {
    let mut h = day_with(json!({"activityType": "GUESS_WHO"}), 3);
    let players = ["p1", "p2", "p3"];
    h.inject(Action::StartActivity);
    h.ok("p1", answer("SECRET-A1 biting nails"));
    h.ok("p2", answer("SECRET-A2 being late"));
    only_seen_by(&h, "SECRET-A1", &["p1"], &players);
    h.reject("p1", guess(&[(0, "p2")]), "WRONG_STAGE");
    h.ok("p3", answer("SECRET-A3 snoring"));
    seen_by_all(&h, "SECRET-A1", &players);
    seen_by_nobody(&h, "\"author\"", &players);
    let (a1, a2, a3) = (idx(&h, "p1"), idx(&h, "p2"), idx(&h, "p3"));
    h.reject("p1", guess(&[(a1, "p2")]), "SELF_TARGET");
    h.reject("p1", guess(&[(a2, "p1")]), "SELF_TARGET");
    h.reject("p1", guess(&[(7, "p2")]), "INVALID_CHOICE");
    h.reject("p1", guess(&[(a2, "p9")]), "INVALID_CHOICE");
    h.reject("p1", guess(&[]), "INVALID_CHOICE");
    h.ok("p1", guess(&[(a2, "p2"), (a3, "p2")]));
    h.reject("p1", guess(&[(a2, "p3")]), "ALREADY_RESPONDED");
    h.ok("p2", guess(&[(a1, "p3"), (a3, "p3")]));
    let f = h.ok("p3", guess(&[(a1, "p1"), (a2, "p2")]));
    let (timed_out, outcome, rewards) = activity_result(&f).unwrap();
    assert!(!timed_out);
    match outcome {
        PromptOutcome::GuessWho {
            correct, fooled, ..
        } => {
            assert_eq!(
                correct,
                vec![("p1".into(), 1), ("p2".into(), 1), ("p3".into(), 2)]
            );
            assert_eq!(fooled, vec![("p1".into(), 1), ("p3".into(), 1)]);
        }
        o => panic!("{o:?}"),
    }
    assert_eq!(rewards, pairs(&[("p1", 15), ("p2", 10), ("p3", 20)]));
    seen_by_all(&h, "\"author\":\"p1\"", &players);
    h.check_replay();
}

#[test]
fn guess_who_forced_end_while_answering_pays_answers_only() {
    let mut h = day_with(json!({"activityType": "GUESS_WHO"}), 4);
    h.inject(Action::StartActivity);
    h.ok("p2", answer("late again"));
    let f = h.next_stage(); // END_DAY closes it
    let (timed_out, outcome, rewards) = activity_result(&f).unwrap();
    assert!(timed_out);
    assert_eq!(rewards, pairs(&[("p2", 5)]));
    assert!(
        matches!(outcome, PromptOutcome::GuessWho { ref entries, .. } if entries.len() == 1 && entries[0].author == "p2")
    );
    h.check_replay();
}

#[test]
fn single_stage_answers_are_secret_until_the_results() {
    let mut h = day_with(json!({"activityType": "PLAYER_PICK"}), 4);
    h.inject(Action::StartActivity);
    h.ok("p1", pick("p3"));
    only_seen_by(&h, "\"targetId\":\"p3\"", &["p1"], &P4);
    // Who has answered is public; what is not.
    assert_eq!(h.view("p2")["activity"]["responded"], json!(["p1"]));
    h.ok("p2", pick("p3"));
    h.ok("p3", pick("p1"));
    h.ok("p4", pick("p1"));
    let picks = &h.view("p2")["activity"]["result"]["outcome"]["picks"];
    assert!(picks.as_array().unwrap().contains(&json!(["p1", "p3"])));
    h.check_replay();

    let mut h = day_with(json!({"activityType": "WOULD_YOU_RATHER"}), 4);
    h.inject(Action::StartActivity);
    h.ok("p1", wyr(WyrChoice::B));
    only_seen_by(&h, "\"optionIndex\":1", &["p1"], &P4);
    h.check_replay();
}

#[test]
fn no_activity_today_makes_start_a_no_op() {
    let mut h = H::day1(vec![json!({}), json!({})], 4);
    let f = h.inject(Action::StartActivity);
    assert!(no_effect(&f));
    assert!(h.st().prompts.current.is_none());
    h.reject("p1", pick("p2"), "ACTIVITY_CLOSED");
    h.check_replay();
}

#[test]
fn preset_timelines_include_activity_and_dilemma_events_only_on_days_that_have_them() {
    let manifest = json!({"kind": "STATIC", "startTime": "2026-12-01T09:00:00Z", "schedulePreset": "SMOKE_TEST",
        "days": [{"voteType": "MAJORITY", "activityType": "WOULD_YOU_RATHER", "dilemmaType": "SPOTLIGHT"},
                 {"voteType": "FINALS"}]});
    let mut room = room_with("preset-content", manifest, 4, SEED);
    room.fire_due(T0, 1);
    let actions: Vec<Action> = room
        .state()
        .unwrap()
        .tasks
        .iter()
        .map(|t| t.action)
        .collect();
    for a in [
        Action::StartActivity,
        Action::EndActivity,
        Action::StartDilemma,
        Action::EndDilemma,
    ] {
        assert!(actions.contains(&a), "{a:?} in {actions:?}");
    }
    let m = parse_manifest(
        &json!({"kind": "STATIC", "startTime": "2026-12-01T09:00:00Z", "days": [{"voteType": "MAJORITY"}]}),
        "m",
    )
    .unwrap();
    assert!(!m
        .static_day_timeline(1)
        .iter()
        .any(|(_, a)| matches!(a, Action::StartActivity | Action::StartDilemma)));
}

#[test]
fn dynamic_pools_plan_each_day_and_skip_the_finals() {
    let manifest = json!({"kind": "DYNAMIC", "scheduling": "ADMIN", "startTime": "2026-12-01T09:00:00Z",
        "ruleset": {"voting": {"allowed": ["MAJORITY"]},
                    "activities": {"allowed": ["PLAYER_PICK", "WOULD_YOU_RATHER"]},
                    "dilemmas": {"mode": "SEQUENCE", "sequence": ["SPOTLIGHT", "GIFT_OR_GRIEF"]}}});
    let mut h = H::with_manifest(manifest, 5);
    let mut planned = Vec::new();
    for _ in 0..3 {
        h.next_stage(); // morning
        let st = h.st();
        planned.push((
            st.prompts.today.as_ref().map(|a| a.prompt_type),
            st.dilemmas.today,
        ));
        h.next_stage(); // night
    }
    use pecking_order::engine::dilemmas::DilemmaType::*;
    use PromptType::*;
    assert_eq!(
        planned,
        vec![
            (Some(PlayerPick), Some(Spotlight)),
            (Some(WouldYouRather), Some(GiftOrGrief)),
            (Some(PlayerPick), Some(GiftOrGrief)),
        ]
    );
    // A pre-scheduled DYNAMIC day puts them in its timeline.
    let dynamic = json!({"kind": "DYNAMIC", "startTime": "2026-12-01T09:00:00Z",
        "ruleset": {"activities": {"allowed": ["HOT_TAKE"]}}});
    let mut room = room_with("dyn-content", dynamic, 4, SEED);
    room.fire_due(T0, 1);
    assert!(room
        .state()
        .unwrap()
        .tasks
        .iter()
        .any(|t| t.action == Action::StartActivity));
    // With two players left there is no activity.
    let st = h.st();
    assert!(st.manifest.activity_for(4, 2).is_none());
    assert!(st.manifest.dilemma_for(4, 2).is_none());
    h.check_replay();
}

#[test]
fn manifest_content_fields_are_validated_field_by_field() {
    let base = || json!({"kind": "STATIC", "startTime": "2026-12-01T09:00:00Z", "days": [{"voteType": "MAJORITY"}]});
    let dynamic = |ruleset: Value| json!({"kind": "DYNAMIC", "startTime": "2026-12-01T09:00:00Z", "ruleset": ruleset});
    let errs = |v: Value| -> Vec<(String, &'static str)> {
        parse_manifest(&v, "manifest")
            .unwrap_err()
            .errors
            .into_iter()
            .map(|e| (e.path, e.code))
            .collect()
    };
    let with_day = |day: Value| {
        let mut m = base();
        m["days"][0] = day;
        m
    };
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            with_day(json!({"voteType": "MAJORITY", "activityType": "DANCE"})),
            "manifest.days[0].activityType",
            "INVALID_VALUE",
        ),
        (
            with_day(json!({"voteType": "MAJORITY", "dilemmaType": "DUEL"})),
            "manifest.days[0].dilemmaType",
            "INVALID_VALUE",
        ),
        (
            with_day(json!({"voteType": "MAJORITY", "confessions": "yes"})),
            "manifest.days[0].confessions",
            "WRONG_TYPE",
        ),
        (
            with_day(
                json!({"voteType": "MAJORITY", "gameType": "TOUCH_SCREEN", "gameMode": "FAST"}),
            ),
            "manifest.days[0].gameMode",
            "INVALID_VALUE",
        ),
        (
            with_day(
                json!({"voteType": "MAJORITY", "activityType": "PLAYER_PICK", "timeline": [
            {"time": "2026-12-01T09:00:00Z", "action": "START_ACTIVITY", "payload": {"options": ["a", "b"]}}]}),
            ),
            "manifest.days[0].timeline[0].payload.options",
            "INVALID_VALUE",
        ),
        (
            with_day(
                json!({"voteType": "MAJORITY", "activityType": "PLAYER_PICK", "timeline": [
            {"time": "2026-12-01T09:00:00Z", "action": "START_ACTIVITY", "payload": {"promptType": "HOT_TAKE"}}]}),
            ),
            "manifest.days[0].timeline[0].payload.promptType",
            "INVALID_VALUE",
        ),
        (
            with_day(
                json!({"voteType": "MAJORITY", "activityType": "HOT_TAKE", "timeline": [
            {"time": "2026-12-01T09:00:00Z", "action": "START_ACTIVITY", "payload": {"options": ["a", "b", "c", "d", "e"]}}]}),
            ),
            "manifest.days[0].timeline[0].payload.options",
            "OUT_OF_RANGE",
        ),
        (
            with_day(
                json!({"voteType": "MAJORITY", "activityType": "CONFESSION", "timeline": [
            {"time": "2026-12-01T09:00:00Z", "action": "START_ACTIVITY", "payload": {"promptText": ""}}]}),
            ),
            "manifest.days[0].timeline[0].payload.promptText",
            "OUT_OF_RANGE",
        ),
        (
            dynamic(json!({"activities": {"allowed": ["PLAYER_PICK", "NOPE"]}})),
            "manifest.ruleset.activities.allowed[1]",
            "INVALID_VALUE",
        ),
        (
            dynamic(json!({"activities": {"mode": "SEQUENCE"}})),
            "manifest.ruleset.activities.sequence",
            "MISSING",
        ),
        (
            dynamic(json!({"dilemmas": {"mode": "NONE", "pool": ["SPOTLIGHT"]}})),
            "manifest.ruleset.dilemmas.pool",
            "INVALID_VALUE",
        ),
        (
            dynamic(json!({"dilemmas": {"allowed": "SPOTLIGHT"}})),
            "manifest.ruleset.dilemmas.allowed",
            "WRONG_TYPE",
        ),
        (
            dynamic(json!({"confessions": {"enabled": "y"}})),
            "manifest.ruleset.confessions.enabled",
            "WRONG_TYPE",
        ),
        (
            dynamic(json!({"confessions": {"on": true}})),
            "manifest.ruleset.confessions.on",
            "UNKNOWN_FIELD",
        ),
        (
            dynamic(json!({"inactivity": {"enabled": true, "thresholdDays": 0}})),
            "manifest.ruleset.inactivity.thresholdDays",
            "OUT_OF_RANGE",
        ),
        (
            dynamic(json!({"inactivity": {"enabled": true, "action": "BAN"}})),
            "manifest.ruleset.inactivity.action",
            "INVALID_VALUE",
        ),
        (
            dynamic(json!({"inactivity": {"enabled": true, "socketInactivityHours": 3}})),
            "manifest.ruleset.inactivity.socketInactivityHours",
            "UNSUPPORTED",
        ),
    ];
    for (v, path, code) in cases {
        let e = errs(v);
        assert!(
            e.iter().any(|(p, c)| p == path && *c == code),
            "{path} {code}: {e:?}"
        );
    }
    // And the good ones parse.
    for v in [
        with_day(
            json!({"voteType": "MAJORITY", "activityType": "NONE", "dilemmaType": "NONE", "confessions": false}),
        ),
        dynamic(
            json!({"activities": {"mode": "POOL", "pool": ["HOT_TAKE"], "avoidRepeat": false},
                       "dilemmas": {"mode": "NONE"}, "confessions": {"enabled": true},
                       "inactivity": {"enabled": true, "thresholdDays": 2, "action": "NUDGE_THEN_ELIMINATE"}}),
        ),
    ] {
        parse_manifest(&v, "manifest").unwrap();
    }
}

#[test]
fn client_messages_decode_strictly_and_round_trip_through_the_journal_form() {
    use pecking_order::room::parse_client_message;
    let good = [
        r#"{"type":"ACTIVITY.PROMPT.SUBMIT","targetId":"p2"}"#,
        r#"{"type":"ACTIVITY.WYR.CHOOSE","choice":"B"}"#,
        r#"{"type":"ACTIVITY.HOTTAKE.RESPOND","optionIndex":2}"#,
        r#"{"type":"ACTIVITY.HOTTAKE.RESPOND","stance":"AGREE"}"#,
        r#"{"type":"ACTIVITY.CONFESSION.SUBMIT","text":"me"}"#,
        r#"{"type":"ACTIVITY.CONFESSION.VOTE","confessionIndex":1}"#,
        r#"{"type":"ACTIVITY.GUESSWHO.ANSWER","text":"me"}"#,
        r#"{"type":"ACTIVITY.GUESSWHO.GUESS","guesses":{"0":"p2","1":"p3"}}"#,
        r#"{"type":"DILEMMA.SILVER_GAMBIT.SUBMIT","action":"DONATE"}"#,
        r#"{"type":"DILEMMA.SPOTLIGHT.SUBMIT","targetId":"p2"}"#,
        r#"{"type":"DILEMMA.GIFT_OR_GRIEF.SUBMIT","targetId":"p2"}"#,
        r#"{"type":"CONFESSION.POST","channelId":"CONFESSION-d1","text":"hi"}"#,
    ];
    for g in good {
        let m = parse_client_message(g.as_bytes()).unwrap_or_else(|e| panic!("{g}: {e:?}"));
        let (t, p) = m.command.to_type_and_payload();
        let back = pecking_order::engine::Command::from_type_and_payload(&t, &p).unwrap();
        assert_eq!(back, m.command, "{g}");
    }
    let bad = [
        (
            r#"{"type":"ACTIVITY.WYR.CHOOSE","choice":"C"}"#,
            "INVALID_FIELDS",
        ),
        (r#"{"type":"ACTIVITY.PROMPT.SUBMIT"}"#, "INVALID_FIELDS"),
        (
            r#"{"type":"ACTIVITY.CONFESSION.VOTE","confessionIndex":-1}"#,
            "INVALID_FIELDS",
        ),
        (
            r#"{"type":"ACTIVITY.GUESSWHO.GUESS","guesses":[1]}"#,
            "INVALID_FIELDS",
        ),
        (
            r#"{"type":"DILEMMA.SILVER_GAMBIT.SUBMIT","action":"STEAL"}"#,
            "INVALID_FIELDS",
        ),
        (
            r#"{"type":"CONFESSION.POST","text":"hi"}"#,
            "INVALID_FIELDS",
        ),
        (r#"{"type":"DILEMMA.COIN.SUBMIT"}"#, "UNKNOWN_TYPE"),
    ];
    for (b, code) in bad {
        assert_eq!(
            parse_client_message(b.as_bytes()).unwrap_err().1.code(),
            code,
            "{b}"
        );
    }
}

#[test]
fn a_guess_map_with_bad_keys_is_refused() {
    let mut h = day_with(json!({"activityType": "GUESS_WHO"}), 3);
    h.inject(Action::StartActivity);
    for p in ["p1", "p2", "p3"] {
        h.ok(p, answer(&format!("answer of {p}")));
    }
    let other = idx(&h, "p2");
    let mut g = std::collections::BTreeMap::new();
    g.insert("x".to_string(), "p2".to_string());
    h.reject(
        "p1",
        pecking_order::engine::Command::from(
            pecking_order::engine::prompts::guess_who::Command::Guess { guesses: g.clone() },
        ),
        "INVALID_CHOICE",
    );
    g.clear();
    g.insert(other.to_string(), "p2".to_string());
    g.insert(format!("0{other}"), "p3".to_string());
    h.reject(
        "p1",
        pecking_order::engine::Command::from(
            pecking_order::engine::prompts::guess_who::Command::Guess { guesses: g },
        ),
        "INVALID_CHOICE",
    );
    h.check_replay();
}

#[test]
fn a_hot_take_with_its_own_statement_is_agree_disagree_and_draws_nothing() {
    let day = json!({"voteType": "MAJORITY", "activityType": "HOT_TAKE", "timeline": [
        {"time": "2026-12-01T09:00:00Z", "action": "START_ACTIVITY", "payload": {"promptText": "Naps are a sport."}},
        {"time": "2026-12-01T12:00:00Z", "action": "END_DAY"}]});
    let mut h = H::with_manifest(static_manifest(vec![day, json!({})]), 3);
    h.inject(Action::StartDay);
    h.inject(Action::StartActivity);
    let a = &h.view("p1")["activity"];
    assert_eq!(a["promptText"], json!("Naps are a sport."));
    assert_eq!(a["options"], json!(["Agree", "Disagree"]));
    assert!(h.st().prompts.hot_takes_used.is_empty());
    h.ok("p1", stance(Stance::Disagree));
    h.check_replay();
}
