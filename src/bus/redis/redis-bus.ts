// Redis pub/sub (ioredis). One connection publishes, one subscribes (Redis
// puts a subscribing connection in a mode where it can do nothing else).
// Redis pub/sub is fire-and-forget: payloads published while the subscriber
// is disconnected are lost, so a reconnect reports an interruption.
//
// The publishing connection queues nothing while Redis is away
// (`enableOfflineQueue: false`) and gives up on a command in flight when its
// connection drops (`maxRetriesPerRequest: 0`): a notification held back for
// minutes would arrive stale, and a queue that grows for as long as Redis is
// down is a memory leak. Such a publish fails at once and is reported; the
// first failure of a run fires an interruption (`publish_failed`), and the
// publisher's reconnect another (`reconnected`), so that caches relying on
// notifications fail closed and sessions re-read what they missed.

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ReportBackgroundFailure } from '../../core/background.ts';
import type { Bus, BusHandler, Interruption } from '../../core/bus.ts';
import { Interruptions, TopicTable } from '../topic-table.ts';

export class RedisBus implements Bus {
  readonly scope = 'cluster' as const;

  // Other processes may listen to any topic.
  mayDeliver(): boolean {
    return true;
  }
  /** CLIENT LIST names of the two connections (operators, tests). */
  readonly subscriberName = `parley-bus-${randomBytes(6).toString('hex')}`;
  readonly publisherName = `${this.subscriberName}-pub`;
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #table: TopicTable;
  readonly #interruptions: Interruptions;
  readonly #report: ReportBackgroundFailure;
  #closed = false;
  #lostConnection = false;
  #lostPublisher = false;
  /** Since the last publish that failed, none succeeded (one interruption per run of failures, not one per payload). */

  constructor(url: string, report: ReportBackgroundFailure) {
    this.#report = report;
    this.#interruptions = new Interruptions(report);
    this.#pub = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectionName: this.publisherName });
    // Subscribing waits for a reconnect (ioredis re-subscribes every channel
    // then): its queue is bounded by the topics this process needs.
    this.#sub = new Redis(url, { lazyConnect: true, enableOfflineQueue: true, maxRetriesPerRequest: null, connectionName: this.subscriberName });
    this.#table = new TopicTable(
      {
        add: async (topic) => {
          // Resolves on Redis's subscribe reply: from then on it delivers the channel to us.
          await this.#sub.subscribe(topic);
        },
        remove: (topic) => {
          if (this.#closed) return;
          this.#sub.unsubscribe(topic).catch((error: unknown) => this.#report({ task: 'bus_connection', subject: { connection: 'subscriber', unsubscribe: topic }, error }));
        },
      },
      report,
    );
    this.#sub.on('message', (channel: string, payload: string) => this.#table.dispatch(channel, payload));
    this.#watchErrors(this.#pub, 'publisher');
    this.#watchErrors(this.#sub, 'subscriber');
    this.#sub.on('close', () => {
      if (!this.#closed) this.#lostConnection = true;
    });
    // ioredis re-subscribes every channel on reconnect before 'ready'.
    this.#sub.on('ready', () => {
      if (this.#lostConnection) {
        this.#lostConnection = false;
        this.#interruptions.fire({ reason: 'reconnected' });
      }
    });
    // The publisher back: what failed while it was away is lost, and now can be made up for.
    this.#pub.on('close', () => {
      if (!this.#closed) this.#lostPublisher = true;
    });
    this.#pub.on('ready', () => {
      if (!this.#lostPublisher) return;
      this.#lostPublisher = false;
      this.#interruptions.reconnected();
    });
  }

  /**
   * ioredis reconnects by itself and says so with an 'error' per failed
   * attempt; the first of each outage is reported (one line per outage, not
   * one every retry), and what was lost meanwhile surfaces as an interruption.
   */
  #watchErrors(c: Redis, connection: 'publisher' | 'subscriber'): void {
    let reported = false;
    c.on('ready', () => (reported = false));
    c.on('error', (error: unknown) => {
      if (reported || this.#closed) return;
      reported = true;
      this.#report({ task: 'bus_connection', subject: { connection, bus: 'redis' }, error });
    });
  }

  async connect(): Promise<void> {
    await Promise.all([this.#pub.connect(), this.#sub.connect()]);
  }

  publish(topic: string, payload: string): void {
    void this.publishConfirmed(topic, payload);
  }

  async publishConfirmed(topic: string, payload: string): Promise<boolean> {
    // After close (a shutdown in progress) nothing more is sent, on purpose.
    if (this.#closed) return false;
    try {
      await this.#pub.publish(topic, payload);
      this.#interruptions.published();
      return true;
    } catch (error) {
      this.#interruptions.publishFailed('redis', topic, error);
      return false;
    }
  }

  subscribe(topic: string, handler: BusHandler): Promise<() => void> {
    return this.#table.subscribe(topic, handler);
  }

  onInterrupted(listener: (cause: Interruption) => void): () => void {
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

export async function openRedisBus(url: string, report: ReportBackgroundFailure): Promise<Bus> {
  const bus = new RedisBus(url, report);
  try {
    await bus.connect();
  } catch (e) {
    await bus.close();
    throw new Error(`cannot reach Redis at ${url}: ${(e as Error).message}`);
  }
  return bus;
}
