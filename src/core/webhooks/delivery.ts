// The outbox worker. Every process runs one; they share the outbox through
// leases (OutboxRepo.lease), so a delivery is in one worker's hands at a time
// and each (endpoint, ordering key) is delivered strictly in commit order: the
// next delivery of a key is leased only once the one before it is gone. A
// failed delivery is retried with exponential backoff and jitter until
// `retryMs` after the event, then dropped; a key waiting for its retry holds
// back only that key of that endpoint, never other keys, endpoints or apps.
// A worker that dies mid-delivery leaves a lease that lapses; another worker
// then delivers again (at least once: receivers de-duplicate by event id).
// While no app has an endpoint the outbox is empty (removing an endpoint
// removes its deliveries), so the worker does not look at it at all: it
// learns of a new endpoint from the change (this process, or another one over
// the bus) and, should that notice be lost, from a slow re-read.

import { backoffDelay } from '../backoff.ts';
import type { ReportBackgroundFailure } from '../background.ts';
import type { Clock } from '../clock.ts';
import type { LeasedDelivery } from './model.ts';
import type { OutboxRepo, WebhookRepo, WebhookTransport } from './ports.ts';
import { signedHeaders } from './signature.ts';

export interface DeliverySettings {
  /** How long one POST may take before it counts as failed. */
  timeoutMs: number;
  /** How long after the event a delivery is still retried. */
  retryMs: number;
  /** The first retry waits about this long; each next about twice as long, up to `retryCapMs`. */
  retryBaseMs: number;
  retryCapMs: number;
  /** Deliveries in flight per process. */
  concurrency: number;
  /** How often the outbox is looked at when nothing woke the worker (other processes' events, due retries). */
  pollMs: number;
  /** How often whether any endpoint exists is read again, whatever the notices said (bounds a lost one). */
  recheckMs: number;
}

export type DeliveryOutcome = 'delivered' | 'failed' | 'dropped';

export interface DeliveryDeps {
  outbox: OutboxRepo;
  registry: Pick<WebhookRepo, 'hasEndpoints'>;
  transport: WebhookTransport;
  clock: Clock;
  settings: DeliverySettings;
  /** Names this process's leases. */
  owner: string;
  report: ReportBackgroundFailure;
  /** Told of every attempt (metrics). */
  onOutcome?: (appId: number, outcome: DeliveryOutcome) => void;
}

export class WebhookDelivery {
  readonly #d: DeliveryDeps;
  readonly #inFlight = new Set<Promise<void>>();
  #leasing = false;
  #again = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #recheckTimer: NodeJS.Timeout | undefined;
  /** Whether some app has an endpoint, as last read: without one, nothing is ever due. */
  #endpoints = false;
  #checking: Promise<void> | undefined;
  #checkAgain = false;

  constructor(deps: DeliveryDeps) {
    this.#d = deps;
  }

  start(): void {
    this.#timer = setInterval(() => this.wake(), this.#d.settings.pollMs);
    this.#timer.unref();
    this.#recheckTimer = setInterval(() => void this.endpointsChanged(), this.#d.settings.recheckMs);
    this.#recheckTimer.unref();
    void this.endpointsChanged();
  }

  /**
   * Endpoints may have been added or removed (here, or in another process):
   * reads whether any exists, then looks for work if so. Checks asked for
   * while one runs make one more read after it, so no change is missed.
   */
  endpointsChanged(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#checking) {
      this.#checkAgain = true;
      return this.#checking;
    }
    this.#checking = (async () => {
      try {
        do {
          this.#checkAgain = false;
          this.#endpoints = await this.#d.registry.hasEndpoints();
        } while (this.#checkAgain && !this.#stopped);
      } catch (error) {
        // Not knowing, look at the outbox as if there were endpoints: polls cost reads, a missed delivery costs more.
        this.#endpoints = true;
        this.#d.report({ task: 'webhook_delivery', subject: { step: 'endpoints' }, error });
      } finally {
        this.#checking = undefined;
      }
      this.wake();
    })();
    return this.#checking;
  }

  /** Something may be due (a local commit, a finished delivery): lease now rather than at the next poll. */
  wake(): void {
    if (this.#stopped || !this.#endpoints) return;
    if (this.#leasing) {
      this.#again = true;
      return;
    }
    void this.#leaseMore();
  }

  /** Stops leasing and waits for the deliveries in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    clearInterval(this.#recheckTimer);
    await this.#checking;
    await Promise.allSettled([...this.#inFlight]);
  }

  async #leaseMore(): Promise<void> {
    this.#leasing = true;
    const { outbox, clock, settings, owner } = this.#d;
    try {
      do {
        this.#again = false;
        const free = settings.concurrency - this.#inFlight.size;
        if (free <= 0) break;
        const now = clock.now();
        // Most polls find nothing: ask with a read (the due index) before leasing in a transaction.
        if (!(await outbox.hasDue(now))) break;
        // The lease outlasts the POST's timeout, so it lapses only when this process is gone or stuck.
        const leased = await outbox.lease(owner, now, now + settings.timeoutMs + LEASE_MARGIN_MS, free);
        for (const d of leased) {
          const p: Promise<void> = this.#deliver(d).finally(() => {
            this.#inFlight.delete(p);
            this.wake();
          });
          this.#inFlight.add(p);
        }
        if (leased.length === free) this.#again = true;
      } while (this.#again && !this.#stopped);
    } catch (error) {
      this.#d.report({ task: 'webhook_delivery', subject: { step: 'lease' }, error });
    } finally {
      this.#leasing = false;
    }
  }

  async #deliver(d: LeasedDelivery): Promise<void> {
    const { transport, clock, settings, outbox } = this.#d;
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Parley-Webhooks/1',
      // The event's id: the same on every retry and for every endpoint, as the body's `id` (receivers de-duplicate by it).
      ...signedHeaders(d.secret, String(d.eventId), Math.floor(clock.now() / 1000), d.payload),
      'Parley-Event-Id': String(d.eventId),
      'Parley-Event-Type': d.type,
    };
    let error: string | undefined;
    try {
      const answer = await transport.post(d.url, d.payload, headers, settings.timeoutMs);
      if (answer.status < 200 || answer.status > 299) error = `the endpoint answered HTTP ${answer.status}`;
    } catch (e) {
      error = (e as Error)?.name === 'TimeoutError' ? `no answer within ${settings.timeoutMs} ms` : `the request failed: ${(e as Error)?.message ?? String(e)}`;
    }
    const at = clock.now();
    let outcome: DeliveryOutcome;
    try {
      if (error === undefined) {
        outcome = 'delivered';
        await outbox.delivered(d, at);
      } else if (at - d.createdAt >= settings.retryMs) {
        outcome = 'dropped';
        await outbox.dropped(d, at, error);
      } else {
        outcome = 'failed';
        await outbox.failed(d, at, at + retryDelay(settings, d.attempts + 1), error);
      }
    } catch (e) {
      // The lease lapses and the delivery is tried again.
      this.#d.report({ task: 'webhook_delivery', appId: d.appId, subject: { step: 'settle', endpointId: d.endpointId, eventId: d.eventId }, error: e });
      return;
    }
    this.#d.onOutcome?.(d.appId, outcome);
  }
}

const LEASE_MARGIN_MS = 30_000;

/**
 * "Equal jitter": half the exponential ceiling, plus a random part of the
 * other half, so retries spread out yet never come back almost at once.
 */
export function retryDelay(s: Pick<DeliverySettings, 'retryBaseMs' | 'retryCapMs'>, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(s.retryCapMs, s.retryBaseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(ceiling / 2) + Math.floor(backoffDelay({ baseMs: s.retryBaseMs, capMs: s.retryCapMs }, retry, random) / 2);
}
