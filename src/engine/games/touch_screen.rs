//! TOUCH_SCREEN (docs/games.md §4c): hold the screen longer than everyone else.
//!
//! LIVE (the day's `gameMode`, and the default): a READY phase of [`READY_MS`] in which the alive
//! players send `GAME.TOUCH_SCREEN.READY`; it ends early once every alive player is ready. With
//! nobody ready the game ends empty; otherwise a [`COUNTDOWN_MS`] countdown starts (at the time of
//! the entry that ended the READY phase), then the ready players `TOUCH` and later `RELEASE`. The
//! hold phase ends once somebody has released and at most one player is still holding (that
//! player's hold ends then), or when every ready player has touched and released, or at its cap
//! ([`MAX_HOLD_MS`] after the countdown ended: whoever still holds is released at the cap).
//!
//! SOLO: each alive player plays alone: `GAME.TOUCH_SCREEN.START` starts their own countdown, then
//! `TOUCH` and `RELEASE` as above, capped [`MAX_HOLD_MS`] after their countdown ended. The game
//! ends when every alive player has released (or at END_GAME; a player still holding is counted
//! up to END_GAME's time or their cap). (The prototype let only the first player to START play.)
//!
//! Ranking by hold duration = release time − touch time, both entry times on the server's clock
//! (never the client's); equal durations share the better rank. Silver by rank: 15, 10, 7, then 3
//! for every later rank; gold to the pool: floor(total hold ms / 5000); a SHIELD to the single
//! longest holder (none on a tie for first). Players who never touched get nothing.
//!
//! Secrecy: while the game runs, nobody sees anyone's touch or release time (their own excepted),
//! only who is ready, holding or done; durations are published in the result.

use super::arcade::credit;
use super::effects::EffectKind;
use super::{Env, Family, Finish, Game, GameCommand, GameRun, Payout, Play, Plays, Summary};
use crate::engine::error::Rejection;
use crate::engine::fact::Fact;
use crate::engine::games::GameType;
use crate::engine::manifest::GameMode;
use crate::engine::registry::commands;
use serde::{Deserialize, Serialize};

pub const READY_MS: i64 = 15_000;
pub const COUNTDOWN_MS: i64 = 3_000;
pub const MAX_HOLD_MS: i64 = 300_000;
pub const SILVER_BY_RANK: [u64; 4] = [15, 10, 7, 3];
pub const MS_PER_GOLD: i64 = 5_000;

/// Where a LIVE game is (a SOLO game is always `HOLD`: each player has their own clock).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum TsPhase {
    Ready,
    Countdown,
    Hold,
    Done,
}

/// One player's progress, public part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum TsStatus {
    /// Not ready (LIVE) or not started (SOLO).
    Idle,
    /// Ready (LIVE) or in their countdown / allowed to touch (SOLO).
    Ready,
    Holding,
    Released,
}

/// One player (server-side).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TsPlayer {
    pub player_id: String,
    pub ready: bool,
    /// When TOUCH is allowed from (the countdown's end).
    pub opens_at_ms: Option<i64>,
    pub touch_at_ms: Option<i64>,
    pub release_at_ms: Option<i64>,
}

impl TsPlayer {
    fn cap(&self) -> Option<i64> {
        self.opens_at_ms.map(|o| o + MAX_HOLD_MS)
    }

    fn holding(&self) -> bool {
        self.touch_at_ms.is_some() && self.release_at_ms.is_none()
    }

    fn status(&self) -> TsStatus {
        match (self.ready, self.touch_at_ms, self.release_at_ms) {
            (_, Some(_), Some(_)) => TsStatus::Released,
            (_, Some(_), None) => TsStatus::Holding,
            (true, None, _) => TsStatus::Ready,
            (false, None, _) => TsStatus::Idle,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TouchScreen {
    pub live: bool,
    pub phase: TsPhase,
    pub phase_started_at_ms: i64,
    pub players: Vec<TsPlayer>,
}

/// One ranked player of the result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TsRow {
    pub player_id: String,
    /// 1-based; equal holds share the better rank.
    pub rank: u32,
    pub hold_ms: i64,
    pub silver: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TouchScreenSummary {
    pub live: bool,
    /// Players who touched, best first (ties in roster order).
    pub ranking: Vec<TsRow>,
    pub shield: Option<String>,
    pub gold_contribution: u64,
}

/// A player as everyone sees them while the game runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TsPlayerView {
    pub player_id: String,
    pub status: TsStatus,
}

/// The viewer's own times.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TsMine {
    pub status: TsStatus,
    pub opens_at_ms: Option<i64>,
    pub touch_at_ms: Option<i64>,
    pub release_at_ms: Option<i64>,
    /// When the viewer's hold is stopped at the latest.
    pub cap_at_ms: Option<i64>,
}

/// TOUCH_SCREEN as one player sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TouchScreenView {
    pub live: bool,
    pub phase: TsPhase,
    pub phase_started_at_ms: i64,
    /// LIVE: when the phase ends at the latest.
    pub phase_ends_at_ms: Option<i64>,
    pub players: Vec<TsPlayerView>,
    pub mine: Option<TsMine>,
}

commands! {
    pub enum Command {
        "GAME.TOUCH_SCREEN.START" => Start {},
        "GAME.TOUCH_SCREEN.READY" => Ready {},
        "GAME.TOUCH_SCREEN.TOUCH" => Touch {},
        "GAME.TOUCH_SCREEN.RELEASE" => Release {},
    }
}

impl Play for Command {
    fn target(&self) -> (&'static [Family], Option<GameType>) {
        match self {
            Command::Start {} | Command::Ready {} | Command::Touch {} | Command::Release {} => {
                (&[Family::Live], Some(GameType::TouchScreen))
            }
        }
    }
}

/// TOUCH_SCREEN's line of the game registry.
pub(crate) const TOUCH_SCREEN: Plays = Plays {
    family: Family::Live,
    spawn: |env, players| TouchScreen::spawn(env, players).map(GameRun::TouchScreen),
};

fn stage(s: &'static str) -> Rejection {
    Rejection::WrongGameStage(s)
}

impl TouchScreen {
    fn player(&self, id: &str) -> Option<&TsPlayer> {
        self.players.iter().find(|p| p.player_id == id)
    }

    /// Releases every hold whose cap is at or before `at_ms`, at its cap.
    fn cap_holds(&mut self, at_ms: i64) {
        for p in &mut self.players {
            if let (true, Some(cap)) = (p.holding(), p.cap()) {
                if cap <= at_ms {
                    p.release_at_ms = Some(cap);
                }
            }
        }
    }

    /// Each player's hold, as it stands at `at_ms` (a hold still running counts until then, or
    /// its cap).
    fn holds(&self, at_ms: i64) -> Vec<(String, i64)> {
        self.players
            .iter()
            .filter_map(|p| {
                let t = p.touch_at_ms?;
                let end = p
                    .release_at_ms
                    .unwrap_or_else(|| p.cap().map_or(at_ms, |c| c.min(at_ms)));
                Some((p.player_id.clone(), (end - t).max(0)))
            })
            .collect()
    }

    fn live_hold_over(&self, env: &Env<'_>) -> bool {
        let ready: Vec<&TsPlayer> = self.players.iter().filter(|p| p.ready).collect();
        let released = ready.iter().any(|p| p.release_at_ms.is_some());
        let holding = ready.iter().filter(|p| p.holding()).count();
        let all_done = ready
            .iter()
            .all(|p| p.release_at_ms.is_some() || !env.alive(&p.player_id));
        all_done || (released && holding <= 1)
    }
}

/// Hand-checkable ranking: holds best first (ties in roster order), equal holds share the better
/// rank; silver by rank.
pub fn rank(holds: &[(String, i64)]) -> Vec<TsRow> {
    let mut order: Vec<(usize, &(String, i64))> = holds.iter().enumerate().collect();
    crate::engine::order::sort_by(&mut order, |a, b| b.1 .1.cmp(&a.1 .1).then(a.0.cmp(&b.0)));
    let mut rows: Vec<TsRow> = Vec::new();
    for (i, (_, (id, ms))) in order.into_iter().enumerate() {
        let rank = match rows.last() {
            Some(prev) if prev.hold_ms == *ms => prev.rank,
            _ => i as u32 + 1,
        };
        let idx = (rank as usize - 1).min(SILVER_BY_RANK.len() - 1);
        rows.push(TsRow {
            player_id: id.clone(),
            rank,
            hold_ms: *ms,
            silver: SILVER_BY_RANK[idx],
        });
    }
    rows
}

impl Game for TouchScreen {
    fn spawn(env: &Env<'_>, players: &[String]) -> Result<Self, Rejection> {
        let mode = env
            .st
            .manifest
            .days
            .get(env.st.day.max(1) as usize - 1)
            .and_then(|d| d.game_mode);
        let live = mode != Some(GameMode::Solo);
        Ok(TouchScreen {
            live,
            phase: if live { TsPhase::Ready } else { TsPhase::Hold },
            phase_started_at_ms: env.at_ms,
            players: players
                .iter()
                .map(|id| TsPlayer {
                    player_id: id.clone(),
                    ready: false,
                    opens_at_ms: None,
                    touch_at_ms: None,
                    release_at_ms: None,
                })
                .collect(),
        })
    }

    fn accept(
        &mut self,
        env: &Env<'_>,
        actor: &str,
        cmd: &GameCommand,
    ) -> Result<Vec<Payout>, Rejection> {
        let GameCommand::TouchScreen(cmd) = cmd else {
            return Err(Rejection::Unsupported(
                "this command in TOUCH_SCREEN".into(),
            ));
        };
        let at = env.at_ms;
        let (live, phase) = (self.live, self.phase);
        let p = self.player(actor).ok_or(Rejection::NotInGame)?;
        if phase == TsPhase::Done {
            return Err(stage("DONE"));
        }
        match cmd {
            Command::Start {} => {
                if live {
                    return Err(stage("LIVE"));
                }
                if p.ready {
                    return Err(Rejection::AlreadySubmitted);
                }
            }
            Command::Ready {} => {
                if !live {
                    return Err(stage("SOLO"));
                }
                if phase != TsPhase::Ready {
                    return Err(stage("COUNTDOWN"));
                }
                if at >= self.phase_started_at_ms + READY_MS {
                    return Err(Rejection::TooLate {
                        deadline_ms: self.phase_started_at_ms + READY_MS,
                    });
                }
                if p.ready {
                    return Err(Rejection::AlreadySubmitted);
                }
            }
            Command::Touch {} => {
                let Some(opens) = p.opens_at_ms else {
                    return Err(match (live, phase) {
                        (true, TsPhase::Ready) => stage("READY"),
                        // Not ready when the countdown began: not playing.
                        (true, _) => Rejection::NotInGame,
                        (false, _) => stage("NOT_STARTED"),
                    });
                };
                if at < opens {
                    return Err(Rejection::TooEarly { opens_at_ms: opens });
                }
                if p.touch_at_ms.is_some() {
                    return Err(Rejection::AlreadySubmitted);
                }
                if let Some(cap) = p.cap().filter(|c| at >= *c) {
                    return Err(Rejection::TooLate { deadline_ms: cap });
                }
            }
            Command::Release {} => {
                if !p.holding() {
                    return Err(stage("NOT_HOLDING"));
                }
                if let Some(cap) = p.cap().filter(|c| at > *c) {
                    return Err(Rejection::TooLate { deadline_ms: cap });
                }
            }
        }
        // Validated: apply.
        let Some(p) = self.players.iter_mut().find(|p| p.player_id == actor) else {
            return Err(Rejection::NotInGame);
        };
        match cmd {
            Command::Start {} => {
                p.ready = true;
                p.opens_at_ms = Some(at + COUNTDOWN_MS);
            }
            Command::Ready {} => p.ready = true,
            Command::Touch {} => p.touch_at_ms = Some(at),
            Command::Release {} => p.release_at_ms = Some(at),
        }
        Ok(Vec::new())
    }

    fn complete(&self, env: &Env<'_>) -> bool {
        if self.live {
            self.phase == TsPhase::Done
        } else {
            self.players
                .iter()
                .all(|p| p.release_at_ms.is_some() || !env.alive(&p.player_id))
        }
    }

    fn finish(&mut self, env: &Env<'_>) -> Finish {
        let holds = self.holds(env.at_ms);
        let ranking = rank(&holds);
        let total: i64 = holds.iter().map(|(_, ms)| ms).sum();
        let gold = (total / MS_PER_GOLD) as u64;
        let shield = match ranking.as_slice() {
            [a, b, ..] if a.hold_ms == b.hold_ms => None,
            [a, ..] if a.hold_ms > 0 => Some(a.player_id.clone()),
            _ => None,
        };
        let mut payouts = Vec::new();
        for r in &ranking {
            let run = super::Run {
                scores: [("holdMs".to_string(), r.hold_ms as u64)]
                    .into_iter()
                    .collect(),
                silver: r.silver,
                gold: 0,
            };
            payouts.extend(
                credit(GameType::TouchScreen, &r.player_id, &run, false)
                    .into_iter()
                    .filter(|p| !matches!(p, Payout::Gold { .. })),
            );
        }
        if gold > 0 {
            payouts.push(Payout::Gold { amount: gold });
        }
        if let Some(s) = &shield {
            payouts.push(Payout::Effect {
                kind: EffectKind::Shield,
                player: s.clone(),
            });
        }
        self.phase = TsPhase::Done;
        Finish {
            payouts,
            summary: Summary::TouchScreen(TouchScreenSummary {
                live: self.live,
                ranking,
                shield,
                gold_contribution: gold,
            }),
        }
    }

    fn advance(&mut self, env: &Env<'_>) -> Vec<Fact> {
        let at = env.at_ms;
        self.cap_holds(at);
        if !self.live {
            return Vec::new();
        }
        loop {
            match self.phase {
                TsPhase::Ready => {
                    let all_ready = self
                        .players
                        .iter()
                        .all(|p| p.ready || !env.alive(&p.player_id));
                    if !all_ready && at < self.phase_started_at_ms + READY_MS {
                        break;
                    }
                    if self.players.iter().any(|p| p.ready) {
                        // The countdown starts now (a late timer never shortens it).
                        self.phase = TsPhase::Countdown;
                        self.phase_started_at_ms = at;
                        for p in self.players.iter_mut().filter(|p| p.ready) {
                            p.opens_at_ms = Some(at + COUNTDOWN_MS);
                        }
                    } else {
                        self.phase = TsPhase::Done;
                    }
                }
                TsPhase::Countdown => {
                    let opens = self.phase_started_at_ms + COUNTDOWN_MS;
                    if at < opens {
                        break;
                    }
                    self.phase = TsPhase::Hold;
                    self.phase_started_at_ms = opens;
                }
                TsPhase::Hold => {
                    if at >= self.phase_started_at_ms + MAX_HOLD_MS || self.live_hold_over(env) {
                        // The last one holding stops now (or at the cap).
                        let end = at.min(self.phase_started_at_ms + MAX_HOLD_MS);
                        for p in self.players.iter_mut().filter(|p| p.holding()) {
                            p.release_at_ms = Some(end);
                        }
                        self.phase = TsPhase::Done;
                    } else {
                        break;
                    }
                }
                TsPhase::Done => break,
            }
        }
        Vec::new()
    }

    fn timer(&self) -> Option<i64> {
        if !self.live {
            // Only a running hold needs waking (at its cap).
            return self
                .players
                .iter()
                .filter(|p| p.holding())
                .filter_map(TsPlayer::cap)
                .min();
        }
        match self.phase {
            TsPhase::Ready => Some(self.phase_started_at_ms + READY_MS),
            TsPhase::Countdown => Some(self.phase_started_at_ms + COUNTDOWN_MS),
            TsPhase::Hold => Some(self.phase_started_at_ms + MAX_HOLD_MS),
            TsPhase::Done => None,
        }
    }

    fn view(&self, _env: &Env<'_>, viewer: Option<&str>) -> super::RunningGameView {
        let mine = viewer.and_then(|v| self.player(v)).map(|p| TsMine {
            status: p.status(),
            opens_at_ms: p.opens_at_ms,
            touch_at_ms: p.touch_at_ms,
            release_at_ms: p.release_at_ms,
            cap_at_ms: p.cap(),
        });
        super::RunningGameView::TouchScreen(TouchScreenView {
            live: self.live,
            phase: self.phase,
            phase_started_at_ms: self.phase_started_at_ms,
            phase_ends_at_ms: if self.live { self.timer() } else { None },
            players: self
                .players
                .iter()
                .map(|p| TsPlayerView {
                    player_id: p.player_id.clone(),
                    status: p.status(),
                })
                .collect(),
            mine,
        })
    }
}
