// One session's typing frames: checked one after the other (a stop must not
// overtake its start while the first membership check reads the store), a
// few at a time (more starts are dropped: coalesced; stops have room of
// their own, so a burst of starts read in one chunk cannot crowd out the stop
// behind it), under the session's own rate limit. Refusals answer with an error frame; a signal that goes out gets no
// answer (ephemeral).

import { isParleyError } from '../core/errors.ts';
import type { TypingLimiter } from '../core/presence/typing-limiter.ts';
import type { GatewayPresence, UserPrincipal } from './contract.ts';
import { frame, type TypingFrame } from './protocol.ts';

/** Starts, and apart from them stops, waiting for their check; more are dropped (coalesced). */
const MAX_QUEUED = 16;

export interface TypingHost {
  readonly principal: UserPrincipal;
  write(data: string): void;
  failed(what: string, e: unknown): void;
}

export class TypingFrames {
  readonly #host: TypingHost;
  readonly #presence: GatewayPresence;
  readonly #limiter: TypingLimiter;
  #chain: Promise<void> = Promise.resolve();
  readonly #queued = { starts: 0, stops: 0 };

  constructor(host: TypingHost, presence: GatewayPresence) {
    this.#host = host;
    this.#presence = presence;
    this.#limiter = presence.newLimiter();
  }

  submit(f: TypingFrame): void {
    const kind = f.active === false ? 'stops' : 'starts';
    if (this.#queued[kind] >= MAX_QUEUED) return;
    const target = f.groupId !== undefined ? { groupId: f.groupId } : { userId: f.userId! };
    this.#queued[kind]++;
    this.#chain = this.#chain
      .then(() => this.#presence.typing(this.#host.principal, target, f.active, this.#limiter))
      .then(
        () => {},
        (e: unknown) => {
          if (isParleyError(e)) this.#host.write(frame.error(e.code, e.message, f.ref, e.details));
          else {
            this.#host.failed('typing', e);
            this.#host.write(frame.error('internal', 'internal error', f.ref));
          }
        },
      )
      .finally(() => this.#queued[kind]--);
  }
}
