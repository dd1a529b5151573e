// Plain words for the names and codes the server uses (docs/protocol.md, docs/rules.md §12,
// docs/voting.md, docs/content.md §9, docs/games.md §11). A code missing here falls back to the
// server's own message.
import type { GameView, ServerError } from './types';

const REFUSALS: Record<string, string> = {
  WRONG_PHASE: 'That is not possible in this phase of the game.',
  PLAYER_ELIMINATED: 'You have been eliminated: you can watch, but not act.',
  UNKNOWN_PLAYER: 'That player is not in this game.',
  TARGET_ELIMINATED: 'That player has been eliminated.',
  SELF_TARGET: 'You cannot choose yourself for that.',
  SELF_DM: 'You cannot message yourself.',
  GROUP_CHAT_CLOSED: 'The group chat is closed right now.',
  DMS_CLOSED: 'Direct messages are closed right now.',
  EMPTY_TEXT: 'Write something first.',
  TEXT_TOO_LONG: 'Too long: 280 characters at most.',
  INSUFFICIENT_SILVER: 'You do not have enough silver.',
  INVALID_AMOUNT: 'That amount is not allowed.',
  CHAR_LIMIT: 'You have used up your DM characters for today.',
  CONVERSATION_LIMIT: 'You have no conversation slots left today.',
  PARTNER_LIMIT: 'You have reached today’s limit of DM partners.',
  GROUP_LIMIT: 'You have opened 3 group DMs today already.',
  GROUP_DMS_DISABLED: 'Group DMs are off today.',
  INVALID_MEMBERS: 'Choose the right players for that conversation.',
  DUPLICATE_INVITE: 'That player is already in (or invited to) the conversation.',
  UNAUTHORIZED: 'Only the person who opened the conversation can add people.',
  UNKNOWN_CHANNEL: 'That conversation is not available.',
  CHANNEL_EXISTS: 'You already have a conversation with exactly these players today.',
  INVITE_REQUIRED: 'Accept the invitation before you write.',
  NO_PENDING_INVITE: 'There is no invitation to answer.',
  NO_RECIPIENTS: 'Nobody is left in that conversation to read it.',
  UNKNOWN_MESSAGE: 'That message is not available.',
  INVALID_EMOJI: 'That reaction is not allowed.',
  NUDGE_THROTTLED: 'You already nudged that player today.',
  TARGET_REQUIRED: 'Choose a player for that perk.',
  TARGET_NOT_ALLOWED: 'That perk does not take a player.',
  VOTING_CLOSED: 'Voting is not open.',
  WRONG_MECHANISM: 'That is not today’s kind of vote.',
  WRONG_STAGE: 'That is not possible at this stage.',
  NOT_ELIGIBLE_VOTER: 'You cannot vote in this stage.',
  NOT_ELIGIBLE_TARGET: 'That player cannot be chosen in this vote.',
  TARGET_IMMUNE: 'That player is protected (top three in silver).',
  ACTIVITY_CLOSED: 'The prompt is not open.',
  WRONG_ACTIVITY: 'That answer is for another prompt.',
  NOT_ELIGIBLE: 'You are not taking part in this.',
  ALREADY_RESPONDED: 'You have already answered.',
  INVALID_CHOICE: 'That choice is not valid.',
  DILEMMA_CLOSED: 'The dilemma is not open.',
  WRONG_DILEMMA: 'That decision is for another dilemma.',
  CONFESSION_CLOSED: 'The confession booth is closed.',
  NO_GAME: 'No game is running.',
  WRONG_GAME: 'That move is for another game.',
  NOT_IN_GAME: 'You are not playing in this game.',
  ALREADY_SUBMITTED: 'You have already decided.',
  WRONG_GAME_STAGE: 'That is not possible at this point of the game.',
  INVALID_SCORE: 'The score was refused as impossible.',
  INVALID_ANSWER: 'That answer is not valid.',
  INVALID_SLOT: 'Pick slot 1, 2 or 3.',
  NOT_YOUR_ROUND: 'It is not your round.',
  DM_CURSED: 'A curse blocks DMs for that player today.',
  NOT_DETECTIVE: 'Only the Detective can accuse.',
  ALREADY_ACCUSED_TODAY: 'You have already accused someone today.',
  RATE_LIMITED: 'Slow down a little: too many messages at once.',
  TOKEN_EXPIRED: 'Your link has expired.',
  MESSAGE_TOO_LARGE: 'That message is too large.',
};

export function refusal(e: ServerError): string {
  return REFUSALS[e.code] ?? e.message;
}

export function name(v: GameView | null, id: string | null | undefined): string {
  if (!id) return 'nobody';
  if (v?.you === id) return 'you';
  return v?.roster.find((p) => p.id === id)?.personaName ?? id;
}

/** "you were" / "Cy was": the subject of a sentence about one player. */
export function was(v: GameView | null, id: string | null | undefined): string {
  return v?.you && id === v.you ? 'you were' : `${name(v, id)} was`;
}

export function names(v: GameView | null, ids: readonly string[]): string {
  return ids.length ? ids.map((i) => name(v, i)).join(', ') : 'nobody';
}

export function words(s: string): string {
  const w = s.replace(/[._]/g, ' ').toLowerCase();
  return w.charAt(0).toUpperCase() + w.slice(1);
}

const ACTIONS: Record<string, string> = {
  START_DAY: 'The day starts',
  OPEN_GROUP_CHAT: 'Group chat opens',
  CLOSE_GROUP_CHAT: 'Group chat closes',
  OPEN_DMS: 'DMs open',
  CLOSE_DMS: 'DMs close',
  START_GAME: 'The game starts',
  END_GAME: 'The game ends',
  START_ACTIVITY: 'The prompt opens',
  END_ACTIVITY: 'The prompt closes',
  START_DILEMMA: 'The dilemma opens',
  END_DILEMMA: 'The dilemma closes',
  OPEN_VOTING: 'Voting opens',
  CLOSE_VOTING: 'Voting closes',
  START_CONFESSION_CHAT: 'The confession booth opens',
  END_CONFESSION_CHAT: 'The confession booth closes',
  END_DAY: 'Night falls',
};

export function actionWords(a: string): string {
  return ACTIONS[a] ?? words(a);
}

export function phaseWords(v: GameView): string {
  switch (v.phase) {
    case 'PRE_GAME':
      return 'Waiting for the game to start';
    case 'DAY':
      return v.mode === 'BLITZ' ? `Round ${v.day}` : `Day ${v.day}`;
    case 'NIGHT':
      return `Night ${v.day}`;
    case 'GAME_SUMMARY':
    case 'GAME_OVER':
      return 'Game over';
  }
}

/** "in 1 min 5 s" / "now" for a due time. */
export function until(dueMs: number, now: number): string {
  const s = Math.round((dueMs - now) / 1000);
  if (s <= 0) return 'now';
  if (s < 60) return `in ${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `in ${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return `in ${h} h ${m % 60} min`;
}

export function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
