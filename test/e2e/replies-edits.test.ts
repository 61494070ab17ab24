// Replies and edits in the web client (issue 15 items 1, 3 and 7): reply from
// a message's tools, the quote above the composer and in the sent bubble, a
// click on the quote brings the original into view; edit one's own text in
// place with an "edited" mark seen live by the other side; a quoted message
// revoked later shows as revoked in the reply; and all of it at 390 px.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestDatabase } from '../support/database.ts';
import type { TestServer } from '../support/server.ts';
import { annAndBob, shot, type Person } from './browser.ts';
import { conversation, messages, send } from './page.ts';

async function startChat(p: Person, handle: string, name: string) {
  await p.page.getByRole('button', { name: 'New chat' }).click();
  await p.page.getByLabel('Username').fill(handle);
  await p.page.getByRole('button', { name: 'Start chat' }).click();
  await p.page.getByRole('heading', { name }).waitFor();
}

/** The message's list item, by the text in its bubble (a reply's quote of it does not count). */
const item = (p: Person, text: string) => messages(p).locator('li.msg').filter({ has: p.page.locator('.bubble', { hasText: text }) }).last();

/** Hovers the message (its tools show on hover or focus) and clicks one of them. */
async function tool(p: Person, text: string, name: string) {
  const li = item(p, text);
  await li.hover();
  await li.getByRole('button', { name }).click();
}

describe('web client: replies and edits', () => {
  // Short, so the quoted message ends up out of view above the reply.
  const world = annAndBob({ ann: { width: 1280, height: 560 }, bob: { width: 390, height: 780 } });
  const browsers = world.browsers;
  let s: TestServer;
  let db: TestDatabase;
  let ann: Person;
  let bob: Person;
  before(() => ({ s, db, ann, bob } = world));

  test('reply: the quote above the composer, in the bubble on both sides, and a click scrolls to the original', async () => {
    await startChat(ann, 'bob', 'Bob Stone');
    await send(ann, 'Shall we go camping on Saturday?');
    for (let i = 0; i < 25; i++) await send(ann, `filler line ${i}`);
    await conversation(bob, 'Ann Lee').click();
    await messages(bob).getByText('filler line 24').waitFor();
    await messages(bob).getByText('Shall we go camping on Saturday?').scrollIntoViewIfNeeded();
    await tool(bob, 'Shall we go camping on Saturday?', 'Reply to this message');
    const replying = bob.page.getByRole('status', { name: 'Replying to Ann Lee' });
    await replying.getByText('Shall we go camping on Saturday?').waitFor();
    await send(bob, 'Yes, I will bring the tent');
    await replying.waitFor({ state: 'detached' });

    const quoteOf = (p: Person) => item(p, 'Yes, I will bring the tent').getByRole('button', { name: /^Reply to .*Shall we go camping on Saturday\?/ });
    await quoteOf(bob).waitFor();
    await quoteOf(ann).waitFor();
    assert.match(await quoteOf(ann).innerText(), /You\s*Shall we go camping/);
    await shot(bob.page, 'reply-phone');
    let width = await bob.page.evaluate(() => document.scrollingElement!.scrollWidth);
    assert.ok(width <= 390, `the page is ${width} px wide`);

    // The original is far above: a click on the quote brings it into view, highlighted.
    const original = item(ann, 'Shall we go camping on Saturday?');
    const list = messages(ann);
    await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const visible = async () => {
      const [o, l] = [await original.boundingBox(), await list.boundingBox()];
      return !!o && !!l && o.y >= l.y && o.y + o.height <= l.y + l.height;
    };
    assert.equal(await visible(), false, 'the original starts out of view');
    await quoteOf(ann).click();
    await ann.page.waitForFunction(() => document.querySelector('li.msg.hit')?.textContent?.includes('Shall we go camping on Saturday?'));
    assert.equal(await visible(), true, 'the original was scrolled into view');

    // Starting a reply and cancelling it sends a plain message.
    await tool(bob, 'filler line 3', 'Reply to this message');
    await bob.page.getByRole('button', { name: 'Cancel reply' }).click();
    await send(bob, 'plain again');
    assert.equal(await item(bob, 'plain again').locator('.reply-quote').count(), 0);
    width = await bob.page.evaluate(() => document.scrollingElement!.scrollWidth);
    assert.ok(width <= 390, `the page is ${width} px wide`);
    assert.deepEqual(ann.errors, []);
    assert.deepEqual(bob.errors, []);
  });

  test('edit: own text in place, an "edited" mark seen live by the other side, the quote follows; revoke then shows in the quote', async () => {
    await conversation(ann, 'Bob Stone').click();
    await send(ann, 'Meet at the lake at 9');
    await tool(bob, 'plain again', 'Reply to this message');
    // Bob may not edit Ann's message: his tools on it have no Edit.
    const annsOnBob = item(bob, 'Meet at the lake at 9');
    await annsOnBob.waitFor();
    await annsOnBob.hover();
    await annsOnBob.getByRole('button', { name: 'Reply to this message' }).waitFor();
    assert.equal(await annsOnBob.getByRole('button', { name: 'Edit this message' }).count(), 0);
    await bob.page.getByRole('button', { name: 'Cancel reply' }).click();
    await tool(bob, 'Meet at the lake at 9', 'Reply to this message');
    await send(bob, 'ok, see you there');

    await tool(ann, 'Meet at the lake at 9', 'Edit this message');
    const box = ann.page.getByRole('textbox', { name: 'Edit message' });
    await box.fill('Meet at the lake at 10');
    await box.press('Enter');
    await box.waitFor({ state: 'detached' });
    await item(ann, 'Meet at the lake at 10').locator('.edited').waitFor();
    // Bob sees the new text, the mark, and his reply's quote follows.
    await item(bob, 'Meet at the lake at 10').locator('.edited').waitFor();
    assert.equal(await messages(bob).getByText('Meet at the lake at 9').count(), 0);
    await item(bob, 'ok, see you there').getByRole('button', { name: /Meet at the lake at 10/ }).waitFor();
    await shot(bob.page, 'edited-phone');

    // Escape cancels an edit and changes nothing.
    await tool(ann, 'Meet at the lake at 10', 'Edit this message');
    await ann.page.getByRole('textbox', { name: 'Edit message' }).fill('never sent');
    await ann.page.getByRole('textbox', { name: 'Edit message' }).press('Escape');
    await ann.page.getByRole('textbox', { name: 'Edit message' }).waitFor({ state: 'detached' });
    assert.equal(await messages(ann).getByText('never sent').count(), 0);

    // After a reload the edit and the quote are still there (read from the server).
    await bob.page.reload();
    await item(bob, 'ok, see you there').getByRole('button', { name: /Meet at the lake at 10/ }).waitFor();
    await item(bob, 'Meet at the lake at 10').locator('.edited').waitFor();

    // Ann revokes the quoted message: Bob's reply shows it as revoked.
    const mine = item(ann, 'Meet at the lake at 10');
    await mine.getByRole('button', { name: 'Revoke this message' }).click();
    await messages(ann).getByText('You revoked a message').waitFor();
    await item(bob, 'ok, see you there').getByRole('button', { name: /Message revoked/ }).waitFor();
    assert.equal(await messages(bob).getByText('Meet at the lake at 10').count(), 0);
    const width = await bob.page.evaluate(() => document.scrollingElement!.scrollWidth);
    assert.ok(width <= 390, `the page is ${width} px wide`);
    assert.deepEqual(ann.errors, []);
    assert.deepEqual(bob.errors, []);
  });
});
