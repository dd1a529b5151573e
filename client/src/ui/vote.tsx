// Every voting mechanism and its verbs (docs/voting.md): the choices offered are the ballot's own
// voters and targets from the projection, so the server's rules decide who may do what.
import { useState } from 'preact/hooks';
import { useGame } from '../ctx';
import type { Outgoing, VoteResultView, VoteType, Voting } from '../types';
import { name, names, was, words } from '../words';
import { Act, Choices, NumberField, Section, whole } from './common';

const ABOUT: Record<VoteType, string> = {
  MAJORITY: 'Everyone votes; the player with the most votes is eliminated.',
  BUBBLE: 'Save a player outside the top three in silver; the one with the fewest saves is eliminated.',
  PODIUM_SACRIFICE: 'Players off the podium save one of the top three; the podium player with the fewest saves is eliminated.',
  SECOND_TO_LAST: 'No vote: the second-poorest player in silver is eliminated.',
  SHIELD: 'Save a player; the one with the fewest saves is eliminated (ties: a seeded draw).',
  TRUST_PAIRS: 'Trust one player and vote to eliminate one. Two players who trust each other are safe.',
  EXECUTIONER: 'Elect an executioner, who then picks who is eliminated.',
  DUELS: 'Nominate a player; the two most nominated duel by staking silver. The lower stake is eliminated.',
  FINALS: 'The eliminated players (the jury) crown the winner.',
};

type Verb = { verb: string; label: string; button: string; self: boolean; current: string | null };

/** The verbs the viewer may use now, with what they already chose. */
export function verbsFor(vt: Voting, you: string): Verb[] {
  const mine = vt.myVote ?? null;
  switch (vt.stage) {
    case 'PICK':
      return vt.executioner === you
        ? [{ verb: 'PICK', label: 'As executioner, pick who is eliminated', button: 'Pick', self: false, current: vt.myPick }]
        : [];
    case 'DUEL':
      return [];
    case 'VOTE':
      if (!vt.voters.includes(you)) return [];
      switch (vt.mechanism) {
        case 'MAJORITY':
          return [{ verb: 'CAST', label: 'Vote to eliminate', button: 'Cast vote', self: true, current: mine }];
        case 'BUBBLE':
          return [{ verb: 'CAST', label: 'Save a player', button: 'Save', self: true, current: mine }];
        case 'PODIUM_SACRIFICE':
          return [{ verb: 'CAST', label: 'Save a player on the podium', button: 'Save', self: true, current: mine }];
        case 'SHIELD':
          return [{ verb: 'SAVE', label: 'Save a player', button: 'Save', self: true, current: mine }];
        case 'FINALS':
          return [{ verb: 'CAST', label: 'Crown the winner', button: 'Cast jury vote', self: true, current: mine }];
        case 'TRUST_PAIRS':
          return [
            { verb: 'TRUST', label: 'Trust a player', button: 'Trust', self: false, current: vt.myPick },
            { verb: 'ELIMINATE', label: 'Vote to eliminate', button: 'Cast vote', self: true, current: mine },
          ];
        case 'EXECUTIONER':
          return [{ verb: 'ELECT', label: 'Elect the executioner', button: 'Elect', self: true, current: mine }];
        case 'DUELS':
          return [{ verb: 'CAST', label: 'Nominate a duelist', button: 'Nominate', self: false, current: mine }];
        case 'SECOND_TO_LAST':
          return [];
      }
  }
  return [];
}

function VerbForm(props: { vt: Voting; verb: Verb }) {
  const { v, act } = useGame();
  const { vt, verb } = props;
  const [pick, setPick] = useState('');
  const targets = vt.targets.filter((t) => (verb.self || t !== v.you) && !(vt.stage === 'PICK' && vt.immune.includes(t)));
  const chosen = pick || verb.current || '';
  return (
    <div class="verb">
      <Choices
        legend={verb.label}
        value={chosen}
        onChange={setPick}
        options={targets.map((t) => ({ value: t, label: name(v, t) }))}
      />
      <Act
        kind="primary"
        disabled={!chosen || chosen === verb.current}
        onClick={() =>
          act({ type: `VOTE.${vt.mechanism}.${verb.verb}`, targetId: chosen } as Outgoing, `${verb.button}: ${name(v, chosen)}`)
        }
      >
        {verb.current ? `Change to ${name(v, chosen)}` : verb.button}
      </Act>
      {verb.current ? <p class="note">Your choice: {name(v, verb.current)} (only you can see it).</p> : null}
    </div>
  );
}

function Duel({ vt }: { vt: Voting }) {
  const { v, act } = useGame();
  const [stake, setStake] = useState('');
  const duelists = vt.duelists ?? [];
  const silver = v.roster.find((p) => p.id === v.you)?.silver ?? 0;
  if (!v.you || !duelists.includes(v.you)) {
    return <p>{names(v, duelists)} are duelling: the lower secret stake is eliminated.</p>;
  }
  const n = whole(stake);
  return (
    <div class="verb">
      <p>
        You are duelling {name(v, duelists.find((d) => d !== v.you) ?? null)}. Stake silver in secret: the higher stake
        survives and pays it; the lower is eliminated.
      </p>
      <NumberField label={`Your stake (0–${silver} silver)`} value={stake} onChange={setStake} max={silver} />
      <Act kind="primary" disabled={n === null || n > silver} onClick={() => act({ type: 'VOTE.DUELS.DUEL', stake: n ?? 0 }, `Staked ${n}`)}>
        Stake
      </Act>
      {vt.myStake !== null ? <p class="note">Your stake: {vt.myStake} silver.</p> : null}
    </div>
  );
}

export function Result({ r }: { r: VoteResultView }) {
  const { v } = useGame();
  const s = r.summary;
  return (
    <div class="result" data-testid="vote-result">
      <p>
        <strong>{words(r.mechanism)}</strong>:{' '}
        {r.winner ? <>{name(v, r.winner)} won. </> : null}
        {r.eliminated ? (
          <>
            {/* The result is public at the vote's close; the elimination itself happens at nightfall. */}
            {v.roster.find((p) => p.id === r.eliminated)?.alive
              ? `${name(v, r.eliminated)} will be eliminated at nightfall.`
              : `${was(v, r.eliminated)} ${r.winner ? 'runner-up and ' : ''}eliminated.`}
          </>
        ) : (
          'nobody was eliminated.'
        )}
      </p>
      {r.tallies.length ? (
        <ul class="tallies" aria-label="Tallies">
          {r.tallies.map(([p, n]) => (
            <li key={p}>
              {name(v, p)}: {n}
            </li>
          ))}
        </ul>
      ) : null}
      {r.tieBreak ? <p class="note">Tie-break: {r.tieBreak}</p> : null}
      {s.immune?.length ? <p class="note">Immune: {names(v, s.immune)}</p> : null}
      {s.podium?.length ? <p class="note">Podium: {names(v, s.podium)}</p> : null}
      {s.mutualPairs?.length ? <p class="note">Mutual trust: {s.mutualPairs.map(([a, b]) => `${name(v, a)} & ${name(v, b)}`).join('; ')}</p> : null}
      {s.executioner ? <p class="note">Executioner: {name(v, s.executioner)}{s.executionerPick ? `, who picked ${name(v, s.executionerPick)}` : ''}</p> : null}
      {s.silverRanking?.length ? <p class="note">By silver: {s.silverRanking.map(([p, n]) => `${name(v, p)} ${n}`).join(', ')}</p> : null}
      {s.duelists?.length ? <p class="note">Duel: {names(v, s.duelists)}; stakes {(s.stakes ?? []).map(([p, n]) => `${name(v, p)} ${n}`).join(', ') || 'none'}</p> : null}
    </div>
  );
}

export function VotePanel() {
  const { v } = useGame();
  const vt = v.voting;
  const today = v.results.filter((r) => r.day === v.day);
  if (!vt && !v.voteType && !today.length) return null;
  const mech = vt?.mechanism ?? v.voteType;
  return (
    <Section title={mech ? `Vote: ${words(mech)}` : 'Vote'} id="vote" note={mech ? ABOUT[mech] : undefined}>
      {vt ? (
        <>
          <p>
            {vt.stage === 'PICK' && vt.executioner ? <>Executioner: <strong>{name(v, vt.executioner)}</strong>. </> : null}
            Voted so far: {vt.hasVoted.length} of {vt.voters.length}.
            {vt.immune.length ? <> Protected: {names(v, vt.immune)}.</> : null}
          </p>
          {vt.stage === 'DUEL' ? <Duel vt={vt} /> : null}
          {v.you ? verbsFor(vt, v.you).map((verb) => <VerbForm key={verb.verb} vt={vt} verb={verb} />) : null}
          {v.you && vt.stage === 'VOTE' && !vt.voters.includes(v.you) ? (
            <p class="note">You do not vote in this one.</p>
          ) : null}
        </>
      ) : today.length ? null : (
        <p>Voting is not open yet.</p>
      )}
      {today.map((r, i) => (
        <Result key={i} r={r} />
      ))}
    </Section>
  );
}
