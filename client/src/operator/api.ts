// The operator routes (docs/protocol.md, "Operator routes"), typed from the generated schema,
// and every failure turned into plain words: a wrong bearer, no such room, a server that does
// not answer. Nothing here touches the DOM, so the words are unit-tested (operator.test.ts).
import type {
  AdminRequest,
  AdminResponse,
  HttpError,
  JournalEntry,
  RoomsResponse,
  StateResponse,
  VerifyResponse,
} from './types';

/** What went wrong, for the page to say. */
export type Problem = {
  /** A short title in plain words. */
  title: string;
  /** What to do next. */
  next: string;
  /** The server's stable code, when it sent one. */
  code?: string;
  /** The server's own message, when it sent one. */
  message?: string;
  /** Bad fields of INVALID_FIELDS / INVALID_MANIFEST. */
  fields?: { path: string; message: string }[];
  /** The bearer was refused: the page asks for it again. */
  badBearer?: boolean;
};

export type Result<T> = { ok: true; value: T } | { ok: false; problem: Problem };

function isHttpError(body: unknown): body is HttpError {
  if (typeof body !== 'object' || body === null) return false;
  const e = (body as { error?: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';
}

/** The words for an HTTP answer that is not a success. */
export function problemOf(status: number, body: unknown): Problem {
  const err = isHttpError(body) ? body.error : undefined;
  const code = err?.code;
  const base = { code, message: err?.message, fields: err?.fields?.map((f) => ({ path: f.path, message: f.message })) };
  switch (code) {
    case 'UNAUTHORIZED':
      return { ...base, badBearer: true, title: 'This bearer is not accepted', next: 'Paste the operator bearer (the server’s AUTH_SECRET) again.' };
    case 'AUTH_NOT_CONFIGURED':
      return { ...base, title: 'The server has no operator secret', next: 'Set AUTH_SECRET on the server (.dev.vars locally), then reload.' };
    case 'ROOM_NOT_FOUND':
      return { ...base, title: 'There is no room with this game id', next: 'Check the id, or go back to the rooms list.' };
    case 'BAD_GAME_ID':
      return { ...base, title: 'That is not a game id', next: 'A game id is 1 to 128 characters of A-Z a-z 0-9 . _ -' };
    case 'ROOM_CLEANED_UP':
      return { ...base, title: 'This room was cleaned up', next: 'Its journal is still in D1: verify it and page through it below.' };
    case 'D1_UNAVAILABLE':
      return { ...base, title: 'D1 could not be read', next: 'Try again in a moment.' };
    case 'BAD_QUERY':
      return { ...base, title: 'The server refused the query', next: 'Reload the page.' };
    case 'DEV_FAULTS_OFF':
      return { ...base, title: 'Fault switches are off on this server', next: 'They work only under wrangler dev with DEV_FAULTS=1.' };
  }
  if (status >= 500 || code === undefined) {
    return { ...base, title: `The server failed (HTTP ${status})`, next: 'Try again; if it keeps failing, look at the server’s log.' };
  }
  return { ...base, title: 'The server refused the request', next: 'Read the reason below, change the request and try again.' };
}

/** The words when no answer came at all. */
export function networkProblem(e: unknown): Problem {
  return {
    title: 'The server does not answer',
    next: 'It may be down or restarting: check that it runs, then try again.',
    message: e instanceof Error ? e.message : String(e),
  };
}

/** A page of the journal (`GET …/journal`): its entries, the head and the next page's start. */
export type JournalPage = { entries: JournalEntry[]; head: number; nextFrom: number | null };

/** The NDJSON body of `GET …/journal`. */
export function parseJournal(text: string): JournalEntry[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as JournalEntry);
}

export class Api {
  constructor(
    private readonly bearer: string,
    private readonly base = '',
  ) {}

  private async call<T>(path: string, init: RequestInit = {}, read: (r: Response) => Promise<T> = (r) => r.json() as Promise<T>): Promise<Result<T>> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        ...init,
        headers: { ...(init.headers ?? {}), Authorization: `Bearer ${this.bearer}` },
        cache: 'no-store',
      });
    } catch (e) {
      return { ok: false, problem: networkProblem(e) };
    }
    if (!res.ok) {
      let body: unknown = null;
      try {
        body = await res.json();
      } catch {
        // Not JSON (a proxy's page, say): the status says enough.
      }
      return { ok: false, problem: problemOf(res.status, body) };
    }
    try {
      return { ok: true, value: await read(res) };
    } catch (e) {
      return { ok: false, problem: { title: 'The server’s answer could not be read', next: 'Try again.', message: String(e) } };
    }
  }

  rooms(q: { status?: string; limit: number; offset: number }): Promise<Result<RoomsResponse>> {
    const p = new URLSearchParams({ limit: String(q.limit), offset: String(q.offset) });
    if (q.status) p.set('status', q.status);
    return this.call(`/parties/game-server?${p}`);
  }

  state(game: string): Promise<Result<StateResponse>> {
    return this.call(`/parties/game-server/${encodeURIComponent(game)}/state`);
  }

  verify(game: string): Promise<Result<VerifyResponse>> {
    return this.call(`/parties/game-server/${encodeURIComponent(game)}/verify`);
  }

  journal(game: string, from: number, limit: number): Promise<Result<JournalPage>> {
    return this.call(`/parties/game-server/${encodeURIComponent(game)}/journal?from=${from}&limit=${limit}`, {}, async (r) => {
      const next = r.headers.get('X-Next-From');
      return {
        entries: parseJournal(await r.text()),
        head: Number(r.headers.get('X-Journal-Head') ?? 0),
        nextFrom: next === null ? null : Number(next),
      };
    });
  }

  admin(game: string, body: AdminRequest): Promise<Result<AdminResponse>> {
    return this.call(`/parties/game-server/${encodeURIComponent(game)}/admin`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }
}

/** How a journal row stands against the last verification. */
export type RowCheck = 'verified' | 'broken' | 'after-break' | 'unchecked';

export function rowCheck(seq: number, v: VerifyResponse | null): RowCheck {
  if (v === null) return 'unchecked';
  if (v.firstBadSeq !== null && v.firstBadSeq !== undefined) {
    if (seq < v.firstBadSeq) return 'verified';
    return seq === v.firstBadSeq ? 'broken' : 'after-break';
  }
  return seq <= v.headSeq ? 'verified' : 'unchecked';
}

export const ROW_CHECK_WORDS: Record<RowCheck, string> = {
  verified: 'verified in D1',
  broken: 'FAILS verification',
  'after-break': 'after the break: not verified',
  unchecked: 'not checked (not in D1 when verified, or not verified yet)',
};

/** One sentence for a verification result. */
export function verifySummary(v: VerifyResponse): string {
  switch (v.status) {
    case 'VERIFIED':
      return `D1's journal verifies: entries 1 to ${v.headSeq} link and hash correctly.`;
    case 'EMPTY':
      return 'D1 holds no journal entry for this game yet.';
    case 'BROKEN':
      return `D1's journal is BROKEN at entry ${v.firstBadSeq ?? '?'} (${v.badField ?? '?'}): ${v.problem ?? ''}. Entries 1 to ${v.headSeq} verify.`;
  }
}

/** The commands that make the replay report of a game (docs/client.md, "The operator page"). */
export function reportCommands(game: string): { local: string; remote: string; jsonl: string } {
  const out = `report-${game}.html`;
  return {
    local: `po-replay report .wrangler/state/v3/d1 --game ${game} --out ${out}`,
    remote: `npx wrangler d1 export pecking-order --remote --output=export.sql && po-replay report export.sql --game ${game} --out ${out}`,
    jsonl: `po-replay report ${game}.jsonl --game ${game} --out ${out}`,
  };
}
