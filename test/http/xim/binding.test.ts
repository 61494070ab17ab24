// xim query binding, one rule on every route (issue 13 item 5), and History
// anchors as positions in id order (item 4), through real HTTP.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { makeUser } from '../../support/fixtures.ts';
import { client } from '../../support/http.ts';
import { xim } from '../../support/xim.ts';

describe('xim binding and anchors', () => {
  let s: TestServer;
  let call: ReturnType<typeof xim>;
  before(async () => {
    s = await startTestServer({ manualClock: true });
    call = xim(s.url, s.adminToken);
  });
  after(() => s.stop());

  const texts = (list: { text?: { content: string } }[]) => list.filter((m) => m.text).map((m) => m.text!.content);

  test('an explicit + sign binds on every route, as Go ParseInt does', async () => {
    const [a, b, c] = await Promise.all([makeUser(s), makeUser(s), makeUser(s)]);
    const made = await call('CreateOrRelate', { userId: `+${a.id}`, groupName: 'plus', businessType: '+7', businessId: '+70' });
    assert.equal(made.body.code, 0, made.text);
    const g = made.body.data.groupId as number;
    const joined = await call('JoinOrCreate', { groupId: `+${g}`, userId: `+${b.id}` });
    assert.deepEqual([joined.body.code, joined.body.data], [0, { groupId: g }]);
    const info = await call('InfoBatch', { uid: `+${b.id}`, groupId: [`+${g}`, `0${c.id}`] });
    assert.equal(info.body.code, 0, info.text);
    assert.deepEqual(info.body.data.info.map((i: { id: number; number: number; joinStatus: number; owner: number }) => [i.id, i.number, i.joinStatus, i.owner]), [[g, 2, 1, a.id]]);
    await client(s.url, a.token).post(`/v1/groups/${g}/messages`, { type: 'text', body: { text: 'one' } });
    const history = await call('History', { groupId: `+${g}`, limit: '+1' });
    assert.deepEqual([history.body.code, texts(history.body.data.list)], [0, ['one']]);
    assert.deepEqual((await call('Quit', { groupId: `+${g}`, userId: `+${b.id}` })).body.code, 0);
    assert.equal((await call('InfoBatch', { uid: b.id, groupId: g })).body.data.info[0].joinStatus, 0);
  });

  test('blanks, exponents and negative values are 1001 on every route and in every list item', async () => {
    const a = await makeUser(s);
    const g = (await call('CreateOrRelate', { userId: a.id, groupName: 'refuse' })).body.data.groupId as number;
    for (const bad of [` ${a.id}`, `${a.id} `, '1e3', '-5', '0x10', '1.0']) {
      const calls = {
        CreateOrRelate: { userId: bad },
        InfoBatch: { groupId: [String(g), bad] },
        InfoBatchUid: { uid: bad, groupId: g },
        JoinOrCreate: { groupId: g, userId: bad },
        History: { groupId: g, limit: bad },
        HistoryStart: { groupId: g, start: bad },
        Quit: { groupId: g, userId: bad },
      };
      for (const [name, query] of Object.entries(calls)) {
        const r = await call(name.replace(/(Uid|Start)$/, ''), query);
        assert.deepEqual([r.status, r.body.code, r.body.errcode, r.body.data], [200, 1001, 1001, null], `${name} ${JSON.stringify(bad)}: ${r.text}`);
      }
    }
    assert.equal((await call('InfoBatch', { groupId: '99999999999999999' })).body.code, 1001);
  });

  test('0 and empty are the zero value: required ids refuse it, lists skip it as an unknown id, limit takes its default', async () => {
    const a = await makeUser(s);
    const g = (await call('CreateOrRelate', { userId: a.id, groupName: 'zero' })).body.data.groupId as number;
    assert.deepEqual((await call('InfoBatch', { groupId: `0,${g},` })).body.data.info.map((i: { id: number }) => i.id), [g]);
    assert.deepEqual((await call('InfoBatch', { groupId: '0' })).body, { code: 0, errcode: 0, message: 'ok', errmsg: 'ok', data: { info: [] } });
    for (const m of ['JoinOrCreate', 'Quit']) assert.equal((await call(m, { groupId: g, userId: '0' })).body.code, 1001, m);
    assert.equal((await call('History', { groupId: '' })).body.code, 1001);
    assert.equal((await call('History', { groupId: g, limit: '0' })).body.code, 0);
    // Bools too: empty is false (newest first), a word outside ParseBool's is 1001.
    assert.equal((await call('History', { groupId: g, sort: '' })).body.code, 0);
    assert.equal((await call('History', { groupId: g, sort: 'yes' })).body.code, 1001);
  });

  test('an InfoBatch of 5,000 ids (repeated keys, a 120 KB query) is served with the default limits', async () => {
    const a = await makeUser(s);
    const g = (await call('CreateOrRelate', { userId: a.id, groupName: 'five thousand' })).body.data.groupId as number;
    const ids = [...Array.from({ length: 4999 }, (_, i) => String(g + 1_000_000 + i)), String(g)];
    const r = await call('InfoBatch', { groupId: ids });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.deepEqual([r.body.code, r.body.data.info.map((i: { id: number }) => i.id)], [0, [g]]);
    assert.equal((await call('InfoBatch', { groupId: [...ids, '1'] })).body.code, 1001);
  });

  test('History anchors are positions in id order: an id of another group, or of no message, pages this group normally', async () => {
    const owner = await makeUser(s);
    const g1 = (await call('CreateOrRelate', { userId: owner.id, groupName: 'h1' })).body.data.groupId as number;
    const g2 = (await call('CreateOrRelate', { userId: owner.id, groupName: 'h2' })).body.data.groupId as number;
    const native = client(s.url, owner.token);
    const ids: Record<string, number[]> = { [g1]: [], [g2]: [] };
    // Interleaved, so an id of g2 falls between messages of g1.
    for (let i = 1; i <= 3; i++) {
      for (const g of [g1, g2]) {
        const sent = await native.post(`/v1/groups/${g}/messages`, { type: 'text', body: { text: `${g === g1 ? 'a' : 'b'}${i}` } });
        ids[g].push(sent.body.message?.id ?? sent.body.id);
      }
    }
    const foreign = ids[g2][1]; // between a2 and a3
    const desc = await call('History', { groupId: g1, start: foreign });
    assert.deepEqual([desc.body.code, texts(desc.body.data.list)], [0, ['a2', 'a1']], desc.text);
    const asc = await call('History', { groupId: g1, start: foreign, sort: 'true' });
    assert.deepEqual([asc.body.code, texts(asc.body.data.list), asc.body.data.next, asc.body.data.more], [0, ['a3'], ids[g1][2], false]);
    const floor = await call('History', { groupId: g1, minId: foreign });
    assert.deepEqual(texts(floor.body.data.list), ['a3']);
    // An id that names no message at all: above every id pages from the newest; below every id is an empty page.
    assert.deepEqual(texts((await call('History', { groupId: g1, start: Number.MAX_SAFE_INTEGER })).body.data.list), ['a3', 'a2', 'a1']);
    const below = await call('History', { groupId: g1, start: 1 });
    assert.deepEqual(below.body, { code: 0, errcode: 0, message: 'ok', errmsg: 'ok', data: { next: 1, more: false, list: [] } });
  });
});
