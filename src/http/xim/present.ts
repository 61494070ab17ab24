// Core's groups in xim's InfoBatch and message-envelope shapes. Flags are 0/1
// integers; the business binding is shown as the integers xim sent (core keeps
// it as text so other dialects may bind any key); times in seconds, as
// Medlinker's Go services store `insert_time`.

import type { Group, Member } from '../../core/groups/model.ts';
import type { User } from '../../core/model.ts';
import type { XimGroupRef } from './messages.ts';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const int = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) ? v : typeof v === 'string' && /^-?[0-9]{1,16}$/.test(v) ? Number(v) : 0);

export const isForbidden = (g: Group, now: number): number => (g.muteAllUntil !== null && g.muteAllUntil > now ? 1 : 0);

export function ownerUser(u: User | undefined, id: number) {
  const p = u?.profile ?? {};
  return {
    userId: id,
    name: u?.displayName ?? '',
    sex: int(p.sex),
    avatar: u?.avatar ?? '',
    type: int(p.type),
    hospital: str(p.hospital),
    hospitalId: int(p.hospitalId),
    sectionId: int(p.sectionId),
    sectionName: str(p.sectionName),
    titleId: int(p.titleId),
    titleName: str(p.titleName),
    isSurgeon: int(p.isSurgeon),
    userPlatform: str(p.userPlatform),
    jumpUrl: str(p.jumpUrl),
  };
}

export function ximGroupInfo(g: Group, o: { now: number; joined: boolean; avatars: string[]; owner: User | undefined }) {
  return {
    id: g.id,
    name: g.name,
    owner: g.ownerId,
    businessType: int(g.businessType),
    businessId: int(g.businessId),
    isPublic: g.isPublic ? 1 : 0,
    isForbidden: isForbidden(g, o.now),
    insertTime: Math.floor(g.createdAt / 1000),
    avatarList: o.avatars,
    content: g.description,
    number: g.memberCount,
    broadcast: g.notice,
    qrCodeUrl: str(g.attrs.qrCodeUrl),
    shareH5Url: str(g.attrs.shareH5Url),
    joinStatus: o.joined ? 1 : 0,
    // Whether the group was made by the new xim service; every group Parley holds is.
    isNewOrigin: typeof g.attrs.isNewOrigin === 'boolean' ? g.attrs.isNewOrigin : true,
    ownerUser: ownerUser(o.owner, g.ownerId),
  };
}

export function ximGroupRef(g: Group, avatars: string[], now: number): XimGroupRef {
  return {
    id: g.id,
    name: g.name,
    avatar: avatars,
    amount: g.memberCount,
    owner: g.ownerId,
    businessType: int(g.businessType),
    businessId: int(g.businessId),
    avatarUrl: g.avatar,
    isPublic: g.isPublic ? 1 : 0,
    isForbidden: isForbidden(g, now),
    isWechat: int(g.attrs.isWechat),
  };
}

export type { Member };
