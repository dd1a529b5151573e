//! Prompts: the day's activity (docs/content.md §2). One per day at most, opened by
//! START_ACTIVITY and closed by END_ACTIVITY (or early, once every eligible player has answered).
//!
//! - Eligible = the players alive when it starts. Each answers **once** (no changes) and must still
//!   be alive to answer. "Everyone has answered" means every eligible player still alive.
//! - Answers are secret until the results: a projection shows who has answered, and each player
//!   their own answer, nothing else.
//! - Rewards are paid in one batch when the prompt completes (one Silver fact per player), except
//!   PREDICTION's bonus, which waits for the night's actual elimination (END_DAY).
//! - A forced end (END_ACTIVITY, or END_DAY with the activity still open) builds the results from
//!   whatever was answered; a two-stage prompt still in its first stage publishes its anonymous
//!   list and pays the first-stage rewards.
//! - The finished prompt and its results stay visible until the next morning.
//!
//! One module per prompt type, listed once in the registry below: its default text and options,
//! its `ACTIVITY.*` commands (PREDICTION answers with PLAYER_PICK's `ACTIVITY.PROMPT.SUBMIT`), and
//! its results. Shared helpers: `pick` (naming players), `choice` (picking an option), `hot_takes`
//! (the HOT_TAKE pool), `view` (projections).

mod choice;
pub mod confession;
pub mod guess_who;
pub mod hot_take;
mod hot_takes;
mod pick;
pub mod player_pick;
pub mod prediction;
pub mod view;
pub mod would_you_rather;

pub use hot_take::Stance;
pub use hot_takes::{HotTake, HOT_TAKES};
pub(crate) use view::project;
pub use would_you_rather::WyrChoice;

use super::content::{is_open, plan_to_start, waiting_for};
use super::economy::pay_all;
use super::error::Rejection;
use super::fact::Fact;
use super::manifest::ActivitySpec;
use super::registry::registry;
use super::rng::Rng;
use super::state::{Ctx, GameState};
use super::timeline::Action;
use serde::{Deserialize, Serialize};

/// Silver for answering any prompt (and for each CONFESSION / GUESS_WHO first-stage answer).
pub const PARTICIPATION: i64 = 5;
/// Longest custom option text in a manifest.
pub use crate::limits::MAX_OPTION_CHARS;

registry! {
    pub enum PromptType: dyn Prompt;
    commands PromptCommand: dyn Response, prefix "ACTIVITY.", in Command::Prompt;
    mechanisms {
        PlayerPick = "PLAYER_PICK" => player_pick::PlayerPick,
        Prediction = "PREDICTION" => prediction::Prediction,
        WouldYouRather = "WOULD_YOU_RATHER" => would_you_rather::WouldYouRather,
        HotTake = "HOT_TAKE" => hot_take::HotTake,
        Confession = "CONFESSION" => confession::Confession,
        GuessWho = "GUESS_WHO" => guess_who::GuessWho,
    }
}

impl PromptType {
    /// CONFESSION and GUESS_WHO: answers first, then a vote or guesses on the anonymous list.
    pub fn two_stage(self) -> bool {
        self.mechanism().two_stage()
    }

    /// The text shown when the manifest gives none (HOT_TAKE draws from its pool instead).
    pub fn default_text(self) -> &'static str {
        self.mechanism().default_text()
    }

    /// Default options (cosmetic, they have no game effect). HOT_TAKE uses Agree / Disagree only
    /// for a manifest's own statement; otherwise it draws statement and options from its pool.
    pub fn default_options(self) -> &'static [&'static str] {
        self.mechanism().default_options()
    }
}

/// One prompt type: what it shows by default and how its answers become results.
pub(crate) trait Prompt: Sync {
    /// The document in docs/ that describes it (`docs/content.md`).
    fn docs(&self) -> &'static str;
    /// The text shown when the manifest gives none.
    fn default_text(&self) -> &'static str;
    /// Default options (cosmetic).
    fn default_options(&self) -> &'static [&'static str] {
        &[]
    }
    /// Answers first, then a vote or guesses on the anonymous list of answers.
    fn two_stage(&self) -> bool {
        false
    }
    /// START_ACTIVITY when the manifest gives neither text nor options: a statement drawn at
    /// random (text, options, id), or `None` for the defaults. `used` is this game's draws.
    fn draw(&self, used: &mut Vec<u32>, ctx: &Ctx<'_>) -> Result<Option<Drawn>, Rejection> {
        let _ = (used, ctx);
        Ok(None)
    }
    /// The results of `a` and the silver they pay (roster order, zeros left out).
    fn outcome(&self, a: &Activity, roster: &[String]) -> (PromptOutcome, Vec<(String, i64)>);
    /// END_DAY, after the vote's elimination (PREDICTION pays the correct predictions).
    fn after_vote(&self, st: &mut GameState, ctx: &mut Ctx<'_>) {
        let _ = (st, ctx);
    }
}

/// A statement drawn for a prompt: text, options, the pool id.
pub(crate) type Drawn = (String, Vec<String>, Option<String>);

/// One `ACTIVITY.*` command, as the prompt layer records it.
pub(crate) trait Response {
    /// The prompt types it answers (WRONG_ACTIVITY names them when another one is open).
    fn answers(&self) -> &'static [PromptType];
    /// Whether it answers the second stage (a vote or guesses on the anonymous list).
    fn second_stage(&self) -> bool {
        false
    }
    /// Checks the answer against the open prompt and the state (nothing is recorded yet).
    fn reply(&self, st: &GameState, actor: &str, a: &Activity) -> Result<Reply, Rejection>;
}

/// Where a prompt is. Single-stage prompts go from COLLECTING straight to RESULTS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "PromptStage"))]
pub enum Stage {
    /// Answers (picks, choices, texts) are being collected.
    Collecting,
    /// CONFESSION: votes on the anonymous list; GUESS_WHO: guesses on it.
    Voting,
    Results,
}

/// One first-stage answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// PLAYER_PICK, PREDICTION.
    Target(String),
    /// WOULD_YOU_RATHER (0 = A, 1 = B), HOT_TAKE (option index).
    Option(u32),
    /// CONFESSION, GUESS_WHO.
    Text(String),
}

/// One second-stage answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Second {
    /// CONFESSION: the index voted for.
    Vote(u32),
    /// GUESS_WHO: (answer index, guessed author), by index.
    Guesses(Vec<(u32, String)>),
}

/// An entry of a two-stage prompt's anonymous list, with its author (revealed in the results).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "PromptEntry"))]
pub struct Revealed {
    pub index: u32,
    pub text: String,
    pub author: String,
}

// Decoded tag first (engine::tag_first): it is in both the snapshot and the facts.
crate::engine::tag_first::tag_first_enum! {
tag = "kind", twin = PromptOutcomeTwin, twin_serde(rename_all = "SCREAMING_SNAKE_CASE", rename_all_fields = "camelCase");
/// What a prompt decided. Public once the prompt is over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "SCREAMING_SNAKE_CASE",
    rename_all_fields = "camelCase"
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum PromptOutcome {
    PlayerPick {
        /// (picker, picked), in answer order.
        picks: Vec<(String, String)>,
        mutual_pairs: Vec<(String, String)>,
        /// Everyone tied for the most picks (roster order); reported, not rewarded.
        most_picked: Vec<String>,
        most_picked_count: u32,
    },
    Prediction {
        /// (predictor, predicted), in answer order.
        predictions: Vec<(String, String)>,
        /// Most predicted; a tie goes to the tied player who was named first.
        most_predicted: Option<String>,
        /// Filled in at END_DAY: the player the vote eliminated that night.
        eliminated: Option<String>,
        correct: Vec<String>,
        settled: bool,
    },
    /// WOULD_YOU_RATHER (options A, B) and HOT_TAKE.
    Choice {
        /// (player, option index), in answer order.
        choices: Vec<(String, u32)>,
        counts: Vec<u32>,
        /// Options with the fewest (non-zero) answers, when fewer than the most answered one.
        minority: Vec<u32>,
    },
    Confession {
        entries: Vec<Revealed>,
        /// (voter, index), in vote order.
        votes: Vec<(String, u32)>,
        /// Votes per index.
        tally: Vec<u32>,
        /// Most votes; ties go to the lowest index; none without votes.
        winner: Option<u32>,
    },
    GuessWho {
        entries: Vec<Revealed>,
        /// (guesser, [(index, guessed author)]), in guess order.
        guesses: Vec<(String, Vec<(u32, String)>)>,
        /// (guesser, correct guesses).
        correct: Vec<(String, u32)>,
        /// (author, wrong guesses on their answer), authors with at least one.
        fooled: Vec<(String, u32)>,
    },
}
}

/// A finished prompt: its outcome and what it paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finished {
    /// Ended by END_ACTIVITY / END_DAY rather than by everyone answering.
    pub timed_out: bool,
    pub outcome: PromptOutcome,
    /// Silver per player (roster order, zeros left out).
    pub rewards: Vec<(String, i64)>,
}

/// Today's prompt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub day: u32,
    pub prompt_type: PromptType,
    pub text: String,
    pub options: Vec<String>,
    /// HOT_TAKE: the pool statement's id.
    pub prompt_id: Option<String>,
    /// Alive when it started, roster order.
    pub eligible: Vec<String>,
    pub stage: Stage,
    /// First-stage answers in answer order. SECRET until the results.
    pub answers: Vec<(String, Answer)>,
    /// Two-stage prompts: the anonymous list as (author, text), in its shuffled order (the index
    /// is the position). The texts are public from the second stage; the authors are SECRET
    /// until the results.
    pub entries: Vec<(String, String)>,
    /// Second-stage answers in answer order. SECRET until the results.
    pub second: Vec<(String, Second)>,
    pub result: Option<Finished>,
}

impl Activity {
    pub fn answer_of(&self, id: &str) -> Option<&Answer> {
        self.answers.iter().find(|(p, _)| p == id).map(|(_, a)| a)
    }

    pub fn second_of(&self, id: &str) -> Option<&Second> {
        self.second.iter().find(|(p, _)| p == id).map(|(_, s)| s)
    }

    /// Index of `id`'s own entry in the anonymous list.
    pub fn entry_of(&self, id: &str) -> Option<u32> {
        self.entries
            .iter()
            .position(|(a, _)| a == id)
            .map(|i| i as u32)
    }

    fn revealed(&self) -> Vec<Revealed> {
        self.entries
            .iter()
            .enumerate()
            .map(|(i, (author, text))| Revealed {
                index: i as u32,
                text: text.clone(),
                author: author.clone(),
            })
            .collect()
    }
}

/// The prompt part of the game state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromptState {
    /// Today's planned prompt (resolved at the morning from the manifest).
    pub today: Option<ActivitySpec>,
    /// Today's prompt once started (held with its results until the next morning).
    pub current: Option<Activity>,
    /// HOT_TAKE pool indices drawn in this game (cleared once the pool is used up).
    pub hot_takes_used: Vec<u32>,
}

impl PromptState {
    pub fn is_default(&self) -> bool {
        *self == PromptState::default()
    }
}

/// Morning: today's plan; yesterday's prompt and results are gone.
pub(crate) fn start_day(st: &mut GameState, day: u32) {
    let alive = st.alive_count();
    st.prompts.today = st.manifest.activity_for(day, alive);
    st.prompts.current = None;
}

/// START_ACTIVITY: opens today's prompt for the players alive now.
pub(crate) fn start(st: &mut GameState, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    let started = st.prompts.current.is_some();
    let today = st.prompts.today.as_ref();
    let Some(spec) = plan_to_start(ctx, Action::StartActivity, "activity", started, today) else {
        return Ok(());
    };
    let t = spec.prompt_type;
    let drawn = if spec.text.is_none() && spec.options.is_empty() {
        t.mechanism().draw(&mut st.prompts.hot_takes_used, ctx)?
    } else {
        None
    };
    let (text, options, prompt_id) = match drawn {
        Some(d) => d,
        None => {
            let options = if spec.options.is_empty() {
                t.default_options().iter().map(|s| s.to_string()).collect()
            } else {
                spec.options.clone()
            };
            (
                spec.text
                    .clone()
                    .unwrap_or_else(|| t.default_text().to_string()),
                options,
                None,
            )
        }
    };
    let eligible = st.alive_ids();
    ctx.facts.push(Fact::ActivityStarted {
        day: st.day,
        prompt_type: t,
        prompt_text: text.clone(),
        options: options.clone(),
        prompt_id: prompt_id.clone(),
        eligible: eligible.clone(),
    });
    st.prompts.current = Some(Activity {
        day: st.day,
        prompt_type: t,
        text,
        options,
        prompt_id,
        eligible,
        stage: Stage::Collecting,
        answers: Vec::new(),
        entries: Vec::new(),
        second: Vec::new(),
        result: None,
    });
    Ok(())
}

/// Whether finishing the open prompt now would need the seed (a list to shuffle).
pub(crate) fn end_needs_seed(st: &GameState) -> bool {
    st.prompts.current.as_ref().is_some_and(|a| {
        a.result.is_none()
            && a.prompt_type.two_stage()
            && a.stage == Stage::Collecting
            && a.answers.len() >= 2
    })
}

/// END_ACTIVITY: forces the open prompt to its results.
pub(crate) fn end(st: &mut GameState, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    let finished = st.prompts.current.as_ref().map(|a| a.result.is_some());
    if !is_open(ctx, Action::EndActivity, "activity", finished, "over") {
        return Ok(());
    }
    if end_needs_seed(st) && ctx.seed.is_none() {
        return Err(Rejection::SeedUnknown);
    }
    force_end(st, ctx);
    Ok(())
}

/// Ends the open prompt (if any) with the answers so far. The seed must be known when
/// [`end_needs_seed`] says so (checked by the callers before anything changes).
pub(crate) fn force_end(st: &mut GameState, ctx: &mut Ctx<'_>) {
    let Some(a) = st.prompts.current.as_mut() else {
        return;
    };
    if a.result.is_some() {
        return;
    }
    if a.prompt_type.two_stage() && a.stage == Stage::Collecting {
        build_list(a, ctx);
    }
    finish(st, true, ctx);
}

/// Moves a two-stage prompt's answers into the shuffled anonymous list.
fn build_list(a: &mut Activity, ctx: &mut Ctx<'_>) {
    let mut entries: Vec<(String, String)> = a
        .answers
        .iter()
        .filter_map(|(p, ans)| match ans {
            Answer::Text(t) => Some((p.clone(), t.clone())),
            Answer::Target(_) | Answer::Option(_) => None,
        })
        .collect();
    if entries.len() >= 2 {
        if let Some(seed) = ctx.seed {
            Rng::for_entry(seed, ctx.seq, "prompt-entries").shuffle(&mut entries);
        }
    }
    a.entries = entries;
}

/// Computes the results, pays them, and holds them.
fn finish(st: &mut GameState, timed_out: bool, ctx: &mut Ctx<'_>) {
    let roster: Vec<String> = st.players.iter().map(|p| p.id.clone()).collect();
    let Some(a) = st.prompts.current.as_mut() else {
        return;
    };
    let (outcome, rewards) = a.prompt_type.mechanism().outcome(a, &roster);
    a.stage = Stage::Results;
    let (day, t) = (a.day, a.prompt_type);
    a.result = Some(Finished {
        timed_out,
        outcome: outcome.clone(),
        rewards: rewards.clone(),
    });
    ctx.facts.push(Fact::ActivityResult {
        day,
        prompt_type: t,
        timed_out,
        outcome,
        rewards: rewards.clone(),
    });
    pay_all(st, &rewards, &format!("PROMPT_{}", t.as_str()), ctx.facts);
}

/// Adds `delta` to `id`'s entry of a reward list kept in roster order.
pub(crate) fn add_reward(rewards: &mut [(String, i64)], id: &str, delta: i64) {
    if let Some(r) = rewards.iter_mut().find(|(p, _)| p == id) {
        r.1 += delta;
    }
}

/// A zero reward list in roster order.
pub(crate) fn zero_rewards(roster: &[String]) -> Vec<(String, i64)> {
    roster.iter().map(|p| (p.clone(), 0)).collect()
}

/// Eligible players still alive who have not answered the current stage.
fn waiting(st: &GameState, a: &Activity) -> Vec<String> {
    waiting_for(st, &a.eligible, |p| match a.stage {
        Stage::Collecting => a.answer_of(p).is_some(),
        Stage::Voting => a.second_of(p).is_some(),
        Stage::Results => true,
    })
}

/// What a command answers, checked against the open prompt.
pub(crate) enum Reply {
    First(Answer),
    Second(Second),
}

/// `ACTIVITY.*`: a player's answer to today's prompt.
pub(crate) fn respond(
    st: &mut GameState,
    actor: &str,
    cmd: &PromptCommand,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    st.alive_in_day(actor)?;
    let a = st
        .prompts
        .current
        .as_ref()
        .filter(|a| a.result.is_none())
        .ok_or(Rejection::ActivityClosed)?;
    let response = cmd.leaf();
    let types = response.answers();
    if !types.contains(&a.prompt_type) {
        let names: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
        return Err(Rejection::WrongActivity {
            expected: a.prompt_type.as_str(),
            got: names.join(" or "),
        });
    }
    let second_stage = response.second_stage();
    let want = if second_stage {
        Stage::Voting
    } else {
        Stage::Collecting
    };
    if a.stage != want {
        return Err(Rejection::WrongActivityStage);
    }
    if !a.eligible.iter().any(|p| p == actor) {
        return Err(Rejection::NotEligible);
    }
    let already = if second_stage {
        a.second_of(actor).is_some()
    } else {
        a.answer_of(actor).is_some()
    };
    if already {
        return Err(Rejection::AlreadyResponded);
    }
    let reply = response.reply(st, actor, a)?;
    // Will this answer complete the stage? Then a list may need shuffling: the seed first.
    let completes = waiting(st, a).len() == 1;
    let two_stage = a.prompt_type.two_stage();
    if completes
        && two_stage
        && a.stage == Stage::Collecting
        && a.answers.len() + 1 >= 2
        && ctx.seed.is_none()
    {
        return Err(Rejection::SeedUnknown);
    }
    // Everything is checked: record.
    let stage = a.stage;
    let Some(a) = st.prompts.current.as_mut() else {
        return Ok(());
    };
    match reply {
        Reply::First(ans) => a.answers.push((actor.to_string(), ans)),
        Reply::Second(s) => a.second.push((actor.to_string(), s)),
    }
    ctx.facts.push(Fact::ActivityResponded {
        player_id: actor.to_string(),
        stage,
    });
    if completes {
        if two_stage && stage == Stage::Collecting {
            build_list(a, ctx);
            if a.entries.len() >= 2 {
                a.stage = Stage::Voting;
                ctx.facts.push(Fact::ActivityStageChanged {
                    stage: Stage::Voting,
                    entries: a.entries.len() as u32,
                });
                return Ok(());
            }
        }
        finish(st, false, ctx);
    }
    Ok(())
}

/// END_DAY, after the vote's elimination: today's prompt settles what waited for the night
/// (PREDICTION).
pub(crate) fn after_vote(st: &mut GameState, ctx: &mut Ctx<'_>) {
    let today = st
        .prompts
        .current
        .as_ref()
        .filter(|a| a.day == st.day)
        .map(|a| a.prompt_type);
    if let Some(t) = today {
        t.mechanism().after_vote(st, ctx);
    }
}
