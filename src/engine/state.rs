//! Game state and the transition function.
//!
//! Every handler validates completely before it changes anything, so a rejected input leaves the
//! state exactly as it was (no clone-and-restore on the hot path).

use super::command::{Command, Input};
use super::error::Rejection;
use super::fact::Fact;
use super::manifest::{parse_manifest, Kind, Manifest, Mode, Scheduling, VoteType};
use super::rng::{commitment, Rng};
use super::roster::{parse_player, parse_roster, Player, MAX_BALANCE};
use super::rules::rules_for;
use super::timeline::Action;
use super::voting::{mechanism_for, Ballot, Outcome};
use crate::journal::{EntryKind, Hash};
use serde::{Deserialize, Serialize};
use std::cell::Cell;

/// Longest chat message, in characters (Unicode scalar values).
pub const MAX_MESSAGE_CHARS: usize = 280;
/// Chat messages kept per day; the oldest are dropped first.
pub const MAX_CHAT_LOG: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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
    fn new(day: u32, idx: usize, due_ms: i64, action: Action) -> Task {
        // Ids sort like the timeline: ties on `due_ms` fall back to this order.
        Task { id: format!("d{day:03}-{idx:02}-{}", action.as_str()), due_ms, day, action }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub id: u64,
    pub from: String,
    pub content: String,
    pub at_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameState {
    pub game_id: String,
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
    pub last_seq: u64,
    pub last_at_ms: i64,
}

impl GameState {
    pub fn player(&self, id: &str) -> Option<&Player> {
        self.players.iter().find(|p| p.id == id)
    }

    fn player_mut(&mut self, id: &str) -> Option<&mut Player> {
        self.players.iter_mut().find(|p| p.id == id)
    }

    pub fn alive_count(&self) -> usize {
        self.players.iter().filter(|p| p.alive).count()
    }

    fn alive_player(&self, id: &str) -> Result<&Player, Rejection> {
        let p = self.player(id).ok_or_else(|| Rejection::UnknownPlayer(id.to_string()))?;
        if !p.alive {
            return Err(Rejection::PlayerEliminated(id.to_string()));
        }
        Ok(p)
    }

    fn alive_target(&self, id: &str) -> Result<&Player, Rejection> {
        let p = self.player(id).ok_or_else(|| Rejection::UnknownPlayer(id.to_string()))?;
        if !p.alive {
            return Err(Rejection::TargetEliminated(id.to_string()));
        }
        Ok(p)
    }

    fn require_phase(&self, ok: &[Phase]) -> Result<(), Rejection> {
        if ok.contains(&self.phase) {
            Ok(())
        } else {
            Err(Rejection::WrongPhase(self.phase.as_str()))
        }
    }

    fn schedule(&mut self, mut new: Vec<Task>, facts: &mut Vec<Fact>) {
        if new.is_empty() {
            return;
        }
        facts.push(Fact::TasksScheduled { tasks: new.iter().map(|t| (t.id.clone(), t.due_ms)).collect() });
        self.tasks.append(&mut new);
        self.tasks.sort_by(|a, b| (a.due_ms, &a.id).cmp(&(b.due_ms, &b.id)));
    }

    fn drop_tasks(&mut self, facts: &mut Vec<Fact>, pred: impl Fn(&Task) -> bool) {
        let dropped: Vec<String> = self.tasks.iter().filter(|t| pred(t)).map(|t| t.id.clone()).collect();
        if !dropped.is_empty() {
            self.tasks.retain(|t| !pred(t));
            facts.push(Fact::TasksDropped { task_ids: dropped });
        }
    }

    fn credit_silver(&mut self, id: &str, delta: i64, reason: &str, facts: &mut Vec<Fact>) {
        if let Some(p) = self.player_mut(id) {
            p.silver = (p.silver as i64 + delta).max(0) as u64;
            facts.push(Fact::Silver { player_id: id.to_string(), delta, balance_after: p.silver, reason: reason.to_string() });
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
        Engine { game_id: game_id.to_string(), seed, state: None }
    }

    pub fn seed(&self) -> Option<&[u8; 32]> {
        self.seed.as_ref()
    }

    /// Applies one input. On `Err` nothing changed; on `Ok` the facts say what did.
    pub fn apply(&mut self, input: &Input<'_>) -> Result<Vec<Fact>, Rejection> {
        let cmd = input.command;
        if cmd.required_kind() != input.kind {
            return Err(Rejection::NotPermitted(format!("{} as {}", cmd.to_type_and_payload().0, input.kind.as_str())));
        }
        let mut facts = Vec::new();
        if let Command::Init { manifest, roster, seed_commitment } = cmd {
            if self.state.is_some() {
                return Err(Rejection::AlreadyInitialised);
            }
            let st = init(&self.game_id, manifest, roster, *seed_commitment, self.seed.as_ref(), input, &mut facts)?;
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
            if commitment(&revealed.0) != st.seed_commitment || seed.is_some_and(|s| s != revealed.0) {
                return Err(Rejection::SeedMismatch);
            }
            st.seed_revealed = true;
            self.seed = Some(revealed.0);
            facts.push(Fact::SeedRevealed {});
        } else {
            if st.phase == Phase::GameOver {
                return Err(Rejection::GameOver);
            }
            let mut ctx = Ctx { seed: seed.as_ref(), seq: input.seq, at_ms: input.at_ms, facts: &mut facts };
            dispatch(st, input, &mut ctx)?;
        }
        if let Some(st) = self.state.as_mut() {
            st.last_seq = input.seq;
            st.last_at_ms = input.at_ms;
        }
        Ok(facts)
    }
}

/// What a handler needs besides the state.
struct Ctx<'a> {
    seed: Option<&'a [u8; 32]>,
    seq: u64,
    at_ms: i64,
    facts: &'a mut Vec<Fact>,
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
    let m = parse_manifest(manifest, "manifest").map_err(|e| Rejection::InvalidInit(e.to_string()))?;
    let min = if m.kind == Kind::Dynamic && m.mode == Mode::PeckingOrder { 0 } else { 2 };
    let players = parse_roster(roster, "roster", min).map_err(|e| Rejection::InvalidInit(e.to_string()))?;
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
    let mut st = GameState {
        game_id: game_id.to_string(),
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
        last_seq: input.seq,
        last_at_ms: input.at_ms,
        manifest: m,
    };
    if st.manifest.scheduling == Scheduling::PreScheduled {
        let start = st.manifest.start_ms;
        st.schedule(vec![Task::new(1, 0, start, Action::StartDay)], facts);
    }
    Ok(st)
}

fn dispatch(st: &mut GameState, input: &Input<'_>, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    match input.command {
        Command::Init { .. } | Command::RevealSeed { .. } => Err(Rejection::AlreadyInitialised),
        Command::PlayerJoined { player } => player_joined(st, player, ctx),
        Command::Fire { task_id, due_ms } => {
            let pos = st
                .tasks
                .iter()
                .position(|t| &t.id == task_id && t.due_ms == *due_ms)
                .ok_or_else(|| Rejection::UnknownTask(format!("{task_id}@{due_ms}")))?;
            if pos != 0 {
                return Err(Rejection::TaskOutOfOrder { task: task_id.clone(), earlier: st.tasks[0].id.clone() });
            }
            if ctx.at_ms < *due_ms {
                return Err(Rejection::TaskNotDue { task: task_id.clone(), due_ms: *due_ms, at_ms: ctx.at_ms });
            }
            let task = st.tasks.remove(0);
            ctx.facts.push(Fact::TaskFired { task_id: task.id.clone(), due_ms: task.due_ms, action: task.action });
            run_action(st, task.action, task.day, ctx)
        }
        Command::NextStage {} => match st.phase {
            Phase::PreGame => start_day(st, 1, ctx),
            Phase::Day => end_day(st, ctx),
            Phase::Night => start_day(st, st.day + 1, ctx),
            Phase::GameSummary => {
                st.phase = Phase::GameOver;
                ctx.facts.push(Fact::PhaseChanged { phase: Phase::GameOver.as_str().into(), day: st.day });
                Ok(())
            }
            Phase::GameOver => Err(Rejection::GameOver),
        },
        Command::InjectTimelineEvent { action } => match action {
            Action::StartDay => {
                st.require_phase(&[Phase::PreGame, Phase::Night])?;
                start_day(st, st.day + 1, ctx)
            }
            _ => {
                st.require_phase(&[Phase::Day])?;
                run_action(st, *action, st.day, ctx)
            }
        },
        Command::EliminatePlayer { player_id, .. } => {
            st.require_phase(&[Phase::Day, Phase::Night])?;
            st.alive_player(player_id)?;
            eliminate(st, player_id, "ADMIN", ctx);
            Ok(())
        }
        Command::CreditSilver { rewards } => {
            st.require_phase(&[Phase::PreGame, Phase::Day, Phase::Night, Phase::GameSummary])?;
            for (id, delta) in rewards {
                let p = st.player(id).ok_or_else(|| Rejection::UnknownPlayer(id.clone()))?;
                let after = p.silver as i128 + *delta as i128;
                if after < 0 {
                    return Err(Rejection::InsufficientSilver { balance: p.silver, needed: delta.unsigned_abs() });
                }
                if after > MAX_BALANCE as i128 || *delta == 0 {
                    return Err(Rejection::InvalidAmount);
                }
            }
            for (id, delta) in rewards {
                st.credit_silver(id, *delta, "ADMIN_CREDIT", ctx.facts);
            }
            Ok(())
        }
        Command::SendMsg { content, channel_id } => {
            if channel_id.as_deref().is_some_and(|c| c != "MAIN") {
                return Err(Rejection::Unsupported("direct messages".into()));
            }
            let post_game = st.phase == Phase::GameSummary;
            if !post_game {
                st.require_phase(&[Phase::Day])?;
            }
            let sender = st.player(input.actor).ok_or_else(|| Rejection::UnknownPlayer(input.actor.to_string()))?;
            if !post_game && !sender.alive {
                return Err(Rejection::PlayerEliminated(input.actor.to_string()));
            }
            if !post_game && !st.group_chat_open {
                return Err(Rejection::GroupChatClosed);
            }
            let text = content.trim();
            if text.is_empty() {
                return Err(Rejection::EmptyText);
            }
            if text.chars().count() > MAX_MESSAGE_CHARS {
                return Err(Rejection::TextTooLong(MAX_MESSAGE_CHARS));
            }
            let id = st.next_msg_id;
            st.next_msg_id += 1;
            if st.chat.len() >= MAX_CHAT_LOG {
                st.chat.remove(0);
            }
            st.chat.push(ChatMessage { id, from: input.actor.to_string(), content: text.to_string(), at_ms: ctx.at_ms });
            ctx.facts.push(Fact::ChatMessage { id, channel_id: "MAIN".into(), from: input.actor.to_string(), content: text.to_string() });
            Ok(())
        }
        Command::SendSilver { target_id, amount } => {
            st.require_phase(&[Phase::Day])?;
            let sender = st.alive_player(input.actor)?;
            if target_id == input.actor {
                return Err(Rejection::SelfTarget);
            }
            st.alive_target(target_id)?;
            if *amount == 0 || *amount > MAX_BALANCE {
                return Err(Rejection::InvalidAmount);
            }
            if sender.silver < *amount {
                return Err(Rejection::InsufficientSilver { balance: sender.silver, needed: *amount });
            }
            st.credit_silver(input.actor, -(*amount as i64), "TRANSFER_OUT", ctx.facts);
            st.credit_silver(target_id, *amount as i64, "TRANSFER_IN", ctx.facts);
            Ok(())
        }
        Command::VoteMajority { target_id } => cast(st, VoteType::Majority, input.actor, target_id, ctx),
        Command::VoteFinals { target_id } => cast(st, VoteType::Finals, input.actor, target_id, ctx),
    }
}

fn player_joined(st: &mut GameState, player: &serde_json::Value, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    st.require_phase(&[Phase::PreGame])?;
    let mut errors = Vec::new();
    let p = parse_player(player, "player", None, &mut errors)
        .filter(|_| errors.is_empty())
        .ok_or_else(|| Rejection::InvalidInit(super::manifest::ManifestError { errors }.to_string()))?;
    if st.player(&p.id).is_some() {
        return Err(Rejection::DuplicatePlayer(p.id));
    }
    if st.players.len() >= super::manifest::MAX_PLAYERS {
        return Err(Rejection::InvalidInit(format!("the roster is full ({} players)", super::manifest::MAX_PLAYERS)));
    }
    ctx.facts.push(Fact::PlayerJoined { player_id: p.id.clone() });
    st.players.push(p);
    // A late quorum starts the game now if its start time has passed and no start is pending.
    let m = &st.manifest;
    if m.scheduling == Scheduling::PreScheduled
        && ctx.at_ms >= m.start_ms
        && st.players.len() >= m.min_players
        && !st.tasks.iter().any(|t| t.action == Action::StartDay)
    {
        st.schedule(vec![Task::new(1, 0, ctx.at_ms, Action::StartDay)], ctx.facts);
    }
    Ok(())
}

fn cast(st: &mut GameState, mechanism: VoteType, voter: &str, target: &str, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    st.require_phase(&[Phase::Day])?;
    st.player(voter).ok_or_else(|| Rejection::UnknownPlayer(voter.to_string()))?;
    let ballot = st.ballot.as_mut().ok_or(Rejection::VotingClosed)?;
    if ballot.mechanism != mechanism {
        return Err(Rejection::WrongMechanism { expected: ballot.mechanism.as_str(), got: mechanism.as_str() });
    }
    if !ballot.voters.iter().any(|v| v == voter) {
        return Err(Rejection::NotEligibleVoter);
    }
    if !ballot.targets.iter().any(|t| t == target) {
        return Err(Rejection::NotEligibleTarget);
    }
    ballot.votes.insert(voter.to_string(), target.to_string());
    ctx.facts.push(Fact::VoteCast { voter: voter.to_string(), mechanism, target: target.to_string() });
    Ok(())
}

fn run_action(st: &mut GameState, action: Action, task_day: u32, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    match action {
        Action::StartDay => {
            if st.phase == Phase::Day {
                // The next morning is due while today is still running (a late END_DAY or a bad
                // manifest): settle today first, never skip its elimination.
                end_day(st, ctx)?;
                if st.phase == Phase::GameSummary {
                    return Ok(());
                }
            }
            start_day(st, task_day, ctx)
        }
        Action::EndDay => {
            if st.phase != Phase::Day {
                ctx.facts.push(Fact::NoEffect { action, reason: format!("phase is {}", st.phase.as_str()) });
                return Ok(());
            }
            end_day(st, ctx)
        }
        _ if st.phase != Phase::Day => {
            ctx.facts.push(Fact::NoEffect { action, reason: format!("phase is {}", st.phase.as_str()) });
            Ok(())
        }
        Action::OpenGroupChat | Action::CloseGroupChat => {
            let open = action == Action::OpenGroupChat;
            set_gate(st, "GROUP_CHAT", open, ctx);
            Ok(())
        }
        Action::OpenDms | Action::CloseDms => {
            set_gate(st, "DMS", action == Action::OpenDms, ctx);
            Ok(())
        }
        Action::OpenVoting => open_voting(st, ctx),
        Action::CloseVoting => close_voting(st, ctx),
        _ => {
            ctx.facts.push(Fact::NoEffect { action, reason: "not implemented by this engine version".into() });
            Ok(())
        }
    }
}

fn set_gate(st: &mut GameState, gate: &str, open: bool, ctx: &mut Ctx<'_>) {
    let flag = if gate == "DMS" { &mut st.dms_open } else { &mut st.group_chat_open };
    if *flag != open {
        *flag = open;
        ctx.facts.push(Fact::GateChanged { gate: gate.to_string(), open });
    }
}

fn start_day(st: &mut GameState, day: u32, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    let m = &st.manifest;
    if m.kind == Kind::Dynamic && m.mode == Mode::PeckingOrder && st.phase == Phase::PreGame && st.players.len() < m.min_players {
        // Not enough players yet: the start waits for a join that reaches the quorum.
        ctx.facts.push(Fact::StartPostponed { players: st.players.len() as u32, needed: m.min_players as u32 });
        return Ok(());
    }
    let rules = rules_for(m);
    let plan = rules.plan_day(m, day, ctx.at_ms, st.alive_count());
    st.drop_tasks(ctx.facts, |t| t.day < day || (t.day == day && t.action == Action::StartDay));
    st.day = day;
    st.phase = Phase::Day;
    st.vote_type = Some(plan.vote_type);
    st.chat.clear();
    st.group_chat_open = false;
    st.dms_open = false;
    st.ballot = None;
    st.pending = None;
    ctx.facts.push(Fact::PhaseChanged { phase: Phase::Day.as_str().into(), day });
    if st.manifest.scheduling == Scheduling::PreScheduled {
        let mut tasks: Vec<Task> = plan.timeline.iter().enumerate().map(|(i, (t, a))| Task::new(day, i + 1, *t, *a)).collect();
        if let Some(next) = plan.next_day_start_ms {
            tasks.push(Task::new(day + 1, 0, next, Action::StartDay));
        }
        st.schedule(tasks, ctx.facts);
    }
    Ok(())
}

fn open_voting(st: &mut GameState, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    if st.ballot.is_some() || st.pending.is_some() {
        ctx.facts.push(Fact::NoEffect { action: Action::OpenVoting, reason: "today's vote already opened".into() });
        return Ok(());
    }
    let vt = st.vote_type.unwrap_or(VoteType::Majority);
    let mech = mechanism_for(vt).ok_or_else(|| Rejection::Unsupported(vt.as_str().into()))?;
    let voters = mech.voters(&st.players);
    let targets = mech.targets(&st.players);
    ctx.facts.push(Fact::VotingOpened { mechanism: vt, voters: voters.clone(), targets: targets.clone() });
    st.ballot = Some(Ballot {
        mechanism: vt,
        voters,
        targets,
        silver_at_open: st.players.iter().filter(|p| p.alive).map(|p| (p.id.clone(), p.silver)).collect(),
        votes: Default::default(),
    });
    Ok(())
}

fn close_voting(st: &mut GameState, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    let Some(ballot) = st.ballot.as_ref() else {
        ctx.facts.push(Fact::NoEffect { action: Action::CloseVoting, reason: "no vote is open".into() });
        return Ok(());
    };
    let mech = mechanism_for(ballot.mechanism).ok_or_else(|| Rejection::Unsupported(ballot.mechanism.as_str().into()))?;
    let missing_seed = Cell::new(false);
    let (seed, seq) = (ctx.seed, ctx.seq);
    let outcome = mech.resolve(ballot, &mut || match seed {
        Some(s) => Rng::for_entry(s, seq, "vote"),
        None => {
            missing_seed.set(true);
            Rng::for_entry(&[0; 32], seq, "vote")
        }
    });
    if missing_seed.get() {
        return Err(Rejection::SeedUnknown);
    }
    ctx.facts.push(Fact::VoteResult {
        mechanism: outcome.mechanism,
        tallies: outcome.tallies.clone(),
        eliminated: outcome.eliminated.clone(),
        winner: outcome.winner.clone(),
        tie_break: outcome.tie_break.clone(),
    });
    st.ballot = None;
    st.results.push((st.day, outcome.clone()));
    st.pending = Some(outcome);
    Ok(())
}

fn eliminate(st: &mut GameState, id: &str, mechanism: &str, ctx: &mut Ctx<'_>) {
    let day = st.day;
    if let Some(p) = st.player_mut(id) {
        p.alive = false;
        p.eliminated_on_day = Some(day);
    }
    if let Some(b) = st.ballot.as_mut() {
        b.votes.retain(|voter, target| voter != id && target != id);
        b.voters.retain(|v| v != id);
        b.targets.retain(|t| t != id);
    }
    ctx.facts.push(Fact::Elimination { player_id: id.to_string(), mechanism: mechanism.to_string(), day });
}

fn end_day(st: &mut GameState, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    // Settle a vote still open: the day's elimination is never lost to a late close.
    if st.ballot.is_some() {
        close_voting(st, ctx)?;
    }
    if let Some(outcome) = st.pending.take() {
        let mech = outcome.mechanism.as_str();
        if let Some(id) = outcome.eliminated.as_deref() {
            if st.player(id).is_some_and(|p| p.alive) {
                eliminate(st, id, mech, ctx);
            }
        }
        if let Some(w) = outcome.winner.as_deref() {
            crown(st, w, ctx);
        }
    }
    set_gate(st, "GROUP_CHAT", false, ctx);
    set_gate(st, "DMS", false, ctx);
    let day = st.day;
    st.drop_tasks(ctx.facts, |t| t.day == day);
    let complete = st.winner.is_some() || rules_for(&st.manifest).is_complete(&st.manifest, day, st.alive_count());
    if complete {
        st.drop_tasks(ctx.facts, |_| true);
        st.phase = Phase::GameSummary;
        ctx.facts.push(Fact::PhaseChanged { phase: Phase::GameSummary.as_str().into(), day });
        ctx.facts.push(Fact::GameEnded { winner: st.winner.clone() });
    } else {
        st.phase = Phase::Night;
        ctx.facts.push(Fact::PhaseChanged { phase: Phase::Night.as_str().into(), day });
    }
    Ok(())
}

fn crown(st: &mut GameState, winner: &str, ctx: &mut Ctx<'_>) {
    let pool = st.gold_pool;
    st.winner = Some(winner.to_string());
    ctx.facts.push(Fact::Winner { player_id: winner.to_string(), gold_pool: pool });
    if pool > 0 {
        if let Some(p) = st.player_mut(winner) {
            p.gold += pool;
            let after = p.gold;
            st.gold_pool = 0;
            ctx.facts.push(Fact::GoldPool { delta: -(pool as i64), pool_after: 0, reason: "WINNER_PAYOUT".into() });
            ctx.facts.push(Fact::Gold { player_id: winner.to_string(), delta: pool as i64, balance_after: after, reason: "WINNER".into() });
        }
    }
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
