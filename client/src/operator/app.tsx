// The operator page (`/operator/`, docs/client.md "The operator page"): the bearer, the rooms
// D1 knows with each room's live phase and outbox lag, and one room in detail (room.tsx).
import { Component, type ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Api, type Problem } from './api';
import { ProblemCard } from './problem';
import { RoomView } from './room';
import type { RoomsResponse, StateResponse } from './types';

const BEARER_KEY = 'po-operator-bearer';
const PAGE = 25;

/** Never a blank screen: an exception while drawing is shown in words. */
class Guard extends Component<{ children: ComponentChildren }, { error: string | null }> {
  state = { error: null as string | null };
  componentDidCatch(e: unknown) {
    this.setState({ error: e instanceof Error ? e.message : String(e) });
  }
  render() {
    if (this.state.error !== null) {
      return (
        <ProblemCard problem={{ title: 'This page hit a bug', next: 'Reload the page; the room is not affected.', message: this.state.error }}>
          <button class="btn primary" onClick={() => location.reload()}>
            Reload
          </button>
        </ProblemCard>
      );
    }
    return this.props.children;
  }
}

function roomFromHash(): string | null {
  const m = /^#room=(.+)$/.exec(location.hash);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

export function Operator() {
  const [bearer, setBearer] = useState<string | null>(() => sessionStorage.getItem(BEARER_KEY));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [room, setRoom] = useState<string | null>(roomFromHash);
  useEffect(() => {
    const onHash = () => setRoom(roomFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const signOut = (p: Problem | null) => {
    sessionStorage.removeItem(BEARER_KEY);
    setBearer(null);
    setProblem(p);
  };
  const api = bearer === null ? null : new Api(bearer);
  // A refused bearer anywhere sends the operator back to the bearer form, with the reason.
  const onProblem = (p: Problem) => {
    if (p.badBearer) signOut(p);
  };
  return (
    <div class="op">
      <header class="row spread">
        <h1>Pecking Order — operator</h1>
        {bearer !== null && (
          <button class="btn secondary small" onClick={() => signOut(null)}>
            Forget the bearer
          </button>
        )}
      </header>
      <Guard>
        {api === null ? (
          <Login
            problem={problem}
            onBearer={(b) => {
              sessionStorage.setItem(BEARER_KEY, b);
              setProblem(null);
              setBearer(b);
            }}
          />
        ) : room === null ? (
          <Rooms api={api} onProblem={onProblem} open={(id) => (location.hash = `room=${encodeURIComponent(id)}`)} />
        ) : (
          <RoomView key={room} api={api} game={room} onProblem={onProblem} back={() => (location.hash = '')} />
        )}
      </Guard>
    </div>
  );
}

function Login({ problem, onBearer }: { problem: Problem | null; onBearer: (b: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <>
      {problem && <ProblemCard problem={problem} />}
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim() !== '') onBearer(value.trim());
        }}
      >
        <h2>Sign in</h2>
        <p class="note">
          The operator routes need the server’s bearer (AUTH_SECRET; locally in <code>.dev.vars</code>). It is kept in this tab only
          (sessionStorage) and sent only to this server.
        </p>
        <div class="field">
          <label for="bearer">Operator bearer</label>
          <input id="bearer" type="password" autocomplete="off" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        </div>
        <button class="btn primary" type="submit" disabled={value.trim() === ''}>
          Sign in
        </button>
      </form>
    </>
  );
}

type Live = { state: StateResponse } | { problem: Problem };

function Rooms({ api, onProblem, open }: { api: Api; onProblem: (p: Problem) => void; open: (id: string) => void }) {
  const [status, setStatus] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<RoomsResponse | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [live, setLive] = useState<Record<string, Live>>({});
  const [typed, setTyped] = useState('');
  const [tick, setTick] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    let gone = false;
    setProblem(null);
    void api.rooms({ status: status || undefined, limit: PAGE, offset }).then(async (r) => {
      if (gone) return;
      if (!r.ok) {
        setProblem(r.problem);
        onProblem(r.problem);
        return;
      }
      setPage(r.value);
      // Each room's live phase and outbox lag, from the room itself.
      const entries = await Promise.all(
        r.value.rooms.map(async (room) => {
          const s = await api.state(room.gameId);
          return [room.gameId, s.ok ? { state: s.value } : { problem: s.problem }] as const;
        }),
      );
      if (!gone) setLive(Object.fromEntries(entries));
    });
    return () => {
      gone = true;
    };
  }, [status, offset, tick]);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="rooms-h">
      <h2 id="rooms-h" tabIndex={-1} ref={heading}>
        Rooms
      </h2>
      <div class="row wrap">
        <div class="field">
          <label for="status">Show</label>
          <select
            id="status"
            value={status}
            onChange={(e) => {
              setOffset(0);
              setStatus(e.currentTarget.value);
            }}
          >
            <option value="">all rooms</option>
            <option value="ACTIVE">running (ACTIVE)</option>
            <option value="COMPLETED">finished (COMPLETED)</option>
            <option value="ABANDONED">abandoned (ABANDONED)</option>
          </select>
        </div>
        <button class="btn secondary" onClick={() => setTick((t) => t + 1)}>
          Refresh
        </button>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (typed.trim()) open(typed.trim());
          }}
        >
          <div class="field">
            <label for="open-id">Open a room by game id</label>
            <input id="open-id" type="text" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
          </div>
          <button class="btn secondary" type="submit">
            Open
          </button>
        </form>
      </div>
      {problem && <ProblemCard problem={problem} />}
      {page === null && problem === null && <p role="status">Loading the rooms…</p>}
      {page !== null && (
        <>
          <p role="status" class="note">
            {page.total === 0
              ? 'D1 holds no room yet (a room appears once its first entry reaches D1).'
              : `Rooms ${page.offset + 1} to ${page.offset + page.rooms.length} of ${page.total}, newest first.`}
          </p>
          <div class="scroll">
            <table data-testid="rooms">
              <caption>Rooms (from D1), with each room’s live phase and outbox lag</caption>
              <thead>
                <tr>
                  <th scope="col">Game</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Status</th>
                  <th scope="col">Phase</th>
                  <th scope="col">Players</th>
                  <th scope="col">Room head / in D1</th>
                  <th scope="col">Outbox lag</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {page.rooms.map((r) => {
                  const l = live[r.gameId];
                  const st = l && 'state' in l ? l.state : null;
                  return (
                    <tr key={r.gameId}>
                      <td>
                        <button class="linkish" onClick={() => open(r.gameId)} aria-label={`Open room ${r.gameId}`}>
                          {r.gameId}
                        </button>
                      </td>
                      <td>{r.mode}</td>
                      <td>{r.status}</td>
                      <td>{st ? `${st.phase}, day ${st.day}` : l && 'problem' in l ? l.problem.title : '…'}</td>
                      <td>{r.players}</td>
                      <td>
                        {st ? st.seq : '–'} / {r.d1HeadSeq}
                      </td>
                      <td>{st ? st.outboxLag : '–'}</td>
                      <td>{new Date(r.createdAtMs).toISOString().replace('.000Z', 'Z')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div class="row">
            <button class="btn secondary" disabled={page.offset === 0} onClick={() => setOffset(Math.max(0, page.offset - PAGE))}>
              Previous rooms
            </button>
            <button class="btn secondary" disabled={page.nextOffset === null} onClick={() => page.nextOffset !== null && setOffset(page.nextOffset)}>
              Next rooms
            </button>
          </div>
        </>
      )}
    </section>
  );
}
