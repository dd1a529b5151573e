// The room socket: connect, route server frames, send with a `ref` and resolve it with the ACK or
// ERROR that answers it, and reconnect silently with exponential backoff after a drop (a server
// restart, a lost network). A 4003 close is not retried: the link is what is wrong, and
// `diagnose` finds out what, in plain words (docs/client.md "When something goes wrong").
// It asks for SYSTEM.DELTA frames and resumes from the version it holds after a drop
// (docs/protocol.md, "Delta frames" and "Resume").
import type { Outgoing, Projection, ServerError, ServerMessage, TickerLine } from './types';
import { socketUrl, type Link } from './link';
import { applyDelta } from '../../schemas/apply-delta';
import type { EvidenceFrame } from './evidence';
import type { Heard, Signal } from './compose';

/** `seq` and `head` of an ACK are the player's receipt (docs/protocol.md, docs/audit.md). */
export type Reply = { ok: true; seq: number; head: string } | { ok: false; error: ServerError };

export type Status =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'open' }
  | { kind: 'waiting'; attempt: number; retryAt: number; since: number }
  | { kind: 'fatal'; problem: Problem };

export type Problem = { title: string; detail: string; next: 'new-link' | 'retry' | 'wait' };

export type Handlers = {
  status(s: Status): void;
  sync(state: Projection): void;
  ticker(lines: TickerLine[], history: boolean): void;
  presence(online: string[]): void;
  /** Every ACK, ERROR and CHECKPOINT: the receipts and checkpoints to keep (./evidence.ts). */
  evidence?(frame: EvidenceFrame): void;
  /** A PRESENCE.TYPING / STOP_TYPING frame (ephemeral, never in SYNC). */
  typing(frame: Heard): void;
};

/** Backoff before reconnect attempt `attempt` (0-based): 0.5 s doubling to 15 s, ±25 % jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.75 + random() * 0.5));
}

/** Closed by the server because the token was refused (docs/protocol.md "Close codes"). */
export const CLOSE_AUTH = 4003;
/** Closed for persistent flooding, or connecting too often (retried with backoff). */
export const CLOSE_ABUSE = 4008;
/** Closed because the player already has the most sockets the room allows (docs/protocol.md). */
export const CLOSE_TOO_MANY = 4009;

/**
 * A close the player must act on before reconnecting helps, in plain words; `null` for a drop
 * that a silent reconnect with backoff handles (4003 is diagnosed separately).
 */
export function closeProblem(code: number): Problem | null {
  if (code === CLOSE_TOO_MANY) {
    return {
      title: 'This game is open in too many places',
      detail: 'Your link is already open in 4 other tabs or devices. Close one of them, then try again.',
      next: 'retry',
    };
  }
  return null;
}

export class Connection {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private nextRef = 1;
  private pending = new Map<string, (r: Reply) => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private downSince = 0;
  /** The projection held and its version: deltas apply to it, a reconnect resumes from it. */
  private held: { v: number; state: Projection } | null = null;
  /** A SYSTEM.RESYNC is on its way: deltas are ignored until the SYNC that answers it. */
  private resyncing = false;

  constructor(
    private link: Link,
    private origin: string,
    private on: Handlers,
    private diagnoseFn: (link: Link, origin: string) => Promise<Problem | null> = diagnose,
  ) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close(1000);
    this.ws = null;
  }

  /** Reconnect now (the "Try again" button), skipping the rest of the backoff. */
  retryNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.open();
  }

  /** Sends a typing signal: no answer when relayed, and a refusal (rate limit, closed chat) is
   * not worth showing, so nothing waits for one; dropped while offline. */
  signal(msg: Signal): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  /** Sends a message; resolves with its ACK or ERROR (or a local error when offline). */
  send(msg: Outgoing): Promise<Reply> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return Promise.resolve({
        ok: false,
        error: { type: 'ERROR', code: 'INTERNAL', message: 'Not connected: wait a moment and try again.', ref: null },
      });
    }
    const ref = `c${this.nextRef++}`;
    return new Promise((resolve) => {
      this.pending.set(ref, resolve);
      ws.send(JSON.stringify({ ...msg, ref }));
    });
  }

  private open(): void {
    if (this.stopped) return;
    this.on.status({ kind: 'connecting', attempt: this.attempt });
    let ws: WebSocket;
    try {
      ws = new WebSocket(socketUrl(this.origin, this.link.game, this.link.token, { delta: true, resume: this.held?.v }));
      this.resyncing = false;
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    let synced = false;
    ws.onmessage = (ev) => {
      let frame: ServerMessage;
      try {
        frame = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      if ((frame.type === 'SYSTEM.SYNC' || frame.type === 'SYSTEM.DELTA') && !synced) {
        synced = true;
        this.attempt = 0;
        this.downSince = 0;
        this.on.status({ kind: 'open' });
      }
      this.route(frame);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.failPending();
      if (this.stopped) return;
      if (ev.code === CLOSE_AUTH) {
        void this.diagnoseFn(this.link, this.origin).then((problem) => {
          if (problem && problem.next !== 'wait') {
            this.on.status({ kind: 'fatal', problem });
          } else {
            // The token is fine after all (e.g. the room was being created): try again.
            this.scheduleRetry();
          }
        });
        return;
      }
      // Reconnecting at once would be refused again: say why and let the player retry.
      const problem = closeProblem(ev.code);
      if (problem) {
        this.on.status({ kind: 'fatal', problem });
        return;
      }
      this.scheduleRetry();
    };
  }

  private route(frame: ServerMessage): void {
    switch (frame.type) {
      case 'SYSTEM.SYNC':
        this.resyncing = false;
        this.held = { v: frame.v, state: frame.state };
        this.on.sync(frame.state);
        break;
      case 'SYSTEM.DELTA': {
        if (this.resyncing) break;
        // The gap rule: a delta applies only to the version it names; anything else (or an
        // operation that does not apply) asks for the whole projection once.
        let next: Projection | null = null;
        if (this.held && frame.base === this.held.v) {
          try {
            next = applyDelta(this.held.state, frame.ops);
          } catch {
            next = null;
          }
        }
        if (next === null) {
          this.resync();
          break;
        }
        this.held = { v: frame.v, state: next };
        this.on.sync(next);
        break;
      }
      case 'TICKER.HISTORY':
        this.on.ticker(frame.lines, true);
        break;
      case 'TICKER.UPDATE':
        this.on.ticker(frame.lines, false);
        break;
      case 'CHECKPOINT':
        this.on.evidence?.(frame);
        break;
      case 'PRESENCE.UPDATE':
        this.on.presence(frame.onlinePlayers);
        break;
      case 'PRESENCE.TYPING':
      case 'PRESENCE.STOP_TYPING':
        this.on.typing(frame);
        break;
      case 'ACK':
      case 'ERROR': {
        if (frame.type === 'ERROR' && frame.ref === 'resync' && this.resyncing) {
          // The resync was refused (rate-limited): start over with a fresh connection, which
          // begins with a full SYNC (reconnects back off).
          this.held = null;
          this.ws?.close(1000);
          break;
        }
        this.on.evidence?.(frame);
        const ref = frame.ref ?? '';
        const done = this.pending.get(ref);
        if (done) {
          this.pending.delete(ref);
          done(frame.type === 'ACK' ? { ok: true, seq: frame.seq, head: frame.head } : { ok: false, error: frame });
        }
        break;
      }
    }
  }

  /** Asks the room for a full SYNC (SYSTEM.RESYNC); deltas are ignored until it arrives. */
  private resync(): void {
    this.resyncing = true;
    if (this.ws?.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify({ type: 'SYSTEM.RESYNC', ref: 'resync' }));
    }
  }

  private failPending(): void {
    for (const done of this.pending.values()) {
      done({
        ok: false,
        error: { type: 'ERROR', code: 'INTERNAL', message: 'The connection dropped before the server answered: check and try again.', ref: null },
      });
    }
    this.pending.clear();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const now = Date.now();
    if (!this.downSince) this.downSince = now;
    const wait = backoffMs(this.attempt);
    this.attempt += 1;
    this.on.status({ kind: 'waiting', attempt: this.attempt, retryAt: now + wait, since: this.downSince });
    this.timer = setTimeout(() => {
      this.timer = null;
      this.open();
    }, wait);
  }
}

/**
 * Why the room refused the link (the socket closed with 4003), in words a player understands.
 * The token's own claims tell an expired or malformed link; the room's `GET …/state` with the
 * token as bearer tells a game that does not exist from a token it does not accept.
 */
export async function diagnose(link: Link, origin: string, fetchFn: typeof fetch = fetch): Promise<Problem | null> {
  const ask = 'Ask the game host for a new link.';
  if (!link.claims) {
    return { title: 'This link is broken', detail: `The player token in the link cannot be read (it may have been cut off when copied). ${ask}`, next: 'new-link' };
  }
  if (link.claims.exp * 1000 <= Date.now()) {
    const when = new Date(link.claims.exp * 1000).toLocaleString();
    return { title: 'Your link has expired', detail: `This link stopped working on ${when}. ${ask}`, next: 'new-link' };
  }
  if (link.claims.gameId !== link.game) {
    return { title: 'This link is for another game', detail: `The token was made for game “${link.claims.gameId}”, not “${link.game}”. ${ask}`, next: 'new-link' };
  }
  let res: Response;
  try {
    res = await fetchFn(`${origin}/parties/game-server/${encodeURIComponent(link.game)}/state`, {
      headers: { Authorization: `Bearer ${link.token}` },
    });
  } catch {
    return { title: 'The game server cannot be reached', detail: 'We will keep trying to reconnect.', next: 'wait' };
  }
  if (res.ok) return null;
  let message = '';
  let code = '';
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    message = body.error?.message ?? '';
    code = body.error?.code ?? '';
  } catch {
    /* not JSON: keep the status */
  }
  if (/no such game/i.test(message) || code === 'ROOM_NOT_FOUND') {
    return { title: 'This game does not exist', detail: `There is no game “${link.game}” on this server (it may not have been created yet, or the server was reset). Check the link, or ask the host.`, next: 'retry' };
  }
  if (/not in this game/i.test(message)) {
    return { title: 'You are not a player in this game', detail: `The link names player “${link.claims.playerId}”, who is not on this game's roster. ${ask}`, next: 'new-link' };
  }
  if (res.status === 401) {
    return { title: 'This link is not valid', detail: `The server does not accept this link's token (it was not signed by this server). ${ask}`, next: 'new-link' };
  }
  if (res.status >= 500) {
    return { title: 'The game server has a problem', detail: `It answered ${res.status}. We will keep trying to reconnect.`, next: 'wait' };
  }
  return { title: 'This link does not work', detail: `The server answered ${res.status}${message ? `: ${message}` : ''}. ${ask}`, next: 'new-link' };
}
