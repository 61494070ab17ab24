// GET /file/upload/avatar/group (the web SDK's OSS-style avatar upload) and
// the form upload it points at.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { makeUser } from '../../support/fixtures.ts';
import { lanying } from '../../support/lanying.ts';

describe('lanying group avatar upload', () => {
  let s: TestServer;
  const as = (token: string) => lanying(s.url, { appId: s.appId, token });
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  const postForm = async (url: string, fields: Record<string, string>, bytes: Uint8Array<ArrayBuffer>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([bytes], { type: 'image/png' }), 'avatar.png');
    return fetch(url, { method: 'POST', body: form });
  };

  test('the owner gets a signed form; the form stores the image once; anyone reads it', async () => {
    const owner = await makeUser(s);
    const g = (await as(owner.token).post('/group/create', { name: 'g' })).body.data.group_id;
    const r = await as(owner.token).get('/file/upload/avatar/group', { group_id: g });
    assert.equal(r.body.code, 200, JSON.stringify(r.body));
    const { upload_url, download_url, oss_body_param } = r.body.data;
    assert.deepEqual(Object.keys(oss_body_param).sort(), ['OSSAccessKeyId', 'callback', 'key', 'policy', 'signature']);
    assert.match(upload_url, /^http:\/\/127\.0\.0\.1:\d+\/v1\/uploads\/direct$/);

    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
    const up = await postForm(upload_url, oss_body_param, png);
    assert.equal(up.status, 201, await up.clone().text());
    const got = await fetch(download_url);
    assert.equal(got.status, 200);
    assert.deepEqual(new Uint8Array(await got.arrayBuffer()), png);

    const again = await postForm(upload_url, oss_body_param, png);
    assert.equal(again.status, 409, 'a credential is single use');
  });

  test('a forged policy, and people who may not edit the group, are refused', async () => {
    const owner = await makeUser(s);
    const member = await makeUser(s);
    const outsider = await makeUser(s);
    const g = (await as(owner.token).post('/group/create', { name: 'g2', user_list: [member.id] })).body.data.group_id;
    const denied = await as(outsider.token).get('/file/upload/avatar/group', { group_id: g });
    assert.deepEqual(denied.body, { code: 20002, data: null, message: `you are not a member of group ${g}` });
    // A plain member may not change the group's info while member_modify is off (the default).
    const notAdmin = await as(member.token).get('/file/upload/avatar/group', { group_id: g });
    assert.equal(notAdmin.status, 200);
    assert.equal(notAdmin.body.code, 20012, JSON.stringify(notAdmin.body));
    assert.equal(notAdmin.body.data, null);
    assert.equal((await as(owner.token).get('/file/upload/avatar/group', { group_id: 999999 })).body.code, 20001);

    const { upload_url, oss_body_param } = (await as(owner.token).get('/file/upload/avatar/group', { group_id: g })).body.data;
    const forged = { ...oss_body_param, policy: oss_body_param.policy.replace(/.(.{9})$/, (_m: string, tail: string) => (_m[0] === 'A' ? 'B' : 'A') + tail) };
    const r = await postForm(upload_url, forged, new Uint8Array([1]));
    assert.equal(r.status, 401);
    const refused = (await r.json()) as { error: { code: string; message: string } };
    assert.equal(refused.error.code, 'unauthenticated', JSON.stringify(refused));
  });
});
