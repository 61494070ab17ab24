// One session's typing rate limit: per conversation, at most one start every
// `intervalMs`; starts in between are coalesced (dropped: the last one
// delivered keeps the indicator alive for TYPING_TTL_MS, longer than the
// interval). A stop passes at once, but only after a start that went out, so
// repeated stops cost nothing and start/stop pairs cannot beat the limit
// (after a stop, typing again shows within `intervalMs`). Held by the session
// (a socket, or an HTTP token): the limit is per session, not per user.

/** Conversations remembered per session; past it the oldest is forgotten (a new start then passes). */
const MAX_CONVERSATIONS = 64;

export class TypingLimiter {
  readonly #intervalMs: number;
  /** Per conversation key: when the last start went out, and whether a stop followed it. */
  readonly #lastStart = new Map<string, { at: number; stopped: boolean }>();

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** Whether this signal goes out (and, if so, counts it). */
  admit(conversation: string, active: boolean, now: number): boolean {
    const last = this.#lastStart.get(conversation);
    if (!active) {
      if (!last || last.stopped) return false;
      last.stopped = true;
      return true;
    }
    if (last && now - last.at < this.#intervalMs) return false;
    this.#lastStart.delete(conversation);
    this.#lastStart.set(conversation, { at: now, stopped: false });
    if (this.#lastStart.size > MAX_CONVERSATIONS) this.#lastStart.delete(this.#lastStart.keys().next().value!);
    return true;
  }

  get size(): number {
    return this.#lastStart.size;
  }
}
