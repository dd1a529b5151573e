//! Randomised scripts over prompts, dilemmas and the confession phase (every type, several days):
//! no input panics, a refused input changes nothing, every silver change is a fact whose deltas
//! sum to the balance, and the journal replays to byte-identical snapshots.
//!
//! `PROPTEST_CASES` overrides the case count.

use crate::common;
use crate::content;

use common::*;
use content::*;
use pecking_order::engine::dilemmas::GambitAction;
use pecking_order::engine::prompts::{Stance, WyrChoice};
use pecking_order::engine::timeline::Action;
use pecking_order::engine::{Command, Fact};
use pecking_order::journal::{EntryKind, Verdict};
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(48)
}

const PLAYERS: usize = 5;
const PROMPTS: [&str; 6] = [
    "PLAYER_PICK",
    "PREDICTION",
    "WOULD_YOU_RATHER",
    "HOT_TAKE",
    "CONFESSION",
    "GUESS_WHO",
];
const DILEMMAS: [&str; 3] = ["SILVER_GAMBIT", "SPOTLIGHT", "GIFT_OR_GRIEF"];

/// One step of a script: `(kind, actor index, a, b)`, interpreted by [`step`].
type Step = (u8, usize, u32, u32);

fn player(i: usize) -> String {
    format!("p{}", i % (PLAYERS + 1))
}

fn command(kind: u8, a: u32, b: u32) -> Option<Command> {
    let target = player(a as usize);
    Some(match kind % 16 {
        0 => pick(&target),
        1 => wyr(if a % 2 == 0 {
            WyrChoice::A
        } else {
            WyrChoice::B
        }),
        2 => hot(a % 5),
        3 => stance(if a % 2 == 0 {
            Stance::Agree
        } else {
            Stance::Disagree
        }),
        4 => confess(&format!("confession {a}")),
        5 => vote_confession(a % 6),
        6 => answer(&format!("answer {a}")),
        7 => {
            let mut g = BTreeMap::new();
            g.insert((a % 6).to_string(), player(b as usize));
            g.insert((b % 6).to_string(), target);
            Command::from(pecking_order::engine::prompts::guess_who::Command::Guess { guesses: g })
        }
        8 => gambit(if a % 3 == 0 {
            GambitAction::Keep
        } else {
            GambitAction::Donate
        }),
        9 => spotlight(&target),
        10 => gift(&target),
        11 => post(&format!("CONFESSION-d{}", b % 3), &format!("post {a}")),
        12 => vote(&target),
        13 => transfer(&target, (b % 60) as u64),
        14 => main_msg("hello"),
        _ => return None,
    })
}

const ADMIN: [Action; 10] = [
    Action::StartActivity,
    Action::EndActivity,
    Action::StartDilemma,
    Action::EndDilemma,
    Action::StartConfessionChat,
    Action::EndConfessionChat,
    Action::OpenVoting,
    Action::CloseVoting,
    Action::OpenGroupChat,
    Action::CloseGroupChat,
];

/// An answer that fits today's prompt and its stage (often accepted, sometimes not).
fn answer_for(h: &H, a: u32, b: u32) -> Command {
    use pecking_order::engine::prompts::{PromptType::*, Stage};
    let Some(act) = h.st().prompts.current.as_ref() else {
        return pick(&player(a as usize));
    };
    let n = act.entries.len().max(1) as u32;
    match (act.prompt_type, act.stage) {
        (PlayerPick | Prediction, _) => pick(&player(a as usize)),
        (WouldYouRather, _) => wyr(if a % 2 == 0 {
            WyrChoice::A
        } else {
            WyrChoice::B
        }),
        (HotTake, _) => hot(a % act.options.len().max(1) as u32),
        (Confession, Stage::Collecting) => confess(&format!("confession {a}")),
        (Confession, _) => vote_confession(a % n),
        (GuessWho, Stage::Collecting) => answer(&format!("answer {a}")),
        (GuessWho, _) => {
            let mut g = BTreeMap::new();
            g.insert((a % n).to_string(), player(b as usize));
            Command::from(pecking_order::engine::prompts::guess_who::Command::Guess { guesses: g })
        }
    }
}

/// A decision that fits today's dilemma.
fn decision_for(h: &H, a: u32) -> Command {
    use pecking_order::engine::dilemmas::DilemmaType::*;
    match h.st().dilemmas.current.as_ref().map(|d| d.dilemma_type) {
        Some(SilverGambit) | None => gambit(if a % 4 == 0 {
            GambitAction::Keep
        } else {
            GambitAction::Donate
        }),
        Some(Spotlight) => spotlight(&player(1 + a as usize % 2)),
        Some(GiftOrGrief) => gift(&player(a as usize)),
    }
}

fn run(days: &[(usize, usize, bool)], script: &[Step]) -> Result<(), TestCaseError> {
    let days: Vec<_> = days
        .iter()
        .map(|(p, d, c)| {
            json!({"activityType": PROMPTS[*p], "dilemmaType": DILEMMAS[*d], "confessions": c})
        })
        .collect();
    let mut h = H::with_manifest(static_manifest(days), PLAYERS);
    h.inject(Action::StartDay);
    for &(kind, who, a, b) in script {
        if h.st().phase == pecking_order::engine::Phase::Night {
            h.inject(Action::StartDay);
        }
        let actor = player(who);
        let cmd = match kind % 20 {
            0..=5 => Some(answer_for(&h, a, b)),
            6..=8 => Some(decision_for(&h, a)),
            9 => Some(post(
                &format!("CONFESSION-d{}", h.st().day),
                &format!("post {a}"),
            )),
            10..=12 => command(kind, a, b),
            13..=15 => {
                let action = ADMIN[(a as usize) % ADMIN.len()];
                let (v, _) = h.submit(
                    EntryKind::Admin,
                    "ADMIN",
                    &Command::InjectTimelineEvent { action },
                );
                prop_assert!(matches!(v, Verdict::Accepted | Verdict::Rejected(_)));
                None
            }
            16 => {
                let over = matches!(
                    h.st().phase,
                    pecking_order::engine::Phase::GameSummary
                        | pecking_order::engine::Phase::GameOver
                );
                if !over && a % 4 == 0 {
                    h.submit(EntryKind::Admin, "ADMIN", &Command::NextStage {});
                }
                None
            }
            17 => {
                let _ = h.submit(
                    EntryKind::Admin,
                    "ADMIN",
                    &Command::InjectTimelineEvent {
                        action: Action::StartDay,
                    },
                );
                None
            }
            _ => {
                let action = ADMIN[(a as usize) % 6];
                let _ = h.submit(
                    EntryKind::Admin,
                    "ADMIN",
                    &Command::InjectTimelineEvent { action },
                );
                None
            }
        };
        if let Some(cmd) = cmd {
            let before = h.room.engine().clone();
            let (v, f) = h.act(&actor, &cmd);
            if let Verdict::Rejected(_) = v {
                prop_assert!(f.is_empty());
                prop_assert_eq!(&before, h.room.engine(), "a refusal changed the state");
            }
        }
    }
    // Every balance is the sum of its Silver facts.
    let mut sums: BTreeMap<String, i64> = BTreeMap::new();
    for f in all_facts(&h) {
        if let Fact::Silver {
            player_id,
            delta,
            balance_after,
            ..
        } = f
        {
            let s = sums.entry(player_id).or_default();
            *s += delta;
            prop_assert_eq!(*s, balance_after as i64);
        }
    }
    for p in &h.st().players {
        prop_assert_eq!(sums.get(&p.id).copied().unwrap_or(0), p.silver as i64);
    }
    h.check_replay();
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn random_content_scripts_hold_the_invariants(
        days in proptest::collection::vec((0usize..6, 0usize..3, any::<bool>()), 2..4),
        script in proptest::collection::vec((any::<u8>(), 0usize..7, 0u32..8, 0u32..64), 20..160),
    ) {
        run(&days, &script)?;
    }
}
