//! The social layer: the group chat (MAIN) with whispers, DMs and group DMs with their daily
//! limits, invitations, reactions and nudges. Everything here is per day: each morning
//! ([`start_day`]) clears the conversations and counters and resolves the day's limits.
//!
//! Submodules: [`params`] (the day's limits), `dm` (conversations), `signals` (reactions, nudges,
//! whispers), `view` (what one player may see of all this).

mod dm;
pub mod params;
mod signals;
pub mod view;

pub(crate) use dm::{accept as accept_dm, add_member, create_channel, decline as decline_dm};
pub(crate) use signals::{nudge, react, whisper};
pub(crate) use view::{project_main_chat, project_social};

use super::error::Rejection;
use super::fact::Fact;
use super::perks::PerkType;
use super::state::{
    ChatMessage, Ctx, GameState, Phase, MAX_CHAT_LOG, MAX_CHAT_LOG_BYTES, MAX_MESSAGE_CHARS,
};
use params::{SocialParams, EXTRA_CHARS_BONUS, MAX_GROUPS_PER_DAY};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Messages kept per conversation; the oldest are dropped first.
pub use crate::limits::MAX_CHANNEL_MESSAGES;
/// Bytes of DM text kept per day across all conversations (oldest dropped first).
pub use crate::limits::MAX_DM_LOG_BYTES;
/// Perk results kept per buyer (the oldest are dropped first).
pub use crate::limits::MAX_PERK_RESULTS;
/// DMs remembered per player for SPY_DMS (the last three they sent, across the whole game).
pub use crate::limits::SPY_DMS_COUNT;
/// The reactions a player may toggle on a message (docs/rules.md §5).
pub const REACTION_EMOJIS: [&str; 5] = ["😂", "👀", "🔥", "💀", "❤️"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ChannelKind {
    Dm,
    GroupDm,
}

impl ChannelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Dm => "DM",
            ChannelKind::GroupDm => "GROUP_DM",
        }
    }
}

/// The id of the group chat, where whispers are too.
pub const MAIN: &str = "MAIN";

/// A DM or group DM of today. Its id is `dm:<day>:<n>` (n counts today's conversations from 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    pub id: String,
    pub kind: ChannelKind,
    pub creator: String,
    /// Joined members (the creator first), in join order.
    pub members: Vec<String>,
    /// Invite mode: invited players who have neither accepted nor declined. They can read.
    pub pending: Vec<String>,
    pub messages: Vec<ChatMessage>,
    /// Rules version 2: the id of this conversation's last message (its own counter, so no id
    /// counts messages elsewhere; docs/security.md). Always 0 in version-1 games, whose DMs take
    /// ids from the game's one counter.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub last_msg_id: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Channel {
    /// Members and pending invitees: everyone who can read the conversation.
    pub fn readers(&self) -> impl Iterator<Item = &String> {
        self.members.iter().chain(self.pending.iter())
    }

    pub fn can_read(&self, id: &str) -> bool {
        self.readers().any(|m| m == id)
    }

    pub fn is_member(&self, id: &str) -> bool {
        self.members.iter().any(|m| m == id)
    }
}

/// One player's use of today's limits.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Characters of DM and group-DM messages sent today.
    pub chars_used: u32,
    /// Conversations opened (as creator) or joined (by accepting an invitation) today.
    pub slots_used: u32,
    /// Distinct players this player has sent a DM or group-DM message to today.
    pub partners: Vec<String>,
    /// Group DMs this player opened today.
    pub groups_created: u32,
    /// EXTRA_DM_CHARS perks bought today.
    pub extra_chars_perks: u32,
    /// EXTRA_DM_PARTNER perks bought today.
    pub extra_partner_perks: u32,
}

impl Usage {
    pub fn chars_limit(&self, p: &SocialParams) -> u32 {
        p.dm_chars_per_player
            .saturating_add(EXTRA_CHARS_BONUS.saturating_mul(self.extra_chars_perks))
    }

    pub fn partners_limit(&self, p: &SocialParams) -> u32 {
        p.dm_partners_per_player
            .saturating_add(self.extra_partner_perks)
    }

    pub fn slots_limit(&self, p: &SocialParams) -> u32 {
        p.dm_slots_per_player
            .saturating_add(self.extra_partner_perks)
    }

    pub fn groups_limit(&self) -> u32 {
        MAX_GROUPS_PER_DAY
    }
}

/// Nudges of today from one player to another (counted when the throttle is off).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nudge {
    pub from: String,
    pub to: String,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reaction {
    pub message_id: u64,
    /// Rules version 2: the channel of the message (`MAIN` for MAIN and whispers, else the
    /// conversation's id), as ids are per channel. Absent in version-1 games, whose ids are
    /// unique across channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
    pub player: String,
    pub emoji: String,
}

/// A DM as SPY_DMS reveals it: what and when, never to whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpiedDm {
    pub day: u32,
    pub at_ms: i64,
    pub content: String,
}

/// What a perk bought, visible to its buyer only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerkResult {
    pub buyer: String,
    pub perk: PerkType,
    pub target: Option<String>,
    pub day: u32,
    pub at_ms: i64,
    /// SPY_DMS: the target's last DMs, oldest first.
    pub messages: Vec<SpiedDm>,
}

/// The social part of the game state. Vec/BTreeMap only (it is in every snapshot).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SocialState {
    /// Today's limits.
    pub params: SocialParams,
    /// Today's conversations, in creation order.
    pub channels: Vec<Channel>,
    /// Conversations created today (the `n` of the next id is this + 1).
    pub channels_created: u32,
    /// Today's use of the limits, per player.
    pub usage: BTreeMap<String, Usage>,
    pub nudges: Vec<Nudge>,
    /// Today's reactions (on MAIN messages, whispers and DMs).
    pub reactions: Vec<Reaction>,
    /// The last [`SPY_DMS_COUNT`] DMs each player sent, across days.
    pub last_dms: BTreeMap<String, Vec<SpiedDm>>,
    /// Perk results, kept across days ([`MAX_PERK_RESULTS`] per buyer).
    pub perk_results: Vec<PerkResult>,
}

impl Reaction {
    /// Whether this reaction is on message `id` of `channel` (`MAIN` for MAIN and whispers).
    pub fn is_on(&self, channel: &str, id: u64) -> bool {
        self.message_id == id && self.channel_id.as_deref().is_none_or(|c| c == channel)
    }
}

impl SocialState {
    pub fn usage(&self, id: &str) -> Usage {
        self.usage.get(id).cloned().unwrap_or_default()
    }

    pub(crate) fn usage_mut(&mut self, id: &str) -> &mut Usage {
        self.usage.entry(id.to_string()).or_default()
    }

    pub fn channel(&self, id: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.id == id)
    }

    /// The channel `id` if `viewer` can read it. Others get the same error as for an unknown id,
    /// so channel ids reveal nothing.
    pub(crate) fn readable_channel(&self, id: &str, viewer: &str) -> Result<&Channel, Rejection> {
        self.channel(id)
            .filter(|c| c.can_read(viewer))
            .ok_or_else(|| Rejection::UnknownChannel(id.to_string()))
    }
}

/// Morning: a fresh day of conversations and counters, and the day's limits. The DMs each player
/// last sent (for SPY_DMS) and bought perk results are kept.
pub(crate) fn start_day(st: &mut GameState, day: u32, ctx: &mut Ctx<'_>) {
    let params = params::resolve(&st.manifest, day, st.alive_count());
    let s = &mut st.social;
    s.channels.clear();
    s.channels_created = 0;
    s.usage.clear();
    s.nudges.clear();
    s.reactions.clear();
    ctx.facts.push(Fact::SocialRules {
        day,
        dm_chars_per_player: params.dm_chars_per_player,
        dm_partners_per_player: params.dm_partners_per_player,
        dm_slots_per_player: params.dm_slots_per_player,
        dm_cost: params.dm_cost,
        require_dm_invite: params.require_dm_invite,
        disable_nudge_throttle: params.disable_nudge_throttle,
        group_dm_enabled: params.group_dm_enabled,
    });
    s.params = params;
}

/// Validates a message text: trimmed, non-empty, at most [`MAX_MESSAGE_CHARS`] characters.
pub(crate) fn clean_text(content: &str) -> Result<&str, Rejection> {
    let text = content.trim();
    if text.is_empty() {
        return Err(Rejection::EmptyText);
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(Rejection::TextTooLong(MAX_MESSAGE_CHARS));
    }
    Ok(text)
}

/// An alive player, during the day, while DMs are open: the first check of every DM action.
pub(crate) fn require_dm_sender(st: &GameState, actor: &str) -> Result<(), Rejection> {
    st.alive_in_day(actor)?;
    if st.dms_open {
        Ok(())
    } else {
        Err(Rejection::DmsClosed)
    }
}

/// `SOCIAL.SEND_MSG`. Without an address (or with `channelId: "MAIN"`) it goes to the group chat;
/// with a DM channel id into that conversation; with `recipientIds`/`targetId` it opens a
/// conversation (or continues the one with exactly those members).
/// A message's reply and mentions (`SOCIAL.SEND_MSG` `replyTo`, `mentionedIds`; docs/rules.md).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Refs<'a> {
    pub reply_to: Option<u64>,
    pub mentioned_ids: &'a [String],
}

impl Refs<'_> {
    /// Mentions name known, alive players, each once.
    fn check_mentions(&self, st: &GameState) -> Result<(), Rejection> {
        for (i, id) in self.mentioned_ids.iter().enumerate() {
            st.alive_target(id)?;
            if self.mentioned_ids[..i].contains(id) {
                return Err(Rejection::InvalidMembers(format!(
                    "{id} is mentioned twice"
                )));
            }
        }
        Ok(())
    }

    /// The reply names a message of `messages` that `actor` can read (UNKNOWN_MESSAGE otherwise:
    /// a missing id and one of another channel are the same refusal).
    fn check_reply(&self, messages: &[ChatMessage], actor: &str) -> Result<(), Rejection> {
        let Some(r) = self.reply_to else {
            return Ok(());
        };
        let readable = messages.iter().any(|m| {
            m.id == r
                && m.whisper_to
                    .as_deref()
                    .is_none_or(|to| to == actor || m.from == actor)
        });
        if readable {
            Ok(())
        } else {
            Err(Rejection::UnknownMessage(r))
        }
    }

    /// Records them on the message just posted.
    fn stamp(&self, m: Option<&mut ChatMessage>) {
        if let Some(m) = m {
            m.reply_to = self.reply_to;
            m.mentioned_ids = self.mentioned_ids.to_vec();
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn send_msg(
    st: &mut GameState,
    actor: &str,
    content: &str,
    channel_id: Option<&str>,
    recipient_ids: Option<&[String]>,
    target_id: Option<&str>,
    refs: Refs<'_>,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    let channel = channel_id.filter(|c| *c != "MAIN");
    match (channel, recipient_ids, target_id) {
        (None, None, None) => send_main(st, actor, content, refs, ctx),
        (Some(c), None, None) => dm::send_to_channel(st, actor, c, content, refs, ctx),
        (None, Some(r), None) if channel_id.is_none() => {
            dm::send_new(st, actor, r, content, refs, ctx)
        }
        (None, None, Some(t)) if channel_id.is_none() => dm::send_new(
            st,
            actor,
            std::slice::from_ref(&t.to_string()),
            content,
            refs,
            ctx,
        ),
        _ => Err(Rejection::InvalidMembers(
            "address a message with exactly one of channelId, recipientIds or targetId".into(),
        )),
    }
}

/// A message to MAIN: alive players while the group chat is open; anyone in the post-game summary.
fn send_main(
    st: &mut GameState,
    actor: &str,
    content: &str,
    refs: Refs<'_>,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    let post_game = st.phase == Phase::GameSummary;
    // Rules version 3: MAIN is always open in the pregame (docs/rules.md, "Pregame").
    let pregame = crate::engine::pregame::social_open(st);
    if !post_game && !pregame {
        st.require_phase(&[Phase::Day])?;
    }
    let sender = st
        .player(actor)
        .ok_or_else(|| Rejection::UnknownPlayer(actor.to_string()))?;
    if !post_game && !sender.alive {
        return Err(Rejection::PlayerEliminated(actor.to_string()));
    }
    if !post_game && !pregame && !st.group_chat_open {
        return Err(Rejection::GroupChatClosed);
    }
    let text = clean_text(content)?;
    refs.check_reply(&st.chat, actor)?;
    refs.check_mentions(st)?;
    let id = push_main(st, actor, text, None, ctx.at_ms);
    refs.stamp(st.chat.last_mut());
    ctx.facts.push(Fact::ChatMessage {
        id,
        channel_id: "MAIN".into(),
        from: actor.to_string(),
        content: text.to_string(),
        reply_to: refs.reply_to,
        mentioned_ids: refs.mentioned_ids.to_vec(),
    });
    Ok(())
}

/// Appends to MAIN (a whisper when `whisper_to` is set) and returns the message id.
pub(crate) fn push_main(
    st: &mut GameState,
    from: &str,
    text: &str,
    whisper_to: Option<&str>,
    at_ms: i64,
) -> u64 {
    let id = st.next_msg_id;
    st.next_msg_id += 1;
    // Keep at most MAX_CHAT_LOG messages and MAX_CHAT_LOG_BYTES of text (oldest dropped first):
    // the day's chat lives in the snapshot, which must stay small whatever the alphabet.
    let mut bytes: usize = st.chat.iter().map(|m| m.content.len()).sum::<usize>() + text.len();
    while !st.chat.is_empty() && (st.chat.len() >= MAX_CHAT_LOG || bytes > MAX_CHAT_LOG_BYTES) {
        let dropped = st.chat.remove(0);
        bytes -= dropped.content.len();
        st.social.reactions.retain(|r| !r.is_on(MAIN, dropped.id));
    }
    st.chat.push(ChatMessage {
        id,
        from: from.to_string(),
        content: text.to_string(),
        at_ms,
        whisper_to: whisper_to.map(str::to_string),
        reply_to: None,
        mentioned_ids: Vec::new(),
    });
    id
}

/// Who hears that `player` is typing in `channel` (docs/protocol.md, "Typing"): the other
/// readers of MAIN (everyone on the roster) while `player` may post there, or of a conversation
/// `player` is a member of. Refused exactly as a message there would be (WRONG_PHASE,
/// PLAYER_ELIMINATED, GROUP_CHAT_CLOSED, UNKNOWN_CHANNEL, INVITE_REQUIRED). Pure: the host relays
/// the signal and journals nothing.
pub fn typing_audience(
    st: &GameState,
    player: &str,
    channel: &str,
) -> Result<Vec<String>, Rejection> {
    let others = |all: Vec<String>| all.into_iter().filter(|p| p != player).collect();
    if channel == MAIN {
        if st.phase == Phase::GameSummary {
            st.player(player)
                .ok_or_else(|| Rejection::UnknownPlayer(player.to_string()))?;
        } else {
            st.alive_in_day(player)?;
            if !st.group_chat_open {
                return Err(Rejection::GroupChatClosed);
            }
        }
        return Ok(others(st.players.iter().map(|p| p.id.clone()).collect()));
    }
    st.alive_in_day(player)?;
    let ch = st
        .social
        .channels
        .iter()
        .find(|c| c.id == channel && c.can_read(player))
        .ok_or_else(|| Rejection::UnknownChannel(channel.to_string()))?;
    if !ch.is_member(player) {
        return Err(Rejection::InviteRequired);
    }
    Ok(others(ch.readers().cloned().collect()))
}
