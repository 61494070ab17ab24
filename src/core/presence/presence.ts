// Typing and presence: who may signal what to whom, and who is online. All of
// it is ephemeral: a typing signal and a connect or disconnect never write to
// the store (last seen is written lazily in batches: last-seen.ts). Signals
// leave through the EphemeralOut port (the gateway puts them on the bus); who
// is online anywhere comes from the roster (roster.ts).
//
// Who hears a user's presence: co-members of their groups of up to
// `groupLimit` members (one publish per group topic, heard by the connected
// members only), and their MAX_PRESENCE_PEERS most recent private peers.
// Members of larger groups ask (GET /v1/users/presence) for the users they
// show: in a group of 10,000 a presence change per member would be 10,000²
// deliveries.

import type { ReportBackgroundFailure } from '../background.ts';
import type { Bus } from '../bus.ts';
import type { Clock } from '../clock.ts';
import { fail } from '../errors.ts';
import type { GroupGate } from '../groups/gate.ts';
import type { Store } from '../ports.ts';
import type { UserPrincipal } from '../auth/principals.ts';
import { LastSeenWriter } from './last-seen.ts';
import { MAX_PRESENCE_PEERS, TYPING_TTL_MS, type EphemeralOut, type PresenceAudience, type PresenceSettings, type PresenceView, type TypingTarget } from './model.ts';
import { Roster } from './roster.ts';
import { TypingLimiter } from './typing-limiter.ts';

export interface PresenceDeps {
  store: Store;
  clock: Clock;
  /** Group rules, cached for the hot path (a typing signal must not read the store). */
  gate: GroupGate;
  bus: Bus;
  /** The bus topic the processes share their rosters on. */
  rosterTopic: string;
  nodeId: number;
  settings: PresenceSettings;
  report: ReportBackgroundFailure;
}

/** Peers known to exist, per app (a private typing signal checks its target once). */
const MAX_KNOWN_PEERS = 100_000;
/** HTTP clients whose typing rate is remembered at once (each for as long as it keeps typing). */
const MAX_TOKEN_LIMITERS = 10_000;
/** Users one presence query may name. */
export const MAX_PRESENCE_QUERY = 100;

export class Presence {
  readonly settings: PresenceSettings;
  readonly roster: Roster;
  readonly lastSeen: LastSeenWriter;
  readonly stats = { typingSent: 0, typingCoalesced: 0, presenceChanges: 0 };
  readonly #d: PresenceDeps;
  #out: EphemeralOut | undefined;
  readonly #knownUsers = new Set<string>();
  readonly #tokenLimiters = new Map<number, TypingLimiter>();

  constructor(deps: PresenceDeps) {
    this.#d = deps;
    this.settings = deps.settings;
    this.roster = new Roster({ bus: deps.bus, topic: deps.rosterTopic, nodeId: deps.nodeId, clock: deps.clock, report: deps.report });
    this.lastSeen = new LastSeenWriter(() => deps.store.presence, deps.report, deps.settings.flushMs);
  }

  /** Starts listening to the other processes' rosters; `out` is where signals go. */
  async start(out: EphemeralOut): Promise<void> {
    this.#out = out;
    await this.roster.start();
  }

  // ---- sessions --------------------------------------------------------------

  /** An authenticated socket session of `p` opened on this process. */
  sessionOpened(p: UserPrincipal): void {
    if (!this.roster.opened(p.userId)) return;
    if (this.roster.isOnlineElsewhere(p.userId)) return; // online already: nothing changes for others
    this.#announce(p, { userId: p.userId, online: true });
  }

  /** A socket session of `p` closed on this process. */
  sessionClosed(p: UserPrincipal): void {
    const at = this.#d.clock.now();
    if (!this.roster.closed(p.userId, at)) return;
    this.lastSeen.note(p.userId, at);
    if (this.roster.isOnlineElsewhere(p.userId)) return;
    this.#announce(p, { userId: p.userId, online: false, lastSeenAt: at });
  }

  /** Tells the user's audience, after reading who it is and whether they hide last seen (reads only, on a change). */
  #announce(p: UserPrincipal, view: PresenceView): void {
    this.stats.presenceChanges++;
    void (async () => {
      const [audience, records] = await Promise.all([this.audienceOf(p.appId, p.userId), view.lastSeenAt !== undefined ? this.#d.store.presence.getMany([p.userId]) : []]);
      const shown = records[0]?.hideLastSeen ? { userId: view.userId, online: view.online } : view;
      if (audience.groupIds.length > 0 || audience.userIds.length > 0) this.#out?.presence(audience, shown);
    })().catch((error: unknown) => this.#d.report({ task: 'gateway', appId: p.appId, subject: { what: 'presence change', userId: p.userId }, error }));
  }

  /** Small groups of the user and their recent private peers (see the top of this file). */
  async audienceOf(appId: number, userId: number): Promise<PresenceAudience> {
    const { gate, store } = this.#d;
    const [groups, privates] = await Promise.all([gate.groupIdsOf(appId, userId), store.conversations.listForUser(appId, userId, [], MAX_PRESENCE_PEERS)]);
    const counts = await Promise.all(groups.map((g) => gate.memberCount(appId, g)));
    const groupIds = groups.filter((_, i) => counts[i] <= this.settings.groupLimit);
    const userIds = privates.filter((c) => c.kind === 'private').map((c) => (c.userA === userId ? c.userB : c.userA)).filter((u): u is number => u !== null && u !== userId);
    return { groupIds, userIds };
  }

  // ---- typing ----------------------------------------------------------------

  /** A socket session's own rate limit. */
  newLimiter(): TypingLimiter {
    return new TypingLimiter(this.settings.typingIntervalMs);
  }

  /** The rate limit of an HTTP client: its token is its session. */
  limiterOfToken(tokenId: number): TypingLimiter {
    let l = this.#tokenLimiters.get(tokenId);
    if (l) {
      // Most recently used last, so the oldest goes first when full.
      this.#tokenLimiters.delete(tokenId);
    } else {
      l = this.newLimiter();
      if (this.#tokenLimiters.size >= MAX_TOKEN_LIMITERS) this.#tokenLimiters.delete(this.#tokenLimiters.keys().next().value!);
    }
    this.#tokenLimiters.set(tokenId, l);
    return l;
  }

  /**
   * `p` is typing (or stopped) in a conversation. Only members may (muted
   * ones may not: they cannot send either); a signal the session's limiter
   * coalesces is dropped without error. Resolves whether it went out. Reads
   * nothing after the first check of a conversation (the group rules are
   * cached) and writes nothing, ever.
   */
  async typing(p: UserPrincipal, target: TypingTarget, active: boolean, limiter: TypingLimiter): Promise<boolean> {
    const key = 'groupId' in target ? `g:${target.groupId}` : `u:${target.userId}`;
    if ('groupId' in target) await this.#d.gate.assertCanSend(p.appId, target.groupId, p.userId);
    else await this.#requirePeer(p, target.userId);
    if (!limiter.admit(key, active, this.#d.clock.now())) {
      this.stats.typingCoalesced++;
      return false;
    }
    this.stats.typingSent++;
    this.#out?.typing(p.userId, target, { userId: p.userId, active, ttlMs: TYPING_TTL_MS });
    return true;
  }

  async #requirePeer(p: UserPrincipal, peerId: number): Promise<void> {
    if (peerId === p.userId) throw fail('invalid_argument', 'typing to yourself: name another user');
    const key = `${p.appId}:${peerId}`;
    if (this.#knownUsers.has(key)) return;
    const u = await this.#d.store.users.get(peerId);
    if (!u || u.appId !== p.appId) throw fail('user_not_found', `user ${peerId} does not exist`, { userId: peerId });
    if (this.#knownUsers.size >= MAX_KNOWN_PEERS) this.#knownUsers.clear();
    this.#knownUsers.add(key);
  }

  // ---- queries and the setting --------------------------------------------------

  /**
   * Presence of users `viewer` shares a conversation with (a private one, or
   * a group), in the order asked; others are left out (`hidden`). Last seen
   * is left out for users who hide it.
   */
  async view(viewer: UserPrincipal, userIds: readonly number[]): Promise<{ items: PresenceView[]; hidden: number[] }> {
    const ids = [...new Set(userIds)];
    if (ids.length === 0 || ids.length > MAX_PRESENCE_QUERY) throw fail('invalid_argument', `ask for 1 to ${MAX_PRESENCE_QUERY} users`);
    const visible = await this.#sharing(viewer, ids);
    const records = new Map((await this.#d.store.presence.getMany(visible)).map((r) => [r.userId, r]));
    const items = visible.map((userId): PresenceView => {
      if (this.roster.isOnline(userId)) return { userId, online: true };
      const r = records.get(userId);
      if (r?.hideLastSeen && userId !== viewer.userId) return { userId, online: false };
      const at = Math.max(this.roster.recentLastSeen(userId) ?? 0, r?.lastSeenAt ?? 0);
      return at > 0 ? { userId, online: false, lastSeenAt: at } : { userId, online: false };
    });
    const shown = new Set(visible);
    return { items, hidden: ids.filter((u) => !shown.has(u)) };
  }

  /** Those of `ids` who are `viewer` or share a private conversation or a group with them. */
  async #sharing(viewer: UserPrincipal, ids: readonly number[]): Promise<number[]> {
    const { gate, store } = this.#d;
    const others = ids.filter((u) => u !== viewer.userId);
    const privates = await store.conversations.listForUser(viewer.appId, viewer.userId, [], 10_000);
    const peers = new Set(privates.flatMap((c) => [c.userA, c.userB]));
    const rest = others.filter((u) => !peers.has(u));
    let inGroups = new Set<number>();
    if (rest.length > 0) {
      const mine = new Set(await gate.groupIdsOf(viewer.appId, viewer.userId));
      const theirs = await Promise.all(rest.map((u) => gate.groupIdsOf(viewer.appId, u)));
      inGroups = new Set(rest.filter((_, i) => theirs[i].some((g) => mine.has(g))));
    }
    return ids.filter((u) => u === viewer.userId || peers.has(u) || inGroups.has(u));
  }

  /** One user's presence; `forbidden` when the viewer shares no conversation with them. */
  async viewOne(viewer: UserPrincipal, userId: number): Promise<PresenceView> {
    const { items } = await this.view(viewer, [userId]);
    if (items.length === 0) throw fail('forbidden', `you share no conversation with user ${userId}`, { userId });
    return items[0];
  }

  async settingsOf(p: UserPrincipal): Promise<{ hideLastSeen: boolean }> {
    const [r] = await this.#d.store.presence.getMany([p.userId]);
    return { hideLastSeen: r?.hideLastSeen ?? false };
  }

  async changeSettings(p: UserPrincipal, patch: { hideLastSeen?: boolean }): Promise<{ hideLastSeen: boolean }> {
    if (typeof patch.hideLastSeen !== 'boolean') throw fail('invalid_argument', 'hideLastSeen must be true or false', { field: 'hideLastSeen' });
    await this.#d.store.presence.setHideLastSeen(p.userId, patch.hideLastSeen);
    return { hideLastSeen: patch.hideLastSeen };
  }

  /** Writes pending last-seen times and leaves the roster. */
  async close(): Promise<void> {
    await this.roster.close();
    await this.lastSeen.close();
  }
}
