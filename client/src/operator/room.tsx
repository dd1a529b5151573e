// One room for the operator: its live status (GET …/state), scheduled tasks, D1 verification
// and the latest verified head, admin commands, the journal page by page and the replay report.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Api, ROW_CHECK_WORDS, reportCommands, rowCheck, verifySummary, type JournalPage, type Problem } from './api';
import { ProblemCard } from './problem';
import type { Action, AdminRequest, AdminResponse, NextTask, StateResponse, VerifyResponse } from './types';

const JOURNAL_PAGE = 50;
const ACTIONS: Action[] = [
  'START_DAY', 'OPEN_GROUP_CHAT', 'CLOSE_GROUP_CHAT', 'OPEN_DMS', 'CLOSE_DMS', 'START_GAME', 'END_GAME',
  'START_ACTIVITY', 'END_ACTIVITY', 'START_DILEMMA', 'END_DILEMMA', 'OPEN_VOTING', 'CLOSE_VOTING', 'ELIMINATE',
  'START_CONFESSION_CHAT', 'END_CONFESSION_CHAT', 'END_DAY',
];

const time = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const short = (h: string) => `${h.slice(0, 12)}…`;

type Props = { api: Api; game: string; onProblem: (p: Problem) => void; back: () => void };

export function RoomView({ api, game, onProblem, back }: Props) {
  const [state, setState] = useState<StateResponse | null>(null);
  const [stateProblem, setStateProblem] = useState<Problem | null>(null);
  const [verify, setVerify] = useState<VerifyResponse | null>(null);
  const [verifyProblem, setVerifyProblem] = useState<Problem | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [tick, setTick] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    let gone = false;
    void api.state(game).then((r) => {
      if (gone) return;
      if (r.ok) {
        setState(r.value);
        setStateProblem(null);
      } else {
        setStateProblem(r.problem);
        onProblem(r.problem);
      }
    });
    return () => {
      gone = true;
    };
  }, [game, tick]);
  const runVerify = async () => {
    setVerifying(true);
    const r = await api.verify(game);
    setVerifying(false);
    if (r.ok) {
      setVerify(r.value);
      setVerifyProblem(null);
    } else {
      setVerifyProblem(r.problem);
      onProblem(r.problem);
    }
  };
  return (
    <section aria-labelledby="room-h">
      <button class="btn secondary small" onClick={back}>
        ← All rooms
      </button>
      <h2 id="room-h" tabIndex={-1} ref={heading}>
        Room <code>{game}</code>
      </h2>
      <div class="row">
        <button class="btn secondary small" onClick={() => setTick((t) => t + 1)}>
          Refresh
        </button>
      </div>
      {stateProblem && <ProblemCard problem={stateProblem} />}
      {state === null && stateProblem === null && <p role="status">Loading the room…</p>}
      {state && <Status s={state} />}
      {state && <Tasks api={api} game={game} tasks={state.nextTasks} onProblem={onProblem} />}
      <section class="card" aria-labelledby="verify-h">
        <h3 id="verify-h">Journal verification and checkpoint</h3>
        <button class="btn primary" onClick={() => void runVerify()} disabled={verifying}>
          {verifying ? 'Verifying…' : 'Verify the D1 journal'}
        </button>
        <div aria-live="polite" data-testid="verify">
          {verifyProblem && <ProblemCard problem={verifyProblem} />}
          {verify && <VerifyResult v={verify} s={state} />}
        </div>
        <Checkpoint v={verify} s={state} />
      </section>
      {state && <Admin api={api} game={game} s={state} onProblem={onProblem} done={() => setTick((t) => t + 1)} />}
      <Journal api={api} game={game} verify={verify} onProblem={onProblem} tick={tick} />
      <Report api={api} game={game} />
    </section>
  );
}

function Status({ s }: { s: StateResponse }) {
  return (
    <section class="card" aria-labelledby="status-h" data-testid="status">
      <h3 id="status-h">Status</h3>
      <dl>
        <dt>Phase</dt>
        <dd data-testid="room-phase">
          {s.phase}, day {s.day}
        </dd>
        <dt>Lifecycle</dt>
        <dd>{s.lifecycle}</dd>
        <dt>Mode</dt>
        <dd>
          {s.mode} {s.kind}, scheduling {s.scheduling}
        </dd>
        <dt>Players</dt>
        <dd>
          {s.roster.filter((p) => p.alive).length} alive of {s.roster.length}
          {s.winner ? `; winner ${s.winner}` : ''}
        </dd>
        <dt>Room head</dt>
        <dd>
          seq {s.seq}, <span class="mono">{s.journalHead}</span>
        </dd>
        <dt>Outbox lag</dt>
        <dd data-testid="outbox-lag">
          {s.outboxLag} {s.outboxLag === 1 ? 'entry' : 'entries'} not yet confirmed in D1 (D1 confirmed up to seq {s.d1ConfirmedSeq})
        </dd>
        <dt>D1 failures</dt>
        <dd>
          {s.d1Failures}
          {s.d1RetryAt !== null ? `, next try at ${time(s.d1RetryAt)}` : ''} ({s.d1Batches} batches, {s.d1BatchedEntries} entries written)
        </dd>
        <dt>Durable Object</dt>
        <dd>
          snapshot at seq {s.snapshotSeq}; keeps {s.doJournalRows} journal rows
          {s.doJournalFirstSeq !== null ? ` from seq ${s.doJournalFirstSeq}` : ''}
          {s.doStorageBytes !== null ? `; ${s.doStorageBytes} bytes` : ''}
        </dd>
      </dl>
    </section>
  );
}

function TaskTable({ tasks, caption }: { tasks: NextTask[]; caption: string }) {
  if (tasks.length === 0) return <p>No task is scheduled.</p>;
  return (
    <div class="scroll">
      <table data-testid="tasks">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Due</th>
            <th scope="col">Action</th>
            <th scope="col">Task</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((t) => (
            <tr key={t.taskId}>
              <td>{time(t.dueMs)}</td>
              <td>{t.action}</td>
              <td class="mono">{t.taskId}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Tasks({ api, game, tasks, onProblem }: { api: Api; game: string; tasks: NextTask[]; onProblem: (p: Problem) => void }) {
  const [all, setAll] = useState<NextTask[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  return (
    <section class="card" aria-labelledby="tasks-h">
      <h3 id="tasks-h">Scheduled tasks (alarms)</h3>
      <TaskTable tasks={all ?? tasks} caption={all ? 'Every task, in firing order' : 'The next tasks, in firing order'} />
      <button
        class="btn secondary small"
        onClick={async () => {
          const r = await api.admin(game, { type: 'LIST_TASKS' });
          if (r.ok && 'tasks' in r.value) setAll(r.value.tasks);
          else if (!r.ok) {
            setProblem(r.problem);
            onProblem(r.problem);
          }
        }}
      >
        List every task
      </button>
      {problem && <ProblemCard problem={problem} />}
    </section>
  );
}

function VerifyResult({ v, s }: { v: VerifyResponse; s: StateResponse | null }) {
  const behind = s !== null && v.status === 'VERIFIED' && v.headSeq < s.seq ? s.seq - v.headSeq : 0;
  return (
    <div class={v.status === 'BROKEN' ? 'card problem' : 'card'} role={v.status === 'BROKEN' ? 'alert' : undefined}>
      <p class={v.status === 'BROKEN' ? 'bad' : 'ok'} data-testid="verify-status">
        {v.status}
      </p>
      <p>{verifySummary(v)}</p>
      {behind > 0 && <p class="note">The room is {behind} entries further (seq {s?.seq}): they were not in D1 when this ran.</p>}
      <p class="note">Checked at {time(v.checkedAtMs)}. The rules themselves are re-played by po-replay (below), not here.</p>
    </div>
  );
}

function Checkpoint({ v, s }: { v: VerifyResponse | null; s: StateResponse | null }) {
  return (
    <div data-testid="checkpoint">
      <h4>Latest checkpoint</h4>
      <p>
        There are no signed checkpoints yet. What this page can show instead: the latest <strong>verified head</strong> (checked
        here, not signed) and the room’s <strong>compaction point</strong> (its snapshot).
      </p>
      <dl>
        <dt>Latest verified head</dt>
        <dd>
          {v && v.headHash ? (
            <>
              seq {v.headSeq}, <span class="mono">{v.headHash}</span> (verified {time(v.checkedAtMs)})
            </>
          ) : (
            'none yet: verify the journal'
          )}
        </dd>
        <dt>Compaction point</dt>
        <dd>
          {s
            ? `snapshot at seq ${s.snapshotSeq} (a cold start folds the rows after it); the room keeps journal rows ${
                s.doJournalFirstSeq !== null ? `from seq ${s.doJournalFirstSeq}` : 'none'
              }, older ones are in D1 only`
            : 'unknown (the room did not answer)'}
        </dd>
      </dl>
    </div>
  );
}

type Kind = 'NEXT_STAGE' | 'INJECT_TIMELINE_EVENT' | 'ELIMINATE_PLAYER' | 'CREDIT_SILVER' | 'ABANDON_GAME';

function answerWords(a: AdminResponse): string {
  if ('verdict' in a) {
    return a.accepted ? `Journaled as entry ${a.seq}: ${a.verdict}.` : `Journaled as entry ${a.seq}, but the engine refused it: ${a.verdict}.`;
  }
  if ('tasks' in a) return `${a.tasks.length} tasks.`;
  if ('note' in a) return `Checkpoint journaled as entry ${a.entrySeq}: seq ${a.seq}, head ${a.head}.`;
  return `Fault switch DEV_FAIL_D1 is ${a.devFailD1 ? 'on' : 'off'}.`;
}

function Admin({ api, game, s, onProblem, done }: { api: Api; game: string; s: StateResponse; onProblem: (p: Problem) => void; done: () => void }) {
  const [kind, setKind] = useState<Kind>('NEXT_STAGE');
  const [action, setAction] = useState<Action>('OPEN_VOTING');
  const [player, setPlayer] = useState(s.roster[0]?.id ?? '');
  const [amount, setAmount] = useState('10');
  const [reason, setReason] = useState('');
  const [sure, setSure] = useState(false);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<{ text: string; accepted: boolean } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const body = (): AdminRequest | string => {
    switch (kind) {
      case 'NEXT_STAGE':
        return { type: 'NEXT_STAGE' };
      case 'INJECT_TIMELINE_EVENT':
        return { type: 'INJECT_TIMELINE_EVENT', action };
      case 'ELIMINATE_PLAYER':
        return { type: 'ELIMINATE_PLAYER', playerId: player, reason: reason || null };
      case 'CREDIT_SILVER': {
        const n = Number(amount);
        if (!Number.isInteger(n)) return 'The amount must be a whole number (negative debits).';
        return { type: 'CREDIT_SILVER', rewards: { [player]: n } };
      }
      case 'ABANDON_GAME':
        return sure ? { type: 'ABANDON_GAME', reason: reason || null } : 'Tick the box to confirm: an abandoned game cannot be resumed.';
    }
  };
  const send = async () => {
    const b = body();
    setAnswer(null);
    setProblem(null);
    if (typeof b === 'string') {
      setProblem({ title: 'Not sent', next: b });
      return;
    }
    setBusy(true);
    const r = await api.admin(game, b);
    setBusy(false);
    if (r.ok) {
      setAnswer({ text: answerWords(r.value), accepted: !('accepted' in r.value) || r.value.accepted });
      done();
    } else {
      setProblem(r.problem);
      onProblem(r.problem);
    }
  };
  const needsPlayer = kind === 'ELIMINATE_PLAYER' || kind === 'CREDIT_SILVER';
  return (
    <section class="card" aria-labelledby="admin-h">
      <h3 id="admin-h">Admin command</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <div class="row wrap">
          <div class="field">
            <label for="admin-type">Command</label>
            <select id="admin-type" value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
              <option value="NEXT_STAGE">NEXT_STAGE (advance the phase)</option>
              <option value="INJECT_TIMELINE_EVENT">INJECT_TIMELINE_EVENT</option>
              <option value="ELIMINATE_PLAYER">ELIMINATE_PLAYER</option>
              <option value="CREDIT_SILVER">CREDIT_SILVER</option>
              <option value="ABANDON_GAME">ABANDON_GAME (end the game)</option>
            </select>
          </div>
          {kind === 'INJECT_TIMELINE_EVENT' && (
            <div class="field">
              <label for="admin-action">Timeline action</label>
              <select id="admin-action" value={action} onChange={(e) => setAction(e.currentTarget.value as Action)}>
                {ACTIONS.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </div>
          )}
          {needsPlayer && (
            <div class="field">
              <label for="admin-player">Player</label>
              <select id="admin-player" value={player} onChange={(e) => setPlayer(e.currentTarget.value)}>
                {s.roster.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.personaName} ({p.id}){p.alive ? '' : ', eliminated'}
                  </option>
                ))}
              </select>
            </div>
          )}
          {kind === 'CREDIT_SILVER' && (
            <div class="field">
              <label for="admin-amount">Silver (negative debits)</label>
              <input id="admin-amount" type="number" step="1" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
            </div>
          )}
          {(kind === 'ELIMINATE_PLAYER' || kind === 'ABANDON_GAME') && (
            <div class="field">
              <label for="admin-reason">Reason (recorded only)</label>
              <input id="admin-reason" type="text" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            </div>
          )}
        </div>
        {kind === 'ABANDON_GAME' && (
          <label class="choice">
            <input type="checkbox" checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} /> I want to end this game without a
            winner
          </label>
        )}
        <div class="row">
          <button class="btn primary" type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Send command'}
          </button>
        </div>
      </form>
      <div aria-live="polite" data-testid="admin-result">
        {answer && <p class={answer.accepted ? 'ok' : 'bad'}>{answer.text}</p>}
        {problem && <ProblemCard problem={problem} />}
      </div>
    </section>
  );
}

function Journal({ api, game, verify, onProblem, tick }: { api: Api; game: string; verify: VerifyResponse | null; onProblem: (p: Problem) => void; tick: number }) {
  const [from, setFrom] = useState(1);
  const [page, setPage] = useState<JournalPage | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    let gone = false;
    void api.journal(game, from, JOURNAL_PAGE).then((r) => {
      if (gone) return;
      if (r.ok) {
        setPage(r.value);
        setProblem(null);
      } else {
        setProblem(r.problem);
        onProblem(r.problem);
      }
    });
    return () => {
      gone = true;
    };
  }, [game, from, tick]);
  const last = page ? Math.max(1, page.head - JOURNAL_PAGE + 1) : 1;
  return (
    <section class="card" aria-labelledby="journal-h">
      <h3 id="journal-h">Journal</h3>
      {problem && <ProblemCard problem={problem} />}
      {page && (
        <>
          <p role="status" class="note">
            {page.entries.length === 0
              ? 'No entries on this page.'
              : `Entries ${page.entries[0]?.seq} to ${page.entries[page.entries.length - 1]?.seq} of ${page.head}.`}{' '}
            {verify ? 'Each row says how it stands against the last verification.' : 'Verify the D1 journal to see each row’s state.'}
          </p>
          <div class="row wrap">
            <button class="btn secondary small" disabled={from <= 1} onClick={() => setFrom(Math.max(1, from - JOURNAL_PAGE))}>
              Earlier entries
            </button>
            <button class="btn secondary small" disabled={page.nextFrom === null} onClick={() => page.nextFrom !== null && setFrom(page.nextFrom)}>
              Later entries
            </button>
            <button class="btn secondary small" onClick={() => setFrom(last)}>
              Newest entries
            </button>
          </div>
          <div class="scroll">
            <table data-testid="journal">
              <caption>Journal entries (from D1 below the rows the room keeps, from the room for those)</caption>
              <thead>
                <tr>
                  <th scope="col">Seq</th>
                  <th scope="col">Time</th>
                  <th scope="col">Day</th>
                  <th scope="col">Type</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Verdict</th>
                  <th scope="col">Hash</th>
                  <th scope="col">Verification</th>
                </tr>
              </thead>
              <tbody>
                {page.entries.map((e) => {
                  const c = rowCheck(e.seq, verify);
                  return (
                    <tr key={e.seq} class={c === 'broken' ? 'broken' : undefined}>
                      <td>{e.seq}</td>
                      <td>{time(e.at_ms)}</td>
                      <td>{e.day}</td>
                      <td>{e.type}</td>
                      <td>{e.actor}</td>
                      <td>{e.verdict}</td>
                      <td class="mono" title={e.hash}>
                        {short(e.hash)}
                      </td>
                      <td class={c === 'broken' ? 'bad' : c === 'verified' ? 'ok' : undefined}>{ROW_CHECK_WORDS[c]}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function Report({ api, game }: { api: Api; game: string }) {
  const cmds = reportCommands(game);
  const [status, setStatus] = useState('');
  const download = async () => {
    setStatus('Reading the journal…');
    const lines: string[] = [];
    let from: number | null = 1;
    while (from !== null) {
      const r = await api.journal(game, from, 1000);
      if (!r.ok) {
        setStatus(`${r.problem.title}. ${r.problem.next}`);
        return;
      }
      lines.push(...r.value.entries.map((e) => JSON.stringify(e)));
      from = r.value.nextFrom;
    }
    const url = URL.createObjectURL(new Blob([lines.map((l) => `${l}\n`).join('')], { type: 'application/x-ndjson' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${game}.jsonl`;
    a.click();
    URL.revokeObjectURL(url);
    setStatus(`Saved ${lines.length} entries as ${game}.jsonl.`);
  };
  return (
    <section class="card" aria-labelledby="report-h" data-testid="report">
      <h3 id="report-h">Replay report</h3>
      <p>
        The report (<code>po-replay report</code>, docs/replay.md) re-plays every entry with the engine and checks the chain; it is
        a native tool, so it runs on your machine, not in the Worker. From the local D1 of <code>wrangler dev</code>:
      </p>
      <pre data-testid="report-command">{cmds.local}</pre>
      <p>From the deployed D1:</p>
      <pre>{cmds.remote}</pre>
      <p>Or from this page: save the journal as JSON lines, then run</p>
      <pre>{cmds.jsonl}</pre>
      <button class="btn secondary" onClick={() => void download()}>
        Save the journal (JSON lines)
      </button>
      <p aria-live="polite">{status}</p>
    </section>
  );
}
