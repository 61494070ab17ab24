// Typing and presence over HTTP, for clients without a socket and for the
// initial state a socket client shows before presence frames arrive. Each
// route makes one call into core/presence.

import { Type } from '@sinclair/typebox';
import { requireUser } from '../../../core/auth/principals.ts';
import { MAX_PRESENCE_QUERY, type Presence } from '../../../core/presence/presence.ts';
import type { NativeApp } from '../plugin.ts';
import { authenticate } from '../auth.ts';
import { IdParam, errors } from '../schemas.ts';
import { GroupIdParam } from './groups-schemas.ts';

const tags = ['presence'];
const TypingBody = Type.Object(
  { active: Type.Optional(Type.Boolean({ description: 'true (the default): typing, shown for ttlMs; false: stopped.' })) },
  { additionalProperties: false },
);
const TypingAnswer = Type.Object({
  sent: Type.Boolean({ description: 'false when coalesced: a start closer than PARLEY_TYPING_INTERVAL_MS to the previous one of this token for this conversation, or a stop with no start before it.' }),
});
const PresenceView = Type.Object({
  userId: Type.Integer(),
  online: Type.Boolean(),
  lastSeenAt: Type.Optional(Type.Integer({ description: 'When last online (ms); absent while online, when unknown, or when the user hides it.' })),
});
const PresenceList = Type.Object({
  items: Type.Array(PresenceView),
  hidden: Type.Array(Type.Integer(), { description: 'Users asked for who share no conversation with the caller (their presence is not shown).' }),
});
const IdsQuery = Type.Object({ ids: Type.String({ pattern: '^[0-9]{1,16}(,[0-9]{1,16})*$', maxLength: 17 * MAX_PRESENCE_QUERY, description: `Comma-separated user ids, at most ${MAX_PRESENCE_QUERY}.` }) });
const Settings = Type.Object({ hideLastSeen: Type.Boolean({ description: 'When true, others see only online or offline, never when you were last seen.' }) });
const SettingsPatch = Type.Object({ hideLastSeen: Type.Boolean() }, { additionalProperties: false });

export function presenceRoutes(presence: Presence) {
  return (app: NativeApp): void => {
    const { core } = app;
    const user = async (req: Parameters<typeof authenticate>[1]) => requireUser(await authenticate(core, req));

    app.post('/groups/:groupId/typing', { schema: { tags, summary: 'Say you are typing in a group (or stopped); members online get a typing frame', params: GroupIdParam, body: TypingBody, response: { 200: TypingAnswer, ...errors } } }, async (req) => {
      const p = await user(req);
      return { sent: await presence.typing(p, { groupId: Number(req.params.groupId) }, req.body.active !== false, presence.limiterOfToken(p.tokenId)) };
    });

    app.post('/users/:id/typing', { schema: { tags, summary: 'Say you are typing to a user (or stopped); their sessions get a typing frame', params: IdParam, body: TypingBody, response: { 200: TypingAnswer, ...errors } } }, async (req) => {
      const p = await user(req);
      return { sent: await presence.typing(p, { userId: Number(req.params.id) }, req.body.active !== false, presence.limiterOfToken(p.tokenId)) };
    });

    app.get('/users/presence', { schema: { tags, summary: 'Presence of several users you share a conversation with', querystring: IdsQuery, response: { 200: PresenceList, ...errors } } }, async (req) => {
      return presence.view(await user(req), req.query.ids.split(',').map(Number));
    });

    app.get('/users/:id/presence', { schema: { tags, summary: 'Presence of a user you share a conversation with', params: IdParam, response: { 200: PresenceView, ...errors } } }, async (req) => {
      return presence.viewOne(await user(req), Number(req.params.id));
    });

    app.get('/me/presence', { schema: { tags, summary: 'Your presence settings', response: { 200: Settings, ...errors } } }, async (req) => {
      return presence.settingsOf(await user(req));
    });

    app.patch('/me/presence', { schema: { tags, summary: 'Change your presence settings (hide last seen)', body: SettingsPatch, response: { 200: Settings, ...errors } } }, async (req) => {
      return presence.changeSettings(await user(req), req.body);
    });
  };
}
