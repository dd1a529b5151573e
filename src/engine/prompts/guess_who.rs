//! GUESS_WHO.
//!
//! Stage 1 (`ACTIVITY.GUESSWHO.ANSWER {text}`): every eligible player answers the question once
//! (1–280 characters). When all have, the answers become an anonymous list in a seeded shuffled
//! order. Stage 2 (`ACTIVITY.GUESSWHO.GUESS {guesses: {"<index>": "<playerId>"}}`): each player
//! submits once a guess for any of the answers that are not their own, naming another eligible
//! player. Results reveal the authors.
//!
//! +5 per answer; +5 per correct guess; +5 to an author for every wrong guess on their answer.
//! Ended during stage 1, the list is still built and revealed, and only the answers are paid.

use super::{
    add_reward, zero_rewards, Activity, Answer, Prompt, PromptOutcome, PromptType, Reply, Response,
    Second, PARTICIPATION,
};
use crate::engine::error::Rejection;
use crate::engine::registry::commands;
use crate::engine::social::clean_text;
use crate::engine::state::GameState;
use std::collections::BTreeMap;

/// Per correct guess.
pub const GUESS_CORRECT: i64 = 5;
/// To an author, per wrong guess on their answer.
pub const GUESS_FOOLED: i64 = 5;

commands! {
    pub enum Command {
        "ACTIVITY.GUESSWHO.ANSWER" => Answer { text: String },
        /// `{"guesses": {"<answer index>": "<player id>"}}` (JSON object keys are strings).
        "ACTIVITY.GUESSWHO.GUESS" => Guess { guesses: BTreeMap<String, String> },
    }
}

impl Response for Command {
    fn answers(&self) -> &'static [PromptType] {
        &[PromptType::GuessWho]
    }

    fn second_stage(&self) -> bool {
        match self {
            Command::Answer { .. } => false,
            Command::Guess { .. } => true,
        }
    }

    fn reply(&self, _st: &GameState, actor: &str, a: &Activity) -> Result<Reply, Rejection> {
        match self {
            Command::Answer { text } => {
                Ok(Reply::First(Answer::Text(clean_text(text)?.to_string())))
            }
            Command::Guess { guesses } => Ok(Reply::Second(check_guesses(a, actor, guesses)?)),
        }
    }
}

pub struct GuessWho;

impl Prompt for GuessWho {
    fn docs(&self) -> &'static str {
        "docs/content.md"
    }

    fn default_text(&self) -> &'static str {
        "What would your friends say is your worst habit?"
    }

    fn two_stage(&self) -> bool {
        true
    }

    fn outcome(&self, a: &Activity, roster: &[String]) -> (PromptOutcome, Vec<(String, i64)>) {
        outcome(a, roster)
    }
}

fn check_guesses(
    a: &Activity,
    actor: &str,
    guesses: &BTreeMap<String, String>,
) -> Result<Second, Rejection> {
    if guesses.is_empty() {
        return Err(Rejection::InvalidChoice("guesses is empty".into()));
    }
    let mut out: Vec<(u32, String)> = Vec::with_capacity(guesses.len());
    for (key, who) in guesses {
        let i: u32 = key
            .parse()
            .ok()
            .filter(|i| (*i as usize) < a.entries.len())
            .ok_or_else(|| {
                Rejection::InvalidChoice(format!(
                    "answer index {key:?} is not a number below {}",
                    a.entries.len()
                ))
            })?;
        if out.iter().any(|(j, _)| *j == i) {
            return Err(Rejection::InvalidChoice(format!(
                "answer index {i} given twice"
            )));
        }
        let Some((author, _)) = a.entries.get(i as usize) else {
            continue;
        };
        if author == actor || who == actor {
            return Err(Rejection::SelfTarget);
        }
        if !a.eligible.iter().any(|e| e == who) {
            return Err(Rejection::InvalidChoice(format!(
                "{who} is not a player of this activity"
            )));
        }
        out.push((i, who.clone()));
    }
    crate::engine::order::sort_by(&mut out, Ord::cmp);
    Ok(Second::Guesses(out))
}

fn outcome(a: &Activity, roster: &[String]) -> (PromptOutcome, Vec<(String, i64)>) {
    let entries = a.revealed();
    let mut rewards = zero_rewards(roster);
    for e in &entries {
        add_reward(&mut rewards, &e.author, PARTICIPATION);
    }
    let mut guesses = Vec::new();
    let mut correct = Vec::new();
    let mut fooled: Vec<(String, u32)> = Vec::new();
    for (g, s) in &a.second {
        let Second::Guesses(list) = s else { continue };
        let mut right = 0u32;
        for (i, who) in list {
            let Some(e) = entries.get(*i as usize) else {
                continue;
            };
            if *who == e.author {
                right += 1;
            } else {
                match fooled.iter_mut().find(|(p, _)| *p == e.author) {
                    Some(f) => f.1 += 1,
                    None => fooled.push((e.author.clone(), 1)),
                }
                add_reward(&mut rewards, &e.author, GUESS_FOOLED);
            }
        }
        add_reward(&mut rewards, g, GUESS_CORRECT * right as i64);
        guesses.push((g.clone(), list.clone()));
        correct.push((g.clone(), right));
    }
    // Authors in roster order.
    crate::engine::order::sort_by_key(&mut fooled, |(p, _)| roster.iter().position(|r| r == p));
    rewards.retain(|(_, r)| *r != 0);
    (
        PromptOutcome::GuessWho {
            entries,
            guesses,
            correct,
            fooled,
        },
        rewards,
    )
}
