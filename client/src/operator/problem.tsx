// A failure in plain words (api.ts's Problem): what happened, what to do next, and the
// server's code and message when it sent them.
import type { ComponentChildren } from 'preact';
import type { Problem } from './api';

export function ProblemCard({ problem, children }: { problem: Problem; children?: ComponentChildren }) {
  return (
    <div class="card problem" role="alert" data-testid="problem">
      <h2>{problem.title}</h2>
      <p>{problem.next}</p>
      {problem.code && (
        <p class="note">
          Code <code>{problem.code}</code>
          {problem.message ? `: ${problem.message}` : ''}
        </p>
      )}
      {!problem.code && problem.message && <p class="note">{problem.message}</p>}
      {problem.fields && problem.fields.length > 0 && (
        <ul>
          {problem.fields.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
      {children}
    </div>
  );
}
