// GET /v1/search: messages the caller may read that match a query (core/search).
// A user token searches the user's conversations; an app-admin token the whole app.

import { fail } from '../../../core/errors.ts';
import type { ConversationTarget } from '../../../core/messages/context.ts';
import type { MessageTypeName } from '../../../core/messages/model.ts';
import type { NativeApp } from '../plugin.ts';
import { errorsOf } from '../schemas.ts';
import { authenticate } from '../auth.ts';
import { SearchPage, SearchQuery } from './search-schemas.ts';

export function searchRoutes(app: NativeApp): void {
  const { core } = app;
  app.get('/search', { schema: { tags: ['messages'], summary: 'Search the messages you may read (newest first; page with `next`)', querystring: SearchQuery, response: { 200: SearchPage, ...errorsOf('group_not_found', 'not_group_member', 'user_not_found') } } }, async (req) => {
    const p = await authenticate(core, req);
    const viewer = p.userId ?? (p.isAdmin ? null : undefined);
    if (viewer === undefined) throw fail('unauthenticated', 'this route needs a user or app-admin token');
    const q = req.query;
    if (q.groupId !== undefined && q.userId !== undefined) throw fail('invalid_argument', 'give groupId or userId, not both', { field: 'groupId' });
    const target: ConversationTarget | undefined = q.groupId !== undefined ? { groupId: q.groupId } : q.userId !== undefined ? { userId: q.userId } : undefined;
    return core.messages.search(p.appId, viewer, {
      q: q.q,
      ...(target ? { in: target } : {}),
      ...(q.senderId !== undefined ? { senderId: q.senderId } : {}),
      ...(q.type !== undefined ? { type: q.type as MessageTypeName } : {}),
      ...(q.from !== undefined ? { from: q.from } : {}),
      ...(q.to !== undefined ? { to: q.to } : {}),
      ...(q.order ? { order: q.order } : {}),
      ...(q.limit !== undefined ? { limit: q.limit } : {}),
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
  });
}
