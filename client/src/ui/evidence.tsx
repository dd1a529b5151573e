// The "Evidence" card (docs/client.md "Evidence"): the receipts and signed checkpoints this browser
// kept for the game (../evidence.ts), each downloadable as the file `po-replay` reads.
import { useEffect, useState } from 'preact/hooks';
import { download, type Evidence, type KeptCheckpoint } from '../evidence';

/** The day a checkpoint note names (its `day N` line), or null. */
export function noteDay(note: string): number | null {
  const m = /^day (\d+)$/m.exec(note);
  return m ? Number(m[1]) : null;
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function checkpointLabel(c: KeptCheckpoint): string {
  const day = noteDay(c.note);
  return `${day === null ? '' : `Day ${day}, `}entry ${c.seq}`;
}

export function EvidencePanel({ evidence }: { evidence: Evidence }) {
  const [, bump] = useState(0);
  useEffect(() => evidence.subscribe(() => bump((n) => n + 1)), [evidence]);
  const receipts = evidence.receipts;
  const checkpoints = evidence.checkpoints;
  return (
    <details class="card evidence" data-testid="evidence">
      <summary>
        Evidence: <span data-testid="evidence-counts">{count(receipts.length, 'receipt')}, {count(checkpoints.length, 'checkpoint')}</span>
      </summary>
      <p class="note">
        Keep these to dispute a result: the server’s receipts for your actions and its signed checkpoints of the game (docs/audit.md).
      </p>
      <div class="row">
        <button
          type="button"
          class="btn small secondary"
          data-testid="download-receipts"
          disabled={!receipts.length}
          onClick={() => download(evidence.receiptsFileName(), evidence.receiptsFile())}
        >
          Download receipts
        </button>
        <a class="btn small secondary" href="/checkpoint-key" download="checkpoint-key.txt">
          Verifier key
        </a>
      </div>
      {checkpoints.length ? (
        <ul aria-label="Signed checkpoints">
          {checkpoints.map((c) => (
            <li key={`${c.seq}-${c.head}`}>
              <button type="button" class="btn small secondary" onClick={() => download(evidence.checkpointFileName(c), c.note)}>
                Checkpoint: {checkpointLabel(c)}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="note">No signed checkpoint yet: the server signs one at the end of each day.</p>
      )}
    </details>
  );
}
