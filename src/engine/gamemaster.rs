//! The Game Master's messages (`ADMIN.SEND_GAME_MASTER_MSG {content, targetId?}`, the
//! prototype's operator console; docs/protocol.md): to MAIN as `GAME_MASTER`, or privately to one
//! player, in their Game Master channel (visible to them only, kept all game).

use super::error::Rejection;
use super::fact::Fact;
use super::social::{clean_text, push_main};
use super::state::{Ctx, GameState, Phase};
use serde::{Deserialize, Serialize};

/// The sender name of the Game Master's messages.
pub const GAME_MASTER: &str = "GAME_MASTER";
/// Private Game Master messages kept (oldest dropped first), to bound the snapshot.
pub const MAX_GM_MESSAGES: usize = 200;

/// A private message from the Game Master to one player.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GmMessage {
    pub to: String,
    pub content: String,
    pub day: u32,
    pub at_ms: i64,
}

/// What the viewer's Game Master channel holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GmMessageView {
    pub content: String,
    pub day: u32,
    pub at_ms: i64,
}

pub(crate) fn send(
    st: &mut GameState,
    content: &str,
    target: Option<&str>,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    if st.phase == Phase::GameOver {
        return Err(Rejection::GameOver);
    }
    let text = clean_text(content)?.to_string();
    match target {
        None => {
            let id = push_main(st, GAME_MASTER, &text, None, ctx.at_ms);
            ctx.facts.push(Fact::ChatMessage {
                id,
                channel_id: "MAIN".into(),
                from: GAME_MASTER.into(),
                content: text,
                reply_to: None,
                mentioned_ids: Vec::new(),
            });
        }
        Some(t) => {
            st.player(t)
                .ok_or_else(|| Rejection::UnknownPlayer(t.to_string()))?;
            if st.gm_messages.len() >= MAX_GM_MESSAGES {
                st.gm_messages.remove(0);
            }
            st.gm_messages.push(GmMessage {
                to: t.to_string(),
                content: text.clone(),
                day: st.day,
                at_ms: ctx.at_ms,
            });
            ctx.facts.push(Fact::GameMasterMessage {
                player_id: t.to_string(),
                content: text,
            });
        }
    }
    Ok(())
}

/// The viewer's private Game Master messages, oldest first.
pub(crate) fn project(st: &GameState, viewer: Option<&str>) -> Vec<GmMessageView> {
    let Some(v) = viewer else { return Vec::new() };
    st.gm_messages
        .iter()
        .filter(|m| m.to == v)
        .map(|m| GmMessageView {
            content: m.content.clone(),
            day: m.day,
            at_ms: m.at_ms,
        })
        .collect()
}
