//! Inputs to the engine. Each becomes one journal entry: its `type` is the wire type and its
//! `payload` the remaining fields as canonical JSON.
//!
//! [`Command`] holds the core inputs (system, alarm, admin, the social layer) as its own variants
//! and each rule family's commands as one variant holding the family's command enum, which its
//! registry generates from the commands every mechanism declares (docs/extending.md). Decoding
//! goes by the wire type: a family's prefix (`VOTE.`…) picks the family, then the mechanism that
//! declared the type decodes the payload straight into the command; anything else is a core input.

use super::games::GameCommand;
use super::registry::Commands;
use super::voting::VoteCommand;
// --- Prompts, dilemmas, confessions, inactivity ---
use super::destiny::DestinyCommand;
use super::dilemmas::DilemmaCommand;
use super::prompts::PromptCommand;
use super::timeline::Action;
use crate::journal::{EntryKind, Hash};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Declares [`Command`] from its core inputs (`"WIRE.TYPE" => Variant { fields }`) and its
/// families (`Variant(FamilyCommand)`), once: the public enum (serialized as serde's tagged enum),
/// the decoding of the core inputs' payloads (the families decode their own, see [`Commands`]),
/// and the JSON Schema of all of them.
macro_rules! command_enum {
    (
        core {
            $(
                $(#[$vmeta:meta])*
                $wire:literal => $variant:ident {
                    $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)?
                }
            ),* $(,)?
        }
        families {
            $( $(#[$fam_meta:meta])* $family:ident($family_cmd:ty), )*
        }
    ) => {
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(tag = "type")]
        pub enum Command {
            $(
                $(#[$vmeta])*
                #[serde(rename = $wire)]
                $variant { $( $(#[$fmeta])* $field : $ty ),* },
            )*
            $(
                $(#[$fam_meta])*
                #[serde(untagged)]
                $family($family_cmd),
            )*
        }

        /// The core inputs' JSON Schema (the same variants as [`Command`]'s own).
        #[cfg(feature = "schema")]
        #[derive(schemars::JsonSchema)]
        #[serde(tag = "type", deny_unknown_fields)]
        #[allow(dead_code)]
        enum Core {
            $(
                $(#[$vmeta])*
                #[serde(rename = $wire)]
                $variant { $( $(#[$fmeta])* $field : $ty ),* },
            )*
        }

        super::registry::wire_payloads! {
            Command;
            $( $wire => $variant { $( $(#[$fmeta])* $field : $ty ),* } ),*
        }

        /// Every core input type.
        const CORE_TYPES: &[&str] = &[$($wire),*];

        impl Command {
            /// Decodes a journal row's `payload` as a `typ` input: a family's type by its family,
            /// anything else as a core input (an unknown type fails as "unknown variant").
            fn decode_text(typ: &str, payload: &str) -> serde_json::Result<Command> {
                $(
                    if <$family_cmd>::claims(typ) {
                        return <$family_cmd>::decode_text(typ, payload).map(Command::$family);
                    }
                )*
                Command::from_payload(typ, payload)
                    .unwrap_or_else(|| Err(super::registry::unknown_type(typ, CORE_TYPES)))
            }

            /// The same from a whole message (`type` included) as a JSON value.
            fn decode_value(typ: &str, v: Value) -> serde_json::Result<Command> {
                $(
                    if <$family_cmd>::claims(typ) {
                        return <$family_cmd>::decode_value(typ, v).map(Command::$family);
                    }
                )*
                Command::from_object(typ, super::registry::payload_of(v))
                    .unwrap_or_else(|| Err(super::registry::unknown_type(typ, CORE_TYPES)))
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for Command {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                "Command".into()
            }

            /// One `oneOf` of every input type: the core inputs, then each family's.
            fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let mut all = super::registry::one_of::<Core>(g);
                $( all.extend(<$family_cmd>::variant_schemas(g)); )*
                schemars::json_schema!({ "oneOf": all })
            }
        }
    };
}

command_enum! {
    core {
        /// First entry of every game: manifest and roster as the lobby sent them, the commitment
        /// to the secret seed, and the rules version the game plays by (absent: version 1; see
        /// [`crate::engine::RULES_VERSION`]).
        "SYSTEM.INIT" => Init {
            manifest: Value,
            roster: Value,
            #[serde(rename = "seedCommitment")]
            seed_commitment: Hash,
            #[serde(rename = "rulesVersion", default, skip_serializing_if = "Option::is_none")]
            rules_version: Option<u32>,
        },
        /// A DYNAMIC game's pregame join.
        "SYSTEM.PLAYER_JOINED" => PlayerJoined { player: Value },
        /// A player's first connection in the pregame (journaled by the room): reveals one of
        /// their Q&A answers, chosen from the game's seeded stream (docs/rules.md, "Pregame").
        "SYSTEM.PLAYER_CONNECTED" => PlayerConnected {
            #[serde(rename = "playerId")]
            player_id: String,
        },
        /// In the pregame, a player reveals one of their Q&A answers by hand (while none is).
        "PREGAME.REVEAL_ANSWER" => RevealAnswer {
            #[serde(rename = "qIndex")]
            q_index: u32,
        },
        /// Last entry of a finished game: the seed, so anyone can recheck every random draw.
        "SYSTEM.REVEAL_SEED" => RevealSeed { seed: Hash },
        /// A checkpoint of the journal up to entry `seq` (whose hash is `head`), journaled by the
        /// room at each day's end, after the seed reveal and on an operator's request; its signed
        /// form (docs/audit.md) goes to every socket. Changes nothing in the game: the engine
        /// checks `gameId`, `seq`, `day` and the seed field against its state, the room the head.
        "SYSTEM.CHECKPOINT" => Checkpoint {
            #[serde(rename = "gameId")]
            game_id: String,
            seq: u64,
            head: Hash,
            day: u32,
            /// Before the seed is revealed: the commitment of SYSTEM.INIT.
            #[serde(rename = "seedCommitment", default, skip_serializing_if = "Option::is_none")]
            seed_commitment: Option<Hash>,
            /// After the reveal: the seed itself.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            seed: Option<Hash>,
            /// The engine version that wrote the journal so far (the room's).
            engine: String,
        },
        /// A scheduled task firing, keyed by `(taskId, dueMs)`.
        "ALARM.FIRE" => Fire {
            #[serde(rename = "taskId")]
            task_id: String,
            #[serde(rename = "dueMs")]
            due_ms: i64,
        },
        /// The operator moves the game on: pregame or night to the next day, day to night (the
        /// day's end), game summary to game over.
        "ADMIN.NEXT_STAGE" => NextStage {},
        /// The operator runs one timeline action now (START_DAY in pregame or at night, any other
        /// during the day).
        "ADMIN.INJECT_TIMELINE_EVENT" => InjectTimelineEvent { action: Action },
        /// The operator eliminates an alive player (day or night); `reason` is only recorded.
        "ADMIN.ELIMINATE_PLAYER" => EliminatePlayer {
            #[serde(rename = "playerId")]
            player_id: String,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            reason: Option<String>,
        },
        /// The Game Master speaks: to MAIN, or privately to `targetId` (any phase but game over).
        "ADMIN.SEND_GAME_MASTER_MSG" => SendGameMasterMsg {
            content: String,
            #[serde(rename = "targetId", default, skip_serializing_if = "Option::is_none")]
            target_id: Option<String>,
        },
        /// Switches push triggers on or off (a patch: triggers not named keep their setting).
        "ADMIN.UPDATE_PUSH_CONFIG" => UpdatePushConfig {
            #[serde(rename = "pushConfig")]
            push_config: BTreeMap<String, bool>,
        },
        /// The operator drops every pending task (the prototype console's flush): the timeline
        /// stops moving by itself; NEXT_STAGE and INJECT_TIMELINE_EVENT still move the game.
        "ADMIN.FLUSH_TASKS" => FlushTasks {},
        /// The operator credits (or, negative, debits) silver: player id to amount.
        "ADMIN.CREDIT_SILVER" => CreditSilver { rewards: BTreeMap<String, i64> },
        /// The operator ends a game that will not finish (pregame, day or night): it is over
        /// without a winner, and the seed is revealed as after any end; `reason` is only
        /// recorded.
        "ADMIN.ABANDON_GAME" => AbandonGame {
            #[serde(default, skip_serializing_if = "Option::is_none")]
            reason: Option<String>,
        },
        /// A chat message: to MAIN (no address, or `channelId: "MAIN"`), into an existing DM or
        /// group DM (`channelId`), or opening a conversation (`recipientIds`, or legacy
        /// `targetId`).
        "SOCIAL.SEND_MSG" => SendMsg {
            content: String,
            #[serde(rename = "channelId", default, skip_serializing_if = "Option::is_none")]
            channel_id: Option<String>,
            #[serde(
                rename = "recipientIds",
                default,
                skip_serializing_if = "Option::is_none"
            )]
            recipient_ids: Option<Vec<String>>,
            #[serde(rename = "targetId", default, skip_serializing_if = "Option::is_none")]
            target_id: Option<String>,
            /// The id of the message this one answers: a message of the same channel (MAIN or
            /// the conversation) that the sender can read.
            #[serde(rename = "replyTo", default, skip_serializing_if = "Option::is_none")]
            reply_to: Option<u64>,
            /// Players this message names: known, alive, each once.
            #[serde(
                rename = "mentionedIds",
                default,
                skip_serializing_if = "Option::is_none"
            )]
            mentioned_ids: Option<Vec<String>>,
        },
        /// Opens a group DM with at least two other players, without a message.
        "SOCIAL.CREATE_CHANNEL" => CreateChannel {
            #[serde(rename = "memberIds")]
            member_ids: Vec<String>,
        },
        /// The creator adds players to a DM or group DM (a DM of more than two becomes a group
        /// DM).
        "SOCIAL.ADD_MEMBER" => AddMember {
            #[serde(rename = "channelId")]
            channel_id: String,
            #[serde(rename = "memberIds")]
            member_ids: Vec<String>,
        },
        /// Invite mode: join a conversation one was invited to.
        "SOCIAL.ACCEPT_DM" => AcceptDm {
            #[serde(rename = "channelId")]
            channel_id: String,
        },
        /// Invite mode: refuse an invitation.
        "SOCIAL.DECLINE_DM" => DeclineDm {
            #[serde(rename = "channelId")]
            channel_id: String,
        },
        /// Toggles one reaction on a message the player can see. `channelId` says which channel's
        /// message `messageId` is (absent = MAIN, whispers included): ids are per channel from
        /// rules version 2 (docs/protocol.md).
        "SOCIAL.REACT" => React {
            #[serde(rename = "messageId")]
            message_id: u64,
            #[serde(rename = "channelId", default, skip_serializing_if = "Option::is_none")]
            channel_id: Option<String>,
            emoji: String,
        },
        "SOCIAL.NUDGE" => Nudge {
            #[serde(rename = "targetId")]
            target_id: String,
        },
        /// A message in MAIN whose text only the sender and the target can read.
        "SOCIAL.WHISPER" => Whisper {
            #[serde(rename = "targetId")]
            target_id: String,
            text: String,
        },
        "SOCIAL.USE_PERK" => UsePerk {
            #[serde(rename = "perkType")]
            perk_type: PerkType,
            #[serde(rename = "targetId", default, skip_serializing_if = "Option::is_none")]
            target_id: Option<String>,
        },
        "SOCIAL.SEND_SILVER" => SendSilver {
            #[serde(rename = "targetId")]
            target_id: String,
            amount: u64,
        },
        /// A post in the evening confession channel (shown under the author's secret handle).
        "CONFESSION.POST" => ConfessionPost {
            #[serde(rename = "channelId")]
            channel_id: String,
            text: String,
        },
    }
    families {
        /// `DESTINY.*`: a destiny's command (docs/destinies.md).
        Destiny(DestinyCommand),
        /// `VOTE.<MECHANISM>.<VERB>`: today's vote (docs/voting.md).
        Vote(VoteCommand),
        /// `ACTIVITY.*`: today's prompt (docs/content.md).
        Prompt(PromptCommand),
        /// `DILEMMA.<TYPE>.SUBMIT`: today's dilemma (docs/content.md).
        Dilemma(DilemmaCommand),
        /// `GAME.*`: today's game (docs/games.md).
        Game(GameCommand),
    }
}

impl<'de> Deserialize<'de> for Command {
    /// A message as a whole object (a client frame): decoded by its `type` like a journal row,
    /// with the same errors (an unknown type is an "unknown variant").
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Command, D::Error> {
        let map = serde_json::Map::<String, Value>::deserialize(d)?;
        let typ = map
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        Command::decode_value(&typ, Value::Object(map)).map_err(serde::de::Error::custom)
    }
}

/// Declared by the perk registry (`engine::perks`).
pub use super::perks::PerkType;

impl Command {
    /// The entry kind allowed to carry this command.
    pub fn required_kind(&self) -> EntryKind {
        match self {
            Command::Init { .. }
            | Command::PlayerJoined { .. }
            | Command::PlayerConnected { .. }
            | Command::RevealSeed { .. }
            | Command::Checkpoint { .. } => EntryKind::System,
            Command::Fire { .. } => EntryKind::Alarm,
            Command::NextStage {}
            | Command::InjectTimelineEvent { .. }
            | Command::EliminatePlayer { .. }
            | Command::CreditSilver { .. }
            | Command::SendGameMasterMsg { .. }
            | Command::UpdatePushConfig { .. }
            | Command::FlushTasks { .. }
            | Command::AbandonGame { .. } => EntryKind::Admin,
            Command::SendMsg { .. }
            | Command::CreateChannel { .. }
            | Command::AddMember { .. }
            | Command::AcceptDm { .. }
            | Command::DeclineDm { .. }
            | Command::React { .. }
            | Command::Nudge { .. }
            | Command::Whisper { .. }
            | Command::UsePerk { .. }
            | Command::SendSilver { .. }
            | Command::ConfessionPost { .. }
            | Command::RevealAnswer { .. }
            | Command::Destiny(_)
            | Command::Vote(_)
            | Command::Prompt(_)
            | Command::Dilemma(_)
            | Command::Game(_) => EntryKind::Action,
        }
    }

    /// Splits into the journal's `type` and canonical `payload` text.
    ///
    /// Canonical = serde_json's compact output of a `Value` (object keys sorted, no spaces).
    pub fn to_type_and_payload(&self) -> (String, String) {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        let typ = match v.as_object_mut().and_then(|o| o.remove("type")) {
            Some(Value::String(s)) => s,
            _ => String::new(),
        };
        (typ, v.to_string())
    }

    /// Rebuilds a command from a journal row's `type` and `payload`.
    pub fn from_type_and_payload(typ: &str, payload: &str) -> Result<Command, serde_json::Error> {
        // The type picks the decoder and the payload text is decoded once, straight into the
        // command's fields: replay decodes every entry (no `Value`, no tagged-enum buffering).
        if !payload.trim_start().starts_with('{') {
            return Err(serde::de::Error::custom("payload must be a JSON object"));
        }
        Command::decode_text(typ, payload)
    }
}

/// One input as the engine sees it: the command plus the header the room stamped on it.
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    pub seq: u64,
    pub at_ms: i64,
    pub kind: EntryKind,
    /// Player id for actions; `SYSTEM`, `ADMIN` or `ALARM` otherwise.
    pub actor: &'a str,
    pub command: &'a Command,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_and_payload_round_trip() {
        let c = Command::SendSilver {
            target_id: "p2".into(),
            amount: 5,
        };
        let (t, p) = c.to_type_and_payload();
        assert_eq!(t, "SOCIAL.SEND_SILVER");
        assert_eq!(p, r#"{"amount":5,"targetId":"p2"}"#);
        assert_eq!(Command::from_type_and_payload(&t, &p).unwrap(), c);
    }

    #[test]
    fn strict_decoding() {
        let bad = [
            r#"{"type":"SOCIAL.SEND_SILVER","targetId":"p2","amount":1.5}"#,
            r#"{"type":"SOCIAL.SEND_SILVER","targetId":"p2","amount":-1}"#,
            r#"{"type":"SOCIAL.SEND_SILVER","targetId":"p2","amount":1,"extra":1}"#,
            r#"{"type":"SOCIAL.SEND_SILVER","amount":1}"#,
            r#"{"type":"SOCIAL.NOPE"}"#,
            r#"{"type":"VOTE.MAJORITY.CAST","targetId":"p2","extra":1}"#,
            r#"{"type":"VOTE.MAJORITY.NOPE","targetId":"p2"}"#,
        ];
        for b in bad {
            assert!(serde_json::from_str::<Command>(b).is_err(), "{b}");
        }
    }

    /// An unknown type is an "unknown variant" (UNKNOWN_TYPE at the edge), a known type with bad
    /// fields is not (INVALID_FIELDS), in every family and the core.
    #[test]
    fn unknown_types_and_bad_fields_fail_differently() {
        let unknown = |t: &str| {
            let e = Command::from_type_and_payload(t, "{}").unwrap_err();
            e.to_string().starts_with("unknown variant")
        };
        for t in [
            "SOCIAL.NOPE",
            "VOTE.COIN.FLIP",
            "VOTE.MAJORITY.NOPE",
            "NOPE",
        ] {
            assert!(unknown(t), "{t}");
        }
        for t in [
            "SOCIAL.SEND_SILVER",
            "VOTE.MAJORITY.CAST",
            "VOTE.DUELS.DUEL",
        ] {
            assert!(!unknown(t), "{t}");
        }
    }
}
