// The devices a user signs in from, and the one rule about them: a device
// of an exclusive kind (dtalk: phones) may resume a session automatically
// only while it is the exclusive-kind device that signed in last; once
// another one has signed in, the older one must sign in again by hand.

import type { Clock } from './clock.ts';
import { fail } from './errors.ts';
import type { EventHub } from './events.ts';
import type { Repositories, Store } from './ports.ts';
import type { DeviceSignedIn } from './events.ts';
import { noOutbox, type EventOutbox } from './webhooks/outbox.ts';

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
  /** Tell the user's other devices (`device.signed_in`): a connection, not a bare credential check. */
  announce?: boolean;
}

/** `at`: when the sign-in was recorded (the `device.signed_in` event carries it). */
export type SignInResult = { ok: true; at: number } | { ok: false; newer: DeviceRecord };

const MAX_UUID = 128;
const MAX_NAME = 128;

export class Devices {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #events: EventHub | undefined;
  readonly #outbox: EventOutbox;
  constructor(deps: { store: Store; clock: Clock; events?: EventHub; outbox?: EventOutbox }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#events = deps.events;
    this.#outbox = deps.outbox ?? noOutbox;
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
    const record = async (repos: Repositories) => {
      if (d.uuid === '') return;
      const known = d.resume ? await repos.devices.get(userId, d.uuid) : undefined;
      if (known) await repos.devices.seen(userId, d.uuid, now);
      else await repos.devices.signIn({ appId, userId, uuid: d.uuid, kind: d.kind, name: d.name, signedInAt: now, seenAt: now });
    };
    if (!d.announce) {
      await record(this.#store);
      return { ok: true, at: now };
    }
    // An announced sign-in is a webhook event too: its delivery commits with the sign-in.
    const signedIn: DeviceSignedIn = { type: 'device.signed_in', appId, audience: { users: [userId] }, userId, device: { uuid: d.uuid, kind: d.kind, name: d.name }, at: now };
    await this.#store.transaction(async (tx) => {
      await record(tx);
      await this.#outbox.record(tx, [signedIn]);
    });
    this.#events?.emit(signedIn);
    return { ok: true, at: now };
  }

  /**
   * Where the device stands in the message stream (see messages.sync): every
   * change up to it reached the device. A device asked for the first time
   * starts at the stream's head — history before it is paged, not replayed.
   * Undefined for a device never signed in.
   */
  async deliveredPosition(userId: number, uuid: string): Promise<number | undefined> {
    const known = await this.#store.devices.deliveredPosition(userId, uuid);
    if (known !== null) return known;
    await this.#store.devices.advanceDelivered(userId, uuid, await this.#store.messages.streamHead());
    // Another process may have set it meanwhile: the stored value wins.
    return (await this.#store.devices.deliveredPosition(userId, uuid)) ?? undefined;
  }

  /** Every change up to `pos` reached the device; the position never moves back. */
  async advanceDelivered(userId: number, uuid: string, pos: number): Promise<void> {
    if (!Number.isSafeInteger(pos) || pos < 0) throw fail('invalid_argument', 'a stream position is a non-negative integer');
    await this.#store.devices.advanceDelivered(userId, uuid, pos);
  }
}
