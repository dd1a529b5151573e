//! Conversations: DMs and group DMs, their invitations and their daily limits.
//!
//! Every handler validates completely, then mutates. Checks run in a fixed order, so a message
//! that breaks several rules always gets the same code: phase and sender → DM window → text →
//! address (channel / recipients) → slots → groups → recipients alive → partners → characters →
//! silver.

use super::{
    clean_text, require_dm_sender, Channel, ChannelKind, Refs, SpiedDm, MAX_CHANNEL_MESSAGES,
    MAX_DM_LOG_BYTES, SPY_DMS_COUNT,
};
use crate::engine::economy::require_silver;
use crate::engine::error::Rejection;
use crate::engine::fact::Fact;
use crate::engine::manifest::MAX_PLAYERS;
use crate::engine::state::{ChatMessage, Ctx, GameState};

/// Checks a list of other players named by `actor`: non-empty, at most the roster, no duplicates,
/// not the actor, all known and alive. `min` = fewest names required.
fn check_others(st: &GameState, actor: &str, ids: &[String], min: usize) -> Result<(), Rejection> {
    if ids.len() < min {
        return Err(Rejection::InvalidMembers(if min <= 1 {
            "name at least one other player".into()
        } else {
            format!("name at least {min} other players")
        }));
    }
    if ids.len() > MAX_PLAYERS {
        return Err(Rejection::InvalidMembers("too many players".into()));
    }
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            return Err(Rejection::InvalidMembers(format!("{id} is listed twice")));
        }
    }
    if ids.iter().any(|id| id == actor) {
        return Err(Rejection::SelfDm);
    }
    for id in ids {
        st.alive_target(id)?;
    }
    Ok(())
}

/// The conversation whose readers are exactly `actor` + `others`, if there is one.
fn find_exact(st: &GameState, actor: &str, others: &[String]) -> Option<usize> {
    let mut want: Vec<&str> = others.iter().map(String::as_str).collect();
    want.push(actor);
    want.sort_unstable();
    st.social.channels.iter().position(|c| {
        let mut have: Vec<&str> = c.readers().map(String::as_str).collect();
        have.sort_unstable();
        have == want
    })
}

/// Checks that `actor` may post `chars` characters into a conversation read by `others`
/// (everyone but the actor), paying `dm_cost`.
fn check_message(
    st: &GameState,
    actor: &str,
    others: &[&String],
    chars: u32,
) -> Result<(), Rejection> {
    if others.is_empty() {
        return Err(Rejection::NoRecipients);
    }
    // Messages may still reach eliminated readers (they spectate), but not only them.
    if !others.iter().any(|o| st.is_alive(o)) {
        return Err(Rejection::TargetEliminated(others[0].clone()));
    }
    let p = &st.social.params;
    let u = st.social.usage(actor);
    let new_partners = others.iter().filter(|o| !u.partners.contains(o)).count() as u32;
    let limit = u.partners_limit(p);
    if u.partners.len() as u32 + new_partners > limit {
        return Err(Rejection::PartnerLimit { limit });
    }
    let limit = u.chars_limit(p);
    if u.chars_used.saturating_add(chars) > limit {
        return Err(Rejection::CharLimit {
            used: u.chars_used,
            limit,
            needed: chars,
        });
    }
    require_silver(st, actor, p.dm_cost)?;
    Ok(())
}

/// Rules version 2 numbers each conversation's messages apart; version 1 takes DM ids from the
/// game's one counter, shared with MAIN (docs/security.md, "Message ids").
fn per_channel_ids(st: &GameState) -> bool {
    st.rules_version >= 2
}

/// Keeps today's DM text (all conversations) under [`MAX_DM_LOG_BYTES`] once `incoming` more
/// bytes arrive, dropping the oldest messages first: the day's DMs live in the snapshot, and
/// bought character budgets must not be able to push it past its 256 KiB budget.
fn trim_dm_bytes(st: &mut GameState, incoming: usize) {
    let per_channel = per_channel_ids(st);
    let mut bytes: usize = st
        .social
        .channels
        .iter()
        .flat_map(|c| c.messages.iter())
        .map(|m| m.content.len())
        .sum::<usize>()
        + incoming;
    while bytes > MAX_DM_LOG_BYTES {
        // The oldest message of the day. Version 1: ids grow with time across conversations;
        // version 2 numbers each conversation apart, so the time decides (then id, then order).
        let oldest = st
            .social
            .channels
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                c.messages
                    .first()
                    .map(|m| (if per_channel { m.at_ms } else { 0 }, m.id, i))
            })
            .min();
        let Some((_, id, i)) = oldest else { break };
        let m = st.social.channels[i].messages.remove(0);
        bytes -= m.content.len();
        let channel = st.social.channels[i].id.clone();
        st.social.reactions.retain(|r| !r.is_on(&channel, id));
    }
}

/// Posts a validated message into channel `idx`: counts characters and partners, charges the
/// day's DM cost, remembers it for SPY_DMS.
fn deliver(
    st: &mut GameState,
    actor: &str,
    idx: usize,
    text: &str,
    refs: Refs<'_>,
    ctx: &mut Ctx<'_>,
) {
    let id = if per_channel_ids(st) {
        let ch = &mut st.social.channels[idx];
        ch.last_msg_id += 1;
        ch.last_msg_id
    } else {
        let id = st.next_msg_id;
        st.next_msg_id += 1;
        id
    };
    let chars = text.chars().count() as u32;
    let (day, at_ms, cost) = (st.day, ctx.at_ms, st.social.params.dm_cost);
    let ch = &mut st.social.channels[idx];
    if ch.messages.len() >= MAX_CHANNEL_MESSAGES {
        let dropped = ch.messages.remove(0).id;
        let channel = ch.id.clone();
        st.social.reactions.retain(|r| !r.is_on(&channel, dropped));
    }
    trim_dm_bytes(st, text.len());
    let ch = &mut st.social.channels[idx];
    ch.messages.push(ChatMessage {
        id,
        from: actor.to_string(),
        content: text.to_string(),
        at_ms,
        whisper_to: None,
        reply_to: refs.reply_to,
        mentioned_ids: refs.mentioned_ids.to_vec(),
    });
    let channel_id = ch.id.clone();
    let others: Vec<String> = ch.readers().filter(|r| *r != actor).cloned().collect();
    let u = st.social.usage_mut(actor);
    u.chars_used = u.chars_used.saturating_add(chars);
    for o in others {
        if !u.partners.contains(&o) {
            u.partners.push(o);
        }
    }
    let log = st.social.last_dms.entry(actor.to_string()).or_default();
    if log.len() >= SPY_DMS_COUNT {
        log.remove(0);
    }
    log.push(SpiedDm {
        day,
        at_ms,
        content: text.to_string(),
    });
    ctx.facts.push(Fact::DmSent {
        channel_id,
        message_id: id,
        from: actor.to_string(),
        chars,
        reply_to: refs.reply_to,
        mentioned_ids: refs.mentioned_ids.to_vec(),
    });
    if cost > 0 {
        st.credit_silver(actor, -(cost as i64), "DM_COST", ctx.facts);
    }
}

/// Everyone but `actor` who reads channel `idx`.
fn others_of<'a>(st: &'a GameState, idx: usize, actor: &str) -> Vec<&'a String> {
    st.social.channels[idx]
        .readers()
        .filter(|r| *r != actor)
        .collect()
}

/// A message into an existing conversation, by id.
pub(super) fn send_to_channel(
    st: &mut GameState,
    actor: &str,
    channel_id: &str,
    content: &str,
    refs: Refs<'_>,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    require_dm_sender(st, actor)?;
    let text = clean_text(content)?;
    // A conversation the actor cannot read is reported exactly like one that does not exist.
    let idx = st
        .social
        .channels
        .iter()
        .position(|c| c.id == channel_id && c.can_read(actor))
        .ok_or_else(|| Rejection::UnknownChannel(channel_id.to_string()))?;
    post_existing(st, actor, idx, text, refs, ctx)
}

fn post_existing(
    st: &mut GameState,
    actor: &str,
    idx: usize,
    text: &str,
    refs: Refs<'_>,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    if !st.social.channels[idx].is_member(actor) {
        return Err(Rejection::InviteRequired);
    }
    refs.check_reply(&st.social.channels[idx].messages, actor)?;
    refs.check_mentions(st)?;
    check_message(
        st,
        actor,
        &others_of(st, idx, actor),
        text.chars().count() as u32,
    )?;
    deliver(st, actor, idx, text, refs, ctx);
    Ok(())
}

/// A first message to `recipients`: continues the conversation with exactly these members if
/// there is one today, else opens a DM (one recipient) or a group DM (several).
pub(super) fn send_new(
    st: &mut GameState,
    actor: &str,
    recipients: &[String],
    content: &str,
    refs: Refs<'_>,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    require_dm_sender(st, actor)?;
    let text = clean_text(content)?;
    check_others(st, actor, recipients, 1)?;
    if let Some(idx) = find_exact(st, actor, recipients) {
        return post_existing(st, actor, idx, text, refs, ctx);
    }
    let kind = if recipients.len() == 1 {
        ChannelKind::Dm
    } else {
        ChannelKind::GroupDm
    };
    check_new_channel(st, actor, kind)?;
    let others: Vec<&String> = recipients.iter().collect();
    check_message(st, actor, &others, text.chars().count() as u32)?;
    // A new conversation has no message to answer.
    refs.check_reply(&[], actor)?;
    refs.check_mentions(st)?;
    let idx = open_channel(st, actor, recipients, kind, ctx);
    deliver(st, actor, idx, text, refs, ctx);
    Ok(())
}

/// Slots, and for a group the daily group limit and the day's group switch.
fn check_new_channel(st: &GameState, actor: &str, kind: ChannelKind) -> Result<(), Rejection> {
    let p = &st.social.params;
    let u = st.social.usage(actor);
    if kind == ChannelKind::GroupDm && !p.group_dm_enabled {
        return Err(Rejection::GroupDmsDisabled);
    }
    let limit = u.slots_limit(p);
    if u.slots_used >= limit {
        return Err(Rejection::ConversationLimit { limit });
    }
    if kind == ChannelKind::GroupDm && u.groups_created >= u.groups_limit() {
        return Err(Rejection::GroupLimit {
            limit: u.groups_limit(),
        });
    }
    Ok(())
}

/// Creates a conversation (validated by the caller) and returns its index. In invite mode the
/// others are invited (pending) rather than joined.
fn open_channel(
    st: &mut GameState,
    actor: &str,
    others: &[String],
    kind: ChannelKind,
    ctx: &mut Ctx<'_>,
) -> usize {
    let s = &mut st.social;
    s.channels_created += 1;
    let id = format!("dm:{}:{}", st.day, s.channels_created);
    let invite = s.params.require_dm_invite;
    let mut members = vec![actor.to_string()];
    let mut pending = Vec::new();
    if invite {
        pending.extend(others.iter().cloned());
    } else {
        members.extend(others.iter().cloned());
    }
    ctx.facts.push(Fact::DmChannelCreated {
        channel_id: id.clone(),
        kind: kind.as_str().into(),
        creator: actor.to_string(),
        members: members.clone(),
        invited: pending.clone(),
    });
    s.channels.push(Channel {
        id,
        kind,
        creator: actor.to_string(),
        members,
        pending,
        messages: Vec::new(),
        last_msg_id: 0,
    });
    let u = s.usage_mut(actor);
    u.slots_used += 1;
    if kind == ChannelKind::GroupDm {
        u.groups_created += 1;
    }
    s.channels.len() - 1
}

/// `SOCIAL.CREATE_CHANNEL {memberIds}`: a group DM with at least two other players, no message.
pub(crate) fn create_channel(
    st: &mut GameState,
    actor: &str,
    member_ids: &[String],
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    require_dm_sender(st, actor)?;
    check_others(st, actor, member_ids, 2)?;
    if let Some(idx) = find_exact(st, actor, member_ids) {
        return Err(Rejection::ChannelExists(st.social.channels[idx].id.clone()));
    }
    check_new_channel(st, actor, ChannelKind::GroupDm)?;
    open_channel(st, actor, member_ids, ChannelKind::GroupDm, ctx);
    Ok(())
}

/// `SOCIAL.ADD_MEMBER {channelId, memberIds}`: the creator adds (invite mode: invites) players.
/// A DM that reaches three readers becomes a group DM, which counts as opening a group.
pub(crate) fn add_member(
    st: &mut GameState,
    actor: &str,
    channel_id: &str,
    member_ids: &[String],
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    require_dm_sender(st, actor)?;
    let ch = st.social.readable_channel(channel_id, actor)?;
    if ch.creator != actor {
        return Err(Rejection::Unauthorized);
    }
    check_others(st, actor, member_ids, 1)?;
    if let Some(dup) = member_ids.iter().find(|m| ch.can_read(m)) {
        return Err(Rejection::DuplicateInvite(dup.clone()));
    }
    let readers = ch.readers().count() + member_ids.len();
    let promote = ch.kind == ChannelKind::Dm && readers > 2;
    if promote {
        let p = &st.social.params;
        let u = st.social.usage(actor);
        if !p.group_dm_enabled {
            return Err(Rejection::GroupDmsDisabled);
        }
        if u.groups_created >= u.groups_limit() {
            return Err(Rejection::GroupLimit {
                limit: u.groups_limit(),
            });
        }
    }
    let invite = st.social.params.require_dm_invite;
    let s = &mut st.social;
    let Some(ch) = s.channels.iter_mut().find(|c| c.id == channel_id) else {
        return Err(Rejection::UnknownChannel(channel_id.to_string()));
    };
    if invite {
        ch.pending.extend(member_ids.iter().cloned());
    } else {
        ch.members.extend(member_ids.iter().cloned());
    }
    if promote {
        ch.kind = ChannelKind::GroupDm;
    }
    let (members, invited) = if invite {
        (Vec::new(), member_ids.to_vec())
    } else {
        (member_ids.to_vec(), Vec::new())
    };
    ctx.facts.push(Fact::DmMembersAdded {
        channel_id: channel_id.to_string(),
        by: actor.to_string(),
        members,
        invited,
        kind: ch.kind.as_str().into(),
    });
    if promote {
        s.usage_mut(actor).groups_created += 1;
    }
    Ok(())
}

/// ACCEPT_DM and DECLINE_DM: an alive player, during the day, with a pending invitation to
/// `channel_id`.
fn check_invited(st: &GameState, actor: &str, channel_id: &str) -> Result<(), Rejection> {
    st.alive_in_day(actor)?;
    let ch = st.social.readable_channel(channel_id, actor)?;
    if !ch.pending.iter().any(|p| p == actor) {
        return Err(Rejection::NoPendingInvite);
    }
    Ok(())
}

/// `SOCIAL.ACCEPT_DM {channelId}`: an invitee joins, using one of their conversation slots.
pub(crate) fn accept(
    st: &mut GameState,
    actor: &str,
    channel_id: &str,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    check_invited(st, actor, channel_id)?;
    let u = st.social.usage(actor);
    let limit = u.slots_limit(&st.social.params);
    if u.slots_used >= limit {
        return Err(Rejection::ConversationLimit { limit });
    }
    let s = &mut st.social;
    if let Some(ch) = s.channels.iter_mut().find(|c| c.id == channel_id) {
        ch.pending.retain(|p| p != actor);
        ch.members.push(actor.to_string());
    }
    s.usage_mut(actor).slots_used += 1;
    ctx.facts.push(Fact::DmInviteAccepted {
        channel_id: channel_id.to_string(),
        player_id: actor.to_string(),
    });
    Ok(())
}

/// `SOCIAL.DECLINE_DM {channelId}`: an invitee refuses and no longer sees the conversation. When
/// the last invitee of a conversation nobody joined declines, its creator gets their slot back.
pub(crate) fn decline(
    st: &mut GameState,
    actor: &str,
    channel_id: &str,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    check_invited(st, actor, channel_id)?;
    let s = &mut st.social;
    let mut refund_to = None;
    if let Some(ch) = s.channels.iter_mut().find(|c| c.id == channel_id) {
        ch.pending.retain(|p| p != actor);
        if ch.pending.is_empty() && ch.members.len() == 1 {
            refund_to = Some(ch.creator.clone());
        }
    }
    if let Some(c) = &refund_to {
        let u = s.usage_mut(c);
        u.slots_used = u.slots_used.saturating_sub(1);
    }
    ctx.facts.push(Fact::DmInviteDeclined {
        channel_id: channel_id.to_string(),
        player_id: actor.to_string(),
        slot_refunded: refund_to.is_some(),
    });
    Ok(())
}
