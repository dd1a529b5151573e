import { describe, expect, it } from 'vitest';
import { applyDelta, DeltaError } from '../../schemas/apply-delta';
import type { DeltaOp } from './types';

describe('applyDelta', () => {
  const doc = {
    chat: [{ id: 1, content: 'hi' }],
    roster: [
      { id: 'p1', silver: 50 },
      { id: 'p2', silver: 50 },
    ],
    'a/b': { '~': 1 },
    voting: null as null | { stage: string },
  };

  it('applies add, remove and replace as RFC 6902 says, without touching the input', () => {
    const before = JSON.stringify(doc);
    const ops: DeltaOp[] = [
      { op: 'add', path: '/chat/-', value: { id: 2, content: 'there' } },
      { op: 'replace', path: '/roster/1/silver', value: 55 },
      { op: 'replace', path: '/a~1b/~0', value: 2 },
      { op: 'replace', path: '/voting', value: { stage: 'VOTE' } },
      { op: 'add', path: '/chat/0', value: { id: 0, content: 'first' } },
      { op: 'remove', path: '/roster/0' },
      { op: 'add', path: '/winner', value: 'p2' },
    ];
    const out = applyDelta(doc, ops) as Record<string, unknown>;
    expect(out).toEqual({
      chat: [
        { id: 0, content: 'first' },
        { id: 1, content: 'hi' },
        { id: 2, content: 'there' },
      ],
      roster: [{ id: 'p2', silver: 55 }],
      'a/b': { '~': 2 },
      voting: { stage: 'VOTE' },
      winner: 'p2',
    });
    expect(JSON.stringify(doc)).toBe(before);
    // What no operation touched is shared, not copied.
    expect((out.chat as unknown[])[1]).toBe(doc.chat[0]);
    expect(applyDelta(doc, [])).toBe(doc);
    expect(applyDelta(doc, [{ op: 'replace', path: '', value: [1] }])).toEqual([1]);
  });

  it('refuses an operation that does not apply', () => {
    const bad: DeltaOp[][] = [
      [{ op: 'replace', path: '/nope', value: 1 }],
      [{ op: 'remove', path: '/chat/1' }],
      [{ op: 'replace', path: '/chat/01', value: 1 }],
      [{ op: 'add', path: '/chat/5', value: 1 }],
      [{ op: 'add', path: '/voting/stage', value: 'x' }],
      [{ op: 'add', path: 'chat', value: 1 }],
      [{ op: 'remove', path: '' }],
    ];
    for (const ops of bad) expect(() => applyDelta(doc, ops), JSON.stringify(ops)).toThrow(DeltaError);
  });

  it('treats __proto__ as an ordinary key', () => {
    const out = applyDelta({} as Record<string, unknown>, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
