// §1–§4: call signalling on core calls (the original's source "Call signalling"),
// also under the Android client's `/call` prefix. A trace id is core's call
// id; `traceIdStr` wins over `traceId` when both are sent.

import type { Core } from '../../../core/core.ts';
import type { CallView } from '../../../core/calls/events.ts';
import { fail } from '../../../core/errors.ts';
import { badRequest, type Bound } from '../bind.ts';
import { DtalkCode, DtalkFailure } from '../errors.ts';
import type { DtalkNames } from '../names.ts';
import type { Int64 } from '../proto/codec.ts';
import { withBody, type DtalkRoute } from '../route.ts';

const RTCType = { audio: 1, video: 2 } as const;

const TraceReq = { traceId: { kind: 'int' }, traceIdStr: { kind: 'string', optional: true } } as const;

/** The call a request names: `traceIdStr` when it parses, else `traceId`. */
function traceIdOf(b: Bound<typeof TraceReq>): number {
  let id: Int64 = b.traceId;
  if (b.traceIdStr !== '' && /^-?[0-9]{1,19}$/.test(b.traceIdStr)) id = BigInt(b.traceIdStr);
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n <= 0) throw fail('call_not_found', `call ${String(id)} does not exist`);
  return n;
}

async function sessionOf(names: DtalkNames, call: CallView) {
  const resolve = names.forApp(call.appId);
  const invitees = call.parties.filter((p) => p.role === 'invitee').map((p) => p.userId);
  return {
    traceId: call.id,
    traceIdStr: String(call.id),
    RTCType: call.media === 'audio' ? RTCType.audio : RTCType.video,
    invitees: await Promise.all(invitees.map((id) => resolve.addressOf(id))),
    caller: await resolve.addressOf(call.callerId),
    createTime: call.createdAt,
    timeout: call.deadline - call.createdAt,
    deadline: call.deadline,
    groupId: call.groupId === null ? '0' : String(call.groupId),
  };
}

export function callRoutes(core: Core, names: DtalkNames): DtalkRoute[] {
  const aliases = (path: string) => [`/call${path}`];
  return [
    {
      path: '/app/start-call',
      aliases: aliases('/app/start-call'),
      // The original has no such check, but a call is between two parties
      // (core keeps one party per user): calling yourself is a feature
      // Parley does not support, said with dtalk's own code for that.
      errors: { cannot_act_on_self: DtalkCode.notSupported },
      ...withBody({ groupId: { kind: 'string' }, invitees: { kind: 'strings' }, RTCType: { kind: 'int', options: [1, 2] } }, async (req, b) => {
        const group = b.groupId !== '' && b.groupId !== '0';
        // Group calls are not in this version of dtalk; a group id with one
        // invitee is a private call to that invitee, as the original does.
        if (group && b.invitees.length !== 1) throw new DtalkFailure(DtalkCode.notSupported);
        if (b.invitees.length !== 1) throw badRequest('invitees must name exactly one user');
        const invitee = await names.idOf(req.caller.appId, b.invitees[0]);
        const call = await core.calls.start(req.caller.appId, req.caller.userId, { invitees: [invitee], media: Number(b.RTCType) === RTCType.audio ? 'audio' : 'video' });
        return sessionOf(names, call);
      }),
    },
    {
      path: '/app/reply-busy',
      aliases: aliases('/app/reply-busy'),
      ...withBody(TraceReq, async (req, b) => {
        await core.calls.busy(req.caller.appId, req.caller.userId, traceIdOf(b));
        return {};
      }),
    },
    {
      path: '/app/check-call',
      aliases: aliases('/app/check-call'),
      ...withBody(TraceReq, async (req, b) => {
        const call = await core.calls.get(req.caller.appId, req.caller.userId, traceIdOf(b));
        if (call.groupId !== null) throw new DtalkFailure(DtalkCode.notSupported);
        if (call.status !== 'ringing' || call.deadline < core.clock.now()) throw new DtalkFailure(DtalkCode.callExpired);
        return sessionOf(names, call);
      }),
    },
    {
      path: '/app/handle-call',
      aliases: aliases('/app/handle-call'),
      ...withBody({ answer: { kind: 'bool' }, ...TraceReq }, async (req, b) => {
        const id = traceIdOf(b);
        if (!b.answer) {
          // Reject while ringing (cancel when the caller does it), hang up once in the call.
          await core.calls.reject(req.caller.appId, req.caller.userId, id);
          return {};
        }
        const { call, ticket } = await core.calls.answer(req.caller.appId, req.caller.userId, id);
        // Without TRTC configured the call is answered but no media ticket exists.
        return { roomId: call.roomId, userSig: ticket?.userSig ?? '', privateMapKey: ticket?.privateMapKey ?? '', sdkAppId: ticket?.sdkAppId ?? 0 };
      }),
    },
  ];
}
