// The player's evidence in a real browser (docs/client.md "Evidence"): after a chat message the
// receipt the page stored in localStorage is the ACK the room sent (seq and head), it survives a
// reload, and the Evidence card downloads it as the receipts file po-replay reads.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WAIT, root, start, stop } from '../test-lib/serve.mjs';

let server;
let info;
let browser;

before(async () => {
  ({ server, info, browser } = await start());
});

after(() => stop(server, browser));

async function admin(body) {
  const res = await fetch(`${info.base}/parties/game-server/${info.game}/admin`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${info.secret}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.text());
}

test('the receipt of a chat message is kept, survives a reload and downloads as po-replay reads it', async () => {
  await admin({ type: 'NEXT_STAGE' });
  await admin({ type: 'INJECT_TIMELINE_EVENT', action: 'OPEN_GROUP_CHAT' });
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, acceptDownloads: true });
  const page = await ctx.newPage();
  const acks = [];
  page.on('websocket', (ws) =>
    ws.on('framereceived', ({ payload }) => {
      try {
        const f = JSON.parse(String(payload));
        if (f.type === 'ACK') acks.push(f);
      } catch {
        /* not JSON */
      }
    }),
  );
  await page.goto(info.seats.p1.link);
  await page.getByTestId('phase').getByText('Day 1').waitFor(WAIT);
  await page.getByRole('tab', { name: 'Chat' }).click();
  await page.getByLabel('Message everyone').fill('a message with a receipt');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.getByTestId('main-chat').getByText('a message with a receipt').waitFor(WAIT);
  const deadline = Date.now() + 30_000;
  while (!acks.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.equal(acks.length, 1, 'one ACK for the message');
  const ack = acks[0];
  assert.match(ack.head, /^[0-9a-f]{64}$/);
  const key = `po.evidence.${info.game}`;
  const stored = async () => JSON.parse((await page.evaluate((k) => localStorage.getItem(k), key)) ?? 'null');
  const expected = { gameId: info.game, seq: ack.seq, head: ack.head, type: 'ACK', ref: ack.ref };
  assert.deepEqual((await stored())?.receipts, [expected]);

  await page.reload();
  await page.getByTestId('phase').waitFor(WAIT);
  assert.deepEqual((await stored())?.receipts, [expected], 'kept across a reload');
  await page.getByRole('tab', { name: 'Ticker' }).click();
  await page.getByTestId('evidence').locator('summary').click();
  await page.getByTestId('evidence-counts').getByText('1 receipt, 0 checkpoints').waitFor(WAIT);
  await page.screenshot({ path: join(root, 'target/browser-artifacts/evidence.png'), fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-receipts').click()]);
  assert.equal(download.suggestedFilename(), `${info.game}.receipts`);
  const text = readFileSync(await download.path(), 'utf8');
  assert.equal(text, `${JSON.stringify(expected)}\n`);
  await ctx.close();
});
