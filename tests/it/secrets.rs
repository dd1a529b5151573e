//! Secrets of the social layer never reach a projection they do not belong to: each secret text
//! is searched for in the serialized JSON of every other player's projection (and the public one).

use crate::common;

use common::*;
use pecking_order::engine::command::PerkType;
use serde_json::{json, Value};

const PLAYERS: [&str; 5] = ["p1", "p2", "p3", "p4", "p5"];

/// Asserts `secret` appears in the projections of exactly `allowed` (and never the public one).
fn only_seen_by(h: &H, secret: &str, allowed: &[&str]) {
    for p in PLAYERS {
        let text = h.view(p).to_string();
        assert_eq!(
            text.contains(secret),
            allowed.contains(&p),
            "{secret:?} seen by {p}: {}",
            text.contains(secret)
        );
    }
    let public = h.room.projection(None).to_string();
    assert!(!public.contains(secret), "{secret:?} in the public view");
    let public = h.room.public_state().to_string();
    assert!(!public.contains(secret), "{secret:?} in the public state");
}

#[test]
fn dm_and_group_dm_texts_reach_only_their_members() {
    let mut h = H::day1(vec![json!({}), json!({})], 5);
    h.ok("p1", dm("p2", "SECRET-dm-1to2"));
    h.ok("p2", dm("p1", "SECRET-dm-2to1"));
    h.ok("p3", to_many(&["p4", "p5"], "SECRET-group-345"));
    only_seen_by(&h, "SECRET-dm-1to2", &["p1", "p2"]);
    only_seen_by(&h, "SECRET-dm-2to1", &["p1", "p2"]);
    only_seen_by(&h, "SECRET-group-345", &["p3", "p4", "p5"]);
    // Added members see the history; nobody else does.
    h.ok("p1", in_channel(&h.ch(1), "SECRET-before-add"));
    h.ok("p1", add(&h.ch(1), &["p3"]));
    only_seen_by(&h, "SECRET-before-add", &["p1", "p2", "p3"]);
    // Channel ids of others' conversations are not listed either.
    only_seen_by(&h, "dm:1:2", &["p3", "p4", "p5"]);
    h.check_replay();
}

#[test]
fn invitations_are_seen_by_invitees_until_they_decline() {
    let mut h = H::day1(vec![json!({"requireDmInvite": true}), json!({})], 5);
    h.ok("p1", to_many(&["p2", "p3"], "SECRET-invite"));
    only_seen_by(&h, "SECRET-invite", &["p1", "p2", "p3"]);
    h.ok("p3", decline(&h.ch(1)));
    only_seen_by(&h, "SECRET-invite", &["p1", "p2"]);
    h.ok("p2", accept(&h.ch(1)));
    h.ok("p2", in_channel(&h.ch(1), "SECRET-after-accept"));
    only_seen_by(&h, "SECRET-after-accept", &["p1", "p2"]);
    h.check_replay();
}

#[test]
fn whisper_text_and_target_reach_only_the_two_players() {
    let mut h = H::day1(vec![json!({}), json!({})], 5);
    h.ok("p4", whisper("p5", "SECRET-whisper"));
    only_seen_by(&h, "SECRET-whisper", &["p4", "p5"]);
    // Others see that p4 whispered, never to whom.
    for p in ["p1", "p2", "p3"] {
        let m = &h.view(p)["chat"][0];
        assert_eq!(m["whisper"], json!(true));
        assert!(m.get("whisperTo").is_none() && m.get("content").is_none());
    }
    h.check_replay();
}

#[test]
fn spy_results_reach_only_the_buyer() {
    let mut h = H::day1(vec![json!({}), json!({}), json!({})], 5);
    h.ok("p2", dm("p3", "SECRET-spied-yesterday"));
    only_seen_by(&h, "SECRET-spied-yesterday", &["p2", "p3"]);
    // Next day the conversation is gone; only the spy's result shows the text.
    h.next_day();
    only_seen_by(&h, "SECRET-spied-yesterday", &[]);
    h.ok("p1", perk(PerkType::SpyDms, Some("p2")));
    only_seen_by(&h, "SECRET-spied-yesterday", &["p1"]);
    for p in ["p2", "p3", "p4", "p5"] {
        assert_eq!(h.view(p)["perkResults"], json!([]), "{p}");
    }
    // The result names no recipient: p3 appears nowhere in it.
    let r = h.view("p1")["perkResults"][0]["messages"].to_string();
    assert!(!r.contains("p3"), "{r}");
    h.check_replay();
}

#[test]
fn dm_budgets_slots_partners_and_nudges_are_the_viewers_own() {
    let mut h = H::day1(vec![json!({}), json!({})], 5);
    h.ok("p1", dm("p2", "twelve chars"));
    h.ok("p1", perk(PerkType::ExtraDmPartner, None));
    h.ok("p4", nudge("p5"));
    let own = h.view("p1")["dmStats"].clone();
    assert_eq!(own["charsUsed"], json!(12));
    assert_eq!(own["partners"], json!(["p2"]));
    assert_eq!(own["slotsUsed"], json!(1));
    assert_eq!(own["extraPartnerPerks"], json!(1));
    for p in ["p3", "p4", "p5"] {
        let v = h.view(p);
        let s = &v["dmStats"];
        assert_eq!(s["charsUsed"], json!(0), "{p}");
        assert_eq!(s["partners"], json!([]), "{p}");
        assert_eq!(s["partnersLimit"], json!(3), "{p}");
        assert_eq!(s["slotsLimit"], json!(5), "{p}");
    }
    // The nudge is visible to its two players only.
    for p in PLAYERS {
        let n = &h.view(p)["nudges"];
        let involved = p == "p4" || p == "p5";
        let empty = n == &json!({"sent": [], "received": []});
        assert_eq!(!empty, involved, "{p}: {n}");
    }
    // The public view has no per-player social data at all.
    let public = h.room.projection(None);
    for k in ["dms", "dmStats", "perkResults", "nudges"] {
        assert!(public.get(k).is_none(), "{k} in the public view");
    }
    assert!(public.get("dmRules").is_some());
    h.check_replay();
}

#[test]
fn reactions_on_private_messages_stay_private() {
    let mut h = H::day1(vec![json!({}), json!({})], 5);
    let f = h.ok("p1", dm("p2", "react to this"));
    let (ch, id) = match &f[1] {
        pecking_order::engine::Fact::DmSent {
            channel_id,
            message_id,
            ..
        } => (channel_id.clone(), *message_id),
        other => panic!("{other:?}"),
    };
    h.ok("p2", react_in(&ch, id, "💀"));
    only_seen_by(&h, "💀", &["p1", "p2"]);
    h.check_replay();
}

#[test]
fn the_projection_never_exposes_the_manifest_days() {
    let h = H::day1(
        vec![
            json!({"dmCost": 7}),
            json!({"dmCost": 9, "voteType": "MAJORITY"}),
            json!({}),
        ],
        3,
    );
    let v: Value = h.view("p1");
    assert!(v.get("manifest").is_none() && v.get("days").is_none());
    assert_eq!(v["dmRules"]["dmCost"], json!(7), "today's rules only");
    assert!(!v.to_string().contains("\"dmCost\":9"));
}

/// docs/security.md: a DM's cost does not show in the sender's balance as others see it until
/// the day's conversations end (the next morning); the sender sees their real balance, and so
/// does the public view.
#[test]
fn dm_costs_are_hidden_from_others_until_the_next_morning() {
    let mut h = H::day1(vec![json!({}), json!({}), json!({})], 5);
    let silver_of = |h: &H, viewer: &str, id: &str| -> u64 {
        h.view(viewer)["roster"]
            .as_array()
            .and_then(|r| r.iter().find(|p| p["id"] == id))
            .and_then(|p| p["silver"].as_u64())
            .expect("a roster entry")
    };
    let before = h.silver("p1");
    for i in 0..3 {
        h.ok("p1", dm("p2", &format!("hello {i}")));
    }
    let cost = before - h.silver("p1");
    assert!(cost > 0, "DMs cost silver in this game");
    assert_eq!(
        silver_of(&h, "p1", "p1"),
        before - cost,
        "the sender sees it"
    );
    assert_eq!(silver_of(&h, "p3", "p1"), before, "a third player does not");
    let public = h.room.projection(None);
    let public_p1 = public["roster"]
        .as_array()
        .and_then(|r| r.iter().find(|p| p["id"] == "p1"))
        .and_then(|p| p["silver"].as_u64());
    assert_eq!(public_p1, Some(before - cost));
    // A public transfer still shows at once, on top of the hidden cost.
    h.ok("p1", transfer("p3", 2));
    assert_eq!(silver_of(&h, "p4", "p1"), before - 2);
    // The next morning the day's DM costs are settled for everyone's eyes.
    h.next_day();
    assert_eq!(silver_of(&h, "p3", "p1"), before - cost - 2);
}
