import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { GameView, Outgoing } from './types';
import type { Board } from './compose';

export type Ctx = {
  v: GameView;
  /** Sends a message; shows the refusal in plain words; true when the server accepted it. */
  act(msg: Outgoing, ok?: string): Promise<boolean>;
  online: string[];
  now: number;
  /** Who is typing where (PRESENCE.TYPING frames heard; docs/client.md). */
  typing: Board;
  /** The player typed in `channel` (`MAIN` or a conversation), or (null) sent or cleared it. */
  composing(channel: string | null): void;
};

export const GameCtx = createContext<Ctx | null>(null);

export function useGame(): Ctx {
  const c = useContext(GameCtx);
  if (!c) throw new Error('useGame outside GameCtx');
  return c;
}

/** Alive players other than the viewer, in roster order. */
export function others(v: GameView): { id: string; personaName: string }[] {
  return v.roster.filter((p) => p.alive && p.id !== v.you);
}

export function me(v: GameView) {
  return v.roster.find((p) => p.id === v.you) ?? null;
}
