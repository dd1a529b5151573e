import { describe, expect, it } from 'vitest';
import type { Voting } from './types';
import { verbsFor } from './ui/vote';

const ballot = (over: Partial<Voting>): Voting => ({
  mechanism: 'MAJORITY',
  stage: 'VOTE',
  voters: ['p1', 'p2', 'p3'],
  targets: ['p1', 'p2', 'p3'],
  immune: [],
  hasVoted: [],
  myVote: null,
  myPick: null,
  myStake: null,
  ...over,
});

describe('the verbs a player is offered (docs/voting.md)', () => {
  it('one verb per single-stage mechanism, none for a non-voter', () => {
    expect(verbsFor(ballot({}), 'p1').map((v) => v.verb)).toEqual(['CAST']);
    expect(verbsFor(ballot({ mechanism: 'SHIELD' }), 'p1').map((v) => v.verb)).toEqual(['SAVE']);
    expect(verbsFor(ballot({ mechanism: 'FINALS', voters: ['p4'] }), 'p1')).toEqual([]);
    expect(verbsFor(ballot({ mechanism: 'SECOND_TO_LAST' }), 'p1')).toEqual([]);
  });

  it('TRUST_PAIRS offers TRUST (not oneself) and ELIMINATE, with what was chosen', () => {
    const v = verbsFor(ballot({ mechanism: 'TRUST_PAIRS', myPick: 'p2' }), 'p1');
    expect(v.map((x) => [x.verb, x.self, x.current])).toEqual([
      ['TRUST', false, 'p2'],
      ['ELIMINATE', true, null],
    ]);
  });

  it('second stages: only the executioner picks; duels nominate others', () => {
    expect(verbsFor(ballot({ mechanism: 'EXECUTIONER', stage: 'PICK', executioner: 'p2' }), 'p1')).toEqual([]);
    expect(verbsFor(ballot({ mechanism: 'EXECUTIONER', stage: 'PICK', executioner: 'p1' }), 'p1').map((v) => v.verb)).toEqual(['PICK']);
    expect(verbsFor(ballot({ mechanism: 'EXECUTIONER' }), 'p1').map((v) => v.verb)).toEqual(['ELECT']);
    expect(verbsFor(ballot({ mechanism: 'DUELS' }), 'p1').map((v) => [v.verb, v.self])).toEqual([['CAST', false]]);
    expect(verbsFor(ballot({ mechanism: 'DUELS', stage: 'DUEL', duelists: ['p1', 'p2'] }), 'p1')).toEqual([]);
  });
});
