// Arcade games (docs/games.md §3): the server validates the reported score against each game's
// bounds and the real time since START. Two are playable here (REACTION_TIME, QUICK_MATH); the
// others take a score entered by hand within the game's bounds.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useGame } from '../ctx';
import type { ArcadeActive, GameType, GamesView } from '../types';
import { words } from '../words';
import { Board, KeepOrRetry } from './games';
import { Act, NumberField, whole } from './common';

/** Score fields and their bounds per arcade game (docs/games.md §3, "Fields ≤ bound"). */
export const ARCADE_FIELDS: Partial<Record<GameType, [string, number][]>> = {
  GAP_RUN: [['distance', 10000]],
  GRID_PUSH: [['bankedTotal', 1000]],
  SEQUENCE: [['correctRounds', 40]],
  SIMON_SAYS: [['roundsCompleted', 40]],
  REACTION_TIME: [['avgReactionMs', 10000], ['roundsCompleted', 30]],
  COLOR_MATCH: [['correctAnswers', 120]],
  STACKER: [['height', 100], ['perfectLayers', 100]],
  QUICK_MATH: [['correctAnswers', 90], ['streak', 90]],
  AIM_TRAINER: [['score', 2000]],
  SHOCKWAVE: [['wavesCleared', 120], ['nearMisses', 600]],
  ORBIT: [['transfers', 120], ['perfectCaptures', 120]],
  BEAT_DROP: [['score', 100000], ['accuracyPct', 100]],
  INFLATE: [['score', 30000], ['perfectBanks', 100]],
  SNAKE: [['score', 400], ['finalLength', 500]],
  FLAPPY: [['score', 200], ['coinsCollected', 200]],
  COLOR_SORT: [['score', 2000], ['solved', 1]],
  BLINK: [['score', 1000]],
  RECALL: [['tiles', 86], ['highestSize', 6], ['fullClear', 1]],
};

export function isArcade(t: GameType): boolean {
  return t in ARCADE_FIELDS;
}

type Report = (result: Record<string, number>) => Promise<boolean>;

/** A small seeded generator (mulberry32) so everyone gets the same level from `levelSeed`. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REACTION_ROUNDS = 5;

function ReactionTime({ report, seed }: { report: Report; seed: number }) {
  const rnd = useRef(seeded(seed));
  const [round, setRound] = useState(0);
  const [state, setState] = useState<'ready' | 'wait' | 'go'>('ready');
  const [times, setTimes] = useState<number[]>([]);
  const [msg, setMsg] = useState('');
  const shownAt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  const arm = () => {
    setState('wait');
    setMsg('Wait for it…');
    timer.current = setTimeout(() => {
      shownAt.current = performance.now();
      setState('go');
      setMsg('');
    }, 900 + Math.floor(rnd.current() * 2000));
  };
  const press = () => {
    if (state === 'ready') return arm();
    if (state === 'wait') {
      if (timer.current) clearTimeout(timer.current);
      setMsg('Too soon! Wait for the green button.');
      return arm();
    }
    const ms = Math.round(performance.now() - shownAt.current);
    if (ms < 100) {
      setMsg('Too soon! Wait for the green button.');
      return arm();
    }
    const next = [...times, ms];
    setTimes(next);
    setRound(round + 1);
    if (next.length >= REACTION_ROUNDS) {
      setState('ready');
      const avg = Math.round(next.reduce((a, b) => a + b, 0) / next.length);
      void report({ avgReactionMs: avg, roundsCompleted: next.length });
      return;
    }
    setMsg(`${ms} ms`);
    arm();
  };
  if (times.length >= REACTION_ROUNDS) return <p>Sending your result…</p>;
  return (
    <div class="arcade">
      <p>
        Press the button as soon as it turns green ({round} of {REACTION_ROUNDS}). Space or Enter works too.
      </p>
      <button type="button" class={`btn big ${state === 'go' ? 'go' : 'wait'}`} onClick={press} data-testid="reaction-button">
        {state === 'ready' ? 'Start' : state === 'wait' ? 'Wait…' : 'Now!'}
      </button>
      <p aria-live="assertive" class="note">
        {msg}
      </p>
    </div>
  );
}

const MATH_SECONDS = 45;

function QuickMath({ report, seed, started }: { report: Report; seed: number; started: number }) {
  const { now } = useGame();
  const rnd = useRef(seeded(seed));
  const make = () => {
    const a = 2 + Math.floor(rnd.current() * 18);
    const b = 2 + Math.floor(rnd.current() * 18);
    return rnd.current() < 0.5 ? { text: `${a} + ${b}`, answer: a + b } : { text: `${a} × ${b % 10}`, answer: a * (b % 10) };
  };
  const [q, setQ] = useState(make);
  const [answer, setAnswer] = useState('');
  const [score, setScore] = useState({ correct: 0, streak: 0, best: 0 });
  const [done, setDone] = useState(false);
  const left = Math.max(0, MATH_SECONDS - Math.floor((now - started) / 1000));
  const finish = () => {
    if (done) return;
    setDone(true);
    void report({ correctAnswers: score.correct, streak: score.best });
  };
  useEffect(() => {
    if (left === 0) finish();
  });
  if (done) return <p>Sending your result…</p>;
  return (
    <form
      class="arcade"
      onSubmit={(e) => {
        e.preventDefault();
        const right = Number(answer) === q.answer;
        const streak = right ? score.streak + 1 : 0;
        setScore({ correct: score.correct + (right ? 1 : 0), streak, best: Math.max(score.best, streak) });
        setAnswer('');
        setQ(make());
      }}
    >
      <p>
        {left} s left — {score.correct} right, streak {score.streak}
      </p>
      <label for="qm-answer" class="prompt">
        {q.text} =
      </label>
      <div class="row">
        <input id="qm-answer" type="text" inputMode="numeric" autocomplete="off" value={answer} onInput={(e) => setAnswer((e.target as HTMLInputElement).value)} />
        <button class="btn primary" type="submit">
          Answer
        </button>
      </div>
      <button type="button" class="btn secondary" onClick={finish}>
        Finish now
      </button>
    </form>
  );
}

function ScoreEntry({ fields, report }: { fields: [string, number][]; report: Report }) {
  const [vals, setVals] = useState<Record<string, string>>({});
  const parsed = fields.map(([f, max]) => [f, whole(vals[f] ?? '0'), max] as const);
  const ok = parsed.every(([, n, max]) => n !== null && n <= max);
  return (
    <div class="verb">
      <p class="note">This game is not built into this client yet: enter the score you made (the server checks it).</p>
      {fields.map(([f, max]) => (
        <NumberField key={f} label={`${words(f.replace(/([A-Z])/g, '_$1'))} (0–${max})`} value={vals[f] ?? ''} max={max} onChange={(x) => setVals({ ...vals, [f]: x })} />
      ))}
      <Act kind="primary" disabled={!ok} onClick={() => report(Object.fromEntries(parsed.map(([f, n]) => [f, n ?? 0])))}>
        Report score
      </Act>
    </div>
  );
}

export function ArcadeGame({ g: raw }: { g: NonNullable<GamesView['active']> }) {
  const g = raw as ArcadeActive;
  const { act, now } = useGame();
  const started = useRef(0);
  const m = g.mine;
  const t = g.gameType;
  useEffect(() => {
    if (m?.stage === 'PLAYING' && !started.current) started.current = Date.now();
    if (m?.stage !== 'PLAYING') started.current = 0;
  }, [m?.stage]);
  if (!m) return <p class="note">You are not playing today’s game.</p>;
  const report: Report = (result) => {
    const elapsed = Math.min(g.timeLimitMs, Math.max(0, Date.now() - (started.current || now)));
    return act({ type: 'GAME.ARCADE.RESULT', gameType: t, result: { ...result, timeElapsed: elapsed } }, 'Score sent');
  };
  const limit = Math.round(g.timeLimitMs / 1000);
  switch (m.stage) {
    case 'NOT_STARTED':
      return (
        <>
          <p>
            Time limit {limit} s. Difficulty {g.difficultyPct} %. Silver for your score; retry as often as you like.
          </p>
          <Act kind="primary" onClick={() => act({ type: 'GAME.ARCADE.START', gameType: t })}>
            Play {words(t)}
          </Act>
        </>
      );
    case 'PLAYING':
      if (t === 'REACTION_TIME') return <ReactionTime report={report} seed={g.levelSeed} />;
      if (t === 'QUICK_MATH') return <QuickMath report={report} seed={g.levelSeed} started={started.current || now} />;
      return <ScoreEntry fields={ARCADE_FIELDS[t] ?? []} report={report} />;
    case 'AWAITING_DECISION':
      return (
        <>
          <p>
            Your result: {m.result?.silver ?? 0} silver and {m.result?.gold ?? 0} gold for the pool.
          </p>
          <KeepOrRetry />
        </>
      );
    case 'COMPLETED':
      return <Board board={g.leaderboard} />;
  }
}
