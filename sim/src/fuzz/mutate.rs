//! The input generator: corpus entries mutated in their JSON structure or their bytes, and
//! fresh messages built from the protocol's vocabulary.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};

/// Message types of the protocol and the admin route (docs/protocol.md), valid or not.
const TYPES: &[&str] = &[
    "SOCIAL.SEND_MSG",
    "SOCIAL.SEND_SILVER",
    "SOCIAL.REACT",
    "SOCIAL.NUDGE",
    "SOCIAL.WHISPER",
    "SOCIAL.USE_PERK",
    "SOCIAL.ADD_MEMBER",
    "SOCIAL.ACCEPT_DM",
    "SOCIAL.DECLINE_DM",
    "VOTE.MAJORITY.CAST",
    "VOTE.FINALS.CAST",
    "VOTE.EXECUTIONER.PICK",
    "VOTE.DUELS.DUEL",
    "GAME.SUBMIT",
    "GAME.TRIVIA.START",
    "GAME.TRIVIA.ANSWER",
    "GAME.ARCADE.START",
    "GAME.ARCADE.RESULT",
    "GAME.BET_BET_BET.SUBMIT",
    "GAME.THE_SPLIT.SUBMIT",
    "ACTIVITY.PROMPT.SUBMIT",
    "DILEMMA.SILVER_GAMBIT.SUBMIT",
    "CONFESSION.POST",
    "DESTINY.ACCUSE",
    "SYSTEM.INIT",
    "SYSTEM.SYNC",
    "ALARM.FIRE",
    "ADMIN.NEXT_STAGE",
    "NEXT_STAGE",
    "CREDIT_SILVER",
    "INJECT_TIMELINE_EVENT",
    "ABANDON_GAME",
    "LIST_TASKS",
    "DEV_FAIL_D1",
    "",
];

/// Field names the decoders know.
const FIELDS: &[&str] = &[
    "type",
    "ref",
    "targetId",
    "amount",
    "content",
    "channelId",
    "recipientIds",
    "messageId",
    "emoji",
    "perkType",
    "text",
    "stake",
    "gameType",
    "result",
    "answerIndex",
    "action",
    "rewards",
    "reason",
    "player",
    "id",
    "personaName",
    "manifest",
    "roster",
    "days",
    "voteType",
    "startTime",
    "seq",
    "hash",
    "prev_hash",
    "facts",
    "payload",
    "verdict",
];

fn hostile(rng: &mut ChaCha8Rng) -> Value {
    match rng.gen_range(0..24) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(0),
        3 => json!(-1),
        4 => json!(u64::MAX),
        5 => json!(i64::MIN),
        6 => json!(1e308),
        7 => json!(-0.0),
        8 => json!(1.5),
        9 => json!(""),
        10 => json!("x".repeat(rng.gen_range(100..70_000))),
        11 => json!("é🙂\u{0}\u{202e}\u{feff}"),
        12 => json!([]),
        13 => json!({}),
        14 => {
            let mut v = json!(1);
            for _ in 0..rng.gen_range(10..300) {
                v = json!([v]);
            }
            v
        }
        15 => json!("12"),
        16 => json!(TYPES.choose(rng).copied().unwrap_or("")),
        17 => json!(["p1", "p2", "p1"]),
        18 => json!(format!("p{}", rng.gen_range(0..9))),
        19 => json!(rng.gen::<i64>()),
        20 => json!(9_007_199_254_740_993u64),
        21 => json!("2026-12-01T09:00:00Z"),
        22 => json!({ "p1": 10, "nobody": -5 }),
        _ => json!("NaN"),
    }
}

/// A random path in `v` and a mutation there.
fn mutate_value(rng: &mut ChaCha8Rng, v: &mut Value, depth: usize) {
    let descend = depth < 6 && rng.gen_bool(0.6);
    match v {
        Value::Object(m) if !m.is_empty() && descend => {
            let keys: Vec<String> = m.keys().cloned().collect();
            let k = keys.choose(rng).cloned().unwrap_or_default();
            if let Some(child) = m.get_mut(&k) {
                mutate_value(rng, child, depth + 1);
            }
        }
        Value::Array(a) if !a.is_empty() && descend => {
            let i = rng.gen_range(0..a.len());
            mutate_value(rng, &mut a[i], depth + 1);
        }
        Value::Object(m) => match rng.gen_range(0..4) {
            0 if !m.is_empty() => {
                let keys: Vec<String> = m.keys().cloned().collect();
                if let Some(k) = keys.choose(rng) {
                    m.remove(k);
                }
            }
            1 => {
                let k = FIELDS.choose(rng).copied().unwrap_or("x");
                m.insert(k.to_string(), hostile(rng));
            }
            2 => {
                m.insert(
                    "type".into(),
                    json!(TYPES.choose(rng).copied().unwrap_or("")),
                );
            }
            _ => *v = hostile(rng),
        },
        Value::Array(a) => match rng.gen_range(0..3) {
            0 => a.push(hostile(rng)),
            1 if !a.is_empty() => {
                let i = rng.gen_range(0..a.len());
                a.remove(i);
            }
            _ => *v = hostile(rng),
        },
        _ => *v = hostile(rng),
    }
}

fn fresh(rng: &mut ChaCha8Rng) -> Value {
    let mut m = Map::new();
    m.insert(
        "type".into(),
        json!(TYPES.choose(rng).copied().unwrap_or("")),
    );
    for _ in 0..rng.gen_range(0..4) {
        let k = FIELDS.choose(rng).copied().unwrap_or("x");
        m.insert(k.to_string(), hostile(rng));
    }
    Value::Object(m)
}

fn mutate_bytes(rng: &mut ChaCha8Rng, b: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    for _ in 0..rng.gen_range(1..5) {
        let len = b.len();
        match rng.gen_range(0..7) {
            0 if len > 0 => {
                let i = rng.gen_range(0..len);
                b[i] ^= 1 << rng.gen_range(0..8);
            }
            1 if len > 0 => {
                let i = rng.gen_range(0..len);
                b[i] = *[0u8, 0xff, b'"', b'\\', b'{', b'}', b',', b'\n', 0x80]
                    .choose(rng)
                    .unwrap_or(&0);
            }
            2 if len > 0 => b.truncate(rng.gen_range(0..len)),
            3 if len > 1 => {
                let i = rng.gen_range(0..len);
                let j = rng.gen_range(i..len.min(i + 64) + 1).min(len);
                b.drain(i..j);
            }
            4 if len > 1 => {
                let i = rng.gen_range(0..len);
                let j = rng.gen_range(i..len.min(i + 64) + 1).min(len);
                let chunk = b[i..j].to_vec();
                let at = rng.gen_range(0..=b.len());
                b.splice(at..at, chunk);
            }
            5 => {
                if let Some(other) = corpus.choose(rng).filter(|o| !o.is_empty()) {
                    let i = rng.gen_range(0..other.len());
                    let at = rng.gen_range(0..=b.len());
                    b.splice(at..at, other[i..].iter().copied().take(128));
                }
            }
            _ => {
                let at = rng.gen_range(0..=b.len());
                let junk: Vec<u8> = (0..rng.gen_range(1..9)).map(|_| rng.gen()).collect();
                b.splice(at..at, junk);
            }
        }
    }
}

/// One input for a target (`json`: its inputs are JSON, so structural mutations apply).
pub fn input(rng: &mut ChaCha8Rng, corpus: &[Vec<u8>], json: bool) -> Vec<u8> {
    let base = corpus.choose(rng).cloned().unwrap_or_default();
    match rng.gen_range(0..10) {
        // The corpus entry as is, now and then (the decoders must accept what they wrote).
        0 => base,
        1..=4 if json => match serde_json::from_slice::<Value>(&base) {
            Ok(mut v) => {
                for _ in 0..rng.gen_range(1..4) {
                    mutate_value(rng, &mut v, 0);
                }
                serde_json::to_vec(&v).unwrap_or_default()
            }
            Err(_) => {
                let mut b = base;
                mutate_bytes(rng, &mut b, corpus);
                b
            }
        },
        5 if json => serde_json::to_vec(&fresh(rng)).unwrap_or_default(),
        6 => (0..rng.gen_range(0..256)).map(|_| rng.gen()).collect(),
        _ => {
            let mut b = base;
            mutate_bytes(rng, &mut b, corpus);
            b
        }
    }
}
