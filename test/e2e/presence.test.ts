// Typing and presence in the browser: Ann sees Bob typing in their private
// chat, a green dot on his avatar while he is online, and "last seen" in the
// chat header once he has gone.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestDatabase } from '../support/database.ts';
import type { TestServer } from '../support/server.ts';
import { annAndBob, type Person } from './browser.ts';
import { conversation, messages, send } from './page.ts';

describe('web client: typing and presence', () => {
  const world = annAndBob();
  const browsers = world.browsers;
  let s: TestServer;
  let db: TestDatabase;
  let ann: Person;
  let bob: Person;
  before(() => ({ s, db, ann, bob } = world));

  test('typing line, presence dot and last seen in a private chat', async () => {
    // Ann starts a chat with Bob; Bob opens it.
    await ann.page.getByRole('button', { name: 'New chat' }).click();
    await ann.page.getByLabel('Username').fill('bob');
    await ann.page.getByRole('button', { name: 'Start chat' }).click();
    await send(ann, 'Are you there?');
    await conversation(bob, 'Ann Lee').click();
    await messages(bob).getByText('Are you there?').waitFor();

    // Bob is online: a green dot on his avatar and "online" in Ann's header.
    const header = ann.page.locator('.conv-header');
    await header.getByRole('img', { name: 'online' }).waitFor();
    await header.getByText(/online/).waitFor();

    // Bob types: Ann sees it; Bob sends: the line goes.
    const typingLine = ann.page.getByRole('status').filter({ hasText: 'Bob Stone is typing…' });
    await bob.page.getByLabel('Message', { exact: true }).pressSequentially('Yes, here', { delay: 30 });
    await typingLine.waitFor();
    await bob.page.getByRole('button', { name: 'Send', exact: true }).click();
    await messages(ann).getByText('Yes, here').waitFor();
    await typingLine.waitFor({ state: 'detached' });

    // Bob leaves: Ann sees him offline, last seen just now.
    await bob.page.close();
    await header.getByRole('img', { name: 'offline' }).waitFor();
    await header.getByText('last seen just now').waitFor();
    assert.deepEqual(ann.errors, []);
  });
});
