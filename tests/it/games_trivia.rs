//! TRIVIA through the room: seeded deals from the shipped pool, the 15 s (+1 s grace) clock
//! measured from entry times, the scoring table, SUBMIT / RETRY, crediting by the deadline,
//! early completion, and the secrecy of answers (a question's right option never appears in any
//! projection before that player has answered it). Every scenario replays identically.

use crate::common;
use crate::games_support;

use common::*;
use games_support::*;
use pecking_order::engine::games::{GameRun, GameType, Summary, QUESTIONS};
use pecking_order::engine::Command;

const T: GameType = GameType::Trivia;

fn answer(i: u32) -> Command {
    Command::from(pecking_order::engine::games::trivia::Command::Answer { answer_index: i })
}

fn start() -> Command {
    Command::from(pecking_order::engine::games::trivia::Command::Start {})
}

/// The right (shown) option of `player`'s open question, read from the server-side state.
fn right(h: &H, player: &str) -> u32 {
    let GameRun::Trivia(t) = &active(h).run else {
        panic!("trivia")
    };
    let p = t.players.iter().find(|p| p.player_id == player).unwrap();
    let run = p.run.as_ref().unwrap();
    run.dealt[run.answers.len()].correct_position() as u32
}

fn wrong(h: &H, player: &str) -> u32 {
    (right(h, player) + 1) % 4
}

/// Question ids dealt to `player` today.
fn seen(h: &H, player: &str) -> Vec<u16> {
    let GameRun::Trivia(t) = &active(h).run else {
        panic!("trivia")
    };
    t.players
        .iter()
        .find(|p| p.player_id == player)
        .unwrap()
        .seen
        .clone()
}

#[test]
fn the_pool_has_at_least_fifty_well_formed_questions() {
    assert!(QUESTIONS.len() >= 50);
    for q in QUESTIONS.iter() {
        assert!(q.answer < 4, "{}", q.text);
        let mut o = q.options.to_vec();
        o.sort_unstable();
        o.dedup();
        assert_eq!(o.len(), 4, "distinct options: {}", q.text);
    }
    let mut texts: Vec<&str> = QUESTIONS.iter().map(|q| q.text).collect();
    texts.sort_unstable();
    texts.dedup();
    assert_eq!(texts.len(), QUESTIONS.len(), "no duplicate question");
}

#[test]
fn five_fast_right_answers_earn_the_perfect_bonus_and_submit_credits_them() {
    let mut h = game_day(T, 2, 0);
    start_game(&mut h);
    h.reject("p1", answer(0), "WRONG_GAME_STAGE");
    h.reject("p1", submit(), "WRONG_GAME_STAGE");
    h.ok("p1", start());
    h.reject("p1", start(), "WRONG_GAME_STAGE");
    h.reject("p1", answer(4), "INVALID_ANSWER");
    assert_eq!(seen(&h, "p1").len(), 5);
    for _ in 0..5 {
        // One second after the question was shown: 2 + floor(3 × 14000 / 15000) = 4.
        let r = right(&h, "p1");
        h.ok("p1", answer(r));
    }
    h.reject("p1", answer(0), "WRONG_GAME_STAGE");
    let f = h.ok("p1", submit());
    assert_eq!(player_results(&f), vec![("p1".into(), 5 * 4 + 5, 5, false)]);
    assert_eq!(game_silver(&f, T), vec![("p1".into(), 25)]);
    assert_eq!(pool_deltas(&f), vec![5]);
    assert!(running(&h), "p2 has not played");
    h.check_replay();
}

#[test]
fn the_clock_runs_from_each_question_shown_with_one_second_of_grace() {
    let mut h = game_day(T, 2, 0);
    start_game(&mut h);
    h.ok("p1", start());
    // Q1 right at 15.5 s: within grace, no speed bonus: 2.
    h.now += 14_500;
    let r = right(&h, "p1");
    h.ok("p1", answer(r));
    // Q2 right at 16.5 s: too late: 0.
    h.now += 15_500;
    let r = right(&h, "p1");
    h.ok("p1", answer(r));
    // Q3 wrong, fast: 0.
    let w = wrong(&h, "p1");
    h.ok("p1", answer(w));
    // Q4 right at 8 s: 2 + floor(3 × 7000 / 15000) = 3.
    h.now += 7_000;
    let r = right(&h, "p1");
    h.ok("p1", answer(r));
    // Q5 right at 1 s: 4.
    let r = right(&h, "p1");
    h.ok("p1", answer(r));
    let f = h.ok("p1", submit());
    assert_eq!(player_results(&f), vec![("p1".into(), 2 + 3 + 4, 3, false)]);
    // The player's own view lists every answered question with its right option.
    let mine = &game_view(&h, "p1")["mine"];
    let answered = mine["answered"].as_array().unwrap();
    assert_eq!(answered.len(), 5);
    let silvers: Vec<u64> = answered
        .iter()
        .map(|a| a["silver"].as_u64().unwrap())
        .collect();
    assert_eq!(silvers, vec![2, 0, 0, 3, 4]);
    assert_eq!(answered[1]["correct"], false, "right but late");
    h.check_replay();
}

#[test]
fn answers_never_reach_a_projection_before_that_players_question_closes() {
    let mut h = game_day(T, 3, 0);
    start_game(&mut h);
    h.ok("p1", start());
    h.ok("p2", start());
    let p1_seen = seen(&h, "p1");
    // Nobody sees any right option yet.
    nobody_sees(&h, 3, "correctIndex");
    let texts_of = |ids: &[u16]| -> Vec<&'static str> {
        ids.iter().map(|i| QUESTIONS[*i as usize].text).collect()
    };
    // p3 (not started) and the public view see no question at all.
    for q in QUESTIONS.iter() {
        assert!(!h.view("p3").to_string().contains(q.text));
        assert!(!h.room.projection(None).to_string().contains(q.text));
    }
    // p2 sees only questions dealt to p2.
    let p2_texts = texts_of(&seen(&h, "p2"));
    for q in QUESTIONS.iter() {
        if h.view("p2").to_string().contains(q.text) {
            assert!(p2_texts.contains(&q.text), "p2 sees {:?}", q.text);
        }
    }
    // p1 sees only the open question of their run, not the four to come.
    let v1 = h.view("p1").to_string();
    let shown: Vec<&str> = texts_of(&p1_seen)
        .into_iter()
        .filter(|t| v1.contains(t))
        .collect();
    assert_eq!(shown, vec![QUESTIONS[p1_seen[0] as usize].text]);
    // After answering, p1 sees that one question's right option, and only p1 does.
    let w = wrong(&h, "p1");
    h.ok("p1", answer(w));
    assert_eq!(h.view("p1").to_string().matches("correctIndex").count(), 1);
    for p in ["p2", "p3"] {
        assert!(!h.view(p).to_string().contains("correctIndex"));
    }
    // Others see only progress.
    let progress = &game_view(&h, "p3")["progress"];
    assert_eq!(progress[0]["answered"], 1);
    assert_eq!(progress[0]["stage"], "PLAYING");
    h.check_replay();
}

#[test]
fn retry_deals_fresh_questions_and_the_deadline_credits_the_fallback_or_the_partial_run() {
    let mut h = game_day(T, 4, 0);
    start_game(&mut h);
    // p1: a finished run (1 right), then a retry left unfinished: the fallback is credited.
    h.ok("p1", start());
    let r = right(&h, "p1");
    h.ok("p1", answer(r));
    for _ in 0..4 {
        let w = wrong(&h, "p1");
        h.ok("p1", answer(w));
    }
    let first = seen(&h, "p1");
    h.ok("p1", retry());
    let again = seen(&h, "p1");
    assert_eq!(again.len(), 10, "five fresh questions");
    assert!(again[5..].iter().all(|q| !first.contains(q)));
    let r = right(&h, "p1");
    h.ok("p1", answer(r)); // the unfinished retry's 4 silver do not count
                           // p2: a finished run left awaiting a decision: credited as it stands.
    h.ok("p2", start());
    for _ in 0..5 {
        let r = right(&h, "p2");
        h.ok("p2", answer(r));
    }
    // p3: a first run left unfinished: what it earned so far.
    h.ok("p3", start());
    for _ in 0..2 {
        let r = right(&h, "p3");
        h.ok("p3", answer(r));
    }
    // p4 never started.
    let f = end_game(&mut h);
    assert_eq!(
        player_results(&f),
        vec![
            ("p1".into(), 4, 1, true),
            ("p2".into(), 25, 5, true),
            ("p3".into(), 8, 2, true)
        ]
    );
    assert_eq!(pool_deltas(&f), vec![1, 5, 2]);
    let (Summary::Trivia(s), true) = result_in(&f).expect("forced") else {
        panic!("trivia")
    };
    assert_eq!(s.gold_contribution, 8);
    assert_eq!(s.players[3].silver, 0);
    assert_eq!(h.silver("p4"), 50);
    h.check_replay();
}

#[test]
fn trivia_ends_early_when_everyone_submitted() {
    let mut h = game_day(T, 2, 0);
    start_game(&mut h);
    for p in ["p1", "p2"] {
        h.ok(p, start());
        for _ in 0..5 {
            let w = wrong(&h, p);
            h.ok(p, answer(w));
        }
    }
    h.ok("p1", submit());
    let f = h.ok("p2", submit());
    assert_eq!(player_results(&f), vec![("p2".into(), 0, 0, false)]);
    let (_, forced) = result_in(&f).expect("complete");
    assert!(!forced);
    assert!(!running(&h));
    h.check_replay();
}
