//! Dilemmas (docs/content.md §3): a secret group decision running alongside the day, opened by
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
//! One module per dilemma (`silver_gambit`, `spotlight`, `gift_or_grief`), listed once in the
//! registry below: its rules text, its `DILEMMA.<TYPE>.SUBMIT` command and its reveal.

pub mod gift_or_grief;
pub mod silver_gambit;
pub mod spotlight;

pub use silver_gambit::GambitAction;

use super::content::{is_open, plan_to_start, waiting_for};
use super::error::Rejection;
use super::fact::Fact;
use super::registry::registry;
use super::state::{Ctx, GameState};
use super::timeline::Action;
use serde::{Deserialize, Serialize};

/// No-shows SILVER_GAMBIT and SPOTLIGHT tolerate.
pub const MAX_NO_SHOWS: usize = 1;

registry! {
    pub enum DilemmaType: dyn Mechanism;
    commands DilemmaCommand: dyn Submission, prefix "DILEMMA.", in Command::Dilemma;
    mechanisms {
        SilverGambit = "SILVER_GAMBIT" => silver_gambit::SilverGambit,
        Spotlight = "SPOTLIGHT" => spotlight::Spotlight,
        GiftOrGrief = "GIFT_OR_GRIEF" => gift_or_grief::GiftOrGrief,
    }
}

impl DilemmaType {
    /// The rules, as shown to players.
    pub fn rules_text(self) -> &'static str {
        self.mechanism().rules_text()
    }
}

/// One dilemma: its rules and how its reveal settles.
pub(crate) trait Mechanism: Sync {
    /// The rules, as shown to players.
    fn rules_text(&self) -> &'static str;
    /// The document in docs/ that describes it (`docs/content.md`).
    fn docs(&self) -> &'static str;
    /// Whether revealing `d` now draws at random (then the seed must be known).
    fn needs_draw(&self, st: &GameState, d: &Dilemma) -> bool {
        let _ = (st, d);
        false
    }
    /// The reveal: pays what the decisions earn (as Silver facts) and returns the public result,
    /// the net silver per player (roster order, zeros left out) and one line for the ticker.
    /// `no_shows` counts the eligible players still alive who did not submit.
    fn resolve(
        &self,
        st: &mut GameState,
        d: &Dilemma,
        no_shows: usize,
        ctx: &mut Ctx<'_>,
    ) -> (DilemmaOutcome, Vec<(String, i64)>, String);
}

/// A submission that names another alive player (SPOTLIGHT, GIFT_OR_GRIEF): its decision is
/// that player.
pub(crate) trait NamesPlayer {
    fn named(&self) -> &str;
}

impl<T: NamesPlayer> Submission for T {
    fn decision(&self) -> Decision {
        Decision::Target(self.named().to_string())
    }

    fn check(&self, st: &GameState, actor: &str) -> Result<(), Rejection> {
        st.other_alive_target(actor, self.named()).map(|_| ())
    }
}

/// One dilemma's `DILEMMA.<TYPE>.SUBMIT`, as the dilemma layer records it.
pub(crate) trait Submission {
    /// The secret decision it records.
    fn decision(&self) -> Decision;
    /// What the decision needs of the state (silver to donate, another alive player to name),
    /// checked before anything is recorded.
    fn check(&self, st: &GameState, actor: &str) -> Result<(), Rejection>;
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

// Decoded tag first (engine::tag_first): it is in both the snapshot and the facts.
crate::engine::tag_first::tag_first_enum! {
tag = "kind", twin = DilemmaOutcomeTwin, twin_serde(rename_all = "SCREAMING_SNAKE_CASE", rename_all_fields = "camelCase");
/// What a dilemma decided. Public from the reveal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
    pub(crate) fn no_shows(&self, st: &GameState) -> Vec<String> {
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
    st.dilemmas
        .current
        .as_ref()
        .is_some_and(|d| d.result.is_none() && d.dilemma_type.mechanism().needs_draw(st, d))
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
    let (outcome, rewards, summary) = d.dilemma_type.mechanism().resolve(st, &d, no_shows, ctx);
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
    cmd: &DilemmaCommand,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    st.alive_in_day(actor)?;
    let d = st
        .dilemmas
        .current
        .as_ref()
        .filter(|d| d.result.is_none())
        .ok_or(Rejection::DilemmaClosed)?;
    let want = cmd.mechanism();
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
    let submission = cmd.leaf();
    submission.check(st, actor)?;
    let decision = submission.decision();
    let completes = d.no_shows(st).len() == 1;
    if completes && ctx.seed.is_none() {
        let mut after = d.clone();
        after.decisions.push((actor.to_string(), decision.clone()));
        if after.dilemma_type.mechanism().needs_draw(st, &after) {
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
