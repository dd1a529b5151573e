//! Arcade games: client-rendered, client-reported scores, validated and rewarded by the server
//! (docs/games.md §3, with the prototype's bug fixed: deadline auto-submissions are credited).
//!
//! Per alive player: `GAME.ARCADE.START {gameType}` (NOT_STARTED → PLAYING; the run's clock
//! starts at the entry's time), `GAME.ARCADE.RESULT {gameType, result: {field: n}}` (PLAYING →
//! AWAITING_DECISION), then `GAME.SUBMIT` (credited now: silver, and gold to the pool) or
//! `GAME.RETRY` (back to PLAYING, the last result kept as a fallback). Unlimited retries.
//!
//! Scores are whole numbers (the wire refuses anything else) and must be within each game's
//! bounds ([`spec`]); `timeElapsed` may not exceed the game's time limit nor the time since the
//! run started (plus [`GRACE_MS`]). An impossible score is refused with `INVALID_SCORE`.
//!
//! At END_GAME: AWAITING_DECISION players are submitted with their result, players in a retry
//! fall back to their previous result, and both are credited (auto). Players who never reported
//! a result get nothing. The game ends early once every alive player has submitted.

use super::{Env, Family, Finish, Game, GameCommand, GameRun, Payout, Play, Rules, Summary};
use crate::engine::error::Rejection;
use crate::engine::fact::Fact;
use crate::engine::games::GameType;
use crate::engine::registry::commands;
use crate::engine::rng::Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Network slack allowed between a run's START and its reported `timeElapsed`.
pub const GRACE_MS: i64 = 2_000;
/// Difficulty grows by this many percent a day (prototype: 0.15), up to 100.
pub const DIFFICULTY_PCT_PER_DAY: u32 = 15;

pub type Scores = BTreeMap<String, u64>;

fn get(s: &Scores, k: &str) -> u64 {
    s.get(k).copied().unwrap_or(0)
}

/// One arcade game: its time limit, score fields with their largest plausible value, cross-field
/// checks, silver cap and reward table.
pub struct Spec {
    pub time_limit_ms: u64,
    pub fields: &'static [(&'static str, u64)],
    pub silver_cap: u64,
    check: fn(&Scores) -> Result<(), String>,
    reward: fn(&Scores) -> (u64, u64),
}

impl Spec {
    /// `(silver, gold)` for a validated result; silver capped.
    pub fn reward(&self, s: &Scores) -> (u64, u64) {
        let (silver, gold) = (self.reward)(s);
        (silver.min(self.silver_cap), gold)
    }
}

fn no_check(_: &Scores) -> Result<(), String> {
    Ok(())
}

fn not_above(s: &Scores, small: &str, big: &str) -> Result<(), String> {
    if get(s, small) > get(s, big) {
        Err(format!("{small} cannot exceed {big}"))
    } else {
        Ok(())
    }
}

/// One arcade game's rules: a time limit, score fields with their largest plausible value,
/// cross-field checks, a silver cap and a reward table (docs/games.md §3: silver cap 15;
/// GAP_RUN 15 + a 5 survival bonus; RECALL 30). Each game is one constant below, named by its line
/// of the game registry (`engine::games`).
const fn spec(
    time_limit_ms: u64,
    fields: &'static [(&'static str, u64)],
    check: fn(&Scores) -> Result<(), String>,
    reward: fn(&Scores) -> (u64, u64),
) -> Spec {
    Spec {
        time_limit_ms,
        fields,
        silver_cap: 15,
        check,
        reward,
    }
}

pub const GAP_RUN: Spec = Spec {
    silver_cap: 20,
    ..spec(45_000, &[("distance", 10_000)], no_check, |r| {
        let survival = if get(r, "timeElapsed") >= 44_000 {
            5
        } else {
            0
        };
        (
            (get(r, "distance") / 100).min(15) + survival,
            get(r, "distance") / 500,
        )
    })
};

pub const GRID_PUSH: Spec = spec(180_000, &[("bankedTotal", 1_000)], no_check, |r| {
    (get(r, "bankedTotal") / 5, get(r, "bankedTotal") / 25)
});

pub const SEQUENCE: Spec = spec(180_000, &[("correctRounds", 40)], no_check, |r| {
    (2 * get(r, "correctRounds"), get(r, "correctRounds") / 3)
});

pub const SIMON_SAYS: Spec = spec(180_000, &[("roundsCompleted", 40)], no_check, |r| {
    (2 * get(r, "roundsCompleted"), get(r, "roundsCompleted") / 3)
});

pub const REACTION_TIME: Spec = spec(
    60_000,
    &[("avgReactionMs", 10_000), ("roundsCompleted", 30)],
    |r| {
        let (avg, rounds) = (get(r, "avgReactionMs"), get(r, "roundsCompleted"));
        if rounds > 0 && avg < 100 {
            return Err("avgReactionMs below 100 ms is not humanly possible".into());
        }
        if rounds * avg > 60_000 {
            return Err("roundsCompleted × avgReactionMs exceeds the time limit".into());
        }
        Ok(())
    },
    |r| {
        let rounds = get(r, "roundsCompleted");
        if rounds == 0 {
            return (0, 0);
        }
        let silver = match get(r, "avgReactionMs") {
            x if x < 200 => 15,
            x if x < 250 => 12,
            x if x < 300 => 10,
            x if x < 350 => 8,
            x if x < 400 => 6,
            x if x < 500 => 4,
            x if x < 700 => 2,
            _ => 1,
        };
        (silver, rounds / 3)
    },
);

pub const COLOR_MATCH: Spec = spec(60_000, &[("correctAnswers", 120)], no_check, |r| {
    (get(r, "correctAnswers"), get(r, "correctAnswers") / 5)
});

pub const STACKER: Spec = spec(
    120_000,
    &[("height", 100), ("perfectLayers", 100)],
    |r| not_above(r, "perfectLayers", "height"),
    |r| (get(r, "height"), get(r, "perfectLayers") / 3),
);

pub const QUICK_MATH: Spec = spec(
    90_000,
    &[("correctAnswers", 90), ("streak", 90)],
    |r| not_above(r, "streak", "correctAnswers"),
    |r| {
        (
            get(r, "correctAnswers") + get(r, "streak") / 3,
            get(r, "correctAnswers") / 4,
        )
    },
);

pub const AIM_TRAINER: Spec = spec(60_000, &[("score", 2_000)], no_check, |r| {
    (get(r, "score") / 10, get(r, "score") / 50)
});

pub const SHOCKWAVE: Spec = spec(
    60_000,
    &[("wavesCleared", 120), ("nearMisses", 600)],
    no_check,
    |r| {
        (
            get(r, "wavesCleared") / 3 + get(r, "nearMisses") / 5,
            get(r, "wavesCleared") / 15,
        )
    },
);

pub const ORBIT: Spec = spec(
    60_000,
    &[("transfers", 120), ("perfectCaptures", 120)],
    |r| not_above(r, "perfectCaptures", "transfers"),
    |r| {
        (
            get(r, "transfers") / 2 + get(r, "perfectCaptures") / 3,
            get(r, "transfers") / 10,
        )
    },
);

pub const BEAT_DROP: Spec = spec(
    90_000,
    &[("score", 100_000), ("accuracyPct", 100)],
    no_check,
    |r| {
        let perfect = if get(r, "accuracyPct") == 100 { 3 } else { 0 };
        (get(r, "score") / 500 + perfect, get(r, "score") / 2_500)
    },
);

pub const INFLATE: Spec = spec(
    45_000,
    &[("score", 30_000), ("perfectBanks", 100)],
    no_check,
    |r| {
        (
            get(r, "score") / 250 + get(r, "perfectBanks") / 2,
            get(r, "score") / 1_200,
        )
    },
);

pub const SNAKE: Spec = spec(
    45_000,
    &[("score", 400), ("finalLength", 500)],
    no_check,
    |r| {
        (
            get(r, "score") / 4 + get(r, "finalLength") / 3,
            get(r, "score") / 20,
        )
    },
);

pub const FLAPPY: Spec = spec(
    60_000,
    &[("score", 200), ("coinsCollected", 200)],
    no_check,
    |r| {
        (
            get(r, "score") / 3 + get(r, "coinsCollected") / 5,
            get(r, "score") / 15,
        )
    },
);

pub const COLOR_SORT: Spec = spec(120_000, &[("score", 2_000), ("solved", 1)], no_check, |r| {
    let bonus = if get(r, "solved") == 1 { 5 } else { 0 };
    (get(r, "score") / 20 + bonus, get(r, "score") / 100)
});

pub const BLINK: Spec = spec(30_000, &[("score", 1_000)], no_check, |r| {
    (get(r, "score") / 10, get(r, "score") / 50)
});

pub const RECALL: Spec = Spec {
    silver_cap: 30,
    ..spec(
        90_000,
        // Grids of 3×3 to 6×6: 9 + 16 + 25 + 36 = 86 tiles at most.
        &[("tiles", 86), ("highestSize", 6), ("fullClear", 1)],
        |r| {
            if get(r, "fullClear") == 1 && get(r, "highestSize") != 6 {
                return Err("fullClear needs highestSize 6".into());
            }
            Ok(())
        },
        |r| {
            let tiles = get(r, "tiles");
            let silver = if tiles == 0 {
                0
            } else {
                (tiles * 30).div_ceil(50).max(1)
            };
            let gold = u64::from(get(r, "fullClear") == 1 || get(r, "highestSize") >= 6);
            (silver, gold)
        },
    )
};

/// Checks a reported result against the game's bounds and the run's real duration.
pub fn validate(
    g: GameType,
    scores: &Scores,
    started_at_ms: i64,
    at_ms: i64,
) -> Result<(), Rejection> {
    let bad = |why: String| Err(Rejection::InvalidScore(format!("{}: {why}", g.as_str())));
    let Some(sp) = g.mechanism().arcade() else {
        return bad("not an arcade game".into());
    };
    for (k, v) in scores {
        if k == "timeElapsed" {
            if *v > sp.time_limit_ms {
                return bad(format!(
                    "timeElapsed {v} exceeds the time limit of {} ms",
                    sp.time_limit_ms
                ));
            }
            let real = at_ms.saturating_sub(started_at_ms).saturating_add(GRACE_MS);
            if (*v as i128) > real as i128 {
                return bad(format!(
                    "timeElapsed {v} is longer than the run has lasted ({} ms)",
                    at_ms.saturating_sub(started_at_ms)
                ));
            }
            continue;
        }
        match sp.fields.iter().find(|(name, _)| name == k) {
            None => {
                let known: Vec<&str> = sp.fields.iter().map(|(n, _)| *n).collect();
                return bad(format!(
                    "unknown field {k:?}; expected timeElapsed, {}",
                    known.join(", ")
                ));
            }
            Some((_, max)) if v > max => return bad(format!("{k} {v} is above {max}")),
            Some(_) => {}
        }
    }
    (sp.check)(scores).or_else(bad)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "GameStage"))]
pub enum Stage {
    NotStarted,
    Playing,
    AwaitingDecision,
    Completed,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::NotStarted => "NOT_STARTED",
            Stage::Playing => "PLAYING",
            Stage::AwaitingDecision => "AWAITING_DECISION",
            Stage::Completed => "COMPLETED",
        }
    }
}

/// One reported (or trivia-scored) result and what it is worth.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "GameRun"))]
pub struct Run {
    pub scores: Scores,
    pub silver: u64,
    pub gold: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ArcadePlayer {
    pub player_id: String,
    pub stage: Stage,
    pub started_at_ms: i64,
    /// The result awaiting SUBMIT or RETRY.
    pub result: Option<Run>,
    /// The result before the current retry (credited at the deadline if the retry is unfinished).
    pub fallback: Option<Run>,
    /// What was credited, and whether by the deadline.
    pub credited: Option<(Run, bool)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Arcade {
    pub game_type: GameType,
    pub time_limit_ms: u64,
    /// Same level for everyone (derived from the game seed; reveals nothing about it).
    pub level_seed: u32,
    pub difficulty_pct: u32,
    pub players: Vec<ArcadePlayer>,
}

/// One player's line in a finished arcade game.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ArcadeRow {
    pub player_id: String,
    pub silver: u64,
    pub gold: u64,
    /// Credited by the deadline rather than by the player's SUBMIT.
    pub auto: bool,
    pub scores: Option<Scores>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ArcadeSummary {
    pub game_type: GameType,
    pub players: Vec<ArcadeRow>,
    pub gold_contribution: u64,
}

/// A player of a game played alone on one's own clock (arcade, TRIVIA): both games share the
/// stages, the crediting, the early end and the leaderboard below.
pub(crate) trait SoloPlayer {
    fn player_id(&self) -> &str;
    fn stage(&self) -> Stage;
    /// What was credited, and whether by the deadline.
    fn credited(&self) -> Option<&(Run, bool)>;
    /// Records `run` as credited (`auto`: by the deadline) and the player as COMPLETED.
    fn set_credited(&mut self, run: Run, auto: bool);
}

/// `actor`'s entry (NOT_IN_GAME unless they play).
pub(crate) fn solo_player<'a, P: SoloPlayer>(
    players: &'a mut [P],
    actor: &str,
) -> Result<&'a mut P, Rejection> {
    players
        .iter_mut()
        .find(|p| p.player_id() == actor)
        .ok_or(Rejection::NotInGame)
}

/// Credits `run` to `p` (SUBMIT, or `auto` at the deadline); returns the payouts.
pub(crate) fn complete_with<P: SoloPlayer>(
    p: &mut P,
    g: GameType,
    run: Run,
    auto: bool,
) -> Vec<Payout> {
    let payouts = credit(g, p.player_id(), &run, auto);
    p.set_credited(run, auto);
    payouts
}

/// The early end: every player still alive has completed.
pub(crate) fn all_completed<P: SoloPlayer>(players: &[P], env: &Env<'_>) -> bool {
    players
        .iter()
        .all(|p| p.stage() == Stage::Completed || !env.alive(p.player_id()))
}

/// `viewer`'s entry, and the [`leaderboard`] once they have completed.
pub(crate) fn mine_and_board<'a, P: SoloPlayer>(
    players: &'a [P],
    viewer: Option<&str>,
) -> (Option<&'a P>, Option<Vec<LeaderboardRow>>) {
    let me = viewer.and_then(|v| players.iter().find(|p| p.player_id() == v));
    let board = me.filter(|m| m.stage() == Stage::Completed).map(|_| {
        leaderboard(
            players
                .iter()
                .filter_map(|p| p.credited().map(|(r, _)| (p.player_id(), r.silver))),
        )
    });
    (me, board)
}

/// [`SoloPlayer`] for the player types: both keep `player_id`, `stage` and `credited` under these
/// names.
macro_rules! impl_solo_player {
    ($($t:ty),*) => {$(
        impl SoloPlayer for $t {
            fn player_id(&self) -> &str {
                &self.player_id
            }

            fn stage(&self) -> Stage {
                self.stage
            }

            fn credited(&self) -> Option<&(Run, bool)> {
                self.credited.as_ref()
            }

            fn set_credited(&mut self, run: Run, auto: bool) {
                self.credited = Some((run, auto));
                self.stage = Stage::Completed;
            }
        }
    )*};
}

impl_solo_player!(ArcadePlayer, super::trivia::TriviaPlayer);

/// The payouts of crediting `run` to `player` (a per-player result fact, silver, gold).
pub(crate) fn credit(g: GameType, player: &str, run: &Run, auto: bool) -> Vec<Payout> {
    vec![
        Payout::Fact(Box::new(Fact::PlayerGameResult {
            game_type: g,
            player_id: player.to_string(),
            silver: run.silver,
            gold: run.gold,
            auto,
        })),
        Payout::Silver {
            player: player.to_string(),
            delta: run.silver as i64,
        },
        Payout::Gold { amount: run.gold },
    ]
}

pub(crate) fn wrong_stage(stage: Stage) -> Rejection {
    Rejection::WrongGameStage(stage.as_str())
}

/// One completed player's silver on a solo game's leaderboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LeaderboardRow {
    pub player_id: String,
    pub silver: u64,
}

/// Completed players' silver, best first (ties in roster order): shown to a player once they
/// have completed themselves (prototype's `allPlayerResults`).
pub(crate) fn leaderboard<'a>(rows: impl Iterator<Item = (&'a str, u64)>) -> Vec<LeaderboardRow> {
    let mut v: Vec<(&str, u64)> = rows.collect();
    crate::engine::order::sort_by_key(&mut v, |(_, s)| std::cmp::Reverse(*s));
    v.into_iter()
        .map(|(p, s)| LeaderboardRow {
            player_id: p.to_string(),
            silver: s,
        })
        .collect()
}

/// Where one player of a solo game is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArcadeProgress {
    pub player_id: String,
    pub stage: Stage,
}

/// An arcade game as one player sees it: everyone's stage, their own run, and the leaderboard
/// once they have completed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ArcadeView {
    pub time_limit_ms: u64,
    pub level_seed: u32,
    pub difficulty_pct: u32,
    pub progress: Vec<ArcadeProgress>,
    pub mine: Option<ArcadePlayer>,
    pub leaderboard: Option<Vec<LeaderboardRow>>,
}

commands! {
    pub enum Command {
        /// Arcade: starts a run of today's arcade game; its clock starts at this entry.
        "GAME.ARCADE.START" => Start {
            #[serde(rename = "gameType")]
            game_type: GameType,
        },
        /// Arcade: the run's score fields (whole numbers), validated against the game's bounds.
        "GAME.ARCADE.RESULT" => Result {
            #[serde(rename = "gameType")]
            game_type: GameType,
            result: BTreeMap<String, u64>,
        },
        /// Arcade and TRIVIA: keep the result awaiting a decision (credited now).
        "GAME.SUBMIT" => Submit {},
        /// Arcade and TRIVIA: play again; the result awaiting a decision becomes the fallback.
        "GAME.RETRY" => Retry {},
    }
}

impl Play for Command {
    fn target(&self) -> (&'static [Family], Option<GameType>) {
        match self {
            Command::Start { game_type } | Command::Result { game_type, .. } => {
                (&[Family::Arcade], Some(*game_type))
            }
            // Shared with TRIVIA, whose runs are played the same way.
            Command::Submit {} | Command::Retry {} => (&[Family::Arcade, Family::Trivia], None),
        }
    }
}

impl Rules for Spec {
    fn family(&self) -> Family {
        Family::Arcade
    }

    fn docs(&self) -> &'static str {
        "docs/games.md"
    }

    fn spawn(&self, env: &Env<'_>, players: &[String]) -> Result<GameRun, Rejection> {
        Arcade::spawn(env, players).map(GameRun::Arcade)
    }

    fn arcade(&self) -> Option<&Spec> {
        Some(self)
    }
}

impl Game for Arcade {
    fn spawn(env: &Env<'_>, players: &[String]) -> Result<Self, Rejection> {
        let sp = env
            .game_type
            .mechanism()
            .arcade()
            .ok_or_else(|| Rejection::Unsupported(env.game_type.as_str().into()))?;
        let seed = env.seed.ok_or(Rejection::SeedUnknown)?;
        Ok(Arcade {
            game_type: env.game_type,
            time_limit_ms: sp.time_limit_ms,
            level_seed: (Rng::for_entry(seed, env.seq, "arcade-level").next_u64() >> 32) as u32,
            difficulty_pct: (env.st.day.saturating_sub(1) * DIFFICULTY_PCT_PER_DAY).min(100),
            players: players
                .iter()
                .map(|id| ArcadePlayer {
                    player_id: id.clone(),
                    stage: Stage::NotStarted,
                    started_at_ms: 0,
                    result: None,
                    fallback: None,
                    credited: None,
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
        let g = self.game_type;
        let GameCommand::Arcade(cmd) = cmd else {
            return Err(Rejection::Unsupported(
                "this command in an arcade game".into(),
            ));
        };
        let p = solo_player(&mut self.players, actor)?;
        match cmd {
            Command::Start { .. } => {
                if p.stage != Stage::NotStarted {
                    return Err(wrong_stage(p.stage));
                }
                p.stage = Stage::Playing;
                p.started_at_ms = env.at_ms;
                Ok(Vec::new())
            }
            Command::Result { result, .. } => {
                if p.stage != Stage::Playing {
                    return Err(wrong_stage(p.stage));
                }
                validate(g, result, p.started_at_ms, env.at_ms)?;
                let (silver, gold) = g.mechanism().arcade().map_or((0, 0), |s| s.reward(result));
                p.result = Some(Run {
                    scores: result.clone(),
                    silver,
                    gold,
                });
                p.stage = Stage::AwaitingDecision;
                Ok(Vec::new())
            }
            Command::Submit {} => {
                let (Stage::AwaitingDecision, Some(run)) = (p.stage, p.result.clone()) else {
                    return Err(wrong_stage(p.stage));
                };
                Ok(complete_with(p, g, run, false))
            }
            Command::Retry {} => {
                if p.stage != Stage::AwaitingDecision {
                    return Err(wrong_stage(p.stage));
                }
                p.fallback = p.result.take();
                p.stage = Stage::Playing;
                p.started_at_ms = env.at_ms;
                Ok(Vec::new())
            }
        }
    }

    fn complete(&self, env: &Env<'_>) -> bool {
        all_completed(&self.players, env)
    }

    fn finish(&mut self, _env: &Env<'_>) -> Finish {
        let g = self.game_type;
        let mut payouts = Vec::new();
        for p in &mut self.players {
            let auto = match p.stage {
                Stage::AwaitingDecision => p.result.clone(),
                Stage::Playing => p.fallback.clone(),
                Stage::NotStarted | Stage::Completed => None,
            };
            if let Some(run) = auto {
                payouts.extend(complete_with(p, g, run, true));
            }
        }
        let rows: Vec<ArcadeRow> = self
            .players
            .iter()
            .map(|p| ArcadeRow {
                player_id: p.player_id.clone(),
                silver: p.credited.as_ref().map_or(0, |(r, _)| r.silver),
                gold: p.credited.as_ref().map_or(0, |(r, _)| r.gold),
                auto: p.credited.as_ref().is_some_and(|(_, a)| *a),
                scores: p.credited.as_ref().map(|(r, _)| r.scores.clone()),
            })
            .collect();
        Finish {
            payouts,
            summary: Summary::Arcade(ArcadeSummary {
                game_type: g,
                gold_contribution: rows.iter().map(|r| r.gold).sum(),
                players: rows,
            }),
        }
    }

    fn view(&self, _env: &Env<'_>, viewer: Option<&str>) -> super::RunningGameView {
        let progress = self
            .players
            .iter()
            .map(|p| ArcadeProgress {
                player_id: p.player_id.clone(),
                stage: p.stage,
            })
            .collect();
        let (me, board) = mine_and_board(&self.players, viewer);
        super::RunningGameView::Arcade(ArcadeView {
            time_limit_ms: self.time_limit_ms,
            level_seed: self.level_seed,
            difficulty_pct: self.difficulty_pct,
            progress,
            mine: me.cloned(),
            leaderboard: board,
        })
    }
}
