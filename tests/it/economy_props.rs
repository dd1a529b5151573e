//! Property tests of the economy: random sequences of transfers, DMs, group DMs, perks, admin
//! credits, votes and day changes through the real room (and, for gold contributions, the engine).
//!
//! - every Silver fact's `balance_after` equals the running balance plus its delta, and the sum of
//!   a player's deltas equals the change in their balance (so no clamping, no hidden change);
//! - no balance ever goes below zero;
//! - a transfer moves silver without creating or destroying any; a DM costs exactly the day's
//!   `dmCost`, a perk exactly its price, an admin credit exactly its rewards;
//! - a rejected input changes nothing and derives no fact;
//! - the gold pool only grows, until it is paid out whole to the winner;
//! - the journal replays to a byte-identical snapshot.

use crate::common;

use common::*;
use pecking_order::engine::command::PerkType;
use pecking_order::engine::economy::{contribute_gold, perk_cost};
use pecking_order::engine::timeline::Action;
use pecking_order::engine::{Command, Engine, Fact, Input};
use pecking_order::journal::{EntryKind, Verdict};
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;

const N: usize = 5;

#[derive(Clone, Debug)]
enum Op {
    Transfer(usize, usize, u64),
    Dm(usize, usize, usize),
    Group(usize, usize, usize, usize),
    Perk(usize, u8, usize),
    Credit(usize, i64),
    Dms(bool),
    Vote,
    NextDay,
    Contribute(u64),
}

fn op() -> impl Strategy<Value = Op> {
    let p = || 0..N + 1; // N = an unknown player
    prop_oneof![
        6 => (p(), p(), 0u64..70).prop_map(|(a, b, x)| Op::Transfer(a, b, x)),
        8 => (p(), p(), 1usize..300).prop_map(|(a, b, l)| Op::Dm(a, b, l)),
        2 => (p(), p(), p(), 1usize..120).prop_map(|(a, b, c, l)| Op::Group(a, b, c, l)),
        4 => (p(), 0u8..3, p()).prop_map(|(a, k, t)| Op::Perk(a, k, t)),
        3 => (p(), -60i64..60).prop_map(|(a, d)| Op::Credit(a, d)),
        1 => any::<bool>().prop_map(Op::Dms),
        1 => Just(Op::Vote),
        1 => Just(Op::NextDay),
        2 => prop_oneof![Just(0u64), 1u64..500, Just(u64::MAX)].prop_map(Op::Contribute),
    ]
}

fn pid(i: usize) -> String {
    if i < N {
        format!("p{}", i + 1)
    } else {
        "nobody".into()
    }
}

fn perk_of(k: u8) -> PerkType {
    match k {
        0 => PerkType::SpyDms,
        1 => PerkType::ExtraDmChars,
        _ => PerkType::ExtraDmPartner,
    }
}

/// The inputs of one op, as (kind, actor, command).
fn inputs(op: &Op) -> Vec<(EntryKind, String, Command)> {
    let admin = |c: Command| (EntryKind::Admin, "ADMIN".to_string(), c);
    let inject = |a: Action| admin(Command::InjectTimelineEvent { action: a });
    match op {
        Op::Transfer(a, b, x) => vec![(EntryKind::Action, pid(*a), transfer(&pid(*b), *x))],
        Op::Dm(a, b, l) => vec![(EntryKind::Action, pid(*a), dm(&pid(*b), &"m".repeat(*l)))],
        Op::Group(a, b, c, l) => vec![(
            EntryKind::Action,
            pid(*a),
            to_many(&[&pid(*b), &pid(*c)], &"g".repeat(*l)),
        )],
        Op::Perk(a, k, t) => {
            let p = perk_of(*k);
            let target = (p == PerkType::SpyDms).then(|| pid(*t));
            vec![(EntryKind::Action, pid(*a), perk(p, target.as_deref()))]
        }
        Op::Credit(a, d) => {
            let mut rewards = BTreeMap::new();
            rewards.insert(pid(*a), *d);
            vec![admin(Command::CreditSilver { rewards })]
        }
        Op::Dms(open) => vec![inject(if *open {
            Action::OpenDms
        } else {
            Action::CloseDms
        })],
        Op::Vote => vec![inject(Action::OpenVoting), inject(Action::CloseVoting)],
        Op::NextDay => vec![
            admin(Command::NextStage {}),
            inject(Action::StartDay),
            inject(Action::OpenDms),
        ],
        Op::Contribute(_) => vec![],
    }
}

/// Checks one entry's facts against the running books.
fn check_facts(
    cmd: &Command,
    facts: &[Fact],
    dm_cost: u64,
    silver: &mut BTreeMap<String, u64>,
    pool: &mut u64,
) -> Result<(), TestCaseError> {
    let mut sum = 0i64;
    for f in facts {
        match f {
            Fact::Silver {
                player_id,
                delta,
                balance_after,
                ..
            } => {
                let before = silver[player_id] as i128;
                prop_assert!(before + *delta as i128 >= 0, "balance below zero");
                prop_assert_eq!(before + *delta as i128, *balance_after as i128);
                silver.insert(player_id.clone(), *balance_after);
                sum += delta;
            }
            Fact::GoldPool {
                delta,
                pool_after,
                reason,
            } => {
                prop_assert_eq!(*pool as i128 + *delta as i128, *pool_after as i128);
                if *delta < 0 {
                    prop_assert_eq!(reason.as_str(), "WINNER_PAYOUT");
                    prop_assert_eq!(*pool_after, 0, "the pool is paid out whole");
                    let credited = facts.iter().any(|g| {
                        matches!(g, Fact::Gold { delta: d, reason: r, .. } if *d == -*delta && r == "WINNER")
                    });
                    prop_assert!(credited, "the winner is credited the pool");
                } else {
                    prop_assert!(*delta > 0);
                }
                *pool = *pool_after;
            }
            _ => {}
        }
    }
    match cmd {
        Command::SendSilver { amount, .. } => {
            prop_assert_eq!(sum, 0, "transfers conserve silver");
            prop_assert_eq!(facts.len(), 2);
            let debit =
                matches!(facts[0], Fact::Silver { delta, .. } if delta == -(*amount as i64));
            prop_assert!(debit, "the sender is debited the amount");
        }
        Command::SendMsg { .. } => prop_assert_eq!(sum, -(dm_cost as i64)),
        Command::UsePerk { perk_type, .. } => {
            prop_assert_eq!(sum, -(perk_cost(*perk_type) as i64))
        }
        Command::CreditSilver { rewards } => prop_assert_eq!(sum, rewards.values().sum::<i64>()),
        _ => {}
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Through the room: books balance after every entry, rejections change nothing, and the
    /// journal replays to the same snapshot.
    #[test]
    fn silver_books_balance_through_the_room(
        ops in prop::collection::vec(op(), 1..80),
        dm_cost in 0u64..4,
        chars in prop_oneof![Just(150u64), Just(1200u64)],
    ) {
        let day = json!({"dmCost": dm_cost, "dmCharsPerPlayer": chars, "dmPartnersPerPlayer": 2});
        let mut h = H::with_manifest(static_manifest(vec![day.clone(), day.clone(), day]), N);
        h.inject(Action::StartDay);
        h.inject(Action::OpenDms);
        let mut silver: BTreeMap<String, u64> = (0..N).map(|i| (pid(i), 50)).collect();
        let mut pool = h.st().gold_pool;
        for op in &ops {
            for (kind, actor, cmd) in inputs(op) {
                let before = h.room.engine().clone();
                let (verdict, facts) = h.submit(kind, &actor, &cmd);
                if verdict != Verdict::Accepted {
                    prop_assert!(facts.is_empty());
                    prop_assert_eq!(&before, h.room.engine());
                    continue;
                }
                check_facts(&cmd, &facts, dm_cost, &mut silver, &mut pool)?;
                let st = h.st();
                for p in &st.players {
                    prop_assert_eq!(silver[&p.id], p.silver, "running balance of {}", p.id);
                }
                prop_assert_eq!(pool, st.gold_pool);
            }
        }
        h.check_replay();
    }

    /// Through the engine, with gold contributions from (future) games between the inputs: the
    /// pool only grows until the FINALS winner takes all of it.
    #[test]
    fn the_gold_pool_only_grows_until_paid_out(
        ops in prop::collection::vec(op(), 1..60),
        initial in 0u64..200,
    ) {
        let mut m = static_manifest(vec![json!({}), json!({"voteType": "FINALS"})]);
        m["initialGoldPool"] = json!(initial);
        let mut eng = Engine::new("g-gold", Some(SEED));
        let init = Command::Init {
            manifest: m,
            roster: roster(N),
            seed_commitment: pecking_order::engine::rng::commitment(&SEED),
            rules_version: None,
        };
        let (mut seq, mut at) = (0u64, T0);
        let mut apply = |eng: &mut Engine, kind: EntryKind, actor: &str, cmd: &Command| {
            seq += 1;
            at += 1000;
            eng.apply(&Input { seq, at_ms: at, kind, actor, command: cmd })
        };
        apply(&mut eng, EntryKind::System, "SYSTEM", &init).unwrap();
        apply(&mut eng, EntryKind::Admin, "ADMIN", &Command::InjectTimelineEvent { action: Action::StartDay }).unwrap();
        let mut silver: BTreeMap<String, u64> = (0..N).map(|i| (pid(i), 50)).collect();
        let mut pool = initial;
        let mut paid = false;
        // Whether a positive contribution reached the pool before a winner was crowned (one
        // arriving after the end is refused, so it cannot be paid).
        let mut contributed = false;
        // The ops, then a last vote and day end so the FINALS day (if reached) crowns a winner.
        let tail = [Op::Vote, Op::NextDay, Op::Vote, Op::NextDay];
        for op in ops.iter().chain(tail.iter()) {
            if let Op::Contribute(x) = op {
                let Some(st) = eng.state.as_mut() else { continue };
                if st.winner.is_some() { continue; }
                let mut facts = Vec::new();
                contribute_gold(st, *x, "GAME", &mut facts);
                contributed |= *x > 0;
                check_facts(&Command::NextStage {}, &facts, 0, &mut silver, &mut pool)?;
                prop_assert_eq!(facts.is_empty(), *x == 0);
                prop_assert_eq!(pool, st.gold_pool);
                continue;
            }
            for (kind, actor, cmd) in inputs(op) {
                let Ok(facts) = apply(&mut eng, kind, &actor, &cmd) else { continue };
                let before = pool;
                check_facts(&cmd, &facts, 1, &mut silver, &mut pool)?;
                let st = eng.state.as_ref().unwrap();
                prop_assert_eq!(pool, st.gold_pool);
                if pool < before {
                    prop_assert!(!paid, "paid out twice");
                    paid = true;
                    let w = st.winner.clone().unwrap();
                    // The winner's WINNER gold fact carries the whole pool (a completed destiny
                    // may add its own DESTINY_* gold on top).
                    let won: i64 = facts.iter().map(|f| match f {
                        Fact::Gold { player_id, delta, reason, .. } if *player_id == w && reason == "WINNER" => *delta,
                        _ => 0,
                    }).sum();
                    prop_assert_eq!(won, before as i64);
                }
            }
        }
        let st = eng.state.as_ref().unwrap();
        if st.winner.is_some() {
            prop_assert_eq!(st.gold_pool, 0);
            prop_assert_eq!(paid, initial > 0 || contributed);
        }
    }
}
