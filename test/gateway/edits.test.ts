// Edits over the WebSocket: `message.edited` reaches every member's devices
// and the sender's other devices, with who the edit newly mentions; a device
// that was away converges through sync after it reconnects.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { client } from '../support/http.ts';
import { online, type WsClient } from '../support/ws.ts';
import { makeUser } from '../support/fixtures.ts';

const text = (t: string, body: Record<string, unknown> = {}) => ({ type: 'text', body: { text: t, ...body } });

async function nextEvent(c: WsClient, type: string) {
  let f = await c.next('event');
  while (f.event.type !== type) f = await c.next('event');
  return f.event;
}

describe('edits over the WebSocket', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  test('message.edited reaches every member and the sender\'s other device, naming the added mentions', async () => {
    const [owner, m1, m2] = [await makeUser(s), await makeUser(s), await makeUser(s)];
    const co = client(s.url, owner.token);
    const g = (await co.post('/v1/groups', { name: 'edits', memberIds: [m1.id, m2.id] })).body.group;
    const sent = (await co.post(`/v1/groups/${g.id}/messages`, text('hi all', { mentions: [m1.id] }))).body;
    const devices = [await online(s.url, owner.token), await online(s.url, m1.token), await online(s.url, m2.token)];
    try {
      const r = await co.patch(`/v1/messages/${sent.id}`, { text: 'hi all, @m2 too', mentions: [m1.id, m2.id] });
      assert.equal(r.status, 200, r.text);
      for (const d of devices) {
        const e = await nextEvent(d, 'message.edited');
        assert.deepEqual({ id: e.message.id, seq: e.message.seq, text: e.message.body.text, editCount: e.message.editCount, pos: e.message.pos }, { id: sent.id, seq: sent.seq, text: 'hi all, @m2 too', editCount: 1, pos: r.body.pos });
        assert.deepEqual({ operatorId: e.operatorId, mentionsAdded: e.mentionsAdded, mentionAllAdded: e.mentionAllAdded }, { operatorId: owner.id, mentionsAdded: [m2.id], mentionAllAdded: false });
      }
    } finally {
      for (const d of devices) await d.close();
    }
  });

  test('a second device that was away converges after reconnecting: sync shows the edit, then the revoke', async () => {
    const [a, b] = [await makeUser(s), await makeUser(s)];
    const ca = client(s.url, a.token);
    const cb = client(s.url, b.token);
    const sent = (await cb.post(`/v1/users/${a.id}/messages`, text('draft'))).body;
    // The tablet syncs, then goes away.
    const tablet = (await ca.get('/v1/sync?since=0')).body;
    assert.deepEqual(tablet.items.map((m: any) => m.body.text), ['draft']);
    const phone = await online(s.url, a.token);
    try {
      assert.equal((await cb.patch(`/v1/messages/${sent.id}`, { text: 'final' })).status, 200);
      assert.equal((await nextEvent(phone, 'message.edited')).message.body.text, 'final');
    } finally {
      await phone.close();
    }
    const back = (await ca.get(`/v1/sync?since=${tablet.position}`)).body;
    assert.deepEqual(back.items.map((m: any) => [m.id, m.body.text, m.editCount]), [[sent.id, 'final', 1]]);
    // A revoke after the edit reaches it live and through sync.
    const again = await online(s.url, a.token);
    try {
      assert.equal((await cb.post(`/v1/messages/${sent.id}/revoke`)).status, 200);
      assert.equal((await nextEvent(again, 'message.revoked')).message.type, 'revoked');
    } finally {
      await again.close();
    }
    const last = (await ca.get(`/v1/sync?since=${back.position}`)).body;
    assert.deepEqual(last.items.map((m: any) => [m.id, m.type]), [[sent.id, 'revoked']]);
    assert.ok(!JSON.stringify(last).includes('final'));
  });
});
