// Several writers on one PostgreSQL database commit out of position order
// (src/store/repos/message-stream.ts): a write with a lower position may
// still be open when one with a higher position has committed. Sync must
// then stop below the open one, or a reader that moved past it would never
// see it. These tests write through separate stores (a process each: their
// own pools) with random delays before commit, and read with core's sync.
//
// The detector is proven able to fail: `naiveSync` reads up to the stream's
// head (the highest position handed out), as a broken watermark would, and
// the first test shows it skipping a message that sync does not skip.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { systemClock } from '../../../src/core/clock.ts';
import { SnowflakeIds } from '../../../src/core/ids.ts';
import type { Appendable, MessageRecord } from '../../../src/core/messages/ports.ts';
import type { Store } from '../../../src/core/ports.ts';
import type { Engine } from '../../../src/store/engine.ts';
import { kyselyStore } from '../../../src/store/kysely-store.ts';
import { REAP_AFTER_MS } from '../../../src/store/repos/message-stream.ts';
import { openEngine } from '../../../src/store/open.ts';
import { skipUnlessPostgres } from '../../support/database.ts';
import { startTestCore, type TestCore } from '../../support/core.ts';

const skip = skipUnlessPostgres('several writers at once exist only on PostgreSQL');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Writer {
  engine: Engine;
  store: Store;
  ids: SnowflakeIds;
}

describe('the sync stream with several writers at once (PostgreSQL)', { skip }, () => {
  let t: TestCore;
  const writers: Writer[] = [];
  let reader: number;
  /** Conversations of `reader`, each with its peer. */
  const conversations: { id: number; peer: number }[] = [];

  before(async () => {
    t = await startTestCore({ postgres: true });
    for (let i = 0; i < 4; i++) {
      const engine = openEngine({ databaseUrl: t.db.url, dataDir: t.db.dataDir, poolSize: 4 });
      writers.push({ engine, store: kyselyStore(engine), ids: new SnowflakeIds(systemClock, 10 + i) });
    }
    const [r, ...peers] = await t.users(9);
    reader = r;
    for (const peer of peers) {
      const sent = await t.core.messages.send(t.appId, peer, { userId: reader }, { type: 'text', body: { text: 'hello' } });
      conversations.push({ id: sent.message.conversationId, peer });
    }
  });
  after(async () => {
    for (const w of writers) await w.store.close();
    await t.close();
  });

  const item = (w: Writer, c: { id: number; peer: number }, text: string): Appendable => ({
    id: w.ids.next(),
    appId: t.appId,
    conversationId: c.id,
    senderId: c.peer,
    clientId: null,
    type: 'text',
    body: { text },
    ext: null,
    createdAt: Date.now(),
  });

  /** Appends in one transaction that stays open until `hold` resolves. */
  const write = (w: Writer, items: Appendable[], hold: () => Promise<void>): Promise<MessageRecord[]> =>
    w.store.transaction(async (tx) => {
      const outcomes = await tx.messages.append(items);
      await hold();
      return outcomes.map((o) => o.stored);
    });

  /** Sync as a broken watermark would read it: up to the head, ignoring writes still open below it. */
  const naiveSync = async (since: number, limit: number) => {
    const head = (await sql<{ last_pos: number }>`select last_pos from message_stream where id = 1`.execute(writers[0].engine.db)).rows[0].last_pos;
    const rows = await writers[0].store.messages.changedSince(
      conversations.map((c) => c.id),
      since,
      Number(head),
      limit,
    );
    return { items: rows, position: rows.length ? rows[rows.length - 1].pos : since };
  };

  test('a write still open below a committed one holds sync back until it commits; a head-bounded read would skip it', async () => {
    const start = (await t.core.messages.sync(t.appId, reader, {})).position;
    const [one, two] = conversations;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let claimed!: () => void;
    const lowClaimed = new Promise<void>((r) => (claimed = r));
    // The lower position: taken first, committed last.
    const low = write(writers[0], [item(writers[0], one, 'low')], async () => {
      claimed();
      await held;
    });
    await lowClaimed;
    const [high] = await write(writers[1], [item(writers[1], two, 'high')], async () => {});
    const [lowPos] = await sql<{ pos_from: number }>`select pos_from from message_stream_claims`.execute(writers[2].engine.db).then((r) => r.rows.map((x) => Number(x.pos_from)));
    assert.ok(lowPos < high.pos, 'the open write holds the lower position');

    const real = await t.core.messages.sync(t.appId, reader, { since: start });
    assert.deepEqual(real.items, [], 'nothing beyond the open write is readable');
    assert.equal(real.position, start);
    assert.equal(await writers[3].store.messages.streamHead(), lowPos - 1);
    const naive = await naiveSync(start, 100);
    assert.deepEqual(naive.items.map((m) => m.body.text), ['high'], 'the head-bounded read goes past the open write');

    release();
    const [lowRecord] = await low;
    const after = await t.core.messages.sync(t.appId, reader, { since: real.position });
    assert.deepEqual(after.items.map((m) => m.body.text), ['low', 'high'], 'sync gets both, in position order');
    assert.equal(after.items[0].pos, lowRecord.pos);
    const naiveAfter = await naiveSync(naive.position, 100);
    assert.deepEqual(naiveAfter.items, [], 'the head-bounded reader never sees the low message: the skip this test detects');
  });

  test('four writers, random commit delays, a reader polling sync: every committed message exactly once, none skipped', async (ctx) => {
    let since = (await t.core.messages.sync(t.appId, reader, {})).position;
    let naiveSince = since;
    const committed = new Map<number, number>();
    let writing = true;
    const loops = writers.flatMap((w, wi) =>
      [0, 1].map(async (lane) => {
        for (let j = 0; j < 20; j++) {
          const c = conversations[(wi * 2 + lane) % conversations.length];
          const n = 1 + ((j + lane) % 3);
          const items = Array.from({ length: n }, (_, k) => item(w, c, `w${wi}.${lane}.${j}.${k}`));
          const stored = await write(w, items, () => sleep(Math.random() * 15));
          for (const m of stored) committed.set(m.id, m.pos);
        }
      }),
    );
    const done = Promise.all(loops).finally(() => (writing = false));

    const seen = new Map<number, number>();
    const twice: number[] = [];
    let naiveSeen = 0;
    // Both readers drain to the frontier (small pages, again while `more`),
    // then pause a moment: reading at the frontier is where a skip happens.
    for (;;) {
      const finished = !writing;
      let page;
      do {
        page = await t.core.messages.sync(t.appId, reader, { since, limit: 7 });
        for (const m of page.items) {
          if (seen.has(m.id)) twice.push(m.id);
          seen.set(m.id, m.pos);
        }
        since = page.position;
      } while (page.more);
      let naive;
      do {
        naive = await naiveSync(naiveSince, 7);
        naiveSeen += naive.items.length;
        naiveSince = naive.position;
      } while (naive.items.length === 7);
      // After the writers finished, one more full drain sees everything.
      if (finished) break;
      await sleep(Math.random() * 3);
    }
    await done;

    assert.deepEqual(twice, [], 'no change is seen twice');
    const missed = [...committed.keys()].filter((id) => !seen.has(id));
    assert.deepEqual(missed, [], 'no committed message is skipped');
    assert.equal(seen.size, committed.size);
    for (const [id, pos] of committed) assert.equal(seen.get(id), pos);
    ctx.diagnostic(`${committed.size} messages from 8 concurrent writers; a head-bounded reader got ${naiveSeen} of them`);
    assert.deepEqual(await sql`select * from message_stream_claims`.execute(writers[0].engine.db).then((r) => r.rows), [], 'no claim is left behind');
  });

  test('a rolled-back write releases its positions at once; a claim left by a dead writer is reaped', async () => {
    const w = writers[0];
    const head = await writers[3].store.messages.streamHead();
    await assert.rejects(
      w.store.transaction(async (tx) => {
        await tx.messages.append([item(w, conversations[0], 'rolled back')]);
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    const afterRollback = await writers[3].store.messages.streamHead();
    assert.ok(afterRollback > head, 'the rolled-back positions do not hold readers back');

    // A process died between claiming and writing: its claim stands, unlocked.
    const fresh = afterRollback + 1;
    await sql`update message_stream set last_pos = ${fresh}::bigint where id = 1`.execute(w.engine.db);
    await sql`insert into message_stream_claims (pos_from, pos_to, claimed_at) values (${fresh}::bigint, ${fresh}::bigint, (extract(epoch from clock_timestamp()) * 1000)::bigint)`.execute(w.engine.db);
    assert.equal(await writers[3].store.messages.streamHead(), fresh - 1, 'a young claim holds readers back');
    await sql`update message_stream_claims set claimed_at = claimed_at - ${REAP_AFTER_MS + 1000}::bigint`.execute(w.engine.db);
    assert.equal(await writers[3].store.messages.streamHead(), fresh, 'an old one nobody holds is reaped');

    // Writes go on above the reaped position.
    const [stored] = await write(w, [item(w, conversations[0], 'after reap')], async () => {});
    assert.ok(stored.pos > fresh);
    assert.equal(await writers[3].store.messages.streamHead(), stored.pos);
  });
});
