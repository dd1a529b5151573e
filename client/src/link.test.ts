import { describe, expect, it } from 'vitest';
import { backoffMs, closeProblem, diagnose } from './connection';
import { decodeClaims, parseLink, socketUrl, withTokenInFragment } from './link';
import { mergeTicker } from './ui/ticker';

const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const token = (claims: object) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.sig`;
const future = Math.floor(Date.now() / 1000) + 3600;

describe('links', () => {
  it('reads the game from the query and the token from the fragment', () => {
    const t = token({ gameId: 'g1', playerId: 'p1', exp: future });
    const l = parseLink(`http://h/play/?game=g1#token=${t}`);
    expect(l?.game).toBe('g1');
    expect(l?.token).toBe(t);
    expect(l?.claims).toMatchObject({ gameId: 'g1', playerId: 'p1' });
    expect(parseLink('http://h/play/')).toBeNull();
    expect(parseLink('http://h/play/?game=g1')).toBeNull();
  });

  it('moves a query token into the fragment', () => {
    expect(withTokenInFragment('http://h/play/?game=g1&token=abc')).toBe('http://h/play/?game=g1#token=abc');
    expect(withTokenInFragment('http://h/play/?game=g1#token=abc')).toBeNull();
  });

  it('builds the socket address of the room', () => {
    expect(socketUrl('http://127.0.0.1:8787', 'g 1', 'a.b.c')).toBe('ws://127.0.0.1:8787/parties/game-server/g%201?token=a.b.c');
    expect(socketUrl('https://x.dev', 'g', 't')).toBe('wss://x.dev/parties/game-server/g?token=t');
    expect(socketUrl('https://x.dev', 'g', 't', { delta: true })).toBe('wss://x.dev/parties/game-server/g?token=t&delta=1');
    expect(socketUrl('https://x.dev', 'g', 't', { delta: true, resume: 42 })).toBe('wss://x.dev/parties/game-server/g?token=t&delta=1&v=42');
  });

  it('refuses tokens it cannot read', () => {
    expect(decodeClaims('nope')).toBeNull();
    expect(decodeClaims('a.%%%.c')).toBeNull();
    expect(decodeClaims(token({ gameId: 'g', playerId: 1, exp: 1 }))).toBeNull();
  });
});

describe('reconnecting', () => {
  it('backs off from half a second to fifteen, with jitter', () => {
    expect(backoffMs(0, () => 0.5)).toBe(500);
    expect(backoffMs(1, () => 0.5)).toBe(1000);
    expect(backoffMs(20, () => 0.5)).toBe(15000);
    expect(backoffMs(0, () => 0)).toBe(375);
    expect(backoffMs(0, () => 1)).toBe(625);
  });
});

describe('diagnose a refused link', () => {
  const answer = (status: number, body: object) => (async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;
  it('tells an expired, a broken, a foreign and a forged link apart', async () => {
    const expired = parseLink(`http://h/play/?game=g#token=${token({ gameId: 'g', playerId: 'p1', exp: 1 })}`)!;
    expect((await diagnose(expired, 'http://h', answer(200, {})))?.title).toBe('Your link has expired');
    const broken = { game: 'g', token: 'x', claims: null };
    expect((await diagnose(broken, 'http://h', answer(200, {})))?.title).toBe('This link is broken');
    const other = parseLink(`http://h/play/?game=g#token=${token({ gameId: 'h', playerId: 'p1', exp: future })}`)!;
    expect((await diagnose(other, 'http://h', answer(200, {})))?.title).toBe('This link is for another game');
    const ok = parseLink(`http://h/play/?game=g#token=${token({ gameId: 'g', playerId: 'p1', exp: future })}`)!;
    const forged = await diagnose(ok, 'http://h', answer(401, { error: { code: 'UNAUTHORIZED', message: 'invalid bearer token' } }));
    expect(forged?.title).toBe('This link is not valid');
    const gone = await diagnose(ok, 'http://h', answer(401, { error: { code: 'UNAUTHORIZED', message: 'no such game' } }));
    expect(gone?.title).toBe('This game does not exist');
    expect(await diagnose(ok, 'http://h', answer(200, {}))).toBeNull();
    const down = await diagnose(ok, 'http://h', (async () => Promise.reject(new Error('down'))) as unknown as typeof fetch);
    expect(down?.next).toBe('wait');
  });
});

describe('ticker', () => {
  it('keeps each (seq, text) once, in seq order', () => {
    const l = (seq: number, text: string) => ({ seq, text, atMs: 0, day: 1, category: 'VOTE' as const, players: [] });
    const merged = mergeTicker([l(2, 'b'), l(1, 'a')], [l(2, 'b'), l(3, 'c'), l(2, 'b2')]);
    expect(merged.map((x) => x.text)).toEqual(['a', 'b', 'b2', 'c']);
  });
});

describe('a close the player must act on', () => {
  it('too many sockets (4009) asks to close a tab, then offers to retry', () => {
    const p = closeProblem(4009);
    expect(p?.title).toBe('This game is open in too many places');
    expect(p?.next).toBe('retry');
  });
  it('a drop, a restart or a flood close is left to the silent reconnect', () => {
    for (const code of [1000, 1001, 1006, 1011, 1012, 4008]) expect(closeProblem(code)).toBeNull();
  });
});
