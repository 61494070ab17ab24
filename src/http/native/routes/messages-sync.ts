// Native routes for keeping devices up to date: sync, the conversation list
// and read positions.

import type { NativeApp } from '../plugin.ts';
import { IdParam, errorsOf } from '../schemas.ts';
import { GroupIdParam } from '../message-schemas.ts';
import { callerOf } from '../message-auth.ts';
import { ConversationList, ReadBody, ReadState, SyncPage, SyncQuery, UnreadBody } from '../message-schemas.ts';
import { Type } from '@sinclair/typebox';

export function messageSyncRoutes(app: NativeApp): void {
  const { core } = app;
  const tags = ['messages'];

  app.get('/sync', { schema: { tags, summary: 'Every change (messages, notices, revokes) after a position, across all your conversations', querystring: SyncQuery, response: { 200: SyncPage, ...errorsOf('forbidden') } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.sync(c.appId, c.userId, { since: req.query.since ?? 0, limit: req.query.limit ?? 100 });
  });

  const ConversationQuery = Type.Object({
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'The `next` of the previous page: conversations whose last change came before it' })),
  });
  app.get('/conversations', { schema: { tags, summary: 'Your conversations, most recent first, with names, unread counts and last messages, paged', querystring: ConversationQuery, response: { 200: ConversationList, ...errorsOf('forbidden') } } }, async (req) => {
    const c = await callerOf(core, req);
    const limit = req.query.limit ?? 50;
    const list = await core.messages.conversationsOf(c.appId, c.userId, limit, req.query.before);
    const last = list[list.length - 1];
    return {
      ...(list.length === limit && last ? { next: last.conversation.lastPos } : {}),
      items: list.map((s) => ({
        id: s.conversation.id,
        kind: s.conversation.kind,
        groupId: s.conversation.groupId,
        peerId: s.peerId,
        name: s.name,
        avatar: s.avatar,
        lastSeq: s.conversation.lastSeq,
        lastPos: s.conversation.lastPos,
        readSeq: s.readSeq,
        unread: s.unread,
        mentions: s.mentions,
        lastMessage: s.lastMessage,
      })),
    };
  });

  app.put('/groups/:groupId/read', { schema: { tags, summary: 'Set your read position in a group', params: GroupIdParam, body: ReadBody, response: { 200: ReadState, ...errorsOf('forbidden', 'group_not_found', 'not_group_member') } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.markRead(c.appId, c.userId, { groupId: Number(req.params.groupId) }, req.body.seq);
  });

  app.put('/users/:id/read', { schema: { tags, summary: 'Set your read position in the private chat with a user', params: IdParam, body: ReadBody, response: { 200: ReadState, ...errorsOf('forbidden', 'user_not_found') } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.markRead(c.appId, c.userId, { userId: Number(req.params.id) }, req.body.seq);
  });

  app.post('/groups/:groupId/unread', { schema: { tags, summary: 'Mark a group unread from a message on (default: its last message)', params: GroupIdParam, body: UnreadBody, response: { 200: ReadState, ...errorsOf('forbidden', 'group_not_found', 'not_group_member') } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.markUnread(c.appId, c.userId, { groupId: Number(req.params.groupId) }, req.body?.seq);
  });

  app.post('/users/:id/unread', { schema: { tags, summary: 'Mark the private chat with a user unread from a message on (default: its last message)', params: IdParam, body: UnreadBody, response: { 200: ReadState, ...errorsOf('forbidden', 'user_not_found') } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.markUnread(c.appId, c.userId, { userId: Number(req.params.id) }, req.body?.seq);
  });

  app.get('/groups/:groupId/read', { schema: { tags, summary: 'Your read position in a group', params: GroupIdParam, response: { 200: ReadState, ...errorsOf('forbidden', 'group_not_found', 'not_group_member') } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.readState(c.appId, c.userId, { groupId: Number(req.params.groupId) });
  });

  app.get('/users/:id/read', { schema: { tags, summary: 'Your read position in the private chat with a user', params: IdParam, response: { 200: ReadState, ...errorsOf('forbidden', 'user_not_found') } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.readState(c.appId, c.userId, { userId: Number(req.params.id) });
  });
}
