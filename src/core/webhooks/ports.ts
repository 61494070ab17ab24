// The ports webhooks need: the endpoint registry and the outbox (store), and
// the HTTP transport (src/webhooks/http-transport.ts).

import type { LeasedDelivery, ModerationHook, OutboxEntry, WebhookCategory, WebhookEndpoint } from './model.ts';

export interface WebhookRepo {
  insertEndpoint(e: WebhookEndpoint): Promise<void>;
  endpoint(appId: number, id: number): Promise<WebhookEndpoint | undefined>;
  endpoints(appId: number): Promise<WebhookEndpoint[]>;
  /** Whether any app has an endpoint (the outbox worker sleeps while none has). */
  hasEndpoints(): Promise<boolean>;
  updateEndpoint(appId: number, id: number, patch: { url?: string; secret?: string; categories?: WebhookCategory[] }): Promise<boolean>;
  /** Deletes the endpoint and its waiting deliveries; false when it did not exist. */
  deleteEndpoint(appId: number, id: number): Promise<boolean>;
  moderation(appId: number): Promise<ModerationHook | undefined>;
  /** Inserts or replaces the app's moderation hook. */
  putModeration(hook: ModerationHook): Promise<void>;
  deleteModeration(appId: number): Promise<boolean>;
  /** Endpoints with at least `threshold` consecutive failures, counted per app. */
  failingCounts(threshold: number): Promise<{ appId: number; count: number }[]>;
}

/**
 * The outbox. `enqueue` runs inside the transaction of the change that caused
 * the events (atomic with it). `lease` hands out, to one caller at a time, the
 * oldest waiting delivery of each (endpoint, ordering key) that is due, so a
 * key's deliveries are tried strictly one after the other, in position order,
 * by whichever process leased it (PostgreSQL: FOR UPDATE SKIP LOCKED).
 */
export interface OutboxRepo {
  enqueue(entries: readonly OutboxEntry[]): Promise<void>;
  /** Whether any delivery is due and not leased: a read, so an idle poll writes nothing. */
  hasDue(now: number): Promise<boolean>;
  lease(owner: string, now: number, leaseUntil: number, limit: number): Promise<LeasedDelivery[]>;
  /** Delivered: the row goes, and the endpoint's failure run ends. */
  delivered(d: LeasedDelivery, at: number): Promise<void>;
  /** Failed: tried again at `nextAt`; the endpoint's failure run grows. */
  failed(d: LeasedDelivery, at: number, nextAt: number, error: string): Promise<void>;
  /** Given up (retry time over): the row goes; the endpoint's failure run grows. */
  dropped(d: LeasedDelivery, at: number, error: string): Promise<void>;
  /** Waiting deliveries (tests, operators). */
  count(appId?: number): Promise<number>;
}

export interface WebhookRepos {
  registry: WebhookRepo;
  outbox: OutboxRepo;
}

export interface HttpAnswer {
  status: number;
  /** The answer's body as text, cut at the transport's limit. */
  body: string;
}

/**
 * POSTs a JSON body. Rejects on a network failure or when no answer came
 * within `timeoutMs` (with a `TimeoutError`-named error for the latter).
 */
export interface WebhookTransport {
  post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer>;
}
