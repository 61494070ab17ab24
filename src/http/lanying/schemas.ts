// Lanying's request fields and response items, named and typed exactly as
// lanying-group-api.md lists them. Inputs accept what the web SDK sends
// (the original's source): ids as numbers or strings, `value`/`msg_mute_mode` as the
// app gave them. Unknown body fields are ignored, as the original (Spring) does.

import { Type, type TProperties } from '@sinclair/typebox';
import { fail } from '../../core/errors.ts';
import { WireId, WireIdList, wireId } from '../wire-ids.ts';

export { WireId };
export const IdList = WireIdList(1000);
export const Text = (maxLength = 4096) => Type.String({ maxLength });
/** A small integer sent as a number or as digits. */
export const WireInt = (minimum: number, maximum: number) => Type.Union([Type.Integer({ minimum, maximum }), Type.String({ pattern: '^-?[0-9]{1,12}$' })]);
/** A boolean sent as JSON true/false or as the words. */
export const WireBool = Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')]);
/** `value` of the info routes: text, or a number the app passed through. */
export const WireText = (maxLength: number) => Type.Union([Type.String({ maxLength }), Type.Number()]);

export const Body = <P extends TProperties>(props: P) => Type.Object(props);
export const Query = <P extends TProperties>(props: P) => Type.Object(props);
export const GroupBody = Body({ group_id: WireId });
export const GroupQuery = Query({ group_id: WireId });
export const PageQuery = { cursor: Type.Optional(Type.String({ maxLength: 512 })), limit: Type.Optional(WireInt(0, 100000)), version: Type.Optional(WireInt(0, Number.MAX_SAFE_INTEGER)) };

/** The id a schema-validated WireId holds (0 and out-of-range digits fail as 10002). */
export function id(v: unknown, field: string): number {
  const n = wireId(v);
  if (n === undefined) throw fail('invalid_argument', `${field} must be an id`, { field });
  return n;
}

export function ids(list: readonly unknown[], field: string): number[] {
  return list.map((v) => id(v, field));
}

export function int(v: number | string, field: string): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw fail('invalid_argument', `${field} must be an integer`, { field });
  return n;
}

export const bool = (v: boolean | 'true' | 'false'): boolean => v === true || v === 'true';
export const text = (v: string | number): string => String(v);

// ---- response items ----

export const GroupInfo = Type.Object({
  apply_approval: Type.Integer(),
  avatar: Type.String(),
  ban_expire_time: Type.Integer(),
  capacity: Type.Integer(),
  count: Type.Integer(),
  created_at: Type.Integer(),
  description: Type.String(),
  ext: Type.String(),
  group_id: Type.Integer(),
  /** Beyond the document: the later 4.47 setting, read by the web SDK from the group's info. */
  hide_member_info: Type.Boolean(),
  history_visible: Type.Boolean(),
  member_invite: Type.Boolean(),
  member_modify: Type.Boolean(),
  msg_mute_mode: Type.Integer(),
  msg_push_mode: Type.Integer(),
  name: Type.String(),
  owner_id: Type.Integer(),
  read_ack: Type.Boolean(),
  status: Type.Integer(),
  type: Type.Integer(),
  updated_at: Type.Integer(),
});

/** /group/info/batch: the short form, with `owner` instead of `owner_id`. */
export const GroupBrief = Type.Object({
  apply_approval: Type.Integer(),
  avatar: Type.String(),
  capacity: Type.Integer(),
  count: Type.Integer(),
  group_id: Type.Integer(),
  msg_mute_mode: Type.Integer(),
  msg_push_mode: Type.Integer(),
  name: Type.String(),
  owner: Type.Integer(),
  status: Type.Integer(),
  type: Type.Integer(),
});

export const Member = Type.Object({ display_name: Type.String(), expired_time: Type.Integer(), join_time: Type.Integer(), user_id: Type.Integer() });

export const UserResult = Type.Object({ reason: Type.String(), result: Type.String(), user_id: Type.Integer() });
export const FileResult = Type.Object({ file_id: Type.Integer(), reason: Type.String(), result: Type.String() });

export const Announcement = Type.Object({ author: Type.Integer(), content: Type.String(), created_at: Type.Integer(), group_id: Type.Integer(), id: Type.Integer(), title: Type.String() });

export const GroupFile = Type.Object({
  created_at: Type.Integer(),
  file_id: Type.Integer(),
  group_id: Type.Integer(),
  name: Type.String(),
  size: Type.Integer(),
  type: Type.String(),
  updated_at: Type.Integer(),
  uploader: Type.Integer(),
  url: Type.String(),
});

export const Application = Type.Object({ applicant_id: Type.Integer(), expired_time: Type.Integer(), group_id: Type.Integer(), reason: Type.String(), status: Type.Integer() });
export const Invitation = Type.Object({ expired_time: Type.Integer(), group_id: Type.Integer(), invitee_id: Type.Integer(), inviter_id: Type.Integer(), reason: Type.String(), status: Type.Integer(), updated_at: Type.String() });
export const Blocked = Type.Object({ created_at: Type.String(), group_id: Type.Integer(), user_id: Type.Integer() });
export const QrSign = Type.Object({ create_at: Type.Integer(), expire_at: Type.Integer(), qr_info: Type.String() });
