//! What one player may see of the social layer. Secrets stay here: a conversation is shown only
//! to its members and pending invitees, a whisper's text and target only to its two players,
//! perk results only to their buyer, limits and their use only to their player.

use super::params::{SocialParams, MAX_GROUPS_PER_DAY};
use super::{MAIN, REACTION_EMOJIS};
use crate::engine::command::PerkType;
use crate::engine::social::ChannelKind;
use crate::engine::state::{ChatMessage, GameState};
use serde::Serialize;

/// One of [`REACTION_EMOJIS`] (its schema lists them).
#[cfg(feature = "schema")]
pub struct ReactionEmoji;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for ReactionEmoji {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ReactionEmoji".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "enum": REACTION_EMOJIS })
    }
}

/// Who reacted to a message with one emoji.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Reaction {
    #[cfg_attr(feature = "schema", schemars(with = "ReactionEmoji"))]
    pub emoji: &'static str,
    pub players: Vec<String>,
}

/// A chat message as its readers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(rename = "ChatMessage"))]
pub struct ChatMessageView {
    pub id: u64,
    pub from: String,
    pub content: String,
    /// ms since the Unix epoch.
    pub at_ms: i64,
    pub reactions: Vec<Reaction>,
    /// A whisper, as its two players see it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "True"))]
    pub whisper: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub whisper_to: Option<String>,
    /// The message of the same channel this one answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "u64"))]
    pub reply_to: Option<u64>,
    /// Players it names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mentioned_ids: Vec<String>,
}

/// The schema `{"const": true}` (a flag that is present only when true).
#[cfg(feature = "schema")]
pub struct True;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for True {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "True".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "const": true })
    }
}

/// A whisper as everyone but its two players sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RedactedWhisper {
    pub id: u64,
    pub from: String,
    pub at_ms: i64,
    #[cfg_attr(feature = "schema", schemars(with = "True"))]
    pub whisper: bool,
}

/// One line of MAIN chat: a message, or a whisper the viewer may not read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum ChatEntry {
    Message(ChatMessageView),
    Redacted(RedactedWhisper),
}

/// Reactions on message `id` of `channel`, in the emoji set's order.
fn reactions(st: &GameState, channel: &str, id: u64) -> Vec<Reaction> {
    REACTION_EMOJIS
        .iter()
        .filter_map(|e| {
            let players: Vec<String> = st
                .social
                .reactions
                .iter()
                .filter(|r| r.is_on(channel, id) && r.emoji == *e)
                .map(|r| r.player.clone())
                .collect();
            (!players.is_empty()).then_some(Reaction { emoji: e, players })
        })
        .collect()
}

fn message(st: &GameState, channel: &str, m: &ChatMessage) -> ChatMessageView {
    ChatMessageView {
        id: m.id,
        from: m.from.clone(),
        content: m.content.clone(),
        at_ms: m.at_ms,
        reactions: reactions(st, channel, m.id),
        whisper: None,
        whisper_to: None,
        reply_to: m.reply_to,
        mentioned_ids: m.mentioned_ids.clone(),
    }
}

/// Today's MAIN chat for `viewer`. A whisper shows its text and target only to its sender and
/// target; everyone else sees `{id, from, atMs, whisper: true}`.
pub(crate) fn project_main_chat(st: &GameState, viewer: Option<&str>) -> Vec<ChatEntry> {
    st.chat
        .iter()
        .map(|m| match &m.whisper_to {
            None => ChatEntry::Message(message(st, MAIN, m)),
            Some(to) if viewer.is_some_and(|v| v == m.from || v == to) => {
                ChatEntry::Message(ChatMessageView {
                    whisper: Some(true),
                    whisper_to: Some(to.clone()),
                    ..message(st, MAIN, m)
                })
            }
            Some(_) => ChatEntry::Redacted(RedactedWhisper {
                id: m.id,
                from: m.from.clone(),
                at_ms: m.at_ms,
                whisper: true,
            }),
        })
        .collect()
}

/// Today's social rules (public).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DmRules {
    #[serde(flatten)]
    pub params: SocialParams,
    pub max_groups_per_day: u32,
}

/// Whether the viewer is a member of a conversation or only invited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Membership {
    Member,
    Invited,
}

/// A DM or group DM the viewer can read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DmChannel {
    pub channel_id: String,
    pub kind: ChannelKind,
    pub creator: String,
    pub members: Vec<String>,
    pub pending: Vec<String>,
    pub status: Membership,
    pub messages: Vec<ChatMessageView>,
}

/// The viewer's limits today and their use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DmStats {
    pub chars_used: u32,
    pub chars_limit: u32,
    pub slots_used: u32,
    pub slots_limit: u32,
    pub partners_used: usize,
    pub partners_limit: u32,
    pub partners: Vec<String>,
    pub groups_used: u32,
    pub groups_limit: u32,
    pub extra_chars_perks: u32,
    pub extra_partner_perks: u32,
}

/// A DM the SPY_DMS perk revealed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SpiedMessage {
    pub day: u32,
    pub at_ms: i64,
    pub content: String,
}

/// What a perk the viewer bought revealed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(rename = "PerkResult"))]
pub struct PerkResultView {
    pub perk_type: PerkType,
    pub target_id: Option<String>,
    pub day: u32,
    pub at_ms: i64,
    pub messages: Vec<SpiedMessage>,
}

/// Nudges the viewer sent, per recipient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NudgeSent {
    pub to: String,
    pub count: u32,
}

/// Nudges the viewer received, per sender.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NudgeReceived {
    pub from: String,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Nudges {
    pub sent: Vec<NudgeSent>,
    pub received: Vec<NudgeReceived>,
}

/// The social keys of a projection: `dmRules` (public) and, for a player, their conversations,
/// their limits (`dmStats`), their perk results and the nudges they sent or received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SocialView {
    pub dm_rules: DmRules,
    /// A player's view only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<DmChannel>"))]
    pub dms: Option<Vec<DmChannel>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "DmStats"))]
    pub dm_stats: Option<DmStats>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<PerkResultView>"))]
    pub perk_results: Option<Vec<PerkResultView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Nudges"))]
    pub nudges: Option<Nudges>,
}

pub(crate) fn project_social(st: &GameState, viewer: Option<&str>) -> SocialView {
    let s = &st.social;
    let mut out = SocialView {
        dm_rules: DmRules {
            params: s.params.clone(),
            max_groups_per_day: MAX_GROUPS_PER_DAY,
        },
        dms: None,
        dm_stats: None,
        perk_results: None,
        nudges: None,
    };
    let Some(me) = viewer.filter(|v| st.player(v).is_some()) else {
        return out;
    };
    out.dms = Some(
        s.channels
            .iter()
            .filter(|c| c.can_read(me))
            .map(|c| DmChannel {
                channel_id: c.id.clone(),
                kind: c.kind,
                creator: c.creator.clone(),
                members: c.members.clone(),
                pending: c.pending.clone(),
                status: if c.is_member(me) {
                    Membership::Member
                } else {
                    Membership::Invited
                },
                messages: c.messages.iter().map(|m| message(st, &c.id, m)).collect(),
            })
            .collect(),
    );
    let u = s.usage(me);
    out.dm_stats = Some(DmStats {
        chars_used: u.chars_used,
        chars_limit: u.chars_limit(&s.params),
        slots_used: u.slots_used,
        slots_limit: u.slots_limit(&s.params),
        partners_used: u.partners.len(),
        partners_limit: u.partners_limit(&s.params),
        partners: u.partners.clone(),
        groups_used: u.groups_created,
        groups_limit: u.groups_limit(),
        extra_chars_perks: u.extra_chars_perks,
        extra_partner_perks: u.extra_partner_perks,
    });
    out.perk_results = Some(
        s.perk_results
            .iter()
            .filter(|r| r.buyer == me)
            .map(|r| PerkResultView {
                perk_type: r.perk,
                target_id: r.target.clone(),
                day: r.day,
                at_ms: r.at_ms,
                messages: r
                    .messages
                    .iter()
                    .map(|m| SpiedMessage {
                        day: m.day,
                        at_ms: m.at_ms,
                        content: m.content.clone(),
                    })
                    .collect(),
            })
            .collect(),
    );
    out.nudges = Some(Nudges {
        sent: s
            .nudges
            .iter()
            .filter(|n| n.from == me)
            .map(|n| NudgeSent {
                to: n.to.clone(),
                count: n.count,
            })
            .collect(),
        received: s
            .nudges
            .iter()
            .filter(|n| n.to == me)
            .map(|n| NudgeReceived {
                from: n.from.clone(),
                count: n.count,
            })
            .collect(),
    });
    out
}
