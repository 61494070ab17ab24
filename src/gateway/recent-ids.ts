// The last few envelope ids a session saw: an unordered event or an
// ephemeral signal can reach a session by two topics (its user's and a
// group's), and the session writes it once.

const KEPT = 16;

export class RecentIds {
  // Allocated only when needed: most sessions are idle most of the time.
  #ids: string[] | undefined;

  /** True when `id` was seen already; otherwise it is noted (the oldest of KEPT falls out). */
  seen(id: string): boolean {
    this.#ids ??= [];
    if (this.#ids.includes(id)) return true;
    this.#ids.push(id);
    if (this.#ids.length > KEPT) this.#ids.shift();
    return false;
  }
}
