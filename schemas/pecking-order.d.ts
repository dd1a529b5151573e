// Generated from the JSON Schemas in this folder by `make schemas`
// (src/schema/ts.rs). Do not edit: tests/schemas.rs fails when this file is not what the code
// generates, and type-checks it with tsc.

export type Accusation = {
  day: number;
  targetId: string;
};

/** One step of a day's timeline. Serialized as SCREAMING_SNAKE_CASE, as in manifests. */
export type Action = ("OPEN_GROUP_CHAT" | "CLOSE_GROUP_CHAT" | "OPEN_DMS" | "CLOSE_DMS" | "START_GAME" | "END_GAME" | "START_ACTIVITY" | "END_ACTIVITY" | "START_DILEMMA" | "END_DILEMMA" | "OPEN_VOTING" | "CLOSE_VOTING" | "START_CONFESSION_CHAT" | "END_CONFESSION_CHAT" | "END_DAY") | "START_DAY";

export type ActivityConfessionSubmit = {
  type: "ACTIVITY.CONFESSION.SUBMIT";
  text: string;
};

/** Client message ACTIVITY.CONFESSION.SUBMIT. */
export type ActivityConfessionSubmitMessage = {
  type: "ACTIVITY.CONFESSION.SUBMIT";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  text: string;
};

export type ActivityConfessionVote = {
  type: "ACTIVITY.CONFESSION.VOTE";
  confessionIndex: number;
};

/** Client message ACTIVITY.CONFESSION.VOTE. */
export type ActivityConfessionVoteMessage = {
  type: "ACTIVITY.CONFESSION.VOTE";
  confessionIndex: number;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

export type ActivityGuesswhoAnswer = {
  type: "ACTIVITY.GUESSWHO.ANSWER";
  text: string;
};

/** Client message ACTIVITY.GUESSWHO.ANSWER. */
export type ActivityGuesswhoAnswerMessage = {
  type: "ACTIVITY.GUESSWHO.ANSWER";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  text: string;
};

/** `{"guesses": {"<answer index>": "<player id>"}}` (JSON object keys are strings). */
export type ActivityGuesswhoGuess = {
  type: "ACTIVITY.GUESSWHO.GUESS";
  guesses: { [key: string]: string };
};

/** Client message ACTIVITY.GUESSWHO.GUESS. `{"guesses": {"<answer index>": "<player id>"}}` (JSON object keys are strings). */
export type ActivityGuesswhoGuessMessage = {
  type: "ACTIVITY.GUESSWHO.GUESS";
  guesses: { [key: string]: string };
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

/** HOT_TAKE: `optionIndex`, or the legacy `stance` for an Agree/Disagree statement. */
export type ActivityHottakeRespond = {
  type: "ACTIVITY.HOTTAKE.RESPOND";
  optionIndex?: number | null;
  stance?: Stance | null;
};

/** Client message ACTIVITY.HOTTAKE.RESPOND. HOT_TAKE: `optionIndex`, or the legacy `stance` for an Agree/Disagree statement. */
export type ActivityHottakeRespondMessage = {
  type: "ACTIVITY.HOTTAKE.RESPOND";
  optionIndex?: number | null;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  stance?: Stance | null;
};

export type ActivityPayload = {
  optionA?: string;
  optionB?: string;
  options?: Array<string>;
  promptText?: string;
  promptType?: "PLAYER_PICK" | "PREDICTION" | "WOULD_YOU_RATHER" | "HOT_TAKE" | "CONFESSION" | "GUESS_WHO";
};

/** PLAYER_PICK / PREDICTION: name another alive player. */
export type ActivityPromptSubmit = {
  type: "ACTIVITY.PROMPT.SUBMIT";
  targetId: string;
};

/** Client message ACTIVITY.PROMPT.SUBMIT. PLAYER_PICK / PREDICTION: name another alive player. */
export type ActivityPromptSubmitMessage = {
  type: "ACTIVITY.PROMPT.SUBMIT";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId: string;
};

export type ActivityView = {
  day: number;
  eligible: Array<string>;
  /** Second stage: the anonymous list (no authors). */
  entries?: Array<{
    index: number;
    text: string;
  }>;
  myAnswer?: { [key: string]: unknown } | null;
  myEntryIndex?: number | null;
  mySecond?: { [key: string]: unknown } | null;
  options: Array<string>;
  promptId: string | null;
  promptText: string;
  promptType: PromptType;
  responded: Array<string>;
  result?: {
    outcome: PromptOutcome;
    rewards: Rewards;
    timedOut: boolean;
  };
  stage: PromptStage;
  voted?: Array<string>;
};

export type ActivityWyrChoose = {
  type: "ACTIVITY.WYR.CHOOSE";
  choice: WyrChoice;
};

/** Client message ACTIVITY.WYR.CHOOSE. */
export type ActivityWyrChooseMessage = {
  type: "ACTIVITY.WYR.CHOOSE";
  choice: WyrChoice;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

/** The operator credits (or, negative, debits) silver: player id to amount. */
export type AdminCreditSilver = {
  type: "ADMIN.CREDIT_SILVER";
  rewards: { [key: string]: number };
};

/** Admin request CREDIT_SILVER: journaled as an ADMIN entry ADMIN.CREDIT_SILVER. The operator credits (or, negative, debits) silver: player id to amount. */
export type AdminCreditSilverRequest = {
  type: "CREDIT_SILVER";
  rewards: { [key: string]: number };
};

/** Admin request DEV_FAIL_D1: answered by the route, nothing journaled. Dev only (the var `DEV_FAULTS=1`, else 403 DEV_FAULTS_OFF): while on, every D1 outbox flush fails as if D1 were down. */
export type AdminDevFailD1Request = {
  type: "DEV_FAIL_D1";
  on: boolean;
};

/** The operator eliminates an alive player (day or night); `reason` is only recorded. */
export type AdminEliminatePlayer = {
  type: "ADMIN.ELIMINATE_PLAYER";
  playerId: string;
  reason?: string | null;
};

/** Admin request ELIMINATE_PLAYER: journaled as an ADMIN entry ADMIN.ELIMINATE_PLAYER. The operator eliminates an alive player (day or night); `reason` is only recorded. */
export type AdminEliminatePlayerRequest = {
  type: "ELIMINATE_PLAYER";
  playerId: string;
  reason?: string | null;
};

/** A `POST …/admin` body refused before the engine (HTTP 400, TOO_LARGE 413; never journaled): room::admin::AdminError. */
export type AdminErrorCode = "TOO_LARGE" | "MALFORMED_JSON" | "INVALID_BODY" | "UNKNOWN_TYPE" | "INVALID_FIELDS";

/** The operator runs one timeline action now (START_DAY in pregame or at night, any other during the day). */
export type AdminInjectTimelineEvent = {
  type: "ADMIN.INJECT_TIMELINE_EVENT";
  action: Action;
};

/** Admin request INJECT_TIMELINE_EVENT: journaled as an ADMIN entry ADMIN.INJECT_TIMELINE_EVENT. The operator runs one timeline action now (START_DAY in pregame or at night, any other during the day). */
export type AdminInjectTimelineEventRequest = {
  type: "INJECT_TIMELINE_EVENT";
  action: Action;
};

/** Admin request LIST_TASKS: answered by the route, nothing journaled. The AlarmManager's queue, in firing order. */
export type AdminListTasksRequest = {
  type: "LIST_TASKS";
};

/** The operator moves the game on: pregame or night to the next day, day to night (the day's end), game summary to game over. */
export type AdminNextStage = {
  type: "ADMIN.NEXT_STAGE";
};

/** Admin request NEXT_STAGE: journaled as an ADMIN entry ADMIN.NEXT_STAGE. The operator moves the game on: pregame or night to the next day, day to night (the day's end), game summary to game over. */
export type AdminNextStageRequest = {
  type: "NEXT_STAGE";
};

/** The body of `POST …/admin`: an ADMIN.* command under its type without the namespace, or a request the route answers itself. */
export type AdminRequest = AdminNextStageRequest | AdminInjectTimelineEventRequest | AdminEliminatePlayerRequest | AdminCreditSilverRequest | AdminListTasksRequest | AdminDevFailD1Request;

/** A 200 answer of `POST …/admin`. */
export type AdminResponse = JournaledResponse | TaskListResponse | DevFailD1Response;

/** A scheduled task firing, keyed by `(taskId, dueMs)`. */
export type AlarmFire = {
  type: "ALARM.FIRE";
  dueMs: number;
  taskId: string;
};

/** One player's line in a finished arcade game. */
export type ArcadeRow = {
  /** Credited by the deadline rather than by the player's SUBMIT. */
  auto: boolean;
  gold: number;
  playerId: string;
  scores: { [key: string]: number } | null;
  silver: number;
};

export type ArcadeSummary = {
  gameType: GameType;
  goldContribution: number;
  players: Array<ArcadeRow>;
};

export type BetSummary = {
  bets: Array<[string, number]>;
  /** The lowest non-tied bettor who paid double. */
  paidDouble: string | null;
  pot: number;
  shield: string | null;
  /** Silver change per eligible player (roster order). */
  silver: Array<[string, number]>;
  /** Amounts bet by two or more players. */
  tiedAmounts: Array<number>;
  winner: string | null;
};

export type Bid = {
  amount: number;
  playerId: string;
  slot: number;
};

export type BlindAuctionSummary = {
  bids: Array<Bid>;
  goldContribution: number;
  slots: Array<SlotResult>;
};

export type BlitzManifest = {
  /** BLITZ has no destinies. */
  destinies?: false;
  initialGoldPool?: number;
  /** Ignored: BLITZ generates its rounds. */
  kind?: Kind;
  /** Fewest players needed to start a DYNAMIC game (default 3). */
  minPlayers?: number;
  mode: "BLITZ";
  /** The MOLE completes when the final gold pool is below this (default 50). */
  moleThreshold?: number;
  /** BLITZ round length (default 180). */
  roundSeconds?: number;
  /** Timings of the generated timelines (default DEFAULT). */
  schedulePreset?: Preset;
  scheduling?: Scheduling;
  /** When day 1 (or the BLITZ game) starts. */
  startTime: string;
};

export type ChatMessage = {
  /** ms since the Unix epoch */
  atMs: number;
  content: string;
  from: string;
  id: number;
  reactions: Array<{
    emoji: "😂" | "👀" | "🔥" | "💀" | "❤️";
    players: Array<string>;
  }>;
  whisper?: true;
  whisperTo?: string;
};

/** A WebSocket frame a player sends: one of the client message types, with an optional `ref`. */
export type ClientMessage = SocialSendMsgMessage | SocialCreateChannelMessage | SocialAddMemberMessage | SocialAcceptDmMessage | SocialDeclineDmMessage | SocialReactMessage | SocialNudgeMessage | SocialWhisperMessage | SocialUsePerkMessage | SocialSendSilverMessage | ConfessionPostMessage | DestinyAccuseMessage | VoteMajorityCastMessage | VoteBubbleCastMessage | VotePodiumSacrificeCastMessage | VoteShieldSaveMessage | VoteTrustPairsTrustMessage | VoteTrustPairsEliminateMessage | VoteExecutionerElectMessage | VoteExecutionerPickMessage | VoteDuelsCastMessage | VoteDuelsDuelMessage | VoteFinalsCastMessage | ActivityPromptSubmitMessage | ActivityWyrChooseMessage | ActivityHottakeRespondMessage | ActivityConfessionSubmitMessage | ActivityConfessionVoteMessage | ActivityGuesswhoAnswerMessage | ActivityGuesswhoGuessMessage | DilemmaSilverGambitSubmitMessage | DilemmaSpotlightSubmitMessage | DilemmaGiftOrGriefSubmitMessage | GameArcadeStartMessage | GameArcadeResultMessage | GameSubmitMessage | GameRetryMessage | GameTriviaStartMessage | GameTriviaAnswerMessage | GameBetBetBetSubmitMessage | GameTheSplitSubmitMessage | GameBlindAuctionSubmitMessage | GameKingsRansomSubmitMessage;

/** Every input the engine journals, as `{type, ...payload}`: a row's `payload` is this object without `type`. */
export type Command = SystemInit | SystemPlayerJoined | SystemRevealSeed | AlarmFire | AdminNextStage | AdminInjectTimelineEvent | AdminEliminatePlayer | AdminCreditSilver | SocialSendMsg | SocialCreateChannel | SocialAddMember | SocialAcceptDm | SocialDeclineDm | SocialReact | SocialNudge | SocialWhisper | SocialUsePerk | SocialSendSilver | ConfessionPost | DestinyAccuse | VoteMajorityCast | VoteBubbleCast | VotePodiumSacrificeCast | VoteShieldSave | VoteTrustPairsTrust | VoteTrustPairsEliminate | VoteExecutionerElect | VoteExecutionerPick | VoteDuelsCast | VoteDuelsDuel | VoteFinalsCast | ActivityPromptSubmit | ActivityWyrChoose | ActivityHottakeRespond | ActivityConfessionSubmit | ActivityConfessionVote | ActivityGuesswhoAnswer | ActivityGuesswhoGuess | DilemmaSilverGambitSubmit | DilemmaSpotlightSubmit | DilemmaGiftOrGriefSubmit | GameArcadeStart | GameArcadeResult | GameSubmit | GameRetry | GameTriviaStart | GameTriviaAnswer | GameBetBetBetSubmit | GameTheSplitSubmit | GameBlindAuctionSubmit | GameKingsRansomSubmit;

/** A post in the evening confession channel (shown under the author's secret handle). */
export type ConfessionPost = {
  type: "CONFESSION.POST";
  channelId: string;
  text: string;
};

/** Client message CONFESSION.POST. A post in the evening confession channel (shown under the author's secret handle). */
export type ConfessionPostMessage = {
  type: "CONFESSION.POST";
  channelId: string;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  text: string;
};

export type ConfessionView = {
  active: true;
  channelId: string;
  closesAt: number | null;
  day: number;
  handleCount: number;
  myHandle: string | null;
  posts: Array<{
    /** ms since the Unix epoch */
    atMs: number;
    handle: string;
    id: number;
    text: string;
  }>;
};

export type DayHead = {
  day: number;
  head: Hash;
};

export type Destiny = "MOLE" | "DETECTIVE" | "DECOY" | "FANATIC" | "FLOAT" | "SELF_HATE";

/** The DETECTIVE's once-a-day accusation. */
export type DestinyAccuse = {
  type: "DESTINY.ACCUSE";
  targetId: string;
};

/** Client message DESTINY.ACCUSE. The DETECTIVE's once-a-day accusation. */
export type DestinyAccuseMessage = {
  type: "DESTINY.ACCUSE";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId: string;
};

export type DestinyView = {
  destiny: Destiny;
  playerId: string;
  status: Status;
};

/** The answer to `DEV_FAIL_D1`: the switch as it now is. */
export type DevFailD1Response = {
  devFailD1: boolean;
};

export type DilemmaGiftOrGriefSubmit = {
  type: "DILEMMA.GIFT_OR_GRIEF.SUBMIT";
  targetId: string;
};

/** Client message DILEMMA.GIFT_OR_GRIEF.SUBMIT. */
export type DilemmaGiftOrGriefSubmitMessage = {
  type: "DILEMMA.GIFT_OR_GRIEF.SUBMIT";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId: string;
};

/** What a dilemma decided. Public from the reveal. */
export type DilemmaOutcome = {
  /** Silver actually taken from the donors. */
  donated: number;
  donors: Array<string>;
  jackpot: number;
  keepers: Array<string>;
  kind: "SILVER_GAMBIT";
  winner: string | null;
} | {
  /** The player everyone named, when the pick was unanimous and the no-shows few enough. */
  chosen: string | null;
  kind: "SPOTLIGHT";
} | {
  gifted: Array<string>;
  grieved: Array<string>;
  kind: "GIFT_OR_GRIEF";
  /** Nominations per nominated player, roster order. */
  nominations: Array<[string, number]>;
};

/** A revealed dilemma. */
export type DilemmaReveal = {
  /** (player, decision) in submission order; a decision is DONATE, KEEP or a player id. */
  decisions: Array<[string, string]>;
  eligible: number;
  outcome: DilemmaOutcome;
  /** Net silver per player (roster order, zeros left out). */
  rewards: Array<[string, number]>;
  submitted: number;
  /** One line for the ticker. */
  summary: string;
  timed_out: boolean;
};

export type DilemmaSilverGambitSubmit = {
  type: "DILEMMA.SILVER_GAMBIT.SUBMIT";
  action: GambitAction;
};

/** Client message DILEMMA.SILVER_GAMBIT.SUBMIT. */
export type DilemmaSilverGambitSubmitMessage = {
  type: "DILEMMA.SILVER_GAMBIT.SUBMIT";
  action: GambitAction;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

export type DilemmaSpotlightSubmit = {
  type: "DILEMMA.SPOTLIGHT.SUBMIT";
  targetId: string;
};

/** Client message DILEMMA.SPOTLIGHT.SUBMIT. */
export type DilemmaSpotlightSubmitMessage = {
  type: "DILEMMA.SPOTLIGHT.SUBMIT";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId: string;
};

export type DilemmaType = "SILVER_GAMBIT" | "SPOTLIGHT" | "GIFT_OR_GRIEF";

export type DilemmaView = {
  day: number;
  dilemmaType: DilemmaType;
  eligible: Array<string>;
  myDecision?: string | null;
  phase: "COLLECTING" | "REVEAL";
  result?: {
    decisions: Array<[string, string]>;
    eligible: number;
    outcome: DilemmaOutcome;
    rewards: Rewards;
    submitted: number;
    summary: string;
    timedOut: boolean;
  };
  rules: string;
  submitted: Array<string>;
};

export type DmChannel = {
  channelId: string;
  creator: string;
  kind: "DM" | "GROUP_DM";
  members: Array<string>;
  messages: Array<ChatMessage>;
  pending: Array<string>;
  status: "MEMBER" | "INVITED";
};

/** Today's social rules (public). */
export type DmRules = SocialParams & {
  maxGroupsPerDay: number;
};

export type DmStats = {
  charsLimit: number;
  charsUsed: number;
  extraCharsPerks: number;
  extraPartnerPerks: number;
  groupsLimit: number;
  groupsUsed: number;
  partners: Array<string>;
  partnersLimit: number;
  partnersUsed: number;
  slotsLimit: number;
  slotsUsed: number;
};

export type DynamicManifest = {
  /** Whether secret destinies are dealt (default: true, BLITZ: false). */
  destinies?: boolean;
  initialGoldPool?: number;
  kind: "DYNAMIC";
  /** Fewest players needed to start a DYNAMIC game (default 3). */
  minPlayers?: number;
  /** Default PECKING_ORDER. */
  mode?: "PECKING_ORDER";
  /** The MOLE completes when the final gold pool is below this (default 50). */
  moleThreshold?: number;
  /** BLITZ round length (default 180). */
  roundSeconds?: number;
  ruleset?: Ruleset;
  /** Timings of the generated timelines (default DEFAULT). */
  schedulePreset?: Preset;
  scheduling?: Scheduling;
  /** When day 1 (or the BLITZ game) starts. */
  startTime: string;
};

/** One granted effect. Public (game results are public). */
export type Effect = {
  /** The day whose vote (SHIELD, CURSE_HALF_VOTE) or DMs (CURSE_NO_DM) it affects. */
  day: number;
  kind: EffectKind;
  playerId: string;
  source: GameType;
};

export type EffectKind = "SHIELD" | "CURSE_NO_DM" | "CURSE_HALF_VOTE";

/** Who or what produced an entry. */
export type EntryKind = "ACTION" | "ALARM" | "SYSTEM" | "ADMIN";

/** The `code` of an ERROR frame. */
export type ErrorCode = ProtocolErrorCode | RejectionCode | RoomErrorCode | SessionErrorCode;

export type Fact = {
  type: "GAME_CREATED";
  goldPool: number;
  mode: string;
  players: Array<string>;
} | {
  type: "PLAYER_JOINED";
  playerId: string;
} | {
  type: "PHASE_CHANGED";
  day: number;
  phase: string;
} | {
  type: "GATE_CHANGED";
  gate: string;
  open: boolean;
} | {
  type: "CHAT_MESSAGE";
  channelId: string;
  content: string;
  from: string;
  id: number;
} | {
  type: "SILVER";
  balanceAfter: number;
  delta: number;
  playerId: string;
  reason: string;
} | {
  type: "GOLD";
  balanceAfter: number;
  delta: number;
  playerId: string;
  reason: string;
} | {
  type: "GOLD_POOL";
  delta: number;
  poolAfter: number;
  reason: string;
} | {
  type: "VOTING_OPENED";
  mechanism: VoteType;
  targets: Array<string>;
  voters: Array<string>;
} | {
  type: "VOTE_CAST";
  mechanism: VoteType;
  target: string;
  /** The verb when it is not `CAST` (SAVE, TRUST, ELIMINATE, ELECT, PICK). */
  verb?: string | null;
  voter: string;
} | {
  type: "STAKE_PLACED";
  mechanism: VoteType;
  stake: number;
  voter: string;
} | {
  type: "VOTING_STAGE";
  mechanism: VoteType;
  stage: VoteStage;
  targets: Array<string>;
  voters: Array<string>;
} | {
  type: "VOTE_RESULT";
  eliminated: string | null;
  mechanism: VoteType;
  /** Per-mechanism details (immune, podium, pairs, executioner, ranking, duel). */
  summary?: VoteSummary;
  tallies: Array<[string, number]>;
  tieBreak: string | null;
  winner: string | null;
} | {
  type: "ELIMINATION";
  day: number;
  mechanism: string;
  playerId: string;
} | {
  type: "WINNER";
  goldPool: number;
  playerId: string;
} | {
  type: "TASK_FIRED";
  action: Action;
  dueMs: number;
  taskId: string;
} | {
  type: "TASKS_SCHEDULED";
  tasks: Array<[string, number]>;
} | {
  type: "TASKS_DROPPED";
  taskIds: Array<string>;
} | {
  type: "NO_EFFECT";
  action: Action;
  reason: string;
} | {
  type: "START_POSTPONED";
  needed: number;
  players: number;
} | {
  type: "GAME_ENDED";
  winner: string | null;
} | {
  type: "SEED_REVEALED";
} | {
  type: "SOCIAL_RULES";
  day: number;
  disableNudgeThrottle: boolean;
  dmCharsPerPlayer: number;
  dmCost: number;
  dmPartnersPerPlayer: number;
  dmSlotsPerPlayer: number;
  groupDmEnabled: boolean;
  requireDmInvite: boolean;
} | {
  type: "DM_CHANNEL_CREATED";
  channelId: string;
  creator: string;
  invited: Array<string>;
  kind: string;
  members: Array<string>;
} | {
  type: "DM_SENT";
  channelId: string;
  chars: number;
  from: string;
  messageId: number;
} | {
  type: "DM_MEMBERS_ADDED";
  by: string;
  channelId: string;
  invited: Array<string>;
  kind: string;
  members: Array<string>;
} | {
  type: "DM_INVITE_ACCEPTED";
  channelId: string;
  playerId: string;
} | {
  type: "DM_INVITE_DECLINED";
  channelId: string;
  playerId: string;
  slotRefunded: boolean;
} | {
  type: "REACTION";
  emoji: string;
  messageId: number;
  /** `false` when the reaction was toggled off. */
  on: boolean;
  playerId: string;
} | {
  type: "NUDGE";
  from: string;
  to: string;
} | {
  type: "WHISPER";
  from: string;
  messageId: number;
  to: string;
} | {
  type: "PERK_USED";
  perk: PerkType;
  playerId: string;
  target: string | null;
} | {
  type: "DESTINY_ASSIGNED";
  destiny: Destiny;
  playerId: string;
} | {
  type: "DESTINY_ACCUSATION";
  accuser: string;
  correct: boolean;
  target: string;
} | {
  type: "DESTINY_RESULT";
  destiny: Destiny;
  playerId: string;
  reason: string;
  status: Status;
} | {
  type: "ACTIVITY_STARTED";
  day: number;
  eligible: Array<string>;
  options: Array<string>;
  promptId: string | null;
  promptText: string;
  promptType: PromptType;
} | {
  type: "ACTIVITY_RESPONDED";
  playerId: string;
  stage: PromptStage;
} | {
  type: "ACTIVITY_STAGE_CHANGED";
  entries: number;
  stage: PromptStage;
} | {
  type: "ACTIVITY_RESULT";
  day: number;
  outcome: PromptOutcome;
  promptType: PromptType;
  rewards: Array<[string, number]>;
  timedOut: boolean;
} | {
  type: "PREDICTION_SETTLED";
  correct: Array<string>;
  day: number;
  eliminated: string | null;
} | {
  type: "DILEMMA_STARTED";
  day: number;
  dilemmaType: DilemmaType;
  eligible: Array<string>;
  rules: string;
} | {
  type: "DILEMMA_SUBMITTED";
  playerId: string;
} | {
  type: "DILEMMA_RESULT";
  day: number;
  dilemmaType: DilemmaType;
  result: DilemmaReveal;
} | {
  type: "CONFESSION_PHASE_STARTED";
  channelId: string;
  day: number;
  members: Array<string>;
} | {
  type: "CONFESSION_POSTED";
  channelId: string;
  handle: string;
  postId: number;
} | {
  type: "CONFESSION_PHASE_ENDED";
  channelId: string;
  postCount: number;
} | {
  type: "INACTIVITY_WARNING";
  inactiveDays: number;
  playerId: string;
} | {
  type: "INACTIVITY_CHECKED";
  day: number;
  streaks: Array<[string, number]>;
} | {
  type: "GAME_STARTED";
  day: number;
  gameType: GameType;
  players: Array<string>;
} | {
  type: "GAME_ACTION";
  action: string;
  gameType: GameType;
  playerId: string;
} | {
  type: "PLAYER_GAME_RESULT";
  auto: boolean;
  gameType: GameType;
  gold: number;
  playerId: string;
  silver: number;
} | {
  type: "SPLIT_ROUND_RESOLVED";
  gameType: GameType;
  round: SplitRound;
} | {
  type: "GAME_RESULT";
  day: number;
  /** Ended by END_GAME (or OPEN_VOTING / END_DAY) rather than by complete input. */
  forced: boolean;
  gameType: GameType;
  summary: GameSummary;
} | {
  type: "GAME_EFFECT";
  day: number;
  effect: EffectKind;
  playerId: string;
  source: GameType;
};

export type FieldError = {
  code: FieldErrorCode;
  message: string;
  /** JSON path of the bad field, e.g. manifest.days[1].voteType. */
  path: string;
};

/** What is wrong with one field of a manifest, roster or /init body. */
export type FieldErrorCode = "MISSING" | "UNKNOWN_FIELD" | "WRONG_TYPE" | "INVALID_VALUE" | "OUT_OF_RANGE" | "UNSUPPORTED" | "DUPLICATE";

/** `DILEMMA.SILVER_GAMBIT.SUBMIT {action}`. */
export type GambitAction = "DONATE" | "KEEP";

/** Arcade: the run's score fields (whole numbers), validated against the game's bounds. */
export type GameArcadeResult = {
  type: "GAME.ARCADE.RESULT";
  gameType: GameType;
  result: { [key: string]: number };
};

/** Client message GAME.ARCADE.RESULT. Arcade: the run's score fields (whole numbers), validated against the game's bounds. */
export type GameArcadeResultMessage = {
  type: "GAME.ARCADE.RESULT";
  gameType: GameType;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  result: { [key: string]: number };
};

/** Arcade: starts a run of today's arcade game; its clock starts at this entry. */
export type GameArcadeStart = {
  type: "GAME.ARCADE.START";
  gameType: GameType;
};

/** Client message GAME.ARCADE.START. Arcade: starts a run of today's arcade game; its clock starts at this entry. */
export type GameArcadeStartMessage = {
  type: "GAME.ARCADE.START";
  gameType: GameType;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

export type GameBetBetBetSubmit = {
  type: "GAME.BET_BET_BET.SUBMIT";
  amount: number;
};

/** Client message GAME.BET_BET_BET.SUBMIT. */
export type GameBetBetBetSubmitMessage = {
  type: "GAME.BET_BET_BET.SUBMIT";
  amount: number;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

export type GameBlindAuctionSubmit = {
  type: "GAME.BLIND_AUCTION.SUBMIT";
  amount: number;
  slot: number;
};

/** Client message GAME.BLIND_AUCTION.SUBMIT. */
export type GameBlindAuctionSubmitMessage = {
  type: "GAME.BLIND_AUCTION.SUBMIT";
  amount: number;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  slot: number;
};

export type GameKingsRansomSubmit = {
  type: "GAME.KINGS_RANSOM.SUBMIT";
  action: KingsAction;
};

/** Client message GAME.KINGS_RANSOM.SUBMIT. */
export type GameKingsRansomSubmitMessage = {
  type: "GAME.KINGS_RANSOM.SUBMIT";
  action: KingsAction;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

export type GameRecord = {
  day: number;
  endedAtMs: number;
  /** Ended by END_GAME (or by OPEN_VOTING / END_DAY) rather than by complete input. */
  forced: boolean;
  gameType: GameType;
  startedAtMs: number;
  summary: GameSummary;
};

/** Arcade and TRIVIA: play again; the result awaiting a decision becomes the fallback. */
export type GameRetry = {
  type: "GAME.RETRY";
};

/** Client message GAME.RETRY. Arcade and TRIVIA: play again; the result awaiting a decision becomes the fallback. */
export type GameRetryMessage = {
  type: "GAME.RETRY";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

/** Arcade and TRIVIA: keep the result awaiting a decision (credited now). */
export type GameSubmit = {
  type: "GAME.SUBMIT";
};

/** Client message GAME.SUBMIT. Arcade and TRIVIA: keep the result awaiting a decision (credited now). */
export type GameSubmitMessage = {
  type: "GAME.SUBMIT";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

/** A finished game's public result. */
export type GameSummary = {
  ARCADE: ArcadeSummary;
} | {
  TRIVIA: TriviaSummary;
} | {
  BET_BET_BET: BetSummary;
} | {
  THE_SPLIT: SplitSummary;
} | {
  BLIND_AUCTION: BlindAuctionSummary;
} | {
  KINGS_RANSOM: KingsSummary;
};

export type GameTheSplitSubmit = {
  type: "GAME.THE_SPLIT.SUBMIT";
  action: SplitAction;
};

/** Client message GAME.THE_SPLIT.SUBMIT. */
export type GameTheSplitSubmitMessage = {
  type: "GAME.THE_SPLIT.SUBMIT";
  action: SplitAction;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

export type GameTriviaAnswer = {
  type: "GAME.TRIVIA.ANSWER";
  answerIndex: number;
};

/** Client message GAME.TRIVIA.ANSWER. */
export type GameTriviaAnswerMessage = {
  type: "GAME.TRIVIA.ANSWER";
  answerIndex: number;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

export type GameTriviaStart = {
  type: "GAME.TRIVIA.START";
};

/** Client message GAME.TRIVIA.START. */
export type GameTriviaStartMessage = {
  type: "GAME.TRIVIA.START";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

/** Every game of the prototype's catalogue (prototype-facts §6.1). Not all are implemented; see `GameType::is_supported`. */
export type GameType = "TRIVIA" | "REALTIME_TRIVIA" | "BET_BET_BET" | "THE_SPLIT" | "BLIND_AUCTION" | "KINGS_RANSOM" | "TOUCH_SCREEN" | "GAP_RUN" | "GRID_PUSH" | "SEQUENCE" | "REACTION_TIME" | "COLOR_MATCH" | "STACKER" | "QUICK_MATH" | "SIMON_SAYS" | "AIM_TRAINER" | "SHOCKWAVE" | "ORBIT" | "BEAT_DROP" | "INFLATE" | "SNAKE" | "FLAPPY" | "COLOR_SORT" | "BLINK" | "RECALL";

export type GameView = {
  accusations: Array<Accusation>;
  activity: ActivityView | null;
  /** Today's MAIN chat. */
  chat: Array<ChatMessage | RedactedWhisper>;
  confession: ConfessionView | null;
  day: number;
  /** The journal's chain head at the end of each finished day. */
  dayHeads: Array<DayHead>;
  /** The viewer's own destiny; everyone's once the game is over. */
  destinies: Array<DestinyView>;
  dilemma: DilemmaView | null;
  dmRules: DmRules;
  dmStats?: DmStats;
  /** A player's view only. */
  dms?: Array<DmChannel>;
  dmsOpen: boolean;
  gameId: string;
  games: GamesView;
  goldPool: number;
  groupChatOpen: boolean;
  inactivity: InactivityView | null;
  kind: Kind;
  mode: Mode;
  /** The next few scheduled timeline steps. */
  nextTasks: Array<NextTask>;
  nudges?: Nudges;
  perkResults?: Array<PerkResult>;
  phase: Phase;
  results: Array<VoteResultView>;
  roster: Array<RosterEntry>;
  scheduling: Scheduling;
  seedCommitment: Hash;
  voteType: VoteType | null;
  voting: Voting | null;
  winner: string | null;
  /** The viewer's player id (null: the public view). */
  you: string | null;
};

export type GamesView = {
  active: {
    gameType: GameType;
    /** ms since the Unix epoch */
    startedAtMs: number;
  } | null;
  effects: Array<Effect>;
  results: Array<GameRecord>;
  today: GameType | null;
};

/** A blake3 hash: 64 hex digits (written lowercase; read in either case). */
export type Hash = string;

export type HttpError = {
  error: {
    code: HttpErrorCode;
    /** INVALID_MANIFEST: every bad field; INVALID_FIELDS of `POST …/admin`: the first bad field. */
    fields?: Array<FieldError>;
    message: string;
  };
};

/** The `code` of an HTTP error body: the route's own (RouteErrorCode), a refused /init or player-joined body (RoomErrorCode), a refused admin body (AdminErrorCode), or the engine's refusal (RejectionCode, HTTP 409). */
export type HttpErrorCode = RouteErrorCode | RoomErrorCode | AdminErrorCode | RejectionCode;

export type InactivityView = {
  action: "ELIMINATE" | "NUDGE_THEN_ELIMINATE";
  activeToday: boolean;
  atRisk: boolean;
  consecutiveInactiveDays: number;
  thresholdDays: number;
};

/** A DYNAMIC PECKING_ORDER game may start with no roster (players join); any other needs a roster of at least 2. */
export type InitBody = {
  /** Accepted and not used. */
  inviteCode?: string;
  manifest: Manifest;
  roster?: Roster;
};

/** One journal entry, exactly as stored in a D1 row.  `payload` and `facts` are kept as the JSON text that is hashed and stored, not as parsed values: the hash covers these exact bytes, so an auditor can recompute it from the row alone. */
export type JournalEntry = {
  type: string;
  actor: string;
  at_ms: number;
  day: number;
  /** Rules version that produced `verdict` and `facts`. */
  engine: string;
  /** Canonical JSON text of the facts the engine derived (an array). */
  facts: string;
  game_id: string;
  hash: Hash;
  kind: EntryKind;
  /** Canonical JSON text of the input's fields (without `type`). */
  payload: string;
  prev_hash: Hash;
  seq: number;
  /** Entry layout version as stored: 1 for every entry this engine writes; absent for a version-0 row (docs/schema-evolution.md). */
  v?: number;
  verdict: Verdict;
};

/** A journaled input's outcome (`POST …/admin` with an `ADMIN.*` command; `POST …/player-joined`). */
export type JournaledResponse = {
  accepted: boolean;
  /** The entry's seq. */
  seq: number;
  verdict: Verdict;
};

/** A player of the keyed roster form: the key is the id when `id` and `playerId` are absent. */
export type KeyedPlayer = {
  avatarUrl?: string;
  bio?: string;
  destinyId?: string;
  gold?: number;
  /** 1-32 characters of A-Z a-z 0-9 _ -, not a reserved actor name. */
  id?: string;
  isAlive?: boolean;
  isSpectator?: boolean;
  personaName: string;
  /** Used when id is absent. */
  playerId?: string;
  realUserId?: string;
  /** Starting silver (default 50). */
  silver?: number;
};

export type Kind = "STATIC" | "DYNAMIC";

export type KingsAction = "STEAL" | "PROTECT";

export type KingsOutcome = "PROTECT_WINS" | "STEAL_WINS" | "TIE";

export type KingsSummary = {
  decisions: Array<[string, KingsAction]>;
  king: string | null;
  /** What the King lost. */
  kingPaid: number;
  outcome: KingsOutcome;
  /** Each winner's share. */
  share: number;
  shield: string | null;
  vault: number;
};

/** A STATIC manifest lists its days; a DYNAMIC one resolves each day from its ruleset; BLITZ generates rounds. */
export type Manifest = StaticManifest | DynamicManifest | BlitzManifest;

export type Mode = "PECKING_ORDER" | "BLITZ";

/** A scheduled task: the room's alarm queue (`GET …/state`, `LIST_TASKS`) and a projection's `nextTasks`. */
export type NextTask = {
  /** The timeline action it runs. */
  action: Action;
  /** When it fires, in ms since the Unix epoch. */
  dueMs: number;
  taskId: string;
};

export type Nudges = {
  received: Array<{
    count: number;
    from: string;
  }>;
  sent: Array<{
    count: number;
    to: string;
  }>;
};

export type PerkResult = {
  /** ms since the Unix epoch */
  atMs: number;
  day: number;
  messages: Array<{
    /** ms since the Unix epoch */
    atMs: number;
    content: string;
    day: number;
  }>;
  perkType: PerkType;
  targetId: string | null;
};

/** Perks a player can buy with silver (`SOCIAL.USE_PERK`). */
export type PerkType = "SPY_DMS" | "EXTRA_DM_CHARS" | "EXTRA_DM_PARTNER";

export type Phase = "PRE_GAME" | "DAY" | "NIGHT" | "GAME_SUMMARY" | "GAME_OVER";

export type Player = {
  avatarUrl?: string;
  bio?: string;
  destinyId?: string;
  gold?: number;
  /** 1-32 characters of A-Z a-z 0-9 _ -, not a reserved actor name. */
  id: string;
  isAlive?: boolean;
  isSpectator?: boolean;
  personaName: string;
  /** Used when id is absent. */
  playerId?: string;
  realUserId?: string;
  /** Starting silver (default 50). */
  silver?: number;
} | {
  avatarUrl?: string;
  bio?: string;
  destinyId?: string;
  gold?: number;
  /** 1-32 characters of A-Z a-z 0-9 _ -, not a reserved actor name. */
  id?: string;
  isAlive?: boolean;
  isSpectator?: boolean;
  personaName: string;
  /** Used when id is absent. */
  playerId: string;
  realUserId?: string;
  /** Starting silver (default 50). */
  silver?: number;
};

/** A schedule preset: offsets of each action from the day's start, and the stride to the next day. */
export type Preset = "DEFAULT" | "COMPACT" | "SMOKE_TEST" | "SPEED_RUN";

export type Prize = ("SHIELD" | "CURSE_NO_DM" | "CURSE_HALF_VOTE") | {
  SILVER: number;
};

/** What one player (or, with `you: null`, anyone) may see. Votes, stakes, decisions, answers, handles and other players' DMs stay out until their reveal. */
export type Projection = GameView | UninitialisedView;

/** An entry of a two-stage prompt's anonymous list, with its author (revealed in the results). */
export type PromptEntry = {
  author: string;
  index: number;
  text: string;
};

/** What a prompt decided. Public once the prompt is over. */
export type PromptOutcome = {
  kind: "PLAYER_PICK";
  /** Everyone tied for the most picks (roster order); reported, not rewarded. */
  mostPicked: Array<string>;
  mostPickedCount: number;
  mutualPairs: Array<[string, string]>;
  /** (picker, picked), in answer order. */
  picks: Array<[string, string]>;
} | {
  correct: Array<string>;
  /** Filled in at END_DAY: the player the vote eliminated that night. */
  eliminated: string | null;
  kind: "PREDICTION";
  /** Most predicted; a tie goes to the tied player who was named first. */
  mostPredicted: string | null;
  /** (predictor, predicted), in answer order. */
  predictions: Array<[string, string]>;
  settled: boolean;
} | {
  /** (player, option index), in answer order. */
  choices: Array<[string, number]>;
  counts: Array<number>;
  kind: "CHOICE";
  /** Options with the fewest (non-zero) answers, when fewer than the most answered one. */
  minority: Array<number>;
} | {
  entries: Array<PromptEntry>;
  kind: "CONFESSION";
  /** Votes per index. */
  tally: Array<number>;
  /** (voter, index), in vote order. */
  votes: Array<[string, number]>;
  /** Most votes; ties go to the lowest index; none without votes. */
  winner: number | null;
} | {
  /** (guesser, correct guesses). */
  correct: Array<[string, number]>;
  entries: Array<PromptEntry>;
  /** (author, wrong guesses on their answer), authors with at least one. */
  fooled: Array<[string, number]>;
  /** (guesser, [(index, guessed author)]), in guess order. */
  guesses: Array<[string, Array<[number, string]>]>;
  kind: "GUESS_WHO";
};

/** Where a prompt is. Single-stage prompts go from COLLECTING straight to RESULTS. */
export type PromptStage = "RESULTS" | "COLLECTING" | "VOTING";

export type PromptType = "PLAYER_PICK" | "PREDICTION" | "WOULD_YOU_RATHER" | "HOT_TAKE" | "CONFESSION" | "GUESS_WHO";

/** A client frame refused before the engine (never journaled): room::protocol::ProtocolError. */
export type ProtocolErrorCode = "MESSAGE_TOO_LARGE" | "MALFORMED_JSON" | "NOT_AN_OBJECT" | "BAD_REF" | "FORBIDDEN_TYPE" | "UNKNOWN_TYPE" | "INVALID_FIELDS";

/** A whisper as everyone but its two players sees it. */
export type RedactedWhisper = {
  /** ms since the Unix epoch */
  atMs: number;
  from: string;
  id: number;
  whisper: true;
};

/** An input the engine refused (journaled as REJECTED:<code>): engine::Rejection. */
export type RejectionCode = "NOT_INITIALISED" | "ALREADY_INITIALISED" | "WRONG_PHASE" | "UNKNOWN_PLAYER" | "PLAYER_ELIMINATED" | "TARGET_ELIMINATED" | "SELF_TARGET" | "GROUP_CHAT_CLOSED" | "EMPTY_TEXT" | "TEXT_TOO_LONG" | "INVALID_AMOUNT" | "INSUFFICIENT_SILVER" | "VOTING_CLOSED" | "WRONG_MECHANISM" | "NOT_ELIGIBLE_VOTER" | "NOT_ELIGIBLE_TARGET" | "TARGET_IMMUNE" | "WRONG_STAGE" | "UNKNOWN_TASK" | "TASK_NOT_DUE" | "TASK_OUT_OF_ORDER" | "SEED_MISMATCH" | "SEED_ALREADY_REVEALED" | "GAME_OVER" | "DUPLICATE_PLAYER" | "INVALID_INIT" | "UNSUPPORTED" | "NOT_PERMITTED" | "SEED_UNKNOWN" | "DMS_CLOSED" | "CONVERSATION_LIMIT" | "CHAR_LIMIT" | "PARTNER_LIMIT" | "GROUP_LIMIT" | "GROUP_DMS_DISABLED" | "SELF_DM" | "INVITE_REQUIRED" | "INVALID_MEMBERS" | "DUPLICATE_INVITE" | "UNAUTHORIZED" | "UNKNOWN_CHANNEL" | "CHANNEL_EXISTS" | "NO_RECIPIENTS" | "NO_PENDING_INVITE" | "UNKNOWN_MESSAGE" | "INVALID_EMOJI" | "NUDGE_THROTTLED" | "TARGET_REQUIRED" | "TARGET_NOT_ALLOWED" | "NOT_DETECTIVE" | "ALREADY_ACCUSED_TODAY" | "ACTIVITY_CLOSED" | "WRONG_ACTIVITY" | "NOT_ELIGIBLE" | "ALREADY_RESPONDED" | "INVALID_CHOICE" | "DILEMMA_CLOSED" | "WRONG_DILEMMA" | "CONFESSION_CLOSED" | "NO_GAME" | "WRONG_GAME" | "NOT_IN_GAME" | "ALREADY_SUBMITTED" | "WRONG_GAME_STAGE" | "INVALID_SCORE" | "INVALID_ANSWER" | "INVALID_SLOT" | "NOT_YOUR_ROUND" | "DM_CURSED";

export type Rewards = Array<[string, number]>;

/** A room-level failure (room::RoomError); an engine refusal carries its RejectionCode instead. */
export type RoomErrorCode = "MALFORMED_JSON" | "TOO_LARGE" | "INVALID_BODY" | "INVALID_MANIFEST" | "SNAPSHOT_UNUSABLE" | "CHAIN_BROKEN" | "DIVERGED";

/** An array in join order, or an object keyed by player id (ordered by the number of p<N> ids, else by id). Ids must be unique. A STATIC or BLITZ game needs at least 2 players. */
export type Roster = Array<Player> | { [key: string]: KeyedPlayer };

export type RosterEntry = {
  alive: boolean;
  avatarUrl: string;
  eliminatedOnDay: number | null;
  gold: number;
  id: string;
  personaName: string;
  silver: number;
};

/** A route refused the request itself (room::route::RouteError): authentication, method, game id, room existence, storage. */
export type RouteErrorCode = "BAD_GAME_ID" | "BAD_QUERY" | "BAD_BODY" | "UNAUTHORIZED" | "DEV_FAULTS_OFF" | "NOT_FOUND" | "ROOM_NOT_FOUND" | "METHOD_NOT_ALLOWED" | "ROOM_EXISTS" | "UPGRADE_REQUIRED" | "INTERNAL" | "STORAGE_FAILED" | "AUTH_NOT_CONFIGURED" | "D1_UNAVAILABLE";

export type Ruleset = {
  /** Without mode: rotate through allowed. SEQUENCE: day N takes sequence[N-1] (the last once past the end). POOL: rotate through pool. NONE: none. */
  activities?: {
    allowed: Array<"PLAYER_PICK" | "PREDICTION" | "WOULD_YOU_RATHER" | "HOT_TAKE" | "CONFESSION" | "GUESS_WHO">;
    /** Rotation only: never the same type two days running (default true). */
    avoidRepeat?: boolean;
  } | {
    /** Rotation only: never the same type two days running (default true). */
    avoidRepeat?: boolean;
    mode: "SEQUENCE";
    sequence: Array<"PLAYER_PICK" | "PREDICTION" | "WOULD_YOU_RATHER" | "HOT_TAKE" | "CONFESSION" | "GUESS_WHO">;
  } | {
    /** Rotation only: never the same type two days running (default true). */
    avoidRepeat?: boolean;
    mode: "POOL";
    pool: Array<"PLAYER_PICK" | "PREDICTION" | "WOULD_YOU_RATHER" | "HOT_TAKE" | "CONFESSION" | "GUESS_WHO">;
  } | {
    /** Rotation only: never the same type two days running (default true). */
    avoidRepeat?: boolean;
    mode: "NONE";
  };
  confessions?: {
    enabled?: boolean;
  };
  dayCount?: {
    fixedCount?: number;
    maxDays?: number;
    mode?: "FIXED" | "ACTIVE_PLAYERS_MINUS_ONE";
  };
  /** Without mode: rotate through allowed. SEQUENCE: day N takes sequence[N-1] (the last once past the end). POOL: rotate through pool. NONE: none. */
  dilemmas?: {
    allowed: Array<"SILVER_GAMBIT" | "SPOTLIGHT" | "GIFT_OR_GRIEF">;
    /** Rotation only: never the same type two days running (default true). */
    avoidRepeat?: boolean;
  } | {
    /** Rotation only: never the same type two days running (default true). */
    avoidRepeat?: boolean;
    mode: "SEQUENCE";
    sequence: Array<"SILVER_GAMBIT" | "SPOTLIGHT" | "GIFT_OR_GRIEF">;
  } | {
    /** Rotation only: never the same type two days running (default true). */
    avoidRepeat?: boolean;
    mode: "POOL";
    pool: Array<"SILVER_GAMBIT" | "SPOTLIGHT" | "GIFT_OR_GRIEF">;
  } | {
    /** Rotation only: never the same type two days running (default true). */
    avoidRepeat?: boolean;
    mode: "NONE";
  };
  games?: {
    /** Rotated through; wins over mode. */
    allowed?: Array<"NONE" | "TRIVIA" | "BET_BET_BET" | "THE_SPLIT" | "BLIND_AUCTION" | "KINGS_RANSOM" | "GAP_RUN" | "GRID_PUSH" | "SEQUENCE" | "REACTION_TIME" | "COLOR_MATCH" | "STACKER" | "QUICK_MATH" | "SIMON_SAYS" | "AIM_TRAINER" | "SHOCKWAVE" | "ORBIT" | "BEAT_DROP" | "INFLATE" | "SNAKE" | "FLAPPY" | "COLOR_SORT" | "BLINK" | "RECALL">;
    avoidRepeat?: boolean;
    mode?: "SEQUENCE" | "POOL" | "NONE";
    pool?: Array<"NONE" | "TRIVIA" | "BET_BET_BET" | "THE_SPLIT" | "BLIND_AUCTION" | "KINGS_RANSOM" | "GAP_RUN" | "GRID_PUSH" | "SEQUENCE" | "REACTION_TIME" | "COLOR_MATCH" | "STACKER" | "QUICK_MATH" | "SIMON_SAYS" | "AIM_TRAINER" | "SHOCKWAVE" | "ORBIT" | "BEAT_DROP" | "INFLATE" | "SNAKE" | "FLAPPY" | "COLOR_SORT" | "BLINK" | "RECALL">;
    sequence?: Array<"NONE" | "TRIVIA" | "BET_BET_BET" | "THE_SPLIT" | "BLIND_AUCTION" | "KINGS_RANSOM" | "GAP_RUN" | "GRID_PUSH" | "SEQUENCE" | "REACTION_TIME" | "COLOR_MATCH" | "STACKER" | "QUICK_MATH" | "SIMON_SAYS" | "AIM_TRAINER" | "SHOCKWAVE" | "ORBIT" | "BEAT_DROP" | "INFLATE" | "SNAKE" | "FLAPPY" | "COLOR_SORT" | "BLINK" | "RECALL">;
  };
  inactivity?: {
    action?: "ELIMINATE" | "NUDGE_THEN_ELIMINATE";
    enabled?: boolean;
    thresholdDays?: number;
  };
  kind?: "PECKING_ORDER";
  social?: {
    disableNudgeThrottle?: boolean;
    dmChars?: {
      base: number;
      /** DIMINISHING only; default floor(0.3 × base). */
      floor?: number;
      mode: "FIXED" | "PER_ACTIVE_PLAYER" | "DIMINISHING";
    };
    dmCost?: number;
    dmPartners?: {
      base: number;
      /** DIMINISHING only; default floor(0.3 × base). */
      floor?: number;
      mode: "FIXED" | "PER_ACTIVE_PLAYER" | "DIMINISHING";
    };
    dmSlotsPerPlayer?: number;
    groupDmEnabled?: boolean;
    requireDmInvite?: boolean;
  };
  voting?: {
    /** Vote types rotated through (default [MAJORITY]). */
    allowed?: Array<"MAJORITY" | "BUBBLE" | "PODIUM_SACRIFICE" | "SECOND_TO_LAST" | "SHIELD" | "TRUST_PAIRS" | "EXECUTIONER" | "DUELS" | "FINALS">;
  };
};

export type Scheduling = "PRE_SCHEDULED" | "ADMIN";

/** The action sent with this `ref` was journaled as entry `seq` and accepted. */
export type ServerAck = {
  type: "ACK";
  ref: string | null;
  seq: number;
};

/** The action sent with this `ref` was refused: a `ProtocolError` (never journaled; `path` names the bad field of `INVALID_FIELDS`), or an engine rejection (journaled as entry `seq` with verdict `REJECTED:<code>`). */
export type ServerError = {
  type: "ERROR";
  code: ErrorCode;
  message: string;
  path?: string | null;
  ref: string | null;
  seq?: number | null;
};

/** A frame the room sends to one socket (`to_text` is its wire form). The schema of each is in `schemas/server-message.schema.json`. */
export type ServerMessage = ServerSync | ServerAck | ServerError | ServerTickerUpdate | ServerTickerHistory | ServerPresence;

/** Who has a socket open (sorted ids), to every socket whenever someone connects or leaves. Transport state, never journaled: being online changes nothing in the game. */
export type ServerPresence = {
  type: "PRESENCE.UPDATE";
  onlinePlayers: Array<string>;
};

/** The receiving player's projection (`Room::projection`), sent after every change. */
export type ServerSync = {
  type: "SYSTEM.SYNC";
  state: Projection;
};

/** Sent once on connect, after the first SYNC: today's most recent lines, oldest first (at most `TICKER_HISTORY_LINES`). A line may arrive again in the first TICKER.UPDATE; `(seq, text)` identifies it. */
export type ServerTickerHistory = {
  type: "TICKER.HISTORY";
  lines: Array<TickerLine>;
};

/** New ticker lines, the same for every socket (sent with the next SYNC broadcast). */
export type ServerTickerUpdate = {
  type: "TICKER.UPDATE";
  lines: Array<TickerLine>;
};

/** The socket itself, not the frame or the rules (room::session::SessionError): rate limit, expired token, a failed commit. Nothing is journaled. */
export type SessionErrorCode = "RATE_LIMITED" | "TOKEN_EXPIRED" | "STORAGE_FAILED" | "NO_SUCH_GAME" | "INTERNAL";

export type SlotResult = {
  bidders: number;
  /** Silver the winner paid (0 for a sole bidder). */
  paid: number;
  prize: Prize;
  slot: number;
  winner: string | null;
};

/** Invite mode: join a conversation one was invited to. */
export type SocialAcceptDm = {
  type: "SOCIAL.ACCEPT_DM";
  channelId: string;
};

/** Client message SOCIAL.ACCEPT_DM. Invite mode: join a conversation one was invited to. */
export type SocialAcceptDmMessage = {
  type: "SOCIAL.ACCEPT_DM";
  channelId: string;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

/** The creator adds players to a DM or group DM (a DM of more than two becomes a group DM). */
export type SocialAddMember = {
  type: "SOCIAL.ADD_MEMBER";
  channelId: string;
  memberIds: Array<string>;
};

/** Client message SOCIAL.ADD_MEMBER. The creator adds players to a DM or group DM (a DM of more than two becomes a group DM). */
export type SocialAddMemberMessage = {
  type: "SOCIAL.ADD_MEMBER";
  channelId: string;
  memberIds: Array<string>;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

/** Opens a group DM with at least two other players, without a message. */
export type SocialCreateChannel = {
  type: "SOCIAL.CREATE_CHANNEL";
  memberIds: Array<string>;
};

/** Client message SOCIAL.CREATE_CHANNEL. Opens a group DM with at least two other players, without a message. */
export type SocialCreateChannelMessage = {
  type: "SOCIAL.CREATE_CHANNEL";
  memberIds: Array<string>;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

/** Invite mode: refuse an invitation. */
export type SocialDeclineDm = {
  type: "SOCIAL.DECLINE_DM";
  channelId: string;
};

/** Client message SOCIAL.DECLINE_DM. Invite mode: refuse an invitation. */
export type SocialDeclineDmMessage = {
  type: "SOCIAL.DECLINE_DM";
  channelId: string;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

export type SocialNudge = {
  type: "SOCIAL.NUDGE";
  targetId: string;
};

/** Client message SOCIAL.NUDGE. */
export type SocialNudgeMessage = {
  type: "SOCIAL.NUDGE";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId: string;
};

/** The social rules of one day. Public: every player sees the same rules. */
export type SocialParams = {
  disableNudgeThrottle: boolean;
  dmCharsPerPlayer: number;
  dmCost: number;
  dmPartnersPerPlayer: number;
  dmSlotsPerPlayer: number;
  groupDmEnabled: boolean;
  requireDmInvite: boolean;
};

/** Toggles one reaction on a message the player can see. */
export type SocialReact = {
  type: "SOCIAL.REACT";
  emoji: string;
  messageId: number;
};

/** Client message SOCIAL.REACT. Toggles one reaction on a message the player can see. */
export type SocialReactMessage = {
  type: "SOCIAL.REACT";
  emoji: string;
  messageId: number;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

/** A chat message: to MAIN (no address, or `channelId: "MAIN"`), into an existing DM or group DM (`channelId`), or opening a conversation (`recipientIds`, or legacy `targetId`). */
export type SocialSendMsg = {
  type: "SOCIAL.SEND_MSG";
  channelId?: string | null;
  content: string;
  recipientIds?: Array<string> | null;
  targetId?: string | null;
};

/** Client message SOCIAL.SEND_MSG. A chat message: to MAIN (no address, or `channelId: "MAIN"`), into an existing DM or group DM (`channelId`), or opening a conversation (`recipientIds`, or legacy `targetId`). */
export type SocialSendMsgMessage = {
  type: "SOCIAL.SEND_MSG";
  channelId?: string | null;
  content: string;
  recipientIds?: Array<string> | null;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId?: string | null;
};

export type SocialSendSilver = {
  type: "SOCIAL.SEND_SILVER";
  amount: number;
  targetId: string;
};

/** Client message SOCIAL.SEND_SILVER. */
export type SocialSendSilverMessage = {
  type: "SOCIAL.SEND_SILVER";
  amount: number;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId: string;
};

export type SocialUsePerk = {
  type: "SOCIAL.USE_PERK";
  perkType: PerkType;
  targetId?: string | null;
};

/** Client message SOCIAL.USE_PERK. */
export type SocialUsePerkMessage = {
  type: "SOCIAL.USE_PERK";
  perkType: PerkType;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId?: string | null;
};

/** A message in MAIN whose text only the sender and the target can read. */
export type SocialWhisper = {
  type: "SOCIAL.WHISPER";
  targetId: string;
  text: string;
};

/** Client message SOCIAL.WHISPER. A message in MAIN whose text only the sender and the target can read. */
export type SocialWhisperMessage = {
  type: "SOCIAL.WHISPER";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId: string;
  text: string;
};

export type SplitAction = "SPLIT" | "STEAL";

/** A resolved round (public). */
export type SplitRound = {
  actions: [SplitAction, SplitAction];
  /** Both stole: the pot went to the gold pool. */
  gold: number;
  index: number;
  pair: [string, string];
  pot: number;
  silver: [number, number];
  /** Resolved by its deadline (missing decisions counted as SPLIT). */
  timedOut: boolean;
};

export type SplitSummary = {
  bonusWinner: string | null;
  goldContribution: number;
  rounds: Array<SplitRound>;
  shield: string | null;
  /** Silver per player over the resolved rounds, before the bonus (roster order). */
  totals: Array<[string, number]>;
  /** Rounds never played (END_GAME came first), including a discarded one in progress. */
  unplayed: number;
};

/** Legacy `ACTIVITY.HOTTAKE.RESPOND {stance}` (only for an Agree/Disagree statement). */
export type Stance = "AGREE" | "DISAGREE";

/** The operator's view (`GET …/state` with the bearer AUTH_SECRET): the public projection, the chain position, and the room's persistence status. */
export type StateResponse = {
  accusations: Array<Accusation>;
  activity: ActivityView | null;
  /** Today's MAIN chat. */
  chat: Array<ChatMessage | RedactedWhisper>;
  confession: ConfessionView | null;
  /** Entries written in those batches. */
  d1BatchedEntries: number;
  /** D1 batches written. */
  d1Batches: number;
  /** Highest seq confirmed in D1. */
  d1ConfirmedSeq: number;
  /** Failed D1 flushes since the last success. */
  d1Failures: number;
  /** When the next D1 flush is tried after a failure (ms since the Unix epoch), or null. */
  d1RetryAt: number | null;
  day: number;
  /** The journal's chain head at the end of each finished day. */
  dayHeads: Array<DayHead>;
  /** The viewer's own destiny; everyone's once the game is over. */
  destinies: Array<DestinyView>;
  dilemma: DilemmaView | null;
  dmRules: DmRules;
  dmStats?: DmStats;
  /** A player's view only. */
  dms?: Array<DmChannel>;
  dmsOpen: boolean;
  gameId: string;
  games: GamesView;
  goldPool: number;
  groupChatOpen: boolean;
  inactivity: InactivityView | null;
  /** The hash of the last journal entry (the chain head). */
  journalHead: Hash;
  kind: Kind;
  mode: Mode;
  /** The first tasks of the alarm queue (at most 10), in firing order. */
  nextTasks: Array<NextTask>;
  nudges?: Nudges;
  /** Journal entries not yet confirmed in D1. */
  outboxLag: number;
  perkResults?: Array<PerkResult>;
  phase: Phase;
  results: Array<VoteResultView>;
  roster: Array<RosterEntry>;
  scheduling: Scheduling;
  seedCommitment: Hash;
  /** The last journal entry's seq. */
  seq: number;
  /** The seq of the stored snapshot. */
  snapshotSeq: number;
  voteType: VoteType | null;
  voting: Voting | null;
  winner: string | null;
  /** The operator is no player. */
  you: null;
};

export type StaticDay = {
  activityType?: "NONE" | "PLAYER_PICK" | "PREDICTION" | "WOULD_YOU_RATHER" | "HOT_TAKE" | "CONFESSION" | "GUESS_WHO";
  /** Whether the evening confession phase may open (default false). */
  confessions?: boolean;
  dayIndex?: number;
  dilemmaType?: "NONE" | "SILVER_GAMBIT" | "SPOTLIGHT" | "GIFT_OR_GRIEF";
  disableNudgeThrottle?: boolean;
  dmCharsPerPlayer?: number;
  dmCost?: number;
  dmPartnersPerPlayer?: number;
  dmSlotsPerPlayer?: number;
  gameMode?: "SOLO" | "LIVE";
  gameType?: "NONE" | "TRIVIA" | "BET_BET_BET" | "THE_SPLIT" | "BLIND_AUCTION" | "KINGS_RANSOM" | "GAP_RUN" | "GRID_PUSH" | "SEQUENCE" | "REACTION_TIME" | "COLOR_MATCH" | "STACKER" | "QUICK_MATH" | "SIMON_SAYS" | "AIM_TRAINER" | "SHOCKWAVE" | "ORBIT" | "BEAT_DROP" | "INFLATE" | "SNAKE" | "FLAPPY" | "COLOR_SORT" | "BLINK" | "RECALL";
  requireDmInvite?: boolean;
  theme?: string;
  /** Explicit timeline; without it the preset's is generated. */
  timeline?: Array<TimelineEvent>;
  /** The day's vote (required). */
  voteType: "MAJORITY" | "BUBBLE" | "PODIUM_SACRIFICE" | "SECOND_TO_LAST" | "SHIELD" | "TRUST_PAIRS" | "EXECUTIONER" | "DUELS" | "FINALS";
};

export type StaticManifest = {
  days: Array<StaticDay>;
  /** Whether secret destinies are dealt (default: true, BLITZ: false). */
  destinies?: boolean;
  initialGoldPool?: number;
  /** Default STATIC. */
  kind?: "STATIC";
  /** Fewest players needed to start a DYNAMIC game (default 3). */
  minPlayers?: number;
  /** Default PECKING_ORDER. */
  mode?: "PECKING_ORDER";
  /** The MOLE completes when the final gold pool is below this (default 50). */
  moleThreshold?: number;
  /** BLITZ round length (default 180). */
  roundSeconds?: number;
  /** Timings of the generated timelines (default DEFAULT). */
  schedulePreset?: Preset;
  scheduling?: Scheduling;
  /** When day 1 (or the BLITZ game) starts. */
  startTime: string;
};

export type Status = "PENDING" | "COMPLETED" | "FAILED";

/** First entry of every game: manifest and roster as the lobby sent them, the engine version and the commitment to the secret seed. */
export type SystemInit = {
  type: "SYSTEM.INIT";
  manifest: Manifest;
  roster: Roster;
  seedCommitment: Hash;
};

/** A DYNAMIC game's pregame join. */
export type SystemPlayerJoined = {
  type: "SYSTEM.PLAYER_JOINED";
  player: Player;
};

/** Last entry of a finished game: the seed, so anyone can recheck every random draw. */
export type SystemRevealSeed = {
  type: "SYSTEM.REVEAL_SEED";
  seed: Hash;
};

/** The answer to `LIST_TASKS`: every pending task, in firing order. */
export type TaskListResponse = {
  tasks: Array<NextTask>;
};

/** What a line is about, so a client can style or filter it (the prototype's categories). */
export type TickerCategory = "PHASE.DAY_START" | "PHASE.NIGHT" | "PHASE.GAME_OVER" | "PHASE.WINNER" | "GATE.CHAT_OPEN" | "GATE.CHAT_CLOSE" | "GATE.DMS_OPEN" | "GATE.DMS_CLOSE" | "VOTE" | "ELIMINATION" | "GAME" | "GAME.REWARD" | "SOCIAL.TRANSFER" | "SOCIAL.PERK" | "SOCIAL.NUDGE" | "SOCIAL.WHISPER" | "SOCIAL.INVITE" | "SOCIAL.PHASE" | "ACTIVITY" | "GOLD.POOL" | "DILEMMA" | "PLAYERS";

/** One line, stamped with the entry it came from (`seq` orders lines; several may share one). */
export type TickerLine = {
  atMs: number;
  category: TickerCategory;
  day: number;
  /** Ids of the players the text names, in the order named (for avatars and links). */
  players: Array<string>;
  seq: number;
  text: string;
};

export type TimelineEvent = {
  action: "OPEN_GROUP_CHAT" | "CLOSE_GROUP_CHAT" | "OPEN_DMS" | "CLOSE_DMS" | "START_GAME" | "END_GAME" | "START_ACTIVITY" | "END_ACTIVITY" | "START_DILEMMA" | "END_DILEMMA" | "OPEN_VOTING" | "CLOSE_VOTING" | "START_CONFESSION_CHAT" | "END_CONFESSION_CHAT" | "END_DAY";
  /** START_ACTIVITY: an ActivityPayload; other actions: not read. */
  payload?: unknown;
  /** RFC 3339, e.g. 2026-12-01T09:00:00Z */
  time: string;
};

export type TriviaRow = {
  auto: boolean;
  correct: number;
  gold: number;
  playerId: string;
  silver: number;
};

export type TriviaSummary = {
  goldContribution: number;
  players: Array<TriviaRow>;
};

export type UninitialisedView = {
  dayHeads: Array<DayHead>;
  gameId: string;
  phase: "UNINITIALISED";
};

/** `ACCEPTED`, or `REJECTED:` followed by the rejection code. */
export type Verdict = string;

/** BUBBLE: save a player outside the top three. */
export type VoteBubbleCast = {
  type: "VOTE.BUBBLE.CAST";
  targetId: string;
};

/** Client message VOTE.BUBBLE.CAST. BUBBLE: save a player outside the top three. */
export type VoteBubbleCastMessage = {
  type: "VOTE.BUBBLE.CAST";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId: string;
};

/** DUELS: name a player to duel (before CLOSE_VOTING). */
export type VoteDuelsCast = {
  type: "VOTE.DUELS.CAST";
  targetId: string;
};

/** Client message VOTE.DUELS.CAST. DUELS: name a player to duel (before CLOSE_VOTING). */
export type VoteDuelsCastMessage = {
  type: "VOTE.DUELS.CAST";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId: string;
};

/** DUELS: a duelist's secret stake of silver (after CLOSE_VOTING). */
export type VoteDuelsDuel = {
  type: "VOTE.DUELS.DUEL";
  stake: number;
};

/** Client message VOTE.DUELS.DUEL. DUELS: a duelist's secret stake of silver (after CLOSE_VOTING). */
export type VoteDuelsDuelMessage = {
  type: "VOTE.DUELS.DUEL";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  stake: number;
};

/** EXECUTIONER: elect the executioner (before CLOSE_VOTING). */
export type VoteExecutionerElect = {
  type: "VOTE.EXECUTIONER.ELECT";
  targetId: string;
};

/** Client message VOTE.EXECUTIONER.ELECT. EXECUTIONER: elect the executioner (before CLOSE_VOTING). */
export type VoteExecutionerElectMessage = {
  type: "VOTE.EXECUTIONER.ELECT";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId: string;
};

/** EXECUTIONER: the executioner's pick (after CLOSE_VOTING); settles the vote. */
export type VoteExecutionerPick = {
  type: "VOTE.EXECUTIONER.PICK";
  targetId: string;
};

/** Client message VOTE.EXECUTIONER.PICK. EXECUTIONER: the executioner's pick (after CLOSE_VOTING); settles the vote. */
export type VoteExecutionerPickMessage = {
  type: "VOTE.EXECUTIONER.PICK";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId: string;
};

export type VoteFinalsCast = {
  type: "VOTE.FINALS.CAST";
  targetId: string;
};

/** Client message VOTE.FINALS.CAST. */
export type VoteFinalsCastMessage = {
  type: "VOTE.FINALS.CAST";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId: string;
};

export type VoteMajorityCast = {
  type: "VOTE.MAJORITY.CAST";
  targetId: string;
};

/** Client message VOTE.MAJORITY.CAST. */
export type VoteMajorityCastMessage = {
  type: "VOTE.MAJORITY.CAST";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId: string;
};

/** PODIUM_SACRIFICE: save a podium player (voters are off the podium). */
export type VotePodiumSacrificeCast = {
  type: "VOTE.PODIUM_SACRIFICE.CAST";
  targetId: string;
};

/** Client message VOTE.PODIUM_SACRIFICE.CAST. PODIUM_SACRIFICE: save a podium player (voters are off the podium). */
export type VotePodiumSacrificeCastMessage = {
  type: "VOTE.PODIUM_SACRIFICE.CAST";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId: string;
};

export type VoteResultView = {
  day: number;
  eliminated: string | null;
  mechanism: VoteType;
  summary: VoteSummary;
  tallies: Array<[string, number]>;
  tieBreak: string | null;
  winner: string | null;
};

/** SHIELD: save any alive player. */
export type VoteShieldSave = {
  type: "VOTE.SHIELD.SAVE";
  targetId: string;
};

/** Client message VOTE.SHIELD.SAVE. SHIELD: save any alive player. */
export type VoteShieldSaveMessage = {
  type: "VOTE.SHIELD.SAVE";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId: string;
};

/** Which part of a vote is running. Most mechanisms have only `Stage::Vote`; EXECUTIONER and DUELS continue after CLOSE_VOTING in a second stage that runs until END_DAY (or until its input is complete). */
export type VoteStage = "VOTE" | {
  PICK: {
    /** Election votes per candidate (public once the election closed). */
    election: Array<[string, number]>;
    executioner: string;
    tieBreak: string | null;
  };
} | {
  DUEL: {
    duelists: Array<string>;
    /** Nominations per player (public once nominations closed). */
    nominations: Array<[string, number]>;
    tieBreak: string | null;
  };
};

/** Per-mechanism details of a result (prototype-facts §4 "result summaries"). Public with the result. Empty fields are left out of the JSON. */
export type VoteSummary = {
  /** Silver each player pays as a result (DUELS: the survivor pays their stake). */
  charges?: Array<[string, number]>;
  /** DUELS: the two players who duelled. */
  duelists?: Array<string>;
  /** EXECUTIONER: who was elected (absent when nobody voted in the election). */
  executioner?: string | null;
  /** EXECUTIONER: whom the executioner picked (absent when the fallback decided). */
  executionerPick?: string | null;
  /** BUBBLE: the top-3 silver players; TRUST_PAIRS: members of mutual trust pairs. */
  immune?: Array<string>;
  /** TRUST_PAIRS: pairs who trusted each other, roster order. */
  mutualPairs?: Array<[string, string]>;
  /** PODIUM_SACRIFICE: the top-3 silver players (the only targets). */
  podium?: Array<string>;
  /** SECOND_TO_LAST: alive players by silver at opening, highest first. */
  silverRanking?: Array<[string, number]>;
  /** DUELS: what each duelist staked (a duelist who did not stake is left out: stake 0). */
  stakes?: Array<[string, number]>;
};

/** TRUST_PAIRS: vote to eliminate. */
export type VoteTrustPairsEliminate = {
  type: "VOTE.TRUST_PAIRS.ELIMINATE";
  targetId: string;
};

/** Client message VOTE.TRUST_PAIRS.ELIMINATE. TRUST_PAIRS: vote to eliminate. */
export type VoteTrustPairsEliminateMessage = {
  type: "VOTE.TRUST_PAIRS.ELIMINATE";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId: string;
};

/** TRUST_PAIRS: trust another player (mutual trust makes both immune). */
export type VoteTrustPairsTrust = {
  type: "VOTE.TRUST_PAIRS.TRUST";
  targetId: string;
};

/** Client message VOTE.TRUST_PAIRS.TRUST. TRUST_PAIRS: trust another player (mutual trust makes both immune). */
export type VoteTrustPairsTrustMessage = {
  type: "VOTE.TRUST_PAIRS.TRUST";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  targetId: string;
};

export type VoteType = "MAJORITY" | "BUBBLE" | "PODIUM_SACRIFICE" | "SECOND_TO_LAST" | "SHIELD" | "TRUST_PAIRS" | "EXECUTIONER" | "DUELS" | "FINALS";

export type Voting = {
  /** DUEL stage. */
  duelists?: Array<string>;
  electionTallies?: Array<[string, number]>;
  /** PICK stage. */
  executioner?: string;
  /** Who has acted in the current stage; never whom they named. */
  hasVoted: Array<string>;
  immune: Array<string>;
  mechanism: VoteType;
  myPick: string | null;
  myStake: number | null;
  myVote: string | null;
  nominationTallies?: Array<[string, number]>;
  stage: "VOTE" | "PICK" | "DUEL";
  targets: Array<string>;
  tieBreak?: string | null;
  voters: Array<string>;
};

/** `ACTIVITY.WYR.CHOOSE {choice}`. */
export type WyrChoice = "A" | "B";

/** The `type` of every client message. */
export type ClientMessageType = ClientMessage["type"];

/** The `type` of every journal input. */
export type CommandType = Command["type"];

/** The `type` of every fact. */
export type FactType = Fact["type"];

/** The `type` of every admin request. */
export type AdminRequestType = AdminRequest["type"];
