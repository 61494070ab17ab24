// A slow client loses typing and presence frames before anything else: an
// ephemeral frame is not written once a quarter of the write queue is taken,
// and never gets the client cut off, while durable frames still go out up
// to the whole bound.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WebSocket } from 'ws';
import { Outbound } from '../../src/gateway/outbound.ts';
import { decodeEnvelope, encodeEnvelope } from '../../src/gateway/envelope.ts';

function fakeSocket() {
  const sent: string[] = [];
  const ws = { OPEN: 1, readyState: 1, bufferedAmount: 0, send: (d: string | Buffer) => void sent.push(String(d)) };
  return { ws, sent };
}

test('ephemeral frames are dropped first when the client is behind, without cutting it off', () => {
  const { ws, sent } = fakeSocket();
  let overflowed = 0;
  const out = new Outbound(ws as unknown as WebSocket, undefined, { closed: false, overflowed: () => void overflowed++ }, 4000);
  const typing = decodeEnvelope(encodeEnvelope({ i: 'x', e: 1, f: 5 }, '{"type":"typing"}'))!;
  assert.equal(typing.ephemeral, true);
  assert.equal(typing.from, 5);
  assert.equal(out.deliverEphemeral(typing), true);
  ws.bufferedAmount = 1001; // over a quarter of the bound
  assert.equal(out.deliverEphemeral(typing), false);
  const message = decodeEnvelope(encodeEnvelope({ i: 'y', c: 'g:1', s: 1 }, '{"type":"message"}'))!;
  out.deliver(message);
  assert.deepEqual(sent, ['{"type":"typing"}', '{"type":"message"}']);
  assert.equal(overflowed, 0);
  ws.bufferedAmount = 3990; // durable frames past the bound do cut the client off
  out.deliver(message);
  assert.equal(overflowed, 1);
});
