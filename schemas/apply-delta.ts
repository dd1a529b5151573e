// Hand-written, shipped beside the generated declarations (schemas/README.md): the one helper a
// client of the protocol needs besides its types, used as is by the web client (client/src) and
// tested there (client/src/delta.test.ts).
//
// Applies a SYSTEM.DELTA (docs/protocol.md, "Delta frames"): RFC 6902 `add`, `remove` and
// `replace` operations, the three the room sends. The document is never changed in place: each
// operation copies the objects and arrays on its path and shares the rest, so a view that
// compares by identity re-renders only what changed.
import type { DeltaOp } from './pecking-order';

/** An operation that does not apply to the document (its path is missing or malformed). */
export class DeltaError extends Error {}

function tokens(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new DeltaError(`not a JSON pointer: ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function index(arr: unknown[], t: string, adding: boolean): number {
  if (adding && t === '-') return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(t)) throw new DeltaError(`not an array index: ${t}`);
  const i = Number(t);
  if (i > arr.length || (!adding && i === arr.length)) throw new DeltaError(`index ${i} out of range`);
  return i;
}

/** Sets an own property (never the prototype, whatever the key: `__proto__` is data here). */
function put(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

function edit(node: unknown, path: string[], op: DeltaOp): unknown {
  if (path.length === 0) {
    if (op.op === 'remove') throw new DeltaError('cannot remove the whole document');
    return op.value;
  }
  const t = path[0] ?? '';
  const rest = path.slice(1);
  if (Array.isArray(node)) {
    const copy = node.slice();
    if (rest.length > 0) {
      const i = index(copy, t, false);
      copy[i] = edit(copy[i], rest, op);
    } else if (op.op === 'add') {
      copy.splice(index(copy, t, true), 0, op.value);
    } else if (op.op === 'remove') {
      copy.splice(index(copy, t, false), 1);
    } else {
      copy[index(copy, t, false)] = op.value;
    }
    return copy;
  }
  if (node !== null && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    const has = Object.prototype.hasOwnProperty.call(obj, t);
    const copy: Record<string, unknown> = {};
    for (const k of Object.keys(obj)) put(copy, k, obj[k]);
    if (rest.length > 0 || op.op !== 'add') {
      if (!has) throw new DeltaError(`no member ${JSON.stringify(t)}`);
    }
    if (rest.length > 0) put(copy, t, edit(obj[t], rest, op));
    else if (op.op === 'remove') delete copy[t];
    else put(copy, t, op.value);
    return copy;
  }
  throw new DeltaError(`cannot go into a ${node === null ? 'null' : typeof node} at ${JSON.stringify(t)}`);
}

/** `doc` with `ops` applied in order; throws DeltaError (and changes nothing) if one does not apply. */
export function applyDelta<T>(doc: T, ops: DeltaOp[]): T {
  let out: unknown = doc;
  for (const op of ops) out = edit(out, tokens(op.path), op);
  return out as T;
}
