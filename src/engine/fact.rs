//! Facts: what the engine derived from an input. Stored with the entry for SQL and audit, and
//! recomputed on replay (a mismatch with intact hashes means the rules diverged).

use super::destiny::{Destiny, Status};
use super::games::{EffectKind, GameType, SplitRound, Summary as GameSummary};
use super::perks::PerkType;
use super::timeline::Action;
use super::voting::VoteType;
use super::voting::{Stage as VoteStage, Summary};
// --- Prompts, dilemmas, confessions, inactivity ---
use super::dilemmas::{self, DilemmaType};
use super::prompts::{PromptOutcome, PromptType, Stage as PromptStage};
use super::tag_first::tag_first_enum;
use serde::Serialize;

// Decoded tag first, without serde's buffering (engine::tag_first): facts are decoded from
// journal rows in the worker, and the buffered decoder was the largest code in its wasm.
tag_first_enum! {
tag = "type", twin = FactTwin, twin_serde(rename_all = "SCREAMING_SNAKE_CASE", rename_all_fields = "camelCase");
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(
    tag = "type",
    rename_all = "SCREAMING_SNAKE_CASE",
    rename_all_fields = "camelCase"
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Fact {
    GameCreated {
        mode: String,
        players: Vec<String>,
        gold_pool: u64,
    },
    PlayerJoined {
        player_id: String,
    },
    /// Push triggers switched on or off (`ADMIN.UPDATE_PUSH_CONFIG`; the patch as sent).
    PushConfigUpdated {
        push_config: std::collections::BTreeMap<String, bool>,
    },
    /// A private message from the Game Master to one player (`ADMIN.SEND_GAME_MASTER_MSG`).
    GameMasterMessage {
        player_id: String,
        content: String,
    },
    /// A player's first connection in the pregame, with how many Q&A answers they brought.
    PregameConnected {
        player_id: String,
        qa_count: u32,
    },
    /// One of a player's Q&A answers revealed to everyone (`auto`: at their first connection).
    QaRevealed {
        player_id: String,
        q_index: u32,
        question: String,
        answer: String,
        auto: bool,
    },
    PhaseChanged {
        phase: String,
        day: u32,
    },
    GateChanged {
        gate: String,
        open: bool,
    },
    ChatMessage {
        id: u64,
        channel_id: String,
        from: String,
        content: String,
        /// The message (same channel) this one answers; absent when none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_to: Option<u64>,
        /// Players it names; absent when none.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        mentioned_ids: Vec<String>,
    },
    /// Every silver change, with the balance after it.
    Silver {
        player_id: String,
        delta: i64,
        balance_after: u64,
        reason: String,
    },
    /// Every gold change, with the balance after it.
    Gold {
        player_id: String,
        delta: i64,
        balance_after: u64,
        reason: String,
    },
    GoldPool {
        delta: i64,
        pool_after: u64,
        reason: String,
    },
    VotingOpened {
        mechanism: VoteType,
        voters: Vec<String>,
        targets: Vec<String>,
    },
    VoteCast {
        voter: String,
        mechanism: VoteType,
        target: String,
        /// The verb when it is not `CAST` (SAVE, TRUST, ELIMINATE, ELECT, PICK).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        verb: Option<String>,
    },
    /// A duelist's secret stake (DUELS).
    StakePlaced {
        voter: String,
        mechanism: VoteType,
        stake: u64,
    },
    /// CLOSE_VOTING moved a multi-stage vote on (EXECUTIONER's pick, DUELS' duel).
    VotingStage {
        mechanism: VoteType,
        stage: VoteStage,
        voters: Vec<String>,
        targets: Vec<String>,
    },
    VoteResult {
        mechanism: VoteType,
        tallies: Vec<(String, u32)>,
        eliminated: Option<String>,
        winner: Option<String>,
        tie_break: Option<String>,
        /// Per-mechanism details (immune, podium, pairs, executioner, ranking, duel).
        #[serde(default, skip_serializing_if = "Summary::is_empty")]
        summary: Summary,
    },
    Elimination {
        player_id: String,
        mechanism: String,
        day: u32,
    },
    Winner {
        player_id: String,
        gold_pool: u64,
    },
    TaskFired {
        task_id: String,
        due_ms: i64,
        action: Action,
    },
    TasksScheduled {
        tasks: Vec<(String, i64)>,
    },
    TasksDropped {
        task_ids: Vec<String>,
    },
    /// A timeline action that had nothing to act on (e.g. CLOSE_VOTING with no vote open).
    NoEffect {
        action: Action,
        reason: String,
    },
    StartPostponed {
        players: u32,
        needed: u32,
    },
    GameEnded {
        winner: Option<String>,
    },
    /// `ADMIN.ABANDON_GAME`: the operator ended the game on `day`; GAME_OVER and GAME_ENDED
    /// (no winner) follow in the same entry.
    GameAbandoned {
        day: u32,
        reason: Option<String>,
    },
    SeedRevealed {},
    // --- Social layer and economy ---
    /// The day's social limits, resolved at the morning.
    SocialRules {
        day: u32,
        dm_chars_per_player: u32,
        dm_partners_per_player: u32,
        dm_slots_per_player: u32,
        dm_cost: u64,
        require_dm_invite: bool,
        disable_nudge_throttle: bool,
        group_dm_enabled: bool,
    },
    /// A DM or group DM was opened (`invited` = pending invitees in invite mode).
    DmChannelCreated {
        channel_id: String,
        kind: String,
        creator: String,
        members: Vec<String>,
        invited: Vec<String>,
    },
    /// A message in a DM or group DM. The text stays in the entry's payload (not public).
    DmSent {
        channel_id: String,
        message_id: u64,
        from: String,
        chars: u32,
        /// The message (same conversation) this one answers; absent when none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_to: Option<u64>,
        /// Players it names; absent when none.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        mentioned_ids: Vec<String>,
    },
    DmMembersAdded {
        channel_id: String,
        by: String,
        members: Vec<String>,
        invited: Vec<String>,
        kind: String,
    },
    DmInviteAccepted {
        channel_id: String,
        player_id: String,
    },
    DmInviteDeclined {
        channel_id: String,
        player_id: String,
        slot_refunded: bool,
    },
    Reaction {
        message_id: u64,
        /// Rules version 2: the message's channel (`MAIN` or a conversation's id); absent in
        /// version-1 games, whose ids are unique across channels.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        channel_id: Option<String>,
        player_id: String,
        emoji: String,
        /// `false` when the reaction was toggled off.
        on: bool,
    },
    Nudge {
        from: String,
        to: String,
    },
    /// A whisper in MAIN. The text stays in the entry's payload (not public).
    Whisper {
        message_id: u64,
        from: String,
        to: String,
    },
    PerkUsed {
        player_id: String,
        perk: PerkType,
        target: Option<String>,
    },
    /// Secret to its holder until the game ends (facts are server-side; projections filter).
    DestinyAssigned {
        player_id: String,
        destiny: Destiny,
    },
    DestinyAccusation {
        accuser: String,
        target: String,
        correct: bool,
    },
    DestinyResult {
        player_id: String,
        destiny: Destiny,
        status: Status,
        reason: String,
    },
    // --- Prompts, dilemmas, confessions, inactivity ---
    /// START_ACTIVITY: the day's prompt is open to `eligible`.
    ActivityStarted {
        day: u32,
        prompt_type: PromptType,
        prompt_text: String,
        options: Vec<String>,
        prompt_id: Option<String>,
        eligible: Vec<String>,
    },
    /// A player answered (what, stays in the entry's payload until the results).
    ActivityResponded {
        player_id: String,
        stage: PromptStage,
    },
    /// A two-stage prompt's anonymous list is out (texts only, authors stay secret).
    ActivityStageChanged {
        stage: PromptStage,
        entries: u32,
    },
    /// The prompt's results, authors and answers included; `rewards` are paid as Silver facts.
    ActivityResult {
        day: u32,
        prompt_type: PromptType,
        timed_out: bool,
        outcome: PromptOutcome,
        rewards: Vec<(String, i64)>,
    },
    /// END_DAY: PREDICTION checked against the player the vote actually eliminated.
    PredictionSettled {
        day: u32,
        eliminated: Option<String>,
        correct: Vec<String>,
    },
    DilemmaStarted {
        day: u32,
        dilemma_type: DilemmaType,
        eligible: Vec<String>,
        rules: String,
    },
    /// A player submitted (their decision stays in the entry's payload until the reveal).
    DilemmaSubmitted {
        player_id: String,
    },
    DilemmaResult {
        day: u32,
        dilemma_type: DilemmaType,
        result: dilemmas::Revealed,
    },
    ConfessionPhaseStarted {
        day: u32,
        channel_id: String,
        members: Vec<String>,
    },
    /// A post under a handle (the author is the entry's actor; the text is in its payload).
    ConfessionPosted {
        channel_id: String,
        post_id: u32,
        handle: String,
    },
    ConfessionPhaseEnded {
        channel_id: String,
        post_count: u32,
    },
    /// NUDGE_THEN_ELIMINATE: this player is eliminated tonight unless they act today.
    InactivityWarning {
        player_id: String,
        inactive_days: u32,
    },
    /// END_DAY: consecutive inactive days of each alive player, today included.
    InactivityChecked {
        day: u32,
        streaks: Vec<(String, u32)>,
    },
    // --- Daily games ---
    /// START_GAME spawned today's game with these (alive) players.
    GameStarted {
        game_type: GameType,
        day: u32,
        players: Vec<String>,
    },
    /// A player's accepted `GAME.*` input. What they decided stays in the entry's payload.
    GameAction {
        game_type: GameType,
        player_id: String,
        action: String,
    },
    /// An arcade or TRIVIA result credited to a player (`auto`: by the deadline).
    PlayerGameResult {
        game_type: GameType,
        player_id: String,
        silver: u64,
        gold: u64,
        auto: bool,
    },
    /// A THE_SPLIT round resolved (both decided, or its deadline passed).
    SplitRoundResolved {
        game_type: GameType,
        round: SplitRound,
    },
    /// A REALTIME_TRIVIA question closed: its right option and every answer, public from now.
    TriviaRoundRevealed {
        game_type: GameType,
        round: crate::engine::games::realtime_trivia::RtRound,
    },
    /// The game is over; its public result (its silver, gold and effects follow as facts).
    GameResult {
        game_type: GameType,
        day: u32,
        /// Ended by END_GAME (or OPEN_VOTING / END_DAY) rather than by complete input.
        forced: bool,
        summary: GameSummary,
    },
    /// A SHIELD or curse won in a game, for the vote or the DMs of `day`.
    GameEffect {
        effect: EffectKind,
        player_id: String,
        day: u32,
        source: GameType,
    },
}
}
