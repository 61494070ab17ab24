// Edit: the sender — and only the sender: an admin or owner may revoke
// others' messages but never put words in their mouth — replaces the text
// and mentions of their text message within the edit window. The message
// keeps its id and seq, gains `editedAt` and `editCount`, and moves to a new
// stream position (the revoke's path, MessageRepo.edit), so sync and resume
// hand every device the latest text; its search terms are replaced in the
// same transaction, so search finds the new text and not the old.

import { fail } from '../errors.ts';
import { indexTerms } from '../search/tokenize.ts';
import { searchableText } from '../search/searchable.ts';
import type { MessagingContext } from './context.ts';
import { toMessage } from './conversations.ts';
import { audienceOf, MessageType, type Message, type MessageBody } from './model.ts';
import { quotedAtForPush, withReplies } from './replies.ts';
import { validateMessage } from './validation.ts';

/** The new content of a text message (the fields of a text body). */
export interface EditInput {
  text: string;
  mentions?: number[];
  mentionAll?: boolean;
  mentionNames?: string[];
}

export async function edit(ctx: MessagingContext, appId: number, operatorId: number, messageId: number, change: EditInput): Promise<Message> {
  const record = await ctx.store.messages.get(messageId);
  if (!record || record.appId !== appId) throw fail('message_not_found', `message ${messageId} does not exist`);
  const c = await ctx.conversations.get(record.conversationId);
  if (!c) throw fail('message_not_found', `message ${messageId} does not exist`);
  const scope = await ctx.conversations.scopeOfConversation(appId, operatorId, c);
  if (record.createdAt < scope.sinceMs) throw fail('message_not_found', `message ${messageId} does not exist`);
  if (record.revokedAt !== null) throw fail('conflict', `message ${messageId} is revoked and can no longer be edited`);
  if (record.senderId !== operatorId) throw fail('forbidden', 'only the sender may edit a message');
  if (record.type !== MessageType.text) throw fail('invalid_argument', `only text messages can be edited; this one is ${record.type}`, { field: 'type' });
  const windowSeconds = ctx.settings.editWindowSeconds;
  if (ctx.clock.now() - record.createdAt > windowSeconds * 1000) throw fail('edit_window_passed', `messages can be edited within ${windowSeconds} seconds of sending`);
  // A member who may no longer send (muted, left) may not change what the group reads either.
  if (c.kind === 'group') await ctx.gate.assertCanSend(appId, c.groupId as number, operatorId);

  const body = bodyOf(change);
  validateMessage({ type: MessageType.text, body, ext: record.ext }, ctx.settings, { serverWritten: false });
  // The same edit again (a retried request) changes nothing and counts nothing.
  if (sameContent(record.body, body)) return (await withReplies(ctx, [toMessage(record, c)], () => scope.sinceMs))[0];

  const now = ctx.clock.now();
  const updated = await ctx.store.transaction(async (tx) => {
    const r = await tx.messages.edit(messageId, { body, at: now });
    if (!r) return undefined;
    const terms = indexTerms(searchableText(r.type, r.body));
    if (terms.length > 0) await tx.search.put([{ messageId, terms }]);
    else await tx.search.remove([messageId]);
    return r;
  });
  if (!updated) throw fail('conflict', `message ${messageId} is revoked and can no longer be edited`);
  const [message] = await withReplies(ctx, [toMessage(updated, c)], () => scope.sinceMs);
  // A reply's quote of history hidden from newer members stays hidden from them in the live edit too (replies.ts).
  const hidesHistory = scope.group !== undefined && !scope.group.historyVisible && message.replyTo !== undefined;
  const quotedAt = hidesHistory ? quotedAtForPush(message, await ctx.store.messages.get(message.replyToId as number), false) : undefined;
  ctx.events.emit({ type: 'message.edited', appId, audience: audienceOf(c), message, operatorId, ...mentionsAdded(record.body, body), ...(quotedAt !== undefined ? { quotedAt } : {}) });
  return message;
}

/** Only the fields given: a text body holds nothing else worth keeping (anchors would point into the old text). */
function bodyOf(change: EditInput): MessageBody {
  if (typeof change !== 'object' || change === null) throw fail('invalid_argument', 'an edit needs a text', { field: 'text' });
  const body: MessageBody = { text: change.text };
  if (change.mentions !== undefined) body.mentions = change.mentions;
  if (change.mentionAll !== undefined) body.mentionAll = change.mentionAll;
  if (change.mentionNames !== undefined) body.mentionNames = change.mentionNames;
  return body;
}

function sameContent(a: MessageBody, b: MessageBody): boolean {
  const keys = ['text', 'mentions', 'mentionAll', 'mentionNames', 'anchors'];
  return keys.every((k) => JSON.stringify(a[k] ?? null) === JSON.stringify(b[k] ?? null));
}

/** Who the edit mentions that the previous text did not: clients notify them as for a new mention. */
function mentionsAdded(before: MessageBody, after: MessageBody): { mentionsAdded: number[]; mentionAllAdded: boolean } {
  const had = new Set(Array.isArray(before.mentions) ? (before.mentions as number[]) : []);
  const now = Array.isArray(after.mentions) ? (after.mentions as number[]) : [];
  return { mentionsAdded: [...new Set(now.filter((id) => !had.has(id)))], mentionAllAdded: after.mentionAll === true && before.mentionAll !== true };
}
