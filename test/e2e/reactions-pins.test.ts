// Reactions and pins in the web client (issue 15 item 7): the picker, counts
// under the bubble with my own highlighted, who reacted in the title, live
// updates on the other side, the pinned bar that scrolls to its message,
// pinning only where allowed, and a 390 px phone that never scrolls sideways.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestDatabase } from '../support/database.ts';
import type { TestServer } from '../support/server.ts';
import { client } from '../support/http.ts';
import { annAndBob, shot, signUp, type Person } from './browser.ts';
import { conversation, messages, send } from './page.ts';

const bubble = (p: Person, text: string) => messages(p).locator('li.msg', { hasText: text });
const tokenOf = (p: Person) => p.page.evaluate(() => (JSON.parse(localStorage.getItem('parley.session') ?? '{}') as { token: string }).token);
const userIdOf = (p: Person) => p.page.evaluate(() => (JSON.parse(localStorage.getItem('parley.session') ?? '{}') as { user: { id: number } }).user.id);

async function startChat(p: Person, handle: string, name: string) {
  await p.page.getByRole('button', { name: 'New chat' }).click();
  await p.page.getByLabel('Username').fill(handle);
  await p.page.getByRole('button', { name: 'Start chat' }).click();
  await p.page.getByRole('heading', { name }).waitFor();
}

async function react(p: Person, text: string, emoji: string) {
  const m = bubble(p, text);
  await m.hover();
  await m.getByRole('button', { name: 'Add reaction' }).click();
  await m.getByRole('menuitem', { name: `React with ${emoji}` }).click();
}

describe('web client: reactions and pins', () => {
  const world = annAndBob();
  const browsers = world.browsers;
  let s: TestServer;
  let db: TestDatabase;
  let ann: Person;
  let bob: Person;
  before(() => ({ s, db, ann, bob } = world));

  test('a reaction from the picker shows under the bubble on both sides; mine is highlighted; who reacted is in the title', async () => {
    await startChat(ann, 'bob', 'Bob Stone');
    await send(ann, 'Pizza tonight?');
    await conversation(bob, 'Ann Lee').click();
    await bubble(bob, 'Pizza tonight?').waitFor();

    await react(bob, 'Pizza tonight?', '👍');
    const bobChip = bubble(bob, 'Pizza tonight?').locator('.reaction');
    await bobChip.filter({ hasText: '1' }).waitFor();
    assert.equal(await bobChip.getAttribute('aria-pressed'), 'true');

    // Ann sees it live (no reload), not as hers.
    const annChip = bubble(ann, 'Pizza tonight?').locator('.reaction');
    await annChip.filter({ hasText: '1' }).waitFor();
    assert.equal(await annChip.getAttribute('aria-pressed'), 'false');

    // Ann joins in by clicking the chip: two, hers now too, and Bob's count follows.
    await annChip.click();
    await annChip.filter({ hasText: '2' }).waitFor();
    assert.equal(await annChip.getAttribute('aria-pressed'), 'true');
    await bobChip.filter({ hasText: '2' }).waitFor();
    assert.equal(await bobChip.getAttribute('aria-pressed'), 'true');

    // Who reacted: read on hover into the title (move away first: the click left the pointer on it).
    await ann.page.mouse.move(0, 0);
    await annChip.hover();
    await ann.page.waitForFunction(() => /^(Bob Stone, You|You, Bob Stone)$/.test(document.querySelector('.reaction')?.getAttribute('title') ?? ''));
    await shot(ann.page, 'reactions');

    // Bob takes his back; the state survives a reload (it comes from the server).
    await bobChip.click();
    await bobChip.filter({ hasText: '1' }).waitFor();
    assert.equal(await bobChip.getAttribute('aria-pressed'), 'false');
    await ann.page.reload();
    const again = bubble(ann, 'Pizza tonight?').locator('.reaction');
    await again.filter({ hasText: '1' }).waitFor();
    assert.equal(await again.getAttribute('aria-pressed'), 'true');
  });

  test('pinning in a private chat shows the pinned bar on both sides; clicking it scrolls to the message; unpinning removes it', async () => {
    await conversation(ann, 'Bob Stone').click();
    await send(ann, 'The address is 12 Elm Street');
    for (let i = 0; i < 25; i++) await send(ann, `filler ${i}`);
    const m = bubble(ann, 'The address is 12 Elm Street');
    await m.hover();
    await m.getByRole('button', { name: 'Pin message' }).click();
    const annBar = ann.page.getByRole('region', { name: 'Pinned messages' });
    await annBar.getByText('The address is 12 Elm Street').waitFor();
    const bobBar = bob.page.getByRole('region', { name: 'Pinned messages' });
    await bobBar.getByText('The address is 12 Elm Street').waitFor();

    await messages(bob).evaluate((el) => (el.scrollTop = el.scrollHeight));
    await bobBar.getByRole('button').click();
    const target = bubble(bob, 'The address is 12 Elm Street');
    await bob.page.waitForFunction(() => document.querySelector('li.msg[aria-current="true"]')?.textContent?.includes('12 Elm Street'));
    assert.ok(await target.isVisible());
    const inView = await target.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const list = el.closest('ol')!.getBoundingClientRect();
      return r.bottom > list.top && r.top < list.bottom;
    });
    assert.ok(inView, 'the pinned message was scrolled into view');
    await shot(bob.page, 'pinned-bar');

    // Bob may unpin too (either side of a private chat).
    await target.hover();
    await target.getByRole('button', { name: 'Unpin message' }).click();
    await bobBar.waitFor({ state: 'detached' });
    await annBar.waitFor({ state: 'detached' });
  });

  test('in a group only the owner and admins get the pin action; a member still reacts', async () => {
    const ownerApi = client(s.url, await tokenOf(ann));
    const created = await ownerApi.post('/v1/groups', { name: 'Book club', memberIds: [await userIdOf(bob)] });
    assert.equal(created.status, 201);
    const groupId = created.body.group.id as number;
    assert.equal((await ownerApi.post(`/v1/groups/${groupId}/messages`, { type: 'text', body: { text: 'Next book?' } })).status, 201);

    await bob.page.goto(`/#/g${groupId}`);
    await bubble(bob, 'Next book?').waitFor();
    await bubble(bob, 'Next book?').hover();
    assert.equal(await bubble(bob, 'Next book?').getByRole('button', { name: 'Pin message' }).count(), 0);
    await react(bob, 'Next book?', '🎉');
    await bubble(bob, 'Next book?').locator('.reaction', { hasText: '1' }).waitFor();

    await ann.page.goto(`/#/g${groupId}`);
    const m = bubble(ann, 'Next book?');
    await m.locator('.reaction', { hasText: '1' }).waitFor();
    await m.hover();
    await m.getByRole('button', { name: 'Pin message' }).click();
    await bob.page.getByRole('region', { name: 'Pinned messages' }).getByText('Next book?').waitFor();
    // The group is told in words, like other group changes.
    await messages(bob).getByText('Ann Lee pinned a message').waitFor();
  });

  test('phone width (390 px): reactions, the picker and the pinned bar stay on screen', async () => {
    const phone = await browsers.person(s.url, { width: 390, height: 780 });
    await signUp(phone, 'pia', 'pia-password-1', 'Pia Long');
    await startChat(ann, 'pia', 'Pia Long');
    const long = `Here is a rather long message ${'about the plans for the weekend '.repeat(6)}end`;
    await send(ann, long);
    await conversation(phone, 'Ann Lee').click();
    const m = bubble(phone, 'Here is a rather long message');
    await m.waitFor();
    for (const e of ['👍', '❤️', '😂']) await react(phone, 'Here is a rather long message', e);
    await m.locator('.reaction').nth(2).waitFor();
    await m.getByRole('button', { name: 'Pin message' }).click();
    await phone.page.getByRole('region', { name: 'Pinned messages' }).waitFor();
    await m.getByRole('button', { name: 'Add reaction' }).click();
    const picker = m.getByRole('menu', { name: 'Pick a reaction' });
    await picker.waitFor();
    await shot(phone.page, 'phone-reactions');
    const box = await picker.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `the picker is at ${JSON.stringify(box)}`);
    const width = await phone.page.evaluate(() => document.scrollingElement!.scrollWidth);
    assert.ok(width <= 390, `the page is ${width} px wide`);
    for (const p of [ann, bob, phone]) assert.deepEqual(p.errors, []);
  });
});
