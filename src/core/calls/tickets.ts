// TRTC media tickets for call parties: a UserSig (who you are) and a
// PrivateMapKey (which room you may enter) per user and room.

import { genPrivateMapKey, genUserSig, Privilege } from './tls-sig.ts';
import type { CallTicket } from './model.ts';

export interface TrtcSettings {
  sdkAppId: number;
  secret: string;
  ticketTtlSeconds: number;
}

export function issueTicket(trtc: TrtcSettings, trtcUserId: string, roomId: number, nowMs: number): CallTicket {
  const input = { sdkAppId: trtc.sdkAppId, key: trtc.secret, identifier: trtcUserId, expire: trtc.ticketTtlSeconds, time: Math.floor(nowMs / 1000) };
  return {
    sdkAppId: trtc.sdkAppId,
    roomId,
    trtcUserId,
    userSig: genUserSig(input),
    privateMapKey: genPrivateMapKey(input, roomId, Privilege.all),
    expiresAt: (input.time + input.expire) * 1000,
  };
}
