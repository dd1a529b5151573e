//! What one player may see of the social layer. Secrets stay here: a conversation is shown only
//! to its members and pending invitees, a whisper's text and target only to its two players,
//! perk results only to their buyer, limits and their use only to their player.

use super::{params::MAX_GROUPS_PER_DAY, REACTION_EMOJIS};
use crate::engine::state::{ChatMessage, GameState};
use serde_json::{json, Map, Value};

/// Reactions on message `id` as `[{emoji, players}]`, in the emoji set's order.
fn reactions(st: &GameState, id: u64) -> Value {
    let out: Vec<Value> = REACTION_EMOJIS
        .iter()
        .filter_map(|e| {
            let players: Vec<&String> = st
                .social
                .reactions
                .iter()
                .filter(|r| r.message_id == id && r.emoji == *e)
                .map(|r| &r.player)
                .collect();
            (!players.is_empty()).then(|| json!({ "emoji": e, "players": players }))
        })
        .collect();
    Value::Array(out)
}

fn message(st: &GameState, m: &ChatMessage) -> Value {
    json!({ "id": m.id, "from": m.from, "content": m.content, "atMs": m.at_ms, "reactions": reactions(st, m.id) })
}

/// Today's MAIN chat for `viewer`. A whisper shows its text and target only to its sender and
/// target; everyone else sees `{id, from, atMs, whisper: true}`.
pub(crate) fn project_main_chat(st: &GameState, viewer: Option<&str>) -> Vec<Value> {
    st.chat
        .iter()
        .map(|m| match &m.whisper_to {
            None => message(st, m),
            Some(to) if viewer.is_some_and(|v| v == m.from || v == to) => {
                let mut v = message(st, m);
                v["whisper"] = json!(true);
                v["whisperTo"] = json!(to);
                v
            }
            Some(_) => json!({ "id": m.id, "from": m.from, "atMs": m.at_ms, "whisper": true }),
        })
        .collect()
}

/// The social keys of a projection: `dmRules` (public) and, for a player, their conversations,
/// their limits (`dmStats`), their perk results and the nudges they sent or received.
pub(crate) fn project_social(st: &GameState, viewer: Option<&str>) -> Map<String, Value> {
    let s = &st.social;
    let mut out = Map::new();
    let mut rules = serde_json::to_value(&s.params).unwrap_or(Value::Null);
    rules["maxGroupsPerDay"] = json!(MAX_GROUPS_PER_DAY);
    out.insert("dmRules".into(), rules);
    let Some(me) = viewer.filter(|v| st.player(v).is_some()) else {
        return out;
    };
    let dms: Vec<Value> = s
        .channels
        .iter()
        .filter(|c| c.can_read(me))
        .map(|c| {
            let msgs: Vec<Value> = c.messages.iter().map(|m| message(st, m)).collect();
            json!({
                "channelId": c.id, "kind": c.kind.as_str(), "creator": c.creator,
                "members": c.members, "pending": c.pending,
                "status": if c.is_member(me) { "MEMBER" } else { "INVITED" },
                "messages": msgs,
            })
        })
        .collect();
    out.insert("dms".into(), Value::Array(dms));
    let u = s.usage(me);
    out.insert(
        "dmStats".into(),
        json!({
            "charsUsed": u.chars_used, "charsLimit": u.chars_limit(&s.params),
            "slotsUsed": u.slots_used, "slotsLimit": u.slots_limit(&s.params),
            "partnersUsed": u.partners.len(), "partnersLimit": u.partners_limit(&s.params),
            "partners": u.partners,
            "groupsUsed": u.groups_created, "groupsLimit": u.groups_limit(),
            "extraCharsPerks": u.extra_chars_perks, "extraPartnerPerks": u.extra_partner_perks,
        }),
    );
    let perks: Vec<Value> = s
        .perk_results
        .iter()
        .filter(|r| r.buyer == me)
        .map(|r| {
            let msgs: Vec<Value> = r
                .messages
                .iter()
                .map(|m| json!({ "day": m.day, "atMs": m.at_ms, "content": m.content }))
                .collect();
            json!({ "perkType": r.perk.as_str(), "targetId": r.target, "day": r.day, "atMs": r.at_ms, "messages": msgs })
        })
        .collect();
    out.insert("perkResults".into(), Value::Array(perks));
    let sent: Vec<Value> = s
        .nudges
        .iter()
        .filter(|n| n.from == me)
        .map(|n| json!({ "to": n.to, "count": n.count }))
        .collect();
    let received: Vec<Value> = s
        .nudges
        .iter()
        .filter(|n| n.to == me)
        .map(|n| json!({ "from": n.from, "count": n.count }))
        .collect();
    out.insert(
        "nudges".into(),
        json!({ "sent": sent, "received": received }),
    );
    out
}
