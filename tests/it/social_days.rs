//! Per-day social parameters through the real engine: STATIC day fields and the DYNAMIC ruleset's
//! social limits are validated field by field at creation and resolved each morning (split from
//! `social.rs`, which holds the social layer's scenarios).

use crate::common;

use common::*;
use pecking_order::engine::timeline::Action;
use pecking_order::engine::{Command, Fact};
use pecking_order::room::{Room, RoomError};
use serde_json::{json, Value};

fn create_err(manifest: Value, players: usize) -> Vec<(String, String)> {
    let body = json!({ "manifest": manifest, "roster": roster(players) }).to_string();
    match Room::create("g", body.as_bytes(), T0, SEED) {
        Err(RoomError::InvalidManifest(e)) => e
            .errors
            .into_iter()
            .map(|e| (e.path, e.code.to_string()))
            .collect(),
        other => panic!("expected field errors, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn static_day_social_fields_are_validated_field_by_field() {
    // Values out of range: every one is reported, together.
    let errs = create_err(
        static_manifest(vec![
            json!({"dmPartnersPerPlayer": 21, "dmSlotsPerPlayer": 0}),
            json!({"dmCost": 1001}),
        ]),
        3,
    );
    let want = [
        ("manifest.days[0].dmPartnersPerPlayer", "OUT_OF_RANGE"),
        ("manifest.days[0].dmSlotsPerPlayer", "OUT_OF_RANGE"),
        ("manifest.days[1].dmCost", "OUT_OF_RANGE"),
    ];
    for (p, c) in want {
        assert!(
            errs.contains(&(p.to_string(), c.to_string())),
            "{p} {c} missing from {errs:?}"
        );
    }
    assert_eq!(errs.len(), want.len(), "{errs:?}");
    // A wrong type or an unknown field stops the decoding: it is the only error.
    for (day, path, code) in [
        (
            json!({"dmCharsPerPlayer": -5}),
            "manifest.days[1].dmCharsPerPlayer",
            "WRONG_TYPE",
        ),
        (
            json!({"dmCost": 1.5}),
            "manifest.days[1].dmCost",
            "WRONG_TYPE",
        ),
        (
            json!({"requireDmInvite": "yes"}),
            "manifest.days[1].requireDmInvite",
            "WRONG_TYPE",
        ),
        (
            json!({"disableNudgeThrottle": 1}),
            "manifest.days[1].disableNudgeThrottle",
            "WRONG_TYPE",
        ),
        (
            json!({"dmChars": 3}),
            "manifest.days[1].dmChars",
            "UNKNOWN_FIELD",
        ),
    ] {
        let errs = create_err(static_manifest(vec![json!({}), day]), 3);
        assert_eq!(errs, [(path.to_string(), code.to_string())]);
    }
}

fn dynamic(social: Value, day_count: Value) -> Value {
    json!({ "mode": "PECKING_ORDER", "kind": "DYNAMIC", "scheduling": "ADMIN",
            "startTime": "2026-12-01T09:00:00Z", "minPlayers": 3,
            "ruleset": { "voting": {"allowed": ["MAJORITY"]}, "social": social, "dayCount": day_count } })
}

#[test]
fn dynamic_ruleset_social_is_validated_field_by_field() {
    let errs = create_err(
        dynamic(
            json!({"dmChars": {"mode": "SOMETIMES", "base": 10}, "dmPartners": {"mode": "FIXED"},
                   "dmSlotsPerPlayer": 21}),
            json!({"mode": "FIXED", "fixedCount": 0}),
        ),
        4,
    );
    let want = [
        ("manifest.ruleset.social.dmChars.mode", "INVALID_VALUE"),
        ("manifest.ruleset.social.dmPartners.base", "MISSING"),
        ("manifest.ruleset.social.dmSlotsPerPlayer", "OUT_OF_RANGE"),
        ("manifest.ruleset.dayCount.fixedCount", "OUT_OF_RANGE"),
    ];
    for (p, c) in want {
        assert!(
            errs.contains(&(p.to_string(), c.to_string())),
            "{p} {c} missing from {errs:?}"
        );
    }
    assert_eq!(errs.len(), want.len(), "{errs:?}");
    // A wrong type or an unknown field stops the decoding: it is the only error.
    for (social, path, code) in [
        (
            json!({"dmCost": "one"}),
            "manifest.ruleset.social.dmCost",
            "WRONG_TYPE",
        ),
        (
            json!({"colour": 1}),
            "manifest.ruleset.social.colour",
            "UNKNOWN_FIELD",
        ),
    ] {
        let errs = create_err(dynamic(social, json!({})), 4);
        assert_eq!(errs, [(path.to_string(), code.to_string())]);
    }
}

#[test]
fn dynamic_social_limits_are_resolved_each_morning() {
    let m = dynamic(
        json!({"dmChars": {"mode": "DIMINISHING", "base": 1000, "floor": 200},
               "dmPartners": {"mode": "PER_ACTIVE_PLAYER", "base": 2},
               "dmCost": 2, "requireDmInvite": true, "dmSlotsPerPlayer": 4, "groupDmEnabled": false}),
        json!({"mode": "FIXED", "fixedCount": 5}),
    );
    let mut h = H::with_manifest(m, 6);
    let f = h.next_stage();
    assert!(f.contains(&Fact::SocialRules {
        day: 1,
        dm_chars_per_player: 1000,
        dm_partners_per_player: 2,
        dm_slots_per_player: 4,
        dm_cost: 2,
        require_dm_invite: true,
        disable_nudge_throttle: false,
        group_dm_enabled: false
    }));
    h.inject(Action::OpenDms);
    h.reject("p1", to_many(&["p2", "p3"], "group?"), "GROUP_DMS_DISABLED");
    h.reject("p1", create(&["p2", "p3"]), "GROUP_DMS_DISABLED");
    let f = h.ok("p1", dm("p2", "invite"));
    assert_eq!(silver_facts(&f)[0].1, -2);
    // Day 2 of 5: 1000 − 800 × 1/4 = 800; day 5: the floor.
    h.next_stage();
    h.next_stage();
    assert_eq!(h.st().social.params.dm_chars_per_player, 800);
    assert_eq!(h.view("p1")["dmRules"]["dmCharsPerPlayer"], json!(800));
    for _ in 0..3 {
        h.next_stage();
        h.next_stage();
    }
    assert_eq!(h.st().day, 5);
    assert_eq!(h.st().social.params.dm_chars_per_player, 200);
    h.check_replay();

    // PER_ACTIVE_PLAYER characters follow the number alive that morning.
    let m = dynamic(
        json!({"dmChars": {"mode": "PER_ACTIVE_PLAYER", "base": 100}}),
        Value::Null,
    );
    let mut h = H::with_manifest(m, 5);
    h.next_stage();
    assert_eq!(h.st().social.params.dm_chars_per_player, 500);
    assert_eq!(h.st().social.params.dm_partners_per_player, 3);
    h.admin(Command::EliminatePlayer {
        player_id: "p5".into(),
        reason: None,
    });
    h.next_stage();
    h.next_stage();
    assert_eq!(h.st().social.params.dm_chars_per_player, 400);
    h.check_replay();
}

#[test]
fn static_days_without_social_fields_use_the_defaults() {
    let h = H::day1(vec![json!({}), json!({})], 3);
    let r = &h.view("p1")["dmRules"];
    assert_eq!(
        r,
        &json!({"dmCharsPerPlayer": 1200, "dmPartnersPerPlayer": 3, "dmSlotsPerPlayer": 5, "dmCost": 1,
                "requireDmInvite": false, "disableNudgeThrottle": false, "groupDmEnabled": true,
                "maxGroupsPerDay": 3})
    );
    h.check_replay();
}
