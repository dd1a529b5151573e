// The "Today" tab: phase, timeline (nextTasks), the winner, the player's destiny, and the panels of
// the day's vote, prompt, dilemma, game and confession booth.
import { useState } from 'preact/hooks';
import { others, useGame } from '../ctx';
import type { Destiny } from '../types';
import { actionWords, clock, name, phaseWords, until, words } from '../words';
import { ActivityPanel, ConfessionPanel, DilemmaPanel } from './content';
import { GamePanel } from './games';
import { Act, PlayerSelect, Section } from './common';
import { Result, VotePanel } from './vote';

const DESTINY: Record<Destiny, string> = {
  MOLE: 'Keep the final gold pool below the threshold without the Detective catching you.',
  DETECTIVE: 'Accuse the Mole or the Fanatic (one accusation a day).',
  DECOY: 'Get the Detective to accuse you.',
  FANATIC: 'Be the first player eliminated.',
  FLOAT: 'Never be strictly the poorest player alive.',
  SELF_HATE: 'Be last in silver at the most day-ends, and not among the first four out.',
};

function Timeline() {
  const { v, now } = useGame();
  const tasks = v.nextTasks.slice(0, 5);
  return (
    <Section title={phaseWords(v)} id="status">
      <p>
        {v.phase === 'DAY' ? (
          <>
            Group chat {v.groupChatOpen ? 'open' : 'closed'} · DMs {v.dmsOpen ? 'open' : 'closed'}
            {v.voteType ? <> · tonight’s vote: {words(v.voteType)}</> : null}
          </>
        ) : v.phase === 'NIGHT' ? (
          'Night: the next day begins soon.'
        ) : v.phase === 'PRE_GAME' ? (
          'The players are gathering.'
        ) : (
          'The game is over: the results are above and in the ticker.'
        )}
      </p>
      {tasks.length ? (
        <ol class="timeline" aria-label="Coming up">
          {tasks.map((t) => (
            <li key={t.taskId}>
              <strong>{actionWords(t.action)}</strong> <span class="note">{until(t.dueMs, now)} ({clock(t.dueMs)})</span>
            </li>
          ))}
        </ol>
      ) : v.scheduling === 'ADMIN' && v.phase !== 'GAME_OVER' && v.phase !== 'GAME_SUMMARY' ? (
        <p class="note">The host moves the game on by hand.</p>
      ) : null}
    </Section>
  );
}

function Winner() {
  const { v } = useGame();
  if (!v.winner && v.phase !== 'GAME_OVER' && v.phase !== 'GAME_SUMMARY') return null;
  const standing = [...v.roster].sort((a, b) => Number(b.alive) - Number(a.alive) || (b.eliminatedOnDay ?? 99) - (a.eliminatedOnDay ?? 99));
  return (
    <section class="card winner" aria-live="polite" data-testid="winner">
      <h2>{v.winner ? (v.winner === v.you ? 'You won!' : `${name(v, v.winner)} won the game`) : 'The game is over'}</h2>
      <ol>
        {standing.map((p) => (
          <li key={p.id}>
            {name(v, p.id)} — {p.silver} silver, {p.gold} gold{p.eliminatedOnDay ? ` (out on day ${p.eliminatedOnDay})` : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}

function DestinyPanel() {
  const { v, act } = useGame();
  const [target, setTarget] = useState('');
  const mine = v.destinies.find((d) => d.playerId === v.you);
  const over = v.phase === 'GAME_OVER' || v.phase === 'GAME_SUMMARY';
  if (!v.destinies.length) return null;
  const detective = mine?.destiny === 'DETECTIVE' && mine.status === 'PENDING' && v.phase === 'DAY';
  const accusedToday = v.accusations.some((a) => a.day === v.day);
  return (
    <Section title="Your destiny" id="destiny" note="Secret: only you can see it until the game ends.">
      {mine ? (
        <p>
          <strong>{words(mine.destiny)}</strong> — {DESTINY[mine.destiny]} <span class="tag">{words(mine.status)}</span>
        </p>
      ) : (
        <p class="note">You have no destiny in this game.</p>
      )}
      {detective ? (
        <div class="verb">
          <PlayerSelect label="Accuse" ids={others(v).map((p) => p.id)} value={target} onChange={setTarget} />
          <Act kind="danger" disabled={!target || accusedToday} onClick={() => act({ type: 'DESTINY.ACCUSE', targetId: target }, `Accused ${name(v, target)}`)}>
            {accusedToday ? 'Accused today already' : 'Accuse'}
          </Act>
        </div>
      ) : null}
      {v.accusations.length ? <p class="note">Your accusations: {v.accusations.map((a) => `day ${a.day}: ${name(v, a.targetId)}`).join('; ')}</p> : null}
      {over ? (
        <ul class="tallies" aria-label="Everyone's destiny">
          {v.destinies.map((d) => (
            <li key={d.playerId}>
              {name(v, d.playerId)}: {words(d.destiny)} — {words(d.status)}
            </li>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}

function Inactivity() {
  const { v } = useGame();
  const i = v.inactivity;
  if (!i || !i.atRisk) return null;
  return (
    <section class="card warn" role="alert">
      <h2>Act today</h2>
      <p>
        You have been inactive for {i.consecutiveInactiveDays} days: do anything today (chat, vote…) or you will be eliminated tonight.
      </p>
    </section>
  );
}

function Earlier() {
  const { v } = useGame();
  const past = v.results.filter((r) => r.day !== v.day);
  if (!past.length) return null;
  return (
    <Section title="Earlier votes">
      {[...past].reverse().map((r, i) => (
        <div key={i}>
          <p class="note">Day {r.day}</p>
          <Result r={r} />
        </div>
      ))}
    </Section>
  );
}

export function TodayTab() {
  return (
    <>
      <Winner />
      <Timeline />
      <Inactivity />
      <VotePanel />
      <GamePanel />
      <ActivityPanel />
      <DilemmaPanel />
      <ConfessionPanel />
      <DestinyPanel />
      <Earlier />
    </>
  );
}
