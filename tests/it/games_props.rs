//! Property tests of the daily games: random sequences of `GAME.*` inputs (valid and not, from
//! known and unknown players, with random numbers), START/END_GAME, time jumps past THE_SPLIT
//! deadlines, votes, DMs and day changes, over days that cycle through every game family.
//!
//! - no input panics; a rejected input changes nothing and derives no fact;
//! - every Silver fact's balance_after is the running balance plus its delta, never below zero;
//! - the gold pool only changes through GoldPool facts whose pool_after adds up;
//! - a finished game is recorded once per day; effects are only granted by game results;
//! - the journal replays to a byte-identical snapshot (whole, and snapshot + tail).

use crate::common;

use common::*;
use pecking_order::engine::games::{GameType, KingsAction, SplitAction};
use pecking_order::engine::timeline::Action;
use pecking_order::engine::{Command, Fact};
use pecking_order::journal::{EntryKind, Verdict};
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;

const N: usize = 5;
const DAYS: [GameType; 8] = [
    GameType::BetBetBet,
    GameType::TheSplit,
    GameType::Trivia,
    GameType::BlindAuction,
    GameType::KingsRansom,
    GameType::GapRun,
    GameType::Recall,
    GameType::ReactionTime,
];

#[derive(Clone, Debug)]
enum Op {
    Game(usize, u8, u64, u64),
    Start,
    End,
    Wait(i64),
    Vote(usize, usize),
    Dm(usize, usize),
    OpenVoting,
    NextDay,
}

fn op() -> impl Strategy<Value = Op> {
    let p = || 0..N + 1;
    prop_oneof![
        20 => (p(), 0u8..12, 0u64..80, 0u64..60_000).prop_map(|(a, k, x, y)| Op::Game(a, k, x, y)),
        2 => Just(Op::Start),
        1 => Just(Op::End),
        3 => prop_oneof![0i64..5_000, 50_000i64..130_000].prop_map(Op::Wait),
        2 => (p(), p()).prop_map(|(a, b)| Op::Vote(a, b)),
        2 => (p(), p()).prop_map(|(a, b)| Op::Dm(a, b)),
        1 => Just(Op::OpenVoting),
        1 => Just(Op::NextDay),
    ]
}

fn pid(i: usize) -> String {
    if i < N {
        format!("p{}", i + 1)
    } else {
        "nobody".into()
    }
}

/// A `GAME.*` command of kind `k`, numbers `x`, `y`; arcade ones name `today` (or another game).
fn game_cmd(k: u8, x: u64, y: u64, today: Option<GameType>) -> Command {
    let arcade = match today {
        Some(g) if y % 5 != 0 => g,
        _ => GameType::Snake,
    };
    match k {
        0 => {
            Command::from(pecking_order::engine::games::bet_bet_bet::Command::Submit { amount: x })
        }
        1 => Command::from(pecking_order::engine::games::the_split::Command::Submit {
            action: if x % 2 == 0 {
                SplitAction::Split
            } else {
                SplitAction::Steal
            },
        }),
        2 => Command::from(
            pecking_order::engine::games::kings_ransom::Command::Submit {
                action: if x % 2 == 0 {
                    KingsAction::Steal
                } else {
                    KingsAction::Protect
                },
            },
        ),
        3 => Command::from(
            pecking_order::engine::games::blind_auction::Command::Submit {
                slot: (x % 5) as u32,
                amount: y % 60,
            },
        ),
        4 => Command::from(pecking_order::engine::games::arcade::Command::Start {
            game_type: arcade,
        }),
        5 | 6 => {
            let fields = [
                "distance",
                "tiles",
                "highestSize",
                "fullClear",
                "avgReactionMs",
                "roundsCompleted",
                "timeElapsed",
                "bogus",
            ];
            let mut result = BTreeMap::new();
            result.insert(fields[(x % 8) as usize].to_string(), y % 2_000);
            result.insert(fields[(y % 8) as usize].to_string(), x);
            Command::from(pecking_order::engine::games::arcade::Command::Result {
                game_type: arcade,
                result,
            })
        }
        7 => Command::from(pecking_order::engine::games::arcade::Command::Submit {}),
        8 => Command::from(pecking_order::engine::games::arcade::Command::Retry {}),
        9 => Command::from(pecking_order::engine::games::trivia::Command::Start {}),
        _ => Command::from(pecking_order::engine::games::trivia::Command::Answer {
            answer_index: (x % 5) as u32,
        }),
    }
}

/// Applies `cmd`; if rejected, checks nothing changed. Returns the facts (empty if rejected).
fn step(h: &mut H, kind: EntryKind, actor: &str, cmd: &Command) -> Vec<Fact> {
    let before = h.room.engine().clone();
    let (v, f) = h.submit(kind, actor, cmd);
    if v != Verdict::Accepted {
        assert!(f.is_empty(), "a rejection derived facts: {cmd:?}");
        assert_eq!(
            &before,
            h.room.engine(),
            "a rejection changed the state: {cmd:?}"
        );
    }
    f
}

fn check_books(facts: &[Fact], balances: &mut BTreeMap<String, u64>, pool: &mut u64) {
    for f in facts {
        match f {
            Fact::Silver {
                player_id,
                delta,
                balance_after,
                ..
            } => {
                let b = balances.entry(player_id.clone()).or_insert(0);
                let after = *b as i64 + delta;
                assert!(after >= 0, "{player_id} below zero");
                assert_eq!(after as u64, *balance_after, "{player_id}'s books");
                *b = *balance_after;
            }
            Fact::GoldPool {
                delta, pool_after, ..
            } => {
                assert_eq!(*pool as i64 + delta, *pool_after as i64);
                *pool = *pool_after;
            }
            _ => {}
        }
    }
}

fn run(ops: Vec<Op>) -> H {
    let days: Vec<_> = DAYS
        .iter()
        .map(|g| json!({ "gameType": g.as_str() }))
        .chain(std::iter::once(json!({})))
        .collect();
    let mut h = H::day1(days, N);
    let mut balances: BTreeMap<String, u64> = (1..=N).map(|i| (format!("p{i}"), 50)).collect();
    let mut pool = h.st().gold_pool;
    for op in ops {
        if h.st().phase != pecking_order::engine::Phase::Day {
            break;
        }
        let facts = match op {
            Op::Game(a, k, x, y) => {
                let cmd = game_cmd(k, x, y, h.st().games.today);
                step(&mut h, EntryKind::Action, &pid(a), &cmd)
            }
            Op::Start => step(
                &mut h,
                EntryKind::Admin,
                "ADMIN",
                &Command::InjectTimelineEvent {
                    action: Action::StartGame,
                },
            ),
            Op::End => step(
                &mut h,
                EntryKind::Admin,
                "ADMIN",
                &Command::InjectTimelineEvent {
                    action: Action::EndGame,
                },
            ),
            Op::Wait(ms) => {
                h.now += ms;
                Vec::new()
            }
            Op::Vote(a, b) => step(
                &mut h,
                EntryKind::Action,
                &pid(a),
                &Command::from(pecking_order::engine::voting::majority::Command::Cast {
                    target_id: pid(b),
                }),
            ),
            Op::Dm(a, b) => step(&mut h, EntryKind::Action, &pid(a), &dm(&pid(b), "hi")),
            Op::OpenVoting => step(
                &mut h,
                EntryKind::Admin,
                "ADMIN",
                &Command::InjectTimelineEvent {
                    action: Action::OpenVoting,
                },
            ),
            Op::NextDay => {
                let mut f = step(&mut h, EntryKind::Admin, "ADMIN", &Command::NextStage {});
                if h.st().phase == pecking_order::engine::Phase::Night {
                    for a in [Action::StartDay, Action::OpenGroupChat, Action::OpenDms] {
                        f.extend(step(
                            &mut h,
                            EntryKind::Admin,
                            "ADMIN",
                            &Command::InjectTimelineEvent { action: a },
                        ));
                    }
                }
                f
            }
        };
        check_books(&facts, &mut balances, &mut pool);
        let st = h.st();
        for p in &st.players {
            assert_eq!(balances[&p.id], p.silver, "{}'s balance", p.id);
        }
        assert_eq!(pool, st.gold_pool);
        // At most one finished game per day.
        let mut days: Vec<u32> = st.games.results.iter().map(|r| r.day).collect();
        let n = days.len();
        days.dedup();
        assert_eq!(days.len(), n);
    }
    h.check_replay();
    h
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_game_inputs_keep_the_books_and_replay(ops in proptest::collection::vec(op(), 1..160)) {
        run(ops);
    }
}

#[test]
fn a_long_fixed_script_through_every_game_day() {
    // Deterministic: starts each day's game, lets everyone try every command, ends the day.
    let mut ops = Vec::new();
    for day in 0..DAYS.len() {
        ops.push(Op::Start);
        for a in 0..N {
            for k in 0..12u8 {
                ops.push(Op::Game(a, k, (a as u64 * 7 + k as u64) % 40 + 1, 40_001));
                ops.push(Op::Wait(700));
            }
        }
        ops.push(Op::Wait(70_000));
        ops.push(Op::Game(0, 1, 0, 0));
        if day == 0 {
            ops.push(Op::OpenVoting);
            ops.push(Op::Vote(0, 1));
        }
        ops.push(Op::NextDay);
    }
    let h = run(ops);
    let st = h.st();
    assert_eq!(
        st.games.results.len(),
        DAYS.len(),
        "every game day played its game"
    );
    let games: Vec<GameType> = st.games.results.iter().map(|r| r.game_type).collect();
    assert_eq!(games, DAYS.to_vec());
    let accepted = |t: &str| {
        h.journal
            .iter()
            .filter(|e| e.verdict.is_accepted() && e.typ == t)
            .count()
    };
    for t in [
        "GAME.ARCADE.START",
        "GAME.ARCADE.RESULT",
        "GAME.SUBMIT",
        "GAME.TRIVIA.ANSWER",
        "GAME.THE_SPLIT.SUBMIT",
    ] {
        assert!(accepted(t) > 0, "{t} never accepted");
    }
    assert!(
        h.journal
            .iter()
            .filter(|e| e.verdict.is_accepted() && e.typ.starts_with("GAME."))
            .count()
            >= 30,
        "the script plays"
    );
}
