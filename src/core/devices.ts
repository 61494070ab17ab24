// The devices a user signs in from, and the one rule about them: a device
// of an exclusive kind (dtalk: phones) may resume a session automatically
// only while it is the exclusive-kind device that signed in last; once
// another one has signed in, the older one must sign in again by hand.

import type { Clock } from './clock.ts';
import { fail } from './errors.ts';
import type { Store } from './ports.ts';

export interface DeviceRecord {
  appId: number;
  userId: number;
  /** The client's own stable device id. */
  uuid: string;
  /** The client platform as its dialect names it (Android, IOS, Windows…). */
  kind: string;
  name: string;
  signedInAt: number;
  seenAt: number;
}

export interface DeviceSignIn {
  uuid: string;
  kind: string;
  name: string;
  /** An automatic resume rather than a sign-in by hand. */
  resume: boolean;
  /** Kinds of which only the latest signed-in device may resume. */
  exclusiveKinds: readonly string[];
}

export type SignInResult = { ok: true } | { ok: false; newer: DeviceRecord };

const MAX_UUID = 128;
const MAX_NAME = 128;

export class Devices {
  readonly #store: Store;
  readonly #clock: Clock;
  constructor(deps: { store: Store; clock: Clock }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
  }

  /**
   * Records a sign-in. A resume of an exclusive-kind device is refused (and
   * changes nothing) when the latest exclusive-kind device is another one.
   */
  async signIn(appId: number, userId: number, d: DeviceSignIn): Promise<SignInResult> {
    if (d.uuid.length > MAX_UUID) throw fail('invalid_argument', `device uuid is longer than ${MAX_UUID} characters`);
    if (d.kind.length > MAX_NAME || d.name.length > MAX_NAME) throw fail('invalid_argument', `device kind and name are at most ${MAX_NAME} characters`);
    const now = this.#clock.now();
    const exclusive = d.exclusiveKinds.includes(d.kind);
    if (d.resume && exclusive) {
      const latest = await this.#store.devices.latest(userId, d.exclusiveKinds);
      if (latest && latest.uuid !== d.uuid) return { ok: false, newer: latest };
    }
    if (d.uuid === '') return { ok: true };
    const known = d.resume ? await this.#store.devices.get(userId, d.uuid) : undefined;
    if (known) await this.#store.devices.seen(userId, d.uuid, now);
    else await this.#store.devices.signIn({ appId, userId, uuid: d.uuid, kind: d.kind, name: d.name, signedInAt: now, seenAt: now });
    return { ok: true };
  }
}
