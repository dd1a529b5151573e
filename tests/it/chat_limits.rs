//! The day's chat and DMs live in the snapshot; byte caps keep it small whatever players write
//! (4-byte characters, bought character budgets). Oldest messages go first.

use crate::common;

use common::*;
use pecking_order::engine::command::PerkType;
use pecking_order::engine::state::{MAX_CHAT_LOG_BYTES, MAX_MESSAGE_CHARS};
use pecking_order::engine::timeline::Action;
use pecking_order::engine::Command;
use serde_json::json;

fn text(ch: char, n: u64) -> String {
    let mut s: String = std::iter::repeat_n(ch, MAX_MESSAGE_CHARS - 8).collect();
    s.push_str(&format!("{n:08}"));
    s
}

#[test]
fn main_chat_keeps_at_most_its_byte_budget_dropping_the_oldest() {
    let mut h = H::day1(vec![json!({}), json!({})], 4);
    h.inject(Action::OpenGroupChat);
    for i in 0..300u64 {
        let msg = Command::SendMsg {
            content: text('𝄞', i),
            channel_id: None,
            recipient_ids: None,
            target_id: None,
            reply_to: None,
            mentioned_ids: None,
        };
        h.ok(&format!("p{}", i % 4 + 1), msg);
    }
    let chat = &h.st().chat;
    let bytes: usize = chat.iter().map(|m| m.content.len()).sum();
    assert!(bytes <= MAX_CHAT_LOG_BYTES, "{bytes}");
    assert!(
        chat.last().unwrap().content.ends_with("00000299"),
        "the newest message is kept"
    );
    assert!(
        !chat.iter().any(|m| m.content.ends_with("00000000")),
        "the oldest is dropped"
    );
    assert!(h.room.snapshot_bytes().len() < 256 * 1024);
    h.check_replay();
}

#[test]
fn dms_keep_at_most_their_byte_budget_even_with_bought_characters() {
    let mut h = H::day1(vec![json!({"dmCost": 0}), json!({})], 4);
    h.inject(Action::OpenDms);
    let mut credit = std::collections::BTreeMap::new();
    for p in 1..=4 {
        credit.insert(format!("p{p}"), 5_000i64);
    }
    h.admin(Command::CreditSilver { rewards: credit });
    for p in 1..=4 {
        for _ in 0..40 {
            h.ok(
                &format!("p{p}"),
                Command::UsePerk {
                    perk_type: PerkType::ExtraDmChars,
                    target_id: None,
                },
            );
        }
    }
    for i in 0..340u64 {
        let from = i % 4 + 1;
        let to = (i + 1) % 4 + 1;
        let msg = Command::SendMsg {
            content: text('𝄞', i),
            channel_id: None,
            recipient_ids: None,
            target_id: Some(format!("p{to}")),
            reply_to: None,
            mentioned_ids: None,
        };
        h.ok(&format!("p{from}"), msg);
    }
    let bytes: usize = h
        .st()
        .social
        .channels
        .iter()
        .flat_map(|c| c.messages.iter())
        .map(|m| m.content.len())
        .sum();
    assert!(
        bytes <= pecking_order::engine::social::MAX_DM_LOG_BYTES,
        "{bytes}"
    );
    assert!(
        h.room.snapshot_bytes().len() < 256 * 1024,
        "{}",
        h.room.snapshot_bytes().len()
    );
    h.check_replay();
}
