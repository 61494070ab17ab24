// Conformance of announcements (4.4–4.8) and shared files (4.19–4.23).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { makeUser } from '../../support/fixtures.ts';
import { assertDocumented, lanying } from '../../support/lanying.ts';

describe('lanying announcements and files', () => {
  let s: TestServer;
  const as = (token: string) => lanying(s.url, { appId: s.appId, token });
  before(async () => {
    s = await startTestServer({ manualClock: true });
  });
  after(() => s.stop());

  test('announcements: admins post; members read the last, the list and one; delete by POST with query', async () => {
    const owner = await makeUser(s);
    const m = await makeUser(s);
    const g = (await as(owner.token).post('/group/create', { name: 'g', user_list: [m.id] })).body.data.group_id;
    const first = await as(owner.token).post('/group/announcement/edit', { group_id: g, title: 't1', content: 'c1' });
    assertDocumented('POST /group/announcement/edit', first);
    s.clock!.advance(1000);
    const second = await as(owner.token).post('/group/announcement/edit', { group_id: g, title: 't2', content: 'c2' });
    assert.equal(second.body.data.author, owner.id);
    assert.equal((await as(m.token).post('/group/announcement/edit', { group_id: g, title: 'x', content: 'y' })).body.code, 20012);
    const last = await as(m.token).get('/group/announcement/last', { group_id: g });
    assertDocumented('GET /group/announcement/last', last);
    assert.equal(last.body.data.title, 't2');
    const list = await as(m.token).get('/group/announcement/list', { group_id: g });
    assertDocumented('GET /group/announcement/list', list);
    assert.equal(list.body.data.length, 2);
    assertDocumented('GET /group/announcement', await as(m.token).get('/group/announcement', { group_id: g, announcement_id: first.body.data.id }));
    const del = await as(owner.token).post('/group/announcement/delete', {}, { query: { group_id: g, announcement_id: first.body.data.id } });
    assertDocumented('POST /group/announcement/delete', del);
    assert.equal((await as(m.token).get('/group/announcement', { group_id: g, announcement_id: first.body.data.id })).body.code, 20020);
  });

  test('files: members upload; get, list, rename; delete answers per file', async () => {
    const owner = await makeUser(s);
    const m = await makeUser(s);
    const g = (await as(owner.token).post('/group/create', { name: 'g', user_list: [m.id] })).body.data.group_id;
    const up = await as(m.token).post('/group/file/upload', { group_id: g, name: 'a.pdf', size: 1234, type: 'pdf', url: 'https://files.example/a.pdf' });
    assertDocumented('POST /group/file/upload', up);
    const fileId = up.body.data.file_id;
    assertDocumented('GET /group/file', await as(owner.token).get('/group/file', { group_id: g, file_id: fileId }));
    assertDocumented('GET /group/file/list', await as(owner.token).get('/group/file/list', { group_id: g }));
    assertDocumented('PUT /group/file/update_name', await as(m.token).put('/group/file/update_name', { group_id: g, file_id: fileId, name: 'b.pdf' }));
    assert.equal((await as(owner.token).get('/group/file', { group_id: g, file_id: fileId })).body.data.name, 'b.pdf');
    const del = await as(owner.token).delete('/group/file/delete', { group_id: g, file_list: [fileId, 777] });
    assertDocumented('DELETE /group/file/delete', del);
    assert.deepEqual(del.body.data.map((r: { file_id: number; result: string }) => [r.file_id, r.result]), [[fileId, 'success'], [777, 'fail']]);
    assert.equal((await as(owner.token).get('/group/file', { group_id: g, file_id: fileId })).body.code, 20022);
  });
});
