// The web client's search: a hit older than the loaded page is found, listed
// with its match marked, and opens its conversation scrolled to the message.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { Browsers, shot, signUp, type Person } from './browser.ts';

describe('web client: search', () => {
  let s: TestServer;
  const browsers = new Browsers();
  let ann: Person;

  before(async () => {
    s = await startTestServer();
    await browsers.start();
    ann = await browsers.person(s.url);
  });
  after(async () => {
    await browsers.stop();
    await s.stop();
  });

  test('search finds a Chinese substring, lists the hit, and jumps to it in its conversation', async () => {
    await signUp(ann, 'ann', 'ann-password-1', 'Ann Lee');
    const annUser = await s.core.store.users.getByHandle(s.appId, 'ann');
    const bob = await s.core.users.create(s.appId, { handle: 'bob', displayName: 'Bob Stone' });
    // The hit, then 40 later messages: it is not on the first page the conversation loads.
    const target = await s.core.messages.send(s.appId, bob.id, { userId: annUser!.id }, { type: 'text', body: { text: '我们周末去露营，带帐篷' } });
    for (let i = 0; i < 40; i++) await s.core.messages.send(s.appId, bob.id, { userId: annUser!.id }, { type: 'text', body: { text: `filler message ${i}` } });

    const { page } = ann;
    await page.getByRole('searchbox', { name: 'Search messages' }).fill('露营');
    await page.getByRole('searchbox', { name: 'Search messages' }).press('Enter');
    const results = page.getByRole('list', { name: 'Search results' });
    const hit = results.getByRole('button', { name: /我们周末去露营/ });
    await hit.waitFor();
    assert.equal(await results.getByRole('listitem').count(), 1);
    assert.equal(await hit.locator('mark').innerText(), '露营');
    await shot(page, 'search');

    await hit.click();
    await page.getByRole('heading', { name: 'Bob Stone' }).waitFor();
    const shown = page.locator(`li.msg.hit[data-id="${target.message.id}"]`);
    await shown.waitFor();
    assert.equal(await shown.getByText('我们周末去露营，带帐篷').count(), 1);
    // Scrolled into view inside the message list.
    const inView = await shown.evaluate((el) => {
      const list = el.closest('ol')!.getBoundingClientRect();
      const r = el.getBoundingClientRect();
      return r.top >= list.top && r.bottom <= list.bottom;
    });
    assert.equal(inView, true);

    const none = page.getByRole('searchbox', { name: 'Search messages' });
    await none.fill('nothinglikethis');
    await none.press('Enter');
    await results.getByText('Nothing found.').waitFor();
    assert.deepEqual(ann.errors, []);
  });
});
