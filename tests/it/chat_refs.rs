//! Chat replies (`replyTo`) and @mentions (`mentionedIds`) on SOCIAL.SEND_MSG: checked against
//! the same channel and the roster, carried in the CHAT_MESSAGE / DM_SENT facts and in the
//! projections; bad references are refused and change nothing; messages without them keep the
//! exact bytes of before (the golden fixtures check the latter for whole games).

use crate::common;

use common::*;
use pecking_order::engine::{Command, Fact};

fn msg(channel: Option<&str>, text: &str, reply: Option<u64>, mentions: &[&str]) -> Command {
    Command::SendMsg {
        content: text.into(),
        channel_id: channel.map(str::to_string),
        recipient_ids: None,
        target_id: None,
        reply_to: reply,
        mentioned_ids: (!mentions.is_empty()).then(|| ids(mentions)),
    }
}

fn main_id(f: &[Fact]) -> u64 {
    f.iter()
        .find_map(|f| match f {
            Fact::ChatMessage { id, .. } => Some(*id),
            _ => None,
        })
        .expect("a chat message")
}

fn dm_id(f: &[Fact]) -> u64 {
    f.iter()
        .find_map(|f| match f {
            Fact::DmSent { message_id, .. } => Some(*message_id),
            _ => None,
        })
        .expect("a DM")
}

#[test]
fn a_main_reply_with_mentions_is_in_the_fact_and_every_projection() {
    let mut h = H::day1(vec![json_day(), json_day()], 4);
    let first = main_id(&h.ok("p1", main_msg("who is with me?")));
    let f = h.ok(
        "p2",
        msg(None, "me, @p1 and @p3", Some(first), &["p1", "p3"]),
    );
    let Some(Fact::ChatMessage {
        reply_to,
        mentioned_ids,
        ..
    }) = f.iter().find(|f| matches!(f, Fact::ChatMessage { .. }))
    else {
        panic!("no chat fact")
    };
    assert_eq!(*reply_to, Some(first));
    assert_eq!(mentioned_ids, &ids(&["p1", "p3"]));
    // The fact's JSON carries them under their wire names; a plain message's does not.
    let text = serde_json::to_string(&f).unwrap();
    assert!(text.contains(&format!("\"replyTo\":{first}")), "{text}");
    assert!(text.contains("\"mentionedIds\":[\"p1\",\"p3\"]"), "{text}");
    let plain = serde_json::to_string(&h.ok("p3", main_msg("plain"))).unwrap();
    assert!(!plain.contains("replyTo") && !plain.contains("mentionedIds"));
    for viewer in ["p1", "p4"] {
        let chat = &h.view(viewer)["chat"];
        let m = chat
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["content"] == "me, @p1 and @p3")
            .unwrap_or_else(|| panic!("{viewer}: {chat}"));
        assert_eq!(m["replyTo"], first);
        assert_eq!(m["mentionedIds"], serde_json::json!(["p1", "p3"]));
    }
    h.check_replay();
}

fn json_day() -> serde_json::Value {
    serde_json::json!({})
}

#[test]
fn a_reply_inside_a_conversation_must_name_one_of_its_messages() {
    let mut h = H::day1(vec![json_day(), json_day()], 4);
    let main = main_id(&h.ok("p1", main_msg("main 1")));
    let d1 = dm_id(&h.ok("p1", dm("p2", "dm 1")));
    let ch = h.ch(1);
    let d2 = dm_id(&h.ok("p2", msg(Some(&ch), "dm 2", Some(d1), &["p1"])));
    // The DM's ids count on their own (rules version 2): its id 2 is not a MAIN message.
    assert_eq!((main, d1, d2), (1, 1, 2));
    h.reject("p1", msg(None, "x", Some(d2), &[]), "UNKNOWN_MESSAGE");
    h.reject("p1", msg(Some(&ch), "x", Some(99), &[]), "UNKNOWN_MESSAGE");
    // A first message to someone new opens a conversation: nothing in it to answer.
    h.reject(
        "p1",
        Command::SendMsg {
            content: "x".into(),
            channel_id: None,
            recipient_ids: None,
            target_id: Some("p3".into()),
            reply_to: Some(1),
            mentioned_ids: None,
        },
        "UNKNOWN_MESSAGE",
    );
    let view = h.view("p2");
    let text = view["dms"].to_string();
    assert!(text.contains(&format!("\"replyTo\":{d1}")), "{text}");
    h.check_replay();
}

#[test]
fn bad_mentions_and_replies_to_hidden_whispers_are_refused() {
    let mut h = H::day1(vec![json_day(), json_day()], 4);
    h.ok("p1", main_msg("hello"));
    h.reject("p2", msg(None, "hey", None, &["p9"]), "UNKNOWN_PLAYER");
    h.reject(
        "p2",
        msg(None, "hey", None, &["p1", "p1"]),
        "INVALID_MEMBERS",
    );
    h.admin(Command::EliminatePlayer {
        player_id: "p4".into(),
        reason: None,
    });
    h.reject("p2", msg(None, "hey", None, &["p4"]), "TARGET_ELIMINATED");
    // A whisper p1 → p2: p2 may answer it, p3 (who cannot read it) may not.
    let w = h
        .ok("p1", whisper("p2", "psst"))
        .iter()
        .find_map(|f| match f {
            Fact::Whisper { message_id, .. } => Some(*message_id),
            _ => None,
        })
        .expect("a whisper");
    h.reject("p3", msg(None, "?", Some(w), &[]), "UNKNOWN_MESSAGE");
    h.ok("p2", msg(None, "ok", Some(w), &[]));
    h.check_replay();
}
