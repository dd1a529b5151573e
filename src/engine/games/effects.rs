//! What a game's prize or shield does outside the game:
//!
//! - SHIELD: its holder cannot be voted out in tonight's vote (they are not a target). FINALS
//!   crowns rather than eliminates, so a shield has no effect there; and a shield never leaves a
//!   vote with nobody to eliminate (if every target is shielded, nobody is protected).
//! - CURSE_HALF_VOTE: its holder's vote tonight weighs half. Tallies of a ballot with a cursed
//!   voter are counted in half-votes (every other vote counts 2, the cursed vote 1).
//! - CURSE_NO_DM: tomorrow its holder can neither send nor receive DMs: no DM or group-DM message,
//!   no new conversation, no invitation accepted, no whisper, and nobody can open a conversation
//!   with them or add them to one (`DM_CURSED`).
//!
//! Effects are granted as facts ([`Fact::GameEffect`]) and kept until the day they apply is over.

use super::GameType;
use crate::engine::command::Command;
use crate::engine::error::Rejection;
use crate::engine::fact::Fact;
use crate::engine::manifest::VoteType;
use crate::engine::state::{Ctx, GameState};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum EffectKind {
    Shield,
    CurseNoDm,
    CurseHalfVote,
}

impl EffectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EffectKind::Shield => "SHIELD",
            EffectKind::CurseNoDm => "CURSE_NO_DM",
            EffectKind::CurseHalfVote => "CURSE_HALF_VOTE",
        }
    }
}

/// One granted effect. Public (game results are public).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Effect {
    pub kind: EffectKind,
    pub player_id: String,
    /// The day whose vote (SHIELD, CURSE_HALF_VOTE) or DMs (CURSE_NO_DM) it affects.
    pub day: u32,
    pub source: GameType,
}

fn has(st: &GameState, kind: EffectKind, player: &str) -> bool {
    st.games
        .effects
        .iter()
        .any(|e| e.kind == kind && e.day == st.day && e.player_id == player)
}

/// Grants `kind` to `player` (a fact). A game always ends before today's vote opens (START_GAME
/// is refused once it has, and OPEN_VOTING ends a running game first), so the vote reads the
/// effects when it opens.
pub(crate) fn grant(
    st: &mut GameState,
    kind: EffectKind,
    player: &str,
    source: GameType,
    ctx: &mut Ctx<'_>,
) {
    let day = match kind {
        EffectKind::CurseNoDm => st.day + 1,
        EffectKind::Shield | EffectKind::CurseHalfVote => st.day,
    };
    ctx.facts.push(Fact::GameEffect {
        effect: kind,
        player_id: player.to_string(),
        day,
        source,
    });
    st.games.effects.push(Effect {
        kind,
        player_id: player.to_string(),
        day,
        source,
    });
}

/// Tonight's targets of a `mechanism` vote without the SHIELD holders (see the module doc).
pub(crate) fn unshielded(st: &GameState, mechanism: VoteType, targets: Vec<String>) -> Vec<String> {
    if mechanism == VoteType::Finals {
        return targets;
    }
    let kept: Vec<String> = targets
        .iter()
        .filter(|t| !has(st, EffectKind::Shield, t))
        .cloned()
        .collect();
    if kept.is_empty() {
        targets
    } else {
        kept
    }
}

/// Players whose vote weighs half tonight, roster order.
pub(crate) fn half_voters(st: &GameState) -> Vec<String> {
    st.players
        .iter()
        .filter(|p| has(st, EffectKind::CurseHalfVote, &p.id))
        .map(|p| p.id.clone())
        .collect()
}

/// Refuses a DM-like command that involves a player under CURSE_NO_DM today.
pub(crate) fn check_dm_curse(st: &GameState, actor: &str, cmd: &Command) -> Result<(), Rejection> {
    if !st
        .games
        .effects
        .iter()
        .any(|e| e.kind == EffectKind::CurseNoDm && e.day == st.day)
    {
        return Ok(());
    }
    let cursed = |id: &str| has(st, EffectKind::CurseNoDm, id);
    let others: Vec<&str> = match cmd {
        Command::SendMsg {
            channel_id,
            recipient_ids,
            target_id,
            ..
        } => {
            let to_main = channel_id.as_deref().is_none_or(|c| c == "MAIN")
                && recipient_ids.is_none()
                && target_id.is_none();
            if to_main {
                return Ok(());
            }
            recipient_ids
                .iter()
                .flatten()
                .map(String::as_str)
                .chain(target_id.as_deref())
                .collect()
        }
        Command::CreateChannel { member_ids } | Command::AddMember { member_ids, .. } => {
            member_ids.iter().map(String::as_str).collect()
        }
        Command::AcceptDm { .. } => Vec::new(),
        Command::Whisper { target_id, .. } => vec![target_id.as_str()],
        // No DM is sent, opened or joined.
        Command::Init { .. }
        | Command::PlayerJoined { .. }
        | Command::PlayerConnected { .. }
        | Command::RevealAnswer { .. }
        | Command::RevealSeed { .. }
        | Command::Checkpoint { .. }
        | Command::Fire { .. }
        | Command::NextStage {}
        | Command::InjectTimelineEvent { .. }
        | Command::EliminatePlayer { .. }
        | Command::CreditSilver { .. }
        | Command::SendGameMasterMsg { .. }
        | Command::UpdatePushConfig { .. }
        | Command::AbandonGame { .. }
        | Command::FlushTasks { .. }
        | Command::DeclineDm { .. }
        | Command::React { .. }
        | Command::Nudge { .. }
        | Command::UsePerk { .. }
        | Command::SendSilver { .. }
        | Command::ConfessionPost { .. }
        | Command::Destiny(_)
        | Command::Vote(_)
        | Command::Prompt(_)
        | Command::Dilemma(_)
        | Command::Game(_) => return Ok(()),
    };
    if cursed(actor) {
        return Err(Rejection::DmCursed(actor.to_string()));
    }
    if let Some(o) = others.into_iter().find(|o| cursed(o)) {
        return Err(Rejection::DmCursed(o.to_string()));
    }
    Ok(())
}
