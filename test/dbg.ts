import { startTestServer } from '/work/search/test/support/server.ts';
import { makeUser } from '/work/search/test/support/fixtures.ts';
const s = await startTestServer({});
const a = await makeUser(s), b = await makeUser(s);
await s.core.messages.send(s.appId, a.id, { userId: b.id }, { type: 'text', body: { text: 'okay see you next week then' } });
for (const q of ['"next week"', 'next week', '"you next"']) console.log(q, (await s.core.messages.search(s.appId, a.id, { q })).items.length);
await s.stop();
