// The player's link: `/play/?game=GAME_ID#token=JWT` (docs/client.md). The token travels in the
// fragment, which browsers never send to a server, so it stays out of access logs and Referer
// headers; the game id is not secret and stays in the query. A `?token=` in the query is accepted
// too and moved to the fragment at once.

export type Claims = { gameId: string; playerId: string; exp: number; sub?: string };

export type Link = { game: string; token: string; claims: Claims | null };

/** The game and token of a page address, or null when either is missing. */
export function parseLink(href: string): Link | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  const frag = new URLSearchParams(url.hash.replace(/^#/, ''));
  const token = (frag.get('token') ?? url.searchParams.get('token') ?? '').trim();
  const claims = token ? decodeClaims(token) : null;
  const game = (url.searchParams.get('game') ?? frag.get('game') ?? claims?.gameId ?? '').trim();
  if (!game || !token) return null;
  return { game, token, claims };
}

/** The address to show after moving a query token into the fragment (or null: nothing to do). */
export function withTokenInFragment(href: string): string | null {
  const url = new URL(href);
  const token = url.searchParams.get('token');
  if (!token) return null;
  url.searchParams.delete('token');
  const frag = new URLSearchParams(url.hash.replace(/^#/, ''));
  frag.set('token', token);
  url.hash = frag.toString();
  return url.toString();
}

/** The link of a seat: what `make demo` prints and the lobby would send a player. */
export function playLink(origin: string, game: string, token: string): string {
  return `${origin}/play/?game=${encodeURIComponent(game)}#token=${encodeURIComponent(token)}`;
}

/** Reads (never verifies: only the server can) the claims of an HS256 token. */
export function decodeClaims(token: string): Claims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
    const json: unknown = JSON.parse(atob(padded));
    if (typeof json !== 'object' || json === null) return null;
    const o = json as Record<string, unknown>;
    if (typeof o.gameId !== 'string' || typeof o.playerId !== 'string' || typeof o.exp !== 'number') {
      return null;
    }
    return { gameId: o.gameId, playerId: o.playerId, exp: o.exp, sub: typeof o.sub === 'string' ? o.sub : undefined };
  } catch {
    return null;
  }
}

/** The WebSocket address of the room (docs/protocol.md "WebSocket"). */
export function socketUrl(pageOrigin: string, game: string, token: string, opts: { delta?: boolean; resume?: number } = {}): string {
  const u = new URL(pageOrigin);
  const scheme = u.protocol === 'https:' ? 'wss:' : 'ws:';
  // delta=1: SYSTEM.DELTA frames after the first SYNC; v: the version held, to resume from
  // (docs/protocol.md, "Delta frames" and "Resume").
  const delta = opts.delta ? '&delta=1' : '';
  const resume = opts.delta && opts.resume !== undefined ? `&v=${opts.resume}` : '';
  return `${scheme}//${u.host}/parties/game-server/${encodeURIComponent(game)}?token=${encodeURIComponent(token)}${delta}${resume}`;
}
