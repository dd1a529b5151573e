//! Scenario tests of the social layer and the economy through the real engine: a `Room` with a
//! STATIC, ADMIN-scheduled manifest, stepped by ADMIN entries, players acting as ACTION entries.
//! Every scenario ends by replaying its journal to byte-identical snapshots.

use crate::common;

use common::*;
use pecking_order::engine::command::PerkType;
use pecking_order::engine::social::ChannelKind;
use pecking_order::engine::timeline::Action;
use pecking_order::engine::{Command, Fact};
use serde_json::{json, Value};

fn msg_id(facts: &[Fact]) -> u64 {
    facts
        .iter()
        .find_map(|f| match f {
            Fact::DmSent { message_id, .. } => Some(*message_id),
            Fact::ChatMessage { id, .. } => Some(*id),
            Fact::Whisper { message_id, .. } => Some(*message_id),
            _ => None,
        })
        .expect("a message fact")
}

#[test]
fn a_first_dm_opens_a_conversation_and_costs_the_day_dm_cost() {
    let mut h = H::day1(vec![json!({}), json!({})], 4);
    let facts = h.ok("p1", dm("p2", "hello p2"));
    let ch = h.ch(1);
    assert_eq!(ch, "dm:1:1");
    assert!(
        matches!(&facts[0], Fact::DmChannelCreated { channel_id, kind, creator, members, invited }
        if *channel_id == ch && kind == "DM" && creator == "p1" && *members == ids(&["p1", "p2"]) && invited.is_empty())
    );
    assert!(
        matches!(&facts[1], Fact::DmSent { channel_id, from, chars: 8, .. } if *channel_id == ch && from == "p1")
    );
    assert_eq!(
        silver_facts(&facts),
        vec![("p1".into(), -1, 49, "DM_COST".into())]
    );
    let c = h.st().social.channel(&ch).unwrap();
    assert_eq!(c.kind, ChannelKind::Dm);
    assert_eq!(c.messages[0].content, "hello p2");

    // The reply goes into the same conversation, by id or by address.
    h.ok("p2", in_channel(&ch, "hi p1"));
    h.ok("p2", dm("p1", "again"));
    assert_eq!(h.st().social.channels.len(), 1);
    assert_eq!(h.st().social.channel(&ch).unwrap().messages.len(), 3);
    assert_eq!(h.silver("p2"), 48);
    let u = h.st().social.usage("p2");
    assert_eq!(u.chars_used, 5 + 5);
    assert_eq!(u.partners, ids(&["p1"]));
    assert_eq!(u.slots_used, 0, "joining without invite mode uses no slot");
    assert_eq!(h.st().social.usage("p1").slots_used, 1);
    // An outsider cannot post into it, nor learn that it exists.
    h.reject("p3", in_channel(&ch, "let me in"), "UNKNOWN_CHANNEL");
    h.reject("p3", in_channel("dm:1:99", "nope"), "UNKNOWN_CHANNEL");
    // Ambiguous addresses are refused.
    h.reject(
        "p1",
        Command::SendMsg {
            content: "x".into(),
            channel_id: Some(ch.clone()),
            recipient_ids: None,
            target_id: Some("p2".into()),
            reply_to: None,
            mentioned_ids: None,
        },
        "INVALID_MEMBERS",
    );
    h.check_replay();
}

#[test]
fn the_configured_dm_cost_is_charged_per_message_and_zero_is_free() {
    let mut h = H::day1(vec![json!({"dmCost": 3}), json!({"dmCost": 0})], 4);
    assert_eq!(h.st().social.params.dm_cost, 3);
    let f = h.ok("p1", to_many(&["p2", "p3"], "group hello"));
    assert_eq!(
        silver_facts(&f),
        vec![("p1".into(), -3, 47, "DM_COST".into())],
        "a group message is charged once"
    );
    h.next_day();
    assert_eq!(h.st().social.params.dm_cost, 0);
    let f = h.ok("p1", dm("p2", "free today"));
    assert!(silver_facts(&f).is_empty());
    assert_eq!(h.silver("p1"), 47);
    h.check_replay();
}

#[test]
fn the_dm_window_gates_dms_groups_add_member_and_whispers() {
    let mut h = H::with_manifest(static_manifest(vec![json!({}), json!({})]), 4);
    h.inject(Action::StartDay);
    h.inject(Action::OpenGroupChat);
    h.reject("p1", dm("p2", "too early"), "DMS_CLOSED");
    h.reject("p1", create(&["p2", "p3"]), "DMS_CLOSED");
    h.reject("p1", whisper("p2", "psst"), "DMS_CLOSED");
    h.inject(Action::OpenDms);
    h.ok("p1", dm("p2", "now"));
    let ch = h.ch(1);
    h.inject(Action::CloseDms);
    h.reject("p2", in_channel(&ch, "existing too"), "DMS_CLOSED");
    h.reject("p1", add(&ch, &["p3"]), "DMS_CLOSED");
    h.reject("p1", whisper("p2", "psst"), "DMS_CLOSED");
    // Not gated: group chat, nudges, perks, transfers.
    h.ok("p1", main_msg("still talking here"));
    h.ok("p1", nudge("p2"));
    h.ok("p1", perk(PerkType::ExtraDmChars, None));
    h.ok("p1", transfer("p2", 1));
    h.check_replay();
}

#[test]
fn every_text_is_limited_to_280_characters() {
    let mut h = H::day1(vec![json!({}), json!({})], 3);
    let long = "x".repeat(281);
    let max = "é".repeat(280);
    h.reject("p1", main_msg(&long), "TEXT_TOO_LONG");
    h.reject("p1", dm("p2", &long), "TEXT_TOO_LONG");
    h.reject("p1", whisper("p2", &long), "TEXT_TOO_LONG");
    h.reject("p1", dm("p2", "   "), "EMPTY_TEXT");
    h.ok("p1", main_msg(&max));
    h.ok("p1", dm("p2", &max));
    h.ok("p1", whisper("p2", &max));
    assert_eq!(h.st().social.usage("p1").chars_used, 280);
    h.check_replay();
}

#[test]
fn the_daily_character_budget_counts_every_dm_including_the_first() {
    let mut h = H::day1(vec![json!({"dmCharsPerPlayer": 100}), json!({})], 4);
    // The first message of a conversation is checked too: nothing is created.
    h.reject("p1", dm("p2", &"a".repeat(101)), "CHAR_LIMIT");
    assert!(h.st().social.channels.is_empty());
    h.ok("p1", dm("p2", &"a".repeat(60)));
    h.ok("p1", to_many(&["p2", "p3"], &"b".repeat(40)));
    assert_eq!(h.st().social.usage("p1").chars_used, 100);
    h.reject("p1", in_channel(&h.ch(1), "c"), "CHAR_LIMIT");
    // Whispers and MAIN do not use the budget.
    h.ok("p1", main_msg("free"));
    h.ok("p1", whisper("p2", "also free"));
    // EXTRA_DM_CHARS: +600 for 2 silver.
    let before = h.silver("p1");
    let f = h.ok("p1", perk(PerkType::ExtraDmChars, None));
    assert_eq!(
        silver_facts(&f),
        vec![("p1".into(), -2, before - 2, "PERK_EXTRA_DM_CHARS".into())]
    );
    assert_eq!(h.view("p1")["dmStats"]["charsLimit"], json!(700));
    h.ok("p1", in_channel(&h.ch(1), &"c".repeat(280)));
    h.ok("p1", in_channel(&h.ch(1), &"c".repeat(280)));
    h.ok("p1", in_channel(&h.ch(1), &"c".repeat(40)));
    h.reject("p1", in_channel(&h.ch(1), "d"), "CHAR_LIMIT");
    // Next morning the budget is back to the default and the perk is gone.
    h.next_day();
    assert_eq!(h.st().social.usage("p1").chars_used, 0);
    assert_eq!(h.view("p1")["dmStats"]["charsLimit"], json!(1200));
    h.check_replay();
}

#[test]
fn conversation_slots_limit_new_conversations_and_extra_partner_adds_one() {
    let mut h = H::day1(vec![json!({"dmSlotsPerPlayer": 2}), json!({})], 5);
    h.ok("p1", dm("p2", "one"));
    h.ok("p1", dm("p3", "two"));
    h.reject("p1", dm("p4", "three"), "CONVERSATION_LIMIT");
    h.reject("p1", create(&["p4", "p5"]), "CONVERSATION_LIMIT");
    // Writing into an open conversation needs no slot.
    h.ok("p1", dm("p2", "still fine"));
    let f = h.ok("p1", perk(PerkType::ExtraDmPartner, None));
    assert!(f.iter().any(|f| matches!(
        f,
        Fact::PerkUsed {
            perk: PerkType::ExtraDmPartner,
            target: None,
            ..
        }
    )));
    assert_eq!(h.silver("p1"), 50 - 3 - 3);
    h.ok("p1", dm("p4", "three"));
    assert_eq!(h.st().social.usage("p1").slots_used, 3);
    h.reject("p1", dm("p5", "four"), "CONVERSATION_LIMIT");
    h.check_replay();
}

#[test]
fn distinct_dm_partners_are_limited_and_extra_partner_really_grants_one() {
    let mut h = H::day1(vec![json!({"dmPartnersPerPlayer": 2}), json!({})], 5);
    h.ok("p1", dm("p2", "a"));
    h.ok("p1", dm("p3", "b"));
    h.reject("p1", dm("p4", "c"), "PARTNER_LIMIT");
    // A group of existing partners adds none.
    h.ok("p1", to_many(&["p2", "p3"], "both of you"));
    // Receiving does not count; replying does.
    h.ok("p5", dm("p1", "hey p1"));
    assert_eq!(h.st().social.usage("p1").partners, ids(&["p2", "p3"]));
    h.reject("p1", in_channel(&h.ch(4), "reply"), "PARTNER_LIMIT");
    h.ok("p1", perk(PerkType::ExtraDmPartner, None));
    h.ok("p1", in_channel(&h.ch(4), "reply"));
    assert_eq!(h.st().social.usage("p1").partners, ids(&["p2", "p3", "p5"]));
    assert_eq!(h.view("p1")["dmStats"]["partnersLimit"], json!(3));
    h.reject("p1", dm("p4", "c"), "PARTNER_LIMIT");
    h.check_replay();
}

#[test]
fn silver_self_and_eliminated_targets() {
    let mut h = H::day1(vec![json!({}), json!({})], 4);
    h.reject("p1", dm("p1", "me"), "SELF_DM");
    h.reject("p1", to_many(&["p2", "p1"], "me too"), "SELF_DM");
    h.reject("p1", to_many(&["p2", "p2"], "twice"), "INVALID_MEMBERS");
    h.reject("p1", dm("nobody", "hi"), "UNKNOWN_PLAYER");
    h.admin(Command::EliminatePlayer {
        player_id: "p3".into(),
        reason: None,
    });
    h.reject("p1", dm("p3", "are you there"), "TARGET_ELIMINATED");
    h.reject("p3", dm("p1", "I am out"), "PLAYER_ELIMINATED");
    h.reject("p3", nudge("p1"), "PLAYER_ELIMINATED");
    h.reject(
        "p3",
        perk(PerkType::ExtraDmChars, None),
        "PLAYER_ELIMINATED",
    );
    let mut rewards = std::collections::BTreeMap::new();
    rewards.insert("p1".to_string(), -50);
    h.admin(Command::CreditSilver { rewards });
    h.reject("p1", dm("p2", "broke"), "INSUFFICIENT_SILVER");
    h.reject(
        "p1",
        perk(PerkType::ExtraDmChars, None),
        "INSUFFICIENT_SILVER",
    );
    h.check_replay();
}

#[test]
fn eliminated_members_still_read_but_a_dm_with_only_them_is_closed() {
    let mut h = H::day1(vec![json!({}), json!({})], 4);
    h.ok("p1", to_many(&["p2", "p3"], "the three of us"));
    h.ok("p1", dm("p2", "just us"));
    h.admin(Command::EliminatePlayer {
        player_id: "p2".into(),
        reason: None,
    });
    h.ok("p1", in_channel(&h.ch(1), "p3 is still here"));
    h.reject("p1", in_channel(&h.ch(2), "p2?"), "TARGET_ELIMINATED");
    let v = h.view("p2");
    assert_eq!(
        v["dms"].as_array().unwrap().len(),
        2,
        "spectators keep reading"
    );
    h.check_replay();
}

#[test]
fn invite_mode_accept_and_decline() {
    let mut h = H::day1(vec![json!({"requireDmInvite": true}), json!({})], 4);
    let f = h.ok("p1", dm("p2", "will you talk to me?"));
    let ch = h.ch(1);
    assert!(
        matches!(&f[0], Fact::DmChannelCreated { members, invited, .. }
        if *members == ids(&["p1"]) && *invited == ids(&["p2"]))
    );
    // The invitee sees the invitation and its first message, but must accept to answer.
    let v = h.view("p2");
    assert_eq!(v["dms"][0]["status"], json!("INVITED"));
    assert_eq!(
        v["dms"][0]["messages"][0]["content"],
        json!("will you talk to me?")
    );
    h.reject("p2", in_channel(&ch, "maybe"), "INVITE_REQUIRED");
    h.reject("p2", dm("p1", "maybe"), "INVITE_REQUIRED");
    h.reject("p3", accept(&ch), "UNKNOWN_CHANNEL");
    h.reject("p1", accept(&ch), "NO_PENDING_INVITE");
    let f = h.ok("p2", accept(&ch));
    assert_eq!(
        f,
        vec![Fact::DmInviteAccepted {
            channel_id: ch.clone(),
            player_id: "p2".into()
        }]
    );
    assert_eq!(
        h.st().social.usage("p2").slots_used,
        1,
        "accepting uses a slot"
    );
    h.ok("p2", in_channel(&ch, "sure"));
    h.reject("p2", accept(&ch), "NO_PENDING_INVITE");

    // Declining: the invitee loses sight of it; the creator gets the slot back.
    h.ok("p1", dm("p3", "and you?"));
    let ch2 = h.ch(2);
    assert_eq!(h.st().social.usage("p1").slots_used, 2);
    let f = h.ok("p3", decline(&ch2));
    assert_eq!(
        f,
        vec![Fact::DmInviteDeclined {
            channel_id: ch2.clone(),
            player_id: "p3".into(),
            slot_refunded: true
        }]
    );
    assert_eq!(h.st().social.usage("p1").slots_used, 1);
    assert!(h.view("p3")["dms"].as_array().unwrap().is_empty());
    h.reject("p3", accept(&ch2), "UNKNOWN_CHANNEL");
    h.reject("p1", in_channel(&ch2, "hello?"), "NO_RECIPIENTS");

    // Accepting needs a free slot.
    let mut h = H::day1(
        vec![
            json!({"requireDmInvite": true, "dmSlotsPerPlayer": 1}),
            json!({}),
        ],
        4,
    );
    h.ok("p2", dm("p3", "mine"));
    h.ok("p1", dm("p2", "join me"));
    h.reject("p2", accept(&h.ch(2)), "CONVERSATION_LIMIT");
    h.check_replay();
}

#[test]
fn add_member_is_for_the_creator_and_turns_a_dm_into_a_group() {
    let mut h = H::day1(vec![json!({}), json!({})], 5);
    h.ok("p1", dm("p2", "hi"));
    let ch = h.ch(1);
    h.reject("p2", add(&ch, &["p3"]), "UNAUTHORIZED");
    h.reject("p4", add(&ch, &["p3"]), "UNKNOWN_CHANNEL");
    h.reject("p1", add(&ch, &["p2"]), "DUPLICATE_INVITE");
    h.reject("p1", add(&ch, &["p1"]), "SELF_DM");
    h.reject("p1", add(&ch, &[]), "INVALID_MEMBERS");
    let f = h.ok("p1", add(&ch, &["p3"]));
    assert_eq!(
        f,
        vec![Fact::DmMembersAdded {
            channel_id: ch.clone(),
            by: "p1".into(),
            members: ids(&["p3"]),
            invited: vec![],
            kind: "GROUP_DM".into()
        }]
    );
    let c = h.st().social.channel(&ch).unwrap();
    assert_eq!(c.kind, ChannelKind::GroupDm);
    assert_eq!(c.members, ids(&["p1", "p2", "p3"]));
    assert_eq!(
        h.st().social.usage("p1").groups_created,
        1,
        "a DM turned into a group counts as a group"
    );
    h.ok("p3", in_channel(&ch, "thanks for adding me"));
    h.check_replay();

    // In invite mode the new members are invited.
    let mut h = H::day1(vec![json!({"requireDmInvite": true}), json!({})], 4);
    h.ok("p1", to_many(&["p2", "p3"], "group"));
    h.ok("p1", add(&h.ch(1), &["p4"]));
    assert_eq!(
        h.st().social.channel(&h.ch(1)).unwrap().pending,
        ids(&["p2", "p3", "p4"])
    );
    h.check_replay();
}

#[test]
fn create_channel_makes_groups_up_to_three_a_day() {
    let mut h = H::day1(vec![json!({}), json!({})], 6);
    h.reject("p1", create(&["p2"]), "INVALID_MEMBERS");
    let f = h.ok("p1", create(&["p2", "p3"]));
    assert!(silver_facts(&f).is_empty(), "creating a group is free");
    assert!(matches!(&f[0], Fact::DmChannelCreated { kind, .. } if kind == "GROUP_DM"));
    h.reject("p1", create(&["p3", "p2"]), "CHANNEL_EXISTS");
    h.ok("p1", create(&["p2", "p4"]));
    // A first message to several players also opens a group.
    h.ok("p1", to_many(&["p5", "p6"], "third group"));
    h.reject("p1", create(&["p4", "p5"]), "GROUP_LIMIT");
    h.reject("p1", to_many(&["p4", "p5"], "fourth"), "GROUP_LIMIT");
    // One-to-one DMs are still possible (slots: 3 of 5 used).
    h.ok("p1", dm("p4", "just you"));
    h.reject("p1", add(&h.ch(4), &["p5"]), "GROUP_LIMIT");
    assert_eq!(h.view("p1")["dmStats"]["groupsUsed"], json!(3));
    // Messages into a created group address it by id; members see it.
    h.ok("p2", in_channel(&h.ch(1), "hello group"));
    assert_eq!(
        h.view("p3")["dms"][0]["messages"][0]["content"],
        json!("hello group")
    );
    h.check_replay();
}

#[test]
fn reactions_toggle_on_messages_the_player_can_see() {
    let mut h = H::day1(vec![json!({}), json!({})], 4);
    let main = msg_id(&h.ok("p1", main_msg("hello all")));
    let (dm_ch, dm_id) = match &h.ok("p1", dm("p2", "secret"))[1] {
        Fact::DmSent {
            channel_id,
            message_id,
            ..
        } => (channel_id.clone(), *message_id),
        other => panic!("{other:?}"),
    };
    // Rules version 2: ids are per channel, so a reaction names the channel (absent = MAIN).
    let f = h.ok("p3", react(main, "🔥"));
    assert_eq!(
        f,
        vec![Fact::Reaction {
            message_id: main,
            channel_id: Some("MAIN".into()),
            player_id: "p3".into(),
            emoji: "🔥".into(),
            on: true
        }]
    );
    h.ok("p2", react(main, "🔥"));
    h.ok("p2", react_in(&dm_ch, dm_id, "❤️"));
    assert_eq!(
        h.view("p4")["chat"][0]["reactions"],
        json!([{"emoji": "🔥", "players": ["p3", "p2"]}])
    );
    let f = h.ok("p3", react(main, "🔥"));
    assert!(matches!(&f[0], Fact::Reaction { on: false, .. }));
    assert_eq!(
        h.view("p4")["chat"][0]["reactions"],
        json!([{"emoji": "🔥", "players": ["p2"]}])
    );
    h.reject("p3", react(main, "👍"), "INVALID_EMOJI");
    h.reject("p3", react_in(&dm_ch, dm_id, "😂"), "UNKNOWN_MESSAGE");
    h.reject("p3", react_in("dm:1:99", dm_id, "😂"), "UNKNOWN_MESSAGE");
    h.reject("p3", react(9_999, "😂"), "UNKNOWN_MESSAGE");
    assert_eq!(
        h.view("p1")["dms"][0]["messages"][0]["reactions"],
        json!([{"emoji": "❤️", "players": ["p2"]}])
    );
    h.check_replay();
}

#[test]
fn nudges_once_per_pair_per_day_unless_the_day_disables_the_throttle() {
    let mut h = H::day1(
        vec![json!({}), json!({"disableNudgeThrottle": true}), json!({})],
        4,
    );
    let f = h.ok("p1", nudge("p2"));
    assert_eq!(
        f,
        vec![Fact::Nudge {
            from: "p1".into(),
            to: "p2".into()
        }]
    );
    h.reject("p1", nudge("p2"), "NUDGE_THROTTLED");
    h.reject("p1", nudge("p1"), "SELF_TARGET");
    h.ok("p1", nudge("p3"));
    h.ok("p2", nudge("p1"));
    assert_eq!(
        h.view("p2")["nudges"],
        json!({"sent": [{"to": "p1", "count": 1}], "received": [{"from": "p1", "count": 1}]})
    );
    h.next_day();
    h.ok("p1", nudge("p2"));
    h.ok("p1", nudge("p2"));
    assert_eq!(
        h.view("p2")["nudges"]["received"],
        json!([{"from": "p1", "count": 2}])
    );
    h.check_replay();
}

#[test]
fn whispers_show_their_text_only_to_their_two_players() {
    let mut h = H::day1(vec![json!({}), json!({})], 4);
    let f = h.ok("p1", whisper("p2", "meet me later"));
    let id = msg_id(&f);
    assert_eq!(
        f,
        vec![Fact::Whisper {
            message_id: id,
            from: "p1".into(),
            to: "p2".into()
        }],
        "the fact carries no text"
    );
    for v in ["p1", "p2"] {
        let m = &h.view(v)["chat"][0];
        assert_eq!(m["content"], json!("meet me later"));
        assert_eq!(m["whisperTo"], json!("p2"));
    }
    let m = &h.view("p3")["chat"][0];
    assert_eq!(
        m,
        &json!({"id": id, "from": "p1", "atMs": m["atMs"], "whisper": true})
    );
    h.reject("p1", whisper("p1", "me"), "SELF_TARGET");
    h.admin(Command::EliminatePlayer {
        player_id: "p4".into(),
        reason: None,
    });
    h.reject("p1", whisper("p4", "bye"), "TARGET_ELIMINATED");
    h.reject("p3", react(id, "👀"), "UNKNOWN_MESSAGE");
    h.ok("p2", react(id, "👀"));
    h.check_replay();
}

#[test]
fn spy_dms_shows_the_last_three_dms_without_recipients_to_the_buyer_only() {
    let mut h = H::day1(vec![json!({}), json!({}), json!({})], 4);
    h.ok("p2", dm("p3", "first"));
    h.ok("p2", dm("p3", "second"));
    h.ok("p2", to_many(&["p3", "p4"], "third"));
    h.ok("p2", dm("p4", "fourth"));
    h.ok("p3", dm("p2", "not p2's"));
    h.next_day();
    h.reject("p1", perk(PerkType::SpyDms, None), "TARGET_REQUIRED");
    h.reject("p1", perk(PerkType::SpyDms, Some("p1")), "SELF_TARGET");
    h.reject("p1", perk(PerkType::SpyDms, Some("p9")), "UNKNOWN_PLAYER");
    h.reject(
        "p1",
        perk(PerkType::ExtraDmChars, Some("p2")),
        "TARGET_NOT_ALLOWED",
    );
    let f = h.ok("p1", perk(PerkType::SpyDms, Some("p2")));
    assert_eq!(
        f[0],
        Fact::PerkUsed {
            player_id: "p1".into(),
            perk: PerkType::SpyDms,
            target: Some("p2".into())
        }
    );
    assert_eq!(
        silver_facts(&f),
        vec![("p1".into(), -5, 45, "PERK_SPY_DMS".into())]
    );
    let r = &h.view("p1")["perkResults"][0];
    assert_eq!(r["perkType"], json!("SPY_DMS"));
    assert_eq!(r["targetId"], json!("p2"));
    let msgs: Vec<&Value> = r["messages"].as_array().unwrap().iter().collect();
    let texts: Vec<&str> = msgs
        .iter()
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(texts, vec!["second", "third", "fourth"]);
    for m in msgs {
        let keys: Vec<&String> = m.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            vec!["atMs", "content", "day"],
            "no recipients, no channel"
        );
    }
    assert!(h.view("p2")["perkResults"].as_array().unwrap().is_empty());
    // Spying on someone who sent nothing still costs and shows nothing.
    h.ok("p1", perk(PerkType::SpyDms, Some("p4")));
    assert_eq!(h.view("p1")["perkResults"][1]["messages"], json!([]));
    // Results stay with the buyer on the following days.
    h.next_day();
    assert_eq!(h.view("p1")["perkResults"].as_array().unwrap().len(), 2);
    h.check_replay();
}

#[test]
fn counters_and_conversations_reset_each_morning() {
    let mut h = H::day1(vec![json!({"dmSlotsPerPlayer": 1}), json!({})], 4);
    h.ok("p1", dm("p2", "day one"));
    h.ok("p1", nudge("p2"));
    h.ok("p1", perk(PerkType::ExtraDmChars, None));
    h.reject("p1", dm("p4", "x"), "CONVERSATION_LIMIT");
    h.next_stage();
    h.reject("p1", dm("p2", "at night"), "WRONG_PHASE");
    h.inject(Action::StartDay);
    let st = h.st();
    assert_eq!(st.day, 2);
    assert!(st.social.channels.is_empty());
    assert!(st.social.usage.is_empty());
    assert!(st.social.nudges.is_empty());
    assert_eq!(st.social.params.dm_slots_per_player, 5);
    h.reject("p1", dm("p2", "dms not open yet"), "DMS_CLOSED");
    h.inject(Action::OpenDms);
    h.ok("p1", dm("p2", "day two"));
    assert_eq!(h.ch(1), "dm:2:1");
    assert!(h.st().social.channel("dm:2:1").is_some());
    h.ok("p1", nudge("p2"));
    h.check_replay();
}

#[test]
fn silver_transfers_are_whole_and_between_alive_players() {
    let mut h = H::day1(vec![json!({}), json!({})], 3);
    let f = h.ok("p1", transfer("p2", 7));
    assert_eq!(
        silver_facts(&f),
        vec![
            ("p1".into(), -7, 43, "TRANSFER_OUT".into()),
            ("p2".into(), 7, 57, "TRANSFER_IN".into())
        ]
    );
    h.reject("p1", transfer("p1", 1), "SELF_TARGET");
    h.reject("p1", transfer("p2", 0), "INVALID_AMOUNT");
    h.reject("p1", transfer("p2", 44), "INSUFFICIENT_SILVER");
    // Fractional amounts never reach the engine.
    assert!(serde_json::from_str::<Command>(
        r#"{"type":"SOCIAL.SEND_SILVER","targetId":"p2","amount":1.5}"#
    )
    .is_err());
    h.check_replay();
}

#[test]
fn the_winner_is_paid_the_gold_pool() {
    let mut h = H::day1(vec![json!({"voteType": "FINALS"})], 3);
    h.admin(Command::EliminatePlayer {
        player_id: "p3".into(),
        reason: None,
    });
    h.inject(Action::OpenVoting);
    h.ok(
        "p3",
        Command::from(pecking_order::engine::voting::finals::Command::Cast {
            target_id: "p1".into(),
        }),
    );
    h.inject(Action::CloseVoting);
    let f = h.next_stage();
    assert!(f.contains(&Fact::GoldPool {
        delta: -40,
        pool_after: 0,
        reason: "WINNER_PAYOUT".into()
    }));
    assert!(f.contains(&Fact::Gold {
        player_id: "p1".into(),
        delta: 40,
        balance_after: 40,
        reason: "WINNER".into()
    }));
    assert_eq!(h.st().gold_pool, 0);
    h.check_replay();
}

#[test]
fn invitations_can_be_answered_outside_the_dm_window_but_not_by_spectators() {
    let mut h = H::day1(vec![json!({"requireDmInvite": true}), json!({})], 4);
    h.ok("p1", dm("p2", "join?"));
    h.ok("p1", dm("p3", "join too?"));
    h.ok("p1", to_many(&["p3", "p4"], "group?"));
    h.inject(Action::CloseDms);
    h.ok("p2", accept(&h.ch(1)));
    h.ok("p3", decline(&h.ch(2)));
    h.reject("p2", in_channel(&h.ch(1), "hi"), "DMS_CLOSED");
    h.admin(Command::EliminatePlayer {
        player_id: "p4".into(),
        reason: None,
    });
    h.reject("p4", accept(&h.ch(3)), "PLAYER_ELIMINATED");
    h.reject("p4", decline(&h.ch(3)), "PLAYER_ELIMINATED");
    // One invitee of the group declining refunds nothing while another is still invited.
    let f = h.ok("p3", decline(&h.ch(3)));
    assert!(matches!(
        &f[0],
        Fact::DmInviteDeclined {
            slot_refunded: false,
            ..
        }
    ));
    h.check_replay();
}

#[test]
fn the_new_client_messages_decode_strictly_at_the_edge() {
    use pecking_order::room::parse_client_message;
    let ok = [
        r#"{"type":"SOCIAL.SEND_MSG","content":"hi","recipientIds":["p2","p3"]}"#,
        r#"{"type":"SOCIAL.SEND_MSG","content":"hi","targetId":"p2","ref":"r1"}"#,
        r#"{"type":"SOCIAL.SEND_MSG","content":"hi","channelId":"dm:1:1"}"#,
        r#"{"type":"SOCIAL.CREATE_CHANNEL","memberIds":["p2","p3"]}"#,
        r#"{"type":"SOCIAL.ADD_MEMBER","channelId":"dm:1:1","memberIds":["p4"]}"#,
        r#"{"type":"SOCIAL.ACCEPT_DM","channelId":"dm:1:1"}"#,
        r#"{"type":"SOCIAL.DECLINE_DM","channelId":"dm:1:1"}"#,
        r#"{"type":"SOCIAL.REACT","messageId":3,"emoji":"👀"}"#,
        r#"{"type":"SOCIAL.NUDGE","targetId":"p2"}"#,
        r#"{"type":"SOCIAL.WHISPER","targetId":"p2","text":"psst"}"#,
        r#"{"type":"SOCIAL.USE_PERK","perkType":"SPY_DMS","targetId":"p2"}"#,
        r#"{"type":"SOCIAL.USE_PERK","perkType":"EXTRA_DM_CHARS"}"#,
    ];
    for m in ok {
        let c = parse_client_message(m.as_bytes()).unwrap_or_else(|e| panic!("{m}: {e:?}"));
        let (t, p) = c.command.to_type_and_payload();
        assert_eq!(
            Command::from_type_and_payload(&t, &p).unwrap(),
            c.command,
            "{m}"
        );
    }
    let bad = [
        r#"{"type":"SOCIAL.USE_PERK","perkType":"TELEPORT"}"#,
        r#"{"type":"SOCIAL.REACT","messageId":"3","emoji":"👀"}"#,
        r#"{"type":"SOCIAL.REACT","messageId":-1,"emoji":"👀"}"#,
        r#"{"type":"SOCIAL.WHISPER","targetId":"p2"}"#,
        r#"{"type":"SOCIAL.ADD_MEMBER","channelId":"dm:1:1","memberIds":["p4"],"message":"hi"}"#,
        r#"{"type":"SOCIAL.CREATE_CHANNEL","memberIds":"p2"}"#,
    ];
    for m in bad {
        let e = parse_client_message(m.as_bytes()).unwrap_err().1;
        assert_eq!(e.code(), "INVALID_FIELDS", "{m}");
    }
}
