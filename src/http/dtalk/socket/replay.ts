// A phone's place in core's message stream (the original's source "Storage, sync
// and history": phones get what they have not received replayed on socket
// Auth; desktop and web page through sync-record instead).
//
// The place is the device's stored stream position (core.devices): every
// change up to it reached the phone, or is the client's to page. On Auth,
// what follows it is pushed in stream order: at most `limit` messages
// (PARLEY_DTALK_REPLAY_LIMIT, 1000 by default), the newest ones; a phone
// further behind has its position moved to just before them, and pages the
// older ones itself (sync-record), as desktop clients do. While connected,
// the position is settled from the phone's acks: it moves over the longest
// prefix of the stream the phone has (acked, or sent itself), and stops
// before the first message it lacks — one committed on another process that
// has not arrived yet, or one the bus lost — so a reconnect replays exactly
// what is missing, once.

import type { Core } from '../../../core/core.ts';
import type { DtalkNames } from '../names.ts';
import { commonOf } from '../records/translate.ts';
import { messagePush, revokePush } from './delivery.ts';
import type { DtalkSession } from './session.ts';

/** Stream changes read per query (core caps it at its page size). */
const PAGE = 200;
/** Pages read per settle; the rest is settled next time. */
const SETTLE_PAGES = 10;

/** Pushes what followed `from` in the user's stream (the newest `limit` changes); resolves with the position the phone starts from. */
export async function replay(core: Core, names: DtalkNames, s: DtalkSession, from: number, limit: number): Promise<number> {
  const { appId, userId } = s.caller!;
  const tail = await core.messages.syncTail(appId, userId, from, limit);
  let start = from;
  if (tail.skipped) {
    // Too far behind: the older changes are the client's to page.
    start = tail.first - 1;
    await core.devices.advanceDelivered(userId, s.device!.uuid, start);
  }
  const forApp = names.forApp(appId);
  for (const m of tail.items) {
    if (!s.isOpen) break;
    // A message revoked while the phone was away: the original replays the Revoke signal it stored.
    const push = m.revokedAt !== null ? (m.revokedBy !== null ? await revokePush(m, m.revokedBy, names) : undefined) : await messagePush(m, forApp);
    if (!push) continue;
    for (const body of push.bodies) s.push(body, push.message);
  }
  return start;
}

/** The stream position the phone's acks justify, from its stored `from`. */
export async function settle(core: Core, names: DtalkNames, s: DtalkSession, from: number): Promise<number> {
  const { appId, userId } = s.caller!;
  const forApp = names.forApp(appId);
  let pos = from;
  for (let i = 0; i < SETTLE_PAGES; i++) {
    const page = await core.messages.sync(appId, userId, { since: pos, limit: PAGE });
    for (const m of page.items) {
      // Revoke markers and messages dtalk does not show are never pushed, so never missing.
      const missing = m.revokedAt === null && !s.hasReceived(m.id) && (await commonOf(m, forApp)) !== undefined;
      if (missing) return pos;
      pos = m.pos;
    }
    // Changes the page filtered out (group history before a join) are passed too.
    pos = Math.max(pos, page.position);
    if (!page.more) break;
  }
  return pos;
}
