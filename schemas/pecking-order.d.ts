// Generated from the JSON Schemas in this folder by `make schemas`
// (src/schema/ts.rs). Do not edit: tests/it/schemas/ fails when this file is not what the code
// generates, and type-checks it with tsc.

/** A DETECTIVE's accusation. */
export type Accusation = {
  day: number;
  targetId: string;
};

/** One step of a day's timeline. Serialized as SCREAMING_SNAKE_CASE, as in manifests. */
export type Action = ("OPEN_GROUP_CHAT" | "CLOSE_GROUP_CHAT" | "OPEN_DMS" | "CLOSE_DMS" | "END_GAME" | "START_ACTIVITY" | "END_ACTIVITY" | "START_DILEMMA" | "END_DILEMMA" | "OPEN_VOTING" | "CLOSE_VOTING" | "START_CONFESSION_CHAT" | "END_CONFESSION_CHAT" | "END_DAY") | "START_DAY" | "START_GAME" | "GAME_TIMER" | "ELIMINATE";

/** Today's running game: its type and start, and what the viewer may see of it. */
export type ActiveGameView = {
  gameType: GameType;
  /** ms since the Unix epoch. */
  startedAtMs: number;
} & (ArcadeView | TriviaView | BetBetBetView | TheSplitView | BlindAuctionView | KingsRansomView | RealtimeTriviaView | TouchScreenView);

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

/** The START_ACTIVITY payload: the prompt's type, text and options (`docs/content.md` §1.1). */
export type ActivityPayload = {
  /** The prototype lobby's announcement text and question id: accepted and not used. */
  msg?: string | null;
  optionA?: string | null;
  optionB?: string | null;
  options?: Array<string> | null;
  promptId?: string | null;
  promptText?: string | null;
  promptType?: PromptType | null;
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

/** A finished prompt's outcome and what it paid. */
export type ActivityResult = {
  outcome: PromptOutcome;
  /** `[player id, silver delta]`. */
  rewards: Array<[string, number]>;
  timedOut: boolean;
};

/** Today's prompt as the viewer may see it. */
export type ActivityView = {
  day: number;
  eligible: Array<string>;
  /** Second stage: the anonymous list (no authors). */
  entries?: Array<AnonymousEntry>;
  /** An eligible viewer's own answer (null before they answer). */
  myAnswer?: AnswerView | null;
  /** After the first stage: the index of the viewer's own text in the anonymous list. */
  myEntryIndex?: number | null;
  mySecond?: SecondView | null;
  options: Array<string>;
  promptId: string | null;
  promptText: string;
  promptType: PromptType;
  responded: Array<string>;
  result?: ActivityResult;
  stage: PromptStage;
  /** Second stage: who has voted or guessed. */
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

/** The operator ends a game that will not finish (pregame, day or night): it is over without a winner, and the seed is revealed as after any end; `reason` is only recorded. */
export type AdminAbandonGame = {
  type: "ADMIN.ABANDON_GAME";
  reason?: string | null;
};

/** Admin request ABANDON_GAME: journaled as an ADMIN entry ADMIN.ABANDON_GAME. The operator ends a game that will not finish (pregame, day or night): it is over without a winner, and the seed is revealed as after any end; `reason` is only recorded. */
export type AdminAbandonGameRequest = {
  type: "ABANDON_GAME";
  reason?: string | null;
};

/** Admin request CHECKPOINT: answered by the route, nothing journaled. Journal a signed checkpoint now (a SYSTEM.CHECKPOINT entry) and send it to every socket; the answer holds the signed note (docs/audit.md). 503 CHECKPOINT_KEY_MISSING without the secret CHECKPOINT_KEY. */
export type AdminCheckpointRequest = {
  type: "CHECKPOINT";
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

/** The operator drops every pending task (the prototype console's flush): the timeline stops moving by itself; NEXT_STAGE and INJECT_TIMELINE_EVENT still move the game. */
export type AdminFlushTasks = {
  type: "ADMIN.FLUSH_TASKS";
};

/** Admin request FLUSH_TASKS: journaled as an ADMIN entry ADMIN.FLUSH_TASKS. The operator drops every pending task (the prototype console's flush): the timeline stops moving by itself; NEXT_STAGE and INJECT_TIMELINE_EVENT still move the game. */
export type AdminFlushTasksRequest = {
  type: "FLUSH_TASKS";
};

/** Admin request INJECT_TIMELINE_EVENT with the action INJECT_PROMPT: The prototype console's timeline action INJECT_PROMPT: the Game Master speaks, journaled as ADMIN.SEND_GAME_MASTER_MSG `{content, targetId?}` (content = `payload.text`, else `payload.msg`, else "The Game Master speaks..."; docs/protocol.md, "`POST …/admin`"). Every other INJECT_TIMELINE_EVENT is the journaled ADMIN.INJECT_TIMELINE_EVENT. */
export type AdminInjectPromptRequest = {
  type: "INJECT_TIMELINE_EVENT";
  action: InjectPromptAction;
  payload?: InjectPromptPayload | null;
};

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
export type AdminRequest = AdminNextStageRequest | AdminInjectTimelineEventRequest | AdminEliminatePlayerRequest | AdminSendGameMasterMsgRequest | AdminUpdatePushConfigRequest | AdminFlushTasksRequest | AdminCreditSilverRequest | AdminAbandonGameRequest | AdminListTasksRequest | AdminDevFailD1Request | AdminCheckpointRequest | AdminSendPlayerEventRequest | AdminInjectPromptRequest;

/** A 200 answer of `POST …/admin`. */
export type AdminResponse = JournaledResponse | TaskListResponse | DevFailD1Response | CheckpointResponse;

/** The Game Master speaks: to MAIN, or privately to `targetId` (any phase but game over). */
export type AdminSendGameMasterMsg = {
  type: "ADMIN.SEND_GAME_MASTER_MSG";
  content: string;
  targetId?: string | null;
};

/** Admin request SEND_GAME_MASTER_MSG: journaled as an ADMIN entry ADMIN.SEND_GAME_MASTER_MSG. The Game Master speaks: to MAIN, or privately to `targetId` (any phase but game over). */
export type AdminSendGameMasterMsgRequest = {
  type: "SEND_GAME_MASTER_MSG";
  content: string;
  targetId?: string | null;
};

/** Admin request SEND_PLAYER_EVENT: answered by the route, nothing journaled. The prototype console's impersonation: `event` is a client message (docs/protocol.md, "WebSocket"), journaled as an ACTION entry of `senderId`, exactly as if that player had sent it (the engine decides; the entry's verdict is the answer). */
export type AdminSendPlayerEventRequest = {
  type: "SEND_PLAYER_EVENT";
  event: ClientMessage;
  senderId: string;
};

/** Switches push triggers on or off (a patch: triggers not named keep their setting). */
export type AdminUpdatePushConfig = {
  type: "ADMIN.UPDATE_PUSH_CONFIG";
  pushConfig: { [key: string]: boolean };
};

/** Admin request UPDATE_PUSH_CONFIG: journaled as an ADMIN entry ADMIN.UPDATE_PUSH_CONFIG. Switches push triggers on or off (a patch: triggers not named keep their setting). */
export type AdminUpdatePushConfigRequest = {
  type: "UPDATE_PUSH_CONFIG";
  pushConfig: { [key: string]: boolean };
};

/** A scheduled task firing, keyed by `(taskId, dueMs)`. */
export type AlarmFire = {
  type: "ALARM.FIRE";
  dueMs: number;
  taskId: string;
};

/** One text of the anonymous list (no author). */
export type AnonymousEntry = {
  index: number;
  text: string;
};

/** The viewer's own first-stage answer. */
export type AnswerView = {
  targetId: string;
} | {
  optionIndex: number;
} | {
  text: string;
};

export type ArcadePlayer = {
  /** What was credited, and whether by the deadline. */
  credited: [GameRun, boolean] | null;
  /** The result before the current retry (credited at the deadline if the retry is unfinished). */
  fallback: GameRun | null;
  playerId: string;
  /** The result awaiting SUBMIT or RETRY. */
  result: GameRun | null;
  stage: GameStage;
  startedAtMs: number;
};

/** Where one player of a solo game is. */
export type ArcadeProgress = {
  playerId: string;
  stage: GameStage;
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

/** An arcade game as one player sees it: everyone's stage, their own run, and the leaderboard once they have completed. */
export type ArcadeView = {
  difficultyPct: number;
  leaderboard: Array<LeaderboardRow> | null;
  levelSeed: number;
  mine: ArcadePlayer | null;
  progress: Array<ArcadeProgress>;
  timeLimitMs: number;
};

/** Which part of the open ballot runs (`voting.stage`). */
export type BallotStage = "VOTE" | "PICK" | "DUEL";

/** BET_BET_BET as one player sees it: who has bet, never how much (but their own). */
export type BetBetBetView = {
  eligible: Array<string>;
  myBet: number | null;
  submitted: Array<string>;
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

/** BLIND_AUCTION as one player sees it: who has bid, never what (but their own). */
export type BlindAuctionView = {
  eligible: Array<string>;
  myBid: Bid | null;
  slots: number;
  submitted: Array<string>;
};

/** BLITZ: rounds of roundSeconds, generated. */
export type BlitzManifest = {
  days?: null;
  /** BLITZ has no destinies. */
  destinies?: false | null;
  /** The prototype lobby's legacy game mode: `DEBUG_PECKING_ORDER` means ADMIN scheduling when `scheduling` is absent; otherwise not used. */
  gameMode?: LobbyGameMode | null;
  /** The prototype lobby's manifest id (`manifest-<gameId>`): accepted and not used. */
  id?: string | null;
  initialGoldPool?: number | null;
  kind?: Kind | null;
  /** Most players the lobby will let join (the prototype's: declared, not enforced here either; the roster's bound is 20). */
  maxPlayers?: number | null;
  /** Fewest players needed to start a DYNAMIC game (default 3). */
  minPlayers?: number | null;
  mode: "BLITZ";
  /** The MOLE completes when the final gold pool is below this (default 50). */
  moleThreshold?: number | null;
  /** Which push notifications the game sends, by trigger (`DM_SENT`, `ELIMINATION`…; absent triggers are on). Kept as sent in the journaled SYSTEM.INIT. */
  pushConfig?: { [key: string]: boolean } | null;
  /** BLITZ round length (default 180). */
  roundSeconds?: number | null;
  ruleset?: null;
  /** Timings of the generated timelines (default DEFAULT). */
  schedulePreset?: Preset | null;
  scheduling?: Scheduling | null;
  /** When day 1 (or the BLITZ game) starts. */
  startTime: string;
};

export type ChannelKind = "DM" | "GROUP_DM";

/** One line of MAIN chat: a message, or a whisper the viewer may not read. */
export type ChatEntry = ChatMessage | RedactedWhisper;

/** A chat message as its readers see it. */
export type ChatMessage = {
  /** ms since the Unix epoch. */
  atMs: number;
  content: string;
  from: string;
  id: number;
  /** Players it names. */
  mentionedIds?: Array<string>;
  reactions: Array<Reaction>;
  /** The message of the same channel this one answers. */
  replyTo?: number;
  /** A whisper, as its two players see it. */
  whisper?: true;
  whisperTo?: string;
};

/** The answer to `CHECKPOINT`: the checkpoint entry's seq, the last entry it covers, that entry's hash, and the signed note (C2SP signed-note text). */
export type CheckpointResponse = {
  /** The SYSTEM.CHECKPOINT entry. */
  entrySeq: number;
  head: Hash;
  note: string;
  /** The last entry the checkpoint covers (`entrySeq - 1`). */
  seq: number;
};

/** The answer to `POST …/cleanup`: what the tombstone keeps. */
export type CleanupResponse = {
  /** When the room's storage was deleted (ms since the Unix epoch). */
  cleanedAtMs: number;
  gameId: string;
  /** Its hash: the head of the chain D1 holds. */
  head: string;
  /** The last seq, verified in D1. */
  seq: number;
};

/** A WebSocket frame a player sends: one of the client message types, with an optional `ref`. */
export type ClientMessage = PregameRevealAnswerMessage | SocialSendMsgMessage | SocialCreateChannelMessage | SocialAddMemberMessage | SocialAcceptDmMessage | SocialDeclineDmMessage | SocialReactMessage | SocialNudgeMessage | SocialWhisperMessage | SocialUsePerkMessage | SocialSendSilverMessage | ConfessionPostMessage | DestinyAccuseMessage | VoteMajorityCastMessage | VoteBubbleCastMessage | VotePodiumSacrificeCastMessage | VoteShieldSaveMessage | VoteTrustPairsTrustMessage | VoteTrustPairsEliminateMessage | VoteExecutionerElectMessage | VoteExecutionerPickMessage | VoteDuelsCastMessage | VoteDuelsDuelMessage | VoteFinalsCastMessage | ActivityPromptSubmitMessage | ActivityWyrChooseMessage | ActivityHottakeRespondMessage | ActivityConfessionSubmitMessage | ActivityConfessionVoteMessage | ActivityGuesswhoAnswerMessage | ActivityGuesswhoGuessMessage | DilemmaSilverGambitSubmitMessage | DilemmaSpotlightSubmitMessage | DilemmaGiftOrGriefSubmitMessage | GameArcadeStartMessage | GameArcadeResultMessage | GameSubmitMessage | GameRetryMessage | GameTriviaStartMessage | GameTriviaAnswerMessage | GameBetBetBetSubmitMessage | GameTheSplitSubmitMessage | GameBlindAuctionSubmitMessage | GameKingsRansomSubmitMessage | GameRealtimeTriviaAnswerMessage | GameTouchScreenStartMessage | GameTouchScreenReadyMessage | GameTouchScreenTouchMessage | GameTouchScreenReleaseMessage | PresenceTypingMessage | PresenceStopTypingMessage | SystemResyncMessage;

/** Every input the engine journals, as `{type, ...payload}`: a row's `payload` is this object without `type`. */
export type Command = SystemInit | SystemPlayerJoined | SystemPlayerConnected | PregameRevealAnswer | SystemRevealSeed | SystemCheckpoint | AlarmFire | AdminNextStage | AdminInjectTimelineEvent | AdminEliminatePlayer | AdminSendGameMasterMsg | AdminUpdatePushConfig | AdminFlushTasks | AdminCreditSilver | AdminAbandonGame | SocialSendMsg | SocialCreateChannel | SocialAddMember | SocialAcceptDm | SocialDeclineDm | SocialReact | SocialNudge | SocialWhisper | SocialUsePerk | SocialSendSilver | ConfessionPost | DestinyAccuse | VoteMajorityCast | VoteBubbleCast | VotePodiumSacrificeCast | VoteShieldSave | VoteTrustPairsTrust | VoteTrustPairsEliminate | VoteExecutionerElect | VoteExecutionerPick | VoteDuelsCast | VoteDuelsDuel | VoteFinalsCast | ActivityPromptSubmit | ActivityWyrChoose | ActivityHottakeRespond | ActivityConfessionSubmit | ActivityConfessionVote | ActivityGuesswhoAnswer | ActivityGuesswhoGuess | DilemmaSilverGambitSubmit | DilemmaSpotlightSubmit | DilemmaGiftOrGriefSubmit | GameArcadeStart | GameArcadeResult | GameSubmit | GameRetry | GameTriviaStart | GameTriviaAnswer | GameBetBetBetSubmit | GameTheSplitSubmit | GameBlindAuctionSubmit | GameKingsRansomSubmit | GameRealtimeTriviaAnswer | GameTouchScreenStart | GameTouchScreenReady | GameTouchScreenTouch | GameTouchScreenRelease;

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

/** One anonymous confession post. */
export type ConfessionPostView = {
  atMs: number;
  handle: string;
  id: number;
  text: string;
};

/** The open confession phase: handles, never who is behind them (but the viewer's own). */
export type ConfessionView = {
  /** Always true: a phase is open (the view is null otherwise). */
  active: true;
  channelId: string;
  /** When the phase is due to close (ms since the Unix epoch), if it is scheduled. */
  closesAt: number | null;
  day: number;
  handleCount: number;
  myHandle: string | null;
  posts: Array<ConfessionPostView>;
};

/** The journal's chain head at the end of one finished day. */
export type DayHead = {
  day: number;
  head: Hash;
};

/** One operation of a SYSTEM.DELTA (an RFC 6902 operation restricted to three kinds). */
export type DeltaOp = {
  op: "add";
  path: string;
  value: unknown;
} | {
  op: "remove";
  path: string;
} | {
  op: "replace";
  path: string;
  value: unknown;
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

/** One destiny as the viewer may see it. */
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

/** Whether a dilemma still takes decisions or has been revealed. */
export type DilemmaPhase = "COLLECTING" | "REVEAL";

/** A revealed dilemma: every decision and what it paid. */
export type DilemmaResult = {
  /** `[player id, decision]` in submission order; a decision is DONATE, KEEP or a player id. */
  decisions: Array<[string, string]>;
  eligible: number;
  outcome: DilemmaOutcome;
  /** `[player id, silver delta]`. */
  rewards: Array<[string, number]>;
  submitted: number;
  summary: string;
  timedOut: boolean;
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

/** Today's dilemma as the viewer may see it: who has decided, never what, until the reveal. */
export type DilemmaView = {
  day: number;
  dilemmaType: DilemmaType;
  eligible: Array<string>;
  /** An eligible viewer's own decision (null before they decide). */
  myDecision?: string | null;
  phase: DilemmaPhase;
  result?: DilemmaResult;
  rules: string;
  submitted: Array<string>;
};

/** A DM or group DM the viewer can read. */
export type DmChannel = {
  channelId: string;
  creator: string;
  kind: ChannelKind;
  members: Array<string>;
  messages: Array<ChatMessage>;
  pending: Array<string>;
  status: Membership;
};

/** Today's social rules (public). */
export type DmRules = {
  disableNudgeThrottle: boolean;
  dmCharsPerPlayer: number;
  dmCost: number;
  dmPartnersPerPlayer: number;
  dmSlotsPerPlayer: number;
  groupDmEnabled: boolean;
  maxGroupsPerDay: number;
  requireDmInvite: boolean;
};

/** The viewer's limits today and their use. */
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

/** DYNAMIC PECKING_ORDER: each day is resolved from the ruleset the morning it starts. */
export type DynamicManifest = {
  /** Empty (the prototype lobby sends []). */
  days?: unknown[] | null;
  /** Whether secret destinies are dealt (default: true, BLITZ: false). */
  destinies?: boolean | null;
  /** The prototype lobby's legacy game mode: `DEBUG_PECKING_ORDER` means ADMIN scheduling when `scheduling` is absent; otherwise not used. */
  gameMode?: LobbyGameMode | null;
  /** The prototype lobby's manifest id (`manifest-<gameId>`): accepted and not used. */
  id?: string | null;
  initialGoldPool?: number | null;
  kind: "DYNAMIC";
  /** Most players the lobby will let join (the prototype's: declared, not enforced here either; the roster's bound is 20). */
  maxPlayers?: number | null;
  /** Fewest players needed to start a DYNAMIC game (default 3). */
  minPlayers?: number | null;
  /** Default PECKING_ORDER. */
  mode?: "PECKING_ORDER" | null;
  /** The MOLE completes when the final gold pool is below this (default 50). */
  moleThreshold?: number | null;
  /** Which push notifications the game sends, by trigger (`DM_SENT`, `ELIMINATION`…; absent triggers are on). Kept as sent in the journaled SYSTEM.INIT. */
  pushConfig?: { [key: string]: boolean } | null;
  /** BLITZ round length (default 180). */
  roundSeconds?: number | null;
  ruleset?: Ruleset | null;
  /** Timings of the generated timelines (default DEFAULT). */
  schedulePreset?: Preset | null;
  scheduling?: Scheduling | null;
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
  type: "PUSH_CONFIG_UPDATED";
  pushConfig: { [key: string]: boolean };
} | {
  type: "GAME_MASTER_MESSAGE";
  content: string;
  playerId: string;
} | {
  type: "PREGAME_CONNECTED";
  playerId: string;
  qaCount: number;
} | {
  type: "QA_REVEALED";
  answer: string;
  auto: boolean;
  playerId: string;
  qIndex: number;
  question: string;
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
  /** Players it names; absent when none. */
  mentionedIds?: Array<string>;
  /** The message (same channel) this one answers; absent when none. */
  replyTo?: number | null;
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
  type: "GAME_ABANDONED";
  day: number;
  reason: string | null;
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
  /** Players it names; absent when none. */
  mentionedIds?: Array<string>;
  messageId: number;
  /** The message (same conversation) this one answers; absent when none. */
  replyTo?: number | null;
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
  /** Rules version 2: the message's channel (`MAIN` or a conversation's id); absent in version-1 games, whose ids are unique across channels. */
  channelId?: string | null;
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
  type: "TRIVIA_ROUND_REVEALED";
  gameType: GameType;
  round: RtRound;
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

/** One bad field of a manifest, roster or /init body (the items of an HTTP error's `fields`). */
export type FieldError = {
  /** What is wrong with it. */
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

export type GameRealtimeTriviaAnswer = {
  type: "GAME.REALTIME_TRIVIA.ANSWER";
  answerIndex: number;
};

/** Client message GAME.REALTIME_TRIVIA.ANSWER. */
export type GameRealtimeTriviaAnswerMessage = {
  type: "GAME.REALTIME_TRIVIA.ANSWER";
  answerIndex: number;
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

/** One reported (or trivia-scored) result and what it is worth. */
export type GameRun = {
  gold: number;
  scores: { [key: string]: number };
  silver: number;
};

export type GameStage = "NOT_STARTED" | "PLAYING" | "AWAITING_DECISION" | "COMPLETED";

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
} | {
  REALTIME_TRIVIA: RealtimeTriviaSummary;
} | {
  TOUCH_SCREEN: TouchScreenSummary;
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

export type GameTouchScreenReady = {
  type: "GAME.TOUCH_SCREEN.READY";
};

/** Client message GAME.TOUCH_SCREEN.READY. */
export type GameTouchScreenReadyMessage = {
  type: "GAME.TOUCH_SCREEN.READY";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

export type GameTouchScreenRelease = {
  type: "GAME.TOUCH_SCREEN.RELEASE";
};

/** Client message GAME.TOUCH_SCREEN.RELEASE. */
export type GameTouchScreenReleaseMessage = {
  type: "GAME.TOUCH_SCREEN.RELEASE";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

export type GameTouchScreenStart = {
  type: "GAME.TOUCH_SCREEN.START";
};

/** Client message GAME.TOUCH_SCREEN.START. */
export type GameTouchScreenStartMessage = {
  type: "GAME.TOUCH_SCREEN.START";
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

export type GameTouchScreenTouch = {
  type: "GAME.TOUCH_SCREEN.TOUCH";
};

/** Client message GAME.TOUCH_SCREEN.TOUCH. */
export type GameTouchScreenTouchMessage = {
  type: "GAME.TOUCH_SCREEN.TOUCH";
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

/** Every game of the prototype's catalogue (docs/games.md). Not all are implemented; see `GameType::is_supported`. */
export type GameType = "TRIVIA" | "REALTIME_TRIVIA" | "BET_BET_BET" | "THE_SPLIT" | "BLIND_AUCTION" | "KINGS_RANSOM" | "TOUCH_SCREEN" | "GAP_RUN" | "GRID_PUSH" | "SEQUENCE" | "REACTION_TIME" | "COLOR_MATCH" | "STACKER" | "QUICK_MATH" | "SIMON_SAYS" | "AIM_TRAINER" | "SHOCKWAVE" | "ORBIT" | "BEAT_DROP" | "INFLATE" | "SNAKE" | "FLAPPY" | "COLOR_SORT" | "BLINK" | "RECALL";

/** A running game's projection: the engine's `projection::GameView` and the chain heads of finished days. */
export type GameView = {
  accusations: Array<Accusation>;
  activity: ActivityView | null;
  /** Today's MAIN chat. */
  chat: Array<ChatEntry>;
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
  /** Daily games: today's game as the viewer may see it, results and effects. */
  games: GamesView;
  /** The viewer's private messages from the Game Master (absent while none). */
  gmMessages?: Array<GmMessageView>;
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
  /** The Q&A answers revealed in the pregame, in reveal order (public; absent while none). */
  qaRevealed?: Array<RevealedView>;
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

/** The games part of a projection: today's game, the running game as the viewer may see it, past results and effects (public). */
export type GamesView = {
  active: ActiveGameView | null;
  effects: Array<Effect>;
  results: Array<GameRecord>;
  today: GameType | null;
};

/** What the viewer's Game Master channel holds. */
export type GmMessageView = {
  atMs: number;
  content: string;
  day: number;
};

/** A blake3 hash: 64 hex digits (written lowercase; read in either case). */
export type Hash = string;

/** The body of every refused HTTP request: `{"error": {"code", "message", "fields"?}}` (`schemas/http-error.schema.json`). */
export type HttpError = {
  error: HttpErrorBody;
};

/** What an `HttpError` says. */
export type HttpErrorBody = {
  code: HttpErrorCode;
  /** INVALID_MANIFEST: every bad field; INVALID_FIELDS of `POST …/admin`: the first bad field. */
  fields?: Array<FieldError>;
  message: string;
};

/** The `code` of an HTTP error body: the route's own (RouteErrorCode), a refused /init or player-joined body (RoomErrorCode), a refused admin body (AdminErrorCode), or the engine's refusal (RejectionCode, HTTP 409). */
export type HttpErrorCode = RouteErrorCode | RoomErrorCode | AdminErrorCode | RejectionCode;

/** What INACTIVITY does to a player at the threshold. */
export type InactivityAction = "ELIMINATE" | "NUDGE_THEN_ELIMINATE";

/** The viewer's own inactivity counter. */
export type InactivityView = {
  action: InactivityAction;
  activeToday: boolean;
  atRisk: boolean;
  consecutiveInactiveDays: number;
  thresholdDays: number;
};

/** The body of `POST …/init`. The manifest and roster are kept as sent (they are journaled as such in SYSTEM.INIT) and parsed by `engine::manifest::parse_manifest` and `engine::roster::parse_roster`, which report each bad field with its path. */
export type InitBody = {
  /** Accepted and not used. */
  inviteCode?: string | null;
  /** The prototype lobby's id for its lobby session: accepted and not used. */
  lobbyId?: string | null;
  manifest: Manifest;
  /** A PECKING_ORDER game (STATIC or DYNAMIC) may start with no roster (players join in pregame); a BLITZ game needs a roster of at least 2. */
  roster?: Roster | null;
};

/** The one action of the console's INJECT_PROMPT request. */
export type InjectPromptAction = "INJECT_PROMPT";

/** INJECT_PROMPT's payload, as the prototype console sends it. */
export type InjectPromptPayload = {
  /** The prototype's older name of `text`, read when `text` is absent or empty. */
  msg?: string | null;
  /** A player: the message goes to their Game Master channel only; absent: to MAIN. */
  targetId?: string | null;
  /** The message (1–280 characters once trimmed). */
  text?: string | null;
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

export type Kind = "STATIC" | "DYNAMIC";

export type KingsAction = "STEAL" | "PROTECT";

export type KingsOutcome = "PROTECT_WINS" | "STEAL_WINS" | "TIE";

/** KINGS_RANSOM as one player sees it: the king, the vault and who has decided. */
export type KingsRansomView = {
  eligible: Array<string>;
  king: string | null;
  myDecision: KingsAction | null;
  submitted: Array<string>;
  vault: number;
};

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

/** One completed player's silver on a solo game's leaderboard. */
export type LeaderboardRow = {
  playerId: string;
  silver: number;
};

/** Where a game is in its life (docs/protocol.md, "Lifecycle"): the operator's `GET …/state` and the D1 `games` row say the same. */
export type Lifecycle = "ACTIVE" | "COMPLETED" | "ABANDONED";

/** The prototype lobby's legacy `manifest.gameMode` (a game-wide mode, unlike a day's). */
export type LobbyGameMode = "PECKING_ORDER" | "CONFIGURABLE_CYCLE" | "DEBUG_PECKING_ORDER";

/** One log line: the room, its journal head, the event and how it went. */
export type LogLine = {
  /** When the step happened (ms since the Unix epoch), from the host's clock. */
  atMs: number;
  /** The room's game id (absent when the request named none). */
  gameId?: string | null;
  outcome: Outcome;
  /** The journal entry's seq for `entry`, otherwise the room's head after the step (0: no room loaded). */
  seq: number;
} & ({
  kind: "init";
  players: number;
} | {
  actor: string;
  /** The rules' refusal code, for a rejected entry. */
  code?: string | null;
  /** The input's type (`SOCIAL.SEND_MSG`, `INJECT_TIMELINE_EVENT`, …); never its payload. */
  command: string;
  entryKind: EntryKind;
  kind: "entry";
} | {
  code: string;
  kind: "refused";
  /** The error's message, for an INTERNAL error only. */
  message?: string | null;
  status: number;
} | {
  /** Entries in the batch (0: it failed before it was sent). */
  entries: number;
  error?: string | null;
  /** Consecutive failed flushes so far (0 after a success). */
  failures: number;
  kind: "d1Flush";
  /** From sending the batch to D1's answer. */
  ms: number;
  /** The batch's last seq. */
  upTo: number;
} | {
  /** Tasks fired (entries journaled). */
  fired: number;
  kind: "alarm";
  /** How long after the time this instance armed it (absent: armed by another instance). */
  lateMs?: number | null;
} | {
  kind: "load";
  sockets: number;
} | {
  droppedUpTo: number;
  kind: "compaction";
  rows: number;
} | {
  kind: "cleanup";
} | {
  code: number;
  kind: "socketClose";
  reason: string;
} | {
  kind: "error";
  message: string;
});

/** A STATIC manifest lists its days; a DYNAMIC one resolves each day from its ruleset; BLITZ generates rounds. */
export type Manifest = StaticManifest | DynamicManifest | BlitzManifest;

/** Whether the viewer is a member of a conversation or only invited. */
export type Membership = "MEMBER" | "INVITED";

export type Mode = "PECKING_ORDER" | "BLITZ";

/** A scheduled task: the room's alarm queue (`GET …/state`, `LIST_TASKS`) and a projection's `nextTasks`. */
export type NextTask = {
  /** The timeline action it runs. */
  action: Action;
  /** When it fires, in ms since the Unix epoch. */
  dueMs: number;
  taskId: string;
};

/** Nudges the viewer received, per sender. */
export type NudgeReceived = {
  count: number;
  from: string;
};

/** Nudges the viewer sent, per recipient. */
export type NudgeSent = {
  count: number;
  to: string;
};

export type Nudges = {
  received: Array<NudgeReceived>;
  sent: Array<NudgeSent>;
};

/** How an event went. */
export type Outcome = "ok" | "rejected" | "refused" | "failed";

/** What a perk the viewer bought revealed. */
export type PerkResult = {
  atMs: number;
  day: number;
  messages: Array<SpiedMessage>;
  perkType: PerkType;
  targetId: string | null;
};

/** Perks a player can buy with silver (`SOCIAL.USE_PERK`). */
export type PerkType = "SPY_DMS" | "EXTRA_DM_CHARS" | "EXTRA_DM_PARTNER";

export type Phase = "PRE_GAME" | "DAY" | "NIGHT" | "GAME_SUMMARY" | "GAME_OVER";

/** One player of an `/init` roster or a `POST …/player-joined` body, as the lobby sends it. Absent and `null` optional fields are the same (older lobbies send `null`). */
export type Player = {
  avatarUrl?: string | null;
  bio?: string | null;
  destinyId?: string | null;
  gold?: number | null;
  /** The player id (in the keyed roster form, the key when `id` and `playerId` are absent). */
  id?: PlayerId | null;
  isAlive?: boolean | null;
  isSpectator?: boolean | null;
  personaName: string;
  /** Used when id is absent. */
  playerId?: PlayerId | null;
  /** The player's answers to the lobby's questions, revealed one at a time in pregame. */
  qaAnswers?: Array<QaEntry> | null;
  realUserId?: string | null;
  /** Starting silver (default 50). */
  silver?: number | null;
};

/** 1-32 characters of A-Z a-z 0-9 _ -, not a reserved actor name. */
export type PlayerId = string;

/** In the pregame, a player reveals one of their Q&A answers by hand (while none is). */
export type PregameRevealAnswer = {
  type: "PREGAME.REVEAL_ANSWER";
  qIndex: number;
};

/** Client message PREGAME.REVEAL_ANSWER. In the pregame, a player reveals one of their Q&A answers by hand (while none is). */
export type PregameRevealAnswerMessage = {
  type: "PREGAME.REVEAL_ANSWER";
  qIndex: number;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
};

/** Client message PRESENCE.STOP_TYPING (relayed, never journaled). The player stopped typing there. */
export type PresenceStopTypingMessage = {
  type: "PRESENCE.STOP_TYPING";
  channelId: string;
  /** The client's correlation id, echoed in the ERROR that refuses this signal (an accepted signal has no answer). */
  ref?: string;
};

/** Client message PRESENCE.TYPING (relayed, never journaled). The player is typing in `channelId` (`MAIN` or a conversation they are a member of). */
export type PresenceTypingMessage = {
  type: "PRESENCE.TYPING";
  channelId: string;
  /** The client's correlation id, echoed in the ERROR that refuses this signal (an accepted signal has no answer). */
  ref?: string;
};

/** A schedule preset: offsets of each action from the day's start, and the stride to the next day. */
export type Preset = ("DEFAULT" | "COMPACT" | "SMOKE_TEST" | "SPEED_RUN") | "PLAYTEST" | "PLAYTEST_SHORT" | "PLAYTEST_NEXT";

export type Prize = ("SHIELD" | "CURSE_NO_DM" | "CURSE_HALF_VOTE") | {
  SILVER: number;
};

/** What one player (or, with `you: null`, anyone) may see (the `state` of SYSTEM.SYNC). Votes, stakes, decisions, answers, handles and other players' DMs stay out until their reveal. */
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

/** One of a player's Q&A answers, as the lobby sends it (`{question, answer, narratorIntro?}`). */
export type QaEntry = {
  answer: string;
  narratorIntro?: string | null;
  question: string;
};

/** Who reacted to a message with one emoji. */
export type Reaction = {
  emoji: ReactionEmoji;
  players: Array<string>;
};

export type ReactionEmoji = "😂" | "👀" | "🔥" | "💀" | "❤️";

export type RealtimeTriviaSummary = {
  goldContribution: number;
  /** Every player of the game, roster order. */
  players: Array<RtRow>;
  rounds: Array<RtRound>;
};

/** REALTIME_TRIVIA as one player sees it. */
export type RealtimeTriviaView = {
  /** Who has answered the open question (not what). */
  answered: Array<string>;
  /** The viewer's answer to the open question (shown position). */
  myAnswer: number | null;
  phase: RtPhase;
  /** When the open question closes at the latest, or when the shown result ends. */
  phaseEndsAtMs: number | null;
  phaseStartedAtMs: number;
  players: Array<string>;
  /** The open question (text and options only). */
  question: RtQuestionView | null;
  questionMs: number;
  resultMs: number;
  /** Closed questions, with the right option and every answer. */
  revealed: Array<RtRound>;
  /** 1-based: the question open or whose result is shown. */
  round: number;
  rounds: number;
  /** Silver, gold and right answers over the closed questions. */
  totals: Array<RtRow>;
};

/** A whisper as everyone but its two players sees it. */
export type RedactedWhisper = {
  atMs: number;
  from: string;
  id: number;
  whisper: true;
};

/** An input the engine refused (journaled as REJECTED:<code>): engine::Rejection. */
export type RejectionCode = "NOT_INITIALISED" | "ALREADY_INITIALISED" | "WRONG_PHASE" | "UNKNOWN_PLAYER" | "PLAYER_ELIMINATED" | "TARGET_ELIMINATED" | "SELF_TARGET" | "GROUP_CHAT_CLOSED" | "EMPTY_TEXT" | "TEXT_TOO_LONG" | "INVALID_AMOUNT" | "INSUFFICIENT_SILVER" | "VOTING_CLOSED" | "WRONG_MECHANISM" | "NOT_ELIGIBLE_VOTER" | "NOT_ELIGIBLE_TARGET" | "TARGET_IMMUNE" | "WRONG_STAGE" | "UNKNOWN_TASK" | "TASK_NOT_DUE" | "TASK_OUT_OF_ORDER" | "SEED_MISMATCH" | "SEED_ALREADY_REVEALED" | "CHECKPOINT_MISMATCH" | "GAME_OVER" | "DUPLICATE_PLAYER" | "INVALID_INIT" | "UNSUPPORTED" | "UNSUPPORTED_RULES" | "NOT_PERMITTED" | "SEED_UNKNOWN" | "DMS_CLOSED" | "CONVERSATION_LIMIT" | "CHAR_LIMIT" | "PARTNER_LIMIT" | "GROUP_LIMIT" | "GROUP_DMS_DISABLED" | "SELF_DM" | "INVITE_REQUIRED" | "INVALID_MEMBERS" | "DUPLICATE_INVITE" | "UNAUTHORIZED" | "UNKNOWN_CHANNEL" | "CHANNEL_EXISTS" | "NO_RECIPIENTS" | "NO_PENDING_INVITE" | "UNKNOWN_MESSAGE" | "INVALID_EMOJI" | "NUDGE_THROTTLED" | "INVALID_PUSH_CONFIG" | "ALREADY_CONNECTED" | "UNKNOWN_QUESTION" | "ALREADY_REVEALED" | "TARGET_REQUIRED" | "TARGET_NOT_ALLOWED" | "NOT_DETECTIVE" | "ALREADY_ACCUSED_TODAY" | "ACTIVITY_CLOSED" | "WRONG_ACTIVITY" | "NOT_ELIGIBLE" | "ALREADY_RESPONDED" | "INVALID_CHOICE" | "DILEMMA_CLOSED" | "WRONG_DILEMMA" | "CONFESSION_CLOSED" | "NO_GAME" | "WRONG_GAME" | "NOT_IN_GAME" | "ALREADY_SUBMITTED" | "WRONG_GAME_STAGE" | "INVALID_SCORE" | "INVALID_ANSWER" | "INVALID_SLOT" | "NOT_YOUR_ROUND" | "TOO_LATE" | "TOO_EARLY" | "DM_CURSED";

/** A revealed answer as everyone sees it. */
export type RevealedView = {
  answer: string;
  narratorIntro?: string | null;
  playerId: string;
  qIndex: number;
  question: string;
};

/** A room-level failure (room::RoomError); an engine refusal carries its RejectionCode instead. */
export type RoomErrorCode = "MALFORMED_JSON" | "TOO_LARGE" | "INVALID_BODY" | "INVALID_MANIFEST" | "SNAPSHOT_UNUSABLE" | "CHAIN_BROKEN" | "DIVERGED";

/** One room as D1's `games` row says (docs/protocol.md, "Persistence and D1"). Its live state (phase, tasks, outbox lag) is the room's own `GET …/state`. */
export type RoomSummary = {
  /** The time of the ending entry, or null while the game runs. */
  completedAtMs: number | null;
  /** The time of entry 1 (ms since the Unix epoch). */
  createdAtMs: number;
  /** The highest journal seq D1 holds (0: none yet). The room's own head may be further: entries wait in its outbox (`outboxLag` of `GET …/state`). */
  d1HeadSeq: number;
  /** The seq of the ending entry, or null while the game runs. */
  endSeq: number | null;
  gameId: string;
  /** The manifest's mode (PECKING_ORDER, BLITZ …), as its GAME_CREATED fact says. */
  mode: string;
  /** Players D1 holds for the game. */
  players: number;
  status: Lifecycle;
  /** The winner, or null (running, abandoned, or no winner). */
  winnerPlayerId: string | null;
};

/** The answer to `GET /parties/game-server`: one page of rooms. */
export type RoomsResponse = {
  limit: number;
  /** The next page's `offset`, or null on the last page. */
  nextOffset: number | null;
  offset: number;
  /** Newest first. */
  rooms: Array<RoomSummary>;
  /** Rooms matching the filter, over all pages. */
  total: number;
};

/** The players of an `/init` body, in join order: an array, or the prototype's object keyed by player id (ordered by the number of `p<N>` ids, else by id). Ids must be unique. A STATIC or BLITZ game needs at least 2 players. `parse_roster` reads the two forms by hand (a serde `untagged` enum would report "did not match any variant" instead of the bad field). */
export type Roster = Array<Player> | { [key: string]: Player };

/** One player of the roster, as everyone sees them. */
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
export type RouteErrorCode = "BAD_GAME_ID" | "BAD_QUERY" | "BAD_BODY" | "UNAUTHORIZED" | "DEV_FAULTS_OFF" | "NOT_FOUND" | "ROOM_NOT_FOUND" | "METHOD_NOT_ALLOWED" | "ROOM_EXISTS" | "UPGRADE_REQUIRED" | "INTERNAL" | "STORAGE_FAILED" | "AUTH_NOT_CONFIGURED" | "D1_UNAVAILABLE" | "FROM_PAST_HEAD" | "GAME_NOT_FINISHED" | "D1_INCOMPLETE" | "ROOM_CLEANED_UP" | "CHECKPOINT_KEY_MISSING" | "INVALID_SUBSCRIPTION" | "PUSH_KEY_MISSING";

/** One player's answer to one question. */
export type RtAnswer = {
  /** The shown position chosen. */
  chosen: number;
  correct: boolean;
  elapsedMs: number;
  playerId: string;
  silver: number;
};

/** Where the shared game is. */
export type RtPhase = "QUESTION" | "RESULT" | "DONE";

/** The open question as everyone sees it: never which option is right. */
export type RtQuestionView = {
  options: Array<string>;
  text: string;
};

/** A closed question: the right option and every answer (public from the close on). */
export type RtRound = {
  /** In the order they arrived. */
  answers: Array<RtAnswer>;
  closedAtMs: number;
  correctIndex: number;
  options: Array<string>;
  question: number;
  /** 1-based. */
  round: number;
  shownAtMs: number;
  text: string;
};

export type RtRow = {
  correct: number;
  gold: number;
  playerId: string;
  silver: number;
};

/** `ruleset` of a DYNAMIC manifest: the rules each morning resolves its day from. */
export type Ruleset = {
  activities?: ({
    allowed: Array<PromptType>;
    /** Rotation only: never the same type two days running (default true). */
    avoidRepeat?: boolean | null;
    mode?: null;
    pool?: null;
    sequence?: null;
  } | {
    allowed?: null;
    /** Rotation only: never the same type two days running (default true). */
    avoidRepeat?: boolean | null;
    mode: "SEQUENCE";
    pool?: null;
    sequence: Array<PromptType>;
  } | {
    allowed?: null;
    /** Rotation only: never the same type two days running (default true). */
    avoidRepeat?: boolean | null;
    mode: "POOL";
    pool: Array<PromptType>;
    sequence?: null;
  } | {
    allowed?: null;
    /** Rotation only: never the same type two days running (default true). */
    avoidRepeat?: boolean | null;
    mode: "NONE";
    pool?: null;
    sequence?: null;
  }) | null;
  confessions?: {
    enabled?: boolean | null;
  } | null;
  dayCount?: {
    fixedCount?: number | null;
    maxDays?: number | null;
    mode?: "FIXED" | "ACTIVE_PLAYERS_MINUS_ONE" | null;
  } | null;
  dilemmas?: ({
    allowed: Array<DilemmaType>;
    /** Rotation only: never the same type two days running (default true). */
    avoidRepeat?: boolean | null;
    mode?: null;
    pool?: null;
    sequence?: null;
  } | {
    allowed?: null;
    /** Rotation only: never the same type two days running (default true). */
    avoidRepeat?: boolean | null;
    mode: "SEQUENCE";
    pool?: null;
    sequence: Array<DilemmaType>;
  } | {
    allowed?: null;
    /** Rotation only: never the same type two days running (default true). */
    avoidRepeat?: boolean | null;
    mode: "POOL";
    pool: Array<DilemmaType>;
    sequence?: null;
  } | {
    allowed?: null;
    /** Rotation only: never the same type two days running (default true). */
    avoidRepeat?: boolean | null;
    mode: "NONE";
    pool?: null;
    sequence?: null;
  }) | null;
  /** `ruleset.games`: `allowed` is rotated through and wins over the legacy `mode` with its `sequence` or `pool` (`docs/games.md`). */
  games?: {
    /** Rotated through; wins over mode. */
    allowed?: Array<"NONE" | "TRIVIA" | "REALTIME_TRIVIA" | "BET_BET_BET" | "THE_SPLIT" | "BLIND_AUCTION" | "KINGS_RANSOM" | "TOUCH_SCREEN" | "GAP_RUN" | "GRID_PUSH" | "SEQUENCE" | "REACTION_TIME" | "COLOR_MATCH" | "STACKER" | "QUICK_MATH" | "SIMON_SAYS" | "AIM_TRAINER" | "SHOCKWAVE" | "ORBIT" | "BEAT_DROP" | "INFLATE" | "SNAKE" | "FLAPPY" | "COLOR_SORT" | "BLINK" | "RECALL"> | null;
    avoidRepeat?: boolean | null;
    /** How a DYNAMIC list of types is read: its `mode`. */
    mode?: "SEQUENCE" | "POOL" | "NONE" | null;
    pool?: Array<"NONE" | "TRIVIA" | "REALTIME_TRIVIA" | "BET_BET_BET" | "THE_SPLIT" | "BLIND_AUCTION" | "KINGS_RANSOM" | "TOUCH_SCREEN" | "GAP_RUN" | "GRID_PUSH" | "SEQUENCE" | "REACTION_TIME" | "COLOR_MATCH" | "STACKER" | "QUICK_MATH" | "SIMON_SAYS" | "AIM_TRAINER" | "SHOCKWAVE" | "ORBIT" | "BEAT_DROP" | "INFLATE" | "SNAKE" | "FLAPPY" | "COLOR_SORT" | "BLINK" | "RECALL"> | null;
    sequence?: Array<"NONE" | "TRIVIA" | "REALTIME_TRIVIA" | "BET_BET_BET" | "THE_SPLIT" | "BLIND_AUCTION" | "KINGS_RANSOM" | "TOUCH_SCREEN" | "GAP_RUN" | "GRID_PUSH" | "SEQUENCE" | "REACTION_TIME" | "COLOR_MATCH" | "STACKER" | "QUICK_MATH" | "SIMON_SAYS" | "AIM_TRAINER" | "SHOCKWAVE" | "ORBIT" | "BEAT_DROP" | "INFLATE" | "SNAKE" | "FLAPPY" | "COLOR_SORT" | "BLINK" | "RECALL"> | null;
  } | null;
  inactivity?: {
    action?: InactivityAction | null;
    enabled?: boolean | null;
    thresholdDays?: number | null;
  } | null;
  /** `ruleset.kind`: the only ruleset this engine has. */
  kind?: "PECKING_ORDER" | null;
  social?: {
    disableNudgeThrottle?: boolean | null;
    /** A DYNAMIC social limit, resolved each morning. */
    dmChars?: {
      base: number;
      /** DIMINISHING only; default floor(0.3 × base). */
      floor?: number | null;
      /** How a DYNAMIC social limit is resolved each morning (docs/rules.md §10.2). */
      mode: "FIXED" | "PER_ACTIVE_PLAYER" | "DIMINISHING";
    } | null;
    dmCost?: number | null;
    /** A DYNAMIC social limit, resolved each morning. */
    dmPartners?: {
      base: number;
      /** DIMINISHING only; default floor(0.3 × base). */
      floor?: number | null;
      /** How a DYNAMIC social limit is resolved each morning (docs/rules.md §10.2). */
      mode: "FIXED" | "PER_ACTIVE_PLAYER" | "DIMINISHING";
    } | null;
    dmSlotsPerPlayer?: number | null;
    groupDmEnabled?: boolean | null;
    requireDmInvite?: boolean | null;
  } | null;
  voting?: {
    /** Vote types rotated through (default [MAJORITY]). */
    allowed?: Array<"MAJORITY" | "BUBBLE" | "PODIUM_SACRIFICE" | "SECOND_TO_LAST" | "SHIELD" | "TRUST_PAIRS" | "EXECUTIONER" | "DUELS" | "FINALS"> | null;
    /** The prototype's per-type player minimums: accepted and not used (each mechanism's own minimum applies). */
    constraints?: Array<{
      minPlayers: number;
      voteType: "MAJORITY" | "BUBBLE" | "PODIUM_SACRIFICE" | "SECOND_TO_LAST" | "SHIELD" | "TRUST_PAIRS" | "EXECUTIONER" | "DUELS" | "FINALS";
    }> | null;
    /** The prototype's: SEQUENCE rotates through `sequence`, POOL through `pool` (NONE is refused: every day has a vote). */
    mode?: "SEQUENCE" | "POOL" | "NONE" | null;
    pool?: Array<"MAJORITY" | "BUBBLE" | "PODIUM_SACRIFICE" | "SECOND_TO_LAST" | "SHIELD" | "TRUST_PAIRS" | "EXECUTIONER" | "DUELS" | "FINALS"> | null;
    sequence?: Array<"MAJORITY" | "BUBBLE" | "PODIUM_SACRIFICE" | "SECOND_TO_LAST" | "SHIELD" | "TRUST_PAIRS" | "EXECUTIONER" | "DUELS" | "FINALS"> | null;
  } | null;
};

/** One pending task of `ScheduledTasksResponse`. */
export type ScheduledTask = {
  /** The timeline action it runs. */
  action: Action;
  /** When it fires, in ms since the Unix epoch. */
  dueMs: number;
  /** The task's id (`taskId`). */
  id: string;
  /** When it fires, in whole seconds since the Unix epoch (rounded down), as the prototype gave it. */
  time: number;
};

/** The answer to `GET …/scheduled-tasks` (the prototype console's task list): the AlarmManager's queue in firing order, as LIST_TASKS lists it, with the prototype's `{id, time}` beside ours. */
export type ScheduledTasksResponse = {
  /** How many tasks are pending. */
  count: number;
  tasks: Array<ScheduledTask>;
};

export type Scheduling = "PRE_SCHEDULED" | "ADMIN";

/** The viewer's own second-stage answer. */
export type SecondView = {
  confessionIndex: number;
} | {
  guesses: { [key: string]: string };
};

/** The action sent with this `ref` was journaled as entry `seq` and accepted. With `head`, the hash of that entry (the chain head right after it), it is the player's receipt: a journal that does not have `head` at `seq` was rewritten (`po-replay receipt-check`, docs/audit.md). */
export type ServerAck = {
  type: "ACK";
  head: Hash;
  ref: string | null;
  seq: number;
};

/** A signed checkpoint (docs/audit.md), to every socket when the room journals one: at each day's end, after the seed reveal and on an operator's request. `note` is the C2SP signed-note text; `seq` is the last entry it covers and `head` that entry's hash. Clients keep it: it is the evidence that the journal had `head` at `seq`. */
export type ServerCheckpoint = {
  type: "CHECKPOINT";
  head: Hash;
  note: string;
  seq: number;
};

/** What changed in the receiving player's projection since the frame of version `base` (the last SYNC or DELTA this socket got, or the version it resumed from): RFC 6902 operations that turn that projection into the one of version `v`. */
export type ServerDelta = {
  type: "SYSTEM.DELTA";
  base: number;
  ops: Array<DeltaOp>;
  v: number;
};

/** The action sent with this `ref` was refused: a `ProtocolError` (never journaled; `path` names the bad field of `INVALID_FIELDS`), or an engine rejection (journaled as entry `seq` with verdict `REJECTED:<code>`). */
export type ServerError = {
  type: "ERROR";
  code: ErrorCode;
  /** For a journaled refusal: the hash of entry `seq` (a receipt, as in `ACK`). */
  head?: Hash | null;
  message: string;
  /** The bad field of INVALID_FIELDS as the decoder met it (`targetId`, `recipientIds[1]`), when it could be found. */
  path?: string | null;
  ref: string | null;
  seq?: number | null;
};

/** A frame the room sends to one socket (`to_text` is its wire form). The schema of each is in `schemas/server-message.schema.json`. */
export type ServerMessage = ServerSync | ServerDelta | ServerAck | ServerError | ServerTickerUpdate | ServerTickerHistory | ServerCheckpoint | ServerPresence | ServerTyping | ServerStopTyping;

/** Who has a socket open (sorted ids), to every socket whenever someone connects or leaves. Transport state, never journaled: being online changes nothing in the game. */
export type ServerPresence = {
  type: "PRESENCE.UPDATE";
  onlinePlayers: Array<string>;
};

/** `playerId` stopped typing in `channelId`. */
export type ServerStopTyping = {
  type: "PRESENCE.STOP_TYPING";
  channelId: string;
  playerId: string;
};

/** The receiving player's whole projection (`Room::projection`): on connect, and after every change to a socket that did not ask for deltas (docs/protocol.md, "Delta frames"). */
export type ServerSync = {
  type: "SYSTEM.SYNC";
  state: Projection;
  /** The projection's version: the seq of the room's last journal entry it reflects. */
  v: number;
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

/** `playerId` is typing in `channelId`: relayed to the channel's other readers only, never journaled, not in SYNC (docs/protocol.md, "Typing"). */
export type ServerTyping = {
  type: "PRESENCE.TYPING";
  channelId: string;
  playerId: string;
};

/** The socket itself, not the frame or the rules (room::session::SessionError): rate limit, expired token, a failed commit. Nothing is journaled. */
export type SessionErrorCode = "RATE_LIMITED" | "TOKEN_EXPIRED" | "STORAGE_FAILED" | "NO_SUCH_GAME" | "INTERNAL" | "TYPING_RATE_LIMITED";

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

/** Toggles one reaction on a message the player can see. `channelId` says which channel's message `messageId` is (absent = MAIN, whispers included): ids are per channel from rules version 2 (docs/protocol.md). */
export type SocialReact = {
  type: "SOCIAL.REACT";
  channelId?: string | null;
  emoji: string;
  messageId: number;
};

/** Client message SOCIAL.REACT. Toggles one reaction on a message the player can see. `channelId` says which channel's message `messageId` is (absent = MAIN, whispers included): ids are per channel from rules version 2 (docs/protocol.md). */
export type SocialReactMessage = {
  type: "SOCIAL.REACT";
  channelId?: string | null;
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
  /** Players this message names: known, alive, each once. */
  mentionedIds?: Array<string> | null;
  recipientIds?: Array<string> | null;
  /** The id of the message this one answers: a message of the same channel (MAIN or the conversation) that the sender can read. */
  replyTo?: number | null;
  targetId?: string | null;
};

/** Client message SOCIAL.SEND_MSG. A chat message: to MAIN (no address, or `channelId: "MAIN"`), into an existing DM or group DM (`channelId`), or opening a conversation (`recipientIds`, or legacy `targetId`). */
export type SocialSendMsgMessage = {
  type: "SOCIAL.SEND_MSG";
  channelId?: string | null;
  content: string;
  /** Players this message names: known, alive, each once. */
  mentionedIds?: Array<string> | null;
  recipientIds?: Array<string> | null;
  /** The client's correlation id, echoed in the ACK or ERROR that answers this message. */
  ref?: string | null;
  /** The id of the message this one answers: a message of the same channel (MAIN or the conversation) that the sender can read. */
  replyTo?: number | null;
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

/** A DM the SPY_DMS perk revealed. */
export type SpiedMessage = {
  atMs: number;
  content: string;
  day: number;
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

/** THE_SPLIT's running round: the pair, the pot and who of the two has decided. */
export type SplitRoundView = {
  deadlineMs: number;
  pair: [string, string];
  pot: number;
  round: number;
  startedAtMs: number;
  submitted: Array<string>;
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
  chat: Array<ChatEntry>;
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
  /** The lowest seq among them (older entries are read from D1), or null when none is kept. */
  doJournalFirstSeq: number | null;
  /** Journal rows the Durable Object keeps (the tail, the rows after the snapshot and those D1 has not confirmed; docs/architecture.md, "Compaction"). */
  doJournalRows: number;
  /** The Durable Object's storage in bytes (its SQLite database), where the host tells. */
  doStorageBytes: number | null;
  gameId: string;
  /** Daily games: today's game as the viewer may see it, results and effects. */
  games: GamesView;
  /** The viewer's private messages from the Game Master (absent while none). */
  gmMessages?: Array<GmMessageView>;
  goldPool: number;
  groupChatOpen: boolean;
  inactivity: InactivityView | null;
  /** The hash of the last journal entry (the chain head). */
  journalHead: Hash;
  kind: Kind;
  /** Whether the game runs, ended with a result, or was abandoned by the operator. */
  lifecycle: Lifecycle;
  mode: Mode;
  /** The first tasks of the alarm queue (at most 10), in firing order. */
  nextTasks: Array<NextTask>;
  nudges?: Nudges;
  /** Journal entries not yet confirmed in D1. */
  outboxLag: number;
  perkResults?: Array<PerkResult>;
  phase: Phase;
  /** The Q&A answers revealed in the pregame, in reveal order (public; absent while none). */
  qaRevealed?: Array<RevealedView>;
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

/** One day of a STATIC manifest. */
export type StaticDay = {
  activityType?: "NONE" | "PLAYER_PICK" | "PREDICTION" | "WOULD_YOU_RATHER" | "HOT_TAKE" | "CONFESSION" | "GUESS_WHO" | null;
  /** Whether the evening confession phase may open (default false). */
  confessions?: boolean | null;
  dayIndex?: number | null;
  dilemmaType?: "NONE" | "SILVER_GAMBIT" | "SPOTLIGHT" | "GIFT_OR_GRIEF" | null;
  disableNudgeThrottle?: boolean | null;
  dmCharsPerPlayer?: number | null;
  dmCost?: number | null;
  dmPartnersPerPlayer?: number | null;
  dmSlotsPerPlayer?: number | null;
  /** A game day's `gameMode`: how TOUCH_SCREEN is played (docs/games.md §4c); accepted and not used for every other game. */
  gameMode?: "SOLO" | "LIVE" | null;
  gameType?: "NONE" | "TRIVIA" | "REALTIME_TRIVIA" | "BET_BET_BET" | "THE_SPLIT" | "BLIND_AUCTION" | "KINGS_RANSOM" | "TOUCH_SCREEN" | "GAP_RUN" | "GRID_PUSH" | "SEQUENCE" | "REACTION_TIME" | "COLOR_MATCH" | "STACKER" | "QUICK_MATH" | "SIMON_SAYS" | "AIM_TRAINER" | "SHOCKWAVE" | "ORBIT" | "BEAT_DROP" | "INFLATE" | "SNAKE" | "FLAPPY" | "COLOR_SORT" | "BLINK" | "RECALL" | null;
  requireDmInvite?: boolean | null;
  theme?: string | null;
  /** Explicit timeline; without it the preset's is generated. */
  timeline?: Array<TimelineEvent> | null;
  /** The day's vote (required). */
  voteType: "MAJORITY" | "BUBBLE" | "PODIUM_SACRIFICE" | "SECOND_TO_LAST" | "SHIELD" | "TRUST_PAIRS" | "EXECUTIONER" | "DUELS" | "FINALS";
};

/** STATIC PECKING_ORDER: the manifest lists its days. */
export type StaticManifest = {
  days: Array<StaticDay>;
  /** Whether secret destinies are dealt (default: true, BLITZ: false). */
  destinies?: boolean | null;
  /** The prototype lobby's legacy game mode: `DEBUG_PECKING_ORDER` means ADMIN scheduling when `scheduling` is absent; otherwise not used. */
  gameMode?: LobbyGameMode | null;
  /** The prototype lobby's manifest id (`manifest-<gameId>`): accepted and not used. */
  id?: string | null;
  initialGoldPool?: number | null;
  /** Default STATIC. */
  kind?: "STATIC" | null;
  /** Most players the lobby will let join (the prototype's: declared, not enforced here either; the roster's bound is 20). */
  maxPlayers?: number | null;
  /** Fewest players needed to start a DYNAMIC game (default 3). */
  minPlayers?: number | null;
  /** Default PECKING_ORDER. */
  mode?: "PECKING_ORDER" | null;
  /** The MOLE completes when the final gold pool is below this (default 50). */
  moleThreshold?: number | null;
  /** Which push notifications the game sends, by trigger (`DM_SENT`, `ELIMINATION`…; absent triggers are on). Kept as sent in the journaled SYSTEM.INIT. */
  pushConfig?: { [key: string]: boolean } | null;
  /** BLITZ round length (default 180). */
  roundSeconds?: number | null;
  ruleset?: null;
  /** Timings of the generated timelines (default DEFAULT). */
  schedulePreset?: Preset | null;
  scheduling?: Scheduling | null;
  /** When day 1 (or the BLITZ game) starts. */
  startTime: string;
};

export type Status = "PENDING" | "COMPLETED" | "FAILED";

/** A checkpoint of the journal up to entry `seq` (whose hash is `head`), journaled by the room at each day's end, after the seed reveal and on an operator's request; its signed form (docs/audit.md) goes to every socket. Changes nothing in the game: the engine checks `gameId`, `seq`, `day` and the seed field against its state, the room the head. */
export type SystemCheckpoint = {
  type: "SYSTEM.CHECKPOINT";
  day: number;
  /** The engine version that wrote the journal so far (the room's). */
  engine: string;
  gameId: string;
  head: Hash;
  /** After the reveal: the seed itself. */
  seed?: Hash | null;
  /** Before the seed is revealed: the commitment of SYSTEM.INIT. */
  seedCommitment?: Hash | null;
  seq: number;
};

/** First entry of every game: manifest and roster as the lobby sent them, the commitment to the secret seed, and the rules version the game plays by (absent: version 1; see `crate::engine::RULES_VERSION`). */
export type SystemInit = {
  type: "SYSTEM.INIT";
  manifest: Manifest;
  roster: Roster;
  rulesVersion?: number | null;
  seedCommitment: Hash;
};

/** A player's first connection in the pregame (journaled by the room): reveals one of their Q&A answers, chosen from the game's seeded stream (docs/rules.md, "Pregame"). */
export type SystemPlayerConnected = {
  type: "SYSTEM.PLAYER_CONNECTED";
  playerId: string;
};

/** A DYNAMIC game's pregame join. */
export type SystemPlayerJoined = {
  type: "SYSTEM.PLAYER_JOINED";
  player: Player;
};

/** Client message SYSTEM.RESYNC. Asks for a full SYSTEM.SYNC: the client could not apply a SYSTEM.DELTA (its `base` is not the version the client holds, or an operation failed). Rate-limited like a connect. */
export type SystemResyncMessage = {
  type: "SYSTEM.RESYNC";
  /** Echoed in the ERROR that refuses it; the SYNC is the answer otherwise. */
  ref?: string | null;
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

/** THE_SPLIT as one player sees it: the pairs, the running round, finished rounds and totals. */
export type TheSplitView = {
  current: SplitRoundView | null;
  eligible: Array<string>;
  myDecision: SplitAction | null;
  pairs: Array<[string, string]>;
  roundMs: number;
  rounds: Array<SplitRound>;
  /** `[player id, silver won]`. */
  totals: Array<[string, number]>;
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

/** One event of a STATIC day's explicit timeline. */
export type TimelineEvent = {
  action: "OPEN_GROUP_CHAT" | "CLOSE_GROUP_CHAT" | "OPEN_DMS" | "CLOSE_DMS" | "START_GAME" | "END_GAME" | "START_ACTIVITY" | "END_ACTIVITY" | "START_DILEMMA" | "END_DILEMMA" | "OPEN_VOTING" | "CLOSE_VOTING" | "ELIMINATE" | "START_CONFESSION_CHAT" | "END_CONFESSION_CHAT" | "END_DAY";
  /** START_ACTIVITY: an ActivityPayload; other actions: not read. */
  payload?: unknown;
  /** RFC 3339, e.g. 2026-12-01T09:00:00Z */
  time: string;
};

export type TouchScreenSummary = {
  goldContribution: number;
  live: boolean;
  /** Players who touched, best first (ties in roster order). */
  ranking: Array<TsRow>;
  shield: string | null;
};

/** TOUCH_SCREEN as one player sees it. */
export type TouchScreenView = {
  live: boolean;
  mine: TsMine | null;
  phase: TsPhase;
  /** LIVE: when the phase ends at the latest. */
  phaseEndsAtMs: number | null;
  phaseStartedAtMs: number;
  players: Array<TsPlayerView>;
};

/** A question the viewer has answered, with the right option. */
export type TriviaAnswered = {
  chosen: number;
  correct: boolean;
  correctIndex: number;
  elapsedMs: number;
  options: Array<string>;
  silver: number;
  text: string;
};

/** The viewer's own trivia run. */
export type TriviaMine = {
  answered: Array<TriviaAnswered>;
  credited: [GameRun, boolean] | null;
  current: TriviaQuestion | null;
  fallback: GameRun | null;
  runScore: GameRun | null;
  stage: GameStage;
};

/** Where one trivia player is. */
export type TriviaProgress = {
  /** Questions answered so far. */
  answered: number;
  playerId: string;
  stage: GameStage;
};

/** The viewer's open question: text and options, never which one is right. */
export type TriviaQuestion = {
  deadlineMs: number;
  of: number;
  options: Array<string>;
  round: number;
  shownAtMs: number;
  text: string;
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

/** TRIVIA as one player sees it: everyone's progress, their own run, and the leaderboard once they have completed. */
export type TriviaView = {
  leaderboard: Array<LeaderboardRow> | null;
  mine: TriviaMine | null;
  progress: Array<TriviaProgress>;
  questionMs: number;
  rounds: number;
};

/** The viewer's own times. */
export type TsMine = {
  /** When the viewer's hold is stopped at the latest. */
  capAtMs: number | null;
  opensAtMs: number | null;
  releaseAtMs: number | null;
  status: TsStatus;
  touchAtMs: number | null;
};

/** Where a LIVE game is (a SOLO game is always `HOLD`: each player has their own clock). */
export type TsPhase = "READY" | "COUNTDOWN" | "HOLD" | "DONE";

/** A player as everyone sees them while the game runs. */
export type TsPlayerView = {
  playerId: string;
  status: TsStatus;
};

/** One ranked player of the result. */
export type TsRow = {
  holdMs: number;
  playerId: string;
  /** 1-based; equal holds share the better rank. */
  rank: number;
  silver: number;
};

/** One player's progress, public part. */
export type TsStatus = ("HOLDING" | "RELEASED") | "IDLE" | "READY";

/** The phase of a room before SYSTEM.INIT. */
export type Uninitialised = "UNINITIALISED";

/** A room before SYSTEM.INIT. */
export type UninitialisedView = {
  dayHeads: Array<DayHead>;
  gameId: string;
  phase: Uninitialised;
};

/** `ACCEPTED`, or `REJECTED:` followed by the rejection code. */
export type Verdict = string;

/** The answer to `GET /parties/game-server/:gameId/verify`: D1's journal of the game, checked from seq 1 as `po-replay verify` checks the chain (the replay of the rules is that tool's). There are no signed checkpoints yet: the head below is the latest *verified* point, as of `checkedAtMs`, not a signature anyone else can check. */
export type VerifyResponse = {
  /** What is wrong with it: `game_id`, `seq` (a gap or a swap), `prev_hash`, `hash` (a hashed field or the hash was changed) or `row` (a column does not decode); BROKEN only. */
  badField: string | null;
  /** When the check ran (ms since the Unix epoch). */
  checkedAtMs: number;
  /** Entries that verified, from seq 1 (all of them unless BROKEN). */
  entriesChecked: number;
  /** The first entry that does not verify (BROKEN only): the seq its position requires. */
  firstBadSeq: number | null;
  gameId: string;
  /** Its hash (64 hex), or null when none verified. */
  headHash: string | null;
  /** The last verified entry's seq (0: none). */
  headSeq: number;
  /** The same in plain words (BROKEN only). */
  problem: string | null;
  status: VerifyStatus;
};

/** The outcome of `GET …/verify`. */
export type VerifyStatus = "VERIFIED" | "BROKEN" | "EMPTY";

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

/** A closed day's vote result. */
export type VoteResultView = {
  day: number;
  eliminated: string | null;
  mechanism: VoteType;
  summary: VoteSummary;
  /** `[player id, count]` per target. */
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

/** Per-mechanism details of a result (docs/voting.md, "Result"). Public with the result. Empty fields are left out of the JSON. */
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

/** The open ballot. While a vote is open only who has acted is public, never whom they named or what they staked; a voter sees their own choices. What a closed stage decided (the executioner, the duelists, their tallies) is public. */
export type Voting = {
  /** DUEL stage. */
  duelists?: Array<string>;
  /** PICK stage: election votes per candidate. */
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
  /** DUEL stage: nominations per player. */
  nominationTallies?: Array<[string, number]>;
  stage: BallotStage;
  targets: Array<string>;
  /** PICK and DUEL stages: how the stage's tie was settled, or null. */
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
