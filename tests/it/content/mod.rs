//! Helpers shared by the prompt, dilemma, confession and inactivity scenario tests: command
//! builders, fact lookups and the secrecy check.
#![allow(dead_code)]

use crate::common::*;
use pecking_order::engine::dilemmas::GambitAction;
use pecking_order::engine::prompts::{PromptOutcome, Stance, WyrChoice};
use pecking_order::engine::timeline::Action;
use pecking_order::engine::{Command, Fact};
use pecking_order::journal::EntryKind;
use pecking_order::room::Room;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const P4: [&str; 4] = ["p1", "p2", "p3", "p4"];
pub const P5: [&str; 5] = ["p1", "p2", "p3", "p4", "p5"];

/// A STATIC ADMIN game whose first day has these extra fields (a second FINALS day follows), on
/// day 1 with group chat open.
pub fn day_with(extra: Value, players: usize) -> H {
    let mut d = json!({ "voteType": "MAJORITY" });
    if let (Some(o), Some(e)) = (d.as_object_mut(), extra.as_object()) {
        o.extend(e.clone());
    }
    let mut h = H::with_manifest(static_manifest(vec![d, json!({})]), players);
    h.inject(Action::StartDay);
    h.inject(Action::OpenGroupChat);
    h
}

pub fn pick(t: &str) -> Command {
    Command::from(
        pecking_order::engine::prompts::player_pick::Command::Submit {
            target_id: t.into(),
        },
    )
}

pub fn wyr(c: WyrChoice) -> Command {
    Command::from(pecking_order::engine::prompts::would_you_rather::Command::Choose { choice: c })
}

pub fn hot(i: u32) -> Command {
    Command::from(pecking_order::engine::prompts::hot_take::Command::Respond {
        option_index: Some(i),
        stance: None,
    })
}

pub fn stance(s: Stance) -> Command {
    Command::from(pecking_order::engine::prompts::hot_take::Command::Respond {
        option_index: None,
        stance: Some(s),
    })
}

pub fn confess(text: &str) -> Command {
    Command::from(pecking_order::engine::prompts::confession::Command::Submit { text: text.into() })
}

pub fn vote_confession(i: u32) -> Command {
    Command::from(pecking_order::engine::prompts::confession::Command::Vote {
        confession_index: i,
    })
}

pub fn answer(text: &str) -> Command {
    Command::from(pecking_order::engine::prompts::guess_who::Command::Answer { text: text.into() })
}

pub fn guess(g: &[(u32, &str)]) -> Command {
    Command::from(pecking_order::engine::prompts::guess_who::Command::Guess {
        guesses: g
            .iter()
            .map(|(i, p)| (i.to_string(), p.to_string()))
            .collect(),
    })
}

pub fn gambit(a: GambitAction) -> Command {
    Command::from(pecking_order::engine::dilemmas::silver_gambit::Command::Submit { action: a })
}

pub fn spotlight(t: &str) -> Command {
    Command::from(
        pecking_order::engine::dilemmas::spotlight::Command::Submit {
            target_id: t.into(),
        },
    )
}

pub fn gift(t: &str) -> Command {
    Command::from(
        pecking_order::engine::dilemmas::gift_or_grief::Command::Submit {
            target_id: t.into(),
        },
    )
}

pub fn post(channel: &str, text: &str) -> Command {
    Command::ConfessionPost {
        channel_id: channel.into(),
        text: text.into(),
    }
}

pub fn vote(t: &str) -> Command {
    Command::from(pecking_order::engine::voting::majority::Command::Cast {
        target_id: t.into(),
    })
}

/// Sets a player's silver by an admin credit.
pub fn set_silver(h: &mut H, id: &str, to: u64) {
    let delta = to as i64 - h.silver(id) as i64;
    if delta != 0 {
        let mut rewards = BTreeMap::new();
        rewards.insert(id.to_string(), delta);
        h.admin(Command::CreditSilver { rewards });
    }
}

pub fn eliminate(h: &mut H, id: &str) {
    h.admin(Command::EliminatePlayer {
        player_id: id.into(),
        reason: None,
    });
}

/// `(timedOut, outcome, rewards)` of a prompt's results.
pub type ActivityResult = (bool, PromptOutcome, Vec<(String, i64)>);

/// The prompt outcome among `facts`, with its `timedOut` and rewards.
pub fn activity_result(facts: &[Fact]) -> Option<ActivityResult> {
    facts.iter().find_map(|f| match f {
        Fact::ActivityResult {
            timed_out,
            outcome,
            rewards,
            ..
        } => Some((*timed_out, outcome.clone(), rewards.clone())),
        _ => None,
    })
}

/// The Silver facts among `facts` as (player, delta, reason).
pub fn paid(facts: &[Fact]) -> Vec<(String, i64, String)> {
    silver_facts(facts)
        .into_iter()
        .map(|(p, d, _, r)| (p, d, r))
        .collect()
}

pub fn pairs(v: &[(&str, i64)]) -> Vec<(String, i64)> {
    v.iter().map(|(p, d)| (p.to_string(), *d)).collect()
}

/// Asserts `secret` (a substring of the serialized JSON) appears in the projections of exactly
/// `allowed` among `players`, and never in the public one.
pub fn only_seen_by(h: &H, secret: &str, allowed: &[&str], players: &[&str]) {
    for p in players {
        let text = h.view(p).to_string();
        assert_eq!(
            text.contains(secret),
            allowed.contains(p),
            "{secret:?} seen by {p}: {}",
            text.contains(secret)
        );
    }
    let public = h.room.projection(None).to_string();
    assert!(!public.contains(secret), "{secret:?} in the public view");
}

/// Asserts `text` is in every player's projection and the public one.
pub fn seen_by_all(h: &H, text: &str, players: &[&str]) {
    for p in players {
        assert!(
            h.view(p).to_string().contains(text),
            "{text:?} not seen by {p}"
        );
    }
    let public = h.room.projection(None).to_string();
    assert!(public.contains(text), "{text:?} not in the public view");
}

/// Asserts `secret` is in no projection at all (players and public).
pub fn seen_by_nobody(h: &H, secret: &str, players: &[&str]) {
    only_seen_by(h, secret, &[], players)
}

/// The facts of every accepted entry of the journal so far, in order.
pub fn all_facts(h: &H) -> Vec<Fact> {
    h.journal
        .iter()
        .flat_map(|e| serde_json::from_str::<Vec<Fact>>(&e.facts).expect("facts"))
        .collect()
}

/// A fresh room from an `/init` body, with its own game id.
pub fn room_with(game_id: &str, manifest: Value, players: usize, seed: [u8; 32]) -> Room {
    let body = json!({ "manifest": manifest, "roster": roster(players) }).to_string();
    Room::create(game_id, body.as_bytes(), T0, seed)
        .expect("create")
        .0
}

/// Submits an ADMIN inject on a bare room.
pub fn room_inject(room: &mut Room, action: Action, at: i64) {
    let s = room
        .submit(
            EntryKind::Admin,
            "ADMIN",
            &Command::InjectTimelineEvent { action },
            at,
        )
        .expect("submit");
    assert!(s.verdict.is_accepted(), "{action:?}");
}
