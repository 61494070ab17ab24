// Redis pub/sub (ioredis). One connection publishes, one subscribes (Redis
// puts a subscribing connection in a mode where it can do nothing else).
// Redis pub/sub is fire-and-forget: payloads published while the subscriber
// is disconnected are lost, so a reconnect reports an interruption.

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Bus, BusHandler } from '../../core/bus.ts';
import { Interruptions, TopicTable } from '../topic-table.ts';

export class RedisBus implements Bus {
  readonly scope = 'cluster' as const;

  // Other processes may listen to any topic.
  mayDeliver(): boolean {
    return true;
  }
  /** CLIENT LIST name of the subscribing connection (operators, tests). */
  readonly subscriberName = `parley-bus-${randomBytes(6).toString('hex')}`;
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #table: TopicTable;
  readonly #interruptions = new Interruptions();
  #closed = false;
  #lostConnection = false;

  constructor(url: string) {
    const options = { lazyConnect: true, maxRetriesPerRequest: null, enableOfflineQueue: true };
    this.#pub = new Redis(url, options);
    this.#sub = new Redis(url, { ...options, connectionName: this.subscriberName });
    this.#table = new TopicTable({
      add: async (topic) => {
        // Resolves on Redis's subscribe reply: from then on it delivers the channel to us.
        await this.#sub.subscribe(topic);
      },
      remove: (topic) => {
        if (!this.#closed) this.#sub.unsubscribe(topic).catch(() => {});
      },
    });
    this.#sub.on('message', (channel: string, payload: string) => this.#table.dispatch(channel, payload));
    for (const c of [this.#pub, this.#sub]) c.on('error', () => {}); // ioredis reconnects by itself; errors surface as interruptions
    this.#sub.on('close', () => {
      if (!this.#closed) this.#lostConnection = true;
    });
    // ioredis re-subscribes every channel on reconnect before 'ready'.
    this.#sub.on('ready', () => {
      if (this.#lostConnection) {
        this.#lostConnection = false;
        this.#interruptions.fire();
      }
    });
  }

  async connect(): Promise<void> {
    await Promise.all([this.#pub.connect(), this.#sub.connect()]);
  }

  publish(topic: string, payload: string): void {
    if (this.#closed) return;
    this.#pub.publish(topic, payload).catch(() => {});
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
    await Promise.allSettled([this.#pub.quit(), this.#sub.quit()]);
    this.#pub.disconnect();
    this.#sub.disconnect();
  }
}

export async function openRedisBus(url: string): Promise<Bus> {
  const bus = new RedisBus(url);
  try {
    await bus.connect();
  } catch (e) {
    await bus.close();
    throw new Error(`cannot reach Redis at ${url}: ${(e as Error).message}`);
  }
  return bus;
}
