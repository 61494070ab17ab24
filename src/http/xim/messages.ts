// Parley's stored messages as xim message envelopes (xim-group-api.md,
// History): `id` + `idStr`, `from`, `group`, exactly one populated payload,
// `ext` (text) and `isShow` (per-client visibility map). Types map one to one
// where xim has the kind (text, voice, image, video, location, card,
// businessCard, notice, withdraw); a Parley `x-<payload>` type whose name is a
// xim payload (x-notify, x-login, x-groupOperation…) carries that payload's own
// fields; other Parley types (file, custom, other x-…) travel as `json`.

import type { User } from '../../core/model.ts';
import type { Anchor, Message } from '../../core/messages/model.ts';

export interface XimUser {
  id: number;
  reference: number;
  name: string;
  avatar: string;
  type: number;
  hospital: string;
  title: string;
  section: string;
}

export interface XimGroupRef {
  id: number;
  name: string;
  avatar: string[];
  amount: number;
  owner: number;
  businessType: number;
  businessId: number;
  avatarUrl: string;
  isPublic: number;
  isForbidden: number;
  isWechat: number;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const int = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) ? v : 0);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function ximUser(u: User | undefined, id: number): XimUser {
  const p = u?.profile ?? {};
  return { id, reference: int(p.reference), name: u?.displayName ?? '', avatar: u?.avatar ?? '', type: int(p.type), hospital: str(p.hospital), title: str(p.title), section: str(p.section) };
}

function anchors(list: unknown): unknown[] {
  if (!Array.isArray(list)) return [];
  return (list as Anchor[]).map((a) => ({
    href: a.href,
    start: a.start,
    len: a.len,
    style: a.style ?? 0,
    anchorTag: Object.fromEntries(Object.entries(a.tags ?? {}).map(([k, t]) => [k, { tagHref: t.href ?? '', tagIsShow: t.show ?? false, color: t.color ?? '', ext: t.ext ?? '' }])),
    color: a.color ?? '',
    ext: a.ext ?? '',
  }));
}

/**
 * Group events recorded as notices become xim `groupOperation`s. xim's own
 * operation numbers are not public; these are Parley's, listed in the README.
 */
const GROUP_OPERATION: Record<string, number> = {
  'group.created': 1,
  'group.members_joined': 2,
  'group.member_left': 3,
  'group.members_removed': 4,
  'group.updated': 5,
  'group.dismissed': 6,
  'group.owner_transferred': 7,
  'group.roles_changed': 8,
  'group.members_muted': 9,
  'group.members_unmuted': 10,
};

/** The users a group notice is about. */
function noticeUsers(b: Record<string, unknown>): number[] {
  const d = (b.data ?? {}) as Record<string, unknown>;
  const list = Array.isArray(d.userIds) ? d.userIds : [d.userId, d.toUserId].filter((v) => v !== undefined);
  return list.filter((v): v is number => Number.isSafeInteger(v));
}

const XIM_PAYLOADS = new Set(['text', 'voice', 'card', 'image', 'location', 'notice', 'businessCard', 'json', 'notify', 'login', 'withdraw', 'groupOperation', 'friendOperation', 'video']);

/** The one payload of a message, keyed by its xim name. */
function payload(m: Message, users: ReadonlyMap<number, User>): Record<string, unknown> {
  const b = m.body;
  switch (m.type as string) {
    case 'text': {
      const mentions = Array.isArray(b.mentions) ? (b.mentions as number[]) : [];
      return { text: { content: str(b.text), anchors: anchors(b.anchors), atUsers: mentions.map((id) => ximUser(users.get(id), id)) } };
    }
    case 'audio':
      return { voice: { url: str(b.url), duration: Math.round(num(b.duration)) } };
    case 'image':
      return { image: { url: str(b.url), size: int(b.size), preview: str(b.preview) } };
    case 'video':
      return { video: { url: str(b.url), duration: Math.round(num(b.duration)), cover: str(b.cover), title: str(b.title), id: 0, width: int(b.width), height: int(b.height) } };
    case 'location':
      return { location: { longitude: num(b.lng), latitude: num(b.lat) } };
    case 'card':
      return {
        card: { type: int(b.cardType), label: str(b.label), title: str(b.title), subtitle: str(b.subtitle), summary: str(b.summary), image: str(b.image), url: str(b.url), display: int(b.display), extra: b.extra === undefined ? '' : typeof b.extra === 'string' ? b.extra : JSON.stringify(b.extra) },
      };
    case 'contact': {
      const id = int(b.userId);
      const u = users.get(id);
      return { businessCard: { user: u ? ximUser(u, id) : { ...ximUser(undefined, id), name: str(b.name), avatar: str(b.avatar) } } };
    }
    case 'notice': {
      const op = GROUP_OPERATION[str(b.kind)];
      if (op === undefined) return { notice: { content: str(b.text) || str(b.kind), anchors: anchors(b.anchors) } };
      return { groupOperation: { operation: op, group: m.groupId ?? 0, members: noticeUsers(b).map((id) => ximUser(users.get(id), id)), content: str(b.text) || str(b.kind) } };
    }
    case 'revoked':
      return { withdraw: { id: m.id, idStr: String(m.id) } };
    default: {
      const name = m.type.startsWith('x-') ? m.type.slice(2) : '';
      if (XIM_PAYLOADS.has(name)) return { [name]: b };
      return { json: { content: JSON.stringify(m.type === 'custom' ? b : { type: m.type, ...b }), type: int(b.type) } };
    }
  }
}

/** The user ids a page of messages names (senders, mentions, business cards), to load their profiles at once. */
export function userIdsOf(list: readonly Message[]): number[] {
  const ids = new Set<number>();
  for (const m of list) {
    if (m.senderId !== null) ids.add(m.senderId);
    if (m.recipientId !== null) ids.add(m.recipientId);
    if (m.type === 'text' && Array.isArray(m.body.mentions)) for (const id of m.body.mentions as number[]) ids.add(id);
    if (m.type === 'contact' && typeof m.body.userId === 'number') ids.add(m.body.userId);
    if (m.type === 'notice') for (const id of noticeUsers(m.body)) ids.add(id);
  }
  return [...ids];
}

export function toXimMessage(m: Message, group: XimGroupRef, users: ReadonlyMap<number, User>) {
  const ext = m.ext ?? {};
  const isShow = ext.isShow && typeof ext.isShow === 'object' && !Array.isArray(ext.isShow) ? ext.isShow : {};
  return {
    id: m.id,
    idStr: String(m.id),
    from: ximUser(m.senderId === null ? undefined : users.get(m.senderId), m.senderId ?? 0),
    group,
    ...payload(m, users),
    ext: typeof ext.ext === 'string' ? ext.ext : '',
    isShow,
  };
}
