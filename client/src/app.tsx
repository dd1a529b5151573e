// The play page: one socket (./connection.ts), the latest projection, the ticker and who is
// online; tabs sized for a phone. Every state has words on screen: connecting, reconnecting, a
// refused link, a game not set up, the game itself.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { heard, QUIET, stopped, tick, typed, type Board, type Sender, type Signal } from './compose';
import { Connection, type Problem, type Status } from './connection';
import { GameCtx, me, type Ctx } from './ctx';
import { Evidence } from './evidence';
import { parseLink, withTokenInFragment, type Link } from './link';
import { isGameView, type GameView, type Outgoing, type Projection, type TickerLine } from './types';
import { ChatTab } from './ui/chat';
import { DmsTab } from './ui/dms';
import { EvidencePanel } from './ui/evidence';
import { PlayersTab } from './ui/players';
import { mergeTicker, TickerTab } from './ui/ticker';
import { TodayTab } from './ui/today';
import { verbsFor } from './ui/vote';
import { phaseWords, refusal } from './words';

type Tab = 'today' | 'chat' | 'dms' | 'players' | 'ticker';
type Toast = { id: number; text: string; error: boolean };

export function PasteLink(props: { intro?: string }) {
  const [text, setText] = useState('');
  const [bad, setBad] = useState(false);
  return (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault();
        const t = text.trim();
        const link = parseLink(t.startsWith('http') ? t : `${location.origin}/play/${t.startsWith('?') || t.startsWith('#') ? t : `#${t}`}`);
        if (!link) return setBad(true);
        const samePage = location.pathname === '/play/';
        location.assign(`${location.origin}/play/?game=${encodeURIComponent(link.game)}#token=${encodeURIComponent(link.token)}`);
        // Only the fragment changed: assign() does not load the page again by itself.
        if (samePage) location.reload();
      }}
    >
      {props.intro ? <p>{props.intro}</p> : null}
      <label for="paste-link">Your player link</label>
      <div class="row">
        <input id="paste-link" type="url" value={text} placeholder="http://…/play/?game=…#token=…" onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        <button class="btn primary" type="submit" disabled={!text.trim()}>
          Open
        </button>
      </div>
      {bad ? (
        <p class="error" role="alert">
          That does not look like a player link: it needs a game and a token.
        </p>
      ) : null}
    </form>
  );
}

function ProblemCard({ problem, retry }: { problem: Problem; retry: () => void }) {
  return (
    <main class="page">
      <section class="card problem" role="alert" data-testid="problem">
        <h1>{problem.title}</h1>
        <p>{problem.detail}</p>
        {problem.next === 'retry' ? (
          <button type="button" class="btn primary" onClick={retry}>
            Try again
          </button>
        ) : null}
      </section>
      <PasteLink intro="Have another link? Paste it here." />
    </main>
  );
}

function Banner({ status, retry, now }: { status: Status; retry: () => void; now: number }) {
  // Shown from the drop until the socket is open again (also while a retry is connecting).
  if (status.kind === 'connecting' && status.attempt > 0) {
    return (
      <div class="banner" role="status" data-testid="reconnecting">
        Connection lost. Reconnecting…
      </div>
    );
  }
  if (status.kind !== 'waiting') return null;
  const secs = Math.max(0, Math.ceil((status.retryAt - now) / 1000));
  const long = now - status.since > 20_000;
  return (
    <div class="banner" role="status" data-testid="reconnecting">
      {long ? 'The game server is not answering (it may be restarting).' : 'Connection lost.'} Reconnecting{secs ? ` in ${secs} s` : '…'}{' '}
      <button type="button" class="btn small secondary" onClick={retry}>
        Try now
      </button>
    </div>
  );
}

function Header({ v, online, status }: { v: GameView; online: string[]; status: Status }) {
  const self = me(v);
  return (
    <header class="top">
      <div class="row spread">
        <strong class="title">Pecking Order</strong>
        <span class={`conn ${status.kind}`} role="img" aria-label={status.kind === 'open' ? 'Connected' : 'Not connected'} title={status.kind === 'open' ? 'Connected' : 'Not connected'} />
      </div>
      <div class="row spread small">
        <span data-testid="phase">{phaseWords(v)}</span>
        <span>{online.length} online</span>
      </div>
      {self ? (
        <div class="row spread small">
          <span>
            {self.personaName}
            {self.alive ? '' : ' (eliminated)'}
          </span>
          <span data-testid="my-silver">
            {self.silver} silver · {self.gold} gold
          </span>
        </div>
      ) : null}
    </header>
  );
}

const TABS: { id: Tab; label: string }[] = [
  { id: 'today', label: 'Today' },
  { id: 'chat', label: 'Chat' },
  { id: 'dms', label: 'DMs' },
  { id: 'players', label: 'Players' },
  { id: 'ticker', label: 'Ticker' },
];

function Tabs({ tab, setTab, badges }: { tab: Tab; setTab: (t: Tab) => void; badges: Partial<Record<Tab, boolean>> }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  return (
    <nav class="tabs" role="tablist" aria-label="Sections">
      {TABS.map((t, i) => (
        <button
          type="button"
          key={t.id}
          role="tab"
          id={`tab-${t.id}`}
          aria-selected={tab === t.id}
          aria-controls="panel"
          tabIndex={tab === t.id ? 0 : -1}
          ref={(el) => void (refs.current[i] = el)}
          onClick={() => setTab(t.id)}
          onKeyDown={(e) => {
            const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
            if (!d) return;
            const j = (i + d + TABS.length) % TABS.length;
            const next = TABS[j];
            if (next) {
              setTab(next.id);
              refs.current[j]?.focus();
            }
          }}
        >
          {t.label}
          {badges[t.id] ? <span class="badge" aria-label="(needs you)"> •</span> : null}
        </button>
      ))}
    </nav>
  );
}

export function App() {
  const link = useMemo<Link | null>(() => {
    const moved = withTokenInFragment(location.href);
    if (moved) history.replaceState(null, '', moved);
    return parseLink(location.href);
  }, []);
  const evidence = useMemo(() => (link ? new Evidence(link.game) : null), [link]);
  const [status, setStatus] = useState<Status>({ kind: 'connecting', attempt: 0 });
  const [view, setView] = useState<Projection | null>(null);
  const [ticker, setTicker] = useState<TickerLine[]>([]);
  const [online, setOnline] = useState<string[]>([]);
  const [typing, setTyping] = useState<Board>({});
  const sender = useRef<Sender>(QUIET);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [tab, setTab] = useState<Tab>('today');
  const [now, setNow] = useState(Date.now());
  const conn = useRef<Connection | null>(null);

  // Typing signals go out through one sender for the whole page (the server's limit is per player).
  const typingStep = (f: (s: Sender, now: number) => [Sender, Signal | null]) => {
    const [s, out] = f(sender.current, Date.now());
    sender.current = s;
    if (out) conn.current?.signal(out);
  };

  useEffect(() => {
    const t = setInterval(() => {
      setNow(Date.now());
      typingStep(tick);
    }, 1000);
    return () => clearInterval(t);
  }, []);

  useEffect(() => {
    if (!link) return;
    const c = new Connection(link, location.origin, {
      status: setStatus,
      sync: setView,
      ticker: (lines) => setTicker((known) => mergeTicker(known, lines)),
      presence: setOnline,
      evidence: (f) => void evidence?.record(f),
      typing: (f) => setTyping((b) => heard(b, f, Date.now())),
    });
    conn.current = c;
    c.start();
    return () => c.stop();
  }, [link]);

  const toast = (text: string, error: boolean) => {
    const id = Date.now() + Math.random();
    setToasts((ts) => [...ts.slice(-2), { id, text, error }]);
    setTimeout(() => setToasts((ts) => ts.filter((x) => x.id !== id)), error ? 6000 : 2500);
  };

  if (!link) {
    return (
      <main class="page">
        <section class="card">
          <h1>Pecking Order</h1>
          <p>This page needs your player link: the host sends each player one. It looks like /play/?game=…#token=….</p>
        </section>
        <PasteLink />
      </main>
    );
  }
  if (status.kind === 'fatal') {
    return (
      <ProblemCard
        problem={status.problem}
        retry={() => {
          setStatus({ kind: 'connecting', attempt: 0 });
          conn.current?.retryNow();
        }}
      />
    );
  }
  if (!view) {
    return (
      <main class="page">
        <section class="card" role="status" data-testid="connecting">
          <h1>Pecking Order</h1>
          <p>Joining game “{link.game}”…</p>
          <Banner status={status} retry={() => conn.current?.retryNow()} now={now} />
        </section>
      </main>
    );
  }
  if (!isGameView(view)) {
    return (
      <main class="page">
        <section class="card" role="status">
          <h1>This game is not set up yet</h1>
          <p>Game “{view.gameId}” exists but has not been started by the host. This page updates by itself when it is.</p>
        </section>
      </main>
    );
  }
  const v = view;
  const ctx: Ctx = {
    v,
    online,
    now,
    typing,
    composing(channel) {
      typingStep((s, t) => (channel ? typed(s, channel, t) : stopped(s, t)));
    },
    async act(msg: Outgoing, ok?: string) {
      const r = await (conn.current?.send(msg) ?? Promise.resolve(null));
      if (!r) return false;
      if (r.ok) {
        if (ok) toast(ok, false);
        return true;
      }
      toast(refusal(r.error), true);
      return false;
    },
  };
  const voteWaits = !!(v.voting && v.you && verbsFor(v.voting, v.you).some((x) => !x.current));
  return (
    <GameCtx.Provider value={ctx}>
      <div class="app">
        <Header v={v} online={online} status={status} />
        <Banner status={status} retry={() => conn.current?.retryNow()} now={now} />
        <main id="panel" role="tabpanel" aria-labelledby={`tab-${tab}`} class="page">
          {tab === 'today' ? <TodayTab /> : null}
          {tab === 'chat' ? <ChatTab /> : null}
          {tab === 'dms' ? <DmsTab /> : null}
          {tab === 'players' ? <PlayersTab /> : null}
          {tab === 'ticker' ? <TickerTab lines={ticker} /> : null}
          {tab === 'ticker' && evidence ? <EvidencePanel evidence={evidence} /> : null}
        </main>
        <div class="toasts">
          <div role="status" aria-live="polite">
            {toasts.filter((t) => !t.error).map((t) => (
              <p key={t.id} class="toast">
                {t.text}
              </p>
            ))}
          </div>
          <div role="alert">
            {toasts.filter((t) => t.error).map((t) => (
              <p key={t.id} class="toast error" data-testid="error-toast">
                {t.text}
              </p>
            ))}
          </div>
        </div>
        <Tabs tab={tab} setTab={setTab} badges={{ today: voteWaits, dms: (v.dms ?? []).some((c) => c.status === 'INVITED') }} />
      </div>
    </GameCtx.Provider>
  );
}
