// The one module that imports the generated protocol types (schemas/pecking-order.d.ts, made by
// `make schemas` from the Rust types). Everything else in the client imports from here, so a
// rename in the generated file is fixed in this file only.
export type {
  ActivityView,
  ChatMessage,
  ClientMessage,
  ConfessionView,
  DeltaOp,
  Destiny,
  DestinyView,
  DilemmaView,
  DmChannel,
  DmRules,
  DmStats,
  Effect,
  ErrorCode,
  GameRecord,
  GameType,
  GameView,
  GamesView,
  InactivityView,
  NextTask,
  Nudges,
  PerkResult,
  PerkType,
  Phase,
  Projection,
  PromptOutcome,
  RedactedWhisper,
  RosterEntry,
  ServerError,
  ServerMessage,
  TickerLine,
  UninitialisedView,
  VoteResultView,
  VoteType,
  Voting,
} from '../../schemas/pecking-order';

import type { ClientMessage, GameView, Projection } from '../../schemas/pecking-order';

/** A client message without its `ref` (the connection adds one). */
export type Outgoing = DistributiveOmit<ClientMessage, 'ref'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The emoji set of SOCIAL.REACT (docs/rules.md §5), taken from the generated ChatMessage type. */
export type Emoji = import('../../schemas/pecking-order').ChatMessage['reactions'][number]['emoji'];

export function isGameView(p: Projection): p is GameView {
  return p.phase !== 'UNINITIALISED';
}

// --- Not in the generated schema -------------------------------------------------------------
// `games.active` carries per-game fields that schemas/README.md says the schema does not describe
// ("only gameType and startedAtMs are described"). Their shapes, from docs/games.md §9 and the
// engine's `Game::view`s, are written here until the schema grows them.
import type { Bid, GamesView, KingsAction, SplitAction, SplitRound } from '../../schemas/pecking-order';

type ActiveBase = NonNullable<GamesView['active']>;
export type SoloStage = 'NOT_STARTED' | 'PLAYING' | 'AWAITING_DECISION' | 'COMPLETED';
export type ArcadeRun = { scores: Record<string, number>; silver: number; gold: number };

export type ArcadeActive = ActiveBase & {
  timeLimitMs: number;
  levelSeed: number;
  difficultyPct: number;
  progress: { playerId: string; stage: SoloStage }[];
  mine: {
    playerId: string;
    stage: SoloStage;
    startedAtMs: number;
    result: ArcadeRun | null;
    fallback: ArcadeRun | null;
    credited: [ArcadeRun, boolean] | null;
  } | null;
  leaderboard: { playerId: string; silver: number }[] | null;
};

export type TriviaActive = ActiveBase & {
  rounds: number;
  questionMs: number;
  progress: { playerId: string; stage: SoloStage; answered: number }[];
  mine: {
    stage: SoloStage;
    current: { round: number; of: number; text: string; options: string[]; shownAtMs: number; deadlineMs: number } | null;
    answered: { text: string; options: string[]; chosen: number; correctIndex: number; correct: boolean; silver: number; elapsedMs: number }[];
    runScore: number | null;
    fallback: unknown;
    credited: unknown;
  } | null;
  leaderboard: { playerId: string; silver: number }[] | null;
};

/** REALTIME_TRIVIA (docs/games.md §4b) and TOUCH_SCREEN (§4c), from the generated views. */
export type RealtimeTriviaActive = ActiveBase & import('../../schemas/pecking-order').RealtimeTriviaView;
export type TouchScreenActive = ActiveBase & import('../../schemas/pecking-order').TouchScreenView;

export type BetActive = ActiveBase & { eligible: string[]; submitted: string[]; myBet: number | null };
export type AuctionActive = ActiveBase & { slots: number; eligible: string[]; submitted: string[]; myBid: Bid | null };
export type KingsActive = ActiveBase & { king: string | null; vault: number; eligible: string[]; submitted: string[]; myDecision: KingsAction | null };
export type SplitActive = ActiveBase & {
  eligible: string[];
  pairs: [string, string][];
  roundMs: number;
  current: { round: number; pair: [string, string]; pot: number; startedAtMs: number; deadlineMs: number; submitted: string[] } | null;
  myDecision: SplitAction | null;
  rounds: SplitRound[];
  totals: [string, number][];
};
