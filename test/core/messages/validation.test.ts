// What senders may supply (src/core/messages/validation.ts), checked once in
// core for every transport: declared fields only, required fields, ranges,
// server-only types, dialect `x-` types, client ids and the size limit.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isParleyError } from '../../../src/core/errors.ts';
import type { MessageInput } from '../../../src/core/messages/model.ts';
import { validateMessage } from '../../../src/core/messages/validation.ts';

const limits = { maxTextChars: 10, maxBytes: 200 };
const check = (input: MessageInput, serverWritten = false) => validateMessage(input, limits, { serverWritten });
const refusal = (input: MessageInput, serverWritten = false): string => {
  try {
    check(input, serverWritten);
    return 'ok';
  } catch (e) {
    if (isParleyError(e)) return `${e.code}${e.details?.field ? ` ${String(e.details.field)}` : ''}`;
    throw e;
  }
};

test('a valid message is normalised: ext and clientId default to null', () => {
  assert.deepEqual(check({ type: 'text', body: { text: 'hi' } }), { type: 'text', body: { text: 'hi' }, ext: null, clientId: null });
  assert.deepEqual(check({ type: 'image', body: { url: 'http://x/a.png', width: 10 }, ext: { k: 1 }, clientId: 'c-1' }).clientId, 'c-1');
});

test('fields: unknown ones are refused, required ones must be there, kinds and ranges are checked', () => {
  assert.equal(refusal({ type: 'text', body: { text: 'hi', colour: 'red' } }), 'invalid_argument body.colour');
  assert.equal(refusal({ type: 'text', body: {} }), 'invalid_argument body.text');
  assert.equal(refusal({ type: 'text', body: { text: '   ' } }), 'invalid_argument body.text', 'blank text');
  assert.equal(refusal({ type: 'text', body: { text: 'x'.repeat(11) } }), 'invalid_argument body.text', 'longer than maxTextChars');
  assert.equal(refusal({ type: 'image', body: { url: '' } }), 'invalid_argument body.url');
  assert.equal(refusal({ type: 'image', body: { url: 'u', width: 1.5 } }), 'invalid_argument body.width');
  assert.equal(refusal({ type: 'location', body: { lat: 91, lng: 0 } }), 'invalid_argument body.lat');
  assert.equal(refusal({ type: 'text', body: { text: 'a', mentions: [1, 0] } }), 'invalid_argument body.mentions');
  assert.equal(refusal({ type: 'text', body: { text: 'a', anchors: [{ href: 'h', start: -1, len: 1 }] } }), 'invalid_argument body.anchors[0]');
  assert.equal(refusal({ type: 'file', body: { url: 'u' } }), 'invalid_argument body.name');
});

test('types: unknown refused, revoked never sent, notice and call only by the server, x- types free', () => {
  assert.equal(refusal({ type: 'sticker', body: {} }), 'invalid_argument type');
  assert.equal(refusal({ type: 'revoked', body: {} }), 'invalid_argument type');
  assert.equal(refusal({ type: 'revoked', body: {} }, true), 'invalid_argument type');
  assert.equal(refusal({ type: 'notice', body: { text: 'joined' } }), 'invalid_argument type');
  assert.equal(refusal({ type: 'notice', body: { text: 'joined' } }, true), 'ok');
  assert.equal(refusal({ type: 'call', body: { callId: 1 } }), 'invalid_argument type');
  assert.equal(refusal({ type: 'x-redpacket', body: { anything: [1, { deep: true }] } }), 'ok');
  assert.equal(refusal({ type: 'custom', body: { anything: 1 } }), 'ok');
  assert.equal(refusal({ type: 'x-Bad', body: {} }), 'invalid_argument type', 'x- names are lower case');
});

test('shape: body and ext are objects, clientId is printable ASCII up to 128', () => {
  assert.equal(refusal({ type: 'text', body: [] as unknown as Record<string, unknown> }), 'invalid_argument body');
  assert.equal(refusal({ type: 'text', body: { text: 'a' }, ext: [] as unknown as Record<string, unknown> }), 'invalid_argument ext');
  assert.equal(refusal({ type: 'text', body: { text: 'a' }, clientId: 'has space' }), 'invalid_argument clientId');
  assert.equal(refusal({ type: 'text', body: { text: 'a' }, clientId: 'x'.repeat(129) }), 'invalid_argument clientId');
  assert.equal(refusal({ type: 7 as unknown as string, body: {} }), 'invalid_argument type');
});

test('size: body and ext together within maxBytes, counted in UTF-8 bytes', () => {
  assert.equal(refusal({ type: 'custom', body: { v: 'x'.repeat(150) }, ext: { w: 'y'.repeat(40) } }), 'payload_too_large');
  assert.equal(refusal({ type: 'custom', body: { v: 'x'.repeat(150) } }), 'ok');
  // 70 characters, but 210 bytes in UTF-8: over the limit.
  assert.equal(refusal({ type: 'custom', body: { v: '字'.repeat(70) } }), 'payload_too_large');
});
