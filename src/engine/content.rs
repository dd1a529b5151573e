//! Prompts, dilemmas, confessions, inactivity: where the day loop and the dispatcher meet them.
//! The rules live in [`super::prompts`], [`super::dilemmas`], [`super::confession`] and
//! [`super::inactivity`]; this module only routes, and holds the helpers they share.

use super::error::Rejection;
use super::state::{Ctx, GameState};
use super::timeline::Action;
use super::{confession, dilemmas, inactivity, prompts};
use serde::Serialize;

/// Morning: today's plan for each of them (read from the manifest) and yesterday's results gone.
pub(crate) fn start_day(st: &mut GameState, day: u32, ctx: &mut Ctx<'_>) {
    prompts::start_day(st, day);
    dilemmas::start_day(st, day);
    confession::start_day(st, day);
    inactivity::start_day(st, ctx);
}

/// START/END_ACTIVITY, START/END_DILEMMA, START/END_CONFESSION_CHAT (day phase only).
pub(crate) fn run_action(
    st: &mut GameState,
    action: Action,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    match action {
        Action::StartActivity => prompts::start(st, ctx),
        Action::EndActivity => prompts::end(st, ctx),
        Action::StartDilemma => dilemmas::start(st, ctx),
        Action::EndDilemma => dilemmas::end(st, ctx),
        Action::StartConfessionChat => confession::start(st, ctx),
        Action::EndConfessionChat => {
            confession::end(st, ctx);
            Ok(())
        }
        // Not content: the day loop runs these itself (`day::run_action`).
        Action::StartDay
        | Action::OpenGroupChat
        | Action::CloseGroupChat
        | Action::OpenDms
        | Action::CloseDms
        | Action::StartGame
        | Action::EndGame
        | Action::OpenVoting
        | Action::CloseVoting
        | Action::Eliminate
        | Action::EndDay
        | Action::GameTimer => Err(Rejection::Unsupported(action.as_str().into())),
    }
}

/// END_DAY, before anything changes: closing what is still open may need the seed.
pub(crate) fn check_end_day(st: &GameState, ctx: &Ctx<'_>) -> Result<(), Rejection> {
    if ctx.seed.is_none() && (prompts::end_needs_seed(st) || dilemmas::reveal_needs_seed(st)) {
        return Err(Rejection::SeedUnknown);
    }
    Ok(())
}

/// END_DAY, before the vote's elimination: whatever is still open ends with what it has (results
/// are computed, never lost), and the confession phase closes.
pub(crate) fn close_for_end_day(st: &mut GameState, ctx: &mut Ctx<'_>) {
    prompts::force_end(st, ctx);
    dilemmas::force_end(st, ctx);
    confession::force_end(st, ctx);
}

/// END_DAY, after the vote's elimination: PREDICTION is settled against it, then inactivity.
pub(crate) fn after_vote(st: &mut GameState, ctx: &mut Ctx<'_>) {
    prompts::after_vote(st, ctx);
    inactivity::end_day(st, ctx);
}

/// Projection keys: `activity`, `dilemma`, `confession`, `inactivity` (each null when there is
/// none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContentView {
    pub activity: Option<prompts::view::ActivityView>,
    pub dilemma: Option<dilemmas::DilemmaView>,
    pub confession: Option<confession::ConfessionView>,
    pub inactivity: Option<inactivity::InactivityView>,
}

pub(crate) fn project(st: &GameState, viewer: Option<&str>) -> ContentView {
    ContentView {
        activity: prompts::project(st, viewer),
        dilemma: dilemmas::project(st, viewer),
        confession: confession::project(st, viewer),
        inactivity: inactivity::project(st, viewer),
    }
}

/// START_ACTIVITY and START_DILEMMA: today's plan when today's `what` can start; otherwise (it
/// already started, or there is none today) a NoEffect fact says why and there is nothing to do.
pub(crate) fn plan_to_start<T: Clone>(
    ctx: &mut Ctx<'_>,
    action: Action,
    what: &str,
    started: bool,
    today: Option<&T>,
) -> Option<T> {
    if started {
        ctx.no_effect(action, format!("today's {what} already started"));
        return None;
    }
    if today.is_none() {
        ctx.no_effect(action, format!("no {what} today"));
    }
    today.cloned()
}

/// END_ACTIVITY and END_DILEMMA: whether today's `what` is open (`finished` is `None` before it
/// started); otherwise a NoEffect fact says why, with `over` wording how it finished.
pub(crate) fn is_open(
    ctx: &mut Ctx<'_>,
    action: Action,
    what: &str,
    finished: Option<bool>,
    over: &str,
) -> bool {
    match finished {
        Some(false) => true,
        Some(true) => {
            ctx.no_effect(action, format!("today's {what} is already {over}"));
            false
        }
        None => {
            ctx.no_effect(action, format!("no {what} is open"));
            false
        }
    }
}

/// Players of `eligible` still alive who are not `done`: whom a prompt or a dilemma waits for.
pub(crate) fn waiting_for(
    st: &GameState,
    eligible: &[String],
    done: impl Fn(&str) -> bool,
) -> Vec<String> {
    eligible
        .iter()
        .filter(|p| st.is_alive(p) && !done(p))
        .cloned()
        .collect()
}
