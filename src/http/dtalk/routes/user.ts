// §11 /app/user/login: the sign-in check the socket gateway also makes
// (the original's source "/app/user/login"). connType 0 = sign-in by hand,
// 1 = automatic reconnect; a phone may reconnect only while it is the
// phone that signed in last (-1016 with that phone's details otherwise).

import type { Core } from '../../../core/core.ts';
import type { DtalkCaller } from '../auth.ts';
import { DtalkCode, DtalkFailure } from '../errors.ts';
import { Device } from '../proto/messages.ts';
import { withBody, type DtalkRoutes } from '../route.ts';

export const ConnType = { connect: 0, reconnect: 1 } as const;

/** Phones: the device kinds the reconnect rule applies to. */
export const MOBILE_KINDS: readonly string[] = ['Android', 'IOS'];

export interface DeviceHeaders {
  uuid: string;
  /** FZM-DEVICE: the protobuf enum name (Android, IOS, Windows, Linux, MacOS, Web). */
  kind: string;
  name: string;
}

export function deviceNumber(kind: string): number {
  return Object.hasOwn(Device, kind) ? Device[kind as keyof typeof Device] : -1;
}

/**
 * The -1016 refusal as the original words it, or when the sign-in was
 * accepted. A socket's sign-in is announced to the user's other connections
 * (EndpointLogin, from core's `device.signed_in`); /app/user/login's is not.
 */
export async function signInDevice(core: Core, caller: DtalkCaller, device: DeviceHeaders, connType: number, announce = false): Promise<DtalkFailure | { at: number }> {
  const result = await core.devices.signIn(caller.appId, caller.userId, {
    uuid: device.uuid,
    kind: device.kind,
    name: device.name,
    resume: connType === ConnType.reconnect,
    exclusiveKinds: MOBILE_KINDS,
    announce,
  });
  if (result.ok) return { at: result.at };
  const newer = result.newer;
  return new DtalkFailure(DtalkCode.reconnectRefused, {
    code: DtalkCode.reconnectRefused.result,
    message: { datetime: newer.signedInAt, device: deviceNumber(newer.kind), deviceName: newer.name, uuid: newer.uuid },
    service: '',
  });
}

const header = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

export const userRoutes: DtalkRoutes = ({ core }) => [
  {
    path: '/app/user/login',
    ...withBody({ connType: { kind: 'int' } }, async (req, { connType }) => {
      const h = req.raw.headers;
      const device = { uuid: header(h['fzm-uuid']), kind: header(h['fzm-device']), name: header(h['fzm-device-name']) };
      const signedIn = await signInDevice(core, req.caller, device, Number(connType));
      if (signedIn instanceof DtalkFailure) throw signedIn;
      return { address: req.caller.address };
    }),
  },
];
