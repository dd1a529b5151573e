// What the browser tests (test/*.test.mjs) share: Debian's chromium launched headless by
// playwright-core (nothing downloaded), and a real `wrangler dev` serving the built worker and
// client with one ADMIN-scheduled game (`po-demo serve`), stopped by closing its stdin. Outside
// test/ so that `node --test test/` does not take it for a test file.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const root = resolve(import.meta.dirname, '../..');
export const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// A STATIC game moved by the test itself (ADMIN scheduling): nothing depends on machine speed.
export const MANIFEST = {
  mode: 'PECKING_ORDER',
  kind: 'STATIC',
  scheduling: 'ADMIN',
  startTime: '2026-12-01T09:00:00Z',
  days: [{ voteType: 'MAJORITY' }, { voteType: 'FINALS' }],
};
export const WAIT = { timeout: 30_000 };

/** The next line `lines` reads, as JSON (po-demo serve prints one per event). */
export function nextLine(lines) {
  return new Promise((ok, fail) => {
    const t = setTimeout(() => fail(new Error('po-demo serve printed nothing in 120 s')), 120_000);
    lines.once('line', (l) => {
      clearTimeout(t);
      ok(JSON.parse(l));
    });
  });
}

/**
 * Starts `po-demo serve` with 3 players and chromium: `{ server, lines, info, browser }`, where
 * `info` is serve's first line (base URL, operator secret, game, seats and their links).
 */
export async function start() {
  const server = spawn(join(target, 'debug/po-demo'), ['serve', '--manifest', JSON.stringify(MANIFEST), '--players', '3'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: server.stdout });
  const info = await nextLine(lines);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  return { server, lines, info, browser };
}

/** Closes the browser and stops the server (closing its stdin), waiting until it exited. */
export async function stop(server, browser) {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((ok) => server.once('exit', ok));
    server.stdin.end();
    await exited;
  }
}
