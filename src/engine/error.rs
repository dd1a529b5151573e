//! Why the engine refused an input. A rejection changes nothing and is journaled with its code.

use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Rejection {
    #[error("the game has not been initialised")]
    NotInitialised,
    #[error("the game is already initialised")]
    AlreadyInitialised,
    #[error("this action is not allowed in the current phase ({0})")]
    WrongPhase(&'static str),
    #[error("unknown player {0}")]
    UnknownPlayer(String),
    #[error("player {0} has been eliminated")]
    PlayerEliminated(String),
    #[error("target {0} has been eliminated")]
    TargetEliminated(String),
    #[error("a player cannot target themselves here")]
    SelfTarget,
    #[error("the group chat is closed")]
    GroupChatClosed,
    #[error("message text is empty")]
    EmptyText,
    #[error("message text is longer than {0} characters")]
    TextTooLong(usize),
    #[error("amount must be a whole number of at least 1")]
    InvalidAmount,
    #[error("not enough silver: balance {balance}, needed {needed}")]
    InsufficientSilver { balance: u64, needed: u64 },
    #[error("voting is not open")]
    VotingClosed,
    #[error("this vote is for {expected}, not {got}")]
    WrongMechanism {
        expected: &'static str,
        got: &'static str,
    },
    #[error("this player may not vote in this mechanism")]
    NotEligibleVoter,
    #[error("this player is not a valid target in this mechanism")]
    NotEligibleTarget,
    #[error("{0} is protected in this vote (top three in silver)")]
    TargetImmune(String),
    #[error("this vote is in its {0} stage; that input belongs to another stage")]
    WrongStage(&'static str),
    #[error("task {0} is not scheduled")]
    UnknownTask(String),
    #[error("task {task} is due at {due_ms}, entry time {at_ms} is earlier")]
    TaskNotDue {
        task: String,
        due_ms: i64,
        at_ms: i64,
    },
    #[error("task {task} must wait for earlier task {earlier}")]
    TaskOutOfOrder { task: String, earlier: String },
    #[error("the seed does not match the commitment made at INIT")]
    SeedMismatch,
    #[error("the seed has already been revealed")]
    SeedAlreadyRevealed,
    #[error("the game is over")]
    GameOver,
    #[error("player {0} is already in the roster")]
    DuplicatePlayer(String),
    #[error("{0}")]
    InvalidInit(String),
    #[error("{0} is not supported by this engine version")]
    Unsupported(String),
    #[error("{0} may not be sent as this kind of entry")]
    NotPermitted(String),
    #[error(
        "a random draw is needed but the game seed is not known (replay needs the revealed seed)"
    )]
    SeedUnknown,
    // --- Social layer and economy (DMs, invites, reactions, nudges, whispers, perks) ---
    #[error("direct messages are closed")]
    DmsClosed,
    #[error("no conversation slot left today (limit {limit})")]
    ConversationLimit { limit: u32 },
    #[error(
        "daily DM character budget exceeded: {used} used of {limit}, this message needs {needed}"
    )]
    CharLimit { used: u32, limit: u32, needed: u32 },
    #[error("this message would exceed today's limit of {limit} distinct DM partners")]
    PartnerLimit { limit: u32 },
    #[error("no group DM left today (limit {limit})")]
    GroupLimit { limit: u32 },
    #[error("group DMs are disabled today")]
    GroupDmsDisabled,
    #[error("a player cannot send a direct message to themselves")]
    SelfDm,
    #[error("accept the invitation to this conversation first")]
    InviteRequired,
    #[error("invalid members: {0}")]
    InvalidMembers(String),
    #[error("{0} is already in this conversation or invited to it")]
    DuplicateInvite(String),
    #[error("only the conversation's creator may do this")]
    Unauthorized,
    #[error("unknown conversation {0}")]
    UnknownChannel(String),
    #[error("conversation {0} already has exactly these members")]
    ChannelExists(String),
    #[error("nobody else is left in this conversation")]
    NoRecipients,
    #[error("there is no pending invitation to this conversation")]
    NoPendingInvite,
    #[error("unknown message {0}")]
    UnknownMessage(u64),
    #[error("this emoji is not one of the reactions")]
    InvalidEmoji,
    #[error("this player has already been nudged by you today")]
    NudgeThrottled,
    #[error("this perk needs a targetId")]
    TargetRequired,
    #[error("this perk takes no targetId")]
    TargetNotAllowed,
    #[error("only the DETECTIVE can accuse")]
    NotDetective,
    #[error("the DETECTIVE has already accused today")]
    AlreadyAccusedToday,
    // --- Prompts, dilemmas, confessions, inactivity ---
    #[error("no activity is open")]
    ActivityClosed,
    #[error("today's activity is {expected}, not {got}")]
    WrongActivity {
        expected: &'static str,
        got: &'static str,
    },
    #[error("this step of the activity is not open")]
    WrongActivityStage,
    #[error("this player is not taking part (not alive when it started, or not a member)")]
    NotEligible,
    #[error("this player has already answered")]
    AlreadyResponded,
    #[error("invalid choice: {0}")]
    InvalidChoice(String),
    #[error("no dilemma is open")]
    DilemmaClosed,
    #[error("today's dilemma is {expected}, not {got}")]
    WrongDilemma {
        expected: &'static str,
        got: &'static str,
    },
    #[error("no confession phase is open")]
    ConfessionClosed,
    // --- Daily games ---
    #[error("no daily game is running")]
    NoGame,
    #[error("today's game is {expected}, not {got}")]
    WrongGame {
        expected: &'static str,
        got: &'static str,
    },
    #[error("this player is not playing today's game")]
    NotInGame,
    #[error("this player has already submitted")]
    AlreadySubmitted,
    #[error("not possible at this point of the game (the player's stage is {0})")]
    WrongGameStage(&'static str),
    #[error("impossible score: {0}")]
    InvalidScore(String),
    #[error("answerIndex {0} is not one of 0, 1, 2, 3")]
    InvalidAnswer(u32),
    #[error("slot {0} is not one of 1, 2, 3")]
    InvalidSlot(u32),
    #[error("it is not this player's round")]
    NotYourRound,
    #[error("{0} is cursed: no DMs today")]
    DmCursed(String),
}

impl Rejection {
    /// Stable code, used in `REJECTED:<code>` verdicts and `ERROR` frames.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::NotInitialised => "NOT_INITIALISED",
            Rejection::AlreadyInitialised => "ALREADY_INITIALISED",
            Rejection::WrongPhase(_) => "WRONG_PHASE",
            Rejection::UnknownPlayer(_) => "UNKNOWN_PLAYER",
            Rejection::PlayerEliminated(_) => "PLAYER_ELIMINATED",
            Rejection::TargetEliminated(_) => "TARGET_ELIMINATED",
            Rejection::SelfTarget => "SELF_TARGET",
            Rejection::GroupChatClosed => "GROUP_CHAT_CLOSED",
            Rejection::EmptyText => "EMPTY_TEXT",
            Rejection::TextTooLong(_) => "TEXT_TOO_LONG",
            Rejection::InvalidAmount => "INVALID_AMOUNT",
            Rejection::InsufficientSilver { .. } => "INSUFFICIENT_SILVER",
            Rejection::VotingClosed => "VOTING_CLOSED",
            Rejection::WrongMechanism { .. } => "WRONG_MECHANISM",
            Rejection::NotEligibleVoter => "NOT_ELIGIBLE_VOTER",
            Rejection::NotEligibleTarget => "NOT_ELIGIBLE_TARGET",
            Rejection::TargetImmune(_) => "TARGET_IMMUNE",
            Rejection::WrongStage(_) => "WRONG_STAGE",
            Rejection::UnknownTask(_) => "UNKNOWN_TASK",
            Rejection::TaskNotDue { .. } => "TASK_NOT_DUE",
            Rejection::TaskOutOfOrder { .. } => "TASK_OUT_OF_ORDER",
            Rejection::SeedMismatch => "SEED_MISMATCH",
            Rejection::SeedAlreadyRevealed => "SEED_ALREADY_REVEALED",
            Rejection::GameOver => "GAME_OVER",
            Rejection::DuplicatePlayer(_) => "DUPLICATE_PLAYER",
            Rejection::InvalidInit(_) => "INVALID_INIT",
            Rejection::Unsupported(_) => "UNSUPPORTED",
            Rejection::NotPermitted(_) => "NOT_PERMITTED",
            Rejection::SeedUnknown => "SEED_UNKNOWN",
            Rejection::DmsClosed => "DMS_CLOSED",
            Rejection::ConversationLimit { .. } => "CONVERSATION_LIMIT",
            Rejection::CharLimit { .. } => "CHAR_LIMIT",
            Rejection::PartnerLimit { .. } => "PARTNER_LIMIT",
            Rejection::GroupLimit { .. } => "GROUP_LIMIT",
            Rejection::GroupDmsDisabled => "GROUP_DMS_DISABLED",
            Rejection::SelfDm => "SELF_DM",
            Rejection::InviteRequired => "INVITE_REQUIRED",
            Rejection::InvalidMembers(_) => "INVALID_MEMBERS",
            Rejection::DuplicateInvite(_) => "DUPLICATE_INVITE",
            Rejection::Unauthorized => "UNAUTHORIZED",
            Rejection::UnknownChannel(_) => "UNKNOWN_CHANNEL",
            Rejection::ChannelExists(_) => "CHANNEL_EXISTS",
            Rejection::NoRecipients => "NO_RECIPIENTS",
            Rejection::NoPendingInvite => "NO_PENDING_INVITE",
            Rejection::UnknownMessage(_) => "UNKNOWN_MESSAGE",
            Rejection::InvalidEmoji => "INVALID_EMOJI",
            Rejection::NudgeThrottled => "NUDGE_THROTTLED",
            Rejection::TargetRequired => "TARGET_REQUIRED",
            Rejection::TargetNotAllowed => "TARGET_NOT_ALLOWED",
            Rejection::NotDetective => "NOT_DETECTIVE",
            Rejection::AlreadyAccusedToday => "ALREADY_ACCUSED_TODAY",
            // --- Prompts, dilemmas, confessions, inactivity ---
            Rejection::ActivityClosed => "ACTIVITY_CLOSED",
            Rejection::WrongActivity { .. } => "WRONG_ACTIVITY",
            Rejection::WrongActivityStage => "WRONG_STAGE",
            Rejection::NotEligible => "NOT_ELIGIBLE",
            Rejection::AlreadyResponded => "ALREADY_RESPONDED",
            Rejection::InvalidChoice(_) => "INVALID_CHOICE",
            Rejection::DilemmaClosed => "DILEMMA_CLOSED",
            Rejection::WrongDilemma { .. } => "WRONG_DILEMMA",
            Rejection::ConfessionClosed => "CONFESSION_CLOSED",
            // --- Daily games ---
            Rejection::NoGame => "NO_GAME",
            Rejection::WrongGame { .. } => "WRONG_GAME",
            Rejection::NotInGame => "NOT_IN_GAME",
            Rejection::AlreadySubmitted => "ALREADY_SUBMITTED",
            Rejection::WrongGameStage(_) => "WRONG_GAME_STAGE",
            Rejection::InvalidScore(_) => "INVALID_SCORE",
            Rejection::InvalidAnswer(_) => "INVALID_ANSWER",
            Rejection::InvalidSlot(_) => "INVALID_SLOT",
            Rejection::NotYourRound => "NOT_YOUR_ROUND",
            Rejection::DmCursed(_) => "DM_CURSED",
        }
    }
}
