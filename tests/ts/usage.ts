// Type-checked by tests/it/typescript.rs (`tsc --noEmit -p tests/ts`): the generated declarations
// accept real messages and refuse wrong ones. Each `@ts-expect-error` must be an error, or tsc
// fails ("Unused '@ts-expect-error' directive").
import type {
  AdminRequest,
  AdminRequestType,
  AdminResponse,
  ClientMessage,
  ClientMessageType,
  ErrorCode,
  Fact,
  InitBody,
  JournalEntry,
  Manifest,
  Projection,
  Roster,
  ServerMessage,
  SocialSendMsgMessage,
  StateResponse,
  TickerLine,
  VoteMajorityCastMessage,
} from "../../schemas/pecking-order";

// --- Client messages
export const vote: ClientMessage = { type: "VOTE.MAJORITY.CAST", targetId: "p2", ref: "r1" };
export const chat: SocialSendMsgMessage = { type: "SOCIAL.SEND_MSG", content: "hi", recipientIds: ["p3"] };
export const silver: ClientMessage = { type: "SOCIAL.SEND_SILVER", targetId: "p2", amount: 5 };
export const perk: ClientMessage = { type: "SOCIAL.USE_PERK", perkType: "SPY_DMS", targetId: "p3" };
export const guess: ClientMessage = { type: "ACTIVITY.GUESSWHO.GUESS", guesses: { "0": "p2" } };
export const arcade: ClientMessage = { type: "GAME.ARCADE.RESULT", gameType: "GAP_RUN", result: { distance: 40 } };
export const retry: ClientMessage = { type: "GAME.RETRY" };
export const t: ClientMessageType = "DESTINY.ACCUSE";

// @ts-expect-error: a vote names its target
export const noTarget: VoteMajorityCastMessage = { type: "VOTE.MAJORITY.CAST" };
// @ts-expect-error: unknown field
export const extra: ClientMessage = { type: "VOTE.MAJORITY.CAST", targetId: "p2", voterId: "p1" };
// @ts-expect-error: amount is a number
export const wrongType: ClientMessage = { type: "SOCIAL.SEND_SILVER", targetId: "p2", amount: "5" };
// @ts-expect-error: not a perk
export const badPerk: ClientMessage = { type: "SOCIAL.USE_PERK", perkType: "FLY" };
// @ts-expect-error: clients cannot send SYSTEM.*
export const system: ClientMessage = { type: "SYSTEM.REVEAL_SEED", seed: "00" };
// @ts-expect-error: not a message type
export const badType: ClientMessageType = "VOTE.COIN.FLIP";

// --- Manifests, rosters, /init bodies
export const staticManifest: Manifest = {
  mode: "PECKING_ORDER",
  kind: "STATIC",
  scheduling: "ADMIN",
  startTime: "2026-12-01T09:00:00Z",
  schedulePreset: "SMOKE_TEST",
  days: [{ voteType: "MAJORITY", gameType: "TRIVIA", activityType: "HOT_TAKE" }, { voteType: "FINALS" }],
};
export const dynamicManifest: Manifest = {
  kind: "DYNAMIC",
  startTime: "2026-12-01T09:00:00Z",
  ruleset: {
    voting: { allowed: ["MAJORITY", "FINALS"] },
    activities: { mode: "SEQUENCE", sequence: ["PLAYER_PICK"] },
    social: { dmChars: { mode: "PER_ACTIVE_PLAYER", base: 300 } },
  },
};
export const blitz: Manifest = { mode: "BLITZ", startTime: "2026-12-01T09:00:00Z", roundSeconds: 60 };
export const roster: Roster = [{ id: "p1", personaName: "Ada" }, { playerId: "p2", personaName: "Bo" }];
export const keyed: Roster = { p1: { personaName: "Ada" }, p2: { personaName: "Bo", silver: 10 } };
export const init: InitBody = { manifest: staticManifest, roster };

// @ts-expect-error: a STATIC manifest lists its days
export const noDays: Manifest = { kind: "STATIC", startTime: "2026-12-01T09:00:00Z" };
// @ts-expect-error: not a vote type
export const badVote: Manifest = { startTime: "x", days: [{ voteType: "COIN_FLIP" }] };
// @ts-expect-error: BLITZ has no destinies
export const blitzDestinies: Manifest = { mode: "BLITZ", startTime: "x", destinies: true };
// @ts-expect-error: a player has a persona name
export const nameless: Roster = [{ id: "p1" }];
// @ts-expect-error: an activity pool in SEQUENCE mode lists its sequence
export const badPool: Manifest = { kind: "DYNAMIC", startTime: "x", ruleset: { activities: { mode: "SEQUENCE" } } };

// --- Server messages and what they carry
export function handle(m: ServerMessage): string {
  switch (m.type) {
    case "SYSTEM.SYNC":
      return `v${m.v} ${phaseOf(m.state)}`;
    case "SYSTEM.DELTA":
      return `v${m.base}→v${m.v}: ${m.ops.map((o) => `${o.op} ${o.path}`).join(", ")}`;
    case "ACK":
      return `ok ${m.ref ?? ""} #${m.seq} receipt ${m.head}`;
    case "ERROR": {
      const code: ErrorCode = m.code;
      return `${code} at ${m.path ?? "-"}`;
    }
    case "TICKER.UPDATE":
    case "TICKER.HISTORY":
      return m.lines.map((l) => `[${l.category}] ${l.text} (${l.players.join(",")}) #${l.seq}`).join("\n");
    case "PRESENCE.UPDATE":
      return `online: ${m.onlinePlayers.join(", ")}`;
    case "CHECKPOINT":
      return `checkpoint #${m.seq} ${m.head}\n${m.note}`;
    case "PRESENCE.TYPING":
    case "PRESENCE.STOP_TYPING":
      return `${m.playerId} ${m.type === "PRESENCE.TYPING" ? "typing" : "stopped"} in ${m.channelId}`;
  }
}

function phaseOf(p: Projection): string {
  if (p.phase === "UNINITIALISED") return p.gameId;
  const alive = p.roster.filter((r) => r.alive).map((r) => r.personaName);
  const myVote: string | null = p.voting?.myVote ?? null;
  const game = p.games.active?.gameType ?? "none";
  return `${p.phase} day ${p.day}: ${alive.join(", ")} ${myVote} ${game} ${p.dayHeads.length}`;
}

export const ack: ServerMessage = { type: "ACK", ref: "r1", seq: 7, head: "ab".repeat(32) };
export const line: TickerLine = { seq: 9, atMs: 0, day: 1, category: "ELIMINATION", text: "Player 4 has been eliminated!", players: ["p4"] };
// @ts-expect-error: not a ticker category
export const badLine: TickerLine = { ...line, category: "SOCIAL.SECRET" };
export const err: ServerMessage = { type: "ERROR", ref: null, code: "INVALID_FIELDS", message: "…", path: "targetId" };
// @ts-expect-error: not a code
export const badCode: ServerMessage = { type: "ERROR", ref: null, code: "OOPS", message: "" };
// @ts-expect-error: an ACK carries the entry's seq
export const noSeq: ServerMessage = { type: "ACK", ref: "r1" };

// --- Journal rows and facts
export function eliminated(row: JournalEntry): string[] {
  const facts = JSON.parse(row.facts) as Fact[];
  const out: string[] = [];
  for (const f of facts) {
    if (f.type === "ELIMINATION") out.push(f.playerId);
    if (f.type === "SILVER" && f.balanceAfter < 0) throw new Error("never");
  }
  return out;
}
// @ts-expect-error: kind is ACTION | ALARM | SYSTEM | ADMIN
export const badRow: Pick<JournalEntry, "kind"> = { kind: "PLAYER" };

// --- The operator: admin bodies and answers, the operator's state
export const credit: AdminRequest = { type: "CREDIT_SILVER", rewards: { p1: 10, p2: -5 } };
export const inject: AdminRequest = { type: "INJECT_TIMELINE_EVENT", action: "OPEN_VOTING" };
export const devFail: AdminRequest = { type: "DEV_FAIL_D1", on: true };
export const adminTypes: AdminRequestType[] = ["NEXT_STAGE", "ELIMINATE_PLAYER", "LIST_TASKS"];
// @ts-expect-error: DEV_FAIL_D1 says whether it is on
export const devFailBare: AdminRequest = { type: "DEV_FAIL_D1" };
// @ts-expect-error: the admin route takes the type without its ADMIN. namespace
export const namespaced: AdminRequest = { type: "ADMIN.NEXT_STAGE" };

export function answered(r: AdminResponse): string {
  if ("verdict" in r) return `#${r.seq} ${r.verdict} ${r.accepted}`;
  if ("tasks" in r) return r.tasks.map((t) => `${t.taskId} ${t.action} @${t.dueMs}`).join("\n");
  if ("note" in r) return `checkpoint ${r.entrySeq}: ${r.note}`;
  return `D1 failing: ${r.devFailD1}`;
}

export function lag(s: StateResponse): string {
  const retry: number | null = s.d1RetryAt;
  const next = s.nextTasks[0]?.action ?? "nothing";
  return `${s.gameId} #${s.seq} ${s.journalHead}: ${s.outboxLag} behind D1 (${s.d1ConfirmedSeq}), ${s.d1Failures} failures, retry ${retry}, next ${next}, snapshot ${s.snapshotSeq}, ${s.d1BatchedEntries}/${s.d1Batches}, ${s.phase} day ${s.day}`;
}
// @ts-expect-error: the operator's state always reports the outbox lag
export const noLag: Pick<StateResponse, "outboxLag" | "seq"> = { seq: 3 };
