import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { checkSignature, verifyRecoverable } from '../../../src/http/dtalk/signature.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { DtalkUser } from './support.ts';

// Test vectors of the original's source ("Authentication").
const KEY = Buffer.from('fa884fd1b47d9e9e8dc19e47dc1a794a524ce5d4ee1b82ec92b1ffc1f109c2b6', 'hex');
const PUB = '022db0e08669b30c5dab8c564b428db4944912144088943ec9b690a9046bc8f78b';
const ADDRESS = '1AqutxNoVTtcWiVYpBtvficAgea1dYTddR';
const VECTOR_1 = `zrrLQ9FLnpON9s3erkMJ+sug5oviPYcOR04/w4ucC5dVbkjqvuZIFUuGgaKi+5XmDzj2FvxrDIom9dt2Ons6fAE=#1655716335340*dtalk#${PUB}`;
const VECTOR_2 = 'cIwU/HCDoaqRb9GYeXoLpv2L/Qojuvn2SNgbbkLheD9Lh37AY3iDpawH9uUtDj0j8pp/i0LTiKQNzWw9d0UsFQA=#164594983600*dtalk#02b2dcf40123a5364a4bc9fd717db92122f90321a6771a47bc922100c9852c8b68';
const HELLO_SIG = '0b7feff8af5cd69c2d20a3dbde6014292cd6d95d8c5e28d3111e9f6e7939108b2926d9dad50cef9c347b53b8fff64be0134beefdf592fe08f069a5d87e8a34ea00';

describe('FZM-SIGNATURE verification (vectors)', () => {
  test('the key derives the documented public key and address', () => {
    assert.equal(Buffer.from(secp256k1.getPublicKey(KEY, true)).toString('hex'), PUB);
    const at = checkSignature(VECTOR_1, 1655716335340 + 1000);
    assert.deepEqual(at, { ok: true, address: ADDRESS, appId: 'dtalk', timestamp: 1655716335340 });
  });

  test('both vectors are valid signatures that have expired', () => {
    assert.deepEqual(checkSignature(VECTOR_1, Date.now()).ok, false);
    assert.equal((checkSignature(VECTOR_1, Date.now()) as { reason: string }).reason, 'expired');
    assert.equal((checkSignature(VECTOR_2, Date.now()) as { reason: string }).reason, 'expired');
    assert.equal(checkSignature(VECTOR_2, 164594983600 + 120_000).ok, true);
    assert.equal(checkSignature(VECTOR_2, 164594983600 + 120_001).ok, false);
  });

  test('an empty signature is invalid, not expired', () => {
    const r = checkSignature(`#1655716335340*dtalk#${PUB}`, 0);
    assert.equal(r.ok, false);
    assert.equal((r as { reason: string }).reason, 'invalid');
  });

  test('"hello world" signed by the vector key verifies', () => {
    const sig = Buffer.from(HELLO_SIG, 'hex');
    assert.equal(verifyRecoverable(sig, sha256(Buffer.from('hello world')), Buffer.from(PUB, 'hex')), true);
    assert.equal(verifyRecoverable(sig, sha256(Buffer.from('hello world!')), Buffer.from(PUB, 'hex')), false);
  });

  test('high S, recid ≥ 4, wrong lengths and uncompressed keys are refused', () => {
    const good = Buffer.from(VECTOR_1.split('#')[0], 'base64');
    const digest = sha256(Buffer.from('1655716335340*dtalk'));
    const pub = Buffer.from(PUB, 'hex');
    assert.equal(verifyRecoverable(good, digest, pub), true);
    const highS = Buffer.from(good);
    highS[32] |= 0x80;
    assert.equal(verifyRecoverable(highS, digest, pub), false);
    const recid = Buffer.from(good);
    recid[64] = 27;
    assert.equal(verifyRecoverable(recid, digest, pub), false);
    assert.equal(verifyRecoverable(good.subarray(0, 64), digest, pub), false);
    assert.equal(verifyRecoverable(good, digest, secp256k1.getPublicKey(KEY, false)), false);
  });

  test('malformed tokens are invalid', () => {
    const [sig, meta, pub] = VECTOR_1.split('#');
    for (const t of [
      '',
      'garbage',
      `${sig}#${meta}`,
      `${sig}#1655716335340#${pub}`,
      `${sig}#abc*dtalk#${pub}`,
      `${sig.replace(/=$/, '')}#${meta}#${pub}`,
      `${sig}#${meta}#${pub.slice(2)}`,
      `${sig}#${meta}#zz${pub.slice(2)}`,
      `${sig}#1655716335341*dtalk#${pub}`,
    ]) {
      const r = checkSignature(t, 1655716335340);
      assert.equal(r.ok, false, t);
      assert.equal((r as { reason: string }).reason, 'invalid', t);
    }
  });
});

describe('FZM-SIGNATURE over HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ manualClock: true });
  });
  after(() => server.stop());

  test('a fresh key signs in and becomes a user named by its address', async () => {
    const alice = new DtalkUser(server);
    const r = await alice.post('/app/user/login', { connType: 0 });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { result: 0, message: 'OK', data: { address: alice.address } });
    const user = await server.core.users.getByHandle(server.appId, alice.address);
    assert.equal(user.handle, alice.address);
    // the same key again is the same user
    await alice.post('/app/user/login', { connType: 0 });
    assert.equal((await server.core.users.getByHandle(server.appId, alice.address)).id, user.id);
  });

  test('a signature older than 120 s is -1011; at 120 s it still passes', async () => {
    const alice = new DtalkUser(server);
    const now = server.core.clock.now();
    const stale = await alice.post('/app/user/login', { connType: 0 }, { signature: alice.token(now - 120_001) });
    assert.deepEqual(stale.body, { result: -1011, message: '签名过期', data: null });
    const edge = await alice.post('/app/user/login', { connType: 0 }, { signature: alice.token(now - 120_000) });
    assert.equal(edge.body.result, 0);
    const future = await alice.post('/app/user/login', { connType: 0 }, { signature: alice.token(now + 3_600_000) });
    assert.equal(future.body.result, 0);
  });

  test('the clock moving past the window expires a token that was valid', async () => {
    const alice = new DtalkUser(server);
    const token = alice.token();
    assert.equal((await alice.post('/app/user/login', { connType: 0 }, { signature: token })).body.result, 0);
    server.clock!.advance(121_000);
    assert.equal((await alice.post('/app/user/login', { connType: 0 }, { signature: token })).body.result, -1011);
  });

  test('altered, malformed and missing signatures are -1010', async () => {
    const alice = new DtalkUser(server);
    const mallory = new DtalkUser(server);
    const [sig, meta, pub] = alice.token().split('#');
    const later = `${Number(meta.split('*')[0]) + 1}*`;
    const otherPub = mallory.token().split('#')[2];
    for (const signature of [`${sig}#${later}#${pub}`, `${sig}#${meta}#${otherPub}`, 'MOCK', 'a#b#c', `${sig}#${meta}`]) {
      const r = await alice.post('/app/user/login', { connType: 0 }, { signature });
      assert.deepEqual(r.body, { result: -1010, message: '无效签名', data: null }, signature);
    }
    const none = await alice.post('/app/user/login', { connType: 0 }, { signature: '' });
    assert.equal(none.body.result, -1010);
    // the expired vector is an expired signature, whatever the clock says about the key
    const vector = await alice.post('/app/user/login', { connType: 0 }, { signature: VECTOR_1 });
    assert.equal(vector.body.result, -1011);
  });

  test('an expired and altered token is -1010: the signature is checked first', async () => {
    const alice = new DtalkUser(server);
    const [sig, , pub] = alice.token(0).split('#');
    const r = await alice.post('/app/user/login', { connType: 0 }, { signature: `${sig}#1*#${pub}` });
    assert.equal(r.body.result, -1010);
  });
});

describe('MOCK tokens', () => {
  test('are refused by default and accepted only with the development setting', async () => {
    const off = await startTestServer();
    try {
      const r = await new DtalkUser(off).post('/app/user/login', { connType: 0 }, { signature: 'MOCK' });
      assert.equal(r.body.result, -1010);
    } finally {
      await off.stop();
    }
    const on = await startTestServer({ config: { dtalkMockTokens: true } });
    try {
      const user = new DtalkUser(on);
      assert.deepEqual((await user.post('/app/user/login', { connType: 0 }, { signature: 'MOCK' })).body.data, { address: '1FKxgaEh5fuSm7a35BfUnKYAmradowpiTR' });
      assert.deepEqual((await user.post('/app/user/login', { connType: 0 }, { signature: 'MOCK2' })).body.data, { address: '1AsPsahP7FvpR7F2de1LhSB4SU5ShqZ7eu' });
      assert.equal((await user.post('/app/user/login', { connType: 0 }, { signature: 'MOCK3' })).body.result, -1010);
    } finally {
      await on.stop();
    }
  });
});
