// A session's sends: each `send` frame is stored through core and answered
// with an ack carrying the stored message, or an error frame. Sends to one
// conversation are stored in the order the client sent them (core's send
// lanes: in order, yet sharing commits); sends to different conversations
// run side by side. Every send meets other sessions' sends in core's group
// commit. At most MAX_IN_FLIGHT may await their answer.

import { isParleyError } from '../core/errors.ts';
import { SendLane } from '../core/messages/send-lane.ts';
import type { GatewayCore, UserPrincipal } from './contract.ts';
import { frame, type SendFrame } from './protocol.ts';

export const MAX_IN_FLIGHT = 256;

/** Where a send that fails for no rule of core's is logged. */
/** Where a send that failed inside the server is reported (logged and counted). */
type Failed = (what: string, error: unknown) => void;

export interface Sender {
  readonly id: string;
  readonly principal: UserPrincipal;
  write(data: string): void;
}

export class Sends {
  #inFlight = 0;
  /** Per target conversation: the order this device's sends are stored in. */
  #lanes: Map<string, SendLane> | undefined;

  submit(session: Sender, core: GatewayCore, failed: Failed, f: SendFrame): void {
    if (this.#inFlight >= MAX_IN_FLIGHT) {
      session.write(frame.error('too_many_in_flight', `at most ${MAX_IN_FLIGHT} sends may await their ack`, f.ref));
      return;
    }
    this.#inFlight++;
    const key = `${String(f.message.groupId)}/${String(f.message.userId)}`;
    this.#lanes ??= new Map();
    let lane = this.#lanes.get(key);
    if (!lane) this.#lanes.set(key, (lane = new SendLane()));
    void store(session, core, failed, f, lane).finally(() => {
      this.#inFlight--;
      if (lane.idle && this.#lanes?.get(key) === lane) this.#lanes.delete(key);
    });
  }
}

async function store(session: Sender, core: GatewayCore, failed: Failed, f: SendFrame, lane: SendLane): Promise<void> {
  try {
    const m = await core.send(session.principal, f.message, lane);
    session.write(frame.ack(f.ref, m.message));
  } catch (e) {
    if (isParleyError(e)) session.write(frame.error(e.code, e.message, f.ref, e.details));
    else {
      failed('send', e);
      session.write(frame.error('internal', 'internal error', f.ref));
    }
  }
}
