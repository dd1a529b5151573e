//! KINGS_RANSOM (docs/games.md §6). The King is the richest alive player at START_GAME (ties:
//! first in roster order) and does not take part. The vault is max(10, floor(0.3 × the King's
//! silver at START_GAME)). Every other alive player decides once, in secret:
//! `GAME.KINGS_RANSOM.SUBMIT {action: STEAL|PROTECT}`.
//!
//! More PROTECT: the King loses the vault, the protectors split floor(vault / protectors) each.
//! More STEAL: the King loses the vault, the stealers split floor(2 × vault / stealers) each (the
//! prototype's inflationary double vault), and the King gets a SHIELD (a real effect: immune in
//! tonight's vote; the prototype's was cosmetic). Equal counts (nobody included): nothing happens.
//! The King never goes below zero. Ends at END_GAME or once every other alive player decided.

use super::{
    check_undecided, who_decided, EffectKind, Env, Family, Finish, Game, GameCommand, GameRun,
    Payout, Play, Plays, Summary,
};
use crate::engine::error::Rejection;
use crate::engine::games::GameType;
use crate::engine::registry::commands;
use serde::{Deserialize, Serialize};

pub const VAULT_MINIMUM: u64 = 10;
/// Vault share of the King's silver, in percent.
pub const VAULT_PERCENT: u64 = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum KingsAction {
    Steal,
    Protect,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KingsRansom {
    pub king: Option<String>,
    pub vault: u64,
    /// Everyone alive but the King.
    pub eligible: Vec<String>,
    /// Secret until the result.
    pub decisions: Vec<(String, KingsAction)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum KingsOutcome {
    ProtectWins,
    StealWins,
    Tie,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KingsSummary {
    pub king: Option<String>,
    pub vault: u64,
    pub outcome: KingsOutcome,
    pub decisions: Vec<(String, KingsAction)>,
    /// What the King lost.
    pub king_paid: u64,
    /// Each winner's share.
    pub share: u64,
    pub shield: Option<String>,
}

impl KingsRansom {
    fn decision(&self, id: &str) -> Option<KingsAction> {
        self.decisions
            .iter()
            .find(|(p, _)| p == id)
            .map(|(_, a)| *a)
    }
}

/// KINGS_RANSOM as one player sees it: the king, the vault and who has decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct KingsRansomView {
    pub king: Option<String>,
    pub vault: u64,
    pub eligible: Vec<String>,
    pub submitted: Vec<String>,
    pub my_decision: Option<KingsAction>,
}

commands! {
    pub enum Command {
        "GAME.KINGS_RANSOM.SUBMIT" => Submit { action: KingsAction },
    }
}

impl Play for Command {
    fn target(&self) -> (&'static [Family], Option<GameType>) {
        match self {
            Command::Submit { .. } => (&[Family::SyncDecision], Some(GameType::KingsRansom)),
        }
    }
}

/// KINGS_RANSOM's line of the game registry.
pub(crate) const KINGS_RANSOM: Plays = Plays {
    family: Family::SyncDecision,
    spawn: |env, players| KingsRansom::spawn(env, players).map(GameRun::KingsRansom),
};

impl Game for KingsRansom {
    fn spawn(env: &Env<'_>, players: &[String]) -> Result<Self, Rejection> {
        let richest = players.iter().map(|p| env.silver(p)).max();
        let king = richest.and_then(|m| players.iter().find(|p| env.silver(p) == m).cloned());
        let king_silver = king.as_deref().map_or(0, |k| env.silver(k));
        Ok(KingsRansom {
            vault: VAULT_MINIMUM.max(king_silver * VAULT_PERCENT / 100),
            eligible: players
                .iter()
                .filter(|p| Some(p.as_str()) != king.as_deref())
                .cloned()
                .collect(),
            king,
            decisions: Vec::new(),
        })
    }

    fn accept(
        &mut self,
        _env: &Env<'_>,
        actor: &str,
        cmd: &GameCommand,
    ) -> Result<Vec<Payout>, Rejection> {
        let GameCommand::KingsRansom(Command::Submit { action }) = cmd else {
            return Err(Rejection::Unsupported(
                "this command in KINGS_RANSOM".into(),
            ));
        };
        check_undecided(&self.eligible, actor, self.decision(actor).is_some())?;
        self.decisions.push((actor.to_string(), *action));
        Ok(Vec::new())
    }

    fn complete(&self, env: &Env<'_>) -> bool {
        env.all_decided(&self.eligible, |p| self.decision(p).is_some())
    }

    fn finish(&mut self, env: &Env<'_>) -> Finish {
        let who = |a: KingsAction| -> Vec<String> {
            self.decisions
                .iter()
                .filter(|(_, x)| *x == a)
                .map(|(p, _)| p.clone())
                .collect()
        };
        let (steal, protect) = (who(KingsAction::Steal), who(KingsAction::Protect));
        let (outcome, winners, pool) = if protect.len() > steal.len() {
            (KingsOutcome::ProtectWins, protect, self.vault)
        } else if steal.len() > protect.len() {
            (KingsOutcome::StealWins, steal, 2 * self.vault)
        } else {
            (KingsOutcome::Tie, Vec::new(), 0)
        };
        let mut payouts = Vec::new();
        let mut king_paid = 0;
        let mut shield = None;
        let share = if winners.is_empty() {
            0
        } else {
            pool / winners.len() as u64
        };
        if let (Some(k), false) = (&self.king, winners.is_empty()) {
            king_paid = self.vault.min(env.silver(k));
            if king_paid > 0 {
                payouts.push(Payout::Silver {
                    player: k.clone(),
                    delta: -(king_paid as i64),
                });
            }
            if share > 0 {
                // Roster order.
                for p in self.eligible.iter().filter(|p| winners.contains(p)) {
                    payouts.push(Payout::Silver {
                        player: p.clone(),
                        delta: share as i64,
                    });
                }
            }
            if outcome == KingsOutcome::StealWins {
                shield = Some(k.clone());
                payouts.push(Payout::Effect {
                    kind: EffectKind::Shield,
                    player: k.clone(),
                });
            }
        }
        Finish {
            payouts,
            summary: Summary::KingsRansom(KingsSummary {
                king: self.king.clone(),
                vault: self.vault,
                outcome,
                decisions: self.decisions.clone(),
                king_paid,
                share,
                shield,
            }),
        }
    }

    fn view(&self, _env: &Env<'_>, viewer: Option<&str>) -> super::RunningGameView {
        super::RunningGameView::KingsRansom(KingsRansomView {
            king: self.king.clone(),
            vault: self.vault,
            eligible: self.eligible.clone(),
            submitted: who_decided(&self.eligible, |p| self.decision(p).is_some()),
            my_decision: viewer.and_then(|v| self.decision(v)),
        })
    }
}
