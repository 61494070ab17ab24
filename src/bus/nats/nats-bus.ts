// NATS core pub/sub (the `nats` client). Core NATS is at-most-once: payloads
// published while this client is reconnecting are lost, and a subscriber that
// falls too far behind is cut off by the server, so a reconnect reports an
// interruption.

import { connect, type NatsConnection, type Subscription } from 'nats';
import type { Bus, BusHandler } from '../../core/bus.ts';
import { Interruptions, TopicTable } from '../topic-table.ts';

export class NatsBus implements Bus {
  readonly scope = 'cluster' as const;

  // Other processes may listen to any topic.
  mayDeliver(): boolean {
    return true;
  }
  readonly #nc: NatsConnection;
  readonly #table: TopicTable;
  readonly #subs = new Map<string, Subscription>();
  readonly #interruptions = new Interruptions();
  #closed = false;

  constructor(nc: NatsConnection) {
    this.#nc = nc;
    this.#table = new TopicTable({
      add: async (topic) => {
        const sub = nc.subscribe(topic, {
          callback: (err, msg) => {
            if (!err) this.#table.dispatch(topic, msg.string());
          },
        });
        this.#subs.set(topic, sub);
        // A PING/PONG round trip: the server has processed our SUB before we resolve.
        await nc.flush();
      },
      remove: (topic) => {
        this.#subs.get(topic)?.unsubscribe();
        this.#subs.delete(topic);
      },
    });
    void this.#watch();
  }

  async #watch(): Promise<void> {
    for await (const s of this.#nc.status()) {
      if (s.type === 'reconnect') this.#interruptions.fire();
    }
  }

  publish(topic: string, payload: string): void {
    if (this.#closed) return;
    try {
      this.#nc.publish(topic, payload);
    } catch {
      // at-most-once: a closed or draining connection drops the notification
    }
  }

  subscribe(topic: string, handler: BusHandler): Promise<() => void> {
    return this.#table.subscribe(topic, handler);
  }

  onInterrupted(listener: () => void): () => void {
    return this.#interruptions.on(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#table.clear();
    this.#subs.clear();
    // What was published last (an admin command's one announcement) leaves before the connection goes.
    await this.#nc.flush().catch(() => {});
    await this.#nc.close().catch(() => {});
  }
}

export async function openNatsBus(url: string): Promise<Bus> {
  const u = new URL(url);
  try {
    const nc = await connect({
      servers: `${u.hostname}:${u.port || '4222'}`,
      ...(u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : {}),
      reconnect: true,
      maxReconnectAttempts: -1,
      name: 'parley',
    });
    return new NatsBus(nc);
  } catch (e) {
    throw new Error(`cannot reach NATS at ${u.host}: ${(e as Error).message}`);
  }
}
