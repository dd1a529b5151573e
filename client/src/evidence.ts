// The player's evidence (docs/audit.md, docs/client.md "Evidence"): the receipts the room sent
// (`seq` and `head` of every ACK and of every journaled refusal's ERROR) and the signed checkpoint
// notes (CHECKPOINT frames), kept per game in localStorage so they survive a reload, and written
// as the files `po-replay receipt-check --receipts` and `po-replay verify --checkpoint` read
// (docs/replay.md). Bounded: the last MAX_RECEIPTS receipts per game and every checkpoint; when
// storage is full the oldest receipts go first. Never throws: without storage (private mode, a
// blocked or full quota) the evidence is kept in memory for this page only.

/** One receipt: the room journaled the player's action `ref` as entry `seq`, whose hash is `head`. */
export type Receipt = {
  gameId: string;
  seq: number;
  head: string;
  /** `ACK` (accepted) or `ERROR` (a journaled refusal, with its `code`). */
  type: 'ACK' | 'ERROR';
  ref: string | null;
  code?: string;
};

/** A signed checkpoint as received: `note` is the C2SP signed-note text, byte for byte. */
export type KeptCheckpoint = { gameId: string; seq: number; head: string; note: string };

/** The frames that carry evidence (the rest are ignored). */
export type EvidenceFrame =
  | { type: 'ACK'; seq: number; head: string; ref: string | null }
  | { type: 'ERROR'; code: string; seq?: number | null; head?: string | null; ref: string | null }
  | { type: 'CHECKPOINT'; seq: number; head: string; note: string };

/** The part of the Web Storage API used here (injectable for tests). */
export type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const MAX_RECEIPTS = 500;
/** A checkpoint a day plus one at the end and on request: far more than any game has. */
export const MAX_CHECKPOINTS = 1000;
const HEX64 = /^[0-9a-f]{64}$/;

type Kept = { v: 1; receipts: Receipt[]; checkpoints: KeptCheckpoint[] };

/** The storage key of one game's evidence. */
export const storageKey = (gameId: string) => `po.evidence.${gameId}`;

function defaultStorage(): KeyValue | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // a SecurityError when storage is blocked
  }
}

export class Evidence {
  private kept: Kept = { v: 1, receipts: [], checkpoints: [] };
  private listeners = new Set<() => void>();

  constructor(
    readonly gameId: string,
    private storage: KeyValue | null = defaultStorage(),
  ) {
    this.load();
  }

  get receipts(): readonly Receipt[] {
    return this.kept.receipts;
  }

  get checkpoints(): readonly KeptCheckpoint[] {
    return this.kept.checkpoints;
  }

  /** Called after every change (the UI re-renders its counts). */
  subscribe(f: () => void): () => void {
    this.listeners.add(f);
    return () => void this.listeners.delete(f);
  }

  /** Keeps the evidence a frame carries: an ACK, an ERROR with `seq` and `head`, a CHECKPOINT. */
  record(frame: EvidenceFrame): boolean {
    if (!this.add(frame)) return false;
    this.save();
    for (const f of this.listeners) f();
    return true;
  }

  private add(frame: EvidenceFrame): boolean {
    const { seq, head } = frame;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return false;
    if (typeof head !== 'string' || !HEX64.test(head)) return false;
    if (frame.type === 'CHECKPOINT') {
      if (typeof frame.note !== 'string' || !frame.note) return false;
      const cps = this.kept.checkpoints;
      if (cps.some((c) => c.seq === seq && c.note === frame.note)) return false;
      cps.push({ gameId: this.gameId, seq, head, note: frame.note });
      cps.sort((a, b) => a.seq - b.seq);
      if (cps.length > MAX_CHECKPOINTS) cps.splice(0, cps.length - MAX_CHECKPOINTS);
    } else {
      const rs = this.kept.receipts;
      if (rs.some((r) => r.seq === seq && r.head === head)) return false;
      const r: Receipt = { gameId: this.gameId, seq, head, type: frame.type, ref: frame.ref ?? null };
      if (frame.type === 'ERROR') r.code = frame.code;
      rs.push(r);
      rs.sort((a, b) => a.seq - b.seq);
      if (rs.length > MAX_RECEIPTS) rs.splice(0, rs.length - MAX_RECEIPTS);
    }
    return true;
  }

  /** The receipts file (`po-replay receipt-check --receipts FILE`): one JSON object a line, by seq. */
  receiptsFile(): string {
    return receiptsText(this.kept.receipts);
  }

  /** The file name of the receipts download. */
  receiptsFileName(): string {
    return `${safe(this.gameId)}.receipts`;
  }

  /** The file name of one checkpoint download (`po-replay verify --checkpoint FILE`). */
  checkpointFileName(c: KeptCheckpoint): string {
    return `${safe(this.gameId)}-seq${c.seq}.checkpoint`;
  }

  private load(): void {
    let text: string | null = null;
    try {
      text = this.storage?.getItem(storageKey(this.gameId)) ?? null;
    } catch {
      return;
    }
    if (!text) return;
    try {
      const k = JSON.parse(text) as Partial<Kept>;
      if (k.v !== 1 || !Array.isArray(k.receipts) || !Array.isArray(k.checkpoints)) return;
      // Re-record each item: whatever a stored copy holds goes through the same checks.
      for (const r of k.receipts) if (r && typeof r === 'object') this.add({ ...r, type: r.type === 'ERROR' ? 'ERROR' : 'ACK', code: r.code ?? '' } as EvidenceFrame);
      for (const c of k.checkpoints) if (c && typeof c === 'object') this.add({ type: 'CHECKPOINT', seq: c.seq, head: c.head, note: c.note });
    } catch {
      /* unreadable: start afresh (the next save overwrites it) */
    }
  }

  /**
   * Writes to storage. On a full quota the stored copy drops its oldest receipts (half at a time)
   * until it fits; what this page holds keeps them (a download still has them until a reload).
   */
  private save(): void {
    if (!this.storage) return;
    let receipts = this.kept.receipts;
    for (;;) {
      try {
        this.storage.setItem(storageKey(this.gameId), JSON.stringify({ ...this.kept, receipts }));
        return;
      } catch {
        if (receipts.length === 0) return; // storage refuses even the checkpoints: memory only
        receipts = receipts.slice(Math.max(1, Math.floor(receipts.length / 2)));
      }
    }
  }
}

/** Receipts as `po-replay receipt-check` reads them: JSON lines, keys in a fixed order, by seq. */
export function receiptsText(receipts: readonly Receipt[]): string {
  return receipts
    .map((r) => {
      const o: Record<string, unknown> = { gameId: r.gameId, seq: r.seq, head: r.head, type: r.type, ref: r.ref };
      if (r.type === 'ERROR') o.code = r.code ?? '';
      return `${JSON.stringify(o)}\n`;
    })
    .join('');
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

/** Offers `text` as a file download (browser only). */
export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
