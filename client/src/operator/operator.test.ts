import { describe, expect, it } from 'vitest';
import { networkProblem, parseJournal, problemOf, reportCommands, rowCheck, verifySummary } from './api';
import type { VerifyResponse } from './types';

const err = (code: string, message = 'm') => ({ error: { code, message } });

describe('the words for a failure', () => {
  it('say what happened for each case an operator meets', () => {
    const bearer = problemOf(401, err('UNAUTHORIZED', 'invalid bearer token'));
    expect(bearer.title).toBe('This bearer is not accepted');
    expect(bearer.badBearer).toBe(true);
    expect(problemOf(404, err('ROOM_NOT_FOUND')).title).toBe('There is no room with this game id');
    expect(problemOf(503, err('AUTH_NOT_CONFIGURED')).title).toBe('The server has no operator secret');
    expect(problemOf(410, err('ROOM_CLEANED_UP')).title).toBe('This room was cleaned up');
    expect(problemOf(502, null).title).toBe('The server failed (HTTP 502)');
    expect(networkProblem(new TypeError('Failed to fetch')).title).toBe('The server does not answer');
  });
  it('keep the code, the message and the bad fields', () => {
    const body = { error: { code: 'INVALID_FIELDS', message: 'invalid fields for CREDIT_SILVER', fields: [{ path: 'rewards.p1', code: 'WRONG_TYPE', message: 'x' }] } };
    const p = problemOf(400, body);
    expect(p.title).toBe('The server refused the request');
    expect(p.code).toBe('INVALID_FIELDS');
    expect(p.fields).toEqual([{ path: 'rewards.p1', message: 'x' }]);
  });
});

const verified: VerifyResponse = {
  gameId: 'g', status: 'VERIFIED', entriesChecked: 10, headSeq: 10, headHash: 'a'.repeat(64),
  firstBadSeq: null, badField: null, problem: null, checkedAtMs: 1,
};

describe('verification', () => {
  it('marks each journal row', () => {
    expect(rowCheck(3, null)).toBe('unchecked');
    expect(rowCheck(10, verified)).toBe('verified');
    expect(rowCheck(11, verified)).toBe('unchecked');
    const broken = { ...verified, status: 'BROKEN' as const, headSeq: 4, entriesChecked: 4, firstBadSeq: 5, badField: 'hash', problem: 'entry 5 was altered' };
    expect([4, 5, 6].map((s) => rowCheck(s, broken))).toEqual(['verified', 'broken', 'after-break']);
    expect(verifySummary(broken)).toContain('BROKEN at entry 5 (hash)');
    expect(verifySummary(verified)).toContain('entries 1 to 10');
  });
  it('reads a journal page and names the report commands', () => {
    expect(parseJournal('{"seq":1}\n{"seq":2}\n').map((e) => e.seq)).toEqual([1, 2]);
    expect(reportCommands('g1').local).toBe('po-replay report .wrangler/state/v3/d1 --game g1 --out report-g1.html');
  });
});
