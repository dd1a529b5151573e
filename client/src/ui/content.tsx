// Prompts, dilemmas and the confession booth (docs/content.md).
import { useState } from 'preact/hooks';
import { others, useGame } from '../ctx';
import type { ActivityView, DilemmaView, PromptOutcome } from '../types';
import { name, names, words } from '../words';
import { Act, Choices, PlayerSelect, Section, TextForm } from './common';

function Rewards({ rewards }: { rewards: [string, number][] }) {
  const { v } = useGame();
  if (!rewards.length) return <p class="note">No silver changed hands.</p>;
  return (
    <ul class="tallies" aria-label="Silver">
      {rewards.map(([p, n]) => (
        <li key={p}>
          {name(v, p)}: {n > 0 ? `+${n}` : n}
        </li>
      ))}
    </ul>
  );
}

function Outcome({ o, a }: { o: PromptOutcome; a: ActivityView }) {
  const { v } = useGame();
  switch (o.kind) {
    case 'PLAYER_PICK':
      return (
        <p>
          Most picked: {names(v, o.mostPicked)}.{' '}
          {o.mutualPairs.length ? `Mutual picks: ${o.mutualPairs.map(([x, y]) => `${name(v, x)} & ${name(v, y)}`).join('; ')}.` : 'No mutual picks.'}
        </p>
      );
    case 'PREDICTION':
      return (
        <p>
          Most predicted: {name(v, o.mostPredicted)}.{' '}
          {o.settled ? `Eliminated: ${name(v, o.eliminated)}; right: ${names(v, o.correct)}.` : 'Settled tonight.'}
        </p>
      );
    case 'CHOICE':
      return (
        <ul class="tallies">
          {a.options.map((opt, i) => (
            <li key={i}>
              {opt}: {o.counts[i] ?? 0}
              {o.minority.includes(i) ? ' (minority bonus)' : ''}
            </li>
          ))}
        </ul>
      );
    case 'CONFESSION':
      return (
        <ul class="entries">
          {o.entries.map((e) => (
            <li key={e.index}>
              “{e.text}” — {name(v, e.author)} ({o.tally[e.index] ?? 0} votes){o.winner === e.index ? ' — most voted' : ''}
            </li>
          ))}
        </ul>
      );
    case 'GUESS_WHO':
      return (
        <ul class="entries">
          {o.entries.map((e) => (
            <li key={e.index}>
              “{e.text}” — {name(v, e.author)}
            </li>
          ))}
        </ul>
      );
  }
}

function Answer({ a }: { a: ActivityView }) {
  const { v, act } = useGame();
  const [choice, setChoice] = useState('');
  const [guesses, setGuesses] = useState<Record<string, string>>({});
  const you = v.you ?? '';
  if (!a.eligible.includes(you)) return <p class="note">You are not taking part in this prompt.</p>;
  if (a.stage === 'COLLECTING') {
    if (a.responded.includes(you)) {
      return <p class="note">You answered{a.myAnswer ? `: ${JSON.stringify(a.myAnswer)}` : ''}. Results when everyone has.</p>;
    }
    switch (a.promptType) {
      case 'PLAYER_PICK':
      case 'PREDICTION':
        return (
          <div class="verb">
            <PlayerSelect label="Your pick" ids={others(v).map((p) => p.id)} value={choice} onChange={setChoice} />
            <Act kind="primary" disabled={!choice} onClick={() => act({ type: 'ACTIVITY.PROMPT.SUBMIT', targetId: choice }, 'Answer sent')}>
              Answer
            </Act>
          </div>
        );
      case 'WOULD_YOU_RATHER':
        return (
          <div class="row wrap">
            {(['A', 'B'] as const).map((c, i) => (
              <Act key={c} kind="primary" onClick={() => act({ type: 'ACTIVITY.WYR.CHOOSE', choice: c }, 'Answer sent')}>
                {a.options[i] ?? c}
              </Act>
            ))}
          </div>
        );
      case 'HOT_TAKE':
        return (
          <div class="row wrap">
            {a.options.map((opt, i) => (
              <Act key={i} kind="primary" onClick={() => act({ type: 'ACTIVITY.HOTTAKE.RESPOND', optionIndex: i }, 'Answer sent')}>
                {opt}
              </Act>
            ))}
          </div>
        );
      case 'CONFESSION':
        return <TextForm label="Your anonymous confession" button="Confess" multiline onSubmit={(text) => act({ type: 'ACTIVITY.CONFESSION.SUBMIT', text }, 'Confession sent')} />;
      case 'GUESS_WHO':
        return <TextForm label="Your anonymous answer" button="Answer" multiline onSubmit={(text) => act({ type: 'ACTIVITY.GUESSWHO.ANSWER', text }, 'Answer sent')} />;
    }
  }
  if (a.stage === 'VOTING') {
    const entries = (a.entries ?? []).filter((e) => e.index !== a.myEntryIndex);
    const done = (a.voted ?? []).includes(you);
    if (done) return <p class="note">You have voted. Results when everyone has.</p>;
    if (a.promptType === 'CONFESSION') {
      return (
        <div class="verb">
          <Choices legend="Vote for the best confession (not your own)" value={choice} onChange={setChoice} options={entries.map((e) => ({ value: String(e.index), label: `“${e.text}”` }))} />
          <Act kind="primary" disabled={!choice} onClick={() => act({ type: 'ACTIVITY.CONFESSION.VOTE', confessionIndex: Number(choice) }, 'Vote sent')}>
            Vote
          </Act>
        </div>
      );
    }
    const candidates = a.eligible.filter((p) => p !== you);
    return (
      <div class="verb">
        <p>Guess who wrote each answer (any you like):</p>
        {entries.map((e) => (
          <PlayerSelect
            key={e.index}
            label={`“${e.text}”`}
            ids={candidates}
            value={guesses[String(e.index)] ?? ''}
            onChange={(p) => setGuesses({ ...guesses, [String(e.index)]: p })}
            placeholder="No guess"
          />
        ))}
        <Act
          kind="primary"
          disabled={!Object.values(guesses).some(Boolean)}
          onClick={() =>
            act(
              { type: 'ACTIVITY.GUESSWHO.GUESS', guesses: Object.fromEntries(Object.entries(guesses).filter(([, p]) => p)) },
              'Guesses sent',
            )
          }
        >
          Send guesses
        </Act>
      </div>
    );
  }
  return null;
}

export function ActivityPanel() {
  const { v } = useGame();
  const a = v.activity;
  if (!a) return null;
  return (
    <Section title={`Prompt: ${words(a.promptType)}`} id="activity">
      <p class="prompt">{a.promptText}</p>
      <p class="note">
        Answered: {a.responded.length} of {a.eligible.length}
        {a.stage === 'VOTING' ? `; voted: ${(a.voted ?? []).length}` : ''}.
      </p>
      {a.stage === 'VOTING' && a.entries ? (
        <ol class="entries" start={0}>
          {a.entries.map((e) => (
            <li key={e.index}>
              “{e.text}”{e.index === a.myEntryIndex ? ' (yours)' : ''}
            </li>
          ))}
        </ol>
      ) : null}
      {a.result ? (
        <>
          <Outcome o={a.result.outcome} a={a} />
          <Rewards rewards={a.result.rewards} />
        </>
      ) : (
        <Answer a={a} />
      )}
    </Section>
  );
}

function Decide({ d }: { d: DilemmaView }) {
  const { v, act } = useGame();
  const [target, setTarget] = useState('');
  const you = v.you ?? '';
  if (!d.eligible.includes(you)) return <p class="note">You are not taking part in this dilemma.</p>;
  if (d.submitted.includes(you)) return <p class="note">Your decision: {d.myDecision ? (v.roster.some((p) => p.id === d.myDecision) ? name(v, d.myDecision) : words(d.myDecision)) : 'sent'} (secret until the reveal).</p>;
  if (d.dilemmaType === 'SILVER_GAMBIT') {
    return (
      <div class="row wrap">
        <Act kind="primary" onClick={() => act({ type: 'DILEMMA.SILVER_GAMBIT.SUBMIT', action: 'DONATE' }, 'Decision sent')}>
          Donate 5 silver
        </Act>
        <Act onClick={() => act({ type: 'DILEMMA.SILVER_GAMBIT.SUBMIT', action: 'KEEP' }, 'Decision sent')}>Keep</Act>
      </div>
    );
  }
  const type = d.dilemmaType === 'SPOTLIGHT' ? 'DILEMMA.SPOTLIGHT.SUBMIT' : 'DILEMMA.GIFT_OR_GRIEF.SUBMIT';
  return (
    <div class="verb">
      <PlayerSelect label="Name a player" ids={others(v).map((p) => p.id)} value={target} onChange={setTarget} />
      <Act kind="primary" disabled={!target} onClick={() => act({ type, targetId: target }, 'Decision sent')}>
        Decide
      </Act>
    </div>
  );
}

export function DilemmaPanel() {
  const { v } = useGame();
  const d = v.dilemma;
  if (!d) return null;
  return (
    <Section title={`Dilemma: ${words(d.dilemmaType)}`} id="dilemma">
      <p class="prompt">{d.rules}</p>
      <p class="note">
        Decided: {d.submitted.length} of {d.eligible.length}.
      </p>
      {d.result ? (
        <>
          <p>{d.result.summary}</p>
          <Rewards rewards={d.result.rewards} />
        </>
      ) : (
        <Decide d={d} />
      )}
    </Section>
  );
}

export function ConfessionPanel() {
  const { v, act } = useGame();
  const c = v.confession;
  if (!c) return null;
  return (
    <Section title="Confession booth" id="confession" note={c.myHandle ? `You post as ${c.myHandle}; nobody else knows who that is.` : 'You are watching: only players alive when it opened can post.'}>
      <ul class="chat" aria-label="Confessions" aria-live="polite">
        {c.posts.map((p) => (
          <li key={p.id}>
            <strong>{p.handle}</strong>: {p.text}
          </li>
        ))}
        {!c.posts.length ? <li class="note">No confessions yet.</li> : null}
      </ul>
      {c.myHandle ? (
        <TextForm label="Confess anonymously" button="Post" onSubmit={(text) => act({ type: 'CONFESSION.POST', channelId: c.channelId, text })} />
      ) : null}
    </Section>
  );
}
