import { useGame } from '../ctx';
import type { TickerLine } from '../types';
import { clock } from '../words';
import { Section } from './common';

/** Merges new ticker lines into the known ones: `(seq, text)` identifies a line (docs/protocol.md). */
export function mergeTicker(known: TickerLine[], lines: TickerLine[], max = 200): TickerLine[] {
  const seen = new Set(known.map((l) => `${l.seq}\u0000${l.text}`));
  const out = [...known];
  for (const l of lines) {
    const k = `${l.seq}\u0000${l.text}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(l);
    }
  }
  out.sort((a, b) => a.seq - b.seq);
  return out.slice(-max);
}

export function TickerTab({ lines }: { lines: TickerLine[] }) {
  useGame();
  return (
    <Section title="What happened" note="The game’s narration, newest first.">
      <ol class="ticker" aria-label="Ticker" data-testid="ticker" reversed>
        {[...lines].reverse().map((l) => (
          <li key={`${l.seq}-${l.text}`} data-category={l.category}>
            <time>{clock(l.atMs)}</time> {l.text}
          </li>
        ))}
        {!lines.length ? <li class="note">Nothing yet.</li> : null}
      </ol>
    </Section>
  );
}
