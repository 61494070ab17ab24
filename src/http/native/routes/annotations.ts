// Native routes for reactions and pins (core/messages/reactions.ts, pins.ts).
// Each handler authenticates, translates the request, and makes one core call.

import { Type } from '@sinclair/typebox';
import type { NativeApp } from '../plugin.ts';
import { IdParam, errors } from '../schemas.ts';
import { GroupIdParam } from '../message-schemas.ts';
import { callerOf } from '../message-auth.ts';
import { PageQuery, PinPage, ReactionParams, ReactorPage } from './annotations-schemas.ts';

const pageOf = (q: { limit?: number; cursor?: string }) => ({ ...(q.limit !== undefined ? { limit: q.limit } : {}), ...(q.cursor !== undefined ? { cursor: q.cursor } : {}) });

export function annotationRoutes(app: NativeApp): void {
  const { core } = app;
  const tags = ['messages'];
  const message = { 200: Type.Ref('Message'), ...errors };

  app.put('/messages/:id/reactions/:emoji', { schema: { tags, summary: 'React to a message with one emoji (idempotent)', params: ReactionParams, response: message } }, async (req) => {
    const c = await callerOf(core, req);
    return (await core.messages.react(c.appId, c.userId, Number(req.params.id), req.params.emoji)).message;
  });

  app.delete('/messages/:id/reactions/:emoji', { schema: { tags, summary: 'Remove your reaction (idempotent)', params: ReactionParams, response: message } }, async (req) => {
    const c = await callerOf(core, req);
    return (await core.messages.unreact(c.appId, c.userId, Number(req.params.id), req.params.emoji)).message;
  });

  app.get('/messages/:id/reactions/:emoji', { schema: { tags, summary: 'Who reacted with one emoji, oldest first', params: ReactionParams, querystring: PageQuery, response: { 200: ReactorPage, ...errors } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.reactors(c.appId, c.userId, Number(req.params.id), req.params.emoji, pageOf(req.query));
  });

  app.put('/messages/:id/pin', { schema: { tags, summary: 'Pin a message (group owner/admins; either side of a private chat; idempotent)', params: IdParam, response: message } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.pin(c.appId, c.userId, Number(req.params.id));
  });

  app.delete('/messages/:id/pin', { schema: { tags, summary: 'Unpin a message (idempotent)', params: IdParam, response: message } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.unpin(c.appId, c.userId, Number(req.params.id));
  });

  app.get('/groups/:groupId/pins', { schema: { tags, summary: "A group's pinned messages, newest pin first", params: GroupIdParam, querystring: PageQuery, response: { 200: PinPage, ...errors } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.pins(c.appId, c.userId, { groupId: Number(req.params.groupId) }, pageOf(req.query));
  });

  app.get('/users/:id/pins', { schema: { tags, summary: 'The pinned messages of your private chat with a user, newest pin first', params: IdParam, querystring: PageQuery, response: { 200: PinPage, ...errors } } }, async (req) => {
    const c = await callerOf(core, req);
    return core.messages.pins(c.appId, c.userId, { userId: Number(req.params.id) }, pageOf(req.query));
  });
}
