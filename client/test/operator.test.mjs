// The operator page in a real browser (`make test-browser`): Debian's chromium, headless,
// driven by playwright-core against a real `wrangler dev` serving the built worker and client
// (`po-demo serve`). A wrong bearer is refused in words; with the right one the operator sees
// the rooms, opens one, sends an admin command, verifies the D1 journal and finds the replay
// report command; a room that does not exist is said to be so. Screenshots go to
// target/browser-artifacts/operator/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WAIT, root, start, stop } from '../test-lib/serve.mjs';

const artifacts = join(root, 'target/browser-artifacts/operator');

let server;
let info;
let browser;

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** Waits until D1 lists the game (its first entry is flushed within the room's flush delay). */
async function listed() {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${info.base}/parties/game-server`, { headers: { Authorization: `Bearer ${info.secret}` } });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    if (body.rooms.some((r) => r.gameId === info.game)) return;
    assert.ok(Date.now() < deadline, 'the game never reached D1');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The local D1 file of the server po-demo serve started (its state directory sits by its log). */
function d1File() {
  const found = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.sqlite') && e.name !== 'metadata.sqlite') found.push(p);
    }
  };
  walk(join(dirname(info.log), 'state/v3/d1'));
  assert.equal(found.length, 1, `one local D1 file: ${found}`);
  return found[0];
}

before(async () => {
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  ({ server, info, browser } = await start());
});

after(() => stop(server, browser));

test('the operator signs in, sees the rooms, runs a room and verifies its journal', async () => {
  await listed();
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  await page.goto(`${info.base}/operator/`);

  // A wrong bearer: refused in words, and the form stays.
  await page.getByLabel('Operator bearer').fill('not-the-secret');
  await page.getByLabel('Operator bearer').press('Enter');
  await page.getByTestId('problem').getByText('This bearer is not accepted').waitFor(WAIT);
  await page.getByLabel('Operator bearer').waitFor(WAIT);
  await shot(page, 'wrong-bearer');

  // The right one (by keyboard): the rooms, with the live phase from the room.
  await page.getByLabel('Operator bearer').fill(info.secret);
  await page.getByLabel('Operator bearer').press('Enter');
  const rooms = page.getByTestId('rooms');
  await rooms.getByRole('button', { name: `Open room ${info.game}` }).waitFor(WAIT);
  await rooms.getByText('PRE_GAME, day 0').waitFor(WAIT);
  await shot(page, 'rooms');
  // The bearer is kept for this tab only.
  assert.equal(await page.evaluate(() => sessionStorage.getItem('po-operator-bearer')), info.secret);

  // One room: status, outbox lag, tasks.
  await rooms.getByRole('button', { name: `Open room ${info.game}` }).click();
  await page.getByTestId('room-phase').getByText('PRE_GAME, day 0').waitFor(WAIT);
  await page.getByTestId('outbox-lag').getByText(/not yet confirmed in D1/).waitFor(WAIT);
  await page.getByText('Scheduled tasks (alarms)').waitFor(WAIT);
  await shot(page, 'room');

  // A command the engine refuses (no elimination before day 1): journaled, and said so.
  await page.getByLabel('Command', { exact: true }).selectOption('ELIMINATE_PLAYER');
  await page.getByLabel('Player', { exact: true }).selectOption('p3');
  await page.getByRole('button', { name: 'Send command' }).click();
  await page.getByTestId('admin-result').getByText(/the engine refused it: REJECTED:WRONG_PHASE/).waitFor(WAIT);
  // A body the route refuses: its code and the bad field, in words.
  await page.getByLabel('Command', { exact: true }).selectOption('CREDIT_SILVER');
  await page.getByLabel(/Silver/).fill('100000000000000000000');
  await page.getByRole('button', { name: 'Send command' }).click();
  const refused = page.getByTestId('admin-result').getByTestId('problem');
  await refused.getByText('The server refused the request').waitFor(WAIT);
  await refused.getByText('INVALID_FIELDS', { exact: true }).waitFor(WAIT);
  await shot(page, 'admin-refused');
  // NEXT_STAGE starts day 1.
  await page.getByLabel('Command', { exact: true }).selectOption('NEXT_STAGE');
  await page.getByRole('button', { name: 'Send command' }).click();
  await page.getByTestId('admin-result').getByText(/Journaled as entry \d+: ACCEPTED/).waitFor(WAIT);
  await page.getByTestId('room-phase').getByText('DAY, day 1').waitFor(WAIT);
  await shot(page, 'admin');

  // Verification of D1's journal, row by row in the journal table, and the checkpoint words.
  await page.getByRole('button', { name: 'Verify the D1 journal' }).click();
  await page.getByTestId('verify-status').getByText('VERIFIED').waitFor(WAIT);
  await page.getByTestId('journal').getByText('verified in D1').first().waitFor(WAIT);
  await page.getByTestId('checkpoint').getByText('There are no signed checkpoints yet', { exact: false }).waitFor(WAIT);
  const command = await page.getByTestId('report-command').innerText();
  assert.equal(command, `po-replay report .wrangler/state/v3/d1 --game ${info.game} --out report-${info.game}.html`);
  await shot(page, 'verified');

  // D1's copy of entry 2 altered behind the room's back: the next verification names it, and
  // the journal table marks that row.
  execFileSync('sqlite3', ['-cmd', '.timeout 10000', d1File(), `UPDATE journal SET payload = '{}' WHERE game_id = '${info.game}' AND seq = 2`]);
  await page.getByRole('button', { name: 'Verify the D1 journal' }).click();
  await page.getByTestId('verify-status').getByText('BROKEN').waitFor(WAIT);
  await page.getByTestId('verify').getByText(/BROKEN at entry 2 \(hash\)/).waitFor(WAIT);
  await page.getByTestId('journal').getByText('FAILS verification').waitFor(WAIT);
  await shot(page, 'broken');

  // The server stops answering (every request to it fails): said in words, not a blank page.
  await page.route('**/parties/**', (r) => r.abort('connectionrefused'));
  await page.getByRole('button', { name: 'Refresh' }).first().click();
  await page.getByTestId('problem').getByText('The server does not answer').first().waitFor(WAIT);
  await shot(page, 'server-down');
  await page.unroute('**/parties/**');

  // A room that does not exist.
  await page.goto(`${info.base}/operator/#room=no-such-room`);
  await page.getByTestId('problem').getByText('There is no room with this game id').first().waitFor(WAIT);
  await shot(page, 'no-such-room');

  // Forgetting the bearer goes back to the form.
  await page.getByRole('button', { name: 'Forget the bearer' }).click();
  await page.getByLabel('Operator bearer').waitFor(WAIT);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('po-operator-bearer')), null);
  await ctx.close();
});
