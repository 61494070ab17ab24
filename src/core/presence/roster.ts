// Who is online anywhere in the cluster, without the store. Each process
// counts its own sessions per user and tells the others over one bus topic
// when a user's first local session opens or last one closes; every BEAT_MS
// it also repeats its whole list, which heals a lost notification and
// teaches a process that just started. A process not heard for
// 3 × BEAT_MS is taken as gone with its users (a crash). On the in-process
// bus the topic has only this process, and the same code serves one node.
//
//   {"n":1,"on":[5,9]}   {"n":1,"off":[5],"at":1700000000000}
//   {"n":1,"all":[5,9]}  (beat)   {"n":1,"ask":1} (start: beat now)   {"n":1,"bye":1}

import type { ReportBackgroundFailure } from '../background.ts';
import type { Bus } from '../bus.ts';
import type { Clock } from '../clock.ts';

export const BEAT_MS = 10_000;
const GONE_AFTER_MS = 3 * BEAT_MS;
/** Recent last-seen times (here or heard from other processes), so a query sees them before the batch reaches the store. */
const MAX_RECENT = 100_000;

interface RosterNote {
  n: number;
  on?: number[];
  off?: number[];
  at?: number;
  all?: number[];
  ask?: 1;
  bye?: 1;
}

export class Roster {
  readonly #bus: Bus;
  readonly #topic: string;
  readonly #nodeId: number;
  readonly #clock: Clock;
  readonly #report: ReportBackgroundFailure;
  /** Local sessions per user. */
  readonly #local = new Map<number, number>();
  /** Other processes' users, and when each process was last heard. */
  readonly #remote = new Map<number, { users: Set<number>; heardAt: number }>();
  /** Last-seen times of users who went offline lately (here or elsewhere), newest last. */
  readonly #recent = new Map<number, number>();
  #unsubscribe: (() => void) | undefined;
  #beat: NodeJS.Timeout | undefined;

  constructor(deps: { bus: Bus; topic: string; nodeId: number; clock: Clock; report: ReportBackgroundFailure }) {
    this.#bus = deps.bus;
    this.#topic = deps.topic;
    this.#nodeId = deps.nodeId;
    this.#clock = deps.clock;
    this.#report = deps.report;
  }

  async start(): Promise<void> {
    this.#unsubscribe = await this.#bus.subscribe(this.#topic, (payload) => this.#heard(payload));
    this.#say({ n: this.#nodeId, ask: 1 });
    this.#beat = setInterval(() => this.#beatNow(), BEAT_MS);
    this.#beat.unref();
  }

  /** A session of `userId` opened here; true when it is the user's first session on this process. */
  opened(userId: number): boolean {
    const n = this.#local.get(userId) ?? 0;
    this.#local.set(userId, n + 1);
    if (n > 0) return false;
    this.#say({ n: this.#nodeId, on: [userId] });
    return true;
  }

  /** A session of `userId` closed here at `at`; true when it was the user's last on this process. */
  closed(userId: number, at: number): boolean {
    const n = this.#local.get(userId) ?? 0;
    if (n > 1) {
      this.#local.set(userId, n - 1);
      return false;
    }
    if (n === 0) return false;
    this.#local.delete(userId);
    this.#remember(userId, at);
    this.#say({ n: this.#nodeId, off: [userId], at });
    return true;
  }

  isOnline(userId: number): boolean {
    return this.#local.has(userId) || this.isOnlineElsewhere(userId);
  }

  isOnlineElsewhere(userId: number): boolean {
    const now = this.#clock.now();
    for (const [, node] of this.#remote) if (now - node.heardAt < GONE_AFTER_MS && node.users.has(userId)) return true;
    return false;
  }

  /** A last-seen time heard lately and perhaps not yet in the store. */
  recentLastSeen(userId: number): number | undefined {
    return this.#recent.get(userId);
  }

  get localUsers(): number {
    return this.#local.size;
  }

  async close(): Promise<void> {
    clearInterval(this.#beat);
    this.#say({ n: this.#nodeId, bye: 1 });
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  #remember(userId: number, at: number): void {
    this.#recent.delete(userId);
    this.#recent.set(userId, at);
    if (this.#recent.size > MAX_RECENT) this.#recent.delete(this.#recent.keys().next().value!);
  }

  #beatNow(): void {
    this.#say({ n: this.#nodeId, all: [...this.#local.keys()] });
    const now = this.#clock.now();
    for (const [id, node] of this.#remote) if (now - node.heardAt >= GONE_AFTER_MS) this.#remote.delete(id);
  }

  #say(note: RosterNote): void {
    this.#bus.publish(this.#topic, JSON.stringify(note));
  }

  #heard(payload: string): void {
    let note: RosterNote;
    try {
      note = JSON.parse(payload) as RosterNote;
    } catch (error) {
      this.#report({ task: 'bus_handler', subject: { topic: this.#topic, undecodable: payload.slice(0, 80) }, error });
      return;
    }
    if (typeof note?.n !== 'number' || note.n === this.#nodeId) return;
    if (note.bye) {
      this.#remote.delete(note.n);
      return;
    }
    if (note.ask) {
      // A process started: tell it who is here (and mark it heard, it is alive).
      this.#node(note.n);
      this.#say({ n: this.#nodeId, all: [...this.#local.keys()] });
      return;
    }
    const node = this.#node(note.n);
    if (Array.isArray(note.all)) node.users = new Set(note.all.filter((u) => typeof u === 'number'));
    for (const u of note.on ?? []) node.users.add(u);
    for (const u of note.off ?? []) {
      node.users.delete(u);
      if (typeof note.at === 'number') this.#remember(u, note.at);
    }
  }

  #node(id: number): { users: Set<number>; heardAt: number } {
    let node = this.#remote.get(id);
    if (!node) this.#remote.set(id, (node = { users: new Set(), heardAt: 0 }));
    node.heardAt = this.#clock.now();
    return node;
  }
}
