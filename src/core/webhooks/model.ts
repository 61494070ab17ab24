// What an app registers to hear about its chat: endpoints (URL, secret, the
// categories of events wanted) and, at most one per app, a moderation hook
// asked before each send. See docs/webhooks.md.

/** The categories an endpoint subscribes to; each event type belongs to one (event-types.ts). */
export const WebhookCategories = ['messages', 'revokes', 'edits', 'groups', 'membership', 'calls', 'files', 'sign_ins'] as const;
export type WebhookCategory = (typeof WebhookCategories)[number];

export interface WebhookEndpoint {
  id: number;
  appId: number;
  url: string;
  /** Signs every delivery (signature.ts: Standard Webhooks, and the deprecated Parley-Signature). */
  secret: string;
  categories: WebhookCategory[];
  createdAt: number;
  /** Deliveries that failed in a row; reset by a success. */
  consecutiveFailures: number;
  lastError: string | null;
  lastFailureAt: number | null;
  lastSuccessAt: number | null;
}

export interface ModerationHook {
  appId: number;
  url: string;
  secret: string;
  createdAt: number;
}

/** One delivery waiting in the outbox: an event for one endpoint. */
export interface OutboxEntry {
  eventId: number;
  appId: number;
  endpointId: number;
  /** Deliveries with one key reach an endpoint in the order they were committed (a conversation, a call, a user). */
  orderingKey: string;
  type: string;
  /** The exact JSON body POSTed, the same on every attempt. */
  payload: string;
  createdAt: number;
}

/** A delivery a worker leased: it alone tries it until `leaseUntil`. */
export interface LeasedDelivery extends OutboxEntry {
  position: number;
  attempts: number;
  /** Who holds the lease (a settle by a worker whose lease lapsed must not undo another's). */
  leaseOwner: string;
  url: string;
  secret: string;
}
