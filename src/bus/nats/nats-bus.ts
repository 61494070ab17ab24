// NATS core pub/sub (the `nats` client). Core NATS is at-most-once: payloads
// published while this client is reconnecting are lost, and a subscriber that
// falls too far behind is cut off by the server, so a reconnect reports an
// interruption.
//
// While disconnected, a publish fails at once (reported; the first failure of
// a run is announced as an interruption) rather than wait in the client's buffer for as long as the
// server is away: a notification held back arrives stale, and the buffer
// would grow without bound. The same goes for a payload the server refuses
// (larger than its max_payload).

import { connect, type NatsConnection, type Subscription } from 'nats';
import type { ReportBackgroundFailure } from '../../core/background.ts';
import type { Bus, BusHandler, Interruption } from '../../core/bus.ts';
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
  readonly #interruptions: Interruptions;
  readonly #report: ReportBackgroundFailure;
  #closed = false;
  #connected = true;
  /** Since the last publish that failed, none succeeded (one interruption per run of failures, not one per payload). */

  constructor(nc: NatsConnection, report: ReportBackgroundFailure) {
    this.#nc = nc;
    this.#report = report;
    this.#interruptions = new Interruptions(report);
    this.#table = new TopicTable(
      {
        add: async (topic) => {
          const sub = nc.subscribe(topic, {
            callback: (err, msg) => {
              if (err) this.#report({ task: 'bus_connection', subject: { topic, bus: 'nats' }, error: err });
              else this.#table.dispatch(topic, msg.string());
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
      },
      report,
    );
    void this.#watch();
  }

  async #watch(): Promise<void> {
    for await (const s of this.#nc.status()) {
      if (s.type === 'disconnect') {
        this.#connected = false;
        if (!this.#closed) this.#report({ task: 'bus_connection', subject: { bus: 'nats', server: String(s.data) }, error: new Error('disconnected from NATS; reconnecting') });
      } else if (s.type === 'reconnect') {
        this.#connected = true;
        this.#interruptions.reconnected();
      } else if (s.type === 'error' && !this.#closed) {
        this.#report({ task: 'bus_connection', subject: { bus: 'nats' }, error: s.data });
      }
    }
  }

  publish(topic: string, payload: string): void {
    void this.publishConfirmed(topic, payload);
  }

  async publishConfirmed(topic: string, payload: string): Promise<boolean> {
    // After close (a shutdown in progress) nothing more is sent, on purpose.
    if (this.#closed) return false;
    try {
      if (!this.#connected) throw new Error('not connected to NATS (reconnecting)');
      this.#nc.publish(topic, payload);
      this.#interruptions.published();
      return true;
    } catch (error) {
      this.#interruptions.publishFailed('nats', topic, error);
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
    this.#subs.clear();
    // What was published last (an admin command's one announcement) leaves before the connection goes.
    await this.#nc.flush().catch((error: unknown) => this.#report({ task: 'bus_publish', subject: { bus: 'nats', on: 'close' }, error }));
    await this.#nc.close().catch((error: unknown) => this.#report({ task: 'bus_connection', subject: { bus: 'nats', on: 'close' }, error }));
  }
}

export async function openNatsBus(url: string, report: ReportBackgroundFailure): Promise<Bus> {
  const u = new URL(url);
  try {
    const nc = await connect({
      servers: `${u.hostname}:${u.port || '4222'}`,
      ...(u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : {}),
      reconnect: true,
      maxReconnectAttempts: -1,
      name: 'parley',
    });
    return new NatsBus(nc, report);
  } catch (e) {
    throw new Error(`cannot reach NATS at ${u.host}: ${(e as Error).message}`);
  }
}
