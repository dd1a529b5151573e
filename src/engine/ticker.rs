//! Ticker lines: the one-line narration every player sees ("Ada sent 5 silver to Bob", "Night has
//! fallen…"). A pure function of an entry's facts and the roster's names, so the lines of any
//! journal can be rebuilt at any time (a reconnecting phone gets today's history from the journal).
//!
//! Secrecy by construction: a line is written only for facts on the public list below; every other
//! fact (a vote cast, a DM, a stake, a prompt answer, a destiny, a whisper's recipient, an invite's
//! invitee) produces nothing. The match is exhaustive: a new fact does not compile until someone
//! decides here whether it is public.

use super::fact::Fact;
use super::state::GameState;
use serde::{Deserialize, Serialize};

/// What a line is about, so a client can style or filter it (the prototype's categories).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum TickerCategory {
    #[serde(rename = "PHASE.DAY_START")]
    DayStart,
    #[serde(rename = "PHASE.NIGHT")]
    Night,
    #[serde(rename = "PHASE.GAME_OVER")]
    GameOver,
    #[serde(rename = "PHASE.WINNER")]
    Winner,
    #[serde(rename = "GATE.CHAT_OPEN")]
    ChatOpen,
    #[serde(rename = "GATE.CHAT_CLOSE")]
    ChatClose,
    #[serde(rename = "GATE.DMS_OPEN")]
    DmsOpen,
    #[serde(rename = "GATE.DMS_CLOSE")]
    DmsClose,
    #[serde(rename = "VOTE")]
    Vote,
    #[serde(rename = "ELIMINATION")]
    Elimination,
    #[serde(rename = "GAME")]
    Game,
    #[serde(rename = "GAME.REWARD")]
    GameReward,
    #[serde(rename = "SOCIAL.TRANSFER")]
    Transfer,
    #[serde(rename = "SOCIAL.PERK")]
    Perk,
    #[serde(rename = "SOCIAL.NUDGE")]
    Nudge,
    #[serde(rename = "SOCIAL.WHISPER")]
    Whisper,
    #[serde(rename = "SOCIAL.INVITE")]
    Invite,
    #[serde(rename = "SOCIAL.PHASE")]
    SocialPhase,
    #[serde(rename = "ACTIVITY")]
    Activity,
    #[serde(rename = "GOLD.POOL")]
    GoldPool,
    #[serde(rename = "DILEMMA")]
    Dilemma,
    #[serde(rename = "PLAYERS")]
    Players,
}

/// One line, stamped with the entry it came from (`seq` orders lines; several may share one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TickerLine {
    pub seq: u64,
    pub at_ms: i64,
    pub day: u32,
    pub category: TickerCategory,
    pub text: String,
    /// Ids of the players the text names, in the order named (for avatars and links).
    pub players: Vec<String>,
}

/// Where a line comes from: the entry's seq, time and day.
#[derive(Clone, Copy, Debug)]
pub struct Stamp {
    pub seq: u64,
    pub at_ms: i64,
    pub day: u32,
}

/// The lines for one accepted entry's facts. `st` only supplies persona names (any state of the
/// same game will do: names never change).
pub fn lines(st: &GameState, stamp: Stamp, facts: &[Fact]) -> Vec<TickerLine> {
    let name = |id: &str| {
        st.player(id)
            .map(|p| p.persona_name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let mut out = Vec::new();
    let mut push = |category: TickerCategory, text: String, players: Vec<&str>| {
        out.push(TickerLine {
            seq: stamp.seq,
            at_ms: stamp.at_ms,
            day: stamp.day,
            category,
            text,
            players: players.into_iter().map(str::to_string).collect(),
        })
    };
    let mut iter = facts.iter().peekable();
    while let Some(fact) = iter.next() {
        match fact {
            Fact::PlayerJoined { player_id } => push(
                TickerCategory::Players,
                format!("{} joined the game", name(player_id)),
                vec![player_id],
            ),
            // Pregame: a revealed answer is news for everyone; a connection is not.
            Fact::QaRevealed {
                player_id,
                question,
                answer,
                ..
            } => push(
                TickerCategory::Players,
                format!(
                    "{} answered \u{201c}{question}\u{201d}: {answer}",
                    name(player_id)
                ),
                vec![player_id],
            ),
            Fact::PregameConnected { .. }
            | Fact::GameMasterMessage { .. }
            | Fact::PushConfigUpdated { .. } => {}
            Fact::StartPostponed { players, needed } => push(
                TickerCategory::Players,
                format!("The start is postponed: {players} of {needed} players have joined"),
                vec![],
            ),
            Fact::PhaseChanged { phase, day } => match phase.as_str() {
                "DAY" => push(
                    TickerCategory::DayStart,
                    format!("Day {day} has begun"),
                    vec![],
                ),
                "NIGHT" => push(TickerCategory::Night, "Night has fallen…".into(), vec![]),
                "GAME_SUMMARY" | "GAME_OVER" => {
                    push(TickerCategory::GameOver, "The game is over".into(), vec![])
                }
                _ => {}
            },
            Fact::GateChanged { gate, open } => {
                let (category, text) = match (gate.as_str(), open) {
                    ("DMS", true) => (TickerCategory::DmsOpen, "DMs are open"),
                    ("DMS", false) => (TickerCategory::DmsClose, "DMs are closed"),
                    (_, true) => (TickerCategory::ChatOpen, "Group chat is open"),
                    (_, false) => (TickerCategory::ChatClose, "Group chat is closed"),
                };
                push(category, text.into(), vec![])
            }
            // A transfer is a TRANSFER_OUT followed by its TRANSFER_IN.
            Fact::Silver {
                player_id: from,
                reason,
                ..
            } if reason == "TRANSFER_OUT" => {
                if let Some(Fact::Silver {
                    player_id: to,
                    delta,
                    reason,
                    ..
                }) = iter.peek()
                {
                    if reason == "TRANSFER_IN" {
                        push(
                            TickerCategory::Transfer,
                            format!("{} sent {delta} silver to {}", name(from), name(to)),
                            vec![from, to],
                        );
                        iter.next();
                    }
                }
            }
            Fact::Silver {
                player_id,
                delta,
                reason,
                ..
            } if reason == "ADMIN_CREDIT" && *delta != 0 => {
                let text = if *delta > 0 {
                    format!("The game master gave {} {delta} silver", name(player_id))
                } else {
                    format!(
                        "The game master took {} silver from {}",
                        -delta,
                        name(player_id)
                    )
                };
                push(TickerCategory::Transfer, text, vec![player_id])
            }
            Fact::GoldPool {
                delta, pool_after, ..
            } if *delta > 0 => push(
                TickerCategory::GoldPool,
                format!("The gold pool grew by {delta} to {pool_after}"),
                vec![],
            ),
            Fact::VotingOpened { mechanism, .. } => push(
                TickerCategory::Vote,
                format!("Voting is open: {}", label(mechanism)),
                vec![],
            ),
            Fact::VoteResult { mechanism, .. } => push(
                TickerCategory::Vote,
                format!("The {} votes are in", label(mechanism)),
                vec![],
            ),
            Fact::Elimination { player_id, .. } => push(
                TickerCategory::Elimination,
                format!("{} has been eliminated!", name(player_id)),
                vec![player_id],
            ),
            Fact::Winner {
                player_id,
                gold_pool,
            } => push(
                TickerCategory::Winner,
                format!("{} wins the game and {gold_pool} gold!", name(player_id)),
                vec![player_id],
            ),
            Fact::GameAbandoned { .. } => push(
                TickerCategory::GameOver,
                "The game was called off by the organisers".into(),
                vec![],
            ),
            Fact::Nudge { from, to } => push(
                TickerCategory::Nudge,
                format!("{} nudged {}", name(from), name(to)),
                vec![from, to],
            ),
            // The recipient of a whisper is theirs alone (MAIN shows others only its sender).
            Fact::Whisper { from, .. } => push(
                TickerCategory::Whisper,
                format!("{} whispered to someone", name(from)),
                vec![from],
            ),
            // Perks are public, their targets are not.
            Fact::PerkUsed {
                player_id, perk, ..
            } => push(
                TickerCategory::Perk,
                format!("{} used a perk ({})", name(player_id), perk.as_str()),
                vec![player_id],
            ),
            // Invites name who sent them, never whom.
            Fact::DmChannelCreated {
                creator, invited, ..
            } if !invited.is_empty() => push(
                TickerCategory::Invite,
                format!("{} sent a DM invite", name(creator)),
                vec![creator],
            ),
            Fact::DmMembersAdded { by, invited, .. } if !invited.is_empty() => push(
                TickerCategory::Invite,
                format!("{} sent a DM invite", name(by)),
                vec![by],
            ),
            Fact::GameStarted { game_type, .. } => push(
                TickerCategory::Game,
                format!("Today's game: {}", label(game_type)),
                vec![],
            ),
            Fact::PlayerGameResult {
                game_type,
                player_id,
                silver,
                gold,
                ..
            } if *silver > 0 || *gold > 0 => {
                let prize = match (*silver, *gold) {
                    (s, 0) => format!("{s} silver"),
                    (0, g) => format!("{g} gold"),
                    (s, g) => format!("{s} silver and {g} gold"),
                };
                push(
                    TickerCategory::GameReward,
                    format!("{} won {prize} in {}", name(player_id), label(game_type)),
                    vec![player_id],
                )
            }
            Fact::TriviaRoundRevealed { game_type, round } => {
                let right = round.answers.iter().filter(|a| a.correct).count();
                push(
                    TickerCategory::Game,
                    format!(
                        "{} question {}: {right} of {} answers right",
                        label(game_type),
                        round.round,
                        round.answers.len()
                    ),
                    vec![],
                )
            }
            Fact::GameResult { game_type, .. } => push(
                TickerCategory::Game,
                format!("{} is over", label(game_type)),
                vec![],
            ),
            Fact::ActivityStarted { prompt_type, .. } => push(
                TickerCategory::Activity,
                format!("A new activity is open: {}", label(prompt_type)),
                vec![],
            ),
            Fact::ActivityResult { prompt_type, .. } => push(
                TickerCategory::Activity,
                format!("The {} results are in", label(prompt_type)),
                vec![],
            ),
            Fact::DilemmaStarted { dilemma_type, .. } => push(
                TickerCategory::Dilemma,
                format!("Today's dilemma: {}", label(dilemma_type)),
                vec![],
            ),
            Fact::DilemmaResult { result, .. } => {
                push(TickerCategory::Dilemma, result.summary.clone(), vec![])
            }
            Fact::ConfessionPhaseStarted { .. } => push(
                TickerCategory::SocialPhase,
                "The confession booth is open".into(),
                vec![],
            ),
            Fact::ConfessionPhaseEnded { post_count, .. } => push(
                TickerCategory::SocialPhase,
                format!("The confession booth has closed ({post_count} confessions)"),
                vec![],
            ),
            // Silent: secret (votes, stakes, DMs, answers, destinies, a whisper's recipient…),
            // bookkeeping, or told by another fact of the same entry. A new fact is a compile
            // error here until someone decides whether it is public.
            Fact::GameCreated { .. }
            | Fact::ChatMessage { .. }
            | Fact::Silver { .. }
            | Fact::Gold { .. }
            | Fact::GoldPool { .. }
            | Fact::VoteCast { .. }
            | Fact::StakePlaced { .. }
            | Fact::VotingStage { .. }
            | Fact::TaskFired { .. }
            | Fact::TasksScheduled { .. }
            | Fact::TasksDropped { .. }
            | Fact::NoEffect { .. }
            | Fact::GameEnded { .. }
            | Fact::SeedRevealed {}
            | Fact::SocialRules { .. }
            | Fact::DmChannelCreated { .. }
            | Fact::DmSent { .. }
            | Fact::DmMembersAdded { .. }
            | Fact::DmInviteAccepted { .. }
            | Fact::DmInviteDeclined { .. }
            | Fact::Reaction { .. }
            | Fact::DestinyAssigned { .. }
            | Fact::DestinyAccusation { .. }
            | Fact::DestinyResult { .. }
            | Fact::ActivityResponded { .. }
            | Fact::ActivityStageChanged { .. }
            | Fact::PredictionSettled { .. }
            | Fact::DilemmaSubmitted { .. }
            | Fact::ConfessionPosted { .. }
            | Fact::InactivityWarning { .. }
            | Fact::InactivityChecked { .. }
            | Fact::GameAction { .. }
            | Fact::PlayerGameResult { .. }
            | Fact::SplitRoundResolved { .. }
            | Fact::GameEffect { .. } => {}
        }
    }
    out
}

/// The wire name of a unit enum (`MAJORITY`, `TRIVIA`, `HOT_TAKE`…).
fn label<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::from("?"),
    }
}
