//! Dilemmas (prototype-facts §6.5): a secret group decision running alongside the day, opened by
//! START_DILEMMA and revealed when every eligible player has submitted, or at END_DILEMMA (or
//! END_DAY) with whatever was submitted.
//!
//! - Eligible = the players alive when it starts; one submission each
//!   (`DILEMMA.<TYPE>.SUBMIT`), no changes; an eliminated player can no longer submit.
//! - Decisions are secret until the reveal: a projection shows who has submitted, and each player
//!   their own decision.
//! - "No-shows" are eligible players still alive who did not submit. SILVER_GAMBIT and SPOTLIGHT
//!   tolerate **at most one** no-show; with more, they pay nothing.
//! - No participation silver. Results (with a summary line) are held until the next morning.
//!
//! Submodules: `silver_gambit`, `spotlight`, `gift_or_grief`.

mod gift_or_grief;
mod silver_gambit;
mod spotlight;

use super::command::Command;
use super::content::{is_open, plan_to_start, waiting_for};
use super::economy::require_silver;
use super::error::Rejection;
use super::fact::Fact;
use super::state::{Ctx, GameState};
use super::timeline::Action;
use serde::{Deserialize, Serialize};

/// SILVER_GAMBIT: what a donation costs.
pub const DONATION: u64 = 5;
/// SILVER_GAMBIT: the jackpot is this many times the silver donated.
pub const JACKPOT_MULTIPLIER: u64 = 3;
/// SPOTLIGHT: to the unanimous pick.
pub const SPOTLIGHT_REWARD: i64 = 20;
/// GIFT_OR_GRIEF: to the most nominated.
pub const GIFT: i64 = 10;
/// GIFT_OR_GRIEF: from the least nominated (at least one nomination), when not all are tied.
pub const GRIEF: i64 = 10;
/// No-shows SILVER_GAMBIT and SPOTLIGHT tolerate.
pub const MAX_NO_SHOWS: usize = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum DilemmaType {
    SilverGambit,
    Spotlight,
    GiftOrGrief,
}

impl DilemmaType {
    pub const ALL: [DilemmaType; 3] = [
        DilemmaType::SilverGambit,
        DilemmaType::Spotlight,
        DilemmaType::GiftOrGrief,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DilemmaType::SilverGambit => "SILVER_GAMBIT",
            DilemmaType::Spotlight => "SPOTLIGHT",
            DilemmaType::GiftOrGrief => "GIFT_OR_GRIEF",
        }
    }

    pub fn parse(s: &str) -> Option<DilemmaType> {
        Self::ALL.iter().copied().find(|t| t.as_str() == s)
    }

    /// The rules, as shown to players.
    pub fn rules_text(self) -> &'static str {
        match self {
            DilemmaType::SilverGambit => "Donate 5 silver or keep it. If everyone donates, one donor wins three times the pot. If anyone keeps, the donations are lost.",
            DilemmaType::Spotlight => "Name a player. If everyone names the same player, they win 20 silver.",
            DilemmaType::GiftOrGrief => "Nominate a player. The most nominated gain 10 silver; the least nominated (if named at all) lose 10.",
        }
    }
}

/// `DILEMMA.SILVER_GAMBIT.SUBMIT {action}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum GambitAction {
    Donate,
    Keep,
}

/// One player's secret decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Donate,
    Keep,
    Target(String),
}

impl Decision {
    pub fn as_text(&self) -> String {
        match self {
            Decision::Donate => "DONATE".into(),
            Decision::Keep => "KEEP".into(),
            Decision::Target(t) => t.clone(),
        }
    }
}

/// What a dilemma decided. Public from the reveal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "SCREAMING_SNAKE_CASE",
    rename_all_fields = "camelCase"
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum DilemmaOutcome {
    SilverGambit {
        donors: Vec<String>,
        keepers: Vec<String>,
        /// Silver actually taken from the donors.
        donated: u64,
        jackpot: u64,
        winner: Option<String>,
    },
    Spotlight {
        /// The player everyone named, when the pick was unanimous and the no-shows few enough.
        chosen: Option<String>,
    },
    GiftOrGrief {
        /// Nominations per nominated player, roster order.
        nominations: Vec<(String, u32)>,
        gifted: Vec<String>,
        grieved: Vec<String>,
    },
}

/// A revealed dilemma.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "DilemmaReveal"))]
pub struct Revealed {
    pub timed_out: bool,
    pub submitted: u32,
    pub eligible: u32,
    /// (player, decision) in submission order; a decision is DONATE, KEEP or a player id.
    pub decisions: Vec<(String, String)>,
    pub outcome: DilemmaOutcome,
    /// Net silver per player (roster order, zeros left out).
    pub rewards: Vec<(String, i64)>,
    /// One line for the ticker.
    pub summary: String,
}

/// Today's dilemma.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dilemma {
    pub day: u32,
    pub dilemma_type: DilemmaType,
    /// Alive when it started, roster order.
    pub eligible: Vec<String>,
    /// SECRET until the reveal.
    pub decisions: Vec<(String, Decision)>,
    pub result: Option<Revealed>,
}

impl Dilemma {
    pub fn decision_of(&self, id: &str) -> Option<&Decision> {
        self.decisions.iter().find(|(p, _)| p == id).map(|(_, d)| d)
    }

    /// Eligible players still alive who have not submitted.
    fn no_shows(&self, st: &GameState) -> Vec<String> {
        waiting_for(st, &self.eligible, |p| self.decision_of(p).is_some())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DilemmaState {
    /// Today's planned dilemma.
    pub today: Option<DilemmaType>,
    /// Today's dilemma once started (held with its result until the next morning).
    pub current: Option<Dilemma>,
}

impl DilemmaState {
    pub fn is_default(&self) -> bool {
        *self == DilemmaState::default()
    }
}

pub(crate) fn start_day(st: &mut GameState, day: u32) {
    let alive = st.alive_count();
    st.dilemmas.today = st.manifest.dilemma_for(day, alive);
    st.dilemmas.current = None;
}

/// START_DILEMMA.
pub(crate) fn start(st: &mut GameState, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    let started = st.dilemmas.current.is_some();
    let today = st.dilemmas.today.as_ref();
    let Some(t) = plan_to_start(ctx, Action::StartDilemma, "dilemma", started, today) else {
        return Ok(());
    };
    let eligible = st.alive_ids();
    ctx.facts.push(Fact::DilemmaStarted {
        day: st.day,
        dilemma_type: t,
        eligible: eligible.clone(),
        rules: t.rules_text().to_string(),
    });
    st.dilemmas.current = Some(Dilemma {
        day: st.day,
        dilemma_type: t,
        eligible,
        decisions: Vec::new(),
        result: None,
    });
    Ok(())
}

/// Whether revealing the open dilemma now would need the seed (the gambit's draw).
pub(crate) fn reveal_needs_seed(st: &GameState) -> bool {
    st.dilemmas.current.as_ref().is_some_and(|d| {
        d.result.is_none()
            && d.dilemma_type == DilemmaType::SilverGambit
            && silver_gambit::needs_draw(st, d)
    })
}

/// END_DILEMMA: reveals with the decisions so far.
pub(crate) fn end(st: &mut GameState, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    let finished = st.dilemmas.current.as_ref().map(|d| d.result.is_some());
    if !is_open(ctx, Action::EndDilemma, "dilemma", finished, "revealed") {
        return Ok(());
    }
    if reveal_needs_seed(st) && ctx.seed.is_none() {
        return Err(Rejection::SeedUnknown);
    }
    reveal(st, true, ctx);
    Ok(())
}

/// Reveals the open dilemma (if any). The seed must be known when [`reveal_needs_seed`] says so.
pub(crate) fn force_end(st: &mut GameState, ctx: &mut Ctx<'_>) {
    if st
        .dilemmas
        .current
        .as_ref()
        .is_some_and(|d| d.result.is_none())
    {
        reveal(st, true, ctx);
    }
}

fn reveal(st: &mut GameState, timed_out: bool, ctx: &mut Ctx<'_>) {
    let Some(d) = st.dilemmas.current.clone() else {
        return;
    };
    let no_shows = d.no_shows(st).len();
    let (outcome, rewards, summary) = match d.dilemma_type {
        DilemmaType::SilverGambit => silver_gambit::resolve(st, &d, no_shows, ctx),
        DilemmaType::Spotlight => spotlight::resolve(st, &d, no_shows, ctx),
        DilemmaType::GiftOrGrief => gift_or_grief::resolve(st, &d, ctx),
    };
    let revealed = Revealed {
        timed_out,
        submitted: d.decisions.len() as u32,
        eligible: d.eligible.len() as u32,
        decisions: d
            .decisions
            .iter()
            .map(|(p, x)| (p.clone(), x.as_text()))
            .collect(),
        outcome,
        rewards,
        summary,
    };
    ctx.facts.push(Fact::DilemmaResult {
        day: d.day,
        dilemma_type: d.dilemma_type,
        result: revealed.clone(),
    });
    if let Some(cur) = st.dilemmas.current.as_mut() {
        cur.result = Some(revealed);
    }
}

/// `DILEMMA.<TYPE>.SUBMIT`.
pub(crate) fn submit(
    st: &mut GameState,
    actor: &str,
    cmd: &Command,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    st.alive_in_day(actor)?;
    let d = st
        .dilemmas
        .current
        .as_ref()
        .filter(|d| d.result.is_none())
        .ok_or(Rejection::DilemmaClosed)?;
    let (want, decision) = match cmd {
        Command::SilverGambitSubmit { action } => (
            DilemmaType::SilverGambit,
            match action {
                GambitAction::Donate => Decision::Donate,
                GambitAction::Keep => Decision::Keep,
            },
        ),
        Command::SpotlightSubmit { target_id } => {
            (DilemmaType::Spotlight, Decision::Target(target_id.clone()))
        }
        Command::GiftOrGriefSubmit { target_id } => (
            DilemmaType::GiftOrGrief,
            Decision::Target(target_id.clone()),
        ),
        _ => return Err(Rejection::Unsupported("this command as a dilemma".into())),
    };
    if d.dilemma_type != want {
        return Err(Rejection::WrongDilemma {
            expected: d.dilemma_type.as_str(),
            got: want.as_str(),
        });
    }
    if !d.eligible.iter().any(|p| p == actor) {
        return Err(Rejection::NotEligible);
    }
    if d.decision_of(actor).is_some() {
        return Err(Rejection::AlreadyResponded);
    }
    match &decision {
        Decision::Donate => require_silver(st, actor, DONATION)?,
        Decision::Keep => {}
        Decision::Target(t) => {
            st.other_alive_target(actor, t)?;
        }
    }
    let completes = d.no_shows(st).len() == 1;
    if completes && ctx.seed.is_none() {
        let mut after = d.clone();
        after.decisions.push((actor.to_string(), decision.clone()));
        if after.dilemma_type == DilemmaType::SilverGambit && silver_gambit::needs_draw(st, &after)
        {
            return Err(Rejection::SeedUnknown);
        }
    }
    if let Some(d) = st.dilemmas.current.as_mut() {
        d.decisions.push((actor.to_string(), decision));
    }
    ctx.facts.push(Fact::DilemmaSubmitted {
        player_id: actor.to_string(),
    });
    if completes {
        reveal(st, false, ctx);
    }
    Ok(())
}

/// Whether a dilemma still takes decisions or has been revealed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DilemmaPhase {
    Collecting,
    Reveal,
}

/// A revealed dilemma: every decision and what it paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DilemmaResult {
    pub timed_out: bool,
    pub submitted: u32,
    pub eligible: u32,
    /// `[player id, decision]` in submission order; a decision is DONATE, KEEP or a player id.
    pub decisions: Vec<(String, String)>,
    pub outcome: DilemmaOutcome,
    /// `[player id, silver delta]`.
    pub rewards: Vec<(String, i64)>,
    pub summary: String,
}

/// Today's dilemma as the viewer may see it: who has decided, never what, until the reveal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DilemmaView {
    pub day: u32,
    pub dilemma_type: DilemmaType,
    pub rules: &'static str,
    pub phase: DilemmaPhase,
    pub eligible: Vec<String>,
    pub submitted: Vec<String>,
    /// An eligible viewer's own decision (null before they decide).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub my_decision: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "DilemmaResult"))]
    pub result: Option<DilemmaResult>,
}

/// `dilemma` of a projection (`None`: there is none today).
pub(crate) fn project(st: &GameState, viewer: Option<&str>) -> Option<DilemmaView> {
    let d = st.dilemmas.current.as_ref()?;
    let me = viewer.filter(|v| d.eligible.iter().any(|e| e == v));
    Some(DilemmaView {
        day: d.day,
        dilemma_type: d.dilemma_type,
        rules: d.dilemma_type.rules_text(),
        phase: if d.result.is_some() {
            DilemmaPhase::Reveal
        } else {
            DilemmaPhase::Collecting
        },
        eligible: d.eligible.clone(),
        submitted: d
            .eligible
            .iter()
            .filter(|p| d.decision_of(p).is_some())
            .cloned()
            .collect(),
        my_decision: me.map(|me| d.decision_of(me).map(Decision::as_text)),
        result: d.result.as_ref().map(|r| DilemmaResult {
            timed_out: r.timed_out,
            submitted: r.submitted,
            eligible: r.eligible,
            decisions: r.decisions.clone(),
            outcome: r.outcome.clone(),
            rewards: r.rewards.clone(),
            summary: r.summary.clone(),
        }),
    })
}
