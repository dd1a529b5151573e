import { describe, expect, it } from 'vitest';
import { heard, IDLE_MS, mentionsIn, QUIET, REPEAT_MS, segments, SHOWN_MS, stopped, tick, typed, typers, typingLine, withMention, type Sender, type Signal } from './compose';

// Drives a sender through (time, event) steps; returns the signals with their times.
function run(events: [number, 'type' | 'stop' | 'tick', string?][]): [number, Signal][] {
  let s: Sender = QUIET;
  const out: [number, Signal][] = [];
  for (const [t, e, ch] of events) {
    const [next, sig] = e === 'type' ? typed(s, ch ?? 'MAIN', t) : e === 'stop' ? stopped(s, t) : tick(s, t);
    s = next;
    if (sig) out.push([t, sig]);
  }
  return out;
}

const T = (channelId = 'MAIN') => ({ type: 'PRESENCE.TYPING', channelId });
const S = (channelId = 'MAIN') => ({ type: 'PRESENCE.STOP_TYPING', channelId });

describe('typing sender', () => {
  it('announces once, repeats every REPEAT_MS while typing, never faster than 1/s', () => {
    const keys: [number, 'type'][] = [];
    for (let t = 0; t <= 7000; t += 100) keys.push([t, 'type']);
    const out = run(keys);
    expect(out).toEqual([
      [0, T()],
      [REPEAT_MS, T()],
      [2 * REPEAT_MS, T()],
    ]);
  });

  it('stops after IDLE_MS without input, or when the message is sent', () => {
    expect(run([[0, 'type'], [1000, 'tick'], [IDLE_MS - 1, 'tick'], [IDLE_MS, 'tick'], [IDLE_MS + 1000, 'tick']])).toEqual([
      [0, T()],
      [IDLE_MS, S()],
    ]);
    expect(run([[0, 'type'], [1500, 'stop'], [2000, 'tick']])).toEqual([
      [0, T()],
      [1500, S()],
    ]);
  });

  it('sends a STOP at once, and holds a TYPING within 1 s of the last TYPING until a tick allows it', () => {
    expect(run([[0, 'type'], [300, 'stop'], [600, 'tick'], [1000, 'tick'], [2000, 'tick']])).toEqual([
      [0, T()],
      [300, S()],
    ]);
    // Typing again right after: its TYPING waits for the tick a second after the first.
    expect(run([[0, 'type'], [300, 'stop'], [500, 'type'], [900, 'tick'], [1000, 'tick'], [1100, 'tick']])).toEqual([
      [0, T()],
      [300, S()],
      [1000, T()],
    ]);
  });

  it('follows the player into another conversation', () => {
    expect(run([[0, 'type', 'MAIN'], [200, 'type', 'dm:1:2'], [1000, 'tick'], [1100, 'type', 'dm:1:2']])).toEqual([
      [0, T('MAIN')],
      [1000, T('dm:1:2')],
    ]);
  });

  it('sends nothing when nothing was typed', () => {
    expect(run([[0, 'stop'], [1000, 'tick'], [9000, 'tick']])).toEqual([]);
  });
});

describe('typing board', () => {
  it('shows a typer until STOP or SHOWN_MS of silence', () => {
    let b = heard({}, { type: 'PRESENCE.TYPING', playerId: 'p2', channelId: 'MAIN' }, 0);
    b = heard(b, { type: 'PRESENCE.TYPING', playerId: 'p1', channelId: 'MAIN' }, 0);
    b = heard(b, { type: 'PRESENCE.TYPING', playerId: 'p3', channelId: 'dm:1:3' }, 0);
    expect(typers(b, 'MAIN', 10)).toEqual(['p1', 'p2']);
    expect(typers(b, 'dm:1:3', 10)).toEqual(['p3']);
    expect(typers(b, 'MAIN', SHOWN_MS)).toEqual([]);
    expect(typers(heard(b, { type: 'PRESENCE.STOP_TYPING', playerId: 'p1', channelId: 'MAIN' }, 5), 'MAIN', 10)).toEqual(['p2']);
  });

  it('says who in words', () => {
    expect(typingLine([])).toBe('');
    expect(typingLine(['Ada'])).toBe('Ada is typing…');
    expect(typingLine(['Ada', 'Bo'])).toBe('Ada and Bo are typing…');
    expect(typingLine(['Ada', 'Bo', 'Cy'])).toBe('Ada, Bo and Cy are typing…');
    expect(typingLine(['Ada', 'Bo', 'Cy', 'Di'])).toBe('4 people are typing…');
  });
});

describe('mentions', () => {
  const people = [
    { id: 'p1', personaName: 'Ada' },
    { id: 'p2', personaName: 'Bo' },
    { id: 'p3', personaName: 'Bo Jr' },
    { id: 'p4', personaName: 'C.J.' },
  ];

  it('finds @Name in the text, case-insensitive, longest name first, once each', () => {
    expect(mentionsIn('hi @bo jr and @Ada, @ada again', people)).toEqual(['p3', 'p1']);
    expect(mentionsIn('@Bo: yes', people)).toEqual(['p2']);
    expect(mentionsIn('@C.J. ok', people)).toEqual(['p4']);
    // Not a mention: a longer word, an e-mail-like string, no @.
    expect(mentionsIn('@Bob Ada bo@x', people)).toEqual([]);
  });

  it('cuts the text into plain and @Name pieces', () => {
    expect(segments('hi @Bo, see @Ada!', people.slice(0, 2))).toEqual([
      { text: 'hi ' },
      { text: '@Bo', at: 'p2' },
      { text: ', see ' },
      { text: '@Ada', at: 'p1' },
      { text: '!' },
    ]);
    expect(segments('plain', [])).toEqual([{ text: 'plain' }]);
  });

  it('adds a picked mention after a space', () => {
    expect(withMention('', 'Bo')).toBe('@Bo ');
    expect(withMention('hey', 'Bo')).toBe('hey @Bo ');
    expect(withMention('hey ', 'Bo Jr')).toBe('hey @Bo Jr ');
  });
});
