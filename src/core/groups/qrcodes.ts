// QR codes: a member who may invite signs a code for the group; anyone in the
// app who holds it joins until it expires. The code is
//   base64url(JSON {v, a: appId, g: groupId, i: issuer, c: createdAt, e: expiresAt})
//   "." base64url(HMAC-SHA256(app secret, first part))
// so a forged or altered code fails the signature, and the expiry is inside
// what is signed.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { fail } from '../errors.ts';
import { admitOne } from './admission.ts';
import type { GroupContext } from './context.ts';
import { assertUsable, requireUserActor } from './context.ts';
import type { Actor, Group } from './model.ts';
import { GroupAction } from './permissions.ts';

export interface SignedQrCode {
  code: string;
  groupId: number;
  createdAt: number;
  expiresAt: number;
}

interface Payload {
  v: 1;
  a: number;
  g: number;
  i: number | null;
  c: number;
  e: number;
}

const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest();

const isPayload = (p: unknown): p is Payload => {
  const o = p as Payload;
  return typeof p === 'object' && p !== null && o.v === 1 && [o.a, o.g, o.c, o.e].every(Number.isSafeInteger) && (o.i === null || Number.isSafeInteger(o.i));
};

export class QrCodes {
  readonly #c: GroupContext;
  constructor(c: GroupContext) {
    this.#c = c;
  }

  async sign(actor: Actor, groupId: number): Promise<SignedQrCode> {
    const c = this.#c;
    const { group } = await c.authorize(c.d.store, actor, groupId, GroupAction.signQrCode);
    const app = await c.d.store.apps.get(actor.appId);
    if (!app) throw fail('app_not_found', 'the app does not exist');
    const now = c.now();
    const payload: Payload = { v: 1, a: actor.appId, g: group.id, i: actor.userId, c: now, e: now + c.d.limits.qrCodeTtlMs };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return { code: `${body}.${sign(app.secret, body).toString('base64url')}`, groupId: group.id, createdAt: payload.c, expiresAt: payload.e };
  }

  /** Checks a code without joining: the group it opens, or qr_code_invalid / qr_code_expired. */
  async verify(actor: Actor, code: string): Promise<{ groupId: number; issuerId: number | null; expiresAt: number }> {
    const invalid = () => fail('qr_code_invalid', 'the QR code is not valid');
    const [body, mac, extra] = typeof code === 'string' && code.length <= 2048 ? code.split('.') : [];
    if (!body || !mac || extra !== undefined) throw invalid();
    const app = await this.#c.d.store.apps.get(actor.appId);
    if (!app) throw invalid();
    const expected = sign(app.secret, body);
    const given = Buffer.from(mac, 'base64url');
    // Only the canonical spelling: base64url decoding ignores stray characters
    // and the last character's spare bits, which would make one code many.
    if (given.toString('base64url') !== mac) throw invalid();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    if (!isPayload(payload) || payload.a !== actor.appId) throw invalid();
    if (payload.e <= this.#c.now()) throw fail('qr_code_expired', 'the QR code has expired', { expiresAt: payload.e });
    return { groupId: payload.g, issuerId: payload.i, expiresAt: payload.e };
  }

  /** Joins the caller to the group the code opens (the join policy is bypassed: the code is the invitation). */
  async redeem(actor: Actor, code: string): Promise<Group> {
    const userId = requireUserActor(actor);
    const { groupId, issuerId } = await this.verify(actor, code);
    const c = this.#c;
    return c.mutate(async (tx, emit) => {
      const group = await c.group(tx, actor.appId, groupId, true);
      assertUsable(group);
      await admitOne(tx, emit, { group, userId, via: 'qr_code', inviterId: issuerId, actorId: userId, now: c.now(), known: new Set([userId]) });
      return group;
    });
  }
}
