// Migration 0008 folds the two announcement stores of older databases into
// one (issue 13 item 9): a notice that is not the newest announcement
// becomes it; announcements with no notice give the notice their text.
// Old data is made by a current server and then put back into the old shape
// with SQL; the migration is rolled back and applied again.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Migrator } from 'kysely/migration';
import { openEngine } from '../../src/store/open.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { migrationProvider } from '../../src/store/migrations/index.ts';
import { createTestDatabase } from '../support/database.ts';
import { startTestServer } from '../support/server.ts';
import { makeUser } from '../support/fixtures.ts';
import { lanying } from '../support/lanying.ts';
import { legacy } from '../support/legacy.ts';

test('0008 folds group notices and lanying announcements into one current announcement', async () => {
  const db = await createTestDatabase();
  try {
    let s = await startTestServer({ db });
    const owner = await makeUser(s);
    const ly = lanying(s.url, { appId: s.appId, token: owner.token });
    const make = async (name: string) => (await ly.post('/group/create', { name })).body.data.group_id as number;
    const [noticeOnly, announcementOnly, both, neither] = [await make('notice only'), await make('announcement only'), await make('both'), await make('neither')];
    await ly.post('/group/announcement/edit', { group_id: announcementOnly, title: 'T1', content: 'from lanying' });
    await ly.post('/group/announcement/edit', { group_id: both, title: 'T2', content: 'lanying side' });
    await s.stop();

    // The shape before 0008: notice and announcements knew nothing of each other.
    const engine = openEngine({ databaseUrl: db.url, dataDir: db.dataDir, poolSize: 1 });
    try {
      await engine.db.updateTable('groups').set({ notice: 'set through legacy' }).where('id', '=', noticeOnly).execute();
      await engine.db.updateTable('groups').set({ notice: '' }).where('id', '=', announcementOnly).execute();
      await engine.db.updateTable('groups').set({ notice: 'xim side' }).where('id', '=', both).execute();
      const schema = await engine.currentSchema();
      const migrator = new Migrator({ db: engine.db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
      // Back to the last migration before 0008 (later ones go down first), then up again.
      const down = await migrator.migrateTo('0007-device-positions');
      const reverted = down.results?.map((r) => [r.migrationName, r.status]) ?? [];
      assert.deepEqual(reverted.at(-1), ['0008-one-announcement', 'Success']);
      assert.ok(reverted.every(([, status]) => status === 'Success'), JSON.stringify(reverted));
      assert.deepEqual((await migrateToLatest(engine)).applied, reverted.map(([name]) => name).reverse());
    } finally {
      await engine.close();
    }

    s = await startTestServer({ db });
    try {
      const ly2 = lanying(s.url, { appId: s.appId, token: owner.token });
      const session = legacy(s.url, { uid: owner.id, accessToken: owner.token });
      const current = async (g: number) => {
        const last = (await ly2.get('/group/announcement/last', { group_id: g })).body;
        const notice = (await session.form('group!getGroupDetail', { groupId: String(g) })).body.groupInfo.notice;
        const history = (await ly2.get('/group/announcement/list', { group_id: g })).body.data.map((a: { content: string }) => a.content);
        return { last: last.code === 200 ? last.data.content : last.code, notice, history };
      };
      assert.deepEqual(await current(noticeOnly), { last: 'set through legacy', notice: 'set through legacy', history: ['set through legacy'] });
      assert.deepEqual(await current(announcementOnly), { last: 'from lanying', notice: 'from lanying', history: ['from lanying'] });
      assert.deepEqual(await current(both), { last: 'xim side', notice: 'xim side', history: ['xim side', 'lanying side'] });
      assert.deepEqual(await current(neither), { last: 20020, notice: '', history: [] });
      // A new announcement still sorts after the folded ones.
      await ly2.post('/group/announcement/edit', { group_id: noticeOnly, title: '', content: 'newer' });
      assert.deepEqual(await current(noticeOnly), { last: 'newer', notice: 'newer', history: ['newer', 'set through legacy'] });
    } finally {
      await s.stop();
    }
  } finally {
    await db.drop();
  }
});
