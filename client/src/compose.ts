// Composing a chat message (docs/client.md, "Replies, mentions and typing"): the typing signals a
// composer sends, the "X is typing…" board built from the PRESENCE.TYPING / STOP_TYPING frames it
// hears, and @mentions found in and highlighted in a message's text. Pure: the clock is passed in.

/** The server refuses a TYPING less than this after the player's last one (docs/protocol.md, "Typing"). */
export const MIN_GAP_MS = 1000;
/** While the player keeps typing, TYPING is repeated this often (so a listener's line does not expire). */
export const REPEAT_MS = 3000;
/** No input for this long: the player stopped typing. */
export const IDLE_MS = 3000;
/** A listener forgets a typer not heard from for this long (a lost STOP_TYPING, a closed tab). */
export const SHOWN_MS = 7000;

export type Signal = { type: 'PRESENCE.TYPING' | 'PRESENCE.STOP_TYPING'; channelId: string };

/** What the composer wants to say (`want`: the channel typed in) and what it last said. */
export type Sender = { want: string | null; inputAt: number; announced: string | null; sentAt: number };

export const QUIET: Sender = { want: null, inputAt: -Infinity, announced: null, sentAt: -Infinity };

/**
 * Sends what is due. A STOP goes at once: the server relays a STOP that ends a TYPING whenever it
 * comes (docs/protocol.md, "Typing"). A TYPING goes at most once per MIN_GAP_MS (`sentAt` is the
 * last TYPING); one not yet allowed waits for a later tick.
 */
function step(s: Sender, now: number): [Sender, Signal | null] {
  if (!s.want && s.announced) {
    return [{ ...s, announced: null }, { type: 'PRESENCE.STOP_TYPING', channelId: s.announced }];
  }
  if (!s.want || now - s.sentAt < MIN_GAP_MS) return [s, null];
  // Repeated only when the player typed since the last signal.
  if (s.announced !== s.want || (now - s.sentAt >= REPEAT_MS && s.inputAt > s.sentAt)) {
    return [{ ...s, announced: s.want, sentAt: now }, { type: 'PRESENCE.TYPING', channelId: s.want }];
  }
  return [s, null];
}

/** The player typed in `channel` (`MAIN` or a conversation id). */
export function typed(s: Sender, channel: string, now: number): [Sender, Signal | null] {
  return step({ ...s, want: channel, inputAt: now }, now);
}

/** The player sent the message or emptied the field. */
export function stopped(s: Sender, now: number): [Sender, Signal | null] {
  return step({ ...s, want: null }, now);
}

/** Called about once a second: stops after IDLE_MS without input; sends what was held back. */
export function tick(s: Sender, now: number): [Sender, Signal | null] {
  const idle = s.want !== null && now - s.inputAt >= IDLE_MS;
  return step(idle ? { ...s, want: null } : s, now);
}

/** Who is typing where: channel → player → until when the line shows. */
export type Board = Record<string, Record<string, number>>;

export type Heard = { type: 'PRESENCE.TYPING' | 'PRESENCE.STOP_TYPING'; playerId: string; channelId: string };

export function heard(b: Board, f: Heard, now: number): Board {
  const ch = { ...(b[f.channelId] ?? {}) };
  if (f.type === 'PRESENCE.TYPING') ch[f.playerId] = now + SHOWN_MS;
  else delete ch[f.playerId];
  return { ...b, [f.channelId]: ch };
}

/** The players typing in `channel` at `now`, sorted by id. */
export function typers(b: Board, channel: string, now: number): string[] {
  return Object.entries(b[channel] ?? {})
    .filter(([, until]) => until > now)
    .map(([p]) => p)
    .sort();
}

/** "Ada is typing…", "Ada and Bo are typing…", "Ada, Bo and Cy are typing…", "4 people are typing…". */
export function typingLine(names: readonly string[]): string {
  if (!names.length) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length > 3) return `${names.length} people are typing…`;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are typing…`;
}

export type Person = { id: string; personaName: string };

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `@Name` followed by the end or a character that cannot continue a name. */
function pattern(people: readonly Person[]): RegExp | null {
  const named = people.filter((p) => p.personaName.trim());
  if (!named.length) return null;
  // Longest names first, so "@Bo Jr" wins over "@Bo".
  const alts = [...named].sort((a, b) => b.personaName.length - a.personaName.length).map((p) => escape(p.personaName));
  return new RegExp(`@(${alts.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
}

function byName(people: readonly Person[], n: string): Person | undefined {
  return people.find((p) => p.personaName.toLowerCase() === n.toLowerCase());
}

/** The ids of the `people` whose `@Name` appears in `text` (case-insensitive), in order, once each. */
export function mentionsIn(text: string, people: readonly Person[]): string[] {
  const re = pattern(people);
  if (!re) return [];
  const ids: string[] = [];
  for (const m of text.matchAll(re)) {
    const p = byName(people, m[1] ?? '');
    if (p && !ids.includes(p.id)) ids.push(p.id);
  }
  return ids;
}

/** `text` cut into plain pieces and `@Name` pieces of the mentioned `people` (`at`: their id). */
export function segments(text: string, people: readonly Person[]): { text: string; at?: string }[] {
  const re = pattern(people);
  if (!re) return [{ text }];
  const out: { text: string; at?: string }[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const i = m.index ?? 0;
    if (i > last) out.push({ text: text.slice(last, i) });
    out.push({ text: m[0], at: byName(people, m[1] ?? '')?.id });
    last = i + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** `text` with `@Name ` added where a mention picked from a list goes (after a space). */
export function withMention(text: string, name: string): string {
  const sep = text && !/\s$/.test(text) ? ' ' : '';
  return `${text}${sep}@${name} `;
}
