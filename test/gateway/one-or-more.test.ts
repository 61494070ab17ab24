import { test } from 'node:test';
import assert from 'node:assert/strict';
import { add, has, members, remove, type OneOrMore } from '../../src/gateway/one-or-more.ts';

test('one-or-more: a lone member is itself, a second makes a Set, removing the last leaves nothing', () => {
  let x: OneOrMore<string> | undefined;
  assert.equal(has(x, 'u:1'), false);
  x = add(x, 'u:1');
  assert.equal(x, 'u:1');
  assert.equal(add(x, 'u:1'), 'u:1', 'adding the lone member again changes nothing');
  x = add(x, 'g:7');
  assert.ok(x instanceof Set);
  assert.deepEqual(members(x), ['u:1', 'g:7']);
  assert.equal(has(x, 'g:7'), true);
  x = remove(x, 'u:1');
  assert.deepEqual(members(x), ['g:7']);
  assert.equal(has(x, 'u:1'), false);
  assert.equal(remove(x, 'missing'), x, 'removing a stranger keeps the rest');
  x = remove(x, 'g:7');
  assert.equal(x, undefined);
  assert.deepEqual(members(x), []);
  assert.equal(remove('a', 'b'), 'a');
  assert.equal(remove('a', 'a'), undefined);
});

test('one-or-more: members is a copy, safe while the set changes', () => {
  const a = { id: 1 };
  const b = { id: 2 };
  let x: OneOrMore<{ id: number }> | undefined = add(add(undefined, a), b);
  const seen = members(x);
  x = remove(x, a);
  assert.deepEqual(seen, [a, b]);
  assert.deepEqual(members(x), [b]);
});
