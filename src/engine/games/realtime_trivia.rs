//! REALTIME_TRIVIA (docs/games.md §4b): five shared questions, everyone on the same clock.
//!
//! START_GAME deals [`ROUNDS`] questions from the shipped pool (seeded, options in a seeded order)
//! and shows the first one at once. Each question is open for [`QUESTION_MS`] from the time it was
//! shown; every player alive at the start may answer it once (`GAME.REALTIME_TRIVIA.ANSWER
//! {answerIndex}`, 0–3). A right answer earns what TRIVIA pays: 2 + floor(3 × max(0, 15000 −
//! elapsed) / 15000) silver and 1 gold; five right add 5 silver.
//!
//! A question closes when every player still alive has answered it, or at its deadline, whichever
//! comes first (the prototype closed it for everyone at the first answer [BUG?]). Its result (the
//! right option and everyone's answer) is then shown for [`RESULT_MS`], and the next question is
//! shown. After the fifth result the game is over and everyone is credited at once.
//!
//! Time is the server's: an answer's elapsed time is its entry's time minus the time the question
//! was shown (an entry's time, too). The deadlines are the game's timer ([`Game::timer`]), which
//! the games layer keeps as one GAME_TIMER task of the room's alarm manager: its firing is a
//! journaled entry, so a replay, or a room woken after eviction, closes the question at the same
//! moment. A question closed by its deadline closes AT the deadline; the next question is shown at
//! the time of the entry that moves the game on (the timer's firing, or any later entry), so a
//! late alarm never shortens a question.
//!
//! Secrecy: the right option of an open question, and what others answered, never appear in any
//! projection before the question closes (the prototype's projection carried the right options of
//! every question [BUG?]).

use super::arcade::{credit, Run};
use super::questions::QUESTIONS;
use super::trivia::{answer_silver, deal, Dealt, GOLD_PER_CORRECT, PERFECT_BONUS};
use super::{Env, Family, Finish, Game, GameCommand, GameRun, Play, Plays, Summary};
use crate::engine::error::Rejection;
use crate::engine::fact::Fact;
use crate::engine::games::GameType;
use crate::engine::registry::commands;
use serde::{Deserialize, Serialize};

pub const ROUNDS: usize = 5;
pub const QUESTION_MS: i64 = 15_000;
pub const RESULT_MS: i64 = 3_000;

/// Where the shared game is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum RtPhase {
    /// The question is open.
    Question,
    /// The closed question's result is shown.
    Result,
    /// All five results have been shown.
    Done,
}

/// One player's answer to one question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RtAnswer {
    pub player_id: String,
    /// The shown position chosen.
    pub chosen: u8,
    pub correct: bool,
    pub silver: u64,
    pub elapsed_ms: i64,
}

/// A closed question: the right option and every answer (public from the close on).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RtRound {
    /// 1-based.
    pub round: u32,
    pub question: u16,
    pub text: String,
    pub options: Vec<String>,
    pub correct_index: u8,
    pub shown_at_ms: i64,
    pub closed_at_ms: i64,
    /// In the order they arrived.
    pub answers: Vec<RtAnswer>,
}

/// The running game (server-side; never projected as is).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RealtimeTrivia {
    /// Alive at START_GAME, roster order.
    pub players: Vec<String>,
    pub dealt: Vec<Dealt>,
    /// 0-based index of the question open or whose result is shown.
    pub round: usize,
    pub phase: RtPhase,
    /// When the open question was shown, or when the shown result began.
    pub phase_started_at_ms: i64,
    /// The open question's answers.
    pub answers: Vec<RtAnswer>,
    pub closed: Vec<RtRound>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RtRow {
    pub player_id: String,
    pub silver: u64,
    pub gold: u64,
    pub correct: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RealtimeTriviaSummary {
    /// Every player of the game, roster order.
    pub players: Vec<RtRow>,
    pub rounds: Vec<RtRound>,
    pub gold_contribution: u64,
}

/// The open question as everyone sees it: never which option is right.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RtQuestionView {
    pub text: &'static str,
    pub options: Vec<&'static str>,
}

/// REALTIME_TRIVIA as one player sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RealtimeTriviaView {
    pub rounds: usize,
    pub question_ms: i64,
    pub result_ms: i64,
    pub players: Vec<String>,
    /// 1-based: the question open or whose result is shown.
    pub round: usize,
    pub phase: RtPhase,
    pub phase_started_at_ms: i64,
    /// When the open question closes at the latest, or when the shown result ends.
    pub phase_ends_at_ms: Option<i64>,
    /// The open question (text and options only).
    pub question: Option<RtQuestionView>,
    /// Who has answered the open question (not what).
    pub answered: Vec<String>,
    /// The viewer's answer to the open question (shown position).
    pub my_answer: Option<u8>,
    /// Closed questions, with the right option and every answer.
    pub revealed: Vec<RtRound>,
    /// Silver, gold and right answers over the closed questions.
    pub totals: Vec<RtRow>,
}

commands! {
    pub enum Command {
        "GAME.REALTIME_TRIVIA.ANSWER" => Answer {
            #[serde(rename = "answerIndex")]
            answer_index: u32,
        },
    }
}

impl Play for Command {
    fn target(&self) -> (&'static [Family], Option<GameType>) {
        match self {
            Command::Answer { .. } => (&[Family::Live], Some(GameType::RealtimeTrivia)),
        }
    }
}

/// REALTIME_TRIVIA's line of the game registry.
pub(crate) const REALTIME_TRIVIA: Plays = Plays {
    family: Family::Live,
    spawn: |env, players| RealtimeTrivia::spawn(env, players).map(GameRun::RealtimeTrivia),
};

fn question_text(d: &Dealt) -> &'static str {
    QUESTIONS.get(d.question as usize).map_or("", |q| q.text)
}

fn question_options(d: &Dealt) -> Vec<&'static str> {
    let q = QUESTIONS.get(d.question as usize);
    d.order
        .iter()
        .map(|o| {
            q.and_then(|q| q.options.get(*o as usize))
                .copied()
                .unwrap_or("")
        })
        .collect()
}

impl RealtimeTrivia {
    fn deadline_ms(&self) -> i64 {
        self.phase_started_at_ms + QUESTION_MS
    }

    fn all_answered(&self, env: &Env<'_>) -> bool {
        self.players
            .iter()
            .all(|p| !env.alive(p) || self.answers.iter().any(|a| &a.player_id == p))
    }

    /// Closes the open question at `at_ms`: its result is public from now on.
    fn close(&mut self, at_ms: i64) -> Fact {
        let d = &self.dealt[self.round];
        let rec = RtRound {
            round: self.round as u32 + 1,
            question: d.question,
            text: question_text(d).to_string(),
            options: question_options(d)
                .into_iter()
                .map(str::to_string)
                .collect(),
            correct_index: d.correct_position(),
            shown_at_ms: self.phase_started_at_ms,
            closed_at_ms: at_ms,
            answers: std::mem::take(&mut self.answers),
        };
        self.closed.push(rec.clone());
        self.phase = RtPhase::Result;
        self.phase_started_at_ms = at_ms;
        Fact::TriviaRoundRevealed {
            game_type: GameType::RealtimeTrivia,
            round: rec,
        }
    }

    /// Each player's score over `rounds` (and the open question's answers, if `open`).
    fn rows(&self, include_open: bool) -> Vec<(RtRow, Run)> {
        self.players
            .iter()
            .map(|p| {
                let mine = self
                    .closed
                    .iter()
                    .flat_map(|r| r.answers.iter())
                    .chain(self.answers.iter().filter(|_| include_open))
                    .filter(|a| &a.player_id == p);
                let (mut silver, mut correct) = (0u64, 0u64);
                for a in mine {
                    silver += a.silver;
                    correct += u64::from(a.correct);
                }
                if correct == ROUNDS as u64 {
                    silver += PERFECT_BONUS;
                }
                let gold = correct * GOLD_PER_CORRECT;
                let run = Run {
                    scores: [("correct".to_string(), correct)].into_iter().collect(),
                    silver,
                    gold,
                };
                (
                    RtRow {
                        player_id: p.clone(),
                        silver,
                        gold,
                        correct,
                    },
                    run,
                )
            })
            .collect()
    }
}

impl Game for RealtimeTrivia {
    fn spawn(env: &Env<'_>, players: &[String]) -> Result<Self, Rejection> {
        let seed = env.seed.ok_or(Rejection::SeedUnknown)?;
        Ok(RealtimeTrivia {
            players: players.to_vec(),
            dealt: deal(seed, env.seq, &[]),
            round: 0,
            phase: RtPhase::Question,
            phase_started_at_ms: env.at_ms,
            answers: Vec::new(),
            closed: Vec::new(),
        })
    }

    fn accept(
        &mut self,
        env: &Env<'_>,
        actor: &str,
        cmd: &GameCommand,
    ) -> Result<Vec<super::Payout>, Rejection> {
        let GameCommand::RealtimeTrivia(Command::Answer { answer_index }) = cmd else {
            return Err(Rejection::Unsupported(
                "this command in REALTIME_TRIVIA".into(),
            ));
        };
        if !self.players.iter().any(|p| p == actor) {
            return Err(Rejection::NotInGame);
        }
        if self.phase != RtPhase::Question {
            return Err(Rejection::WrongGameStage(match self.phase {
                RtPhase::Question => "QUESTION",
                RtPhase::Result => "RESULT",
                RtPhase::Done => "DONE",
            }));
        }
        if env.at_ms > self.deadline_ms() {
            return Err(Rejection::TooLate {
                deadline_ms: self.deadline_ms(),
            });
        }
        if self.answers.iter().any(|a| a.player_id == actor) {
            return Err(Rejection::AlreadySubmitted);
        }
        if *answer_index > 3 {
            return Err(Rejection::InvalidAnswer(*answer_index));
        }
        let elapsed = (env.at_ms - self.phase_started_at_ms).max(0);
        let correct = *answer_index as u8 == self.dealt[self.round].correct_position();
        self.answers.push(RtAnswer {
            player_id: actor.to_string(),
            chosen: *answer_index as u8,
            correct,
            silver: if correct { answer_silver(elapsed) } else { 0 },
            elapsed_ms: elapsed,
        });
        Ok(Vec::new())
    }

    fn complete(&self, _env: &Env<'_>) -> bool {
        self.phase == RtPhase::Done
    }

    fn finish(&mut self, _env: &Env<'_>) -> Finish {
        let rows = self.rows(true);
        let mut payouts = Vec::new();
        for (row, run) in &rows {
            if row.silver > 0 || row.gold > 0 {
                payouts.extend(credit(GameType::RealtimeTrivia, &row.player_id, run, false));
            }
        }
        let mut rounds = self.closed.clone();
        if self.phase == RtPhase::Question {
            // Forced while a question was open: its answers count, and it is revealed here.
            if let Some(d) = self.dealt.get(self.round) {
                rounds.push(RtRound {
                    round: self.round as u32 + 1,
                    question: d.question,
                    text: question_text(d).to_string(),
                    options: question_options(d)
                        .into_iter()
                        .map(str::to_string)
                        .collect(),
                    correct_index: d.correct_position(),
                    shown_at_ms: self.phase_started_at_ms,
                    closed_at_ms: self.phase_started_at_ms,
                    answers: self.answers.clone(),
                });
            }
        }
        let players: Vec<RtRow> = rows.into_iter().map(|(r, _)| r).collect();
        Finish {
            payouts,
            summary: Summary::RealtimeTrivia(RealtimeTriviaSummary {
                gold_contribution: players.iter().map(|r| r.gold).sum(),
                players,
                rounds,
            }),
        }
    }

    fn advance(&mut self, env: &Env<'_>) -> Vec<Fact> {
        let at_ms = env.at_ms;
        let mut out = Vec::new();
        loop {
            match self.phase {
                RtPhase::Question => {
                    if at_ms >= self.deadline_ms() {
                        // Closed by the clock: at the deadline, whenever the entry came.
                        let d = self.deadline_ms();
                        out.push(self.close(d));
                    } else if self.all_answered(env) {
                        out.push(self.close(at_ms));
                    } else {
                        break;
                    }
                }
                RtPhase::Result => {
                    if at_ms < self.phase_started_at_ms + RESULT_MS {
                        break;
                    }
                    if self.round + 1 < ROUNDS {
                        self.round += 1;
                        self.phase = RtPhase::Question;
                        // Shown now: a late timer never shortens a question.
                        self.phase_started_at_ms = at_ms;
                    } else {
                        self.phase = RtPhase::Done;
                    }
                }
                RtPhase::Done => break,
            }
        }
        out
    }

    fn timer(&self) -> Option<i64> {
        match self.phase {
            RtPhase::Question => Some(self.deadline_ms()),
            RtPhase::Result => Some(self.phase_started_at_ms + RESULT_MS),
            RtPhase::Done => None,
        }
    }

    fn view(&self, _env: &Env<'_>, viewer: Option<&str>) -> super::RunningGameView {
        let open = self.phase == RtPhase::Question;
        let question = self
            .dealt
            .get(self.round)
            .filter(|_| open)
            .map(|d| RtQuestionView {
                text: question_text(d),
                options: question_options(d),
            });
        let answered = if open {
            self.answers.iter().map(|a| a.player_id.clone()).collect()
        } else {
            Vec::new()
        };
        let my_answer = viewer.filter(|_| open).and_then(|v| {
            self.answers
                .iter()
                .find(|a| a.player_id == v)
                .map(|a| a.chosen)
        });
        super::RunningGameView::RealtimeTrivia(RealtimeTriviaView {
            rounds: ROUNDS,
            question_ms: QUESTION_MS,
            result_ms: RESULT_MS,
            players: self.players.clone(),
            round: self.round + 1,
            phase: self.phase,
            phase_started_at_ms: self.phase_started_at_ms,
            phase_ends_at_ms: self.timer(),
            question,
            answered,
            my_answer,
            revealed: self.closed.clone(),
            totals: self.rows(false).into_iter().map(|(r, _)| r).collect(),
        })
    }
}
