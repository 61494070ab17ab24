// Row shapes of the webhook tables (migration 0017-webhooks-outbox).

import type { Generated } from 'kysely';

export interface WebhookEndpointsTable {
  id: number;
  app_id: number;
  url: string;
  secret: string;
  /** JSON array of category names. */
  categories: string;
  created_at: number;
  consecutive_failures: Generated<number>;
  last_error: string | null;
  last_failure_at: number | null;
  last_success_at: number | null;
}

export interface WebhookModerationTable {
  app_id: number;
  url: string;
  secret: string;
  created_at: number;
}

export interface WebhookOutboxTable {
  position: Generated<number>;
  event_id: number;
  app_id: number;
  endpoint_id: number;
  ordering_key: string;
  type: string;
  payload: string;
  created_at: number;
  attempts: Generated<number>;
  next_at: number;
  lease_until: Generated<number>;
  lease_owner: string | null;
  last_error: string | null;
}

export interface WebhookTables {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_moderation: WebhookModerationTable;
  webhook_outbox: WebhookOutboxTable;
}
