// Delivery receipts: a device of the recipient received private messages, and
// their senders are told (dtalk's Received signal; native clients get the
// event too). Nothing is stored here: a receipt is a notification like the
// read position's, and the device's place in the stream is kept by
// core.devices (advanceDelivered).

import type { MessagingContext } from './context.ts';

/** Receipts handled per call; a caller batches what one device acknowledged. */
const MAX_DELIVERED_IDS = 256;

export async function delivered(ctx: MessagingContext, appId: number, userId: number, messageIds: readonly number[]): Promise<void> {
  const bySender = new Map<number, number[]>();
  for (const id of [...new Set(messageIds)].slice(0, MAX_DELIVERED_IDS)) {
    if (!Number.isSafeInteger(id) || id <= 0) continue;
    const m = await ctx.store.messages.get(id);
    // Only private messages addressed to this user count, and not revoked ones.
    if (!m || m.appId !== appId || m.revokedAt !== null || m.senderId === null || m.senderId === userId) continue;
    const c = await ctx.conversations.get(m.conversationId);
    if (!c || c.kind !== 'private' || (c.userA !== userId && c.userB !== userId)) continue;
    let ids = bySender.get(m.senderId);
    if (!ids) bySender.set(m.senderId, (ids = []));
    ids.push(id);
  }
  const at = ctx.clock.now();
  for (const [senderId, ids] of bySender) {
    ctx.events.emit({ type: 'message.delivered', appId, audience: { users: [senderId] }, userId, messageIds: ids, at });
  }
}
