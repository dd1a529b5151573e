//! WOULD_YOU_RATHER: every eligible player picks option A or B (`ACTIVITY.WYR.CHOOSE`). +5 to each
//! player who answered; +10 to the strictly smaller side (a tie pays no bonus).

use super::{choice, Activity, Answer, Prompt, PromptOutcome, PromptType, Reply, Response};
use crate::engine::error::Rejection;
use crate::engine::registry::commands;
use crate::engine::state::GameState;
use serde::{Deserialize, Serialize};

/// `ACTIVITY.WYR.CHOOSE {choice}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum WyrChoice {
    A,
    B,
}

commands! {
    pub enum Command {
        "ACTIVITY.WYR.CHOOSE" => Choose { choice: WyrChoice },
    }
}

impl Response for Command {
    fn answers(&self) -> &'static [PromptType] {
        &[PromptType::WouldYouRather]
    }

    fn reply(&self, _st: &GameState, _actor: &str, _a: &Activity) -> Result<Reply, Rejection> {
        match self {
            Command::Choose { choice } => Ok(Reply::First(Answer::Option(match choice {
                WyrChoice::A => 0,
                WyrChoice::B => 1,
            }))),
        }
    }
}

pub struct WouldYouRather;

impl Prompt for WouldYouRather {
    fn docs(&self) -> &'static str {
        "docs/content.md"
    }

    fn default_text(&self) -> &'static str {
        "Would you rather…"
    }

    fn default_options(&self) -> &'static [&'static str] {
        &[
            "Know every secret in this house",
            "Keep every one of your own",
        ]
    }

    fn outcome(&self, a: &Activity, roster: &[String]) -> (PromptOutcome, Vec<(String, i64)>) {
        choice::outcome(a, roster)
    }
}
