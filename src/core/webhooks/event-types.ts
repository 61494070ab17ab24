// Which domain events reach webhooks: each type's category (what an endpoint
// subscribes to) and its ordering key (deliveries with one key arrive in
// commit order). A type missing here is never delivered. New event types
// (edits, reactions, pins…) add one line each.

import type { DomainEvent } from '../events.ts';
import type { Message } from '../messages/model.ts';
import type { WebhookCategory } from './model.ts';

type EventOf<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>;

interface Route<T extends DomainEvent['type']> {
  category: WebhookCategory;
  key: (e: EventOf<T>) => string;
}

/** A group's messages and its changes share one key, so a receiver sees a join before the joiner's first message. */
const messageKey = (m: Message) => (m.groupId !== null ? `g:${m.groupId}` : `c:${m.conversationId}`);
const groupKey = (e: { groupId: number }) => `g:${e.groupId}`;
const callKey = (e: { call: { id: number } }) => `call:${e.call.id}`;

const group = { category: 'groups', key: groupKey } as const;
const membership = { category: 'membership', key: groupKey } as const;
const files = { category: 'files', key: groupKey } as const;
const calls = { category: 'calls', key: callKey } as const;

export const webhookRoutes: { [T in DomainEvent['type']]?: Route<T> } = {
  'message.sent': { category: 'messages', key: (e) => messageKey(e.message) },
  'message.revoked': { category: 'revokes', key: (e) => messageKey(e.message) },
  'group.created': group,
  'group.updated': group,
  'group.dismissed': group,
  'group.owner_transferred': group,
  'group.announcement_posted': group,
  'group.announcement_updated': group,
  'group.announcement_deleted': group,
  'group.members_joined': membership,
  'group.member_left': membership,
  'group.members_removed': membership,
  'group.roles_changed': membership,
  'group.members_muted': membership,
  'group.members_unmuted': membership,
  'group.members_blocked': membership,
  'group.members_unblocked': membership,
  'group.member_updated': membership,
  'group.application_created': membership,
  'group.application_handled': membership,
  'group.invitation_created': membership,
  'group.invitation_handled': membership,
  'group.file_added': files,
  'group.file_renamed': files,
  'group.file_deleted': files,
  'call.started': calls,
  'call.accepted': calls,
  'call.updated': calls,
  'call.stopped': calls,
  'device.signed_in': { category: 'sign_ins', key: (e) => `u:${e.userId}` },
};

/** The category and ordering key of an event, or undefined when webhooks never carry it. */
export function routeOf(e: DomainEvent): { category: WebhookCategory; key: string } | undefined {
  const r = webhookRoutes[e.type] as Route<typeof e.type> | undefined;
  return r && { category: r.category, key: (r.key as (x: DomainEvent) => string)(e) };
}

/**
 * The event as a webhook carries it: the shape WebSocket clients get (the
 * event without its routing field), minus what is only for one party's
 * eyes (a call's media ticket).
 */
export function webhookEvent(e: DomainEvent): Record<string, unknown> {
  // Routing for the gateway (who hears it, from when a quote is hidden), not part of the event.
  const { audience: _audience, quotedAt: _quotedAt, ...rest } = e as DomainEvent & { audience?: unknown; quotedAt?: unknown };
  if (e.type === 'call.accepted') delete (rest as { ticket?: unknown }).ticket;
  return rest;
}
