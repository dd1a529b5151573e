//! BLIND_AUCTION (docs/games.md §6). Three mystery prize slots, drawn by a seeded shuffle
//! from {+5, +10, +15, +20 silver, SHIELD, CURSE_NO_DM, CURSE_HALF_VOTE}; the prizes stay secret
//! until the result. Every alive player may bid once: `GAME.BLIND_AUCTION.SUBMIT {slot, amount}`,
//! slot 1–3, amount 0 to their silver.
//!
//! Per slot the highest bid wins (equal bids: the earlier one). A sole bidder pays nothing;
//! otherwise the winner pays their bid (at most their silver at settlement) and what they pay
//! goes to the gold pool. Prizes have real effects ([BUG?] fixed; see `effects`): silver is
//! credited, SHIELD makes its holder immune in tonight's vote, CURSE_HALF_VOTE halves their vote
//! tonight, CURSE_NO_DM blocks their DMs tomorrow. Ends at END_GAME or once everyone bid.

use super::{
    check_undecided, who_decided, EffectKind, Env, Family, Finish, Game, GameCommand, GameRun,
    Payout, Play, Plays, Summary,
};
use crate::engine::economy::require_silver;
use crate::engine::error::Rejection;
use crate::engine::games::GameType;
use crate::engine::registry::commands;
use crate::engine::rng::Rng;
use serde::{Deserialize, Serialize};

pub const SLOTS: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Prize {
    Silver(u64),
    Shield,
    CurseNoDm,
    CurseHalfVote,
}

/// The prize pool the three slots are drawn from.
pub const PRIZE_POOL: [Prize; 7] = [
    Prize::Silver(5),
    Prize::Silver(10),
    Prize::Silver(15),
    Prize::Silver(20),
    Prize::Shield,
    Prize::CurseNoDm,
    Prize::CurseHalfVote,
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Bid {
    pub player_id: String,
    pub slot: u32,
    pub amount: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlindAuction {
    pub eligible: Vec<String>,
    /// Secret until the result.
    pub prizes: Vec<Prize>,
    /// In the order placed. Secret until the result.
    pub bids: Vec<Bid>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SlotResult {
    pub slot: u32,
    pub prize: Prize,
    pub winner: Option<String>,
    /// Silver the winner paid (0 for a sole bidder).
    pub paid: u64,
    pub bidders: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BlindAuctionSummary {
    pub slots: Vec<SlotResult>,
    pub bids: Vec<Bid>,
    pub gold_contribution: u64,
}

impl BlindAuction {
    fn bid_of(&self, id: &str) -> Option<&Bid> {
        self.bids.iter().find(|b| b.player_id == id)
    }
}

/// BLIND_AUCTION as one player sees it: who has bid, never what (but their own).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BlindAuctionView {
    pub slots: usize,
    pub eligible: Vec<String>,
    pub submitted: Vec<String>,
    pub my_bid: Option<Bid>,
}

commands! {
    pub enum Command {
        "GAME.BLIND_AUCTION.SUBMIT" => Submit { slot: u32, amount: u64 },
    }
}

impl Play for Command {
    fn target(&self) -> (&'static [Family], Option<GameType>) {
        match self {
            Command::Submit { .. } => (&[Family::SyncDecision], Some(GameType::BlindAuction)),
        }
    }
}

/// BLIND_AUCTION's line of the game registry.
pub(crate) const BLIND_AUCTION: Plays = Plays {
    family: Family::SyncDecision,
    spawn: |env, players| BlindAuction::spawn(env, players).map(GameRun::BlindAuction),
};

impl Game for BlindAuction {
    fn spawn(env: &Env<'_>, players: &[String]) -> Result<Self, Rejection> {
        let seed = env.seed.ok_or(Rejection::SeedUnknown)?;
        let mut pool = PRIZE_POOL.to_vec();
        Rng::for_entry(seed, env.seq, "blind-auction").shuffle(&mut pool);
        pool.truncate(SLOTS);
        Ok(BlindAuction {
            eligible: players.to_vec(),
            prizes: pool,
            bids: Vec::new(),
        })
    }

    fn accept(
        &mut self,
        env: &Env<'_>,
        actor: &str,
        cmd: &GameCommand,
    ) -> Result<Vec<Payout>, Rejection> {
        let GameCommand::BlindAuction(Command::Submit { slot, amount }) = cmd else {
            return Err(Rejection::Unsupported(
                "this command in BLIND_AUCTION".into(),
            ));
        };
        check_undecided(&self.eligible, actor, self.bid_of(actor).is_some())?;
        if !(1..=SLOTS as u32).contains(slot) {
            return Err(Rejection::InvalidSlot(*slot));
        }
        require_silver(env.st, actor, *amount)?;
        self.bids.push(Bid {
            player_id: actor.to_string(),
            slot: *slot,
            amount: *amount,
        });
        Ok(Vec::new())
    }

    fn complete(&self, env: &Env<'_>) -> bool {
        env.all_decided(&self.eligible, |p| self.bid_of(p).is_some())
    }

    fn finish(&mut self, env: &Env<'_>) -> Finish {
        let mut payouts = Vec::new();
        let mut slots = Vec::new();
        let mut gold = 0;
        for (i, prize) in self.prizes.iter().enumerate() {
            let slot = i as u32 + 1;
            let bids: Vec<&Bid> = self.bids.iter().filter(|b| b.slot == slot).collect();
            // Highest bid; equal bids go to the earlier one (max_by_key would take the last).
            let best = bids.iter().map(|b| b.amount).max();
            let winner = best.and_then(|m| bids.iter().find(|b| b.amount == m));
            let mut paid = 0;
            if let Some(w) = winner {
                if bids.len() > 1 {
                    paid = w.amount.min(env.silver(&w.player_id));
                    if paid > 0 {
                        payouts.push(Payout::Silver {
                            player: w.player_id.clone(),
                            delta: -(paid as i64),
                        });
                        gold += paid;
                    }
                }
                let player = w.player_id.clone();
                payouts.push(match prize {
                    Prize::Silver(n) => Payout::Silver {
                        player,
                        delta: *n as i64,
                    },
                    Prize::Shield => Payout::Effect {
                        kind: EffectKind::Shield,
                        player,
                    },
                    Prize::CurseNoDm => Payout::Effect {
                        kind: EffectKind::CurseNoDm,
                        player,
                    },
                    Prize::CurseHalfVote => Payout::Effect {
                        kind: EffectKind::CurseHalfVote,
                        player,
                    },
                });
            }
            slots.push(SlotResult {
                slot,
                prize: *prize,
                winner: winner.map(|w| w.player_id.clone()),
                paid,
                bidders: bids.len() as u32,
            });
        }
        payouts.push(Payout::Gold { amount: gold });
        Finish {
            payouts,
            summary: Summary::BlindAuction(BlindAuctionSummary {
                slots,
                bids: self.bids.clone(),
                gold_contribution: gold,
            }),
        }
    }

    fn view(&self, _env: &Env<'_>, viewer: Option<&str>) -> super::RunningGameView {
        super::RunningGameView::BlindAuction(BlindAuctionView {
            slots: SLOTS,
            eligible: self.eligible.clone(),
            submitted: who_decided(&self.eligible, |p| self.bid_of(p).is_some()),
            my_bid: viewer.and_then(|v| self.bid_of(v)).cloned(),
        })
    }
}
