// Replies (issue 15 item 1): a send quotes a message of its conversation; the
// quote rides in history, GET /v1/messages/:id, sync and live pushes, always
// as the quoted message is now (edited text, or revoked with nothing shown).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { online } from '../../support/ws.ts';
import { makeUser } from '../../support/fixtures.ts';

const text = (t: string, extra: Record<string, unknown> = {}) => ({ type: 'text', body: { text: t }, ...extra });

describe('replies', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  async function pair() {
    const a = await makeUser(s);
    const b = await makeUser(s);
    return { a, b, ca: client(s.url, a.token), cb: client(s.url, b.token) };
  }

  test('a reply carries the quote in the send answer, history, one message and sync', async () => {
    const { a, b, ca, cb } = await pair();
    const original = (await ca.post(`/v1/users/${b.id}/messages`, text('shall we go camping this weekend?'))).body;
    const image = (await ca.post(`/v1/users/${b.id}/messages`, { type: 'image', body: { url: 'https://example.com/tent.png' } })).body;
    const r = await cb.post(`/v1/users/${a.id}/messages`, text('yes!', { replyTo: original.id }));
    assert.equal(r.status, 201, r.text);
    const quote = { id: original.id, senderId: a.id, type: 'text', excerpt: 'shall we go camping this weekend?' };
    assert.deepEqual(r.body.replyTo, quote);
    assert.equal(r.body.replyToId, original.id);
    assert.equal(r.body.threadRootId, null);

    const toImage = (await cb.post(`/v1/users/${a.id}/messages`, text('nice tent', { replyTo: image.id, threadRootId: original.id }))).body;
    assert.deepEqual(toImage.replyTo, { id: image.id, senderId: a.id, type: 'image', excerpt: '[image]' });
    assert.equal(toImage.threadRootId, original.id);

    const history = (await ca.get(`/v1/users/${b.id}/messages?order=asc`)).body.items;
    assert.deepEqual(history.map((m: any) => m.replyTo ?? null), [null, null, quote, toImage.replyTo]);
    assert.deepEqual((await ca.get(`/v1/messages/${r.body.id}`)).body.replyTo, quote);
    const synced = (await ca.get('/v1/sync?since=0')).body.items.find((m: any) => m.id === r.body.id);
    assert.deepEqual(synced.replyTo, quote);
  });

  test('a long text is quoted by its start, whole characters only', async () => {
    const { b, ca } = await pair();
    const long = '露营'.repeat(40) + '😀'.repeat(40);
    const original = (await ca.post(`/v1/users/${b.id}/messages`, text(long))).body;
    const reply = (await ca.post(`/v1/users/${b.id}/messages`, text('again', { replyTo: original.id }))).body;
    const chars = [...reply.replyTo.excerpt];
    assert.equal(chars.length, 100);
    assert.equal(chars[99], '…');
    assert.ok(reply.replyTo.excerpt.startsWith('露营露营'));
    assert.ok(!/[\uD800-\uDBFF]$/.test(reply.replyTo.excerpt.slice(0, -1)), 'no half emoji');
  });

  test('the live push to the other side carries the quote', async () => {
    const { a, b, ca, cb } = await pair();
    const original = (await ca.post(`/v1/users/${b.id}/messages`, text('ping'))).body;
    const phone = await online(s.url, a.token);
    try {
      await cb.post(`/v1/users/${a.id}/messages`, text('pong', { replyTo: original.id }));
      let f = await phone.next('message');
      while (f.message.body.text !== 'pong') f = await phone.next('message');
      assert.deepEqual(f.message.replyTo, { id: original.id, senderId: a.id, type: 'text', excerpt: 'ping' });
    } finally {
      await phone.close();
    }
  });

  test('a reply over the WebSocket send', async () => {
    const { a, b, ca } = await pair();
    const original = (await ca.post(`/v1/users/${b.id}/messages`, text('over the socket'))).body;
    const phone = await online(s.url, b.token);
    try {
      phone.send({ type: 'send', ref: 'r1', message: { userId: a.id, type: 'text', body: { text: 'heard' }, replyTo: String(original.id) } });
      const ack = await phone.next('ack');
      assert.deepEqual(ack.message.replyTo, { id: original.id, senderId: a.id, type: 'text', excerpt: 'over the socket' });
      phone.send({ type: 'send', ref: 'r2', message: { userId: a.id, type: 'text', body: { text: 'x' }, replyTo: 'nope' } });
      const err = await phone.next('error');
      assert.equal(err.code, 'invalid_argument');
      assert.equal(err.ref, 'r2');
    } finally {
      await phone.close();
    }
  });

  test('a quoted message later revoked shows as revoked in every reply, its text never again', async () => {
    const owner = await makeUser(s);
    const m1 = await makeUser(s);
    const co = client(s.url, owner.token);
    const c1 = client(s.url, m1.token);
    const g = (await co.post('/v1/groups', { name: 'quotes', memberIds: [m1.id] })).body.group;
    const secret = (await c1.post(`/v1/groups/${g.id}/messages`, text('a secret that will be revoked'))).body;
    const replies = [];
    for (const who of [co, c1]) replies.push((await who.post(`/v1/groups/${g.id}/messages`, text('quoting', { replyTo: secret.id }))).body);
    assert.equal(replies[0].replyTo.excerpt, 'a secret that will be revoked');
    const phone = await online(s.url, owner.token);
    try {
      assert.equal((await c1.post(`/v1/messages/${secret.id}/revoke`)).status, 200);
      assert.equal((await phone.next('event')).event.type, 'message.revoked');
    } finally {
      await phone.close();
    }
    const revoked = { id: secret.id, senderId: m1.id, type: 'revoked', excerpt: '', revoked: true };
    for (const who of [co, c1]) {
      const page = await who.get(`/v1/groups/${g.id}/messages`);
      assert.ok(!page.text.includes('a secret'), page.text);
      for (const r of replies) {
        assert.deepEqual(page.body.items.find((m: any) => m.id === r.id).replyTo, revoked);
        assert.deepEqual((await who.get(`/v1/messages/${r.id}`)).body.replyTo, revoked);
      }
      const sync = await who.get('/v1/sync?since=0');
      assert.ok(!sync.text.includes('a secret'), sync.text);
    }
    // Replying to it now shows the revoked quote at once.
    const late = (await co.post(`/v1/groups/${g.id}/messages`, text('what was it?', { replyTo: secret.id }))).body;
    assert.deepEqual(late.replyTo, revoked);
  });

  test('a quote follows the latest text of an edited message', async () => {
    const { b, ca } = await pair();
    const original = (await ca.post(`/v1/users/${b.id}/messages`, text('meet at 5'))).body;
    const reply = (await ca.post(`/v1/users/${b.id}/messages`, text('see above', { replyTo: original.id }))).body;
    assert.equal((await ca.patch(`/v1/messages/${original.id}`, { text: 'meet at 6' })).status, 200);
    assert.equal((await ca.get(`/v1/messages/${reply.id}`)).body.replyTo.excerpt, 'meet at 6');
  });

  test('a reply to a message of another conversation, an unknown one or a bad id is refused and stores nothing', async () => {
    const { a, b, ca, cb } = await pair();
    const c = await makeUser(s);
    const elsewhere = (await ca.post(`/v1/users/${c.id}/messages`, text('not for bob'))).body;
    for (const [field, value] of [['replyTo', elsewhere.id], ['replyTo', 999_999_999], ['threadRootId', elsewhere.id]] as const) {
      const r = await cb.post(`/v1/users/${a.id}/messages`, text('hmm', { [field]: value }));
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.error.code, 'invalid_argument');
      assert.match(r.body.error.message, new RegExp(field));
    }
    for (const bad of ['12', -1, 0, 1.5]) assert.equal((await cb.post(`/v1/users/${a.id}/messages`, text('hmm', { replyTo: bad }))).status, 400);
    assert.equal((await cb.get(`/v1/users/${a.id}/messages`)).body.items.length, 0);
  });

  test('a newcomer cannot quote history hidden from them, and sees an earlier quote of it as hidden', async () => {
    const owner = await makeUser(s);
    const co = client(s.url, owner.token);
    const g = (await co.post('/v1/groups', { name: 'private past', settings: { historyVisible: false } })).body.group;
    const old = (await co.post(`/v1/groups/${g.id}/messages`, text('before you came'))).body;
    await new Promise((r) => setTimeout(r, 5));
    const late = await makeUser(s);
    const cl = client(s.url, late.token);
    assert.equal((await co.post(`/v1/groups/${g.id}/members`, { userIds: [late.id] })).status, 200);
    await new Promise((r) => setTimeout(r, 5));
    const reply = (await co.post(`/v1/groups/${g.id}/messages`, text('remember this?', { replyTo: old.id }))).body;
    assert.equal(reply.replyTo.excerpt, 'before you came');
    const seen = (await cl.get(`/v1/groups/${g.id}/messages`)).body.items.find((m: any) => m.id === reply.id);
    assert.deepEqual(seen.replyTo, { id: old.id, senderId: null, type: 'text', excerpt: '', hidden: true });
    const r = await cl.post(`/v1/groups/${g.id}/messages`, text('what?', { replyTo: old.id }));
    assert.equal(r.status, 400, r.text);
  });

  test('the live push of a reply, and of its edit, hides the quote from newcomers who may not read it, and shows it to older members', async () => {
    const owner = await makeUser(s);
    const elder = await makeUser(s);
    const co = client(s.url, owner.token);
    const g = (await co.post('/v1/groups', { name: 'hidden past, live', memberIds: [elder.id], settings: { historyVisible: false } })).body.group;
    const old = (await co.post(`/v1/groups/${g.id}/messages`, text('the plan nobody new may see'))).body;
    await new Promise((r) => setTimeout(r, 5));
    // One newcomer connects after joining (its session learns the join time at hello), one is connected when added.
    const [joinedFirst, connectedFirst] = [await makeUser(s), await makeUser(s)];
    assert.equal((await co.post(`/v1/groups/${g.id}/members`, { userIds: [joinedFirst.id] })).status, 200);
    const elderPhone = await online(s.url, elder.token);
    const firstPhone = await online(s.url, joinedFirst.token);
    const secondPhone = await online(s.url, connectedFirst.token);
    try {
      assert.equal((await co.post(`/v1/groups/${g.id}/members`, { userIds: [connectedFirst.id] })).status, 200);
      // The join notice reaches the connected newcomer once its session has subscribed the group.
      const joined = async (phone: typeof secondPhone) => {
        for (let f = await phone.next('message'); ; f = await phone.next('message')) if (f.message.type === 'notice' && f.message.body?.data?.userIds?.includes(connectedFirst.id)) return;
      };
      await joined(secondPhone);
      await new Promise((r) => setTimeout(r, 5));
      const fresh = (await co.post(`/v1/groups/${g.id}/messages`, text('said after everyone joined'))).body;
      const toOld = (await co.post(`/v1/groups/${g.id}/messages`, text('remember the plan?', { replyTo: old.id }))).body;
      const toFresh = (await co.post(`/v1/groups/${g.id}/messages`, text('and this one', { replyTo: fresh.id }))).body;
      const pushed = async (phone: typeof secondPhone) => {
        const got = new Map<number, any>();
        while (!got.has(toFresh.id)) {
          const f = await phone.next('message');
          got.set(f.message.id, f.message);
        }
        return got;
      };
      const shown = { id: old.id, senderId: owner.id, type: 'text', excerpt: 'the plan nobody new may see' };
      const hidden = { id: old.id, senderId: null, type: 'text', excerpt: '', hidden: true };
      const freshQuote = { id: fresh.id, senderId: owner.id, type: 'text', excerpt: 'said after everyone joined' };
      const seenByElder = await pushed(elderPhone);
      assert.deepEqual(seenByElder.get(toOld.id).replyTo, shown);
      assert.deepEqual(seenByElder.get(toFresh.id).replyTo, freshQuote);
      for (const phone of [firstPhone, secondPhone]) {
        const seen = await pushed(phone);
        assert.deepEqual(seen.get(toOld.id).replyTo, hidden);
        assert.ok(!JSON.stringify([...seen.values()]).includes('the plan nobody'), 'the quoted text never reaches a newcomer');
        // A quote of a message they may read is shown as usual.
        assert.deepEqual(seen.get(toFresh.id).replyTo, freshQuote);
      }
      // History agrees with the push.
      const history = (await client(s.url, connectedFirst.token).get(`/v1/groups/${g.id}/messages`)).body.items;
      assert.deepEqual(history.find((m: any) => m.id === toOld.id).replyTo, hidden);

      // The live edit of that reply follows the same rule.
      assert.equal((await co.patch(`/v1/messages/${toOld.id}`, { text: 'remember the plan? (edited)' })).status, 200);
      const edited = async (phone: typeof secondPhone) => {
        for (let f = await phone.next('event'); ; f = await phone.next('event')) if (f.event.type === 'message.edited' && f.event.message.id === toOld.id) return f.event.message;
      };
      assert.deepEqual((await edited(elderPhone)).replyTo, shown);
      for (const phone of [firstPhone, secondPhone]) {
        const m = await edited(phone);
        assert.equal(m.body.text, 'remember the plan? (edited)');
        assert.deepEqual(m.replyTo, hidden);
      }
      for (const phone of [elderPhone, firstPhone, secondPhone]) assert.ok(!phone.frames.some((f) => f.type === 'event' && 'quotedAt' in f.event), 'the routing field stays on the server');
    } finally {
      await Promise.all([elderPhone.close(), firstPhone.close(), secondPhone.close()]);
    }
  });
});
