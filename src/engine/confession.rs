//! The confession phase (docs/content.md §4): an anonymous evening channel.
//!
//! - START_CONFESSION_CHAT opens it when confessions are enabled today (DYNAMIC:
//!   `ruleset.confessions.enabled`; STATIC: the day's `confessions: true`) and at least two players
//!   are alive. Its channel is `CONFESSION-d<day>`; its members are the players alive now; each
//!   gets a handle "Confessor #k" by a shuffle seeded with the game seed, the game id and the day.
//!   MAIN is closed for the phase.
//! - `CONFESSION.POST {channelId, text}`: a member still alive, 1–280 characters. The post is kept
//!   as `{handle, text}`; its author is never stored with it.
//! - The handle of each player is known to the server only: a projection shows everyone the posts
//!   (handle and text) and a member their **own** handle, never anyone else's.
//! - END_CONFESSION_CHAT (or END_DAY) closes it: channel and posts are deleted, and MAIN goes back
//!   to the state it was in before the phase (a group-chat action during the phase sets the state
//!   MAIN returns to).

use super::error::Rejection;
use super::fact::Fact;
use super::rng::Rng;
use super::state::{Ctx, GameState};
use super::timeline::Action;
use serde::{Deserialize, Serialize};

/// Posts kept per phase; the oldest are dropped first.
pub use crate::limits::CONFESSION_MAX_POSTS as MAX_POSTS;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub id: u32,
    pub handle: String,
    pub text: String,
    pub at_ms: i64,
}

/// An open confession phase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confessional {
    pub day: u32,
    pub channel_id: String,
    /// Alive at the opening, roster order.
    pub members: Vec<String>,
    /// player -> handle, roster order. SECRET: never projected except a player's own.
    pub handles: Vec<(String, String)>,
    pub posts: Vec<Post>,
    pub next_post_id: u32,
    /// Whether MAIN is open when the phase ends.
    pub restore_group_chat: bool,
}

impl Confessional {
    pub fn handle_of(&self, id: &str) -> Option<&str> {
        self.handles
            .iter()
            .find(|(p, _)| p == id)
            .map(|(_, h)| h.as_str())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfessionState {
    /// Whether the phase may open today.
    pub enabled_today: bool,
    pub current: Option<Confessional>,
}

impl ConfessionState {
    pub fn is_default(&self) -> bool {
        *self == ConfessionState::default()
    }
}

pub(crate) fn start_day(st: &mut GameState, day: u32) {
    st.confession.enabled_today = st.manifest.confessions_on(day);
    st.confession.current = None;
}

/// START_CONFESSION_CHAT.
pub(crate) fn start(st: &mut GameState, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    let why = if st.confession.current.is_some() {
        Some("the confession phase is already open")
    } else if !st.confession.enabled_today {
        Some("confessions are not enabled today")
    } else if st.alive_count() < 2 {
        Some("fewer than two players are alive")
    } else {
        None
    };
    if let Some(why) = why {
        ctx.no_effect(Action::StartConfessionChat, why);
        return Ok(());
    }
    let seed = ctx.seed.ok_or(Rejection::SeedUnknown)?;
    let members = st.alive_ids();
    let mut order = members.clone();
    let label = format!("confession-handles:{}:{}", st.game_id, st.day);
    Rng::for_entry(seed, ctx.seq, &label).shuffle(&mut order);
    let handles: Vec<(String, String)> = members
        .iter()
        .map(|m| {
            let k = order.iter().position(|o| o == m).unwrap_or(0) + 1;
            (m.clone(), format!("Confessor #{k}"))
        })
        .collect();
    let channel_id = format!("CONFESSION-d{}", st.day);
    ctx.facts.push(Fact::ConfessionPhaseStarted {
        day: st.day,
        channel_id: channel_id.clone(),
        members: members.clone(),
    });
    let restore_group_chat = st.group_chat_open;
    super::day::set_gate(st, "GROUP_CHAT", false, ctx);
    st.confession.current = Some(Confessional {
        day: st.day,
        channel_id,
        members,
        handles,
        posts: Vec::new(),
        next_post_id: 1,
        restore_group_chat,
    });
    Ok(())
}

/// END_CONFESSION_CHAT.
pub(crate) fn end(st: &mut GameState, ctx: &mut Ctx<'_>) {
    if st.confession.current.is_none() {
        ctx.no_effect(Action::EndConfessionChat, "no confession phase is open");
        return;
    }
    force_end(st, ctx);
}

/// Closes the phase if open: posts deleted, MAIN restored.
pub(crate) fn force_end(st: &mut GameState, ctx: &mut Ctx<'_>) {
    let Some(c) = st.confession.current.take() else {
        return;
    };
    ctx.facts.push(Fact::ConfessionPhaseEnded {
        channel_id: c.channel_id,
        post_count: c.posts.len() as u32,
    });
    super::day::set_gate(st, "GROUP_CHAT", c.restore_group_chat, ctx);
}

/// OPEN/CLOSE_GROUP_CHAT during the phase: MAIN returns to this state when the phase ends.
pub(crate) fn on_group_chat_gate(st: &mut GameState, open: bool) {
    if let Some(c) = st.confession.current.as_mut() {
        c.restore_group_chat = open;
    }
}

/// `CONFESSION.POST {channelId, text}`.
pub(crate) fn post(
    st: &mut GameState,
    actor: &str,
    channel_id: &str,
    text: &str,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    st.alive_in_day(actor)?;
    let c = st
        .confession
        .current
        .as_ref()
        .ok_or(Rejection::ConfessionClosed)?;
    if c.channel_id != channel_id {
        return Err(Rejection::UnknownChannel(channel_id.to_string()));
    }
    let handle = c
        .handle_of(actor)
        .ok_or(Rejection::NotEligible)?
        .to_string();
    let text = super::social::clean_text(text)?.to_string();
    let at_ms = ctx.at_ms;
    let Some(c) = st.confession.current.as_mut() else {
        return Ok(());
    };
    let id = c.next_post_id;
    c.next_post_id = c.next_post_id.saturating_add(1);
    if c.posts.len() >= MAX_POSTS {
        c.posts.remove(0);
    }
    c.posts.push(Post {
        id,
        handle: handle.clone(),
        text,
        at_ms,
    });
    ctx.facts.push(Fact::ConfessionPosted {
        channel_id: channel_id.to_string(),
        post_id: id,
        handle,
    });
    Ok(())
}

/// One anonymous confession post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "ConfessionPostView"))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfessionPost {
    pub id: u32,
    pub handle: String,
    pub text: String,
    pub at_ms: i64,
}

/// The open confession phase: handles, never who is behind them (but the viewer's own).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfessionView {
    /// Always true: a phase is open (the view is null otherwise).
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::engine::social::view::True")
    )]
    pub active: bool,
    pub channel_id: String,
    pub day: u32,
    pub handle_count: usize,
    pub my_handle: Option<String>,
    pub posts: Vec<ConfessionPost>,
    /// When the phase is due to close (ms since the Unix epoch), if it is scheduled.
    pub closes_at: Option<i64>,
}

/// `confession` of a projection (`None`: no phase is open).
pub(crate) fn project(st: &GameState, viewer: Option<&str>) -> Option<ConfessionView> {
    let c = st.confession.current.as_ref()?;
    let posts = c
        .posts
        .iter()
        .map(|p| ConfessionPost {
            id: p.id,
            handle: p.handle.clone(),
            text: p.text.clone(),
            at_ms: p.at_ms,
        })
        .collect();
    // When the phase is due to close, if it is scheduled.
    let closes_at = st
        .tasks
        .iter()
        .find(|t| t.day == st.day && t.action == Action::EndConfessionChat)
        .map(|t| t.due_ms);
    Some(ConfessionView {
        active: true,
        channel_id: c.channel_id.clone(),
        day: c.day,
        handle_count: c.handles.len(),
        my_handle: viewer.and_then(|v| c.handle_of(v)).map(str::to_string),
        posts,
        closes_at,
    })
}
