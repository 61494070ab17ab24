// A local copy of the caller's conversations that stays exactly equal to the
// server's history across disconnects: it takes what the socket pushes, names
// its positions in every hello (so the server replays what was missed), pages
// HTTP history for what the server will not replay (gaps, conversations that
// started while offline), and never counts past a hole (a position is the end
// of the unbroken run of seqs held, so a resume cannot skip a message).

import type { ParleyClient } from './client.ts';
import type { Gap, ParleySocket, SocketOptions } from './socket.ts';
import type { Message, Target } from './types.ts';

/** The key the WebSocket protocol names a conversation by (`g:<groupId>`, `p:<low userId>:<high userId>`). */
export function conversationKey(m: Pick<Message, 'kind' | 'groupId' | 'senderId' | 'recipientId'>): string | undefined {
  if (m.kind === 'group' && m.groupId !== null) return `g:${m.groupId}`;
  if (m.senderId === null || m.recipientId === null) return undefined;
  return `p:${Math.min(m.senderId, m.recipientId)}:${Math.max(m.senderId, m.recipientId)}`;
}

interface Held {
  bySeq: Map<number, Message>;
  /** First seq of the history as the caller may read it; known once the conversation was paged from its start. */
  start: number | undefined;
}

export class ConversationMirror {
  readonly #client: ParleyClient;
  readonly #held = new Map<string, Held>();
  #userId: number | undefined;
  #work: Promise<void> = Promise.resolve();
  /** Called after any change, with the key of the conversation that changed. */
  onChange: ((key: string) => void) | undefined;
  /** Called when an HTTP catch-up fails (it is retried at the next ready). */
  onError: ((e: unknown) => void) | undefined;

  constructor(client: ParleyClient) {
    this.#client = client;
  }

  /** A socket wired to this mirror: positions in hello, pushed messages in, catch-up after each ready and gap. */
  socket(opts: Omit<SocketOptions, 'url' | 'token' | 'positions' | 'onMessage' | 'onReady' | 'onGap'> = {}): ParleySocket {
    const socket: ParleySocket = this.#client.socket({
      ...opts,
      positions: () => this.positions(),
      onMessage: (m, key) => this.ingest(m, key),
      onReady: () => {
        this.#userId = socket.userId;
        void this.catchUp();
      },
      onGap: (gap) => void this.fillGap(gap),
    });
    return socket;
  }

  /** Conversation keys held. */
  keys(): string[] {
    return [...this.#held.keys()];
  }

  /** The messages of a conversation held, in seq order. */
  messages(key: string): Message[] {
    const h = this.#held.get(key);
    return h ? [...h.bySeq.values()].sort((a, b) => a.seq - b.seq) : [];
  }

  /** Per conversation paged from its start, the last seq of the unbroken run held (what hello names). */
  positions(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, h] of this.#held) {
      if (h.start === undefined) continue;
      let s = h.start - 1;
      while (h.bySeq.has(s + 1)) s++;
      out[key] = s;
    }
    return out;
  }

  /** Takes a message (pushed or read); a later copy of the same seq (a revoke, an edit) replaces the earlier. */
  ingest(m: Message, key = conversationKey(m)): void {
    if (!key) return;
    let h = this.#held.get(key);
    if (!h) this.#held.set(key, (h = { bySeq: new Map(), start: undefined }));
    h.bySeq.set(m.seq, m);
    this.onChange?.(key);
  }

  /** Resolves once every catch-up started so far has finished. */
  settled(): Promise<void> {
    return this.#work;
  }

  /** Pages, for every conversation the server lists, what is missing after the held position. */
  catchUp(): Promise<void> {
    return this.#queue(async () => {
      const { items } = await this.#client.messages.conversations(100);
      for (const c of items) {
        const key = c.kind === 'group' ? `g:${c.groupId}` : this.#userId !== undefined && c.peerId !== null ? `p:${Math.min(this.#userId, c.peerId)}:${Math.max(this.#userId, c.peerId)}` : undefined;
        const target = this.#target(key);
        if (!key || !target) continue;
        const from = this.positions()[key] ?? 0;
        if (c.lastSeq > from) await this.#page(key, target, from);
      }
    });
  }

  /** Pages the hole the server said it will not send. */
  fillGap(gap: Gap): Promise<void> {
    return this.#queue(async () => {
      const target = this.#target(gap.conversation);
      if (target) await this.#page(gap.conversation, target, Math.min(gap.after, this.positions()[gap.conversation] ?? 0), gap.before);
    });
  }

  #queue(job: () => Promise<void>): Promise<void> {
    const run = this.#work.then(job).catch((e: unknown) => this.onError?.(e));
    this.#work = run;
    return run;
  }

  #target(key: string | undefined): Target | undefined {
    const g = key && /^g:(\d+)$/.exec(key);
    if (g) return { groupId: Number(g[1]) };
    const p = key && /^p:(\d+):(\d+)$/.exec(key);
    if (!p || this.#userId === undefined) return undefined;
    const [a, b] = [Number(p[1]), Number(p[2])];
    return { userId: a === this.#userId ? b : a };
  }

  async #page(key: string, target: Target, after: number, before?: number): Promise<void> {
    let from = after;
    let first = true;
    for (;;) {
      const page = await this.#client.messages.history(target, { after: from, order: 'asc', limit: 100 });
      const items = before === undefined ? page.items : page.items.filter((m) => m.seq < before);
      for (const m of items) this.ingest(m, key);
      const h = this.#held.get(key);
      // Paged from nothing held: the first item is where this caller's history starts.
      if (first && after === 0 && h && h.start === undefined) h.start = items[0]?.seq ?? page.lastSeq + 1;
      first = false;
      if (!page.more || items.length === 0 || items.length < page.items.length) return;
      from = items[items.length - 1].seq;
    }
  }
}
