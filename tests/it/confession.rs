//! The confession phase through the real engine: anonymous handles by a seeded shuffle that
//! includes the game id, posts under handles, the handle map never in any projection, MAIN back to
//! its previous state afterwards; every journal replayed to byte-identical snapshots.

use crate::common;
use crate::content;

use common::*;
use content::*;
use pecking_order::engine::timeline::Action;
use pecking_order::engine::Fact;
use serde_json::{json, Value};

const CH: &str = "CONFESSION-d1";

fn handles(h: &H, players: &[&str]) -> Vec<String> {
    players
        .iter()
        .map(|p| {
            h.view(p)["confession"]["myHandle"]
                .as_str()
                .expect("a handle")
                .to_string()
        })
        .collect()
}

fn gate(facts: &[Fact]) -> Option<bool> {
    facts.iter().find_map(|f| match f {
        Fact::GateChanged { gate, open } if gate == "GROUP_CHAT" => Some(*open),
        _ => None,
    })
}

#[test]
fn a_confession_phase_gives_secret_handles_and_anonymous_posts() {
    let mut h = day_with(json!({"confessions": true}), 4);
    assert!(h.st().group_chat_open);
    h.reject("p1", post(CH, "too early"), "CONFESSION_CLOSED");
    let f = h.inject(Action::StartConfessionChat);
    assert!(f.iter().any(
        |f| matches!(f, Fact::ConfessionPhaseStarted { channel_id, members, .. }
        if channel_id == CH && *members == ids(&P4))
    ));
    assert_eq!(gate(&f), Some(false), "MAIN closes for the phase");
    h.reject("p1", main_msg("hello?"), "GROUP_CHAT_CLOSED");
    let hs = handles(&h, &P4);
    let mut sorted = hs.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        vec![
            "Confessor #1",
            "Confessor #2",
            "Confessor #3",
            "Confessor #4"
        ]
    );
    // Each player sees their own handle and nobody else's; the public view sees none.
    for (p, hd) in P4.iter().zip(&hs) {
        only_seen_by(&h, &format!("\"myHandle\":\"{hd}\""), &[p], &P4);
    }
    assert_eq!(
        h.room.projection(None)["confession"]["myHandle"],
        Value::Null
    );
    assert_eq!(
        h.room.projection(None)["confession"]["handleCount"],
        json!(4)
    );

    let f = h.ok("p2", post(CH, "SECRET-post I adore this house"));
    assert!(f.iter().any(
        |f| matches!(f, Fact::ConfessionPosted { handle, post_id: 1, .. } if *handle == hs[1])
    ));
    seen_by_all(&h, "SECRET-post", &P4);
    let posts = h.view("p3")["confession"]["posts"].clone();
    let post0 = posts[0].as_object().unwrap();
    let mut keys: Vec<&String> = post0.keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["atMs", "handle", "id", "text"],
        "no author on a post"
    );
    assert_eq!(post0["handle"], json!(hs[1]));

    h.reject("p1", post("CONFESSION-d9", "wrong room"), "UNKNOWN_CHANNEL");
    h.reject("p1", post(CH, &"x".repeat(281)), "TEXT_TOO_LONG");
    h.reject("p1", post(CH, " "), "EMPTY_TEXT");
    eliminate(&mut h, "p4");
    h.reject("p4", post(CH, "from beyond"), "PLAYER_ELIMINATED");
    h.ok("p1", post(CH, "second"));
    let f = h.inject(Action::EndConfessionChat);
    assert!(f
        .iter()
        .any(|f| matches!(f, Fact::ConfessionPhaseEnded { post_count: 2, .. })));
    assert_eq!(gate(&f), Some(true), "MAIN is open again, as before");
    assert_eq!(h.view("p1")["confession"], Value::Null);
    seen_by_nobody(&h, "SECRET-post", &P4);
    h.reject("p1", post(CH, "late"), "CONFESSION_CLOSED");
    h.ok("p1", main_msg("back in MAIN"));
    h.check_replay();
}

#[test]
fn main_returns_to_its_previous_state_including_gate_actions_during_the_phase() {
    let mut h = day_with(json!({"confessions": true}), 3);
    h.inject(Action::CloseGroupChat);
    let f = h.inject(Action::StartConfessionChat);
    assert_eq!(gate(&f), None);
    let f = h.inject(Action::EndConfessionChat);
    assert_eq!(gate(&f), None, "MAIN was closed before, so it stays closed");
    assert!(!h.st().group_chat_open);

    // Opened during the phase: it opens now and stays open after.
    h.inject(Action::StartConfessionChat);
    h.inject(Action::OpenGroupChat);
    assert!(h.st().group_chat_open);
    h.inject(Action::EndConfessionChat);
    assert!(h.st().group_chat_open);

    // Closed during the phase: it stays closed after.
    h.inject(Action::StartConfessionChat);
    h.inject(Action::OpenGroupChat);
    h.inject(Action::CloseGroupChat);
    h.inject(Action::EndConfessionChat);
    assert!(!h.st().group_chat_open);
    h.check_replay();
}

#[test]
fn the_phase_needs_confessions_enabled_and_two_alive_players() {
    let mut h = H::day1(vec![json!({}), json!({})], 4);
    let f = h.inject(Action::StartConfessionChat);
    assert!(f
        .iter()
        .any(|f| matches!(f, Fact::NoEffect { reason, .. } if reason.contains("not enabled"))));
    assert!(h.st().group_chat_open, "nothing changed");
    assert!(f.iter().any(|f| matches!(f, Fact::NoEffect { .. })));
    let f = h.inject(Action::EndConfessionChat);
    assert!(f.iter().any(|f| matches!(f, Fact::NoEffect { .. })));
    h.check_replay();

    let mut h = day_with(json!({"confessions": true}), 3);
    eliminate(&mut h, "p2");
    eliminate(&mut h, "p3");
    let f = h.inject(Action::StartConfessionChat);
    assert!(f
        .iter()
        .any(|f| matches!(f, Fact::NoEffect { reason, .. } if reason.contains("two"))));
    h.check_replay();

    // DYNAMIC: ruleset.confessions.enabled.
    for (enabled, opens) in [(true, true), (false, false)] {
        let m = json!({"kind": "DYNAMIC", "scheduling": "ADMIN", "startTime": "2026-12-01T09:00:00Z",
            "ruleset": {"confessions": {"enabled": enabled}}});
        let mut h = H::with_manifest(m, 4);
        h.next_stage();
        h.inject(Action::StartConfessionChat);
        assert_eq!(h.st().confession.current.is_some(), opens);
        h.check_replay();
    }
}

#[test]
fn handles_are_seeded_with_the_game_id() {
    let deal = |game_id: &str| -> Vec<String> {
        let mut room = room_with(
            game_id,
            static_manifest(vec![json!({"confessions": true}), json!({})]),
            6,
            SEED,
        );
        room_inject(&mut room, Action::StartDay, T0 + 1_000);
        room_inject(&mut room, Action::StartConfessionChat, T0 + 2_000);
        let c = room.state().unwrap().confession.current.clone().unwrap();
        c.handles.into_iter().map(|(_, h)| h).collect()
    };
    assert_eq!(deal("game-a"), deal("game-a"), "deterministic");
    let deals: Vec<Vec<String>> = ["game-a", "game-b", "game-c", "game-d", "game-e"]
        .iter()
        .map(|g| deal(g))
        .collect();
    assert!(
        deals.iter().any(|d| *d != deals[0]),
        "same seed and seq, different games: different handles"
    );
}

#[test]
fn end_day_closes_an_open_phase() {
    let mut h = day_with(json!({"confessions": true}), 4);
    h.inject(Action::StartConfessionChat);
    h.ok("p1", post(CH, "a last word"));
    let f = h.next_stage();
    assert!(f
        .iter()
        .any(|f| matches!(f, Fact::ConfessionPhaseEnded { post_count: 1, .. })));
    assert!(h.st().confession.current.is_none());
    h.inject(Action::StartDay);
    // Day 2 has no confessions.
    let f = h.inject(Action::StartConfessionChat);
    assert!(f.iter().any(|f| matches!(f, Fact::NoEffect { .. })));
    h.check_replay();
}
