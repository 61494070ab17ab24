// Typing and presence in the client: who is typing where (each entry expires
// after the server's ttlMs unless renewed), who is online, and when others
// were last seen. All of it is ephemeral: frames may be missed, so entries
// expire by themselves and presence is re-read over HTTP when a conversation
// opens and after every reconnect.

import type { Presence, TypingFrame } from '@parley/sdk';
import { groupKey, userKey, type ConvKey } from './keys.ts';

/** What Live needs of the store. */
export interface LiveHost {
  meId(): number | undefined;
  changed(): void;
  presenceOf(userIds: number[]): Promise<{ items: Presence[] }>;
  sendTyping(key: ConvKey, active: boolean): void;
}

/** Matches the server's coalescing interval: more often would only be dropped. */
const TYPING_EVERY_MS = 2000;
/** Typing stops by itself when the user has not typed for this long. */
const IDLE_STOP_MS = 4000;
const MAX_ASK = 100;

export class Live {
  readonly #host: LiveHost;
  /** Per conversation: typists and when their indicator expires. */
  readonly typing = new Map<ConvKey, Map<number, number>>();
  readonly presence = new Map<number, Presence>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** My own typing: per conversation, when the last start went out, and the idle stop. */
  readonly #mine = new Map<ConvKey, { sentAt: number; idle: ReturnType<typeof setTimeout> }>();

  constructor(host: LiveHost) {
    this.#host = host;
  }

  // ---- others ------------------------------------------------------------

  typingFrame(t: TypingFrame): void {
    if (t.userId === this.#host.meId()) return;
    const key = t.groupId !== undefined ? groupKey(t.groupId) : userKey(t.userId);
    let who = this.typing.get(key);
    if (t.active) {
      if (!who) this.typing.set(key, (who = new Map()));
      who.set(t.userId, Date.now() + t.ttlMs);
    } else who?.delete(t.userId);
    this.#schedule();
    this.#host.changed();
  }

  /** A message from a typist ends their indicator at once. */
  messageFrom(key: ConvKey, senderId: number | null): void {
    if (senderId !== null && this.typing.get(key)?.delete(senderId)) this.#host.changed();
  }

  /** Who is typing in `key` now. */
  typists(key: ConvKey): number[] {
    const now = Date.now();
    return [...(this.typing.get(key) ?? [])].filter(([, until]) => until > now).map(([id]) => id);
  }

  presenceFrame(p: Presence): void {
    this.presence.set(p.userId, p);
    this.#host.changed();
  }

  /** Reads the presence of these users (a conversation opened, or after a reconnect). */
  async watch(userIds: number[]): Promise<void> {
    const ids = [...new Set(userIds)].filter((id) => id !== this.#host.meId()).slice(0, MAX_ASK);
    if (ids.length === 0) return;
    const { items } = await this.#host.presenceOf(ids);
    for (const p of items) this.presence.set(p.userId, p);
    this.#host.changed();
  }

  /** Forgets the indicators that expired, and wakes again for the next one. */
  #schedule(): void {
    clearTimeout(this.#timer);
    const now = Date.now();
    let next = Infinity;
    for (const [key, who] of this.typing) {
      for (const [id, until] of who) {
        if (until <= now) who.delete(id);
        else next = Math.min(next, until);
      }
      if (who.size === 0) this.typing.delete(key);
    }
    if (next !== Infinity) {
      this.#timer = setTimeout(() => {
        this.#schedule();
        this.#host.changed();
      }, next - now + 10);
    }
  }

  // ---- me ------------------------------------------------------------------

  /** The user typed in `key`: a start at most every TYPING_EVERY_MS, a stop after IDLE_STOP_MS without typing. */
  typed(key: ConvKey): void {
    const now = Date.now();
    const mine = this.#mine.get(key);
    if (mine) clearTimeout(mine.idle);
    const sentAt = !mine || now - mine.sentAt >= TYPING_EVERY_MS ? now : mine.sentAt;
    if (sentAt === now) this.#host.sendTyping(key, true);
    this.#mine.set(key, { sentAt, idle: setTimeout(() => this.stopped(key), IDLE_STOP_MS) });
  }

  /** The user sent, cleared the text or left: stop showing them typing. */
  stopped(key: ConvKey): void {
    const mine = this.#mine.get(key);
    if (!mine) return;
    clearTimeout(mine.idle);
    this.#mine.delete(key);
    this.#host.sendTyping(key, false);
  }
}

