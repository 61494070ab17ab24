// History "strictly after a moment" (legacy loadChatRecords `lastTime`,
// Easemob's `timestamp>X` export): the first message after the moment is found
// by time, then the page is read through the ordinary history rules, so
// membership, history visibility and revoke markers apply exactly as in every
// other history read. Added beside the messages module by the dialects work.

import type { Store } from '../ports.ts';
import type { ConversationTarget, Viewer } from './context.ts';
import type { HistoryPage } from './history.ts';
import type { Messages } from './messages.ts';

export interface AfterTimeQuery {
  /** Only messages created strictly after this time (ms). */
  afterMs: number;
  limit: number;
}

export async function historyAfterTime(
  deps: { messages: Messages; store: Store },
  appId: number,
  viewer: Viewer,
  target: ConversationTarget,
  q: AfterTimeQuery,
): Promise<HistoryPage> {
  // Checks the viewer may read the conversation, and finds it.
  const probe = await deps.messages.history(appId, viewer, target, { limit: 1 });
  if (probe.conversationId === null) return probe;
  const [first] = await deps.store.messages.page({
    conversationId: probe.conversationId,
    afterSeq: 0,
    beforeSeq: Number.MAX_SAFE_INTEGER,
    sinceMs: Math.max(0, Math.floor(q.afterMs) + 1),
    order: 'asc',
    limit: 1,
  });
  if (!first) return { items: [], more: false, lastSeq: probe.lastSeq, conversationId: probe.conversationId };
  return deps.messages.history(appId, viewer, target, { after: { seq: first.seq - 1 }, order: 'asc', limit: q.limit });
}
