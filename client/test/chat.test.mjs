// Chat that feels like chat, in two browsers (`make test-browser`): Bo writes, Ada answers him
// with a reply that @mentions him, and Bo sees the reply (quoting his message) with his name
// marked; while Ada types, Bo sees "Ada is typing…", and the line goes when she stops
// (docs/client.md, "Replies, mentions and typing").
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { WAIT, root, start, stop } from '../test-lib/serve.mjs';

const artifacts = join(root, 'target/browser-artifacts/chat');

let server;
let info;
let browser;

async function admin(body) {
  const res = await fetch(`${info.base}/parties/game-server/${info.game}/admin`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${info.secret}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(json));
  assert.equal(json.accepted, true, JSON.stringify(json));
}

async function player(seat) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  await page.goto(info.seats[seat].link);
  await page.getByTestId('phase').waitFor(WAIT);
  await page.getByRole('tab', { name: 'Chat' }).click();
  return page;
}

const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  ({ server, info, browser } = await start());
  await admin({ type: 'NEXT_STAGE' });
  await admin({ type: 'INJECT_TIMELINE_EVENT', action: 'OPEN_GROUP_CHAT' });
});

after(() => stop(server, browser));

test('a reply with a mention shows as a reply, the mention marked; typing shows in the other tab', async () => {
  const ada = await player('p1');
  const bo = await player('p2');
  const boChat = bo.getByTestId('main-chat');
  try {
    await ada.getByTestId('phase').getByText('Day 1').waitFor(WAIT);

    // Bo writes first.
    await bo.getByLabel('Message everyone').fill('who has the most silver?');
    await bo.getByRole('button', { name: 'Send', exact: true }).click();
    await ada.getByTestId('main-chat').getByText('who has the most silver?').waitFor(WAIT);

    // Ada types: Bo sees the line (the first keystroke sends PRESENCE.TYPING at once).
    assert.equal(await bo.getByTestId('typing').innerText(), '');
    await ada.getByLabel('Message everyone').pressSequentially('not me', { delay: 20 });
    await bo.getByTestId('typing').getByText('Ada is typing…').waitFor(WAIT);
    await shot(bo, 'typing-bo');

    // Ada answers Bo's message and mentions him with the picker.
    await ada.getByRole('button', { name: 'Reply to Bo' }).click();
    await ada.getByTestId('replying').getByText('Replying to Bo').waitFor(WAIT);
    await ada.getByLabel('Mention').selectOption({ label: 'Bo' });
    assert.equal(await ada.getByLabel('Message everyone').inputValue(), 'not me @Bo ');
    await ada.getByLabel('Message everyone').pressSequentially('ask Cy');
    await ada.getByRole('button', { name: 'Send', exact: true }).click();
    await ada.getByTestId('replying').waitFor({ state: 'detached', ...WAIT });

    // Bo sees it as a reply quoting his message, his name marked, the message outlined for him.
    const msg = boChat.getByTestId('message').filter({ hasText: 'not me @Bo ask Cy' });
    await msg.waitFor(WAIT);
    assert.match(await msg.getByTestId('reply-to').innerText(), /you: who has the most silver\?/);
    assert.equal(await msg.getByTestId('mention').innerText(), '@Bo');
    assert.match((await msg.getAttribute('class')) ?? '', /\bmention\b/);
    assert.match((await msg.getByTestId('mention').getAttribute('class')) ?? '', /\bme\b/);
    // Ada sent it: her typing line goes (STOP_TYPING, held at most a second after the last TYPING).
    await bo.getByTestId('typing').getByText('Ada is typing…').waitFor({ state: 'detached', ...WAIT });
    assert.equal(await bo.getByTestId('typing').innerText(), '');
    // Bo's typing went when he sent (his STOP follows his message's ACK, so wait for it), and
    // Ada never sees her own typing.
    await ada.getByTestId('typing').getByText('Bo is typing…').waitFor({ state: 'detached', ...WAIT });
    assert.equal(await ada.getByTestId('typing').innerText(), '');
    await shot(bo, 'reply-bo');
  } catch (e) {
    await shot(ada, 'FAILED-ada');
    await shot(bo, 'FAILED-bo');
    throw e;
  }
});
