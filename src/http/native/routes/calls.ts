// Call signalling: start, answer, reject, busy, hang up, get, ticket. Events
// (call.started / accepted / updated / stopped) reach the parties over the
// WebSocket gateway.

import { Type } from '@sinclair/typebox';
import type { NativeApp } from '../plugin.ts';
import { authenticate, requireUser } from '../auth.ts';
import { Id, IdParam, errorsOf } from '../schemas.ts';

const Party = Type.Object({
  userId: Id,
  role: Type.Union([Type.Literal('caller'), Type.Literal('invitee')]),
  state: Type.Union(['ringing', 'joined', 'declined', 'busy', 'missed', 'left'].map((s) => Type.Literal(s))),
  updatedAt: Type.Integer(),
});

export const CallBody = Type.Object(
  {
    id: Id,
    appId: Id,
    callerId: Id,
    groupId: Type.Union([Id, Type.Null()]),
    media: Type.Union([Type.Literal('audio'), Type.Literal('video')]),
    status: Type.Union([Type.Literal('ringing'), Type.Literal('in_call'), Type.Literal('finished')]),
    stopReason: Type.Union([...['busy', 'timeout', 'reject', 'hangup', 'cancel'].map((s) => Type.Literal(s)), Type.Null()]),
    roomId: Type.Integer(),
    createdAt: Type.Integer(),
    deadline: Type.Integer(),
    answeredAt: Type.Union([Type.Integer(), Type.Null()]),
    endedAt: Type.Union([Type.Integer(), Type.Null()]),
    parties: Type.Array(Party),
  },
  { $id: 'Call' },
);

export const TicketBody = Type.Object(
  {
    sdkAppId: Type.Integer(),
    roomId: Type.Integer(),
    trtcUserId: Type.String(),
    userSig: Type.String(),
    privateMapKey: Type.String(),
    expiresAt: Type.Integer(),
  },
  { $id: 'CallTicket' },
);

const StartCall = Type.Object(
  {
    invitees: Type.Array(Id, { minItems: 1, maxItems: 50 }),
    groupId: Type.Optional(Id),
    media: Type.Union([Type.Literal('audio'), Type.Literal('video')], { default: 'audio' }),
  },
  { additionalProperties: false },
);

const Answer = Type.Object({
  call: Type.Ref('Call'),
  ticket: Type.Union([Type.Ref('CallTicket'), Type.Null()], { description: 'null when the server has no TRTC configuration (mediaConfigured false)' }),
  mediaConfigured: Type.Boolean(),
});

export function callRoutes(app: NativeApp): void {
  const { core } = app;
  app.addSchema(CallBody);
  app.addSchema(TicketBody);
  // A party acting on a call: it may be gone, over, expired, or changing under another request.
  const acting = errorsOf('forbidden', 'call_not_found', 'not_call_party', 'call_expired', 'call_finished', 'conflict');
  const withCall = { 200: Type.Ref('Call'), ...acting };
  const me = async (req: Parameters<typeof authenticate>[1]) => {
    const p = await authenticate(core, req);
    return { appId: p.appId, userId: requireUser(p) };
  };

  app.post('/calls', { schema: { tags: ['calls'], summary: 'Start a call (rings the invitees)', body: StartCall, response: { 201: Type.Ref('Call'), ...errorsOf('forbidden', 'cannot_act_on_self', 'user_not_found', 'conflict', 'group_not_found', 'group_dismissed', 'group_suspended', 'blocked_from_group', 'not_group_member', 'member_muted', 'group_muted') } } }, async (req, reply) => {
    const { appId, userId } = await me(req);
    reply.code(201);
    return core.calls.start(appId, userId, { invitees: req.body.invitees, groupId: req.body.groupId ?? null, media: req.body.media });
  });

  app.get('/calls/:id', { schema: { tags: ['calls'], summary: 'A call (parties only)', params: IdParam, response: { 200: Type.Ref('Call'), ...errorsOf('forbidden', 'call_not_found', 'not_call_party') } } }, async (req) => {
    const { appId, userId } = await me(req);
    return core.calls.get(appId, userId, Number(req.params.id));
  });

  app.post(
    '/calls/:id/answer',
    {
      schema: {
        tags: ['calls'],
        summary: 'Answer a ringing call',
        description: 'Returns the answering user\'s TRTC ticket; the caller receives theirs in the call.accepted event. Without TRTC configuration the call still connects and ticket is null with mediaConfigured false.',
        params: IdParam,
        response: { 200: Answer, ...acting },
      },
    },
    async (req) => {
      const { appId, userId } = await me(req);
      return core.calls.answer(appId, userId, Number(req.params.id));
    },
  );

  app.post('/calls/:id/reject', { schema: { tags: ['calls'], summary: 'Decline (invitee), cancel (caller while ringing) or leave (in the call)', params: IdParam, response: withCall } }, async (req) => {
    const { appId, userId } = await me(req);
    return core.calls.reject(appId, userId, Number(req.params.id));
  });

  app.post('/calls/:id/busy', { schema: { tags: ['calls'], summary: 'Reply busy to a ringing call', params: IdParam, response: withCall } }, async (req) => {
    const { appId, userId } = await me(req);
    return core.calls.busy(appId, userId, Number(req.params.id));
  });

  app.post('/calls/:id/hangup', { schema: { tags: ['calls'], summary: 'Hang up (cancel while ringing as caller, decline as invitee)', params: IdParam, response: withCall } }, async (req) => {
    const { appId, userId } = await me(req);
    return core.calls.hangup(appId, userId, Number(req.params.id));
  });

  app.post('/calls/:id/ticket', { schema: { tags: ['calls'], summary: 'A fresh TRTC ticket for a party in the call', params: IdParam, response: { 200: Type.Ref('CallTicket'), ...errorsOf('forbidden', 'call_not_found', 'not_call_party', 'call_finished', 'media_not_configured') } } }, async (req) => {
    const { appId, userId } = await me(req);
    return core.calls.ticket(appId, userId, Number(req.params.id));
  });
}
