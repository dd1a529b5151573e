//! The social layer: the group chat (MAIN). Direct messages arrive with the rules issue.

use super::error::Rejection;
use super::fact::Fact;
use super::state::{ChatMessage, Ctx, GameState, Phase, MAX_CHAT_LOG, MAX_MESSAGE_CHARS};

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

/// `SOCIAL.SEND_MSG` to MAIN: alive players while the group chat is open; anyone in the
/// post-game summary.
pub(crate) fn send_msg(
    st: &mut GameState,
    actor: &str,
    content: &str,
    channel_id: Option<&str>,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    if channel_id.is_some_and(|c| c != "MAIN") {
        return Err(Rejection::Unsupported("direct messages".into()));
    }
    let post_game = st.phase == Phase::GameSummary;
    if !post_game {
        st.require_phase(&[Phase::Day])?;
    }
    let sender = st
        .player(actor)
        .ok_or_else(|| Rejection::UnknownPlayer(actor.to_string()))?;
    if !post_game && !sender.alive {
        return Err(Rejection::PlayerEliminated(actor.to_string()));
    }
    if !post_game && !st.group_chat_open {
        return Err(Rejection::GroupChatClosed);
    }
    let text = clean_text(content)?;
    let id = st.next_msg_id;
    st.next_msg_id += 1;
    if st.chat.len() >= MAX_CHAT_LOG {
        st.chat.remove(0);
    }
    st.chat.push(ChatMessage {
        id,
        from: actor.to_string(),
        content: text.to_string(),
        at_ms: ctx.at_ms,
    });
    ctx.facts.push(Fact::ChatMessage {
        id,
        channel_id: "MAIN".into(),
        from: actor.to_string(),
        content: text.to_string(),
    });
    Ok(())
}
