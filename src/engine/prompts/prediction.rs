//! PREDICTION: every eligible player names another alive player (`ACTIVITY.PROMPT.SUBMIT`, the
//! command PLAYER_PICK declares). +5 to each player who predicted, at completion; +10 at END_DAY
//! to each player who named the player the vote actually eliminated that night.

use super::pick::{count, targets};
use super::{add_reward, zero_rewards, Activity, Finished, Prompt, PromptOutcome, PARTICIPATION};
use crate::engine::economy::pay_all;
use crate::engine::fact::Fact;
use crate::engine::registry::commands;
use crate::engine::state::{Ctx, GameState};

/// To everyone who named the player actually eliminated that night.
pub const PREDICTION_CORRECT: i64 = 10;

commands! {
    /// PREDICTION is answered with PLAYER_PICK's `ACTIVITY.PROMPT.SUBMIT`.
    pub enum Command {}
}

impl super::Response for Command {
    fn answers(&self) -> &'static [super::PromptType] {
        match *self {}
    }

    fn reply(
        &self,
        _st: &GameState,
        _actor: &str,
        _a: &Activity,
    ) -> Result<super::Reply, crate::engine::error::Rejection> {
        match *self {}
    }
}

pub struct Prediction;

impl Prompt for Prediction {
    fn docs(&self) -> &'static str {
        "docs/content.md"
    }

    fn default_text(&self) -> &'static str {
        "Who will be eliminated tonight?"
    }

    fn outcome(&self, a: &Activity, roster: &[String]) -> (PromptOutcome, Vec<(String, i64)>) {
        let predictions = targets(a);
        let mut rewards = zero_rewards(roster);
        for (p, _) in &predictions {
            add_reward(&mut rewards, p, PARTICIPATION);
        }
        // Most predicted; among the tied, the one named first.
        let most = predictions
            .iter()
            .map(|(_, t)| count(&predictions, t))
            .max()
            .unwrap_or(0);
        let most_predicted = predictions
            .iter()
            .find(|(_, t)| count(&predictions, t) == most)
            .map(|(_, t)| t.clone());
        rewards.retain(|(_, r)| *r != 0);
        (
            PromptOutcome::Prediction {
                predictions,
                most_predicted,
                eliminated: None,
                correct: Vec::new(),
                settled: false,
            },
            rewards,
        )
    }

    /// END_DAY, after the vote's elimination: pays everyone who named the player the vote
    /// actually eliminated tonight.
    fn after_vote(&self, st: &mut GameState, ctx: &mut Ctx<'_>) {
        settle(st, ctx);
    }
}

fn settle(st: &mut GameState, ctx: &mut Ctx<'_>) {
    let day = st.day;
    let eliminated = st
        .results
        .iter()
        .rev()
        .find(|(d, _)| *d == day)
        .and_then(|(_, o)| o.eliminated.clone())
        .filter(|id| st.player(id).is_some_and(|p| !p.alive));
    let Some(a) = st.prompts.current.as_mut() else {
        return;
    };
    if a.day != day {
        return;
    }
    let Some(Finished {
        outcome:
            PromptOutcome::Prediction {
                predictions,
                eliminated: out_elim,
                correct: out_correct,
                settled,
                ..
            },
        ..
    }) = a.result.as_mut()
    else {
        return;
    };
    if *settled {
        return;
    }
    let correct: Vec<String> = predictions
        .iter()
        .filter(|(_, t)| Some(t) == eliminated.as_ref())
        .map(|(p, _)| p.clone())
        .collect();
    *settled = true;
    *out_elim = eliminated.clone();
    *out_correct = correct.clone();
    ctx.facts.push(Fact::PredictionSettled {
        day,
        eliminated,
        correct: correct.clone(),
    });
    let rewards: Vec<(String, i64)> = correct
        .into_iter()
        .map(|p| (p, PREDICTION_CORRECT))
        .collect();
    pay_all(st, &rewards, "PREDICTION_CORRECT", ctx.facts);
}
