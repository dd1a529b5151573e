// The browser test (`make test-browser`): Debian's chromium, headless, driven by playwright-core
// against a real `wrangler dev` serving the built worker and client (`po-demo serve`). Two
// players in two browser contexts play a day: chat, a silver transfer, a vote, its result and the
// ticker; the second player never sees the first one's vote before the result. Bad links and a
// server restart must leave words on the screen. Screenshots go to target/browser-artifacts/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { WAIT, nextLine as readLine, root, start, stop } from '../test-lib/serve.mjs';

const artifacts = join(root, 'target/browser-artifacts');

let server;
let info;
let lines;
let browser;

const nextLine = () => readLine(lines);

async function admin(body) {
  const res = await fetch(`${info.base}/parties/game-server/${info.game}/admin`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${info.secret}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(json));
  assert.equal(json.accepted, true, JSON.stringify(json));
  return json;
}

const inject = (action) => admin({ type: 'INJECT_TIMELINE_EVENT', action });

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

async function player(seat) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  await page.goto(info.seats[seat].link);
  await page.getByTestId('phase').waitFor(WAIT);
  return page;
}

async function tab(page, name) {
  await page.getByRole('tab', { name }).click();
}

before(async () => {
  // Only this run's screenshots (the operator page's test keeps its own in operator/).
  mkdirSync(artifacts, { recursive: true });
  for (const f of readdirSync(artifacts)) if (f.endsWith('.png')) rmSync(join(artifacts, f));
  ({ server, lines, info, browser } = await start());
});

after(() => stop(server, browser));

test('a link that does not work says why, in plain words', async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const cases = [
    ['forged', 'This link is not valid'],
    ['expired', 'Your link has expired'],
    ['noRoom', 'This game does not exist'],
  ];
  for (const [key, title] of cases) {
    // A page each: the links differ only in their fragment.
    const page = await ctx.newPage();
    await page.goto(info[key]);
    await page.getByTestId('problem').getByText(title).waitFor(WAIT);
    await shot(page, `link-${key}`);
    await page.close();
  }
  const page = await ctx.newPage();
  await page.goto(`${info.base}/play/`);
  await page.getByText('This page needs your player link').waitFor(WAIT);
  await page.goto(`${info.base}/`);
  await page.getByLabel('Your player link').waitFor(WAIT);
  // The token travels in the fragment, never in the request line the server logs.
  assert.match(info.seats.p1.link, /\/play\/\?game=[^#&]+#token=/);
  await ctx.close();
});

test('two players play a day: chat, silver, a secret vote, its result and the ticker', async () => {
  await admin({ type: 'NEXT_STAGE' });
  await inject('OPEN_GROUP_CHAT');
  const ada = await player('p1');
  const bo = await player('p2');
  await ada.getByTestId('phase').getByText('Day 1').waitFor(WAIT);
  await shot(ada, 'day1-ada');

  // Chat: Ada writes, Bo reads it.
  await tab(ada, 'Chat');
  await ada.getByLabel('Message everyone').fill('hello from Ada');
  await ada.getByRole('button', { name: 'Send', exact: true }).click();
  await tab(bo, 'Chat');
  await bo.getByTestId('main-chat').getByText('hello from Ada').waitFor(WAIT);
  await shot(bo, 'chat-bo');

  // Silver: Ada sends 5 to Bo.
  await tab(ada, 'Players');
  await ada.getByRole('button', { name: 'Act on Bo' }).click();
  await ada.getByLabel(/Silver to send/).fill('5');
  await ada.getByRole('button', { name: 'Send silver' }).click();
  await ada.getByTestId('my-silver').getByText('45 silver').waitFor(WAIT);
  await bo.getByTestId('my-silver').getByText('55 silver').waitFor(WAIT);

  // The vote: Ada votes for Cy; Bo sees that someone voted, never whom.
  await inject('OPEN_VOTING');
  await tab(ada, 'Today');
  await ada.getByRole('radio', { name: 'Cy' }).check();
  await ada.getByRole('button', { name: 'Cast vote' }).click();
  await ada.getByText('Your choice: Cy').waitFor(WAIT);
  await tab(bo, 'Today');
  await bo.getByText('Voted so far: 1 of 3.').waitFor(WAIT);
  const boText = await bo.locator('body').innerText();
  assert.ok(!boText.includes('Your choice'), 'Bo has not voted: no choice shown');
  assert.ok(!/Cy: 1/.test(boText), 'no tally before the result');
  assert.equal(await bo.getByTestId('vote-result').count(), 0, 'no result yet');
  await shot(ada, 'vote-ada');
  await shot(bo, 'vote-bo-before-result');

  // The result (public at the close; the elimination comes at nightfall) and the ticker.
  await inject('CLOSE_VOTING');
  await ada.getByTestId('vote-result').getByText('Cy will be eliminated at nightfall.').waitFor(WAIT);
  await bo.getByTestId('vote-result').getByText('Cy will be eliminated at nightfall.').waitFor(WAIT);
  await shot(bo, 'result-bo');
  await tab(ada, 'Ticker');
  await ada.getByTestId('ticker').getByText('Ada sent 5 silver to Bo').waitFor(WAIT);
  await ada.getByTestId('ticker').getByText('The MAJORITY votes are in').waitFor(WAIT);
  await shot(ada, 'ticker-ada');

  // A server restart mid-game: the page says it is reconnecting, then plays on by itself.
  server.stdin.write('restart\n');
  await ada.getByTestId('reconnecting').waitFor(WAIT);
  await shot(ada, 'reconnecting-ada');
  assert.deepEqual(await nextLine(), { restarted: true });
  await ada.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 60_000 });
  await tab(ada, 'Chat');
  await ada.getByLabel('Message everyone').fill('back after the restart');
  await ada.getByRole('button', { name: 'Send', exact: true }).click();
  await tab(bo, 'Chat');
  try {
    await bo.getByTestId('main-chat').getByText('back after the restart').waitFor({ timeout: 60_000 });
  } catch (e) {
    await shot(ada, 'FAILED-ada');
    await shot(bo, 'FAILED-bo');
    throw e;
  }
  await shot(bo, 'after-restart-bo');

  // Nightfall: the elimination, on both screens and in the ticker.
  await inject('END_DAY');
  await tab(ada, 'Ticker');
  await ada.getByTestId('ticker').getByText('Cy has been eliminated!').waitFor(WAIT);
  await tab(bo, 'Today');
  await bo.getByTestId('phase').getByText('Night 1').waitFor(WAIT);
  await bo.getByTestId('vote-result').getByText('Cy was eliminated.').waitFor(WAIT);
  await shot(bo, 'night-bo');
});

test('a fifth tab of one player is told to close one, and plays once one is closed', async () => {
  // MAX_SOCKETS_PER_PLAYER is 4 (docs/security.md): the fifth socket is closed with 4009.
  const tabs = [];
  for (let i = 0; i < 4; i += 1) tabs.push(await player('p3'));
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const fifth = await ctx.newPage();
  await fifth.goto(info.seats.p3.link);
  await fifth.getByTestId('problem').getByText('This game is open in too many places').waitFor(WAIT);
  await shot(fifth, 'too-many-tabs');
  await tabs.shift().context().close();
  // The room learns of the closed socket when its close reaches it: retry until it has.
  const deadline = Date.now() + 60_000;
  for (;;) {
    await fifth.getByRole('button', { name: 'Try again' }).click();
    await fifth.getByTestId('problem').waitFor({ state: 'detached', timeout: 30_000 });
    const seen = await Promise.race([
      fifth.getByTestId('phase').waitFor(WAIT).then(() => 'phase'),
      fifth.getByTestId('problem').waitFor(WAIT).then(() => 'problem'),
    ]);
    if (seen === 'phase') break;
    assert.ok(Date.now() < deadline, 'the fifth tab never got in after one tab closed');
    await new Promise((r) => setTimeout(r, 1_000));
  }
  await shot(fifth, 'fifth-tab-in');
  for (const t of tabs) await t.context().close();
  await ctx.close();
});
