// Native message routes: send, history, one message, edit, revoke, focus, reads.
// Each handler authenticates, translates the request, and makes one core call.

import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { fail } from '../../../core/errors.ts';
import type { Anchor, HistoryQuery as CoreHistoryQuery } from '../../../core/messages/history.ts';
import type { SendResult } from '../../../core/messages/send.ts';
import type { NativeApp } from '../plugin.ts';
import { IdParam, PageQuery, errors, errorsOf } from '../schemas.ts';
import { GroupIdParam } from '../message-schemas.ts';
import { callerOf } from '../message-auth.ts';
import { EditBody, FocusList, FocusState, HistoryPage, HistoryQuery, MessageReaders, MessageReads, SendBody } from '../message-schemas.ts';
import type { Static } from '@sinclair/typebox';

// 200 when a client message id repeats an earlier send (the stored message), 201 for a new one.
const sendResponses = { 200: Type.Ref('Message', { description: 'Already sent: the stored message with this client id' }), 201: Type.Ref('Message', { description: 'Sent and stored' }) };
const groupSend = { ...sendResponses, ...errorsOf('forbidden', 'group_not_found', 'group_dismissed', 'group_suspended', 'blocked_from_group', 'not_group_member', 'member_muted', 'group_muted', 'payload_too_large') };
const privateSend = { ...sendResponses, ...errorsOf('forbidden', 'user_not_found', 'payload_too_large') };

/** 201 for a new message, 200 for a resend answered with the original. */
function sent(reply: FastifyReply, r: SendResult) {
  reply.code(r.duplicate ? 200 : 201);
  return r.message;
}

function anchor(seq: number | undefined, id: number | undefined, name: string): Anchor | undefined {
  if (seq !== undefined && id !== undefined) throw fail('invalid_argument', `give ${name} or ${name}Id, not both`, { field: name });
  if (seq !== undefined) return { seq };
  if (id !== undefined) return { id };
  return undefined;
}

export function historyQuery(q: Static<typeof HistoryQuery>): CoreHistoryQuery {
  const before = anchor(q.before, q.beforeId, 'before');
  const after = anchor(q.after, q.afterId, 'after');
  return {
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
    ...(q.order ? { order: q.order } : {}),
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
    ...(q.afterTime !== undefined ? { afterTime: q.afterTime } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
  };
}

export function messageRoutes(app: NativeApp): void {
  const { core } = app;
  const tags = ['messages'];

  app.post('/groups/:groupId/messages', { schema: { tags, summary: 'Send a message to a group', params: GroupIdParam, body: SendBody, response: groupSend } }, async (req, reply) => {
    const c = await callerOf(core, req);
    return sent(reply, await core.messages.send(c.appId, c.userId, { groupId: Number(req.params.groupId) }, req.body));
  });

  app.post('/users/:id/messages', { schema: { tags, summary: 'Send a private message to a user', params: IdParam, body: SendBody, response: privateSend } }, async (req, reply) => {
    const c = await callerOf(core, req);
    return sent(reply, await core.messages.send(c.appId, c.userId, { userId: Number(req.params.id) }, req.body));
  });

  app.get('/groups/:groupId/messages', { schema: { tags, summary: "A group's history (newest first by default; page with `next`)", params: GroupIdParam, querystring: HistoryQuery, response: { 200: HistoryPage, ...errorsOf('forbidden', 'group_not_found', 'not_group_member') } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.history(c.appId, c.userId, { groupId: Number(req.params.groupId) }, historyQuery(req.query));
  });

  app.get('/users/:id/messages', { schema: { tags, summary: 'The private history with a user', params: IdParam, querystring: HistoryQuery, response: { 200: HistoryPage, ...errorsOf('forbidden', 'user_not_found') } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.history(c.appId, c.userId, { userId: Number(req.params.id) }, historyQuery(req.query));
  });

  app.get('/messages/:id', { schema: { tags, summary: 'One message', params: IdParam, response: { 200: Type.Ref('Message'), ...errorsOf('forbidden', 'message_not_found', 'not_group_member') } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.get(c.appId, c.userId, Number(req.params.id));
  });

  app.post('/messages/:id/revoke', { schema: { tags, summary: 'Revoke a message (sender within the revoke window; group owner/admins any time)', params: IdParam, response: { 200: Type.Ref('Message'), ...errorsOf('forbidden', 'message_not_found', 'not_group_member', 'conflict', 'group_admin_required', 'revoke_window_passed') } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.revoke(c.appId, c.userId, Number(req.params.id));
  });

  app.patch('/messages/:id', { schema: { tags, summary: 'Edit the text (and mentions) of your text message within the edit window', params: IdParam, body: EditBody, response: { 200: Type.Ref('Message'), ...errorsOf('forbidden', 'message_not_found', 'not_group_member', 'conflict', 'edit_window_passed', 'payload_too_large') } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.edit(c.appId, c.userId, Number(req.params.id), req.body);
  });

  app.post('/messages/:id/focus', { schema: { tags, summary: 'Focus (mark) a message; others see who did', params: IdParam, response: { 200: FocusState, ...errorsOf('forbidden', 'message_not_found', 'not_group_member', 'conflict') } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.focus(c.appId, c.userId, Number(req.params.id));
  });

  app.get('/messages/:id/focus', { schema: { tags, summary: 'Who focused a message', params: IdParam, response: { 200: FocusList, ...errorsOf('forbidden', 'message_not_found', 'not_group_member') } } }, async (req) => {
    const c = await callerOf(core, req);
    return { items: await core.messages.focusList(c.appId, c.userId, Number(req.params.id)) };
  });

  app.get('/messages/:id/reads', { schema: { tags, summary: 'Read count of a message (private chats; groups with read receipts on)', params: IdParam, response: { 200: MessageReads, ...errorsOf('forbidden', 'message_not_found', 'not_group_member') } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.messageReads(c.appId, c.userId, Number(req.params.id));
  });

  app.get('/messages/:id/readers', { schema: { tags, summary: 'Who read a message, paged (private chats; groups with read receipts on)', params: IdParam, querystring: PageQuery, response: { 200: MessageReaders, ...errors } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.messageReaders(c.appId, c.userId, Number(req.params.id), { ...(req.query.cursor ? { cursor: req.query.cursor } : {}), ...(req.query.limit !== undefined ? { limit: req.query.limit } : {}) });
  });
}
