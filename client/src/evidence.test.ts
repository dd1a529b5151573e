import { describe, expect, it } from 'vitest';
import { Evidence, MAX_RECEIPTS, storageKey, type EvidenceFrame, type KeyValue } from './evidence';

// Node's fs and env, typed here: the client's tsconfig has no Node types (tests run under node).
type Fs = { readFileSync(p: URL, enc: 'utf8'): string; writeFileSync(p: URL, text: string): void };
const { readFileSync, writeFileSync } = (await import('node:fs' as string)) as Fs;
declare const process: { env: Record<string, string | undefined> };

/** Shared with replay/tests/it/client_evidence.rs, which runs po-replay on the files. */
const FIXTURES = new URL('../../replay/tests/fixtures/client-evidence/', import.meta.url);
const fixture = (name: string) => new URL(name, FIXTURES);

class MemoryStorage implements KeyValue {
  map = new Map<string, string>();
  writes = 0;
  constructor(private limit = Infinity) {}
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.writes += 1;
    if (v.length > this.limit) throw new DOMException('full', 'QuotaExceededError');
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

const hex = (n: number) => n.toString(16).padStart(64, '0');
const ack = (seq: number): EvidenceFrame => ({ type: 'ACK', seq, head: hex(seq), ref: `c${seq}` });

describe('evidence files', () => {
  it('writes exactly the files po-replay reads (shared fixtures)', () => {
    const frames = readFileSync(fixture('frames.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l: string) => JSON.parse(l) as EvidenceFrame);
    const ev = new Evidence('tie-game', new MemoryStorage());
    for (const f of frames) ev.record(f);
    expect(ev.checkpoints).toHaveLength(1);
    const cp = ev.checkpoints[0]!;
    const files: [string, string][] = [
      [ev.receiptsFileName(), ev.receiptsFile()],
      [ev.checkpointFileName(cp), cp.note],
    ];
    expect(files.map((f) => f[0])).toEqual(['tie-game.receipts', 'tie-game-seq31.checkpoint']);
    for (const [name, text] of files) {
      if (process.env.UPDATE_FIXTURES) writeFileSync(fixture(name), text);
      expect(text).toBe(readFileSync(fixture(name), 'utf8'));
    }
    // One JSON object a line, by seq, with the game, seq and head of each ACK.
    const acks = frames.filter((f): f is Extract<EvidenceFrame, { type: 'ACK' }> => f.type === 'ACK');
    expect(ev.receiptsFile().split('\n')).toHaveLength(acks.length + 1);
    expect(ev.receiptsFile().endsWith('\n')).toBe(true);
    for (const [i, line] of ev.receiptsFile().trimEnd().split('\n').entries()) {
      expect(JSON.parse(line)).toEqual({ gameId: 'tie-game', seq: acks[i]!.seq, head: acks[i]!.head, type: 'ACK', ref: acks[i]!.ref });
    }
  });

  it('keeps a journaled refusal and ignores frames without a receipt', () => {
    const ev = new Evidence('g1', new MemoryStorage());
    expect(ev.record({ type: 'ERROR', code: 'VOTING_CLOSED', ref: 'c1', seq: 9, head: hex(9) })).toBe(true);
    // Refused before the engine, or over the refusal budget: nothing was journaled.
    expect(ev.record({ type: 'ERROR', code: 'INVALID_FIELDS', ref: 'c2' })).toBe(false);
    expect(ev.record({ type: 'ERROR', code: 'RATE_LIMITED', ref: 'c3', seq: null, head: null })).toBe(false);
    expect(ev.record({ type: 'ACK', seq: 3, head: 'not-hex', ref: 'c4' })).toBe(false);
    expect(ev.record({ type: 'ACK', seq: -1, head: hex(1), ref: 'c4' })).toBe(false);
    expect(ev.record(ack(3))).toBe(true);
    expect(ev.record(ack(3))).toBe(false); // the same receipt twice is kept once
    expect(ev.receiptsFile()).toBe(
      `{"gameId":"g1","seq":3,"head":"${hex(3)}","type":"ACK","ref":"c3"}\n` +
        `{"gameId":"g1","seq":9,"head":"${hex(9)}","type":"ERROR","ref":"c1","code":"VOTING_CLOSED"}\n`,
    );
    expect(ev.receiptsFileName()).toBe('g1.receipts');
    expect(new Evidence('a/b c', null).receiptsFileName()).toBe('a_b_c.receipts');
  });
});

describe('evidence storage', () => {
  it('survives a reload, per game', () => {
    const s = new MemoryStorage();
    const a = new Evidence('g1', s);
    a.record(ack(5));
    a.record({ type: 'CHECKPOINT', seq: 4, head: hex(4), note: 'pecking-order/g1\n4\n…\n\n— sig\n' });
    new Evidence('g2', s).record(ack(7));
    const again = new Evidence('g1', s);
    expect(again.receipts.map((r) => r.seq)).toEqual([5]);
    expect(again.checkpoints.map((c) => c.note)).toEqual(['pecking-order/g1\n4\n…\n\n— sig\n']);
    expect(again.receiptsFile()).toBe(a.receiptsFile());
    expect(new Evidence('g2', s).receipts.map((r) => r.seq)).toEqual([7]);
  });

  it('keeps the last receipts and every checkpoint, oldest receipts dropped first', () => {
    const s = new MemoryStorage();
    const ev = new Evidence('g1', s);
    for (let seq = 1; seq <= MAX_RECEIPTS + 100; seq++) ev.record(ack(seq));
    for (let seq = 1; seq <= 30; seq++) ev.record({ type: 'CHECKPOINT', seq: seq * 10, head: hex(seq), note: `n${seq}\n` });
    expect(ev.receipts).toHaveLength(MAX_RECEIPTS);
    expect(ev.receipts[0]!.seq).toBe(101);
    expect(ev.receipts.at(-1)!.seq).toBe(MAX_RECEIPTS + 100);
    expect(ev.checkpoints).toHaveLength(30);
    const stored = new Evidence('g1', s);
    expect(stored.receipts).toHaveLength(MAX_RECEIPTS);
    expect(stored.checkpoints).toHaveLength(30);
  });

  it('never throws when storage is full: drops the oldest receipts, keeps checkpoints', () => {
    const s = new MemoryStorage(6000);
    const ev = new Evidence('g1', s);
    ev.record({ type: 'CHECKPOINT', seq: 2, head: hex(2), note: 'note\n' });
    for (let seq = 3; seq <= 200; seq++) expect(() => ev.record(ack(seq))).not.toThrow();
    const stored = JSON.parse(s.getItem(storageKey('g1'))!);
    expect(stored.checkpoints).toHaveLength(1);
    expect(stored.receipts.length).toBeGreaterThan(0);
    expect(stored.receipts.at(-1).seq).toBe(200); // the newest is kept
    expect(JSON.stringify(stored).length).toBeLessThanOrEqual(6000);
    // Storage that refuses everything: kept in memory for this page.
    const none = new Evidence('g1', new MemoryStorage(0));
    expect(none.record(ack(1))).toBe(true);
    expect(none.receipts).toHaveLength(1);
    // What the page holds is not cut by a full storage: a download still has every receipt.
    expect(ev.receipts).toHaveLength(198);
  });

  it('never throws when storage is unavailable or holds junk', () => {
    const broken: KeyValue = {
      getItem() {
        throw new DOMException('blocked', 'SecurityError');
      },
      setItem() {
        throw new DOMException('blocked', 'SecurityError');
      },
      removeItem() {
        throw new DOMException('blocked', 'SecurityError');
      },
    };
    const ev = new Evidence('g1', broken);
    expect(() => ev.record(ack(1))).not.toThrow();
    const mem = new Evidence('g1', null);
    mem.record(ack(2));
    expect(mem.receipts).toHaveLength(1);
    // No localStorage at all (node): the default is memory only.
    expect(() => new Evidence('g1').record(ack(3))).not.toThrow();
    const junk = new MemoryStorage();
    junk.map.set(storageKey('g1'), '{not json');
    expect(new Evidence('g1', junk).receipts).toHaveLength(0);
    junk.map.set(storageKey('g1'), JSON.stringify({ v: 1, receipts: [{ seq: 'x', head: 1 }, { gameId: 'g1', seq: 4, head: hex(4), type: 'ACK', ref: null }], checkpoints: [null] }));
    expect(new Evidence('g1', junk).receipts.map((r) => r.seq)).toEqual([4]);
  });
});

describe('evidence card', () => {
  it('names the day a checkpoint note states', async () => {
    const { noteDay } = await import('./ui/evidence');
    const note = readFileSync(fixture('tie-game-seq31.checkpoint'), 'utf8');
    expect(noteDay(note)).toBe(3);
    expect(noteDay('pecking-order/g\n4\nAAAA\n\n— x y\n')).toBeNull();
  });
});
