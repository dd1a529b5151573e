//! Inactivity (DYNAMIC games with `ruleset.inactivity.enabled`; docs/content.md §5, the prototype's bug fixed).
//!
//! - A player is **active** on a day if the journal has at least one accepted ACTION entry by them
//!   during that day (any action: chat, DM, reaction, vote, answer, submission, transfer, …).
//! - At END_DAY, after the vote's elimination: every alive player who was at the threshold this
//!   morning (`thresholdDays` consecutive inactive days before today) **and** was inactive again
//!   today is eliminated (mechanism INACTIVITY, `eliminatedOnDay` = today), in roster order,
//!   stopping while only two players are alive. Then the counters move on: active players go back
//!   to 0, the others count one more day. The counters are a fact (`INACTIVITY_CHECKED`).
//! - NUDGE_THEN_ELIMINATE also warns, each morning, every alive player at the threshold (they
//!   will be eliminated tonight unless they act today): an `INACTIVITY_WARNING` fact.
//! - Each player sees their own counter in their projection.

use super::command::Input;
use super::fact::Fact;
use super::manifest::{InactivityAction, InactivityRules, Kind, Mode};
use super::state::{Ctx, GameState, Phase};
use crate::journal::EntryKind;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InactivityState {
    /// Players with an accepted action today, sorted.
    pub active_today: Vec<String>,
    /// Consecutive inactive days before today, per alive player (roster order; absent = 0).
    pub streaks: Vec<(String, u32)>,
}

impl InactivityState {
    pub fn is_default(&self) -> bool {
        *self == InactivityState::default()
    }

    pub fn streak(&self, id: &str) -> u32 {
        self.streaks
            .iter()
            .find(|(p, _)| p == id)
            .map_or(0, |(_, n)| *n)
    }
}

/// The game's inactivity rules, when enabled.
pub fn rules(st: &GameState) -> Option<InactivityRules> {
    let m = &st.manifest;
    if m.mode != Mode::PeckingOrder || m.kind != Kind::Dynamic {
        return None;
    }
    m.dynamic
        .as_ref()
        .map(|d| d.content.inactivity)
        .filter(|r| r.enabled)
}

/// After every accepted entry: an action by a player during the day marks them active.
pub(crate) fn after_action(st: &mut GameState, input: &Input<'_>) {
    if input.kind != EntryKind::Action || st.phase != Phase::Day || rules(st).is_none() {
        return;
    }
    let a = &mut st.inactivity.active_today;
    if let Err(i) = a.binary_search_by(|p| p.as_str().cmp(input.actor)) {
        a.insert(i, input.actor.to_string());
    }
}

/// Morning: a fresh day of activity; warnings under NUDGE_THEN_ELIMINATE.
pub(crate) fn start_day(st: &mut GameState, ctx: &mut Ctx<'_>) {
    let Some(r) = rules(st) else { return };
    st.inactivity.active_today.clear();
    if r.action == InactivityAction::NudgeThenEliminate {
        for p in st.players.iter().filter(|p| p.alive) {
            let n = st.inactivity.streak(&p.id);
            if n >= r.threshold_days {
                ctx.facts.push(Fact::InactivityWarning {
                    player_id: p.id.clone(),
                    inactive_days: n,
                });
            }
        }
    }
}

/// END_DAY, after the vote's elimination.
pub(crate) fn end_day(st: &mut GameState, ctx: &mut Ctx<'_>) {
    let Some(r) = rules(st) else { return };
    let day = st.day;
    let doomed: Vec<String> = st
        .players
        .iter()
        .filter(|p| p.alive)
        .filter(|p| {
            st.inactivity.streak(&p.id) >= r.threshold_days
                && st.inactivity.active_today.binary_search(&p.id).is_err()
        })
        .map(|p| p.id.clone())
        .collect();
    for id in doomed {
        if st.alive_count() <= 2 {
            break;
        }
        super::day::eliminate(st, &id, "INACTIVITY", ctx);
    }
    let streaks: Vec<(String, u32)> = st
        .players
        .iter()
        .filter(|p| p.alive)
        .map(|p| {
            let active = st.inactivity.active_today.binary_search(&p.id).is_ok();
            let n = if active {
                0
            } else {
                st.inactivity.streak(&p.id).saturating_add(1)
            };
            (p.id.clone(), n)
        })
        .collect();
    ctx.facts.push(Fact::InactivityChecked {
        day,
        streaks: streaks.clone(),
    });
    st.inactivity.streaks = streaks;
    st.inactivity.active_today.clear();
}

/// The viewer's own inactivity counter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InactivityView {
    pub consecutive_inactive_days: u32,
    pub threshold_days: u32,
    pub action: InactivityAction,
    pub active_today: bool,
    pub at_risk: bool,
}

/// `inactivity` of a projection: the viewer's own counter (`None` when disabled or public).
pub(crate) fn project(st: &GameState, viewer: Option<&str>) -> Option<InactivityView> {
    let (Some(r), Some(me)) = (rules(st), viewer.and_then(|v| st.player(v))) else {
        return None;
    };
    let n = st.inactivity.streak(&me.id);
    let active = st.inactivity.active_today.binary_search(&me.id).is_ok();
    Some(InactivityView {
        consecutive_inactive_days: n,
        threshold_days: r.threshold_days,
        action: r.action,
        active_today: active,
        at_risk: me.alive && n >= r.threshold_days && !active,
    })
}
