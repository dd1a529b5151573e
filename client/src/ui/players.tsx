// The roster with who is online, silver transfers, nudges and perks (docs/rules.md §6–§8).
import { useState } from 'preact/hooks';
import { me, useGame } from '../ctx';
import type { PerkType, RosterEntry } from '../types';
import { clock, name } from '../words';
import { Act, NumberField, PlayerSelect, Section, whole } from './common';

const PERKS: { type: PerkType; cost: number; what: string; target: boolean }[] = [
  { type: 'SPY_DMS', cost: 5, what: 'See the last three DMs a player sent (text only).', target: true },
  { type: 'EXTRA_DM_CHARS', cost: 2, what: '+600 DM characters today.', target: false },
  { type: 'EXTRA_DM_PARTNER', cost: 3, what: '+1 DM partner and +1 conversation today.', target: false },
];

function Row({ p }: { p: RosterEntry }) {
  const { v, act, online } = useGame();
  const [amount, setAmount] = useState('');
  const [open, setOpen] = useState(false);
  const self = p.id === v.you;
  const mine = me(v);
  const canAct = !self && p.alive && !!mine?.alive && v.phase === 'DAY';
  const n = whole(amount, 1);
  return (
    <li class={`player ${p.alive ? '' : 'out'}`} data-testid={`player-${p.id}`}>
      <div class="row spread">
        <span>
          <span class={`dot ${online.includes(p.id) ? 'on' : ''}`} aria-hidden="true" />
          <strong>{p.personaName}</strong>
          {self ? ' (you)' : ''}
          <span class="sr-only">{online.includes(p.id) ? ', online' : ', offline'}</span>
          {!p.alive ? <span class="tag"> eliminated{p.eliminatedOnDay ? ` on day ${p.eliminatedOnDay}` : ''}</span> : null}
        </span>
        <span class="money">
          {p.silver} silver · {p.gold} gold
        </span>
      </div>
      {canAct ? (
        <>
          <button type="button" class="btn secondary small" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Close' : `Act on ${p.personaName}`}
          </button>
          {open ? (
            <div class="row wrap">
              <NumberField label={`Silver to send (you have ${mine?.silver ?? 0})`} value={amount} onChange={setAmount} min={1} max={mine?.silver} />
              <Act
                kind="primary"
                disabled={n === null || n > (mine?.silver ?? 0)}
                onClick={async () => (await act({ type: 'SOCIAL.SEND_SILVER', targetId: p.id, amount: n ?? 0 }, `Sent ${n} silver to ${p.personaName}`)) && setAmount('')}
              >
                Send silver
              </Act>
              <Act onClick={() => act({ type: 'SOCIAL.NUDGE', targetId: p.id }, `Nudged ${p.personaName}`)}>Nudge</Act>
            </div>
          ) : null}
        </>
      ) : null}
    </li>
  );
}

function Perks() {
  const { v, act } = useGame();
  const [target, setTarget] = useState('');
  const others = v.roster.filter((p) => p.alive && p.id !== v.you).map((p) => p.id);
  return (
    <Section title="Perks" note="Paid in silver, today only.">
      <PlayerSelect label="Spy on (for Spy DMs)" ids={others} value={target} onChange={setTarget} />
      <ul class="perks">
        {PERKS.map((k) => (
          <li key={k.type}>
            <Act
              disabled={k.target && !target}
              onClick={() => act(k.target ? { type: 'SOCIAL.USE_PERK', perkType: k.type, targetId: target } : { type: 'SOCIAL.USE_PERK', perkType: k.type }, 'Perk used')}
            >
              {k.type === 'SPY_DMS' ? 'Spy DMs' : k.type === 'EXTRA_DM_CHARS' ? 'Extra characters' : 'Extra partner'} ({k.cost} silver)
            </Act>{' '}
            <span class="note">{k.what}</span>
          </li>
        ))}
      </ul>
      {v.perkResults?.length ? (
        <div aria-label="Spy results">
          {v.perkResults.map((r, i) => (
            <div key={i} class="result">
              <p>
                Day {r.day}: {name(v, r.targetId)}’s last DMs:
              </p>
              <ul>
                {r.messages.map((m, j) => (
                  <li key={j}>
                    “{m.content}” (day {m.day}, {clock(m.atMs)})
                  </li>
                ))}
                {!r.messages.length ? <li class="note">None sent.</li> : null}
              </ul>
            </div>
          ))}
        </div>
      ) : null}
    </Section>
  );
}

export function PlayersTab() {
  const { v, online } = useGame();
  const mine = me(v);
  const n = v.nudges;
  return (
    <>
      <Section title="Players" note={`${online.length} online · gold pool ${v.goldPool}`}>
        <ul class="players" aria-label="Players">
          {v.roster.map((p) => (
            <Row key={p.id} p={p} />
          ))}
        </ul>
      </Section>
      {n && (n.received.length || n.sent.length) ? (
        <Section title="Nudges">
          <ul>
            {n.received.map((x) => (
              <li key={`r${x.from}`}>
                {name(v, x.from)} nudged you{x.count > 1 ? ` ×${x.count}` : ''}
              </li>
            ))}
            {n.sent.map((x) => (
              <li key={`s${x.to}`}>
                You nudged {name(v, x.to)}
                {x.count > 1 ? ` ×${x.count}` : ''}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {mine?.alive && v.phase === 'DAY' ? <Perks /> : null}
    </>
  );
}
