//! HOT_TAKE: every eligible player picks one option of a statement
//! (`ACTIVITY.HOTTAKE.RESPOND`). Without a statement in the manifest, one is drawn (seeded) from
//! the pool (`hot_takes`), never repeating within a game until the pool is used up. +5 to each
//! player who answered; +10 to the minority (see `choice`).

use super::hot_takes::HOT_TAKES;
use super::{choice, Activity, Answer, Drawn, Prompt, PromptOutcome, PromptType, Reply, Response};
use crate::engine::error::Rejection;
use crate::engine::registry::commands;
use crate::engine::rng::Rng;
use crate::engine::state::{Ctx, GameState};
use serde::{Deserialize, Serialize};

/// Legacy `ACTIVITY.HOTTAKE.RESPOND {stance}` (only for an Agree/Disagree statement).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Stance {
    Agree,
    Disagree,
}

commands! {
    pub enum Command {
        /// HOT_TAKE: `optionIndex`, or the legacy `stance` for an Agree/Disagree statement.
        "ACTIVITY.HOTTAKE.RESPOND" => Respond {
            #[serde(
                rename = "optionIndex",
                default,
                skip_serializing_if = "Option::is_none"
            )]
            option_index: Option<u32>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            stance: Option<Stance>,
        },
    }
}

impl Response for Command {
    fn answers(&self) -> &'static [PromptType] {
        &[PromptType::HotTake]
    }

    fn reply(&self, _st: &GameState, _actor: &str, a: &Activity) -> Result<Reply, Rejection> {
        match self {
            Command::Respond {
                option_index,
                stance,
            } => Ok(Reply::First(Answer::Option(hot_take_option(
                a,
                *option_index,
                *stance,
            )?))),
        }
    }
}

pub struct HotTake;

impl Prompt for HotTake {
    fn docs(&self) -> &'static str {
        "docs/content.md"
    }

    fn default_text(&self) -> &'static str {
        "Hot take:"
    }

    /// Only for a manifest's own statement without options.
    fn default_options(&self) -> &'static [&'static str] {
        &["Agree", "Disagree"]
    }

    /// Drawn from the pool, never repeating within a game until it is used up.
    fn draw(&self, used: &mut Vec<u32>, ctx: &Ctx<'_>) -> Result<Option<Drawn>, Rejection> {
        let seed = ctx.seed.ok_or(Rejection::SeedUnknown)?;
        if used.len() >= HOT_TAKES.len() {
            used.clear();
        }
        let free: Vec<u32> = (0..HOT_TAKES.len() as u32)
            .filter(|i| !used.contains(i))
            .collect();
        let k = Rng::for_entry(seed, ctx.seq, "hot-take").below(free.len() as u64) as usize;
        let i = free.get(k).copied().unwrap_or(0);
        used.push(i);
        let h = HOT_TAKES[i as usize % HOT_TAKES.len()];
        Ok(Some((
            h.statement.to_string(),
            h.options.iter().map(|s| s.to_string()).collect(),
            Some(h.id.to_string()),
        )))
    }

    fn outcome(&self, a: &Activity, roster: &[String]) -> (PromptOutcome, Vec<(String, i64)>) {
        choice::outcome(a, roster)
    }
}

/// The option a HOT_TAKE answer names: `optionIndex`, or the legacy `stance` when the options
/// are exactly Agree / Disagree. Exactly one of the two.
fn hot_take_option(
    a: &Activity,
    option_index: Option<u32>,
    stance: Option<Stance>,
) -> Result<u32, Rejection> {
    let i = match (option_index, stance) {
        (Some(i), None) => i,
        (None, Some(s)) => {
            if a.options != ["Agree", "Disagree"] {
                return Err(Rejection::InvalidChoice(
                    "stance is only for an Agree/Disagree statement; send optionIndex".into(),
                ));
            }
            match s {
                Stance::Agree => 0,
                Stance::Disagree => 1,
            }
        }
        (None, None) | (Some(_), Some(_)) => {
            return Err(Rejection::InvalidChoice(
                "send exactly one of optionIndex and stance".into(),
            ))
        }
    };
    if (i as usize) < a.options.len() {
        Ok(i)
    } else {
        Err(Rejection::InvalidChoice(format!(
            "optionIndex must be below {}",
            a.options.len()
        )))
    }
}
