import { startTestServer } from '../support/server.ts';
import { Browsers, signUp } from './browser.ts';
const s = await startTestServer();
const b = new Browsers(); await b.start();
const ann = await b.person(s.url); const bob = await b.person(s.url, { width: 390, height: 780 });
await signUp(ann, 'ann', 'ann-password-1', 'Ann Lee');
await signUp(bob, 'bob', 'bob-password-1', 'Bob Stone');
await ann.page.getByRole('button', { name: 'New chat' }).click();
await ann.page.getByLabel('Username').fill('bob');
await ann.page.getByRole('button', { name: 'Start chat' }).click();
for (const t of ['Hi Bob! Are we still on for Saturday?', 'I booked the campsite by the lake 🏕️', 'Bring the big tent, @bob']) {
  await ann.page.getByLabel('Message', { exact: true }).fill(t);
  await ann.page.getByRole('button', { name: 'Send', exact: true }).click();
}
await ann.page.waitForTimeout(800);
await bob.page.screenshot({ path: '/tmp/web-phone-list.png' });
await bob.page.getByRole('link', { name: /Ann Lee/ }).click();
await bob.page.getByLabel('Message', { exact: true }).fill('Yes! I will bring it.');
await bob.page.getByRole('button', { name: 'Send', exact: true }).click();
await ann.page.waitForTimeout(800);
await bob.page.screenshot({ path: '/tmp/web-phone-conv.png' });
await ann.page.screenshot({ path: '/tmp/web-desk-conv.png' });
await b.stop(); await s.stop();
