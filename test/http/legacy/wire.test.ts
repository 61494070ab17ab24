// The legacy answer as bytes on the wire (legacy-group-api.md): the echoed
// session headers spelt as the document spells them, record fields in the
// document's order, and failure reasons that name the right person.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { makeUser } from '../../support/fixtures.ts';
import { client } from '../../support/http.ts';
import { legacy } from '../../support/legacy.ts';
import { lanying } from '../../support/lanying.ts';
import { rawRequest } from '../../support/raw-http.ts';

const DOCUMENT_ORDER = ['fromId', 'msg_id', 'chat_type', 'msg', 'type', 'length', 'url', 'filename', 'secret', 'lat', 'lng', 'addr', 'timestamp', 'toId'];

describe('legacy wire format', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());

  const head = (action: string, h: Record<string, string>) => [`POST /chat/${action} HTTP/1.1`, ...Object.entries(h).map(([k, v]) => `${k}: ${v}`), 'Content-Type: application/x-www-form-urlencoded'].join('\r\n');

  test('the four session headers are echoed with the document spelling, on success and failure', async () => {
    const u = await makeUser(s);
    const ok = await rawRequest(s.url, head('group!groupList', { uid: String(u.id), accessToken: u.token, client: 'F9FQXGP8FCM5', expire: '4102444800000' }));
    assert.equal(JSON.parse(ok.body).success, true, ok.body);
    const echoed = (r: typeof ok) => r.headers.filter(([n]) => ['uid', 'accesstoken', 'client', 'expire'].includes(n.toLowerCase()));
    assert.deepEqual(echoed(ok), [['uid', String(u.id)], ['accessToken', u.token], ['client', 'F9FQXGP8FCM5'], ['expire', '4102444800000']]);
    // The document's own example sends an empty accessToken; a blank client arrives empty (HTTP strips blanks around a value). Both are echoed.
    const empty = await rawRequest(s.url, head('group!groupList', { uid: String(u.id), accessToken: '', client: '   ', expire: '1411527886457' }));
    assert.equal(JSON.parse(empty.body).success, false, empty.body);
    assert.deepEqual(echoed(empty), [['uid', String(u.id)], ['accessToken', ''], ['client', ''], ['expire', '1411527886457']]);
  });

  test('loadChatRecords: record fields in the document order, in the raw response text', async () => {
    const owner = await makeUser(s);
    const g = (await lanying(s.url, { appId: s.appId, token: owner.token }).post('/group/create', { name: 'records' })).body.data.group_id as number;
    const native = client(s.url, owner.token);
    const t0 = s.clock!.now();
    await native.post(`/v1/groups/${g}/messages`, { type: 'text', body: { text: 'hhhhhh' } });
    await native.post(`/v1/groups/${g}/messages`, { type: 'image', body: { url: 'https://f/22.png', name: '22.png', secret: 'sek' } });
    await native.post(`/v1/groups/${g}/messages`, { type: 'location', body: { lat: 39.983805, lng: 116.307417, address: '北京' } });
    await native.post(`/v1/groups/${g}/messages`, { type: 'audio', body: { url: 'https://f/a.amr', duration: 3 } });
    const r = await rawRequest(s.url, head('chat!loadChatRecords', { uid: String(owner.id), accessToken: owner.token, client: 'c', expire: '4102444800000' }), `groupId=${g}&lastTime=${t0 - 1}`);
    // Each record's keys, in the order they appear in the text.
    const texts = [...r.body.matchAll(/\{"fromId"[^{}]*\}/g)].map((m) => m[0]);
    const keysOf = (t: string) => [...t.matchAll(/"([a-z_A-Z]+)":/g)].map((k) => k[1]);
    const records = texts.map(keysOf);
    // The owner's four (the group's own notices come from the system, fromId "").
    const sent = texts.filter((t) => !t.startsWith('{"fromId":""')).map(keysOf);
    assert.equal(sent.length, 4, r.body);
    assert.deepEqual(sent[0], ['fromId', 'msg_id', 'chat_type', 'msg', 'type', 'timestamp', 'toId']);
    for (const keys of records) assert.deepEqual(keys, DOCUMENT_ORDER.filter((k) => keys.includes(k)), r.body);
    assert.deepEqual(sent[1], ['fromId', 'msg_id', 'chat_type', 'msg', 'type', 'url', 'filename', 'secret', 'timestamp', 'toId']);
    assert.deepEqual(sent[3], ['fromId', 'msg_id', 'chat_type', 'msg', 'type', 'length', 'url', 'filename', 'secret', 'timestamp', 'toId']);
    assert.deepEqual(sent[2], ['fromId', 'msg_id', 'chat_type', 'msg', 'type', 'lat', 'lng', 'addr', 'timestamp', 'toId']);
  });

  test('deleteUser of someone who is not a member says so, not that the caller is not one', async () => {
    const owner = await makeUser(s);
    const outsider = await makeUser(s);
    const g = (await lanying(s.url, { appId: s.appId, token: owner.token }).post('/group/create', { name: 'kick' })).body.data.group_id as number;
    const r = await legacy(s.url, { uid: owner.id, accessToken: owner.token }).form('group!deleteUser', { groupId: String(g), groupUserId: String(outsider.id) });
    assert.deepEqual(r.body, { success: false, info: '该用户不是群成员', code: 'not_group_member' });
    // A caller outside the group still hears that they are not a member.
    const mine = await legacy(s.url, { uid: outsider.id, accessToken: outsider.token }).form('group!deleteUser', { groupId: String(g), groupUserId: String(owner.id) });
    assert.deepEqual(mine.body, { success: false, info: '您不是该群成员', code: 'not_group_member' });
  });
});
