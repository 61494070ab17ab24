// The web client's details, tried as a new user would (issue 15 items 6 and
// 8): phone widths, names, image bubbles, previews, join requests, times,
// links, the Join dialog, invite links with QR codes, the focus ring, and
// unread and mention badges.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestDatabase } from '../support/database.ts';
import type { TestServer } from '../support/server.ts';
import { annAndBob, shot, signUp, type Person } from './browser.ts';
import { conversation, messages, png, send, sidebar } from './page.ts';

async function startChat(p: Person, handle: string, name: string) {
  await p.page.getByRole('button', { name: 'New chat' }).click();
  await p.page.getByLabel('Username').fill(handle);
  await p.page.getByRole('button', { name: 'Start chat' }).click();
  await p.page.getByRole('heading', { name }).waitFor();
}

async function newGroup(p: Person, name: string): Promise<number> {
  await p.page.getByRole('button', { name: 'New group' }).click();
  await p.page.getByLabel('Group name').fill(name);
  await p.page.getByRole('button', { name: 'Create group' }).click();
  await p.page.getByRole('heading', { name }).waitFor();
  const id = /#\/g([0-9]+)/.exec(p.page.url())?.[1];
  assert.ok(id);
  return Number(id);
}

describe('web client details', () => {
  const world = annAndBob();
  const browsers = world.browsers;
  let s: TestServer;
  let db: TestDatabase;
  let ann: Person;
  let bob: Person;
  before(() => ({ s, db, ann, bob } = world));

  test('a private chat keeps its name after a reload when my message is the last; my own preview says "You:"; my handle shows', async () => {
    await startChat(ann, 'bob', 'Bob Stone');
    await send(ann, 'Are you coming tonight?');
    // Reloaded with no conversation open: only the list can name the chat.
    await ann.page.goto('/#/');
    await ann.page.reload();
    const item = conversation(ann, 'Bob Stone');
    await item.waitFor();
    assert.equal(await sidebar(ann).getByText(/^User [0-9]+/).count(), 0);
    assert.match(await item.innerText(), /You: Are you coming tonight\?/);
    // My own message is never unread to me.
    assert.equal(await item.locator('.badge').count(), 0);
    await sidebar(ann).getByText('@ann', { exact: true }).waitFor();
    // Bob sees one unread, previewed without a "You:".
    const fromAnn = conversation(bob, 'Ann Lee');
    await fromAnn.getByLabel('1 unread').waitFor();
    assert.doesNotMatch(await fromAnn.innerText(), /You:/);
  });

  test('phone width: a long preview never stretches the page; buttons and badges stay on screen', async () => {
    const phone = await browsers.person(s.url, { width: 390, height: 780 });
    await signUp(phone, 'pia', 'pia-password-1', 'Pia Long');
    const long = `A very long message ${'that keeps going and going '.repeat(40)}end`;
    await startChat(ann, 'pia', 'Pia Long');
    await send(ann, long);
    await conversation(phone, 'Ann Lee').getByLabel('1 unread').waitFor();
    await shot(phone.page, 'phone-list');
    const width = await phone.page.evaluate(() => document.scrollingElement!.scrollWidth);
    assert.ok(width <= 390, `the page is ${width} px wide`);
    for (const el of [phone.page.getByRole('button', { name: 'Sign out' }), phone.page.getByRole('button', { name: 'Join group' }), conversation(phone, 'Ann Lee').getByLabel('1 unread'), conversation(phone, 'Ann Lee').locator('time')]) {
      const box = await el.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `off screen: ${JSON.stringify(box)}`);
    }
    await conversation(phone, 'Ann Lee').click();
    await messages(phone).getByText(/^A very long message/).waitFor();
    const open = await phone.page.evaluate(() => document.scrollingElement!.scrollWidth);
    assert.ok(open <= 390, `the open conversation is ${open} px wide`);
    assert.deepEqual(phone.errors, []);
    await phone.context.close();
  });

  test('an image bubble hugs its picture', async () => {
    await conversation(ann, 'Bob Stone').click();
    await ann.page.getByLabel('File to send').setInputFiles({ name: 'wide.png', mimeType: 'image/png', buffer: png(640, 400, () => [0x80, 0x80, 0x80]) });
    await ann.page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLImageElement>('img[alt="wide.png"]')).some((i) => i.complete && i.naturalWidth === 640));
    const sizes = await ann.page.evaluate(() => {
      const img = document.querySelector<HTMLImageElement>('img[alt="wide.png"]')!;
      const bubble = img.closest('.bubble')!;
      return { img: img.getBoundingClientRect().width, bubble: bubble.getBoundingClientRect().width };
    });
    assert.ok(sizes.img <= 320, JSON.stringify(sizes));
    assert.ok(sizes.bubble - sizes.img <= 12, `the bubble is wider than the picture: ${JSON.stringify(sizes)}`);
  });

  test('messages run by sender and minute with one time, days are separated, and a revocable message does not move its time', async () => {
    await conversation(ann, 'Bob Stone').click();
    await send(ann, 'first of a run');
    await send(ann, 'second of a run');
    const run = messages(ann).locator('li.msg', { hasText: /of a run/ });
    assert.equal(await run.count(), 2);
    const times = await run.locator('time').count();
    const sameMinute = await ann.page.evaluate(() => {
      const t = Array.from(document.querySelectorAll('li.msg')).filter((li) => /of a run/.test(li.textContent ?? '')).map((li) => Number(li.getAttribute('data-seq')));
      return t.length === 2;
    });
    assert.ok(sameMinute);
    // Both were sent within a second or two: one time under the run (two only if a minute turned in between).
    assert.ok(times === 1 || times === 2);
    if (times === 1) assert.equal(await run.last().locator('time').count(), 1);
    await messages(ann).getByRole('separator', { name: 'Today' }).waitFor();

    const last = run.last();
    const revoke = last.getByRole('button', { name: 'Revoke this message' });
    await last.hover();
    await revoke.waitFor();
    const before = await last.locator('time').boundingBox();
    // The window closing is the button going away: the time must not move.
    await revoke.evaluate((b) => b.remove());
    const afterBox = await last.locator('time').boundingBox();
    assert.deepEqual(afterBox, before);
  });

  test('links are clickable and safe; javascript: is not a link', async () => {
    await conversation(ann, 'Bob Stone').click();
    await send(ann, 'See https://example.org/a?b=1. Not javascript:alert(1) nor data:text/html,x');
    const link = messages(ann).getByRole('link', { name: 'https://example.org/a?b=1' });
    assert.equal(await link.getAttribute('href'), 'https://example.org/a?b=1');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    assert.equal(await messages(ann).locator('a[href^="javascript:"], a[href^="data:"]').count(), 0);
  });

  test('"1 member"; the same unknown-user error in every dialog; placeholders name nobody real', async () => {
    await newGroup(ann, 'Solo');
    await ann.page.getByText('1 member', { exact: true }).waitFor();
    await ann.page.getByRole('button', { name: 'New chat' }).click();
    await ann.page.getByLabel('Username').fill('zed');
    await ann.page.getByRole('button', { name: 'Start chat' }).click();
    await ann.page.getByRole('alert').filter({ hasText: 'no user named "zed"' }).waitFor();
    await ann.page.getByRole('button', { name: 'Close', exact: true }).click();
    await ann.page.getByRole('button', { name: 'Group info', exact: true }).click();
    const panel = ann.page.getByRole('complementary', { name: 'Group info' });
    const invitees = panel.getByLabel('Usernames');
    assert.doesNotMatch((await invitees.getAttribute('placeholder')) ?? '', /\bann\b/);
    await invitees.fill('zed');
    await panel.getByRole('button', { name: 'Invite', exact: true }).click();
    await panel.getByRole('alert').filter({ hasText: 'no user named "zed"' }).waitFor();
    await panel.getByRole('button', { name: 'Close group info' }).click();
    // The two lookups of "zed" were 404s by design; nothing else may have failed.
    assert.deepEqual(ann.errors.filter((e) => e !== 'HTTP 404 GET /v1/users'), []);
    ann.errors.length = 0;
  });

  test('invite links and QR codes open the group; join requests reach owners as a badge; the Join dialog finishes', async () => {
    const groupId = await newGroup(ann, 'Book club');
    await ann.page.getByRole('button', { name: 'Group info', exact: true }).click();
    const panel = ann.page.getByRole('complementary', { name: 'Group info' });
    const askLink = await panel.getByLabel('Link to ask to join').inputValue();
    assert.match(askLink, new RegExp(`#/join/${groupId}$`));
    await panel.getByRole('button', { name: 'Make a QR code' }).click();
    await panel.getByRole('img', { name: /QR code that joins Book club/ }).waitFor();
    const joinLink = await panel.getByLabel('Link that joins at once').inputValue();
    await panel.getByLabel('Link that joins at once').scrollIntoViewIfNeeded();
    await shot(ann.page, 'invite');
    await panel.getByRole('button', { name: 'Close group info' }).click();

    // Bob asks through the plain link: the dialog opens filled in, and finishes.
    await bob.page.goto(askLink);
    const dialog = bob.page.getByRole('dialog', { name: 'Join Book club' });
    assert.equal(await dialog.getByLabel('Group id').inputValue(), String(groupId));
    await dialog.getByRole('button', { name: 'Ask to join' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Request sent' }).waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Ask to join' }).count(), 0, 'no second request from the same dialog');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Ann sees it without opening Group info.
    await conversation(ann, 'Book club').getByLabel('1 request to join').waitFor();
    await ann.page.getByRole('button', { name: /^Group info.*1 request to join$/ }).waitFor();

    // A QR code's link joins at once.
    await bob.page.goto(joinLink);
    await bob.page.getByRole('dialog', { name: 'Join Book club' }).getByRole('button', { name: 'Join group' }).click();
    await bob.page.getByRole('heading', { name: 'Book club' }).waitFor();
    await ann.page.getByText('2 members', { exact: true }).waitFor();
  });

  test('Accept and Decline of an invitation do not touch', async () => {
    await newGroup(ann, 'Picnic');
    await ann.page.getByRole('button', { name: 'Group info', exact: true }).click();
    const panel = ann.page.getByRole('complementary', { name: 'Group info' });
    await panel.getByLabel('Usernames').fill('bob');
    await panel.getByRole('button', { name: 'Invite', exact: true }).click();
    await panel.getByRole('status').filter({ hasText: 'Invitation sent' }).waitFor();
    await panel.getByRole('button', { name: 'Close group info' }).click();
    const invite = bob.page.getByRole('region', { name: 'Invitations' });
    const accept = await invite.getByRole('button', { name: 'Accept' }).boundingBox();
    const decline = await invite.getByRole('button', { name: 'Decline' }).boundingBox();
    assert.ok(accept && decline);
    const gap = accept.y === decline.y ? decline.x - (accept.x + accept.width) : decline.y - (accept.y + accept.height);
    assert.ok(gap >= 8, `Accept and Decline are ${gap} px apart`);
    await invite.getByRole('button', { name: 'Decline' }).click();
    await invite.waitFor({ state: 'detached' });
  });

  test('a second device follows my reads; mark as unread brings the badge back on both', async () => {
    const phone = await browsers.person(s.url);
    await phone.page.goto('/');
    await phone.page.getByLabel('Username').fill('bob');
    await phone.page.getByLabel('Password').fill('bob-password-1');
    await phone.page.getByRole('button', { name: 'Sign in' }).click();
    // Bob reads what the tests above sent him, then leaves the chat. The phone's list must be showing
    // first: a badge that has not rendered yet is "detached" at once and proves nothing about the read.
    await conversation(phone, 'Ann Lee').waitFor();
    await conversation(bob, 'Ann Lee').click();
    await conversation(bob, 'Ann Lee').getByLabel(/unread/).waitFor({ state: 'detached' });
    await conversation(phone, 'Ann Lee').getByLabel(/unread/).waitFor({ state: 'detached' });
    await bob.page.goto('/#/');
    await conversation(ann, 'Bob Stone').click();
    await send(ann, 'Two devices, one count');
    await conversation(phone, 'Ann Lee').getByLabel('1 unread').waitFor();
    await conversation(bob, 'Ann Lee').getByLabel('1 unread').waitFor();
    // Reading on the laptop clears the phone's badge (a conversation.read event, then the server's counts).
    await conversation(bob, 'Ann Lee').click();
    await messages(bob).getByText('Two devices, one count').waitFor();
    await conversation(phone, 'Ann Lee').getByLabel('1 unread').waitFor({ state: 'detached' });
    // Mark as unread on the laptop: back on both.
    await bob.page.getByRole('button', { name: 'Mark unread' }).click();
    await conversation(bob, 'Ann Lee').getByLabel('1 unread').waitFor();
    await conversation(phone, 'Ann Lee').getByLabel('1 unread').waitFor();
    assert.deepEqual(phone.errors, []);
    await phone.context.close();
  });

  test('mentions get their own badge; the focus ring is the theme colour', async () => {
    await conversation(ann, 'Book club').click();
    await bob.page.goto('/#/');
    await send(ann, 'Hello @bob, chapter 3?');
    const club = conversation(bob, 'Book club');
    await club.getByLabel('1 mention of you').waitFor();
    await club.getByLabel('1 unread').waitFor();
    await club.click();
    await club.getByLabel('1 mention of you').waitFor({ state: 'detached' });

    await ann.page.keyboard.press('Tab');
    await ann.page.getByRole('button', { name: 'New chat' }).focus();
    const ring = await ann.page.evaluate(() => getComputedStyle(document.activeElement!).outlineColor);
    assert.equal(ring, 'rgb(67, 56, 202)');
    assert.deepEqual(ann.errors, []);
  });
});
