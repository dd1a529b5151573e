//! TRIVIA (docs/games.md §4), each player on their own clock.
//!
//! `GAME.TRIVIA.START` deals the player [`ROUNDS`] questions from the shipped pool (seeded; never
//! one they have seen today while unseen ones are left) with the options in a seeded order. The
//! first question is shown at START's time; each next one when the previous is answered. An
//! answer (`GAME.TRIVIA.ANSWER {answerIndex}`, 0–3) is right if it is the right option and
//! arrives within [`QUESTION_MS`] + [`GRACE_MS`] of the question being shown (entry times).
//! A right answer earns 2 + floor(3 × max(0, 15000 − elapsed) / 15000) silver and 1 gold; five
//! right add 5 silver (so at most 30). After the fifth answer: `GAME.SUBMIT` (credited now) or
//! `GAME.RETRY` (five fresh questions; the finished run is kept as a fallback).
//!
//! At END_GAME every unsubmitted score is credited (the prototype credited none of these [BUG?]):
//! a finished run as it stands, a retry in progress falls back to the previous run, a first run
//! left unfinished counts what it earned so far. Early end once every alive player submitted.
//!
//! Secrecy: a question's right option never appears in any projection until that player has
//! answered it (then only in their own view); others only see progress.

use super::arcade::{
    all_completed, complete_with, mine_and_board, solo_player, wrong_stage, LeaderboardRow, Run,
    Stage,
};
use super::questions::QUESTIONS;
use super::{
    arcade, Env, Family, Finish, Game, GameCommand, GameRun, Payout, Play, Plays, Summary,
};
use crate::engine::error::Rejection;
use crate::engine::games::GameType;
use crate::engine::registry::commands;
use crate::engine::rng::Rng;
use serde::{Deserialize, Serialize};

pub const ROUNDS: usize = 5;
pub const QUESTION_MS: i64 = 15_000;
pub const GRACE_MS: i64 = 1_000;
pub const BASE_SILVER: u64 = 2;
pub const MAX_SPEED_BONUS: u64 = 3;
pub const PERFECT_BONUS: u64 = 5;
pub const GOLD_PER_CORRECT: u64 = 1;

/// A dealt question: its id in the pool and the order its options are shown in
/// (`order[k]` = the pool option shown at position k).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dealt {
    pub question: u16,
    pub order: [u8; 4],
}

impl Dealt {
    /// The shown position of the right option.
    pub fn correct_position(&self) -> u8 {
        let answer = QUESTIONS
            .get(self.question as usize)
            .map_or(0, |q| q.answer);
        self.order.iter().position(|o| *o == answer).unwrap_or(0) as u8
    }

    fn text(&self) -> &'static str {
        QUESTIONS.get(self.question as usize).map_or("", |q| q.text)
    }

    fn options(&self) -> Vec<&'static str> {
        let q = QUESTIONS.get(self.question as usize);
        self.order
            .iter()
            .map(|o| {
                q.and_then(|q| q.options.get(*o as usize))
                    .copied()
                    .unwrap_or("")
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Answer {
    /// The shown position chosen.
    pub chosen: u8,
    pub correct: bool,
    pub silver: u64,
    pub elapsed_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TriviaRun {
    pub dealt: Vec<Dealt>,
    pub answers: Vec<Answer>,
    /// When the current question was shown.
    pub question_started_at_ms: i64,
}

impl TriviaRun {
    /// What the run is worth so far (the perfect bonus once all five are right).
    pub fn score(&self) -> Run {
        let correct = self.answers.iter().filter(|a| a.correct).count() as u64;
        let mut silver: u64 = self.answers.iter().map(|a| a.silver).sum();
        if self.answers.len() == ROUNDS && correct == ROUNDS as u64 {
            silver += PERFECT_BONUS;
        }
        Run {
            scores: [("correct".to_string(), correct)].into_iter().collect(),
            silver,
            gold: correct * GOLD_PER_CORRECT,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TriviaPlayer {
    pub player_id: String,
    pub stage: Stage,
    /// Questions dealt to this player today.
    pub seen: Vec<u16>,
    pub run: Option<TriviaRun>,
    pub fallback: Option<Run>,
    pub credited: Option<(Run, bool)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Trivia {
    pub players: Vec<TriviaPlayer>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TriviaRow {
    pub player_id: String,
    pub silver: u64,
    pub gold: u64,
    pub correct: u64,
    pub auto: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TriviaSummary {
    pub players: Vec<TriviaRow>,
    pub gold_contribution: u64,
}

/// Deals [`ROUNDS`] questions, unseen ones first, each with its options in a seeded order.
pub(crate) fn deal(seed: &[u8; 32], seq: u64, seen: &[u16]) -> Vec<Dealt> {
    let mut rng = Rng::for_entry(seed, seq, "trivia");
    let all = 0..QUESTIONS.len() as u16;
    let mut fresh: Vec<u16> = all.clone().filter(|q| !seen.contains(q)).collect();
    rng.shuffle(&mut fresh);
    fresh.truncate(ROUNDS);
    if fresh.len() < ROUNDS {
        let mut again: Vec<u16> = all.filter(|q| !fresh.contains(q)).collect();
        rng.shuffle(&mut again);
        let missing = ROUNDS - fresh.len();
        fresh.extend(again.into_iter().take(missing));
    }
    fresh
        .into_iter()
        .map(|question| {
            let mut order = [0u8, 1, 2, 3];
            rng.shuffle(&mut order);
            Dealt { question, order }
        })
        .collect()
}

/// Silver for a right answer given `elapsed` ms.
pub fn answer_silver(elapsed_ms: i64) -> u64 {
    let remaining = (QUESTION_MS - elapsed_ms).clamp(0, QUESTION_MS) as u64;
    BASE_SILVER + MAX_SPEED_BONUS * remaining / QUESTION_MS as u64
}

/// Where one trivia player is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TriviaProgress {
    pub player_id: String,
    pub stage: Stage,
    /// Questions answered so far.
    pub answered: usize,
}

/// The viewer's open question: text and options, never which one is right.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TriviaQuestion {
    pub round: usize,
    pub of: usize,
    pub text: &'static str,
    pub options: Vec<&'static str>,
    pub shown_at_ms: i64,
    pub deadline_ms: i64,
}

/// A question the viewer has answered, with the right option.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TriviaAnswered {
    pub text: &'static str,
    pub options: Vec<&'static str>,
    pub chosen: u8,
    pub correct_index: u8,
    pub correct: bool,
    pub silver: u64,
    pub elapsed_ms: i64,
}

/// The viewer's own trivia run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TriviaMine {
    pub stage: Stage,
    pub current: Option<TriviaQuestion>,
    pub answered: Vec<TriviaAnswered>,
    pub run_score: Option<Run>,
    pub fallback: Option<Run>,
    pub credited: Option<(Run, bool)>,
}

/// TRIVIA as one player sees it: everyone's progress, their own run, and the leaderboard once
/// they have completed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TriviaView {
    pub rounds: usize,
    pub question_ms: i64,
    pub progress: Vec<TriviaProgress>,
    pub mine: Option<TriviaMine>,
    pub leaderboard: Option<Vec<LeaderboardRow>>,
}
commands! {
    pub enum Command {
        "GAME.TRIVIA.START" => Start {},
        "GAME.TRIVIA.ANSWER" => Answer {
            #[serde(rename = "answerIndex")]
            answer_index: u32,
        },
    }
}

impl Play for Command {
    fn target(&self) -> (&'static [Family], Option<GameType>) {
        match self {
            Command::Start {} | Command::Answer { .. } => {
                (&[Family::Trivia], Some(GameType::Trivia))
            }
        }
    }
}

/// What a player's command asks of their TRIVIA run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Move {
    Start,
    Answer(u32),
    Submit,
    Retry,
}

/// TRIVIA's line of the game registry.
pub(crate) const TRIVIA: Plays = Plays {
    family: Family::Trivia,
    spawn: |env, players| Trivia::spawn(env, players).map(GameRun::Trivia),
};

impl Game for Trivia {
    fn spawn(_env: &Env<'_>, players: &[String]) -> Result<Self, Rejection> {
        Ok(Trivia {
            players: players
                .iter()
                .map(|id| TriviaPlayer {
                    player_id: id.clone(),
                    stage: Stage::NotStarted,
                    seen: Vec::new(),
                    run: None,
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
        let unsupported = || Rejection::Unsupported("this command in TRIVIA".into());
        // TRIVIA's own commands, and the SUBMIT and RETRY it shares with the arcade games.
        // (Other games' commands never reach a TRIVIA game: see `Play::target`.)
        let cmd = if let GameCommand::Trivia(c) = cmd {
            match c {
                Command::Start {} => Move::Start,
                Command::Answer { answer_index } => Move::Answer(*answer_index),
            }
        } else if let GameCommand::Arcade(c) = cmd {
            match c {
                arcade::Command::Submit {} => Move::Submit,
                arcade::Command::Retry {} => Move::Retry,
                arcade::Command::Start { .. } | arcade::Command::Result { .. } => {
                    return Err(unsupported())
                }
            }
        } else {
            return Err(unsupported());
        };
        let p = solo_player(&mut self.players, actor)?;
        match cmd {
            Move::Start | Move::Retry => {
                let want = if cmd == Move::Start {
                    Stage::NotStarted
                } else {
                    Stage::AwaitingDecision
                };
                if p.stage != want {
                    return Err(wrong_stage(p.stage));
                }
                let seed = env.seed.ok_or(Rejection::SeedUnknown)?;
                let dealt = deal(seed, env.seq, &p.seen);
                if want == Stage::AwaitingDecision {
                    p.fallback = p.run.as_ref().map(TriviaRun::score);
                }
                for d in &dealt {
                    if !p.seen.contains(&d.question) {
                        p.seen.push(d.question);
                    }
                }
                p.run = Some(TriviaRun {
                    dealt,
                    answers: Vec::new(),
                    question_started_at_ms: env.at_ms,
                });
                p.stage = Stage::Playing;
                Ok(Vec::new())
            }
            Move::Answer(answer_index) => {
                if p.stage != Stage::Playing {
                    return Err(wrong_stage(p.stage));
                }
                if answer_index > 3 {
                    return Err(Rejection::InvalidAnswer(answer_index));
                }
                let Some(run) = p.run.as_mut() else {
                    return Err(wrong_stage(p.stage));
                };
                let Some(q) = run.dealt.get(run.answers.len()) else {
                    return Err(wrong_stage(p.stage));
                };
                let elapsed = env.at_ms.saturating_sub(run.question_started_at_ms);
                let correct =
                    elapsed <= QUESTION_MS + GRACE_MS && answer_index as u8 == q.correct_position();
                run.answers.push(Answer {
                    chosen: answer_index as u8,
                    correct,
                    silver: if correct { answer_silver(elapsed) } else { 0 },
                    elapsed_ms: elapsed,
                });
                run.question_started_at_ms = env.at_ms;
                if run.answers.len() >= ROUNDS {
                    p.stage = Stage::AwaitingDecision;
                }
                Ok(Vec::new())
            }
            Move::Submit => {
                let (Stage::AwaitingDecision, Some(run)) = (p.stage, p.run.as_ref()) else {
                    return Err(wrong_stage(p.stage));
                };
                let score = run.score();
                Ok(complete_with(p, GameType::Trivia, score, false))
            }
        }
    }

    fn complete(&self, env: &Env<'_>) -> bool {
        all_completed(&self.players, env)
    }

    fn finish(&mut self, _env: &Env<'_>) -> Finish {
        let mut payouts = Vec::new();
        for p in &mut self.players {
            let auto = match p.stage {
                Stage::AwaitingDecision => p.run.as_ref().map(TriviaRun::score),
                Stage::Playing => p
                    .fallback
                    .clone()
                    .or_else(|| p.run.as_ref().map(TriviaRun::score)),
                Stage::NotStarted | Stage::Completed => None,
            };
            if let Some(score) = auto {
                payouts.extend(complete_with(p, GameType::Trivia, score, true));
            }
        }
        let rows: Vec<TriviaRow> = self
            .players
            .iter()
            .map(|p| {
                let c = p.credited.as_ref();
                TriviaRow {
                    player_id: p.player_id.clone(),
                    silver: c.map_or(0, |(r, _)| r.silver),
                    gold: c.map_or(0, |(r, _)| r.gold),
                    correct: c.map_or(0, |(r, _)| r.scores.get("correct").copied().unwrap_or(0)),
                    auto: c.is_some_and(|(_, a)| *a),
                }
            })
            .collect();
        Finish {
            payouts,
            summary: Summary::Trivia(TriviaSummary {
                gold_contribution: rows.iter().map(|r| r.gold).sum(),
                players: rows,
            }),
        }
    }

    fn view(&self, _env: &Env<'_>, viewer: Option<&str>) -> super::RunningGameView {
        let progress = self
            .players
            .iter()
            .map(|p| TriviaProgress {
                player_id: p.player_id.clone(),
                stage: p.stage,
                answered: p.run.as_ref().map_or(0, |r| r.answers.len()),
            })
            .collect();
        let (me, board) = mine_and_board(&self.players, viewer);
        let mine = me.map(|p| {
            let run = p.run.as_ref();
            // The open question: text and options only, never which one is right.
            let current = run
                .filter(|_| p.stage == Stage::Playing)
                .and_then(|r| r.dealt.get(r.answers.len()).map(|d| (r, d)))
                .map(|(r, d)| TriviaQuestion {
                    round: r.answers.len() + 1,
                    of: ROUNDS,
                    text: d.text(),
                    options: d.options(),
                    shown_at_ms: r.question_started_at_ms,
                    deadline_ms: r.question_started_at_ms + QUESTION_MS,
                });
            // Questions this player has answered (closed for them): the right option too.
            let answered = run
                .map(|r| {
                    r.answers
                        .iter()
                        .zip(&r.dealt)
                        .map(|(a, d)| TriviaAnswered {
                            text: d.text(),
                            options: d.options(),
                            chosen: a.chosen,
                            correct_index: d.correct_position(),
                            correct: a.correct,
                            silver: a.silver,
                            elapsed_ms: a.elapsed_ms,
                        })
                        .collect()
                })
                .unwrap_or_default();
            TriviaMine {
                stage: p.stage,
                current,
                answered,
                run_score: run.map(TriviaRun::score),
                fallback: p.fallback.clone(),
                credited: p.credited.clone(),
            }
        });
        super::RunningGameView::Trivia(TriviaView {
            rounds: ROUNDS,
            question_ms: QUESTION_MS,
            progress,
            mine,
            leaderboard: board,
        })
    }
}
