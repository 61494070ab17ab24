// JSON Schemas and view shaping of the native groups API. Mute deadlines are
// shown as { mutedUntil: ms | null, mutedForever } (core's MUTE_FOREVER
// sentinel never leaves the server).

import { Type } from '@sinclair/typebox';
import type { Actor, Group, GroupRole, Member, MemberResult } from '../../../core/groups/model.ts';
import type { PublicGroup } from '../../../core/groups/lifecycle.ts';
import { showMute } from '../../../core/groups/mute.ts';
import type { Principal } from '../../../core/model.ts';
import { Id } from '../schemas.ts';

export const actorOf = (p: Principal): Actor => ({ appId: p.appId, userId: p.userId, appAdmin: p.isAdmin });

export const GroupIdParam = Type.Object({ groupId: Type.String({ pattern: '^[0-9]{1,16}$' }) });
export const GroupUserParam = Type.Object({ groupId: Type.String({ pattern: '^[0-9]{1,16}$' }), userId: Type.String({ pattern: '^[0-9]{1,16}$' }) });

const Kind = Type.Union([
  Type.Literal('private'),
  Type.Literal('public'),
  Type.Literal('chatroom'),
  Type.Literal('enterprise'),
  Type.Literal('department'),
  Type.Literal('project'),
  Type.Literal('shareholder'),
]);
const Role = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('member')]);
export const JoinPolicy = Type.Union([Type.Literal('open'), Type.Literal('approval'), Type.Literal('closed')]);
export const InvitePolicy = Type.Union([Type.Literal('members'), Type.Literal('admins'), Type.Literal('members_approval')]);
const Attrs = Type.Record(Type.String(), Type.Unknown());

export const InfoFields = {
  name: Type.Optional(Type.String({ maxLength: 256 })),
  publicName: Type.Optional(Type.String({ maxLength: 256 })),
  avatar: Type.Optional(Type.String({ maxLength: 2048 })),
  description: Type.Optional(Type.String({ maxLength: 4096 })),
  notice: Type.Optional(Type.String({ maxLength: 4096 })),
  ext: Type.Optional(Type.String({ maxLength: 8192 })),
  attrs: Type.Optional(Attrs),
  kind: Type.Optional(Kind),
};

export const SettingsFields = {
  capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  joinPolicy: Type.Optional(JoinPolicy),
  invitePolicy: Type.Optional(InvitePolicy),
  memberModify: Type.Optional(Type.Boolean()),
  readReceipts: Type.Optional(Type.Boolean()),
  historyVisible: Type.Optional(Type.Boolean()),
  allowFriending: Type.Optional(Type.Boolean()),
  isPublic: Type.Optional(Type.Boolean()),
  adminsMayLeave: Type.Optional(Type.Boolean()),
  hideMemberInfo: Type.Optional(Type.Boolean()),
  broadcast: Type.Optional(Type.Boolean({ description: 'only the owner and admins may post' })),
  membersMayReact: Type.Optional(Type.Boolean({ description: 'under broadcast, members may still react and reply' })),
  slowModeSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, description: "minimum seconds between one member's messages; 0 = off; owners and admins exempt" })),
  noticeMemberThreshold: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'above this many members, join/leave notices carry counts, not names' })),
};

export const UserIds = Type.Object({ userIds: Type.Array(Id, { minItems: 1, maxItems: 500 }) }, { additionalProperties: false });

const muteFields = {
  until: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER - 1, description: 'deadline, ms since the epoch' })),
  minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 * 365 * 24 * 60 })),
  durationMs: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  forever: Type.Optional(Type.Literal(true)),
};
/** A mute: exactly one of an absolute deadline (ms), a duration in minutes or ms, or for ever. */
export const MuteBody = Type.Object(muteFields, { additionalProperties: false, minProperties: 1, maxProperties: 1 });
/** Users and one mute field. */
export const MuteMany = Type.Object(
  { userIds: Type.Array(Id, { minItems: 1, maxItems: 500 }), ...muteFields },
  { additionalProperties: false, minProperties: 2, maxProperties: 2 },
);

const groupProps = {
  id: Id,
  kind: Type.String(),
  status: Type.String(),
  name: Type.String(),
  publicName: Type.String(),
  avatar: Type.String(),
  description: Type.String(),
  notice: Type.String(),
  attrs: Attrs,
  ownerId: Id,
  creatorId: Id,
  markId: Type.String(),
  businessType: Type.Union([Type.String(), Type.Null()]),
  businessId: Type.Union([Type.String(), Type.Null()]),
  capacity: Type.Integer(),
  memberCount: Type.Integer(),
  joinPolicy: Type.String(),
  invitePolicy: Type.String(),
  memberModify: Type.Boolean(),
  readReceipts: Type.Boolean(),
  historyVisible: Type.Boolean(),
  allowFriending: Type.Boolean(),
  isPublic: Type.Boolean(),
  adminsMayLeave: Type.Boolean(),
  hideMemberInfo: Type.Boolean(),
  broadcast: Type.Boolean(),
  membersMayReact: Type.Boolean(),
  slowModeSeconds: Type.Integer(),
  noticeMemberThreshold: Type.Integer(),
  muteAllUntil: Type.Union([Type.Integer(), Type.Null()]),
  muteAllForever: Type.Boolean(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
  dismissedAt: Type.Union([Type.Integer(), Type.Null()]),
};

export const PublicGroupView = Type.Object(groupProps);
export const GroupView = Type.Object(
  { ...groupProps, ext: Type.String(), cryptoKey: Type.String({ description: '32 hex characters (dtalk key)' }), role: Type.Union([Role, Type.Null()]) },
  {},
);
export const MemberView = Type.Object(
  {
    userId: Id,
    role: Role,
    displayName: Type.String(),
    joinedAt: Type.Integer(),
    inviterId: Type.Union([Id, Type.Null()]),
    mutedUntil: Type.Union([Type.Integer(), Type.Null()]),
    mutedForever: Type.Boolean(),
    messageMuteMode: Type.Integer({ minimum: 0, maximum: 2 }),
    pushMode: Type.Integer({ minimum: 0, maximum: 4 }),
  },
  {},
);
export const Result = Type.Object({ userId: Id, ok: Type.Boolean(), reason: Type.Optional(Type.String()) });
export const Results = Type.Object({ results: Type.Array(Result) });

export const showPublicGroup = (g: PublicGroup, now: number) => {
  const m = showMute(g.muteAllUntil, now);
  return { ...g, muteAllUntil: m.mutedUntil, muteAllForever: m.mutedForever };
};
export const showGroup = (g: Group & { role?: GroupRole | null }, now: number) => ({ ...showPublicGroup(g, now), role: g.role ?? null });
export const showMember = (m: Member, now: number) => ({ ...m, ...showMute(m.mutedUntil, now) });
export const showResults = (results: MemberResult[]) => ({ results });
