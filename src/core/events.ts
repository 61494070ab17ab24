// Domain events: a typed union, emitted by core only after the change that
// caused it is committed. Subscribers (the gateway, the bus bridge, metrics)
// are wired explicitly in the composition root.

import type { User } from './model.ts';
import type { MessageEvent } from './messages/events.ts';
import type { CallEvent } from './calls/events.ts';
import type { GroupEvent } from './groups/events.ts';
import type { ReportBackgroundFailure } from './background.ts';

/**
 * Who a delivered event is for. The gateway pushes an event to every online
 * session of `users`, and to every session subscribed to `groupId` (the
 * group's current members): fan-out works on connected sessions, never on the
 * member list. An event without an audience is not pushed to clients.
 */
export interface Audience {
  users?: readonly number[];
  groupId?: number;
}

export interface UserCreated {
  type: 'user.created';
  appId: number;
  user: User;
}
export interface UserUpdated {
  type: 'user.updated';
  appId: number;
  user: User;
}
export interface TokenRevoked {
  type: 'token.revoked';
  appId: number;
  tokenId: number;
  userId: number | null;
}

/** A device connected with `announce` (src/core/devices.ts): the user's other devices are told. */
export interface DeviceSignedIn {
  type: 'device.signed_in';
  appId: number;
  audience: Audience;
  userId: number;
  device: { uuid: string; kind: string; name: string };
  at: number;
}

/** Extended by each domain module (groups, messages, calls) with its own events. */
export type DomainEvent = UserCreated | UserUpdated | TokenRevoked | DeviceSignedIn
  | MessageEvent
  | CallEvent
  | GroupEvent;

export type EventListener = (event: DomainEvent) => void;

/** In-process fan-out of committed events to the subscribers wired at start. */
export class EventHub {
  readonly #listeners = new Set<EventListener>();
  readonly #report: ReportBackgroundFailure;

  /** `report` hears a listener that throws: the change is committed, so the failure is reported, not thrown. */
  constructor(report: ReportBackgroundFailure) {
    this.#report = report;
  }

  on(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: DomainEvent): void {
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch (error) {
        // A failing subscriber must not undo or fail a committed change, nor
        // keep the others from hearing it; it is reported instead.
        this.#report({ task: 'event_listener', appId: event.appId, subject: { event: event.type }, error });
      }
    }
  }
}
