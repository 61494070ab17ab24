// The bus port: how Parley processes tell each other (and their own gateway)
// that something committed happened. Implemented by src/bus/<variant>/.
//
// Guarantee: AT-MOST-ONCE notifications. A published payload reaches every
// handler subscribed to its topic at that moment, in publish order per
// publisher, unless the broker loses it (a reconnect, a slow subscriber
// dropped by the broker). The store is the truth: anything that must not be
// lost is committed before it is published, and a subscriber that may have
// missed notifications (`onInterrupted`) re-reads the store.

/** A payload of a subscribed topic; the topic is given too, so one handler can serve many. */
export type BusHandler = (payload: string, topic: string) => void;

/**
 * Why notifications may have been lost: this process's connection to the
 * broker was lost and regained (it may have missed what others published), or
 * a payload this process published never reached the broker (every
 * subscriber, this process's own included, missed it).
 */
export type Interruption = { reason: 'reconnected' } | { reason: 'publish_failed'; topic: string };

// Variants are opened with a ReportBackgroundFailure (core/background.ts):
// whatever they cannot throw to anyone is reported there.

export interface Bus {
  /**
   * What the variant reaches: `process` delivers only inside this process (one
   * node), `cluster` delivers to every process connected to the same broker.
   */
  readonly scope: 'process' | 'cluster';

  /**
   * False when nothing published on `topic` now could reach anyone (the
   * in-process bus with no subscriber), so a publisher may skip encoding it.
   * Cluster variants answer true: another process may listen.
   */
  mayDeliver(topic: string): boolean;

  /**
   * Fire and forget: never throws, never waits for subscribers. A payload the
   * broker does not take is reported (task `bus_publish`), and the first
   * failure of a run is announced to `onInterrupted` listeners as
   * `publish_failed`; nothing is queued without bound while the broker is away.
   */
  publish(topic: string, payload: string): void;

  /** `publish`, resolving true once the broker took the payload, false when it was lost (and reported). Never rejects. */
  publishConfirmed(topic: string, payload: string): Promise<boolean>;

  /**
   * Resolves once the broker will deliver every payload published on `topic`
   * after that point (the subscription is active, not merely requested):
   * callers rely on it to subscribe to live traffic before reading the store.
   * Resolves with the function that ends this subscription.
   */
  subscribe(topic: string, handler: BusHandler): Promise<() => void>;

  /**
   * Called when notifications may be gone: after the connection to the
   * broker was lost and regained, or when a publish failed. Subscribers
   * re-read the store; caches that rely on notifications drop what they hold.
   */
  onInterrupted(listener: (cause: Interruption) => void): () => void;

  /** Ends every subscription and the broker connection. */
  close(): Promise<void>;
}
