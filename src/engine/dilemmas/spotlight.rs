//! SPOTLIGHT `{targetId}` (another alive player). If at least one player submitted, every
//! submission names the same player and at most one eligible player is a no-show, that player
//! wins 20 silver. Otherwise nothing happens.

use super::{Decision, Dilemma, DilemmaOutcome, Mechanism, NamesPlayer, MAX_NO_SHOWS};
use crate::engine::economy::pay;
use crate::engine::registry::commands;
use crate::engine::state::{Ctx, GameState};

/// To the unanimous pick.
pub const SPOTLIGHT_REWARD: i64 = 20;

commands! {
    pub enum Command {
        "DILEMMA.SPOTLIGHT.SUBMIT" => Submit {
            #[serde(rename = "targetId")]
            target_id: String,
        },
    }
}

impl NamesPlayer for Command {
    fn named(&self) -> &str {
        match self {
            Command::Submit { target_id } => target_id,
        }
    }
}

pub struct Spotlight;

impl Mechanism for Spotlight {
    fn rules_text(&self) -> &'static str {
        "Name a player. If everyone names the same player, they win 20 silver."
    }

    fn docs(&self) -> &'static str {
        "docs/content.md"
    }

    fn resolve(
        &self,
        st: &mut GameState,
        d: &Dilemma,
        no_shows: usize,
        ctx: &mut Ctx<'_>,
    ) -> (DilemmaOutcome, Vec<(String, i64)>, String) {
        let picks: Vec<&String> = d
            .decisions
            .iter()
            .filter_map(|(_, x)| match x {
                Decision::Target(t) => Some(t),
                Decision::Donate | Decision::Keep => None,
            })
            .collect();
        let unanimous = picks
            .first()
            .filter(|first| picks.iter().all(|p| p == *first))
            .map(|p| (*p).clone());
        let chosen = unanimous.clone().filter(|_| no_shows <= MAX_NO_SHOWS);
        let mut rewards = Vec::new();
        if let Some(c) = &chosen {
            pay(st, c, SPOTLIGHT_REWARD, "DILEMMA_SPOTLIGHT", ctx.facts);
            rewards.push((c.clone(), SPOTLIGHT_REWARD));
        }
        let summary = match (&chosen, &unanimous) {
            (Some(c), _) => format!("Everyone named {c}: {SPOTLIGHT_REWARD} silver for them."),
            (None, Some(_)) => format!("{no_shows} players did not decide: no spotlight."),
            (None, None) if picks.is_empty() => "Nobody named anyone.".to_string(),
            (None, None) => "No consensus: no spotlight.".to_string(),
        };
        (DilemmaOutcome::Spotlight { chosen }, rewards, summary)
    }
}
