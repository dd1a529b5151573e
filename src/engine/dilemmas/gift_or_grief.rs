//! GIFT_OR_GRIEF `{targetId}` (another alive player). Nominations are counted per player: every
//! player tied for the most nominations gains 10 silver; when not everyone nominated is tied, every
//! player tied for the fewest nominations (at least one) loses 10 (never below zero). Players
//! nobody nominated are unaffected. No no-show threshold: it is never voided.

use super::{Decision, Dilemma, DilemmaOutcome, Mechanism, NamesPlayer};
use crate::engine::economy::pay;
use crate::engine::registry::commands;
use crate::engine::state::{Ctx, GameState};

/// To the most nominated.
pub const GIFT: i64 = 10;
/// From the least nominated (at least one nomination), when not all are tied.
pub const GRIEF: i64 = 10;

commands! {
    pub enum Command {
        "DILEMMA.GIFT_OR_GRIEF.SUBMIT" => Submit {
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

pub struct GiftOrGrief;

impl Mechanism for GiftOrGrief {
    fn rules_text(&self) -> &'static str {
        "Nominate a player. The most nominated gain 10 silver; the least nominated (if named at all) lose 10."
    }

    fn docs(&self) -> &'static str {
        "docs/content.md"
    }

    /// No no-show threshold: it is never voided.
    fn resolve(
        &self,
        st: &mut GameState,
        d: &Dilemma,
        _no_shows: usize,
        ctx: &mut Ctx<'_>,
    ) -> (DilemmaOutcome, Vec<(String, i64)>, String) {
        let count = |id: &str| {
            d.decisions
                .iter()
                .filter(|(_, x)| matches!(x, Decision::Target(t) if t == id))
                .count() as u32
        };
        let nominations: Vec<(String, u32)> = st
            .players
            .iter()
            .map(|p| (p.id.clone(), count(&p.id)))
            .filter(|(_, n)| *n > 0)
            .collect();
        let max = nominations.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let min = nominations.iter().map(|(_, n)| *n).min().unwrap_or(0);
        let gifted: Vec<String> = nominations
            .iter()
            .filter(|(_, n)| *n == max)
            .map(|(p, _)| p.clone())
            .collect();
        let grieved: Vec<String> = if max != min {
            nominations
                .iter()
                .filter(|(_, n)| *n == min)
                .map(|(p, _)| p.clone())
                .collect()
        } else {
            Vec::new()
        };
        let mut rewards = Vec::new();
        for p in &gifted {
            let got = pay(st, p, GIFT, "DILEMMA_GIFT", ctx.facts);
            rewards.push((p.clone(), got));
        }
        for p in &grieved {
            let got = pay(st, p, -GRIEF, "DILEMMA_GRIEF", ctx.facts);
            if got != 0 {
                rewards.push((p.clone(), got));
            }
        }
        crate::engine::order::sort_by_key(&mut rewards, |(p, _)| {
            st.players.iter().position(|x| x.id == *p)
        });
        let summary = if nominations.is_empty() {
            "Nobody was nominated.".to_string()
        } else if grieved.is_empty() {
            format!("{} gifted {GIFT} silver.", gifted.join(", "))
        } else {
            format!(
                "{} gifted {GIFT} silver; {} grieved {GRIEF}.",
                gifted.join(", "),
                grieved.join(", ")
            )
        };
        (
            DilemmaOutcome::GiftOrGrief {
                nominations,
                gifted,
                grieved,
            },
            rewards,
            summary,
        )
    }
}
