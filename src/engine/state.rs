//! Game state and the transition function.
//!
//! Every handler validates completely before it changes anything, so a rejected input leaves the
//! state exactly as it was (no clone-and-restore on the hot path).

use super::command::{Command, Input};
use super::error::Rejection;
use super::fact::Fact;
use super::manifest::{parse_manifest, Manifest, Mode, Scheduling};
use super::rng::commitment;
use super::roster::{alive_ids, parse_player, parse_roster, Player};
use super::social::SocialState;
use super::timeline::Action;
use super::voting::{Ballot, Outcome, VoteType};
use super::{day, destiny, economy, games, social, voting};
use crate::journal::{EntryKind, Hash};
// --- Prompts, dilemmas, confessions, inactivity ---
use super::confession::ConfessionState;
use super::dilemmas::DilemmaState;
use super::inactivity::InactivityState;
use super::prompts::PromptState;
use serde::{Deserialize, Serialize};

/// Chat messages kept per day; the oldest are dropped first.
pub use crate::limits::MAX_CHAT_LOG;
/// Bytes of MAIN chat text kept per day (oldest dropped first), so that a day of 280-character
/// messages in a 4-byte script cannot push the snapshot past its 256 KiB budget.
pub use crate::limits::MAX_CHAT_LOG_BYTES;
/// Longest chat message, in characters (Unicode scalar values).
pub use crate::limits::MAX_MESSAGE_CHARS;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Phase {
    PreGame,
    Day,
    Night,
    GameSummary,
    GameOver,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::PreGame => "PRE_GAME",
            Phase::Day => "DAY",
            Phase::Night => "NIGHT",
            Phase::GameSummary => "GAME_SUMMARY",
            Phase::GameOver => "GAME_OVER",
        }
    }
}

/// A scheduled timeline step. Fired by an ALARM entry keyed by `(id, due_ms)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: String,
    pub due_ms: i64,
    pub day: u32,
    pub action: Action,
}

impl Task {
    pub(crate) fn new(day: u32, idx: usize, due_ms: i64, action: Action) -> Task {
        // Ids sort like the timeline: ties on `due_ms` fall back to this order.
        Task {
            id: format!("d{day:03}-{idx:02}-{}", action.as_str()),
            due_ms,
            day,
            action,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub id: u64,
    pub from: String,
    pub content: String,
    pub at_ms: i64,
    /// A whisper in MAIN: only `from` and this player may read it.
    #[serde(default)]
    pub whisper_to: Option<String>,
    /// The message of the same channel this one answers (left out when absent, so older
    /// snapshots keep their bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<u64>,
    /// Players the message names (left out when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentioned_ids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameState {
    pub game_id: String,
    /// The rules this game plays by, from its SYSTEM.INIT (see [`super::RULES_VERSION`]). Left
    /// out of the serialized state while it is 1, so version-1 snapshots keep their bytes.
    #[serde(default = "rules_v1", skip_serializing_if = "is_rules_v1")]
    pub rules_version: u32,
    pub manifest: Manifest,
    pub seed_commitment: Hash,
    pub seed_revealed: bool,
    /// The one authoritative roster, in join order.
    pub players: Vec<Player>,
    pub phase: Phase,
    pub day: u32,
    /// Today's mechanism, decided at the morning.
    pub vote_type: Option<VoteType>,
    pub group_chat_open: bool,
    pub dms_open: bool,
    /// Today's MAIN chat.
    pub chat: Vec<ChatMessage>,
    /// The next message id: of MAIN and whispers from rules version 2 (each conversation counts
    /// its own, `Channel::last_msg_id`), of every message in version 1 (docs/security.md).
    pub next_msg_id: u64,
    /// Pending tasks, sorted by `(due_ms, id)`.
    pub tasks: Vec<Task>,
    pub ballot: Option<Ballot>,
    /// Today's closed vote, applied at END_DAY.
    pub pending: Option<Outcome>,
    /// Every closed vote, with its day (public).
    pub results: Vec<(u32, Outcome)>,
    pub gold_pool: u64,
    pub winner: Option<String>,
    /// The operator abandoned the game (`ADMIN.ABANDON_GAME`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub abandoned: bool,
    pub last_seq: u64,
    pub last_at_ms: i64,
    /// DMs, limits, reactions, nudges, perk results (see `social`).
    #[serde(default)]
    pub social: SocialState,
    /// Secret objectives and what their evaluation needs.
    pub destinies: destiny::Destinies,
    // --- Prompts, dilemmas, confessions, inactivity ---
    #[serde(default, skip_serializing_if = "PromptState::is_default")]
    pub prompts: PromptState,
    #[serde(default, skip_serializing_if = "DilemmaState::is_default")]
    pub dilemmas: DilemmaState,
    #[serde(default, skip_serializing_if = "ConfessionState::is_default")]
    pub confession: ConfessionState,
    #[serde(default, skip_serializing_if = "InactivityState::is_default")]
    pub inactivity: InactivityState,
    // --- Daily games ---
    /// Today's game, the running game, past results and their effects (see `games`).
    #[serde(default, skip_serializing_if = "games::GamesState::is_empty")]
    pub games: games::GamesState,
    /// Pregame connections and revealed Q&A answers (`engine::pregame`).
    #[serde(
        default,
        skip_serializing_if = "super::pregame::PregameState::is_default"
    )]
    pub pregame: super::pregame::PregameState,
    /// The Game Master's private messages (`engine::gamemaster`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gm_messages: Vec<super::gamemaster::GmMessage>,
    /// Push triggers switched on or off (`engine::push_config`; absent = on).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub push_config: std::collections::BTreeMap<String, bool>,
}

impl GameState {
    pub fn player(&self, id: &str) -> Option<&Player> {
        self.players.iter().find(|p| p.id == id)
    }

    pub(crate) fn player_mut(&mut self, id: &str) -> Option<&mut Player> {
        self.players.iter_mut().find(|p| p.id == id)
    }

    pub fn alive_count(&self) -> usize {
        self.players.iter().filter(|p| p.alive).count()
    }

    /// Alive players, roster order.
    pub(crate) fn alive_ids(&self) -> Vec<String> {
        alive_ids(&self.players)
    }

    /// Whether `id` is a player still in the game.
    pub(crate) fn is_alive(&self, id: &str) -> bool {
        self.player(id).is_some_and(|p| p.alive)
    }

    pub(crate) fn alive_player(&self, id: &str) -> Result<&Player, Rejection> {
        self.known_alive(id, Rejection::PlayerEliminated)
    }

    pub(crate) fn alive_target(&self, id: &str) -> Result<&Player, Rejection> {
        self.known_alive(id, Rejection::TargetEliminated)
    }

    /// An alive player other than `actor` (SELF_TARGET first): whom a player may name.
    pub(crate) fn other_alive_target(
        &self,
        actor: &str,
        target: &str,
    ) -> Result<&Player, Rejection> {
        if target == actor {
            return Err(Rejection::SelfTarget);
        }
        self.alive_target(target)
    }

    /// [`Self::alive_player`] and [`Self::alive_target`]: the same check, with the rejection
    /// that says whose elimination it was.
    fn known_alive(
        &self,
        id: &str,
        eliminated: fn(String) -> Rejection,
    ) -> Result<&Player, Rejection> {
        let p = self
            .player(id)
            .ok_or_else(|| Rejection::UnknownPlayer(id.to_string()))?;
        if !p.alive {
            return Err(eliminated(id.to_string()));
        }
        Ok(p)
    }

    pub(crate) fn require_phase(&self, ok: &[Phase]) -> Result<(), Rejection> {
        if ok.contains(&self.phase) {
            Ok(())
        } else {
            Err(Rejection::WrongPhase(self.phase.as_str()))
        }
    }

    /// Day phase and an alive actor: the first check of a player's daytime action, in one place.
    pub(crate) fn alive_in_day(&self, actor: &str) -> Result<&Player, Rejection> {
        self.require_phase(&[Phase::Day])?;
        self.alive_player(actor)
    }

    pub(crate) fn schedule(&mut self, mut new: Vec<Task>, facts: &mut Vec<Fact>) {
        if new.is_empty() {
            return;
        }
        facts.push(Fact::TasksScheduled {
            tasks: new.iter().map(|t| (t.id.clone(), t.due_ms)).collect(),
        });
        self.tasks.append(&mut new);
        crate::engine::order::sort_by(&mut self.tasks, |a, b| {
            (a.due_ms, &a.id).cmp(&(b.due_ms, &b.id))
        });
    }

    pub(crate) fn drop_tasks(&mut self, facts: &mut Vec<Fact>, pred: impl Fn(&Task) -> bool) {
        let dropped: Vec<String> = self
            .tasks
            .iter()
            .filter(|t| pred(t))
            .map(|t| t.id.clone())
            .collect();
        if !dropped.is_empty() {
            self.tasks.retain(|t| !pred(t));
            facts.push(Fact::TasksDropped { task_ids: dropped });
        }
    }

    pub(crate) fn credit_silver(
        &mut self,
        id: &str,
        delta: i64,
        reason: &str,
        facts: &mut Vec<Fact>,
    ) {
        if let Some(p) = self.player_mut(id) {
            p.silver = (p.silver as i64 + delta).max(0) as u64;
            facts.push(Fact::Silver {
                player_id: id.to_string(),
                delta,
                balance_after: p.silver,
                reason: reason.to_string(),
            });
        }
    }
}

/// The engine for one game: its state, and the secret seed when known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Engine {
    pub game_id: String,
    /// Known to the live room from the start; to a replayer only once revealed.
    seed: Option<[u8; 32]>,
    pub state: Option<GameState>,
}

impl Engine {
    pub fn new(game_id: &str, seed: Option<[u8; 32]>) -> Engine {
        Engine {
            game_id: game_id.to_string(),
            seed,
            state: None,
        }
    }

    pub fn seed(&self) -> Option<&[u8; 32]> {
        self.seed.as_ref()
    }

    /// Applies one input. On `Err` nothing changed; on `Ok` the facts say what did.
    pub fn apply(&mut self, input: &Input<'_>) -> Result<Vec<Fact>, Rejection> {
        let cmd = input.command;
        if cmd.required_kind() != input.kind {
            return Err(Rejection::NotPermitted(format!(
                "{} as {}",
                cmd.to_type_and_payload().0,
                input.kind.as_str()
            )));
        }
        let mut facts = Vec::new();
        if let Command::Init {
            manifest,
            roster,
            seed_commitment,
            rules_version,
        } = cmd
        {
            if self.state.is_some() {
                return Err(Rejection::AlreadyInitialised);
            }
            // Refused before anything else: a version this engine does not know (a journal from a
            // newer engine) or 0 would be played by rules nobody wrote down.
            let version = rules_version.unwrap_or(1);
            if !(1..=super::RULES_VERSION).contains(&version) {
                return Err(Rejection::UnsupportedRules(version));
            }
            let mut st = init(
                &self.game_id,
                manifest,
                roster,
                *seed_commitment,
                self.seed.as_ref(),
                input,
                &mut facts,
            )?;
            st.rules_version = version;
            self.state = Some(st);
            return Ok(facts);
        }
        let seed = self.seed;
        let st = self.state.as_mut().ok_or(Rejection::NotInitialised)?;
        if let Command::RevealSeed { seed: revealed } = cmd {
            st.require_phase(&[Phase::GameSummary, Phase::GameOver])?;
            if st.seed_revealed {
                return Err(Rejection::SeedAlreadyRevealed);
            }
            if commitment(&revealed.0) != st.seed_commitment
                || seed.is_some_and(|s| s != revealed.0)
            {
                return Err(Rejection::SeedMismatch);
            }
            st.seed_revealed = true;
            self.seed = Some(revealed.0);
            facts.push(Fact::SeedRevealed {});
        } else if let Command::Checkpoint {
            game_id,
            seq,
            day,
            seed_commitment,
            seed: revealed,
            ..
        } = cmd
        {
            // A no-op on the game: it only has to describe the journal before it.
            let mismatch = |why: String| Err(Rejection::CheckpointMismatch(why));
            if *game_id != st.game_id {
                return mismatch(format!("game {game_id}, the journal is {}", st.game_id));
            }
            // It states the journal up to the entry before it, refused or not. Up to rules
            // version 3 that entry also had to be an accepted one (`last_seq`), so a checkpoint
            // right after a refused entry was refused; those journals replay as recorded
            // (docs/architecture.md, "Rules versions").
            let before_accepted = st.rules_version < 4 && *seq != st.last_seq;
            if before_accepted || *seq + 1 != input.seq {
                return mismatch(format!(
                    "seq {seq}, the entry before it is {}",
                    input.seq.saturating_sub(1)
                ));
            }
            if *day != st.day {
                return mismatch(format!("day {day}, the game is on day {}", st.day));
            }
            let seed_ok = if st.seed_revealed {
                seed_commitment.is_none() && revealed.map(|h| h.0) == seed
            } else {
                revealed.is_none() && *seed_commitment == Some(st.seed_commitment)
            };
            if !seed_ok {
                return mismatch("its seed field is not the game's".into());
            }
        } else {
            if st.phase == Phase::GameOver {
                return Err(Rejection::GameOver);
            }
            let mut ctx = Ctx {
                seed: seed.as_ref(),
                seq: input.seq,
                at_ms: input.at_ms,
                facts: &mut facts,
            };
            dispatch(st, input, &mut ctx)?;
            destiny::after_entry(st);
            // --- Prompts, dilemmas, confessions, inactivity ---
            super::inactivity::after_action(st, input);
        }
        if let Some(st) = self.state.as_mut() {
            st.last_seq = input.seq;
            st.last_at_ms = input.at_ms;
        }
        Ok(facts)
    }
}

/// What a handler needs besides the state.
pub(crate) struct Ctx<'a> {
    pub seed: Option<&'a [u8; 32]>,
    pub seq: u64,
    pub at_ms: i64,
    pub facts: &'a mut Vec<Fact>,
}

impl Ctx<'_> {
    /// Records that a timeline action had nothing to act on (`NO_EFFECT`): the entry is still
    /// accepted, and the fact says why nothing changed.
    pub(crate) fn no_effect(&mut self, action: Action, reason: impl Into<String>) {
        self.facts.push(Fact::NoEffect {
            action,
            reason: reason.into(),
        });
    }
}

fn init(
    game_id: &str,
    manifest: &serde_json::Value,
    roster: &serde_json::Value,
    seed_commitment: Hash,
    seed: Option<&[u8; 32]>,
    input: &Input<'_>,
    facts: &mut Vec<Fact>,
) -> Result<GameState, Rejection> {
    let m =
        parse_manifest(manifest, "manifest").map_err(|e| Rejection::InvalidInit(e.to_string()))?;
    // PECKING_ORDER may start with no roster (players join in pregame), BLITZ needs 2.
    let min = if m.mode == Mode::PeckingOrder { 0 } else { 2 };
    let players =
        parse_roster(roster, "roster", min).map_err(|e| Rejection::InvalidInit(e.to_string()))?;
    if let Some(s) = seed {
        if commitment(s) != seed_commitment {
            return Err(Rejection::SeedMismatch);
        }
    }
    let mode = match m.mode {
        Mode::PeckingOrder => "PECKING_ORDER",
        Mode::Blitz => "BLITZ",
    };
    facts.push(Fact::GameCreated {
        mode: mode.to_string(),
        players: players.iter().map(|p| p.id.clone()).collect(),
        gold_pool: m.initial_gold_pool,
    });
    for p in &players {
        starting_balances(p, facts);
    }
    let mut st = GameState {
        game_id: game_id.to_string(),
        rules_version: 1,
        seed_commitment,
        seed_revealed: false,
        players,
        phase: Phase::PreGame,
        day: 0,
        vote_type: None,
        group_chat_open: false,
        dms_open: false,
        chat: Vec::new(),
        next_msg_id: 1,
        tasks: Vec::new(),
        ballot: None,
        pending: None,
        results: Vec::new(),
        gold_pool: m.initial_gold_pool,
        winner: None,
        abandoned: false,
        last_seq: input.seq,
        last_at_ms: input.at_ms,
        social: SocialState::default(),
        destinies: Default::default(),
        prompts: Default::default(),
        dilemmas: Default::default(),
        confession: Default::default(),
        inactivity: Default::default(),
        games: Default::default(),
        pregame: Default::default(),
        gm_messages: Vec::new(),
        push_config: super::push_config::from_manifest(manifest),
        manifest: m,
    };
    if st.manifest.scheduling == Scheduling::PreScheduled {
        let start = st.manifest.start_ms;
        st.schedule(vec![Task::new(1, 0, start, Action::StartDay)], facts);
    }
    Ok(st)
}

fn dispatch(st: &mut GameState, input: &Input<'_>, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    // --- Daily games: CURSE_NO_DM refuses DMs; after an accepted entry, time passes for the
    // running game (THE_SPLIT round deadlines are checked against every entry's time). ---
    games::effects::check_dm_curse(st, input.actor, input.command)?;
    dispatch_command(st, input, ctx)?;
    games::after_entry(st, ctx);
    Ok(())
}

fn dispatch_command(
    st: &mut GameState,
    input: &Input<'_>,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    match input.command {
        Command::Init { .. } | Command::RevealSeed { .. } | Command::Checkpoint { .. } => {
            Err(Rejection::AlreadyInitialised)
        }
        Command::PlayerJoined { player } => player_joined(st, player, ctx),
        Command::PlayerConnected { player_id } => super::pregame::connected(st, player_id, ctx),
        Command::RevealAnswer { q_index } => {
            super::pregame::reveal_answer(st, input.actor, *q_index, ctx)
        }
        Command::Fire { task_id, due_ms } => {
            let pos = st
                .tasks
                .iter()
                .position(|t| &t.id == task_id && t.due_ms == *due_ms)
                .ok_or_else(|| Rejection::UnknownTask(format!("{task_id}@{due_ms}")))?;
            if pos != 0 {
                return Err(Rejection::TaskOutOfOrder {
                    task: task_id.clone(),
                    earlier: st.tasks[0].id.clone(),
                });
            }
            if ctx.at_ms < *due_ms {
                return Err(Rejection::TaskNotDue {
                    task: task_id.clone(),
                    due_ms: *due_ms,
                    at_ms: ctx.at_ms,
                });
            }
            let task = st.tasks.remove(0);
            ctx.facts.push(Fact::TaskFired {
                task_id: task.id.clone(),
                due_ms: task.due_ms,
                action: task.action,
            });
            day::run_action(st, task.action, task.day, ctx)
        }
        Command::NextStage {} => match st.phase {
            Phase::PreGame => day::start_day(st, 1, ctx),
            Phase::Day => day::end_day(st, ctx),
            Phase::Night => day::start_day(st, st.day + 1, ctx),
            Phase::GameSummary => {
                st.phase = Phase::GameOver;
                ctx.facts.push(Fact::PhaseChanged {
                    phase: Phase::GameOver.as_str().into(),
                    day: st.day,
                });
                Ok(())
            }
            Phase::GameOver => Err(Rejection::GameOver),
        },
        Command::InjectTimelineEvent { action } => match action {
            Action::StartDay => {
                st.require_phase(&[Phase::PreGame, Phase::Night])?;
                day::start_day(st, st.day + 1, ctx)
            }
            Action::OpenGroupChat
            | Action::CloseGroupChat
            | Action::OpenDms
            | Action::CloseDms
            | Action::StartGame
            | Action::EndGame
            | Action::StartActivity
            | Action::EndActivity
            | Action::StartDilemma
            | Action::EndDilemma
            | Action::OpenVoting
            | Action::CloseVoting
            | Action::Eliminate
            | Action::StartConfessionChat
            | Action::EndConfessionChat
            | Action::EndDay
            | Action::GameTimer => {
                st.require_phase(&[Phase::Day])?;
                day::run_action(st, *action, st.day, ctx)
            }
        },
        Command::EliminatePlayer { player_id, .. } => {
            st.require_phase(&[Phase::Day, Phase::Night])?;
            st.alive_player(player_id)?;
            day::eliminate(st, player_id, "ADMIN", ctx);
            Ok(())
        }
        Command::CreditSilver { rewards } => economy::admin_credit(st, rewards, ctx),
        Command::UpdatePushConfig { push_config } => {
            super::push_config::update(st, push_config, ctx)
        }
        Command::SendGameMasterMsg { content, target_id } => {
            super::gamemaster::send(st, content, target_id.as_deref(), ctx)
        }
        Command::Destiny(c) => destiny::handle(st, input.actor, c, ctx),
        Command::AbandonGame { reason } => day::abandon(st, reason.as_deref(), ctx),
        Command::FlushTasks {} => {
            st.drop_tasks(ctx.facts, |_| true);
            Ok(())
        }
        Command::SendMsg {
            content,
            channel_id,
            recipient_ids,
            target_id,
            reply_to,
            mentioned_ids,
        } => social::send_msg(
            st,
            input.actor,
            content,
            channel_id.as_deref(),
            recipient_ids.as_deref(),
            target_id.as_deref(),
            social::Refs {
                reply_to: *reply_to,
                mentioned_ids: mentioned_ids.as_deref().unwrap_or_default(),
            },
            ctx,
        ),
        Command::CreateChannel { member_ids } => {
            social::create_channel(st, input.actor, member_ids, ctx)
        }
        Command::AddMember {
            channel_id,
            member_ids,
        } => social::add_member(st, input.actor, channel_id, member_ids, ctx),
        Command::AcceptDm { channel_id } => social::accept_dm(st, input.actor, channel_id, ctx),
        Command::DeclineDm { channel_id } => social::decline_dm(st, input.actor, channel_id, ctx),
        Command::React {
            message_id,
            channel_id,
            emoji,
        } => social::react(
            st,
            input.actor,
            *message_id,
            channel_id.as_deref(),
            emoji,
            ctx,
        ),
        Command::Nudge { target_id } => social::nudge(st, input.actor, target_id, ctx),
        Command::Whisper { target_id, text } => {
            social::whisper(st, input.actor, target_id, text, ctx)
        }
        Command::UsePerk {
            perk_type,
            target_id,
        } => super::perks::use_perk(st, input.actor, *perk_type, target_id.as_deref(), ctx),
        Command::SendSilver { target_id, amount } => {
            economy::send_silver(st, input.actor, target_id, *amount, ctx)
        }
        Command::Vote(c) => voting::handle(st, input.actor, c, ctx),
        // --- Prompts, dilemmas, confessions, inactivity ---
        Command::Prompt(c) => super::prompts::respond(st, input.actor, c, ctx),
        Command::Dilemma(c) => super::dilemmas::submit(st, input.actor, c, ctx),
        Command::ConfessionPost { channel_id, text } => {
            super::confession::post(st, input.actor, channel_id, text, ctx)
        }
        // --- Daily games ---
        Command::Game(c) => games::handle(st, input.actor, c, ctx),
    }
}

/// Opening balances as facts, so that every balance is the sum of its facts' deltas and SQL over
/// the journal can rebuild any balance at any seq.
fn starting_balances(p: &Player, facts: &mut Vec<Fact>) {
    facts.push(Fact::Silver {
        player_id: p.id.clone(),
        delta: p.silver as i64,
        balance_after: p.silver,
        reason: "START".into(),
    });
    if p.gold > 0 {
        facts.push(Fact::Gold {
            player_id: p.id.clone(),
            delta: p.gold as i64,
            balance_after: p.gold,
            reason: "START".into(),
        });
    }
}

fn player_joined(
    st: &mut GameState,
    player: &serde_json::Value,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    st.require_phase(&[Phase::PreGame])?;
    let mut errors = Vec::new();
    let p = parse_player(player, "player", None, &mut errors)
        .filter(|_| errors.is_empty())
        .ok_or_else(|| {
            Rejection::InvalidInit(super::manifest::ManifestError { errors }.to_string())
        })?;
    if st.player(&p.id).is_some() {
        return Err(Rejection::DuplicatePlayer(p.id));
    }
    if st.players.len() >= super::manifest::MAX_PLAYERS {
        return Err(Rejection::InvalidInit(format!(
            "the roster is full ({} players)",
            super::manifest::MAX_PLAYERS
        )));
    }
    ctx.facts.push(Fact::PlayerJoined {
        player_id: p.id.clone(),
    });
    starting_balances(&p, ctx.facts);
    st.players.push(p);
    // A late quorum starts the game now if its start time has passed and no start is pending.
    let m = &st.manifest;
    if m.scheduling == Scheduling::PreScheduled
        && ctx.at_ms >= m.start_ms
        && st.players.len() >= super::day::quorum(m)
        && !st.tasks.iter().any(|t| t.action == Action::StartDay)
    {
        st.schedule(
            vec![Task::new(1, 0, ctx.at_ms, Action::StartDay)],
            ctx.facts,
        );
    }
    Ok(())
}

/// The engine's own kind check, exposed for the room: which entry kind an actor name implies.
pub fn kind_for_actor(actor: &str) -> EntryKind {
    match actor {
        "SYSTEM" => EntryKind::System,
        "ADMIN" => EntryKind::Admin,
        "ALARM" => EntryKind::Alarm,
        _ => EntryKind::Action,
    }
}

fn rules_v1() -> u32 {
    1
}

fn is_rules_v1(v: &u32) -> bool {
    *v == 1
}
