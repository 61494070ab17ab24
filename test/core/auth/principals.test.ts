// Core's principal model, one rule per test: the access table (deny by
// default), acting as a user, and the token cache's promise never to outlive
// a revocation.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { actAsUser, actorOf, authorize, may, requireUser, type AccessAction } from '../../../src/core/auth/principals.ts';
import { TokenCache } from '../../../src/core/auth/token-cache.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { isParleyError } from '../../../src/core/errors.ts';
import type { Principal } from '../../../src/core/model.ts';

const admin: Principal = { appId: 1, tokenId: 10, userId: null, isAdmin: true };
const alice: Principal = { appId: 1, tokenId: 11, userId: 100, isAdmin: false };
const code = (code: string) => (e: unknown) => isParleyError(e) && e.code === code;

describe('the access table', () => {
  const adminOnly: AccessAction[] = ['users.create', 'users.list', 'users.update', 'tokens.issue', 'tokens.revoke'];

  test('admin-only operations: the app admin may, a user may not (admin_required)', () => {
    for (const action of adminOnly) {
      assert.equal(may(admin, action), true, action);
      assert.equal(may(alice, action), false, action);
      assert.throws(() => authorize(alice, action), code('admin_required'), action);
      assert.doesNotThrow(() => authorize(admin, action));
    }
  });

  test('an action the table does not name is refused to everyone', () => {
    const unknown = 'users.delete' as AccessAction;
    assert.equal(may(admin, unknown), false);
    assert.equal(may(alice, unknown), false);
    assert.throws(() => authorize(admin, unknown), code('forbidden'));
  });
});

describe('acting as a user', () => {
  const exists = async (appId: number, userId: number) => {
    if (appId !== 1 || userId !== 100) throw Object.assign(new Error('no'), { code: 'user_not_found' });
  };

  test('an app-admin token acts as an existing user of its app, with that user\'s rights only', async () => {
    const acting = await actAsUser(admin, 100, exists);
    assert.deepEqual(acting, { appId: 1, tokenId: 10, userId: 100, isAdmin: false });
    assert.deepEqual(actorOf(acting), { appId: 1, userId: 100, appAdmin: false });
    assert.equal(may(acting, 'users.create'), false);
  });

  test('an app-admin token cannot act as a user that does not exist', async () => {
    await assert.rejects(actAsUser(admin, 999, exists), /no/);
  });

  test('a user token is only its own user', async () => {
    assert.equal(await actAsUser(alice, 100, exists), alice);
    await assert.rejects(actAsUser(alice, 101, exists), code('unauthenticated'));
  });

  test('requireUser refuses an admin token that names no user', () => {
    assert.throws(() => requireUser(admin), code('forbidden'));
    assert.equal(requireUser(alice).userId, 100);
  });
});

describe('the token cache', () => {
  test('an entry lives at most its ttl and never past the token\'s expiry', () => {
    const clock = new ManualClock(1_000_000);
    const cache = new TokenCache(clock, { ttlMs: 5000, maxEntries: 10 });
    cache.set('a', alice, cache.ask());
    cache.set('b', { ...alice, tokenId: 12, expiresAt: 1_002_000 }, cache.ask());
    clock.advance(2000);
    assert.equal(cache.get('a')?.userId, 100);
    assert.equal(cache.get('b'), undefined, 'expired with its token');
    clock.advance(3000);
    assert.equal(cache.get('a'), undefined, 'past the ttl');
  });

  test('a revocation drops the entry, and an answer read before it is never cached after it', () => {
    const cache = new TokenCache(new ManualClock(), { ttlMs: 5000, maxEntries: 10 });
    cache.set('a', alice, cache.ask());
    cache.forget(alice.tokenId);
    assert.equal(cache.get('a'), undefined);
    const askedAt = cache.ask();
    cache.forget(alice.tokenId); // the revocation lands while the store read is in flight
    cache.set('a', alice, askedAt);
    assert.equal(cache.get('a'), undefined, 'the stale answer was not cached');
    const askedBeforeClear = cache.ask();
    cache.forgetAll();
    cache.set('a', alice, askedBeforeClear);
    assert.equal(cache.get('a'), undefined);
    cache.set('a', alice, cache.ask());
    assert.equal(cache.get('a')?.tokenId, alice.tokenId, 'a fresh read is cached again');
  });

  test('it is bounded: the least recently used entry goes first', () => {
    const cache = new TokenCache(new ManualClock(), { ttlMs: 5000, maxEntries: 2 });
    cache.set('a', alice, cache.ask());
    cache.set('b', { ...alice, tokenId: 12 }, cache.ask());
    cache.get('a');
    cache.set('c', { ...alice, tokenId: 13 }, cache.ask());
    assert.equal(cache.size, 2);
    assert.equal(cache.get('b'), undefined);
    assert.ok(cache.get('a'));
  });
});
