//! Daily games (docs/games.md has every rule as built).
//!
//! One game a day at most (a BLITZ round counts as a day). START_GAME spawns today's game with
//! the alive players; players act with `GAME.*` messages; the game finishes at END_GAME, or early
//! as soon as its input is complete, and its results become facts: silver with balance_after,
//! gold-pool contributions, and effects (SHIELD, curses) that reach the vote and the DMs.
//!
//! Each game is a module implementing [`Game`]:
//! - arcade (18 client-rendered games, server-validated scores), `trivia` (per-player questions);
//! - live games on the server's clock with a timer: `realtime_trivia`, `touch_screen`;
//! - sync decisions: `bet_bet_bet`, `the_split` (rounds with deadlines), `blind_auction`,
//!   `kings_ransom`.
//!
//! Like every handler, a game validates an input completely before it changes anything.

pub mod arcade;
pub mod bet_bet_bet;
pub mod blind_auction;
pub mod effects;
pub mod kings_ransom;
mod questions;
pub mod realtime_trivia;
pub mod the_split;
pub mod touch_screen;
pub mod trivia;

pub use arcade::{Arcade, ArcadePlayer, ArcadeSummary, Run, Stage};
pub use bet_bet_bet::{BetBetBet, BetSummary};
pub use blind_auction::{Bid, BlindAuction, BlindAuctionSummary, Prize, SlotResult};
pub use effects::{Effect, EffectKind};
pub use kings_ransom::{KingsAction, KingsRansom, KingsSummary};
pub use questions::{Question, QUESTIONS};
pub use the_split::{SplitAction, SplitRound, SplitSummary, TheSplit};
pub use trivia::{Trivia, TriviaSummary};

use super::economy::{contribute_gold, pay};
use super::error::Rejection;
use super::fact::Fact;
use super::manifest::{Kind, Manifest, Mode};
use super::registry::{registry, Commands};
use super::state::{Ctx, GameState, Task};
use super::timeline::Action;
use serde::{Deserialize, Serialize};

registry! {
    /// Every game of the prototype's catalogue (docs/games.md). Not all are implemented; see
    /// [`GameType::is_supported`].
    pub enum GameType: dyn Rules;
    mechanisms {
        Trivia = "TRIVIA" => trivia::TRIVIA,
        RealtimeTrivia = "REALTIME_TRIVIA" => realtime_trivia::REALTIME_TRIVIA,
        BetBetBet = "BET_BET_BET" => bet_bet_bet::BET_BET_BET,
        TheSplit = "THE_SPLIT" => the_split::THE_SPLIT,
        BlindAuction = "BLIND_AUCTION" => blind_auction::BLIND_AUCTION,
        KingsRansom = "KINGS_RANSOM" => kings_ransom::KINGS_RANSOM,
        TouchScreen = "TOUCH_SCREEN" => touch_screen::TOUCH_SCREEN,
        GapRun = "GAP_RUN" => arcade::GAP_RUN,
        GridPush = "GRID_PUSH" => arcade::GRID_PUSH,
        Sequence = "SEQUENCE" => arcade::SEQUENCE,
        ReactionTime = "REACTION_TIME" => arcade::REACTION_TIME,
        ColorMatch = "COLOR_MATCH" => arcade::COLOR_MATCH,
        Stacker = "STACKER" => arcade::STACKER,
        QuickMath = "QUICK_MATH" => arcade::QUICK_MATH,
        SimonSays = "SIMON_SAYS" => arcade::SIMON_SAYS,
        AimTrainer = "AIM_TRAINER" => arcade::AIM_TRAINER,
        Shockwave = "SHOCKWAVE" => arcade::SHOCKWAVE,
        Orbit = "ORBIT" => arcade::ORBIT,
        BeatDrop = "BEAT_DROP" => arcade::BEAT_DROP,
        Inflate = "INFLATE" => arcade::INFLATE,
        Snake = "SNAKE" => arcade::SNAKE,
        Flappy = "FLAPPY" => arcade::FLAPPY,
        ColorSort = "COLOR_SORT" => arcade::COLOR_SORT,
        Blink = "BLINK" => arcade::BLINK,
        Recall = "RECALL" => arcade::RECALL,
    }
}

/// The ways a game is played, one module each (a game type names one above): its state while it
/// runs, its public result and its `GAME.*` commands. Generates [`GameRun`], [`Summary`] and
/// [`GameCommand`].
macro_rules! implementations {
    ( $( $variant:ident = $wire:literal => $module:ident :: { $state:ident, $summary:ident }, )* ) => {
        /// Each game's own state.
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub enum GameRun {
            $( #[serde(rename = $wire)] $variant($module::$state), )*
        }

        impl GameRun {
            fn game(&self) -> &dyn Game {
                match self {
                    $( GameRun::$variant(g) => g, )*
                }
            }

            fn game_mut(&mut self) -> &mut dyn Game {
                match self {
                    $( GameRun::$variant(g) => g, )*
                }
            }
        }

        /// A finished game's public result.
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[cfg_attr(feature = "schema", schemars(rename = "GameSummary"))]
        pub enum Summary {
            $( #[serde(rename = $wire)] $variant($module::$summary), )*
        }

        super::registry::registry!(@commands GameCommand, Play, "GAME.", Game; {
            $( $variant = $wire => $module::$state, )*
        });
    };
}

implementations! {
    Arcade = "ARCADE" => arcade::{Arcade, ArcadeSummary},
    Trivia = "TRIVIA" => trivia::{Trivia, TriviaSummary},
    BetBetBet = "BET_BET_BET" => bet_bet_bet::{BetBetBet, BetSummary},
    TheSplit = "THE_SPLIT" => the_split::{TheSplit, SplitSummary},
    BlindAuction = "BLIND_AUCTION" => blind_auction::{BlindAuction, BlindAuctionSummary},
    KingsRansom = "KINGS_RANSOM" => kings_ransom::{KingsRansom, KingsSummary},
    RealtimeTrivia = "REALTIME_TRIVIA" => realtime_trivia::{RealtimeTrivia, RealtimeTriviaSummary},
    TouchScreen = "TOUCH_SCREEN" => touch_screen::{TouchScreen, TouchScreenSummary},
}

/// How a game is played.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Client-rendered, client-reported score (validated by the server).
    Arcade,
    /// Per-player questions, server-scored.
    Trivia,
    /// Everyone decides in secret, then the decisions are revealed together.
    SyncDecision,
    /// Played live on the server's clock, with timers (REALTIME_TRIVIA, TOUCH_SCREEN).
    Live,
    /// A game of the catalogue this engine version does not run (none today; a manifest naming
    /// one is refused as UNSUPPORTED).
    Unsupported,
}

impl GameType {
    pub fn family(self) -> Family {
        self.mechanism().family()
    }

    /// Whether this engine version runs the game.
    pub fn is_supported(self) -> bool {
        self.family() != Family::Unsupported
    }

    /// Whether a DYNAMIC rotation (or SEQUENCE) or a BLITZ round of a game playing rules version
    /// `rules` may pick it: the supported games, the live ones from [`LIVE_ROTATION_RULES`] on.
    /// Before that version picking a live game would change which game existing DYNAMIC games
    /// rotate to (docs/games.md §8, docs/schema-evolution.md).
    pub fn rotates(self, rules: u32) -> bool {
        match self.family() {
            Family::Arcade | Family::Trivia | Family::SyncDecision => true,
            Family::Live => rules >= LIVE_ROTATION_RULES,
            Family::Unsupported => false,
        }
    }

    /// Fewest alive players the game is picked for by a DYNAMIC rotation or a BLITZ round (the
    /// lobby's cycle defaults, docs/games.md §8: sync-decision games 4, TOUCH_SCREEN 3, others
    /// 2). A STATIC manifest may schedule any game on any day; it then runs with whoever is
    /// alive.
    pub fn min_players(self) -> usize {
        match (self, self.family()) {
            (_, Family::SyncDecision) => 4,
            (GameType::TouchScreen, _) => 3,
            (_, Family::Unsupported) => 3,
            (_, Family::Live | Family::Arcade | Family::Trivia) => 2,
        }
    }

    /// The silver/gold-pool `reason` of this game's facts.
    pub fn reason(self) -> String {
        format!("GAME_{}", self.as_str())
    }
}

/// One game type: how it is played, and how a game of it starts.
pub(crate) trait Rules: Sync {
    fn family(&self) -> Family;
    /// The document in docs/ that describes it (`docs/games.md`).
    fn docs(&self) -> &'static str;
    /// A new game of `env.game_type` for `players` (alive at START_GAME, roster order). May draw
    /// from the entry's seeded stream (`SEED_UNKNOWN` without the seed); changes nothing else.
    fn spawn(&self, env: &Env<'_>, players: &[String]) -> Result<GameRun, Rejection>;
    /// An arcade game's score bounds and rewards.
    fn arcade(&self) -> Option<&arcade::Spec> {
        None
    }
}

/// The rules line of a game played by one implementation of [`Game`] (TRIVIA and the
/// sync-decision games): its family and how a game of it starts.
pub(crate) struct Plays {
    pub(crate) family: Family,
    pub(crate) spawn: fn(&Env<'_>, &[String]) -> Result<GameRun, Rejection>,
}

impl Rules for Plays {
    fn family(&self) -> Family {
        self.family
    }

    fn docs(&self) -> &'static str {
        "docs/games.md"
    }

    fn spawn(&self, env: &Env<'_>, players: &[String]) -> Result<GameRun, Rejection> {
        (self.spawn)(env, players)
    }
}

/// One `GAME.*` command, as the games layer routes it.
pub(crate) trait Play {
    /// The running games it is for: a family of games, and the one game it names, if it names
    /// one (WRONG_GAME otherwise).
    fn target(&self) -> (&'static [Family], Option<GameType>);
}

/// An arcade game's score fields and their bounds (empty for other games).
pub fn arcade_fields(g: GameType) -> Vec<(&'static str, u64)> {
    g.mechanism()
        .arcade()
        .map_or_else(Vec::new, |s| s.fields.to_vec())
}

/// `ruleset.games` of a DYNAMIC manifest (docs/games.md §8).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameRules {
    pub mode: GameRuleMode,
    /// The allowed / pool / sequence list, in order.
    pub list: Vec<GameType>,
    /// Never the same game two days running when another one is possible (default on).
    pub avoid_repeat: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum GameRuleMode {
    /// No games.
    #[default]
    None,
    /// `allowed` (whitelist) or legacy `POOL`: rotate `list[(day-1) % len]` over the games that
    /// suit the alive count.
    Rotate,
    /// Legacy `SEQUENCE`: `list[min(day-1, len-1)]`, none if it does not suit the alive count.
    Sequence,
}

impl GameRules {
    pub fn is_none(&self) -> bool {
        self.mode == GameRuleMode::None
    }
}

/// The first rules version whose rotations (DYNAMIC and BLITZ) pick the live games.
pub const LIVE_ROTATION_RULES: u32 = 3;

/// BLITZ rounds play a quick game in their first third (docs/games.md §8): a sync-decision game,
/// and from [`LIVE_ROTATION_RULES`] on a live one as well.
pub const BLITZ_GAMES: [GameType; 4] = [
    GameType::BetBetBet,
    GameType::KingsRansom,
    GameType::RealtimeTrivia,
    GameType::TouchScreen,
];

/// A BLITZ round picks a live game only when its game window (`roundSeconds / 3 − 1 s`) holds
/// at least this: two REALTIME_TRIVIA questions with their results (2 × 18 s), or TOUCH_SCREEN's
/// READY (15 s) and countdown (3 s) with 18 s of holding. Shorter rounds (`roundSeconds` < 111)
/// keep to the sync-decision games (docs/games.md §8).
pub const BLITZ_LIVE_MIN_WINDOW_MS: i64 = 36_000;

fn rotate(
    pool: &[GameType],
    day: u32,
    alive: usize,
    prev: Option<GameType>,
    rules: u32,
) -> Option<GameType> {
    let ok: Vec<GameType> = pool
        .iter()
        .copied()
        .filter(|g| g.rotates(rules) && g.min_players() <= alive)
        .collect();
    if ok.is_empty() {
        return None;
    }
    let i = (day.max(1) as usize - 1) % ok.len();
    match prev {
        Some(p) if ok[i] == p && ok.iter().any(|g| *g != p) => {
            // avoidRepeat: the next different game in the rotation.
            (1..ok.len())
                .map(|k| ok[(i + k) % ok.len()])
                .find(|g| *g != p)
        }
        _ => Some(ok[i]),
    }
}

/// Today's game: STATIC from the day's `gameType`; DYNAMIC from `ruleset.games`; BLITZ from
/// [`BLITZ_GAMES`]. `prev` (yesterday's game) feeds `avoidRepeat`; planning passes `None`, which
/// decides the same "game or no game". `rules` is the game's rules version
/// (`GameState::rules_version`): rotations pick live games from [`LIVE_ROTATION_RULES`] on.
pub fn game_for_day(
    m: &Manifest,
    day: u32,
    alive: usize,
    prev: Option<GameType>,
    rules: u32,
) -> Option<GameType> {
    match (m.mode, m.kind) {
        (Mode::Blitz, _) => {
            let window = m.round_seconds as i64 * 1000 / 3 - 1_000;
            let fits =
                |g: &GameType| g.family() != Family::Live || window >= BLITZ_LIVE_MIN_WINDOW_MS;
            let pool: Vec<GameType> = BLITZ_GAMES.iter().copied().filter(fits).collect();
            rotate(&pool, day, alive, None, rules)
        }
        (Mode::PeckingOrder, Kind::Static) => m
            .days
            .get(day.max(1) as usize - 1)
            .and_then(|d| d.game_type),
        (Mode::PeckingOrder, Kind::Dynamic) => {
            let version = rules;
            let rules = m.dynamic.as_ref().map(|d| &d.games)?;
            match rules.mode {
                GameRuleMode::None => None,
                GameRuleMode::Rotate => rotate(
                    &rules.list,
                    day,
                    alive,
                    if rules.avoid_repeat { prev } else { None },
                    version,
                ),
                GameRuleMode::Sequence => rules
                    .list
                    .get((day.max(1) as usize - 1).min(rules.list.len().saturating_sub(1)))
                    .copied()
                    .filter(|g| g.rotates(version) && g.min_players() <= alive),
            }
        }
    }
}

/// The running game.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActiveGame {
    pub game_type: GameType,
    pub day: u32,
    pub started_at_ms: i64,
    pub run: GameRun,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GameRecord {
    pub day: u32,
    pub game_type: GameType,
    pub started_at_ms: i64,
    pub ended_at_ms: i64,
    /// Ended by END_GAME (or by OPEN_VOTING / END_DAY) rather than by complete input.
    pub forced: bool,
    pub summary: Summary,
}

/// The daily games' part of the game state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GamesState {
    /// Today's game, decided at the morning (`None`: no game today).
    #[serde(default)]
    pub today: Option<GameType>,
    #[serde(default)]
    pub active: Option<ActiveGame>,
    /// Finished games, oldest first (public).
    #[serde(default)]
    pub results: Vec<GameRecord>,
    /// Effects granted by games, kept until their day is over (public).
    #[serde(default)]
    pub effects: Vec<Effect>,
}

impl GamesState {
    pub fn is_empty(&self) -> bool {
        *self == GamesState::default()
    }

    pub fn last_game(&self) -> Option<GameType> {
        self.results.last().map(|r| r.game_type)
    }
}

/// What a game may read while it handles an input.
pub(crate) struct Env<'a> {
    pub st: &'a GameState,
    pub at_ms: i64,
    pub seq: u64,
    pub seed: Option<&'a [u8; 32]>,
    pub game_type: GameType,
}

impl Env<'_> {
    pub fn silver(&self, id: &str) -> u64 {
        self.st.player(id).map_or(0, |p| p.silver)
    }

    pub fn alive(&self, id: &str) -> bool {
        self.st.is_alive(id)
    }

    /// The early end of a sync-decision game: every eligible player still alive has decided.
    pub fn all_decided(&self, eligible: &[String], decided: impl Fn(&str) -> bool) -> bool {
        eligible.iter().all(|p| decided(p) || !self.alive(p))
    }
}

/// BET_BET_BET, BLIND_AUCTION, KINGS_RANSOM: one decision per eligible player (NOT_IN_GAME,
/// then ALREADY_SUBMITTED once `decided`).
pub(crate) fn check_undecided(
    eligible: &[String],
    actor: &str,
    decided: bool,
) -> Result<(), Rejection> {
    if !eligible.iter().any(|p| p == actor) {
        return Err(Rejection::NotInGame);
    }
    if decided {
        return Err(Rejection::AlreadySubmitted);
    }
    Ok(())
}

/// The public progress of a sync-decision game: who of `eligible` has decided (not what).
pub(crate) fn who_decided(eligible: &[String], decided: impl Fn(&str) -> bool) -> Vec<String> {
    eligible.iter().filter(|p| decided(p)).cloned().collect()
}

/// A consequence of a game, applied to the state by this module (never by the game itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Payout {
    /// A silver change (clamped so no balance goes below zero).
    Silver {
        player: String,
        delta: i64,
    },
    /// Gold into the shared pool.
    Gold {
        amount: u64,
    },
    Effect {
        kind: EffectKind,
        player: String,
    },
    Fact(Box<Fact>),
}

/// A finished game: its consequences and its public result.
pub(crate) struct Finish {
    pub payouts: Vec<Payout>,
    pub summary: Summary,
}

/// One daily game.
pub(crate) trait Game {
    /// A new game for `players` (alive at START_GAME, roster order). May draw from the entry's
    /// seeded stream (`SEED_UNKNOWN` without the seed); changes nothing else.
    fn spawn(env: &Env<'_>, players: &[String]) -> Result<Self, Rejection>
    where
        Self: Sized;
    /// Handles a player's `GAME.*` input (the actor is alive and the command is for this game,
    /// see [`Play::target`]). Validates completely before changing anything; returns what to
    /// apply now.
    fn accept(
        &mut self,
        env: &Env<'_>,
        actor: &str,
        cmd: &GameCommand,
    ) -> Result<Vec<Payout>, Rejection>;
    /// Whether every input the game waits for is in (it then finishes at once).
    fn complete(&self, env: &Env<'_>) -> bool;
    /// Settles the game (at completion, or forced at END_GAME with whatever input there is).
    fn finish(&mut self, env: &Env<'_>) -> Finish;
    /// What `viewer` may see while the game runs.
    fn view(&self, env: &Env<'_>, viewer: Option<&str>) -> RunningGameView;
    /// Time passing (THE_SPLIT's round deadlines, the live games' phases): called after every
    /// accepted entry, with that entry's time.
    fn advance(&mut self, env: &Env<'_>) -> Vec<Fact> {
        let _ = env;
        Vec::new()
    }
    /// When the game must next be woken by the clock (a live game's deadline): the games layer
    /// keeps it as the room's one GAME_TIMER task, whose firing is a journaled entry.
    fn timer(&self) -> Option<i64> {
        None
    }
}

/// Morning: decides today's game and forgets effects of past days.
pub(crate) fn start_day(st: &mut GameState, day: u32) {
    let prev = st.games.last_game();
    st.games.today = game_for_day(&st.manifest, day, st.alive_count(), prev, st.rules_version);
    st.games.active = None;
    st.games.effects.retain(|e| e.day >= day);
}

fn no_effect(ctx: &mut Ctx<'_>, action: Action, reason: &str) -> Result<(), Rejection> {
    ctx.no_effect(action, reason);
    Ok(())
}

/// START_GAME: spawns today's game with the alive players (roster order).
pub(crate) fn start(st: &mut GameState, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    let Some(gt) = st.games.today else {
        return no_effect(ctx, Action::StartGame, "no game today");
    };
    if st.games.active.is_some() {
        return no_effect(ctx, Action::StartGame, "today's game is already running");
    }
    if st.games.results.iter().any(|r| r.day == st.day) {
        return no_effect(ctx, Action::StartGame, "today's game was already played");
    }
    if st.ballot.is_some() || st.pending.is_some() {
        // Its SHIELD and curses are for tonight's vote: too late once voting opened.
        return no_effect(ctx, Action::StartGame, "today's vote has already opened");
    }
    let players = st.alive_ids();
    let run = {
        let env = env(st, ctx, gt);
        gt.mechanism().spawn(&env, &players)?
    };
    ctx.facts.push(Fact::GameStarted {
        game_type: gt,
        day: st.day,
        players,
    });
    let active = ActiveGame {
        game_type: gt,
        day: st.day,
        started_at_ms: ctx.at_ms,
        run,
    };
    settle_or_keep(st, active, ctx);
    Ok(())
}

/// END_GAME: the running game finishes with whatever input it has.
pub(crate) fn end(st: &mut GameState, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    match st.games.active.take() {
        Some(active) => {
            finish(st, active, true, ctx);
            Ok(())
        }
        None => no_effect(ctx, Action::EndGame, "no game is running"),
    }
}

/// OPEN_VOTING and END_DAY end a game still running first, so its results and effects count.
pub(crate) fn end_if_running(st: &mut GameState, ctx: &mut Ctx<'_>) {
    if let Some(active) = st.games.active.take() {
        finish(st, active, true, ctx);
    }
}

/// After every accepted entry: time passes for the running game (THE_SPLIT deadlines), which may
/// complete it.
pub(crate) fn after_entry(st: &mut GameState, ctx: &mut Ctx<'_>) {
    let Some(mut active) = st.games.active.take() else {
        sync_timer(st, ctx);
        return;
    };
    let facts = {
        let e = env(st, ctx, active.game_type);
        active.run.game_mut().advance(&e)
    };
    ctx.facts.extend(facts);
    settle_or_keep(st, active, ctx);
    sync_timer(st, ctx);
}

/// Keeps the GAME_TIMER task equal to the running game's [`Game::timer`] (none once it is over).
/// Games without a timer never schedule one, so their journals are unchanged.
fn sync_timer(st: &mut GameState, ctx: &mut Ctx<'_>) {
    let want = st.games.active.as_ref().and_then(|a| a.run.game().timer());
    let have = st
        .tasks
        .iter()
        .find(|t| t.action == Action::GameTimer)
        .map(|t| t.due_ms);
    if want == have {
        return;
    }
    st.drop_tasks(ctx.facts, |t| t.action == Action::GameTimer);
    if let Some(due) = want {
        let task = Task::new(st.day, 99, due, Action::GameTimer);
        st.schedule(vec![task], ctx.facts);
    }
}

/// GAME_TIMER fired: time passing is [`after_entry`]'s work, which follows every entry.
pub(crate) fn timer_fired(st: &GameState, ctx: &mut Ctx<'_>) {
    if st.games.active.is_none() {
        ctx.no_effect(Action::GameTimer, "no game is running");
    }
}

fn env<'a>(st: &'a GameState, ctx: &Ctx<'a>, gt: GameType) -> Env<'a> {
    Env {
        st,
        at_ms: ctx.at_ms,
        seq: ctx.seq,
        seed: ctx.seed,
        game_type: gt,
    }
}

fn settle_or_keep(st: &mut GameState, active: ActiveGame, ctx: &mut Ctx<'_>) {
    let complete = {
        let e = env(st, ctx, active.game_type);
        active.run.game().complete(&e)
    };
    if complete {
        finish(st, active, false, ctx);
    } else {
        st.games.active = Some(active);
    }
}

fn finish(st: &mut GameState, mut active: ActiveGame, forced: bool, ctx: &mut Ctx<'_>) {
    let gt = active.game_type;
    let fin = {
        let e = env(st, ctx, gt);
        active.run.game_mut().finish(&e)
    };
    ctx.facts.push(Fact::GameResult {
        game_type: gt,
        day: active.day,
        forced,
        summary: fin.summary.clone(),
    });
    apply(st, gt, fin.payouts, ctx);
    st.games.results.push(GameRecord {
        day: active.day,
        game_type: gt,
        started_at_ms: active.started_at_ms,
        ended_at_ms: ctx.at_ms,
        forced,
        summary: fin.summary,
    });
}

/// Applies payouts in order, each as facts (silver with balance_after, gold pool, effects).
fn apply(st: &mut GameState, gt: GameType, payouts: Vec<Payout>, ctx: &mut Ctx<'_>) {
    let reason = gt.reason();
    for p in payouts {
        match p {
            Payout::Silver { player, delta } => {
                pay(st, &player, delta, &reason, ctx.facts);
            }
            Payout::Gold { amount } => contribute_gold(st, amount, &reason, ctx.facts),
            Payout::Effect { kind, player } => effects::grant(st, kind, &player, gt, ctx),
            Payout::Fact(f) => ctx.facts.push(*f),
        }
    }
}

/// A player's `GAME.*` input.
pub(crate) fn handle(
    st: &mut GameState,
    actor: &str,
    cmd: &GameCommand,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    st.alive_in_day(actor)?;
    let (families, named) = cmd.leaf().target();
    let active = st.games.active.as_ref().ok_or(Rejection::NoGame)?;
    let gt = active.game_type;
    if !families.contains(&gt.family()) || named.is_some_and(|n| n != gt) {
        let got = named.map_or("ARCADE or TRIVIA", GameType::as_str);
        return Err(Rejection::WrongGame {
            expected: gt.as_str(),
            got,
        });
    }
    let Some(mut active) = st.games.active.take() else {
        return Err(Rejection::NoGame);
    };
    let res = {
        let e = env(st, ctx, gt);
        active.run.game_mut().accept(&e, actor, cmd)
    };
    let payouts = match res {
        Ok(p) => p,
        Err(err) => {
            st.games.active = Some(active);
            return Err(err);
        }
    };
    ctx.facts.push(Fact::GameAction {
        game_type: gt,
        player_id: actor.to_string(),
        action: cmd.wire_type().to_string(),
    });
    apply(st, gt, payouts, ctx);
    settle_or_keep(st, active, ctx);
    Ok(())
}

/// The running game as one player may see it; its fields depend on the game (docs/games.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum RunningGameView {
    Arcade(arcade::ArcadeView),
    Trivia(trivia::TriviaView),
    BetBetBet(bet_bet_bet::BetBetBetView),
    TheSplit(the_split::TheSplitView),
    BlindAuction(blind_auction::BlindAuctionView),
    KingsRansom(kings_ransom::KingsRansomView),
    RealtimeTrivia(realtime_trivia::RealtimeTriviaView),
    TouchScreen(touch_screen::TouchScreenView),
}

/// Today's running game: its type and start, and what the viewer may see of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ActiveGameView {
    pub game_type: GameType,
    /// ms since the Unix epoch.
    pub started_at_ms: i64,
    #[serde(flatten)]
    pub view: RunningGameView,
}

/// The games part of a projection: today's game, the running game as the viewer may see it,
/// past results and effects (public).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GamesView {
    pub today: Option<GameType>,
    pub active: Option<ActiveGameView>,
    pub results: Vec<GameRecord>,
    pub effects: Vec<Effect>,
}

pub(crate) fn project(st: &GameState, viewer: Option<&str>) -> GamesView {
    let active = st.games.active.as_ref().map(|a| {
        let e = Env {
            st,
            at_ms: st.last_at_ms,
            seq: st.last_seq,
            seed: None,
            game_type: a.game_type,
        };
        ActiveGameView {
            game_type: a.game_type,
            started_at_ms: a.started_at_ms,
            view: a.run.game().view(&e, viewer),
        }
    });
    GamesView {
        today: st.games.today,
        active,
        results: st.games.results.clone(),
        effects: st.games.effects.clone(),
    }
}
