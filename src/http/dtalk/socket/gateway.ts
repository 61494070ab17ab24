// The dtalk socket gateway at /sub and /sub/: the local sessions of this
// process, keyed by user, the Auth check (FZM-SIGNATURE token + Login ext,
// the same device rule as /app/user/login), the EndpointLogin signal after
// each sign-in, and one timer for retransmission, idle and handshake expiry.

import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import type { Core } from '../../../core/core.ts';
import { fail } from '../../../core/errors.ts';
import type { DtalkAuth } from '../auth.ts';
import type { Audience } from '../../../core/events.ts';
import type { DtalkNames } from '../names.ts';
import { encode } from '../proto/codec.ts';
import { commonAckEnvelope, decodeAuthMsg, decodeLogin, Device, signalEnvelope } from '../proto/messages.ts';
import { commonFromEnvelope } from '../records/parse.ts';
import { sendCommon } from '../records/send.ts';
import { deviceNumber, signInDevice } from '../routes/user.ts';
import { deliverEvents } from './delivery.ts';
import { DtalkSession, type SessionDeviceInfo, type SessionHost } from './session.ts';

export interface DtalkSocketSettings {
  /** Re-send an un-acked push after this long (the original's Rto, 2 s). */
  rtoMs: number;
  /** Close a connection silent for this long (Heartbeat 4 min × HeartbeatMax 2). */
  idleMs: number;
  /** Close a connection that has not authenticated within this long (8 s). */
  handshakeMs: number;
  /** How often the timer runs. */
  tickMs: number;
}

export const defaultSocketSettings: DtalkSocketSettings = { rtoMs: 2000, idleMs: 8 * 60_000, handshakeMs: 8000, tickMs: 250 };

/** Which of these connected users are current members of the group. */
export type GroupMembersOnline = (appId: number, groupId: number, userIds: readonly number[]) => Promise<number[]>;

const deviceNames = Object.fromEntries(Object.entries(Device).map(([name, n]) => [n, name])) as Record<number, string>;

export class DtalkGateway implements SessionHost {
  readonly #core: Core;
  readonly #auth: DtalkAuth;
  readonly #settings: DtalkSocketSettings;
  readonly #sessions = new Set<DtalkSession>();
  readonly #byUser = new Map<number, Set<DtalkSession>>();
  #log: FastifyBaseLogger | undefined;
  #stopDelivery: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #nextId = 0;

  readonly #names: DtalkNames;
  /** Group membership of connected users, when the groups core is wired (dtalk pushes group traffic to members online). */
  #groupMembers: GroupMembersOnline | undefined;

  constructor(core: Core, auth: DtalkAuth, names: DtalkNames, settings: Partial<DtalkSocketSettings> = {}) {
    this.#core = core;
    this.#auth = auth;
    this.#names = names;
    this.#settings = { ...defaultSocketSettings, ...settings };
  }

  /** Mounts /sub and /sub/ (the desktop client connects to the latter). */
  async register(app: FastifyInstance): Promise<void> {
    // One WebSocket server per HTTP server: reuse the one another part registered.
    this.#log = app.log;
    this.#groupMembers ??= async (appId, groupId, userIds) => {
      const out: number[] = [];
      for (const id of userIds) if ((await this.groupsOf(appId, id)).has(groupId)) out.push(id);
      return out;
    };
    this.#stopDelivery = deliverEvents(this.#core, this, this.#names, (e) => app.log.error({ err: e }, 'dtalk: delivering an event failed'));
    if (!app.hasDecorator('websocketServer')) await app.register(websocket, { options: { maxPayload: 64 * 1024, perMessageDeflate: false } });
    for (const path of ['/sub', '/sub/']) {
      app.get(path, { websocket: true }, (socket: WebSocket) => {
        this.accept(socket);
      });
    }
    this.#timer = setInterval(() => this.tick(), this.#settings.tickMs);
    this.#timer.unref();
    app.addHook('onClose', async () => this.close());
  }

  accept(ws: WebSocket): DtalkSession {
    const session = new DtalkSession(++this.#nextId, ws, this);
    this.#sessions.add(session);
    return session;
  }

  // SessionHost

  now(): number {
    return this.#core.clock.now();
  }

  async authenticate(_session: DtalkSession, body: Uint8Array) {
    const msg = decodeAuthMsg(body);
    if (msg.appId === '' || msg.token === '') throw fail('unauthenticated', 'AuthMsg needs appId and token');
    const caller = await this.#auth.authenticate(msg.token);
    const login = decodeLogin(msg.ext);
    const device: SessionDeviceInfo = { uuid: login.uuid, kind: deviceNames[login.device] ?? '', name: login.deviceName };
    const refused = await signInDevice(this.#core, caller, device, login.connType);
    if (refused) {
      const newer = (refused.data as { message: { datetime: number; device: number; deviceName: string; uuid: string } }).message;
      return { refusal: encode('imparse.proto.SignalEndpointLogin', { uuid: newer.uuid, device: Math.max(newer.device, 0), deviceName: newer.deviceName, datetime: newer.datetime }) };
    }
    return { caller, device };
  }

  opened(session: DtalkSession): void {
    const userId = session.caller!.userId;
    let set = this.#byUser.get(userId);
    if (!set) this.#byUser.set(userId, (set = new Set()));
    set.add(session);
    const d = session.device!;
    this.pushToUsers([userId], signalEnvelope('EndpointLogin', { uuid: d.uuid, device: Math.max(deviceNumber(d.kind), 0), deviceName: d.name, datetime: this.now() }));
  }

  /** op 7: the same pipeline as /record/push; the op 8 body is CommonAck{mid, datetime}. */
  async send(session: DtalkSession, body: Uint8Array): Promise<Uint8Array> {
    const c = commonFromEnvelope(body);
    if (c.seq !== '') session.markOwnSend(c.seq);
    const ack = await sendCommon(this.#core, this.#names, session.caller!, c);
    return commonAckEnvelope({ mid: ack.mid, datetime: ack.datetime });
  }

  closed(session: DtalkSession): void {
    this.#sessions.delete(session);
    const userId = session.caller?.userId;
    if (userId === undefined) return;
    const set = this.#byUser.get(userId);
    set?.delete(session);
    if (set && set.size === 0) {
      this.#byUser.delete(userId);
      this.#memberships.delete(userId);
    }
  }

  log(err: unknown, msg: string): void {
    this.#log?.info({ err }, msg);
  }

  // Delivery

  /**
   * Pushes one business envelope (op 9) to every open connection of these
   * users, except the connection that sent it over the socket (it got op 8).
   */
  pushToUsers(userIds: Iterable<number>, body: Uint8Array, origin?: { senderId: number | null; clientId: string }): void {
    for (const userId of new Set(userIds)) {
      for (const s of this.#byUser.get(userId) ?? []) {
        if (origin && origin.senderId === userId && s.isOwnSend(origin.clientId)) continue;
        s.push(body);
      }
    }
  }

  /** The connected users (in this app) an event's audience names. */
  async audienceUsers(appId: number, audience: Audience): Promise<number[]> {
    const out = new Set<number>();
    for (const id of audience.users ?? []) if (this.#byUser.has(id)) out.add(id);
    if (audience.groupId !== undefined && this.#groupMembers) {
      const online = [...this.#byUser.keys()].filter((id) => [...(this.#byUser.get(id) ?? [])].some((s) => s.caller?.appId === appId));
      for (const id of await this.#groupMembers(appId, audience.groupId, online)) out.add(id);
    }
    return [...out];
  }

  setGroupMembers(fn: GroupMembersOnline): void {
    this.#groupMembers = fn;
  }

  /** Group ids per connected user, loaded on first need and dropped when a group's membership changes. */
  readonly #memberships = new Map<number, Promise<Set<number>>>();

  groupsOf(appId: number, userId: number): Promise<Set<number>> {
    let known = this.#memberships.get(userId);
    if (!known) {
      known = this.#core.groupGate.groupIdsOf(appId, userId).then((ids) => new Set(ids));
      known.catch(() => this.#memberships.delete(userId));
      this.#memberships.set(userId, known);
    }
    return known;
  }

  forgetMemberships(groupId: number): void {
    void groupId; // membership of any connected user may have changed: reload lazily
    this.#memberships.clear();
  }

  /** The users with an open connection here (fan-out works on connected sessions, not member lists). */
  connectedUsers(): IterableIterator<number> {
    return this.#byUser.keys();
  }

  sessionsOf(userId: number): ReadonlySet<DtalkSession> {
    return this.#byUser.get(userId) ?? new Set();
  }

  tick(): void {
    const now = this.now();
    for (const s of [...this.#sessions]) {
      if (!s.isOpen) {
        if (now - s.openedAt > this.#settings.handshakeMs) s.close();
        continue;
      }
      if (now - s.lastSeen > this.#settings.idleMs) {
        s.close();
        continue;
      }
      s.retransmit(this.#settings.rtoMs);
    }
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#stopDelivery?.();
    for (const s of [...this.#sessions]) s.close();
  }
}
