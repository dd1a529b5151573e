//! The pregame (docs/rules.md, "Pregame"): before day 1, MAIN chat is open to every player (free),
//! with reactions, whispers (no DM window needed) and nudges (no throttle), from rules version 3.
//! Each player's first connection reveals one of their lobby Q&A answers, chosen from the game's
//! seeded stream (journaled as `SYSTEM.PLAYER_CONNECTED`, so replay draws the same); a player may
//! instead reveal one by hand (`PREGAME.REVEAL_ANSWER`) while none is revealed. Day 1 clears the
//! pregame's chat, reactions and nudges (`day::start_day`); revealed answers stay public.

use super::error::Rejection;
use super::fact::Fact;
use super::rng::Rng;
use super::state::{Ctx, GameState, Phase};
use serde::{Deserialize, Serialize};

/// The first rules version with pregame chat, whispers, nudges and reactions.
pub const PREGAME_RULES: u32 = 3;

/// One revealed answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revealed {
    pub player_id: String,
    pub q_index: u32,
}

/// Who has connected in pregame and which answers are revealed (absent from the snapshot while
/// empty, so games without a pregame encode as before).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PregameState {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connected: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revealed: Vec<Revealed>,
}

impl PregameState {
    pub fn is_default(&self) -> bool {
        self.connected.is_empty() && self.revealed.is_empty()
    }

    pub fn has_connected(&self, player: &str) -> bool {
        self.connected.iter().any(|p| p == player)
    }

    pub fn revealed_by(&self, player: &str) -> Option<u32> {
        self.revealed
            .iter()
            .find(|r| r.player_id == player)
            .map(|r| r.q_index)
    }
}

/// Whether pregame social actions are open: the pregame of a game of rules version 3 or later.
pub(crate) fn social_open(st: &GameState) -> bool {
    st.phase == Phase::PreGame && st.rules_version >= PREGAME_RULES
}

/// Whether the room should journal `SYSTEM.PLAYER_CONNECTED` for `player` now: their first
/// connection in the pregame, while they have an answer to reveal and none is revealed (any other
/// connection journals nothing).
pub fn wants_connect(st: &GameState, player: &str) -> bool {
    st.phase == Phase::PreGame
        && st.player(player).is_some_and(|p| !p.qa_answers.is_empty())
        && !st.pregame.has_connected(player)
        && st.pregame.revealed_by(player).is_none()
}

/// `SYSTEM.PLAYER_CONNECTED {playerId}`: a player's first connection in pregame; reveals one of
/// their answers (seeded) unless one is revealed already.
pub(crate) fn connected(
    st: &mut GameState,
    player: &str,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    st.require_phase(&[Phase::PreGame])?;
    let p = st
        .player(player)
        .ok_or_else(|| Rejection::UnknownPlayer(player.to_string()))?;
    if st.pregame.has_connected(player) {
        return Err(Rejection::AlreadyConnected(player.to_string()));
    }
    let count = p.qa_answers.len();
    let pick = if count > 0 && st.pregame.revealed_by(player).is_none() {
        let seed = ctx.seed.ok_or(Rejection::SeedUnknown)?;
        let label = format!("pregame-reveal:{}:{player}", st.game_id);
        Some(Rng::for_entry(seed, ctx.seq, &label).below(count as u64) as u32)
    } else {
        None
    };
    st.pregame.connected.push(player.to_string());
    ctx.facts.push(Fact::PregameConnected {
        player_id: player.to_string(),
        qa_count: count as u32,
    });
    if let Some(i) = pick {
        reveal(st, player, i, true, ctx);
    }
    Ok(())
}

/// `PREGAME.REVEAL_ANSWER {qIndex}`: a player reveals one of their answers by hand, if none is.
pub(crate) fn reveal_answer(
    st: &mut GameState,
    actor: &str,
    q_index: u32,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    st.require_phase(&[Phase::PreGame])?;
    let p = st
        .player(actor)
        .ok_or_else(|| Rejection::UnknownPlayer(actor.to_string()))?;
    if q_index as usize >= p.qa_answers.len() {
        return Err(Rejection::UnknownQuestion(q_index));
    }
    if st.pregame.revealed_by(actor).is_some() {
        return Err(Rejection::AlreadyRevealed);
    }
    reveal(st, actor, q_index, false, ctx);
    Ok(())
}

fn reveal(st: &mut GameState, player: &str, q_index: u32, auto: bool, ctx: &mut Ctx<'_>) {
    let Some(qa) = st
        .player(player)
        .and_then(|p| p.qa_answers.get(q_index as usize))
        .cloned()
    else {
        return;
    };
    st.pregame.revealed.push(Revealed {
        player_id: player.to_string(),
        q_index,
    });
    ctx.facts.push(Fact::QaRevealed {
        player_id: player.to_string(),
        q_index,
        question: qa.question,
        answer: qa.answer,
        auto,
    });
}

/// A revealed answer as everyone sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevealedView {
    pub player_id: String,
    pub q_index: u32,
    pub question: String,
    pub answer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narrator_intro: Option<String>,
}

/// Every revealed answer, in reveal order (public).
pub(crate) fn project(st: &GameState) -> Vec<RevealedView> {
    st.pregame
        .revealed
        .iter()
        .filter_map(|r| {
            let qa = st
                .player(&r.player_id)?
                .qa_answers
                .get(r.q_index as usize)?;
            Some(RevealedView {
                player_id: r.player_id.clone(),
                q_index: r.q_index,
                question: qa.question.clone(),
                answer: qa.answer.clone(),
                narrator_intro: qa.narrator_intro.clone(),
            })
        })
        .collect()
}
