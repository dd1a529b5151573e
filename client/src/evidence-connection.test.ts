// The connection hands every ACK, ERROR and CHECKPOINT to its `evidence` handler (docs/client.md
// "Evidence"), driven here through a stand-in WebSocket.
import { afterEach, describe, expect, it } from 'vitest';
import { Connection } from './connection';
import { Evidence, type EvidenceFrame } from './evidence';

class FakeSocket {
  static OPEN = 1;
  static last: FakeSocket | null = null;
  readyState = 1;
  sent: string[] = [];
  onmessage: ((ev: { data: string }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  send(s: string) {
    this.sent.push(s);
  }
  close() {}
  frame(f: object) {
    this.onmessage?.({ data: JSON.stringify(f) });
  }
}

const real = (globalThis as { WebSocket?: unknown }).WebSocket;
afterEach(() => {
  (globalThis as { WebSocket?: unknown }).WebSocket = real;
});

describe('connection → evidence', () => {
  it('records receipts and checkpoints as they arrive, and still answers the sender', async () => {
    (globalThis as { WebSocket?: unknown }).WebSocket = FakeSocket;
    const seen: EvidenceFrame[] = [];
    const ev = new Evidence('g1', null);
    const link = { game: 'g1', token: 't', claims: null };
    const c = new Connection(link, 'http://h', {
      status() {},
      sync() {},
      ticker() {},
      presence() {},
      typing() {},
      evidence(f) {
        seen.push(f);
        ev.record(f);
      },
    });
    c.start();
    const ws = FakeSocket.last!;
    const head = 'ab'.repeat(32);
    const reply = c.send({ type: 'SOCIAL.SEND_MSG', content: 'hi' } as never);
    const ref = (JSON.parse(ws.sent[0]!) as { ref: string }).ref;
    ws.frame({ type: 'ACK', ref, seq: 12, head });
    expect(await reply).toEqual({ ok: true, seq: 12, head });
    ws.frame({ type: 'ERROR', ref: 'c9', code: 'VOTING_CLOSED', message: 'no', seq: 13, head: 'cd'.repeat(32) });
    ws.frame({ type: 'ERROR', ref: 'c10', code: 'INVALID_FIELDS', message: 'no' });
    ws.frame({ type: 'CHECKPOINT', seq: 14, head: 'ef'.repeat(32), note: 'pecking-order/g1\n14\n…\n\n— k s\n' });
    ws.frame({ type: 'PRESENCE.UPDATE', onlinePlayers: [] });
    expect(seen.map((f) => f.type)).toEqual(['ACK', 'ERROR', 'ERROR', 'CHECKPOINT']);
    expect(ev.receipts.map((r) => [r.seq, r.type, r.ref])).toEqual([
      [12, 'ACK', ref],
      [13, 'ERROR', 'c9'],
    ]);
    expect(ev.checkpoints.map((k) => k.seq)).toEqual([14]);
    c.stop();
  });
});
