import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { Browsers, shot, signUp } from './browser.ts';

describe('web client: accounts', () => {
  let s: TestServer;
  const browsers = new Browsers();
  before(async () => {
    s = await startTestServer();
    await browsers.start();
  });
  after(async () => {
    await browsers.stop();
    await s.stop();
  });

  test('sign up, keep the session over a reload, sign out, sign in again', async () => {
    const ann = await browsers.person(s.url);
    const { page } = ann;
    await signUp(ann, 'ann', 'ann-password-1', 'Ann Lee');
    await page.getByRole('heading', { name: 'Welcome, Ann Lee' }).waitFor();

    await page.reload();
    await page.getByRole('heading', { name: 'Welcome, Ann Lee' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot(page, 'sign-in');

    await page.getByLabel('Username').fill('ann');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'wrong username or password' }).waitFor();

    await page.getByLabel('Password').fill('ann-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Ann Lee' }).waitFor();
    await ann.context.close();
  });

  test('a taken username is refused with a message', async () => {
    const ben = await browsers.person(s.url);
    await signUp(ben, 'ben', 'ben-password-1', 'Ben');
    const other = await browsers.person(s.url);
    await other.page.goto('/');
    await other.page.getByRole('button', { name: 'Create an account' }).click();
    await other.page.getByLabel('Username').fill('ben');
    await other.page.getByLabel('Password').fill('another-password');
    await other.page.getByRole('button', { name: 'Sign up' }).click();
    const alert = other.page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /ben/);
    await ben.context.close();
    await other.context.close();
  });
});
