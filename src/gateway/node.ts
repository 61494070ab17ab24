// The node: this process's part of the real-time gateway. It owns the local
// sessions, holds one bus subscription per topic for as long as some local
// session needs it (bus-topics.ts, shared with the dtalk socket), decodes
// each bus payload once and hands the same bytes to every interested session. It never loops over a
// group's member list: fan-out works on connected sessions only.

import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import type { ReportBackgroundFailure } from '../core/background.ts';
import type { Bus } from '../core/bus.ts';
import { isParleyError } from '../core/errors.ts';
import type { GatewayCore, UserPrincipal } from './contract.ts';
import { BusTopics } from './bus-topics.ts';
import type { Delivery, Topics } from './envelope.ts';
import { CloseCode, frame } from './protocol.ts';
import { Session } from './session.ts';

export interface GatewaySettings {
  busPrefix: string;
  nodeId: number;
  queueBytes: number;
  heartbeatMs: number;
  idleTimeoutMs: number;
  maxFrameBytes: number;
  resumeLimit: number;
  reorderWaitMs: number;
}

export interface GatewayStats {
  connections: number;
  topics: number;
  slowConsumers: number;
  /** Frames handed to sessions' sockets (messages and events). */
  deliveries: number;
  /** Typing and presence frames not written because the client was behind. */
  ephemeralDropped: number;
  repairs: number;
  interruptions: number;
}

/** What a socket's shared listeners need to know of it. */
interface Link {
  node: GatewayNode;
  raw: Socket | undefined;
  session: Session | undefined;
  /** Frames that came while the token was checked (at most 8); undefined once it was. */
  early: string[] | undefined;
  /** The socket closed (before or after its session began). */
  lost: boolean;
}

const links = new WeakMap<WebSocket, Link>();

export class GatewayNode {
  readonly core: GatewayCore;
  readonly settings: GatewaySettings;
  readonly topics: Topics;
  readonly log: Logger;
  readonly stats = { slowConsumers: 0, deliveries: 0, repairs: 0, interruptions: 0, ephemeralDropped: 0 };
  readonly #bus: Bus;
  readonly #sessions = new Set<Session>();
  /** Which sessions want which topic, and the bus subscriptions serving them. */
  readonly #topics: BusTopics<Session>;
  /** Every open socket, authenticated or not (to end them at shutdown). */
  readonly #sockets = new Set<WebSocket>();
  readonly #sweeper: NodeJS.Timeout;
  readonly #offInterrupted: () => void;
  #nextSession = 0;
  #closing = false;

  readonly #report: ReportBackgroundFailure;

  constructor(deps: { core: GatewayCore; bus: Bus; settings: GatewaySettings; logger: Logger; report: ReportBackgroundFailure }) {
    this.core = deps.core;
    this.#report = deps.report;
    this.settings = deps.settings;
    this.log = deps.logger;
    this.#bus = deps.bus;
    this.#topics = new BusTopics<Session>(
      deps.bus,
      deps.settings.busPrefix,
      (_topic, d, sessions) => this.#arrived(d, sessions),
      // Dropped (there is nothing to deliver), but said: a bug in a publisher, or another cluster on our prefix.
      (topic, payload) => this.#report({ task: 'bus_handler', subject: { topic, undecodable: payload.slice(0, 80) }, error: new Error('a bus payload that is not an envelope') }),
    );
    this.topics = this.#topics.names;
    // One timer for every session (a timer per connection would cost memory per idle client).
    this.#sweeper = setInterval(() => this.sweep(), Math.min(1000, Math.ceil(deps.settings.idleTimeoutMs / 4)));
    this.#sweeper.unref();
    this.#offInterrupted = this.#bus.onInterrupted((cause) => {
      this.stats.interruptions++;
      this.log.warn({ cause: cause.reason, sessions: this.#sessions.size }, 'bus notifications may have been lost; sessions re-read the store');
      for (const s of this.#sessions) void s.recover();
    });
  }

  /**
   * A new WebSocket with the token it presented. Frames that arrive while the
   * token is checked are kept and handled in order once it is.
   */
  accept(ws: WebSocket, token: string | undefined, raw?: Socket): void {
    if (this.#closing) {
      ws.close(CloseCode.goingAway.code, CloseCode.goingAway.reason);
      return;
    }
    this.#sockets.add(ws);
    const link: Link = { node: this, raw, session: undefined, early: [], lost: false };
    links.set(ws, link);
    // Shared listeners, not closures: an idle connection costs what it holds (bench/gateway/README.md).
    ws.on('error', GatewayNode.#onError);
    ws.on('message', GatewayNode.#onMessage);
    ws.on('ping', GatewayNode.#onAlive);
    ws.on('pong', GatewayNode.#onAlive);
    ws.on('close', GatewayNode.#onClose);
    this.core.authenticate(token).then(
      (p) => {
        if (link.lost) return;
        if (this.#closing) return ws.close(CloseCode.goingAway.code, CloseCode.goingAway.reason);
        if (p.userId === null) return ws.close(CloseCode.forbidden.code, CloseCode.forbidden.reason);
        const session = new Session(`${this.settings.nodeId}.${(this.#nextSession++).toString(36)}`, ws, this, p as UserPrincipal, raw);
        link.session = session;
        this.#sessions.add(session);
        this.core.presence?.sessionOpened(session.principal);
        session.write(
          frame.welcome({ sessionId: session.id, userId: p.userId, heartbeatMs: this.settings.heartbeatMs, idleTimeoutMs: this.settings.idleTimeoutMs, maxFrameBytes: this.settings.maxFrameBytes }),
        );
        const queued = link.early ?? [];
        link.early = undefined;
        for (const text of queued) session.onFrame(text);
      },
      (e: unknown) => {
        if (link.lost) return;
        const reason = isParleyError(e) && e.code === 'token_revoked' ? CloseCode.tokenRevoked : isParleyError(e) ? CloseCode.unauthenticated : CloseCode.internal;
        if (!isParleyError(e)) this.failed('authenticating a WebSocket', e);
        ws.close(reason.code, isParleyError(e) ? e.message.slice(0, 120) : reason.reason);
      },
    );
  }

  // The socket's listeners; `this` is the WebSocket (its link says the rest).

  /** A broken or misbehaving peer (a reset, a frame over the limit, bad UTF-8): said, then the socket goes; 'close' follows. */
  static #onError(this: WebSocket, error: Error): void {
    const link = links.get(this);
    if (!link) return;
    const { node, session, raw } = link;
    node.#report({ task: 'websocket', ...(session ? { appId: session.principal.appId } : {}), subject: { session: session?.id ?? 'unauthenticated', peer: raw?.remoteAddress ?? 'unknown' }, error });
    this.terminate();
  }

  static #onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    const link = links.get(this);
    if (!link) return;
    const text = isBinary || typeof data !== 'string' ? Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8') : data;
    if (link.session) link.session.onFrame(text);
    else if (link.early && link.early.length < 8) link.early.push(text);
  }

  static #onAlive(this: WebSocket): void {
    links.get(this)?.session?.touch();
  }

  static #onClose(this: WebSocket): void {
    const link = links.get(this);
    if (!link) return;
    link.lost = true;
    link.node.#sockets.delete(this);
    link.session?.onSocketClosed();
  }

  /** A failure that is not the client's (task `gateway`): logged with what failed and counted on /metrics. */
  failed(what: string, error: unknown, sessionId?: string): void {
    this.#report({ task: 'gateway', subject: { what, ...(sessionId !== undefined ? { session: sessionId } : {}) }, error });
  }

  /** Subscribes the bus to `topic` if this is its first local session; resolves when live. */
  attach(session: Session, topic: string): Promise<void> {
    return this.#topics.attach(session, topic);
  }

  /** Drops the bus subscription when the topic's last local session leaves. */
  detach(session: Session, topic: string): void {
    this.#topics.detach(session, topic);
  }

  /** Every topic `session` holds (it is going). */
  detachAll(session: Session): void {
    this.#topics.detachAll(session);
  }

  /** Whether `session` holds `topic`. */
  holds(session: Session, topic: string): boolean {
    return this.#topics.has(session, topic);
  }

  forget(session: Session): void {
    if (this.#sessions.delete(session)) this.core.presence?.sessionClosed(session.principal);
  }

  /** An envelope decoded once, for every local session of its topic. */
  #arrived(d: Delivery, sessions: readonly Session[]): void {
    for (const s of sessions) {
      if (d.data) s.receive(d);
      if (d.control) this.#control(s, d);
    }
  }

  #control(s: Session, d: Delivery): void {
    const x = d.control!;
    switch (x.t) {
      case 'revoke':
        if (s.principal.tokenId === x.token) s.close(CloseCode.tokenRevoked);
        return;
      case 'member':
        if (x.on) s.joinGroup(x.g, x.at).catch((e: unknown) => this.failed('subscribing a joined group', e, s.id));
        else s.detach(this.topics.group(x.g));
        return;
    }
  }

  /**
   * Closes sessions whose token has expired (4001) and those that sent nothing
   * for the idle timeout (also those that never said hello). One pass for all
   * sessions, at most a second late, instead of a timer per connection.
   */
  sweep(): void {
    const now = this.core.clock.now();
    const deadline = now - this.settings.idleTimeoutMs;
    for (const s of [...this.#sessions]) {
      const expiresAt = s.principal.expiresAt;
      if (expiresAt !== undefined && expiresAt <= now) s.close(CloseCode.tokenExpired);
      else if (s.lastSeen < deadline) s.close(CloseCode.idleTimeout);
    }
  }

  /** True once close() began: new sockets are refused (503 before the upgrade, so a proxy tries another node) and /readyz fails. */
  get draining(): boolean {
    return this.#closing;
  }

  snapshot(): GatewayStats {
    return { connections: this.#sessions.size, topics: this.#topics.topicCount, ...this.stats };
  }

  /** Tells every client to go elsewhere (1001) and resume; the bus is closed by its owner. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    clearInterval(this.#sweeper);
    this.#offInterrupted();
    for (const s of [...this.#sessions]) s.close(CloseCode.goingAway);
    for (const ws of this.#sockets) if (ws.readyState === ws.OPEN) ws.close(CloseCode.goingAway.code, CloseCode.goingAway.reason);
    await this.#topics.close();
    // Clients answer the close frame at once; one that does not is cut off.
    const deadline = Date.now() + 1000;
    while (this.#sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const ws of this.#sockets) ws.terminate();
  }
}
