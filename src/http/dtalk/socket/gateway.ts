// The dtalk socket gateway at /sub and /sub/: the local sessions of this
// process, the Auth check (FZM-SIGNATURE token + Login ext, the same device
// rule as /app/user/login, announced to the user's connections), the
// bus topics each session hears (its user's, and its user's groups', joined
// and left as the bridge's `member` envelopes say), a phone's replay and
// stream position, the Received signal, and one timer for retransmission,
// idle and handshake expiry.

import type { ReportBackgroundFailure } from '../../../core/background.ts';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import type { Bus } from '../../../core/bus.ts';
import type { Core } from '../../../core/core.ts';
import { fail, isParleyError } from '../../../core/errors.ts';
import type { Delivery } from '../../../gateway/envelope.ts';
import type { DtalkAuth } from '../auth.ts';
import type { DtalkNames } from '../names.ts';
import { encode } from '../proto/codec.ts';
import { commonAckEnvelope, decodeAuthMsg, decodeLogin, Device } from '../proto/messages.ts';
import { commonFromEnvelope, isUnreadableMessage } from '../records/parse.ts';
import { sendCommon } from '../records/send.ts';
import { clientIdOf } from '../records/translate.ts';
import { DtalkFailure } from '../errors.ts';
import { MOBILE_KINDS, signInDevice } from '../routes/user.ts';
import { endpointLogin, messagePush, translate, type BusFrame } from './delivery.ts';
import { replay, settle } from './replay.ts';
import { sendFailure } from './send-failure.ts';
import { DtalkSession, type PushedMessage, type SessionDeviceInfo, type SessionHost } from './session.ts';
import { BusTopics } from '../../../gateway/bus-topics.ts';

export interface DtalkSocketSettings {
  /** Re-send an un-acked push after this long (the original's Rto, 2 s). */
  rtoMs: number;
  /** Close a connection silent for this long (Heartbeat 4 min × HeartbeatMax 2). */
  idleMs: number;
  /** Close a connection that has not authenticated within this long (8 s). */
  handshakeMs: number;
  /** How often the timer runs. */
  tickMs: number;
  /** How often a connected phone's stream position is stored from its acks (and once more when it leaves). */
  settleMs: number;
  /** Messages replayed to a phone on one Auth (PARLEY_DTALK_REPLAY_LIMIT). */
  replayLimit: number;
}

export const defaultSocketSettings: DtalkSocketSettings = { rtoMs: 2000, idleMs: 8 * 60_000, handshakeMs: 8000, tickMs: 250, settleMs: 1000, replayLimit: 1000 };

/** The bus the committed events arrive on (src/gateway/bridge.ts publishes them) and its topic prefix. */
export interface DtalkBus {
  bus: Bus;
  prefix: string;
}

/** Messages read from the store after joining a group while connected (the join → subscribe window). */
const JOIN_WINDOW = 50;

const deviceNames = Object.fromEntries(Object.entries(Device).map(([name, n]) => [n, name])) as Record<number, string>;
const isPhone = (s: DtalkSession) => s.device !== undefined && s.device.uuid !== '' && MOBILE_KINDS.includes(s.device.kind);
const deviceKey = (s: DtalkSession) => `${s.caller!.userId}/${s.device!.uuid}`;

export class DtalkGateway implements SessionHost {
  readonly #core: Core;
  readonly #auth: DtalkAuth;
  readonly #names: DtalkNames;
  readonly #settings: DtalkSocketSettings;
  readonly #topics: BusTopics<DtalkSession>;
  readonly #sessions = new Set<DtalkSession>();
  /** Arrivals are translated one after the other, so pushes leave in bus order. */
  #queue: Promise<void> = Promise.resolve();
  /** Per phone (user/uuid): the last settle of its position; an Auth waits for it before replaying. */
  readonly #settling = new Map<string, Promise<void>>();
  readonly #lastSettle = new Map<DtalkSession, number>();
  /** Private messages phones acked since the last tick, per session: their senders get Received. */
  readonly #receipts = new Map<DtalkSession, number[]>();
  readonly #offInterrupted: () => void;
  #log: FastifyBaseLogger | undefined;
  readonly #report: ReportBackgroundFailure | undefined;
  #timer: NodeJS.Timeout | undefined;
  #nextId = 0;

  constructor(core: Core, auth: DtalkAuth, names: DtalkNames, bus: DtalkBus, settings: Partial<DtalkSocketSettings> = {}, report?: ReportBackgroundFailure) {
    this.#report = report;
    this.#core = core;
    this.#auth = auth;
    this.#names = names;
    this.#settings = { ...defaultSocketSettings, ...settings };
    this.#topics = new BusTopics(bus.bus, bus.prefix, (_topic, d, sessions) => this.#arrival(d, sessions));
    // Pushes may have been lost while the broker was away. dtalk clients
    // re-read the store when they reconnect (a phone's replay, a desktop's
    // sync-record), so they are asked to: every connection is closed.
    this.#offInterrupted = bus.bus.onInterrupted(() => {
      this.#log?.warn('bus connection was interrupted; dtalk connections are closed to re-read the store');
      for (const s of [...this.#sessions]) s.close();
    });
  }

  /** Mounts /sub and /sub/ (the desktop client connects to the latter). */
  async register(app: FastifyInstance): Promise<void> {
    this.#log = app.log;
    // One WebSocket server per HTTP server: reuse the one another part registered.
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

  /** Bus topics held for local dtalk sessions (a node subscribes only to what its sessions need). */
  get topicCount(): number {
    return this.#topics.topicCount;
  }

  // SessionHost

  now(): number {
    return this.#core.clock.now();
  }

  async authenticate(_session: DtalkSession, body: Uint8Array) {
    const msg = decodeAuthMsg(body);
    if (msg.token === '') throw fail('unauthenticated', 'AuthMsg needs a token');
    // The comet knows one app (the original's source "Socket gateway"): `dtalk`.
    if (msg.appId !== 'dtalk') throw fail('unauthenticated', `AuthMsg appId "${msg.appId}" is not dtalk`);
    const caller = await this.#auth.authenticate(msg.token);
    const login = decodeLogin(msg.ext);
    const device = { uuid: login.uuid, kind: deviceNames[login.device] ?? '', name: login.deviceName };
    const signedIn = await signInDevice(this.#core, caller, device, login.connType, true);
    if (signedIn instanceof DtalkFailure) {
      const newer = (signedIn.data as { message: { datetime: number; device: number; deviceName: string; uuid: string } }).message;
      return { refusal: encode('imparse.proto.SignalEndpointLogin', { uuid: newer.uuid, device: Math.max(newer.device, 0), deviceName: newer.deviceName, datetime: newer.datetime }) };
    }
    return { caller, device: { ...device, signedInAt: signedIn.at } satisfies SessionDeviceInfo };
  }

  opened(session: DtalkSession): void {
    // Its own EndpointLogin; the user's other connections, on any process, get
    // theirs from core's device.signed_in (delivery.ts).
    const d = session.device!;
    session.push(endpointLogin(d.uuid, d.kind, d.name, d.signedInAt));
    if (!isPhone(session)) return session.releasePushes();
    session.trackReceived();
    this.#replay(session)
      .catch((e: unknown) => this.#log?.error({ err: e }, 'dtalk: replaying to a phone failed'))
      .finally(() => session.releasePushes());
  }

  /** Live traffic first: the user's topic and their groups'. */
  async subscribe(s: DtalkSession): Promise<void> {
    const { appId, userId } = s.caller!;
    const groups = await this.#core.groupGate.groupIdsOf(appId, userId);
    if (s.isClosed) return;
    await Promise.all([this.#topics.names.user(userId), ...groups.map((g) => this.#topics.names.group(g))].map((t) => this.#topics.attach(s, t)));
    // Closed while subscribing: closed() ran before these topics were held.
    if (s.isClosed) this.#topics.detachAll(s);
  }

  /** A phone gets what followed its stream position; live pushes wait until it is done. */
  async #replay(s: DtalkSession): Promise<void> {
    await this.#settling.get(deviceKey(s)); // the same phone's previous connection, still storing its position
    const from = await this.#core.devices.deliveredPosition(s.caller!.userId, s.device!.uuid);
    if (from === undefined || !s.isOpen) return;
    s.settledAt(from);
    this.#lastSettle.set(s, this.now());
    s.settledAt(await replay(this.#core, this.#names, s, from, this.#settings.replayLimit));
  }

  /**
   * op 7: the same pipeline as /record/push; the op 8 body is
   * CommonAck{mid, datetime}, or on failure the error (see sendFailure).
   */
  async send(session: DtalkSession, body: Uint8Array): Promise<Uint8Array> {
    try {
      return await this.#send(session, body);
    } catch (e) {
      if (!isUnreadableMessage(e) && !isParleyError(e)) this.#log?.error({ err: e }, 'dtalk: a socket send failed inside the server');
      else this.#log?.info({ err: e }, 'dtalk: socket send refused');
      return sendFailure(e);
    }
  }

  async #send(session: DtalkSession, body: Uint8Array): Promise<Uint8Array> {
    const c = commonFromEnvelope(body);
    const clientId = clientIdOf(c.seq);
    if (clientId !== null) session.markOwnSend(clientId);
    const ack = await sendCommon(this.#core, this.#names, session.caller!, c);
    session.noteReceived(ack.mid); // on the device already: not pushed back to this connection
    return commonAckEnvelope({ mid: ack.mid, datetime: ack.datetime });
  }

  /** A phone's ack says its device received the message (the original's source "Storage, sync and history"). */
  acked(session: DtalkSession, message: PushedMessage): void {
    if (!isPhone(session)) return;
    // Received goes to the sender of a private message (not for one's own messages).
    if (!message.private || message.senderId === null || message.senderId === session.caller!.userId) return;
    let ids = this.#receipts.get(session);
    if (!ids) this.#receipts.set(session, (ids = []));
    ids.push(message.mid);
  }

  closed(session: DtalkSession): void {
    this.#sessions.delete(session);
    this.#topics.detachAll(session);
    if (!session.caller) return;
    this.#flushReceipts(session);
    if (isPhone(session)) void this.#settle(session);
    this.#lastSettle.delete(session);
  }

  log(err: unknown, msg: string): void {
    this.#log?.error({ err }, msg);
  }

  socketError(session: DtalkSession, error: unknown): void {
    // A broken or misbehaving peer: counted like the native gateway's (task `websocket`), logged at warn.
    const subject = { session: session.id, user: session.caller?.userId ?? 'unauthenticated' };
    if (this.#report) this.#report({ task: 'websocket', ...(session.caller ? { appId: session.caller.appId } : {}), subject, error });
    else this.#log?.warn({ err: error, ...subject }, 'dtalk socket error');
  }

  // From the bus

  #arrival(d: Delivery, sessions: readonly DtalkSession[]): void {
    const x = d.control;
    // `revoke` ends native sessions of a bearer token; dtalk signs every frame and holds none.
    if (x?.t === 'member') {
      for (const s of sessions) {
        if (x.on) this.#joinGroup(s, x.g, x.at).catch((e: unknown) => this.#log?.error({ err: e }, 'dtalk: subscribing a joined group failed'));
        else this.#topics.detach(s, this.#topics.names.group(x.g));
      }
    }
    if (!d.data) return;
    // The sessions are those subscribed when it arrived: a leave that follows does not take it from them.
    const data = d.data;
    this.#queue = this.#queue.then(() => this.#deliver(d.id, data, sessions)).catch((e: unknown) => this.#log?.error({ err: e }, 'dtalk: delivering an event failed'));
  }

  /** Translated once per arrival, pushed to each session it concerns. */
  async #deliver(id: string, data: Buffer, sessions: readonly DtalkSession[]): Promise<void> {
    if (sessions.every((s) => s.isClosed)) return;
    let frame: BusFrame;
    try {
      frame = JSON.parse(data.toString('utf8')) as BusFrame;
    } catch {
      return; // not a frame of ours
    }
    const push = await translate(frame, this.#names);
    if (!push) return;
    const m = push.message;
    for (const s of sessions) {
      const caller = s.caller;
      // A connection still subscribing has its caller: the push waits in it until op 2 is out.
      if (s.isClosed || !caller || caller.appId !== push.appId || caller.userId === push.exceptUserId) continue;
      if (push.signIn && s.device?.uuid === push.signIn.uuid && s.device.signedInAt === push.signIn.at) continue; // its own, pushed at op 2
      if (m && m.clientId !== null && m.senderId === caller.userId && s.isOwnSend(m.clientId)) {
        s.noteReceived(m.mid, m.pos); // the connection that sent it got op 8 instead
        continue;
      }
      s.deliver(id, push.bodies, m);
    }
  }

  /**
   * The user joined a group while connected: subscribe, then push from the
   * store what the group got between the join (`at`) and the subscription
   * (a message is pushed once, so live copies are dropped).
   */
  async #joinGroup(s: DtalkSession, groupId: number, at: number | undefined): Promise<void> {
    const topic = this.#topics.names.group(groupId);
    if (s.isClosed || this.#topics.has(s, topic)) return;
    await this.#topics.attach(s, topic);
    if (s.isClosed) return this.#topics.detach(s, topic);
    if (at === undefined) return;
    const { appId, userId } = s.caller!;
    const page = await this.#core.messages.history(appId, userId, { groupId }, { order: 'desc', limit: JOIN_WINDOW });
    const forApp = this.#names.forApp(appId);
    for (const m of page.items.reverse()) {
      if (m.createdAt < at) continue;
      const push = await messagePush(m, forApp);
      if (push) s.deliver(`join:${m.id}`, push.bodies, push.message);
    }
  }

  // A phone's position and receipts

  #flushReceipts(session: DtalkSession): void {
    const ids = this.#receipts.get(session);
    if (!ids) return;
    this.#receipts.delete(session);
    const { appId, userId } = session.caller!;
    this.#core.messages.delivered(appId, userId, ids).catch((e: unknown) => this.#log?.error({ err: e }, 'dtalk: Received signal failed'));
  }

  /** Stores the phone's position as far as its acks justify; one settle at a time per phone. */
  #settle(s: DtalkSession): Promise<void> {
    const key = deviceKey(s);
    this.#lastSettle.set(s, this.now());
    const run = (this.#settling.get(key) ?? Promise.resolve())
      .then(async () => {
        const from = s.position;
        if (from === undefined || !s.unsettled) return;
        s.unsettled = false;
        const pos = await settle(this.#core, this.#names, s, from);
        if (pos <= from) return;
        await this.#core.devices.advanceDelivered(s.caller!.userId, s.device!.uuid, pos);
        s.settledAt(pos);
      })
      .catch((e: unknown) => this.#log?.error({ err: e }, 'dtalk: storing a phone’s stream position failed'));
    this.#settling.set(key, run);
    void run.finally(() => {
      if (this.#settling.get(key) === run) this.#settling.delete(key);
    });
    return run;
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
      this.#flushReceipts(s);
      if (s.unsettled && now - (this.#lastSettle.get(s) ?? 0) >= this.#settings.settleMs && isPhone(s)) void this.#settle(s);
    }
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#offInterrupted();
    for (const s of [...this.#sessions]) s.close();
    await Promise.allSettled([...this.#settling.values()]);
    await this.#topics.close();
  }
}

