//! Small signals between players: reactions, nudges and whispers.

use super::{clean_text, push_main, require_dm_sender, Nudge, Reaction, MAIN, REACTION_EMOJIS};
use crate::engine::error::Rejection;
use crate::engine::fact::Fact;
use crate::engine::roster::Player;
use crate::engine::state::{Ctx, GameState, Phase};

/// An alive player during the day, or any player in the pregame of a rules-3 game.
fn in_day_or_pregame<'a>(st: &'a GameState, actor: &str) -> Result<&'a Player, Rejection> {
    if crate::engine::pregame::social_open(st) {
        st.alive_player(actor)
    } else {
        st.alive_in_day(actor)
    }
}

/// Whether `viewer` can see message `id`: a MAIN message, a whisper they sent or received, or a
/// message in a conversation they read. `channel` is `None` in version-1 games (ids unique across
/// channels), else `MAIN` or a conversation's id (ids per channel; docs/security.md).
pub(crate) fn can_see_message(
    st: &GameState,
    viewer: &str,
    channel: Option<&str>,
    id: u64,
) -> bool {
    if channel.is_none_or(|c| c == MAIN) {
        if let Some(m) = st.chat.iter().find(|m| m.id == id) {
            return match &m.whisper_to {
                Some(to) => m.from == viewer || to == viewer,
                None => true,
            };
        }
    }
    st.social.channels.iter().any(|c| {
        channel.is_none_or(|ch| ch == c.id)
            && c.can_read(viewer)
            && c.messages.iter().any(|m| m.id == id)
    })
}

/// `SOCIAL.REACT {messageId, channelId?, emoji}`: toggles the player's `emoji` on a message they
/// can see. Rules version 2 numbers messages per channel, so `channelId` (absent = `MAIN`) says
/// whose id it is; version 1 ignores it (ids unique across channels).
pub(crate) fn react(
    st: &mut GameState,
    actor: &str,
    message_id: u64,
    channel_id: Option<&str>,
    emoji: &str,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    in_day_or_pregame(st, actor)?;
    if !REACTION_EMOJIS.contains(&emoji) {
        return Err(Rejection::InvalidEmoji);
    }
    let channel = (st.rules_version >= 2).then(|| channel_id.unwrap_or(MAIN));
    if !can_see_message(st, actor, channel, message_id) {
        return Err(Rejection::UnknownMessage(message_id));
    }
    let channel_id = channel.map(str::to_string);
    let r = &mut st.social.reactions;
    let existing = r.iter().position(|x| {
        x.message_id == message_id
            && x.channel_id == channel_id
            && x.player == actor
            && x.emoji == emoji
    });
    let on = match existing {
        Some(i) => {
            r.remove(i);
            false
        }
        None => {
            r.push(Reaction {
                message_id,
                channel_id: channel_id.clone(),
                player: actor.to_string(),
                emoji: emoji.to_string(),
            });
            true
        }
    };
    ctx.facts.push(Fact::Reaction {
        message_id,
        channel_id,
        player_id: actor.to_string(),
        emoji: emoji.to_string(),
        on,
    });
    Ok(())
}

/// `SOCIAL.NUDGE {targetId}`: once per sender and target per day, unless the day disables the
/// throttle. Free, and not gated by the DM window.
pub(crate) fn nudge(
    st: &mut GameState,
    actor: &str,
    target: &str,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    in_day_or_pregame(st, actor)?;
    st.other_alive_target(actor, target)?;
    // No throttle in the pregame.
    let throttle = !st.social.params.disable_nudge_throttle && st.phase != Phase::PreGame;
    let existing = st
        .social
        .nudges
        .iter()
        .position(|n| n.from == actor && n.to == target);
    match existing {
        Some(_) if throttle => return Err(Rejection::NudgeThrottled),
        Some(i) => st.social.nudges[i].count = st.social.nudges[i].count.saturating_add(1),
        None => st.social.nudges.push(Nudge {
            from: actor.to_string(),
            to: target.to_string(),
            count: 1,
        }),
    }
    ctx.facts.push(Fact::Nudge {
        from: actor.to_string(),
        to: target.to_string(),
    });
    Ok(())
}

/// `SOCIAL.WHISPER {targetId, text}`: a line in MAIN whose text (and target) only the two players
/// see; others see that the sender whispered. Free; needs the DM window open.
pub(crate) fn whisper(
    st: &mut GameState,
    actor: &str,
    target: &str,
    text: &str,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    // The pregame needs no DM window (rules version 3).
    if crate::engine::pregame::social_open(st) {
        st.alive_player(actor)?;
    } else {
        require_dm_sender(st, actor)?;
    }
    st.other_alive_target(actor, target)?;
    let text = clean_text(text)?;
    let id = push_main(st, actor, text, Some(target), ctx.at_ms);
    ctx.facts.push(Fact::Whisper {
        message_id: id,
        from: actor.to_string(),
        to: target.to_string(),
    });
    Ok(())
}
