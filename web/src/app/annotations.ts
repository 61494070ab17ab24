// Reactions and pins in the client's state (docs/messages.md "Reactions and
// pins"). Replies of the reaction and pin calls, and messages from sync,
// replace the message in its thread (Store.ingest keeps the newest `pos`);
// `message.reacted` and `message.pinned`/`unpinned` events patch it live.
// Events are the same for every reader, so `me` is kept from what we had,
// except when the reactor is us: then `mine` says exactly which are ours.

import type { Message, PinnedItem } from '@parley/sdk';
import { groupKey, keyOfMessage, targetOf, type ConvKey } from './keys.ts';
import type { Store } from './store.ts';

/** The pinned list of each conversation opened so far, newest pin first. */
export const pinnedLists = new Map<ConvKey, PinnedItem[]>();

export async function loadPins(s: Store, key: ConvKey): Promise<void> {
  try {
    const page = await s.api.messages.pins(targetOf(key));
    pinnedLists.set(key, page.items);
    for (const p of page.items) if (p.message.senderId) s.user(p.message.senderId);
  } catch {
    pinnedLists.delete(key);
  }
  s.changed();
}

/** Adds my reaction, or removes it when I already reacted with that emoji. */
export async function toggleReaction(s: Store, m: Message, emoji: string): Promise<void> {
  const mine = m.reactions?.some((r) => r.emoji === emoji && r.me);
  s.ingest(mine ? await s.api.messages.unreact(m.id, emoji) : await s.api.messages.react(m.id, emoji), false);
}

export async function setPinned(s: Store, m: Message, on: boolean): Promise<void> {
  const next = on ? await s.api.messages.pin(m.id) : await s.api.messages.unpin(m.id);
  s.ingest(next, false);
  const me = s.me?.id;
  const key = me === undefined ? undefined : keyOfMessage(next, me);
  if (key) await loadPins(s, key);
}

/** Whether I may pin in this conversation: group owners and admins; both sides of a private chat. */
export function canPin(s: Store, m: Message): boolean {
  if (m.kind !== 'group' || !m.groupId) return true;
  const role = s.groups.get(m.groupId)?.role;
  return role === 'owner' || role === 'admin';
}

function patch(s: Store, messageId: unknown, change: (m: Message) => Message | undefined): ConvKey | undefined {
  for (const [key, t] of s.threads) {
    const i = t.items.findIndex((x) => x.id === messageId);
    if (i < 0) continue;
    const next = change(t.items[i]);
    if (next) t.items[i] = next;
    return key;
  }
  return undefined;
}

/** Applies a reaction or pin event; false for any other event. */
export function annotationEvent(s: Store, ev: Record<string, unknown>): boolean {
  if (ev.type === 'message.reacted') {
    const counts = Array.isArray(ev.reactions) ? (ev.reactions as { emoji: string; count: number }[]) : [];
    const mine = ev.userId === s.me?.id && Array.isArray(ev.mine) ? new Set(ev.mine as string[]) : undefined;
    const pos = typeof ev.pos === 'number' ? ev.pos : 0;
    patch(s, ev.messageId, (m) => {
      if (pos < m.pos) return undefined; // we already hold a newer state
      const had = new Map((m.reactions ?? []).map((r) => [r.emoji, r.me]));
      return { ...m, pos, reactions: counts.map((r) => ({ emoji: r.emoji, count: r.count, me: mine ? mine.has(r.emoji) : (had.get(r.emoji) ?? false) })) };
    });
    s.changed();
    return true;
  }
  if (ev.type === 'message.pinned' || ev.type === 'message.unpinned') {
    const pinned = ev.type === 'message.pinned' ? ((ev.message as Message | undefined)?.pinned ?? null) : null;
    let key = patch(s, ev.messageId, (m) => ({ ...m, pinned }));
    if (!key && typeof ev.groupId === 'number') key = groupKey(ev.groupId);
    if (!key && ev.message && s.me) key = keyOfMessage(ev.message as Message, s.me.id);
    if (!key) for (const [k, list] of pinnedLists) if (list.some((p) => p.message.id === ev.messageId)) key = k;
    if (key && (pinnedLists.has(key) || key === s.active)) void loadPins(s, key);
    s.changed();
    return true;
  }
  return false;
}
