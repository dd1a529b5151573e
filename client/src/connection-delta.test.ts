// The connection's rule for a gap (docs/protocol.md, "Resume"), driven through a stand-in
// WebSocket: a SYSTEM.DELTA applies only to the version held; a gap or an operation that does
// not apply asks once for SYSTEM.RESYNC and ignores deltas until the SYNC that answers it; a
// refused resync starts over without a version; a drop resumes from the version held.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Connection } from './connection';

class FakeSocket {
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 1;
  sent: string[] = [];
  closed = false;
  onmessage: ((ev: { data: string }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(s: string) {
    this.sent.push(s);
  }
  close() {
    this.closed = true;
  }
  frame(f: object) {
    this.onmessage?.({ data: JSON.stringify(f) });
  }
  resyncs() {
    return this.sent.filter((s) => (JSON.parse(s) as { type: string }).type === 'SYSTEM.RESYNC').length;
  }
}

const real = (globalThis as { WebSocket?: unknown }).WebSocket;
afterEach(() => {
  (globalThis as { WebSocket?: unknown }).WebSocket = real;
  FakeSocket.all = [];
  vi.useRealTimers();
});

const add = (v: number, base: number, text: string) => ({
  type: 'SYSTEM.DELTA',
  v,
  base,
  ops: [{ op: 'add', path: '/chat/-', value: text }],
});

describe('connection: deltas, gaps and resume', () => {
  it('applies deltas to the version held, resyncs once on a gap, and resumes from its version', () => {
    vi.useFakeTimers();
    (globalThis as { WebSocket?: unknown }).WebSocket = FakeSocket;
    const views: unknown[] = [];
    const link = { game: 'g1', token: 't', claims: null };
    const c = new Connection(
      link,
      'http://h',
      { status() {}, sync: (s) => views.push(s), ticker() {}, presence() {}, typing() {} },
      async () => null,
    );
    c.start();
    const ws = FakeSocket.all[0]!;
    expect(ws.url).toContain('&delta=1');
    expect(ws.url).not.toContain('&v=');
    ws.frame({ type: 'SYSTEM.SYNC', v: 5, state: { chat: [] } });
    ws.frame(add(6, 5, 'a'));
    expect(views.at(-1)).toEqual({ chat: ['a'] });
    // A gap: one RESYNC, and the deltas after it are ignored until the SYNC.
    ws.frame(add(8, 7, 'c'));
    ws.frame(add(9, 8, 'd'));
    expect(ws.resyncs()).toBe(1);
    expect(views).toHaveLength(2);
    ws.frame({ type: 'SYSTEM.SYNC', v: 9, state: { chat: ['a', 'b', 'c', 'd'] } });
    ws.frame(add(10, 9, 'e'));
    expect(views.at(-1)).toEqual({ chat: ['a', 'b', 'c', 'd', 'e'] });
    // An operation that does not apply: the same rule.
    ws.frame({ type: 'SYSTEM.DELTA', v: 11, base: 10, ops: [{ op: 'remove', path: '/nowhere' }] });
    expect(ws.resyncs()).toBe(2);
    ws.frame({ type: 'SYSTEM.SYNC', v: 11, state: { chat: ['x'] } });

    // A drop: the reconnect asks to resume from the version held.
    ws.onclose?.({ code: 1006 });
    vi.advanceTimersByTime(60_000);
    const back = FakeSocket.all[1]!;
    expect(back.url).toContain('&delta=1&v=11');
    back.frame({ type: 'SYSTEM.DELTA', v: 12, base: 11, ops: [] });
    expect(views.at(-1)).toEqual({ chat: ['x'] });
    expect(back.resyncs()).toBe(0);

    // A resync the room refuses (rate-limited): closed, and the next connection starts over
    // without a version (its first frame a full SYNC).
    back.frame(add(14, 13, 'z'));
    expect(back.resyncs()).toBe(1);
    back.frame({ type: 'ERROR', ref: 'resync', code: 'RATE_LIMITED', message: 'slow down' });
    expect(back.closed).toBe(true);
    back.onclose?.({ code: 1000 });
    vi.advanceTimersByTime(60_000);
    const fresh = FakeSocket.all[2]!;
    expect(fresh.url).toContain('&delta=1');
    expect(fresh.url).not.toContain('&v=');
    c.stop();
  });
});
