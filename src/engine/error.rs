//! Why the engine refused an input. A rejection changes nothing and is journaled with its code.

use thiserror::Error;

/// Declares `code()`, `CODES` and `all_codes()` of an error enum from one table, so the list of
/// codes published in `schemas/` cannot drift from the enum: a variant missing from the table is a
/// compile error (the generated `match` is exhaustive), and every listed code is one `code()`
/// returns. Variants that take their code from an inner error are listed after the table as
/// `Variant(inner) => expr;` and are not in `CODES`.
macro_rules! stable_codes {
    (
        $ty:ident { $($variant:ident => $code:literal,)* }
        $($dv:ident($x:ident) => $de:expr;)*
    ) => {
        impl $ty {
            /// Every code of this enum's own variants, in declaration order (a code two
            /// variants share appears twice; see `all_codes`).
            pub const CODES: &'static [&'static str] = &[$($code),*];

            /// Stable code, for verdicts (`REJECTED:<code>`), `ERROR` frames and HTTP bodies.
            pub fn code(&self) -> &'static str {
                match self {
                    $($ty::$variant { .. } => $code,)*
                    $($ty::$dv($x) => $de,)*
                }
            }

            /// [`Self::CODES`] without repeats, in declaration order.
            pub fn all_codes() -> Vec<&'static str> {
                let mut out: Vec<&'static str> = Vec::with_capacity(Self::CODES.len());
                for c in Self::CODES {
                    if !out.contains(c) {
                        out.push(c);
                    }
                }
                out
            }
        }
    };
}
pub(crate) use stable_codes;

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
    #[error("the checkpoint does not describe the journal it is in: {0}")]
    CheckpointMismatch(String),
    #[error("the game is over")]
    GameOver,
    #[error("player {0} is already in the roster")]
    DuplicatePlayer(String),
    #[error("{0}")]
    InvalidInit(String),
    #[error("{0} is not supported by this engine version")]
    Unsupported(String),
    #[error("rules version {0} is not one this engine plays (1 to {max})", max = crate::engine::RULES_VERSION)]
    UnsupportedRules(u32),
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
    #[error("invalid pushConfig: {0}")]
    InvalidPushConfig(String),
    // --- Pregame ---
    #[error("player {0} has already connected in the pregame")]
    AlreadyConnected(String),
    #[error("no question {0} among your answers")]
    UnknownQuestion(u32),
    #[error("one of your answers is already revealed")]
    AlreadyRevealed,
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
    WrongActivity { expected: &'static str, got: String },
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
    #[error("too late: this closed at {deadline_ms}")]
    TooLate { deadline_ms: i64 },
    #[error("too early: this opens at {opens_at_ms}")]
    TooEarly { opens_at_ms: i64 },
    #[error("it is not this player's round")]
    NotYourRound,
    #[error("{0} is cursed: no DMs today")]
    DmCursed(String),
}

stable_codes! {
    Rejection {
        NotInitialised => "NOT_INITIALISED",
        AlreadyInitialised => "ALREADY_INITIALISED",
        WrongPhase => "WRONG_PHASE",
        UnknownPlayer => "UNKNOWN_PLAYER",
        PlayerEliminated => "PLAYER_ELIMINATED",
        TargetEliminated => "TARGET_ELIMINATED",
        SelfTarget => "SELF_TARGET",
        GroupChatClosed => "GROUP_CHAT_CLOSED",
        EmptyText => "EMPTY_TEXT",
        TextTooLong => "TEXT_TOO_LONG",
        InvalidAmount => "INVALID_AMOUNT",
        InsufficientSilver => "INSUFFICIENT_SILVER",
        VotingClosed => "VOTING_CLOSED",
        WrongMechanism => "WRONG_MECHANISM",
        NotEligibleVoter => "NOT_ELIGIBLE_VOTER",
        NotEligibleTarget => "NOT_ELIGIBLE_TARGET",
        TargetImmune => "TARGET_IMMUNE",
        WrongStage => "WRONG_STAGE",
        UnknownTask => "UNKNOWN_TASK",
        TaskNotDue => "TASK_NOT_DUE",
        TaskOutOfOrder => "TASK_OUT_OF_ORDER",
        SeedMismatch => "SEED_MISMATCH",
        SeedAlreadyRevealed => "SEED_ALREADY_REVEALED",
        CheckpointMismatch => "CHECKPOINT_MISMATCH",
        GameOver => "GAME_OVER",
        DuplicatePlayer => "DUPLICATE_PLAYER",
        InvalidInit => "INVALID_INIT",
        Unsupported => "UNSUPPORTED",
        UnsupportedRules => "UNSUPPORTED_RULES",
        NotPermitted => "NOT_PERMITTED",
        SeedUnknown => "SEED_UNKNOWN",
        DmsClosed => "DMS_CLOSED",
        ConversationLimit => "CONVERSATION_LIMIT",
        CharLimit => "CHAR_LIMIT",
        PartnerLimit => "PARTNER_LIMIT",
        GroupLimit => "GROUP_LIMIT",
        GroupDmsDisabled => "GROUP_DMS_DISABLED",
        SelfDm => "SELF_DM",
        InviteRequired => "INVITE_REQUIRED",
        InvalidMembers => "INVALID_MEMBERS",
        DuplicateInvite => "DUPLICATE_INVITE",
        Unauthorized => "UNAUTHORIZED",
        UnknownChannel => "UNKNOWN_CHANNEL",
        ChannelExists => "CHANNEL_EXISTS",
        NoRecipients => "NO_RECIPIENTS",
        NoPendingInvite => "NO_PENDING_INVITE",
        UnknownMessage => "UNKNOWN_MESSAGE",
        InvalidEmoji => "INVALID_EMOJI",
        NudgeThrottled => "NUDGE_THROTTLED",
        InvalidPushConfig => "INVALID_PUSH_CONFIG",
        AlreadyConnected => "ALREADY_CONNECTED",
        UnknownQuestion => "UNKNOWN_QUESTION",
        AlreadyRevealed => "ALREADY_REVEALED",
        TargetRequired => "TARGET_REQUIRED",
        TargetNotAllowed => "TARGET_NOT_ALLOWED",
        NotDetective => "NOT_DETECTIVE",
        AlreadyAccusedToday => "ALREADY_ACCUSED_TODAY",
        // --- Prompts, dilemmas, confessions, inactivity ---
        ActivityClosed => "ACTIVITY_CLOSED",
        WrongActivity => "WRONG_ACTIVITY",
        WrongActivityStage => "WRONG_STAGE",
        NotEligible => "NOT_ELIGIBLE",
        AlreadyResponded => "ALREADY_RESPONDED",
        InvalidChoice => "INVALID_CHOICE",
        DilemmaClosed => "DILEMMA_CLOSED",
        WrongDilemma => "WRONG_DILEMMA",
        ConfessionClosed => "CONFESSION_CLOSED",
        // --- Daily games ---
        NoGame => "NO_GAME",
        WrongGame => "WRONG_GAME",
        NotInGame => "NOT_IN_GAME",
        AlreadySubmitted => "ALREADY_SUBMITTED",
        WrongGameStage => "WRONG_GAME_STAGE",
        InvalidScore => "INVALID_SCORE",
        InvalidAnswer => "INVALID_ANSWER",
        InvalidSlot => "INVALID_SLOT",
        NotYourRound => "NOT_YOUR_ROUND",
        TooLate => "TOO_LATE",
        TooEarly => "TOO_EARLY",
        DmCursed => "DM_CURSED",
    }
}
