// Group traffic over the WebSocket: a session follows the groups its user is
// in (at hello, and as memberships change while connected), and group
// messages reach every online device of every member, once, in order.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client } from '../support/http.ts';
import { makeUser } from '../support/fixtures.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectWs, online, type WsClient } from '../support/ws.ts';

const text = (t: string) => ({ type: 'text', body: { text: t } });

// Group changes are also recorded as notices in the group's conversation
// (messages of type `notice`, committed a moment after the change), so the
// tests look at text messages for content and at every message for order.
const texts = (frames: any[]) => frames.filter((f) => f.type === 'message' && f.message.type === 'text');

/** Every message frame `c` got so far follows the previous one by exactly one seq. */
function assertContiguous(c: WsClient): void {
  const seqs = c.frames.filter((f) => f.type === 'message').map((f) => f.seq);
  for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, `seqs ${seqs.join(',')}`);
}

/** Waits until `c` has received `n` text messages; returns them. */
async function messages(c: WsClient, n: number): Promise<any[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const got = texts(c.frames);
    if (got.length >= n || Date.now() > deadline) return got;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The next text message frame (notices skipped). */
async function nextText(c: WsClient): Promise<any> {
  for (;;) {
    const f = await c.next('message');
    if (f.message.type === 'text') return f;
  }
}

/** A ping answered proves every frame queued before it was read: returns the message frames among them. */
async function drain(c: WsClient): Promise<any[]> {
  const start = c.frames.length;
  c.send({ type: 'ping', data: 'drain' });
  for (let f = await c.next(); !(f.type === 'pong' && f.data === 'drain'); f = await c.next());
  return texts(c.frames.slice(start));
}

describe('groups over the WebSocket', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  async function groupOf(owner: { token: string }, members: { id: number }[]): Promise<number> {
    const r = await client(server.url, owner.token).post('/v1/groups', { name: 'crew', memberIds: members.map((m) => m.id) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.group.id;
  }

  test('a group message reaches every online device of every member, and nobody else', async () => {
    const [owner, ann, ben, outsider] = await Promise.all([makeUser(server), makeUser(server), makeUser(server), makeUser(server)]);
    const groupId = await groupOf(owner, [ann, ben]);
    const { token: ann2 } = await server.core.tokens.issue({ appId: server.appId, kind: 'user', userId: ann.id });
    const sockets = await Promise.all([owner.token, ann.token, ann2, ben.token].map((t) => online(server.url, t)));
    const out = await online(server.url, outsider.token);
    const [o] = sockets;
    for (let i = 1; i <= 5; i++) o.send({ type: 'send', ref: `r${i}`, message: { groupId, ...text(`hi ${i}`) } });
    const acks = [];
    for (let i = 1; i <= 5; i++) acks.push((await o.next('ack')).message.seq);
    for (const c of sockets) {
      const got = await messages(c, 5);
      assert.deepEqual(got.map((f) => [f.conversation, f.seq, f.message.body.text]), acks.map((seq, i) => [`g:${groupId}`, seq, `hi ${i + 1}`]));
      assertContiguous(c);
    }
    assert.deepEqual(await drain(out), []);
    out.send({ type: 'send', ref: 'no', message: { groupId, ...text('let me in') } });
    const e = await out.next('error');
    assert.deepEqual([e.ref, e.code], ['no', 'not_group_member']);
    await Promise.all([...sockets, out].map((c) => c.close()));
  });

  test('joining while connected: the session follows the group from the join on', async () => {
    const [owner, newcomer] = await Promise.all([makeUser(server), makeUser(server)]);
    const groupId = await groupOf(owner, []);
    const talk = client(server.url, owner.token);
    await talk.post(`/v1/groups/${groupId}/messages`, text('before you came'));
    const n = await online(server.url, newcomer.token);
    const added = await talk.post(`/v1/groups/${groupId}/members`, { userIds: [newcomer.id] });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    // Sent at once after the join: before or after the newcomer's node subscribed, it arrives.
    await talk.post(`/v1/groups/${groupId}/messages`, text('welcome'));
    const joined = await n.next('event');
    assert.equal(joined.event.type, 'group.members_joined');
    assert.deepEqual(joined.event.userIds, [newcomer.id]);
    assert.equal((await nextText(n)).message.body.text, 'welcome');
    await talk.post(`/v1/groups/${groupId}/messages`, text('and more'));
    assert.equal((await nextText(n)).message.body.text, 'and more');
    assert.deepEqual(await drain(n), []);
    assertContiguous(n);
    await n.close();
  });

  test('a kicked member’s sessions hear the kick, then nothing more from the group', async () => {
    const [owner, kicked] = await Promise.all([makeUser(server), makeUser(server)]);
    const groupId = await groupOf(owner, [kicked]);
    const k = await online(server.url, kicked.token);
    const talk = client(server.url, owner.token);
    await talk.post(`/v1/groups/${groupId}/messages`, text('still here?'));
    assert.equal((await nextText(k)).message.body.text, 'still here?');
    const r = await talk.post(`/v1/groups/${groupId}/members/remove`, { userIds: [kicked.id] });
    assert.equal(r.status, 200);
    const ev = await k.next('event');
    assert.deepEqual([ev.event.type, ev.event.userIds], ['group.members_removed', [kicked.id]]);
    await talk.post(`/v1/groups/${groupId}/messages`, text('gone'));
    // The owner's own session proves the message went out before we look.
    const o = await online(server.url, owner.token);
    await talk.post(`/v1/groups/${groupId}/messages`, text('really gone'));
    assert.equal((await nextText(o)).message.body.text, 'really gone');
    assert.deepEqual(await drain(k), []);
    await Promise.all([k.close(), o.close()]);
  });

  test('a group created while connected is followed by its owner’s sessions; dismissing it drops the topic', async () => {
    const [owner, member] = await Promise.all([makeUser(server), makeUser(server)]);
    const o = await online(server.url, owner.token);
    const m = await online(server.url, member.token);
    const topicsBefore = server.gateway.snapshot().topics;
    const groupId = await groupOf(owner, [member]);
    assert.equal((await o.next('event')).event.type, 'group.created');
    await client(server.url, member.token).post(`/v1/groups/${groupId}/messages`, text('first'));
    for (const c of [o, m]) assert.equal((await nextText(c)).message.body.text, 'first');
    assert.equal(server.gateway.snapshot().topics, topicsBefore + 1);
    const r = await client(server.url, owner.token).delete(`/v1/groups/${groupId}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    for (const c of [o, m]) {
      let f = await c.next('event');
      while (f.event.type !== 'group.dismissed') f = await c.next('event');
    }
    const deadline = Date.now() + 2000;
    while (server.gateway.snapshot().topics !== topicsBefore && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
    assert.equal(server.gateway.snapshot().topics, topicsBefore);
    await Promise.all([o.close(), m.close()]);
  });

  test('hello resumes a group conversation from its position', async () => {
    const [owner, reader] = await Promise.all([makeUser(server), makeUser(server)]);
    const groupId = await groupOf(owner, [reader]);
    const talk = client(server.url, owner.token);
    const seqs: number[] = [];
    for (let i = 1; i <= 4; i++) seqs.push((await talk.post(`/v1/groups/${groupId}/messages`, text(`g${i}`))).body.seq);
    const r = await connectWs(server.url, reader.token);
    await r.next('welcome');
    r.send({ type: 'hello', positions: { [`g:${groupId}`]: seqs[0] } });
    const replay = [];
    for (let f = await r.next(); f.type !== 'ready'; f = await r.next()) replay.push(f);
    assert.deepEqual(replay.map((f) => [f.seq, f.message.body.text]), [2, 3, 4].map((i) => [seqs[i - 1], `g${i}`]));
    await talk.post(`/v1/groups/${groupId}/messages`, text('g5'));
    assert.equal((await nextText(r)).message.body.text, 'g5');
    assertContiguous(r);
    await r.close();
  });
});
