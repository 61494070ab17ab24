// How a process learns of revocations it did not make and was not told about.
// The cache relay carries revocations between servers sharing Redis or NATS,
// but the embedded setup has no shared bus: `parley token revoke` runs in a
// process of its own and only the store sees it. So every server reads, about
// once a second, the tokens revoked since its last look (an indexed query on
// `revoked_at`), and treats each one it has not heard of exactly like a
// relayed revocation. It runs on every bus: a notification the bus lost is
// caught here too.

import type { Clock } from '../clock.ts';
import type { RevokedToken, Store } from '../ports.ts';

/**
 * How far back each look reaches behind the newest revocation seen: a
 * revocation stamped by another process's clock (or committed a little after
 * it was stamped) still lands in a later look. Revocations already handled are
 * remembered for this long, so none is handled twice.
 */
const OVERLAP_MS = 60_000;
const PAGE = 500;

export class RevocationWatch {
  readonly #store: Store;
  readonly #onRevoked: (token: RevokedToken) => void;
  /** The newest `revoked_at` seen (ms, as stamped by whichever process revoked). */
  #cursor: number;
  /** Token id → revoked_at of revocations already handled, kept for OVERLAP_MS. */
  readonly #handled = new Map<number, number>();

  constructor(deps: { store: Store; clock: Clock; onRevoked: (token: RevokedToken) => void }) {
    this.#store = deps.store;
    this.#onRevoked = deps.onRevoked;
    this.#cursor = deps.clock.now();
  }

  /** This process already knows of the revocation (its own, or relayed): the watch skips it. */
  heard(tokenId: number, revokedAt = this.#cursor): void {
    this.#handled.set(tokenId, revokedAt);
  }

  /** Takes back `heard`: the revocation was not this process's after all. */
  retract(tokenId: number): void {
    this.#handled.delete(tokenId);
  }

  /** One look at the store; resolves with how many revocations were new to this process. */
  async catchUp(): Promise<number> {
    const since = this.#cursor - OVERLAP_MS;
    let after = { at: since, id: 0 };
    let fresh = 0;
    for (;;) {
      const page = await this.#store.tokens.revokedSince(after.at, after.id, PAGE);
      for (const r of page) {
        this.#cursor = Math.max(this.#cursor, r.revokedAt);
        if (this.#handled.has(r.id)) continue;
        this.#handled.set(r.id, r.revokedAt);
        fresh++;
        this.#onRevoked(r);
      }
      if (page.length < PAGE) break;
      const last = page[page.length - 1];
      after = { at: last.revokedAt, id: last.id };
    }
    const forgetBefore = this.#cursor - OVERLAP_MS;
    for (const [id, at] of this.#handled) if (at < forgetBefore) this.#handled.delete(id);
    return fresh;
  }
}
