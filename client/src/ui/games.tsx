// The daily games (docs/games.md): the one-decision games, THE_SPLIT, TRIVIA, the arcade games
// (./arcade.tsx), past results and effects.
import { useState } from 'preact/hooks';
import { useGame } from '../ctx';
import type {
  AuctionActive,
  BetActive,
  GameRecord,
  KingsActive,
  SplitActive,
  TriviaActive,
  RealtimeTriviaActive,
  TouchScreenActive,
} from '../types';
import { name, names, until, words } from '../words';
import { ArcadeGame, isArcade } from './arcade';
import { Act, NumberField, Section, whole } from './common';

function silverOf(v: ReturnType<typeof useGame>['v']): number {
  return v.roster.find((p) => p.id === v.you)?.silver ?? 0;
}

function Waiting({ eligible, submitted }: { eligible: string[]; submitted: string[] }) {
  const { v } = useGame();
  return (
    <p class="note">
      Decided: {submitted.length} of {eligible.length}
      {submitted.length ? ` (${names(v, submitted)})` : ''}.
    </p>
  );
}

function Bet({ g }: { g: BetActive }) {
  const { v, act } = useGame();
  const [amount, setAmount] = useState('');
  const silver = silverOf(v);
  const n = whole(amount, 1);
  return (
    <>
      <p>Bet secretly. Equal bets are punished; the second-highest bet wins the pot; the lowest pays double.</p>
      <Waiting eligible={g.eligible} submitted={g.submitted} />
      {g.myBet !== null ? (
        <p>Your bet: {g.myBet} silver.</p>
      ) : v.you && g.eligible.includes(v.you) ? (
        <div class="verb">
          <NumberField label={`Your bet (1–${silver} silver)`} value={amount} onChange={setAmount} min={1} max={silver} />
          <Act kind="primary" disabled={n === null || n > silver} onClick={() => act({ type: 'GAME.BET_BET_BET.SUBMIT', amount: n ?? 1 }, `Bet ${n}`)}>
            Bet
          </Act>
        </div>
      ) : null}
    </>
  );
}

function Kings({ g }: { g: KingsActive }) {
  const { v, act } = useGame();
  return (
    <>
      <p>
        The King is <strong>{name(v, g.king)}</strong>, with a vault of {g.vault} silver. If more players protect, they share
        the vault; if more steal, they share twice the vault and the King gets a shield.
      </p>
      <Waiting eligible={g.eligible} submitted={g.submitted} />
      {g.myDecision ? (
        <p>Your decision: {words(g.myDecision)}.</p>
      ) : v.you && g.eligible.includes(v.you) ? (
        <div class="row wrap">
          <Act kind="primary" onClick={() => act({ type: 'GAME.KINGS_RANSOM.SUBMIT', action: 'PROTECT' }, 'Protect')}>
            Protect the King
          </Act>
          <Act kind="danger" onClick={() => act({ type: 'GAME.KINGS_RANSOM.SUBMIT', action: 'STEAL' }, 'Steal')}>
            Steal
          </Act>
        </div>
      ) : v.you === g.king ? (
        <p class="note">You are the King: you do not play.</p>
      ) : null}
    </>
  );
}

function Auction({ g }: { g: AuctionActive }) {
  const { v, act } = useGame();
  const [slot, setSlot] = useState('1');
  const [amount, setAmount] = useState('');
  const silver = silverOf(v);
  const n = whole(amount);
  return (
    <>
      <p>Three mystery prizes (silver, a shield or a curse). Bid on one slot; the highest bid wins it.</p>
      <Waiting eligible={g.eligible} submitted={g.submitted} />
      {g.myBid ? (
        <p>
          Your bid: {g.myBid.amount} silver on slot {g.myBid.slot}.
        </p>
      ) : v.you && g.eligible.includes(v.you) ? (
        <div class="verb">
          <div class="row wrap" role="group" aria-label="Slot">
            {Array.from({ length: g.slots }, (_, i) => String(i + 1)).map((s) => (
              <button type="button" key={s} class={`btn ${slot === s ? 'primary' : 'secondary'}`} aria-pressed={slot === s} onClick={() => setSlot(s)}>
                Slot {s}
              </button>
            ))}
          </div>
          <NumberField label={`Your bid (0–${silver} silver)`} value={amount} onChange={setAmount} max={silver} />
          <Act kind="primary" disabled={n === null || n > silver} onClick={() => act({ type: 'GAME.BLIND_AUCTION.SUBMIT', slot: Number(slot), amount: n ?? 0 }, 'Bid placed')}>
            Bid
          </Act>
        </div>
      ) : null}
    </>
  );
}

function Split({ g }: { g: SplitActive }) {
  const { v, act, now } = useGame();
  const c = g.current;
  const mine = c && v.you && c.pair.includes(v.you);
  return (
    <>
      <p>Pairs meet in turn. Both split: they share the pot. One steals: they take it. Both steal: it goes to the gold pool.</p>
      {c ? (
        <p>
          Round {c.round + 1} of {g.pairs.length}: <strong>{names(v, c.pair)}</strong>, pot {c.pot} silver, decide{' '}
          {until(c.deadlineMs, now)}.
        </p>
      ) : (
        <p>All rounds are played.</p>
      )}
      {mine ? (
        g.myDecision ? (
          <p>Your decision: {words(g.myDecision)}.</p>
        ) : (
          <div class="row wrap">
            <Act kind="primary" onClick={() => act({ type: 'GAME.THE_SPLIT.SUBMIT', action: 'SPLIT' }, 'Split')}>
              Split
            </Act>
            <Act kind="danger" onClick={() => act({ type: 'GAME.THE_SPLIT.SUBMIT', action: 'STEAL' }, 'Steal')}>
              Steal
            </Act>
          </div>
        )
      ) : null}
      {g.rounds.length ? (
        <ul class="tallies" aria-label="Rounds played">
          {g.rounds.map((r) => (
            <li key={r.index}>
              {names(v, r.pair)}: {r.actions.map((a) => words(a)).join(' / ')} ({r.silver.join(' / ')} silver{r.gold ? `, ${r.gold} to the pool` : ''})
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

function Trivia({ g }: { g: TriviaActive }) {
  const { act, now } = useGame();
  const m = g.mine;
  if (!m) return <p class="note">You are not playing today’s trivia.</p>;
  switch (m.stage) {
    case 'NOT_STARTED':
      return (
        <>
          <p>{g.rounds} questions, {g.questionMs / 1000} s each. The faster a right answer, the more silver.</p>
          <Act kind="primary" onClick={() => act({ type: 'GAME.TRIVIA.START' })}>
            Start trivia
          </Act>
        </>
      );
    case 'PLAYING': {
      const q = m.current;
      if (!q) return <p>Loading the next question…</p>;
      return (
        <div class="verb">
          <p>
            Question {q.round} of {q.of} — {until(q.deadlineMs, now)} left
          </p>
          <p class="prompt">{q.text}</p>
          <div class="stack">
            {q.options.map((o, i) => (
              <Act key={i} kind="primary" onClick={() => act({ type: 'GAME.TRIVIA.ANSWER', answerIndex: i })}>
                {o}
              </Act>
            ))}
          </div>
        </div>
      );
    }
    case 'AWAITING_DECISION':
      return (
        <>
          <p>
            You got {m.answered.filter((a) => a.correct).length} of {m.answered.length} right: {m.runScore ?? 0} silver.
          </p>
          <KeepOrRetry />
        </>
      );
    case 'COMPLETED':
      return <Board board={g.leaderboard} />;
  }
}

// REALTIME_TRIVIA: one shared question at a time; the right option only once it closed.
function RealtimeTrivia({ g }: { g: RealtimeTriviaActive }) {
  const { v, act, now } = useGame();
  const playing = !!v.you && g.players.includes(v.you);
  const last = g.revealed[g.revealed.length - 1];
  return (
    <div class="verb">
      <p>
        Question {g.round} of {g.rounds}
        {g.phaseEndsAtMs ? ` — ${until(g.phaseEndsAtMs, now)} left` : ''}
      </p>
      {g.phase === 'QUESTION' && g.question ? (
        <>
          <p class="prompt">{g.question.text}</p>
          <div class="stack">
            {g.question.options.map((o, i) => (
              <Act key={i} kind={g.myAnswer === i ? 'primary' : undefined} disabled={!playing || g.myAnswer != null} onClick={() => act({ type: 'GAME.REALTIME_TRIVIA.ANSWER', answerIndex: i })}>
                {o}
              </Act>
            ))}
          </div>
          <p class="note">Answered: {names(v, g.answered)}</p>
        </>
      ) : last ? (
        <p>
          {last.text} — {last.options[last.correctIndex]}. Right: {names(v, last.answers.filter((a) => a.correct).map((a) => a.playerId))}
        </p>
      ) : null}
      <Board board={g.totals.map((t) => ({ playerId: t.playerId, silver: t.silver }))} />
    </div>
  );
}

// TOUCH_SCREEN: READY (LIVE) or START (SOLO), then hold and release; only statuses are shared.
function TouchScreen({ g }: { g: TouchScreenActive }) {
  const { v, act, now } = useGame();
  const me = g.mine;
  if (!me) return <p class="note">You are not playing today’s game.</p>;
  const opens = me.opensAtMs;
  return (
    <div class="verb">
      <p>
        {g.live ? `Live: ${words(g.phase)}` : 'Solo'}
        {g.phaseEndsAtMs ? ` — ${until(g.phaseEndsAtMs, now)} left` : ''}
      </p>
      {me.status === 'IDLE' ? (
        <Act kind="primary" onClick={() => act({ type: g.live ? 'GAME.TOUCH_SCREEN.READY' : 'GAME.TOUCH_SCREEN.START' })}>
          {g.live ? 'Ready' : 'Start'}
        </Act>
      ) : me.status === 'READY' ? (
        <Act kind="primary" disabled={!opens || opens > now} onClick={() => act({ type: 'GAME.TOUCH_SCREEN.TOUCH' })}>
          {opens && opens > now ? `Touch in ${until(opens, now)}` : 'Touch'}
        </Act>
      ) : me.status === 'HOLDING' ? (
        <Act kind="danger" onClick={() => act({ type: 'GAME.TOUCH_SCREEN.RELEASE' })}>
          Release
        </Act>
      ) : (
        <p>You held {Math.max(0, (me.releaseAtMs ?? 0) - (me.touchAtMs ?? 0)) / 1000} s.</p>
      )}
      <ul class="tallies">
        {g.players.map((p) => (
          <li key={p.playerId}>
            {name(v, p.playerId)}: {words(p.status)}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** GAME.SUBMIT or GAME.RETRY after a finished run (arcade and TRIVIA, docs/games.md §3–§4). */
export function KeepOrRetry() {
  const { act } = useGame();
  return (
    <div class="row wrap">
      <Act kind="primary" onClick={() => act({ type: 'GAME.SUBMIT' }, 'Score submitted')}>
        Keep this score
      </Act>
      <Act onClick={() => act({ type: 'GAME.RETRY' })}>Try again</Act>
    </div>
  );
}

export function Board({ board }: { board: { playerId: string; silver: number }[] | null }) {
  const { v } = useGame();
  if (!board) return <p>Your score is in.</p>;
  return (
    <ol class="tallies" aria-label="Leaderboard">
      {board.map((r) => (
        <li key={r.playerId}>
          {name(v, r.playerId)}: {r.silver} silver
        </li>
      ))}
    </ol>
  );
}

function Record({ r }: { r: GameRecord }) {
  const { v } = useGame();
  const s = r.summary;
  let text = '';
  if ('BET_BET_BET' in s) text = `Pot ${s.BET_BET_BET.pot}; winner ${name(v, s.BET_BET_BET.winner)}; shield ${name(v, s.BET_BET_BET.shield)}.`;
  else if ('KINGS_RANSOM' in s) text = `${words(String(s.KINGS_RANSOM.outcome))}: the King paid ${s.KINGS_RANSOM.kingPaid}, ${s.KINGS_RANSOM.share} each.`;
  else if ('THE_SPLIT' in s) text = `Totals: ${s.THE_SPLIT.totals.map(([p, n]) => `${name(v, p)} ${n}`).join(', ')}.`;
  else if ('BLIND_AUCTION' in s) text = s.BLIND_AUCTION.slots.map((x) => `slot ${x.slot}: ${name(v, x.winner)} (${typeof x.prize === 'string' ? words(x.prize) : `${x.prize.SILVER} silver`})`).join('; ');
  else if ('TRIVIA' in s) text = s.TRIVIA.players.map((p) => `${name(v, p.playerId)} ${p.correct} right, ${p.silver} silver`).join('; ');
  else if ('REALTIME_TRIVIA' in s) text = s.REALTIME_TRIVIA.players.map((p) => `${name(v, p.playerId)} ${p.correct} right, ${p.silver} silver`).join('; ');
  else if ('TOUCH_SCREEN' in s) text = s.TOUCH_SCREEN.ranking.map((p) => `#${p.rank} ${name(v, p.playerId)} ${p.holdMs / 1000} s, ${p.silver} silver`).join('; ');
  else if ('ARCADE' in s) text = s.ARCADE.players.map((p) => `${name(v, p.playerId)} ${p.silver} silver`).join('; ');
  return (
    <li>
      Day {r.day}, {words(r.gameType)}: {text}
    </li>
  );
}

export function GamePanel() {
  const { v } = useGame();
  const gm = v.games;
  const a = gm.active;
  if (!a && !gm.today && !gm.results.length && !gm.effects.length) return null;
  let body = null;
  if (a) {
    const t = a.gameType;
    if (t === 'BET_BET_BET') body = <Bet g={a as BetActive} />;
    else if (t === 'KINGS_RANSOM') body = <Kings g={a as KingsActive} />;
    else if (t === 'BLIND_AUCTION') body = <Auction g={a as AuctionActive} />;
    else if (t === 'THE_SPLIT') body = <Split g={a as SplitActive} />;
    else if (t === 'TRIVIA') body = <Trivia g={a as TriviaActive} />;
    else if (t === 'REALTIME_TRIVIA') body = <RealtimeTrivia g={a as RealtimeTriviaActive} />;
    else if (t === 'TOUCH_SCREEN') body = <TouchScreen g={a as TouchScreenActive} />;
    else if (isArcade(t)) body = <ArcadeGame g={a} />;
  }
  const title = a ? words(a.gameType) : gm.today ? `Today’s game: ${words(gm.today)}` : 'Games';
  return (
    <Section title={title} id="game">
      {body ?? (gm.today && !a ? <p class="note">Not running right now.</p> : null)}
      {gm.effects.filter((e) => e.day >= v.day).length ? (
        <ul class="tallies" aria-label="Effects">
          {gm.effects
            .filter((e) => e.day >= v.day)
            .map((e, i) => (
              <li key={i}>
                {name(v, e.playerId)}: {words(e.kind)} (day {e.day}, from {words(e.source)})
              </li>
            ))}
        </ul>
      ) : null}
      {gm.results.length ? (
        <details>
          <summary>Results so far</summary>
          <ul class="tallies">
            {gm.results.map((r, i) => (
              <Record key={i} r={r} />
            ))}
          </ul>
        </details>
      ) : null}
    </Section>
  );
}
