// Message search through GET /v1/search: the languages (one corpus and its
// queries, the same hit sets on SQLite and PostgreSQL — this file runs on
// both), who may find what, search right after a send, revoke, filters and
// paging.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import fc from 'fast-check';
import { person, people, type Person } from './groups-helpers.ts';

const text = (t: string) => ({ type: 'text', body: { text: t } });

// The conformance corpus: every text, and per query the texts it must find (and nothing else).
const CORPUS = [
  '我们周末去露营',
  'Camping trip this weekend',
  'Meet at the Café at noon',
  'the cafe is closed',
  '周末camping plans',
  'camping 周末 with friends 🏕️',
  '明天见 🎉🎉',
  'ping @alice about the report',
  '日本語のテキストです',
  '한국어 텍스트입니다',
  'ＦＵＬＬ　ｗｉｄｔｈ letters',
  'unrelated words only',
];
const EXPECT: Record<string, string[]> = {
  周末: ['我们周末去露营', '周末camping plans', 'camping 周末 with friends 🏕️'],
  露营: ['我们周末去露营'],
  周末去露: ['我们周末去露营'],
  '周末 露营': ['我们周末去露营'],
  们去: [],
  camp: ['Camping trip this weekend', '周末camping plans', 'camping 周末 with friends 🏕️'],
  CAMPING: ['Camping trip this weekend', '周末camping plans', 'camping 周末 with friends 🏕️'],
  café: ['Meet at the Café at noon', 'the cafe is closed'],
  cafe: ['Meet at the Café at noon', 'the cafe is closed'],
  周末camping: ['周末camping plans', 'camping 周末 with friends 🏕️'],
  'camping 周末': ['周末camping plans', 'camping 周末 with friends 🏕️'],
  '"周末camping"': ['周末camping plans'],
  '"camping trip"': ['Camping trip this weekend'],
  '"trip camping"': [],
  '明天 🎉': ['明天见 🎉🎉'],
  '@alice': ['ping @alice about the report'],
  テキスト: ['日本語のテキストです'],
  텍스트: ['한국어 텍스트입니다'],
  full: ['ＦＵＬＬ　ｗｉｄｔｈ letters'],
  ｗｉｄｔｈ: ['ＦＵＬＬ　ｗｉｄｔｈ letters'],
  noon: ['Meet at the Café at noon'],
  nomatch: [],
};

describe('native search', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());

  async function group(owner: Person, members: Person[], settings: Record<string, unknown> = {}): Promise<number> {
    const r = await owner.api.post('/v1/groups', { name: 'g', memberIds: members.map((m) => m.id), settings });
    assert.equal(r.status, 201, r.text);
    return r.body.group.id as number;
  }
  async function sendTo(p: Person, groupId: number, t: string): Promise<number> {
    const r = await p.api.post(`/v1/groups/${groupId}/messages`, text(t));
    assert.equal(r.status, 201, r.text);
    return r.body.id as number;
  }
  async function find(p: Person, q: string, query: Record<string, string | number> = {}): Promise<any> {
    const r = await p.api.get('/v1/search', { query: { q, ...query } });
    assert.equal(r.status, 200, r.text);
    return r.body;
  }
  const texts = (body: any) => body.items.map((h: any) => h.message.body.text as string);

  test('the corpus: CJK substrings, Latin prefixes, accents, width, mixed scripts, emoji and @mentions', async () => {
    const [owner, reader] = await people(s, 2);
    const g = await group(owner, [reader]);
    for (const t of CORPUS) await sendTo(owner, g, t);
    for (const [q, expected] of Object.entries(EXPECT)) {
      const body = await find(reader, q, { groupId: g, limit: 50 });
      assert.deepEqual(texts(body).sort(), [...expected].sort(), `query ${q}`);
    }
  });

  test('a hit carries the message, its conversation, the match ranges and an excerpt; newest first', async () => {
    const [owner, reader] = await people(s, 2);
    const g = await group(owner, [reader]);
    const first = await sendTo(owner, g, '我们周末去露营');
    s.clock!.advance(10);
    const second = await sendTo(owner, g, 'This Weekend: camping, camping!');
    const zh = await find(reader, '周末', { groupId: g });
    assert.equal(zh.items.length, 1);
    const hit = zh.items[0];
    assert.equal(hit.message.id, first);
    assert.deepEqual(hit.conversation, { id: hit.message.conversationId, kind: 'group', groupId: g, peerId: null });
    assert.equal(hit.text, '我们周末去露营');
    assert.deepEqual(hit.matches, [{ start: 2, length: 2 }]);
    assert.deepEqual(hit.excerpt, { text: '我们周末去露营', matches: [{ start: 2, length: 2 }] });
    const en = await find(reader, 'camp', { groupId: g });
    assert.deepEqual(en.items[0].matches, [{ start: 14, length: 7 }, { start: 23, length: 7 }]);
    assert.equal(en.items[0].message.id, second);
    const both = await find(reader, 'camp 周末', { groupId: g });
    assert.deepEqual(both.items.map((h: any) => h.message.id), []);
    await sendTo(owner, g, '周末 camping');
    const mixed = await find(reader, 'camp 周末', { groupId: g });
    assert.deepEqual(texts(mixed), ['周末 camping']);
  });

  test('found right after the acknowledged send; a revoked message is never found', async () => {
    const [owner, reader] = await people(s, 2);
    const g = await group(owner, [reader]);
    for (let i = 0; i < 5; i++) {
      const word = `fresh${i}word`;
      const id = await sendTo(owner, g, `just sent ${word}`);
      const body = await find(reader, word);
      assert.deepEqual(body.items.map((h: any) => h.message.id), [id]);
    }
    const id = await sendTo(owner, g, 'secret plans 秘密计划');
    assert.equal((await find(reader, '秘密')).items.length, 1);
    const r = await owner.api.post(`/v1/messages/${id}/revoke`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual((await find(reader, '秘密')).items, []);
    assert.deepEqual((await find(reader, 'secret')).items, []);
    assert.deepEqual((await find(owner, 'plans')).items, []);
    assert.deepEqual((await s.core.messages.search(s.appId, null, { q: '秘密计划' })).items, []);
  });

  test('an edited message is found by its latest text only, on both engines; revoked after the edit, by nothing', async () => {
    const [owner, reader] = await people(s, 2);
    const g = await group(owner, [reader]);
    const id = await sendTo(owner, g, 'we meet at the lighthouse 灯塔见');
    assert.deepEqual((await find(reader, 'lighthouse')).items.map((h: any) => h.message.id), [id]);
    const r = await owner.api.patch(`/v1/messages/${id}`, { text: 'we meet at the harbour 港口见' });
    assert.equal(r.status, 200, r.text);
    for (const old of ['lighthouse', '灯塔']) assert.deepEqual((await find(reader, old)).items, [], old);
    for (const now of ['harbour', 'harb', '港口']) {
      const body = await find(reader, now);
      assert.deepEqual(body.items.map((h: any) => h.message.id), [id], now);
      assert.equal(body.items[0].message.body.text, 'we meet at the harbour 港口见');
      assert.equal(body.items[0].message.editCount, 1);
    }
    assert.equal((await owner.api.post(`/v1/messages/${id}/revoke`)).status, 200);
    assert.deepEqual((await find(reader, 'harbour')).items, []);
  });

  test('only conversations the user is in: outsiders and other private chats find nothing', async () => {
    const [owner, member, outsider, friend] = await people(s, 4);
    const g = await group(owner, [member]);
    await sendTo(owner, g, 'zebrafish in the group');
    const dm = await owner.api.post(`/v1/users/${friend.id}/messages`, text('zebrafish in private'));
    assert.equal(dm.status, 201, dm.text);
    assert.deepEqual(texts(await find(member, 'zebrafish')), ['zebrafish in the group']);
    assert.deepEqual(texts(await find(friend, 'zebrafish')), ['zebrafish in private']);
    assert.deepEqual(texts(await find(owner, 'zebrafish')).sort(), ['zebrafish in private', 'zebrafish in the group']);
    assert.deepEqual((await find(outsider, 'zebrafish')).items, []);
    const refused = await outsider.api.get('/v1/search', { query: { q: 'zebrafish', groupId: g } });
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.error.code, 'not_group_member');
    const priv = await find(friend, 'zebrafish', { userId: owner.id });
    assert.deepEqual(priv.items[0].conversation.peerId, owner.id);
  });

  test('a new member of a group that hides history finds only what came after joining; one that shows it finds all', async () => {
    for (const historyVisible of [false, true]) {
      const owner = await person(s);
      const g = await group(owner, [], { historyVisible });
      await sendTo(owner, g, `walrus before ${historyVisible}`);
      s.clock!.advance(1000);
      const late = await person(s);
      assert.equal((await owner.api.post(`/v1/groups/${g}/members`, { userIds: [late.id] })).status, 200);
      s.clock!.advance(1000);
      await sendTo(owner, g, `walrus after ${historyVisible}`);
      const expected = historyVisible ? [`walrus after true`, `walrus before true`] : ['walrus after false'];
      assert.deepEqual(texts(await find(late, 'walrus', { groupId: g })), expected);
      assert.deepEqual(texts(await find(late, 'walrus')), expected);
    }
  });

  test('after leaving or being kicked a user finds nothing more of the group', async () => {
    const [owner, leaver, kicked] = await people(s, 3);
    const g = await group(owner, [leaver, kicked]);
    await sendTo(owner, g, 'narwhal while members');
    assert.equal((await find(leaver, 'narwhal')).items.length, 1);
    assert.equal((await leaver.api.post(`/v1/groups/${g}/leave`)).status, 204);
    assert.equal((await owner.api.delete(`/v1/groups/${g}/members/${kicked.id}`)).status, 200);
    await sendTo(owner, g, 'narwhal after they went');
    assert.deepEqual((await find(leaver, 'narwhal')).items, []);
    assert.deepEqual((await find(kicked, 'narwhal')).items, []);
    assert.equal((await find(owner, 'narwhal')).items.length, 2);
  });

  test('an app admin searches the whole app; a user token never beyond its own reach', async () => {
    const [a, b, c] = await people(s, 3);
    const g = await group(a, [b]);
    await sendTo(a, g, 'moderation keyword okapi');
    await c.api.post(`/v1/users/${a.id}/messages`, text('okapi in private'));
    const admin = client(s.url, s.adminToken);
    const all = await admin.get('/v1/search', { query: { q: 'okapi' } });
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(all.body.items.map((h: any) => h.message.body.text).sort(), ['moderation keyword okapi', 'okapi in private']);
    assert.deepEqual(texts(await find(b, 'okapi')), ['moderation keyword okapi']);
  });

  test('scope filters: sender, type, time range', async () => {
    const [a, b] = await people(s, 2);
    const g = await group(a, [b]);
    const t0 = s.clock!.now();
    await sendTo(a, g, 'lemur from a');
    s.clock!.advance(1000);
    await sendTo(b, g, 'lemur from b');
    const file = await b.api.post(`/v1/groups/${g}/messages`, { type: 'file', body: { url: 'https://example.com/f', name: 'lemur-notes.pdf' } });
    assert.equal(file.status, 201, file.text);
    // Encrypted payloads are opaque bytes: never indexed, whatever their scheme or bytes say.
    const enc = await b.api.post(`/v1/groups/${g}/messages`, { type: 'encrypted', body: { data: Buffer.from('lemur lemur').toString('base64'), scheme: 'lemur' } });
    assert.equal(enc.status, 201, enc.text);
    assert.deepEqual((await find(b, 'lemur', { type: 'encrypted' })).items, []);
    assert.deepEqual((await find(b, Buffer.from('lemur lemur').toString('base64').slice(0, 8))).items, []);
    assert.deepEqual(texts(await find(b, 'lemur', { senderId: a.id })), ['lemur from a']);
    assert.deepEqual((await find(b, 'lemur', { type: 'file' })).items.map((h: any) => h.text), ['lemur-notes.pdf']);
    assert.deepEqual(texts(await find(b, 'lemur', { to: t0 + 500, groupId: g })), ['lemur from a']);
    assert.deepEqual(texts(await find(b, 'lemur', { from: t0 + 500, type: 'text' })), ['lemur from b']);
  });

  test('pages newest first with a cursor, without repeats; relevance pages too', async () => {
    const [a, b] = await people(s, 2);
    const g = await group(a, [b]);
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push(await sendTo(a, g, `ibex number ${i}${i % 2 ? ' ibex ibex' : ''}`));
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const body = await find(b, 'ibex', { limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...body.items.map((h: any) => h.message.id));
      cursor = body.next;
    } while (cursor);
    assert.deepEqual(seen, [...ids].reverse());
    const rel: number[] = [];
    cursor = undefined;
    do {
      const body = await find(b, 'ibex', { limit: 3, order: 'relevance', ...(cursor ? { cursor } : {}) });
      rel.push(...body.items.map((h: any) => h.message.id));
      cursor = body.next;
    } while (cursor);
    assert.deepEqual([...rel].sort(), [...ids].sort());
  });

  test('a phrase pages newest first past many messages holding its words apart; edited, revoked, CJK and mixed phrases', async () => {
    const [a, b] = await people(s, 2);
    const g = await group(a, [b]);
    const phrase: number[] = [];
    phrase.push(await sendTo(a, g, 'the dugong fluke is long'));
    const cjk = await sendTo(a, g, 'dugong flukes 海象牙齿'); // the phrase's last word is a prefix
    phrase.push(cjk);
    const mixed = await sendTo(a, g, '海象dugong fluke');
    phrase.push(mixed);
    // Every word of each phrase below, never adjacent in order: PostgreSQL reads these as candidates, round after round.
    for (let i = 0; i < 150; i++) await sendTo(a, g, `fluke of dugong ${i} 象牙海象`);
    const revoked = await sendTo(a, g, 'dugong fluke revoked');
    const editedAway = await sendTo(a, g, 'dugong fluke before the edit');
    const editedIn = await sendTo(a, g, 'dugong and fluke');
    phrase.push(editedIn);
    phrase.push(await sendTo(a, g, 'dugong fluke again'));
    assert.equal((await a.api.post(`/v1/messages/${revoked}/revoke`)).status, 200);
    assert.equal((await a.api.patch(`/v1/messages/${editedAway}`, { text: 'fluke then dugong' })).status, 200);
    assert.equal((await a.api.patch(`/v1/messages/${editedIn}`, { text: 'now dugong fluke' })).status, 200);
    const newestFirst = [...phrase].sort((x, y) => y - x);

    for (const limit of [1, 2, 50]) {
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const body = await find(b, '"dugong fluke"', { limit, ...(cursor ? { cursor } : {}) });
        seen.push(...body.items.map((h: any) => h.message.id));
        cursor = body.next;
      } while (cursor);
      assert.deepEqual(seen, newestFirst, `limit ${limit}`);
    }
    const admin = await s.core.messages.search(s.appId, null, { q: '"dugong fluke"', limit: 50 });
    assert.deepEqual(admin.items.map((h) => h.message.id), newestFirst);
    const relevance = await find(b, '"dugong fluke"', { order: 'relevance', limit: 50 });
    assert.deepEqual(relevance.items.map((h: any) => h.message.id).sort(), [...phrase].sort());
    assert.deepEqual((await find(b, '海象牙', { limit: 50 })).items.map((h: any) => h.message.id), [cjk]);
    assert.deepEqual((await find(b, '"海象dugong"', { limit: 50 })).items.map((h: any) => h.message.id), [mixed]);
    assert.deepEqual((await find(b, '"dugong fluke" 海象', { limit: 50 })).items.map((h: any) => h.message.id), [mixed, cjk]);
    assert.equal((await find(b, '"fluke of dugong"', { limit: 200 })).items.length, 150);
  });

  test('bad input gets 400 in the native envelope', async () => {
    const p = await person(s);
    for (const query of [{}, { q: '' }, { q: '🎉 !!' }, { q: 'x', limit: 0 }, { q: 'x', cursor: 'garbage' }, { q: 'x', order: 'best' }, { q: 'x', groupId: 1, userId: 2 }, { q: 'x'.repeat(300) }, { q: 'x', from: -1 }]) {
      const r = await p.api.get('/v1/search', { query: query as Record<string, string | number> });
      assert.equal(r.status, 400, `${JSON.stringify(query)}: ${r.text}`);
      assert.equal(r.body.error.code, 'invalid_argument', r.text);
    }
    const anon = await client(s.url).get('/v1/search', { query: { q: 'x' } });
    assert.equal(anon.status, 401);
    const doc = (await client(s.url).get('/openapi.json')).body;
    const op = doc.paths['/v1/search']?.get;
    assert.ok(op, 'GET /v1/search is in the OpenAPI document');
    assert.ok(op.parameters.some((p: any) => p.name === 'q' && p.in === 'query' && p.required), 'q is a required query parameter');
  });
  test('a word longer than 64 characters is indexed by its first 64; the send and the search work on both engines', async () => {
    const [a, b] = await people(s, 2);
    const g = await group(a, [b]);
    const long = 'supercalifragilistic'.repeat(250);
    await sendTo(a, g, long);
    await sendTo(a, g, '长'.repeat(5000));
    assert.equal((await find(b, long.slice(0, 64), { groupId: g })).items.length, 1);
    assert.equal((await find(b, long.slice(0, 200), { groupId: g })).items.length, 1);
    assert.equal((await find(b, '长长长', { groupId: g })).items.length, 1);
  });

  test('a prefix covering many words finds them all (SQLite expands a prefix of up to 64 words, and keeps a wider one a prefix query)', async () => {
    const [a, b] = await people(s, 2);
    const g = await group(a, [b]);
    for (let i = 0; i < 70; i++) await sendTo(a, g, `quokka${i}x sighting`);
    const wide = await find(b, 'quokka', { groupId: g, limit: 200 });
    assert.equal(wide.items.length, 70);
    const narrow = await find(b, 'quokka1', { groupId: g, limit: 200 });
    assert.deepEqual(texts(narrow).sort(), ['quokka1x sighting', ...Array.from({ length: 10 }, (_, i) => `quokka1${i}x sighting`)].sort());
    assert.deepEqual(texts(await find(b, '"quokka7x sigh"', { groupId: g })), ['quokka7x sighting']);
  });

  test('any query string gets 200 or a 400 in the native envelope, never a 500', async () => {
    const [a, b] = await people(s, 2);
    const g = await group(a, [b]);
    await sendTo(a, g, 'fuzz target 模糊测试 ÀÉÎ 🎉 @x');
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), async (q) => {
        const r = await b.api.get('/v1/search', { query: { q } });
        assert.ok(r.status === 200 || (r.status === 400 && r.body.error.code === 'invalid_argument'), `${JSON.stringify(q)}: ${r.status} ${r.text}`);
      }),
      { numRuns: 150 },
    );
  });
});
