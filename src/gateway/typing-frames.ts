// One session's typing frames: checked one after the other (a stop must not
// overtake its start while the first membership check reads the store), a
// few at a time (more are dropped: coalesced), under the session's own rate
// limit. Refusals answer with an error frame; a signal that goes out gets no
// answer (ephemeral).

import { isParleyError } from '../core/errors.ts';
import type { TypingLimiter } from '../core/presence/typing-limiter.ts';
import type { GatewayPresence, UserPrincipal } from './contract.ts';
import { frame, type TypingFrame } from './protocol.ts';

/** Typing frames waiting for their check; more are dropped (coalesced). */
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
  #queued = 0;

  constructor(host: TypingHost, presence: GatewayPresence) {
    this.#host = host;
    this.#presence = presence;
    this.#limiter = presence.newLimiter();
  }

  submit(f: TypingFrame): void {
    if (this.#queued >= MAX_QUEUED) return;
    const target = f.groupId !== undefined ? { groupId: f.groupId } : { userId: f.userId! };
    this.#queued++;
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
      .finally(() => this.#queued--);
  }
}
