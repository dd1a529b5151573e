//! What one player may see of today's prompt: the question, who has answered (not what), their
//! own answers, the anonymous list during a second stage (texts only), and everything once the
//! results are out.

use super::{Activity, Answer, PromptOutcome, PromptType, Second, Stage};
use crate::engine::state::GameState;
use serde::Serialize;
use std::collections::BTreeMap;

/// The viewer's own first-stage answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum AnswerView {
    /// PLAYER_PICK, PREDICTION.
    TargetId(String),
    /// WOULD_YOU_RATHER (0 = A, 1 = B), HOT_TAKE (option index).
    OptionIndex(u32),
    /// CONFESSION, GUESS_WHO.
    Text(String),
}

/// The viewer's own second-stage answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum SecondView {
    /// CONFESSION: the index voted for.
    ConfessionIndex(u32),
    /// GUESS_WHO: the guessed author by answer index.
    Guesses(BTreeMap<String, String>),
}

/// One text of the anonymous list (no author).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AnonymousEntry {
    pub index: usize,
    pub text: String,
}

/// A finished prompt's outcome and what it paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActivityResult {
    pub timed_out: bool,
    pub outcome: PromptOutcome,
    /// `[player id, silver delta]`.
    pub rewards: Vec<(String, i64)>,
}

/// Today's prompt as the viewer may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActivityView {
    pub day: u32,
    pub prompt_type: PromptType,
    pub prompt_text: String,
    pub options: Vec<String>,
    pub prompt_id: Option<String>,
    pub stage: Stage,
    pub eligible: Vec<String>,
    pub responded: Vec<String>,
    /// Second stage: the anonymous list (no authors).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<AnonymousEntry>"))]
    pub entries: Option<Vec<AnonymousEntry>>,
    /// Second stage: who has voted or guessed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    pub voted: Option<Vec<String>>,
    /// An eligible viewer's own answer (null before they answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<AnswerView>"))]
    pub my_answer: Option<Option<AnswerView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<SecondView>"))]
    pub my_second: Option<Option<SecondView>>,
    /// After the first stage: the index of the viewer's own text in the anonymous list.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<u32>"))]
    pub my_entry_index: Option<Option<u32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "ActivityResult"))]
    pub result: Option<ActivityResult>,
}

fn answer_view(a: &Answer) -> AnswerView {
    match a {
        Answer::Target(t) => AnswerView::TargetId(t.clone()),
        Answer::Option(i) => AnswerView::OptionIndex(*i),
        Answer::Text(t) => AnswerView::Text(t.clone()),
    }
}

fn second_view(s: &Second) -> SecondView {
    match s {
        Second::Vote(i) => SecondView::ConfessionIndex(*i),
        Second::Guesses(g) => {
            SecondView::Guesses(g.iter().map(|(i, p)| (i.to_string(), p.clone())).collect())
        }
    }
}

/// `activity` of a projection (`None`: there is none today).
pub(crate) fn project(st: &GameState, viewer: Option<&str>) -> Option<ActivityView> {
    let a = st.prompts.current.as_ref()?;
    let me = viewer.filter(|v| a.eligible.iter().any(|e| e == v));
    let who = |done: &dyn Fn(&str) -> bool| -> Vec<String> {
        a.eligible.iter().filter(|p| done(p)).cloned().collect()
    };
    let voting = a.stage == Stage::Voting;
    Some(ActivityView {
        day: a.day,
        prompt_type: a.prompt_type,
        prompt_text: a.text.clone(),
        options: a.options.clone(),
        prompt_id: a.prompt_id.clone(),
        stage: a.stage,
        eligible: a.eligible.clone(),
        responded: who(&|p| a.answer_of(p).is_some()),
        entries: voting.then(|| anonymous(a)),
        voted: voting.then(|| who(&|p| a.second_of(p).is_some())),
        my_answer: me.map(|me| a.answer_of(me).map(answer_view)),
        my_second: me.map(|me| a.second_of(me).map(second_view)),
        my_entry_index: me
            .filter(|_| a.stage != Stage::Collecting)
            .map(|me| a.entry_of(me)),
        result: a.result.as_ref().map(|r| ActivityResult {
            timed_out: r.timed_out,
            outcome: r.outcome.clone(),
            rewards: r.rewards.clone(),
        }),
    })
}

/// The anonymous list: texts by index, no authors.
fn anonymous(a: &Activity) -> Vec<AnonymousEntry> {
    a.entries
        .iter()
        .enumerate()
        .map(|(i, (_, t))| AnonymousEntry {
            index: i,
            text: t.clone(),
        })
        .collect()
}
