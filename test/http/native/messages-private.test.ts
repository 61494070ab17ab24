import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { client } from '../../support/http.ts';
import { makeUser } from '../../support/fixtures.ts';

describe('native private messages', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());

  test('a user sends a private message; both see it in history; the event carries audience and message', async () => {
    const alice = await makeUser(s);
    const bob = await makeUser(s);
    const events: any[] = [];
    const off = s.core.events.on((e) => events.push(e));
    const r = await client(s.url, alice.token).post(`/v1/users/${bob.id}/messages`, { type: 'text', body: { text: 'hello bob', mentions: [bob.id] } });
    off();
    assert.equal(r.status, 201);
    assert.equal(r.body.seq, 1);
    assert.equal(r.body.kind, 'private');
    assert.equal(r.body.senderId, alice.id);
    assert.equal(r.body.recipientId, bob.id);
    assert.deepEqual(r.body.body, { text: 'hello bob', mentions: [bob.id] });
    const sent = events.find((e) => e.type === 'message.sent');
    assert.deepEqual([...sent.audience.users].sort(), [alice.id, bob.id].sort());
    assert.equal(sent.message.id, r.body.id);

    const hb = await client(s.url, bob.token).get(`/v1/users/${alice.id}/messages`);
    assert.equal(hb.status, 200);
    assert.equal(hb.body.items.length, 1);
    assert.equal(hb.body.items[0].id, r.body.id);
    const got = await client(s.url, bob.token).get(`/v1/messages/${r.body.id}`);
    assert.equal(got.body.body.text, 'hello bob');
    // a third user may not read it
    const eve = await makeUser(s);
    assert.equal((await client(s.url, eve.token).get(`/v1/messages/${r.body.id}`)).status, 404);
  });

  test('a resend with the same clientId returns the original and stores nothing new', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const ca = client(s.url, a.token);
    const first = await ca.post(`/v1/users/${b.id}/messages`, { type: 'text', body: { text: 'once' }, clientId: 'c-1' });
    assert.equal(first.status, 201);
    const again = await ca.post(`/v1/users/${b.id}/messages`, { type: 'text', body: { text: 'once' }, clientId: 'c-1' });
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    assert.equal(again.body.seq, first.body.seq);
    // concurrent resends of one new client id: one message
    const burst = await Promise.all(Array.from({ length: 20 }, () => ca.post(`/v1/users/${b.id}/messages`, { type: 'text', body: { text: 'burst' }, clientId: 'c-2' })));
    assert.equal(new Set(burst.map((x) => x.body.id)).size, 1);
    assert.equal(burst.filter((x) => x.status === 201).length, 1);
    // the same clientId from the other user is a different message
    const other = await client(s.url, b.token).post(`/v1/users/${a.id}/messages`, { type: 'text', body: { text: 'mine' }, clientId: 'c-1' });
    assert.equal(other.status, 201);
    const h = await ca.get(`/v1/users/${b.id}/messages`, { query: { order: 'asc' } });
    assert.deepEqual(h.body.items.map((m: any) => m.seq), [1, 2, 3]);
    assert.equal(h.body.lastSeq, 3);
  });

  test('200 parallel sends get seqs 1..200 exactly', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const ca = client(s.url, a.token);
    const cb = client(s.url, b.token);
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? ca.post(`/v1/users/${b.id}/messages`, { type: 'text', body: { text: `m${i}` } }) : cb.post(`/v1/users/${a.id}/messages`, { type: 'text', body: { text: `m${i}` } }))),
    );
    assert.ok(replies.every((r) => r.status === 201));
    const seqs = replies.map((r) => r.body.seq).sort((x, y) => x - y);
    assert.deepEqual(seqs, Array.from({ length: 200 }, (_, i) => i + 1));
    assert.equal(new Set(replies.map((r) => r.body.id)).size, 200);
    const all: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await ca.get(`/v1/users/${b.id}/messages`, { query: { order: 'asc', limit: 200, ...(cursor ? { cursor } : {}) } });
      all.push(...page.body.items.map((m: any) => m.seq));
      cursor = page.body.next;
    } while (cursor);
    assert.deepEqual(all, Array.from({ length: 200 }, (_, i) => i + 1));
  });

  test('history pages in both directions with cursors and message-id anchors', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const ca = client(s.url, a.token);
    const ids: number[] = [];
    for (let i = 1; i <= 12; i++) ids.push((await ca.post(`/v1/users/${b.id}/messages`, { type: 'text', body: { text: `n${i}` } })).body.id);
    const path = `/v1/users/${b.id}/messages`;

    // newest first, 5 per page
    const seen: number[] = [];
    let page = await ca.get(path, { query: { limit: 5 } });
    seen.push(...page.body.items.map((m: any) => m.seq));
    assert.equal(page.body.more, true);
    while (page.body.next) {
      page = await ca.get(path, { query: { limit: 5, cursor: page.body.next } });
      seen.push(...page.body.items.map((m: any) => m.seq));
    }
    assert.deepEqual(seen, [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assert.equal(page.body.more, false);

    // oldest first after seq 3
    const asc = await ca.get(path, { query: { after: 3, limit: 4 } });
    assert.deepEqual(asc.body.items.map((m: any) => m.seq), [4, 5, 6, 7]);
    const asc2 = await ca.get(path, { query: { cursor: asc.body.next, limit: 4 } });
    assert.deepEqual(asc2.body.items.map((m: any) => m.seq), [8, 9, 10, 11]);

    // a window, both bounds, ascending
    const win = await ca.get(path, { query: { after: 2, before: 6, order: 'asc' } });
    assert.deepEqual(win.body.items.map((m: any) => m.seq), [3, 4, 5]);

    // message ids work as anchors
    const byId = await ca.get(path, { query: { beforeId: ids[5], limit: 2 } });
    assert.deepEqual(byId.body.items.map((m: any) => m.seq), [5, 4]);
    const afterId = await ca.get(path, { query: { afterId: ids[9] } });
    assert.deepEqual(afterId.body.items.map((m: any) => m.seq), [11, 12]);

    // an id that names no message here bounds by id value (ids grow with time)
    const c = await makeUser(s);
    const foreign = (await ca.post(`/v1/users/${c.id}/messages`, { type: 'text', body: { text: 'x' } })).body.id;
    const below = await ca.get(path, { query: { beforeId: foreign, limit: 3 } });
    assert.deepEqual(below.body.items.map((m: any) => m.seq), [12, 11, 10]);
    const belowNext = await ca.get(path, { query: { cursor: below.body.next, limit: 3 } });
    assert.deepEqual(belowNext.body.items.map((m: any) => m.seq), [9, 8, 7]);
    assert.deepEqual((await ca.get(path, { query: { afterId: foreign } })).body.items, []);
    assert.deepEqual((await ca.get(path, { query: { afterId: ids[9] - 1, before: 12 } })).body.items.map((m: any) => m.seq), [11, 10]);
  });

  test('history after a time (legacy lastTime)', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const ca = client(s.url, a.token);
    const times: number[] = [];
    for (let i = 1; i <= 4; i++) {
      s.clock!.advance(1000);
      times.push((await ca.post(`/v1/users/${b.id}/messages`, { type: 'text', body: { text: `t${i}` } })).body.createdAt);
    }
    const r = await ca.get(`/v1/users/${b.id}/messages`, { query: { afterTime: times[1], order: 'asc' } });
    assert.deepEqual(r.body.items.map((m: any) => m.body.text), ['t3', 't4']);
  });

  test('sync returns every change across conversations in pages, including revokes', async () => {
    const me = await makeUser(s);
    const p1 = await makeUser(s);
    const p2 = await makeUser(s);
    const cm = client(s.url, me.token);
    const start = (await cm.get('/v1/sync')).body.position;
    assert.equal(start, 0);
    const m1 = await cm.post(`/v1/users/${p1.id}/messages`, { type: 'text', body: { text: 'to p1' } });
    await client(s.url, p2.token).post(`/v1/users/${me.id}/messages`, { type: 'image', body: { url: 'https://x/i.png', width: 10, height: 20 } });
    await cm.post(`/v1/users/${p2.id}/messages`, { type: 'location', body: { lat: 59.9, lng: 10.7, address: 'Oslo' } });
    // someone else's chat does not show up
    await client(s.url, p1.token).post(`/v1/users/${p2.id}/messages`, { type: 'text', body: { text: 'not yours' } });

    const page1 = await cm.get('/v1/sync', { query: { since: 0, limit: 2 } });
    assert.equal(page1.status, 200);
    assert.equal(page1.body.items.length, 2);
    assert.equal(page1.body.more, true);
    const page2 = await cm.get('/v1/sync', { query: { since: page1.body.position, limit: 2 } });
    assert.equal(page2.body.items.length, 1);
    assert.equal(page2.body.more, false);
    const all = [...page1.body.items, ...page2.body.items];
    assert.deepEqual(all.map((m: any) => m.type), ['text', 'image', 'location']);
    assert.ok(all.every((m: any) => m.senderId === me.id || m.recipientId === me.id));

    const empty = await cm.get('/v1/sync', { query: { since: page2.body.position } });
    assert.deepEqual(empty.body.items, []);
    assert.equal(empty.body.position, page2.body.position);

    await cm.post(`/v1/messages/${m1.body.id}/revoke`);
    const afterRevoke = await cm.get('/v1/sync', { query: { since: page2.body.position } });
    assert.equal(afterRevoke.body.items.length, 1);
    assert.equal(afterRevoke.body.items[0].id, m1.body.id);
    assert.equal(afterRevoke.body.items[0].type, 'revoked');
  });

  test('revoke: the sender within the window; then revoke_window_passed; never by the recipient', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const ca = client(s.url, a.token);
    const cb = client(s.url, b.token);
    const m = await ca.post(`/v1/users/${b.id}/messages`, { type: 'text', body: { text: 'oops' } });
    const byPeer = await cb.post(`/v1/messages/${m.body.id}/revoke`);
    assert.equal(byPeer.status, 403);
    const events: any[] = [];
    const off = s.core.events.on((e) => events.push(e));
    s.clock!.advance(119_000);
    const r = await ca.post(`/v1/messages/${m.body.id}/revoke`);
    off();
    assert.equal(r.status, 200);
    assert.equal(r.body.type, 'revoked');
    assert.equal(r.body.revokedBy, a.id);
    assert.deepEqual(r.body.body, { originalType: 'text', by: a.id });
    const ev = events.find((e) => e.type === 'message.revoked');
    assert.deepEqual([...ev.audience.users].sort(), [a.id, b.id].sort());
    const h = await cb.get(`/v1/users/${a.id}/messages`);
    assert.equal(h.body.items[0].type, 'revoked');
    assert.equal(h.body.items[0].body.text, undefined);
    assert.equal((await ca.post(`/v1/messages/${m.body.id}/revoke`)).status, 409);

    const late = await ca.post(`/v1/users/${b.id}/messages`, { type: 'text', body: { text: 'too late' } });
    s.clock!.advance(120_001);
    const refused = await ca.post(`/v1/messages/${late.body.id}/revoke`);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'revoke_window_passed');
    assert.equal((await cb.get(`/v1/messages/${late.body.id}`)).body.type, 'text');
  });

  test('focus: only the recipient; counted once; listed', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const m = await client(s.url, a.token).post(`/v1/users/${b.id}/messages`, { type: 'text', body: { text: 'important' } });
    const bySender = await client(s.url, a.token).post(`/v1/messages/${m.body.id}/focus`);
    assert.equal(bySender.status, 403);
    const events: any[] = [];
    const off = s.core.events.on((e) => events.push(e));
    const f = await client(s.url, b.token).post(`/v1/messages/${m.body.id}/focus`);
    const again = await client(s.url, b.token).post(`/v1/messages/${m.body.id}/focus`);
    off();
    assert.deepEqual(f.body, { messageId: m.body.id, count: 1, added: true });
    assert.deepEqual(again.body, { messageId: m.body.id, count: 1, added: false });
    assert.equal(events.filter((e) => e.type === 'message.focused').length, 1);
    const list = await client(s.url, a.token).get(`/v1/messages/${m.body.id}/focus`);
    assert.deepEqual(list.body.items.map((x: any) => x.userId), [b.id]);
  });

  test('read positions move forward only and drive unread counts and private receipts', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const ca = client(s.url, a.token);
    const cb = client(s.url, b.token);
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push((await ca.post(`/v1/users/${b.id}/messages`, { type: 'text', body: { text: `r${i}` } })).body);
    assert.deepEqual((await cb.get(`/v1/users/${a.id}/read`)).body, { conversationId: sent[0].conversationId, readSeq: 0, lastSeq: 3, unread: 3, mentions: 0 });
    const conv = await cb.get('/v1/conversations');
    const item = conv.body.items.find((c: any) => c.peerId === a.id);
    assert.equal(item.unread, 3);
    assert.equal(item.lastMessage.id, sent[2].id);

    assert.equal((await cb.put(`/v1/users/${a.id}/read`, { seq: 2 })).body.readSeq, 2);
    assert.equal((await cb.put(`/v1/users/${a.id}/read`, { seq: 1 })).body.readSeq, 2);
    assert.equal((await cb.get(`/v1/users/${a.id}/read`)).body.unread, 1);
    assert.equal((await cb.put(`/v1/users/${a.id}/read`, { seq: 9 })).status, 400);
    assert.deepEqual((await ca.get(`/v1/messages/${sent[1].id}/reads`)).body, { messageId: sent[1].id, readCount: 1, read: true });
    assert.deepEqual((await ca.get(`/v1/messages/${sent[2].id}/reads`)).body, { messageId: sent[2].id, readCount: 0, read: false });
  });

  test('bad input gets a 4xx and stores nothing', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const ca = client(s.url, a.token);
    const to = `/v1/users/${b.id}/messages`;
    const cases: [string, () => Promise<{ status: number; body: any }>, number, RegExp][] = [
      ['no type', () => ca.post(to, { body: { text: 'x' } }), 400, /type/],
      ['type not a string', () => ca.post(to, { type: 5, body: { text: 'x' } }), 400, /type/],
      ['unknown type', () => ca.post(to, { type: 'hologram', body: {} }), 400, /unknown message type/],
      ['text not a string', () => ca.post(to, { type: 'text', body: { text: 42 } }), 400, /body.text/],
      ['empty text', () => ca.post(to, { type: 'text', body: { text: '  ' } }), 400, /body.text/],
      ['oversize text', () => ca.post(to, { type: 'text', body: { text: 'x'.repeat(5001) } }), 400, /longer than 5000/],
      ['oversize custom', () => ca.post(to, { type: 'custom', body: { blob: 'x'.repeat(20_000) } }), 413, /limit/],
      ['unknown body field', () => ca.post(to, { type: 'text', body: { text: 'x', colour: 'red' } }), 400, /colour/],
      ['image without url', () => ca.post(to, { type: 'image', body: { width: 3 } }), 400, /body.url/],
      ['latitude out of range', () => ca.post(to, { type: 'location', body: { lat: 91, lng: 0 } }), 400, /body.lat/],
      ['notice from a client', () => ca.post(to, { type: 'notice', body: { text: 'x' } }), 400, /notice/],
      ['revoked marker', () => ca.post(to, { type: 'revoked', body: {} }), 400, /revoked/],
      ['body not an object', () => ca.post(to, { type: 'text', body: 'hi' }), 400, /body/],
      ['extra top-level field', () => ca.post(to, { type: 'text', body: { text: 'x' }, senderId: 1 }), 400, /additional/],
      ['bad clientId', () => ca.post(to, { type: 'text', body: { text: 'x' }, clientId: 'has space' }), 400, /clientId/],
      ['unknown recipient', () => ca.post('/v1/users/999999/messages', { type: 'text', body: { text: 'x' } }), 404, /999999/],
      ['to oneself', () => ca.post(`/v1/users/${a.id}/messages`, { type: 'text', body: { text: 'x' } }), 400, /two different users/],
      ['unknown group', () => ca.post('/v1/groups/424242/messages', { type: 'text', body: { text: 'x' } }), 404, /group/],
      ['non-numeric id', () => ca.post('/v1/users/abc/messages', { type: 'text', body: { text: 'x' } }), 400, /id/],
      ['no token', () => client(s.url).post(to, { type: 'text', body: { text: 'x' } }), 401, /token/],
      ['admin token', () => client(s.url, s.adminToken).post(to, { type: 'text', body: { text: 'x' } }), 403, /user token/],
      ['unknown message', () => ca.post('/v1/messages/999999/revoke'), 404, /999999/],
      ['bad cursor', () => ca.get(to, { query: { cursor: '!!' } }), 400, /cursor/],
      ['limit too large', () => ca.get(to, { query: { limit: 1000 } }), 400, /limit/],
      ['both before and beforeId', () => ca.get(to, { query: { before: 3, beforeId: 5 } }), 400, /before/],
      ['negative seq', () => ca.put(`/v1/users/${b.id}/read`, { seq: -1 }), 400, /seq/],
      ['seq as string', () => ca.put(`/v1/users/${b.id}/read`, { seq: '1' }), 400, /seq/],
      ['sync since negative', () => ca.get('/v1/sync', { query: { since: -5 } }), 400, /since/],
    ];
    for (const [name, run, status, message] of cases) {
      const r = await run();
      assert.equal(r.status, status, `${name}: ${JSON.stringify(r.body)}`);
      assert.match(r.body.error.message, message, name);
    }
    const h = await ca.get(to);
    assert.deepEqual(h.body.items, [], 'nothing was stored');
    assert.deepEqual((await ca.get('/v1/sync')).body.items, []);
  });

  test('every message type and dialect types round-trip unchanged', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const ca = client(s.url, a.token);
    const samples = [
      { type: 'text', body: { text: 'see docs', anchors: [{ href: 'https://x', start: 4, len: 4, style: 2, tags: { 'doctor-app': { href: 'app://x', show: true } } }], mentionAll: true } },
      { type: 'image', body: { url: 'https://x/i.png', width: 640, height: 480, size: 1234, preview: 'https://x/p.png', secret: 's' } },
      { type: 'audio', body: { url: 'https://x/a.amr', duration: 3, size: 99 } },
      { type: 'video', body: { url: 'https://x/v.mp4', duration: 12.5, cover: 'https://x/c.jpg', width: 1, height: 1, size: 1 } },
      { type: 'file', body: { url: 'https://x/f.pdf', name: 'f.pdf', size: 10, md5: 'abc' } },
      { type: 'location', body: { lat: 39.983805, lng: 116.307417, address: '北京市海淀区北四环西路66号' } },
      { type: 'card', body: { title: 't', summary: 's', url: 'https://x', extra: { bank: 'b', account: '1' } } },
      { type: 'contact', body: { userId: b.id, name: 'Bob' } },
      { type: 'custom', body: { content: '{"a":1}', type: 7 } },
      { type: 'x-dtalk-transfer', body: { txHash: '0xabc', coinName: 'BTY', chain: 'c', coinType: 0 }, ext: { reference: { topic: 1, ref: 2 } } },
    ];
    for (const m of samples) {
      const r = await ca.post(`/v1/users/${b.id}/messages`, m);
      assert.equal(r.status, 201, `${m.type}: ${JSON.stringify(r.body)}`);
      const got = await client(s.url, b.token).get(`/v1/messages/${r.body.id}`);
      assert.equal(got.body.type, m.type);
      assert.deepEqual(got.body.body, m.body);
      assert.deepEqual(got.body.ext, (m as { ext?: unknown }).ext ?? null);
    }
  });

  test('every message route is in the OpenAPI document', async () => {
    const doc = (await client(s.url).get('/openapi.json')).body;
    for (const [path, method] of [
      ['/v1/groups/{groupId}/messages', 'post'], ['/v1/groups/{groupId}/messages', 'get'], ['/v1/users/{id}/messages', 'post'], ['/v1/users/{id}/messages', 'get'],
      ['/v1/messages/{id}', 'get'], ['/v1/messages/{id}/revoke', 'post'], ['/v1/messages/{id}/focus', 'post'], ['/v1/messages/{id}/focus', 'get'],
      ['/v1/messages/{id}/reads', 'get'], ['/v1/sync', 'get'], ['/v1/conversations', 'get'], ['/v1/groups/{groupId}/read', 'put'], ['/v1/users/{id}/read', 'put'],
      ['/v1/groups/{groupId}/unread', 'post'], ['/v1/users/{id}/unread', 'post'],
    ]) {
      assert.ok(doc.paths[path]?.[method], `${method} ${path}`);
    }
    assert.ok(doc.components.schemas.Message ?? Object.values(doc.components.schemas).some((x: any) => x.title === 'Message' || x.properties?.seq));
  });

  test('a finished call leaves a call record in the conversation; clients cannot send one', async () => {
    const a = await makeUser(s);
    const b = await makeUser(s);
    const ca = client(s.url, a.token);
    const call = await ca.post('/v1/calls', { invitees: [b.id], media: 'video' });
    assert.equal(call.status, 201, JSON.stringify(call.body));
    assert.equal((await ca.post(`/v1/calls/${call.body.id}/hangup`)).status, 200);
    const h = await client(s.url, b.token).get(`/v1/users/${a.id}/messages`);
    const record = h.body.items.find((m: any) => m.type === 'call');
    assert.ok(record, JSON.stringify(h.body.items));
    assert.equal(record.senderId, a.id);
    assert.equal(record.body.callId, call.body.id);
    assert.equal(record.body.media, 'video');
    assert.equal(record.body.reason, 'cancel');
    const forged = await ca.post(`/v1/users/${b.id}/messages`, { type: 'call', body: { callId: 1 } });
    assert.equal(forged.status, 400);
  });
});
