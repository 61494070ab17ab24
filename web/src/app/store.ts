// The client's state and the rules that keep it current: a session kept in
// localStorage, conversations, loaded message windows, and the catch-up that
// runs after every (re)connect. Components read it through useStore() and
// call its methods; they never talk to the server themselves.

import { ParleyClient, ParleyError, type ConversationSummary, type Group, type Invitation, type Member, type Message, type ParleySocket, type Session, type SocketState, type User } from '@parley/sdk';
import { keyOfMessage, groupKey, targetOf, userKey, type ConvKey } from './keys.ts';
import { annotationEvent } from './annotations.ts';
import { Live } from './live.ts';

export interface Conversation {
  key: ConvKey;
  /** The server's count (not lastSeq − readSeq: your own messages and notices never count), kept current live. */
  unread: number;
  /** Unread messages that mention you or everyone. */
  mentions: number;
  readSeq: number;
  lastSeq: number;
  lastMessage: Message | null;
  /** Private chats: how far the peer has read (from read events). */
  peerReadSeq: number;
}

export interface Thread {
  /** Ascending by seq, de-duplicated by id. */
  items: Message[];
  /** Older messages exist on the server. */
  more: boolean;
  next?: string;
  loading: boolean;
}

const SESSION_KEY = 'parley.session';
const posKey = (userId: number) => `parley.sync.${userId}`;

export class Store {
  readonly api = new ParleyClient({ onUnauthorized: () => this.#expired() });
  session: Session | undefined;
  socketState: SocketState = 'offline';
  /** What the reconnect caught up, shown briefly ("3 new messages while offline"). */
  notice: string | undefined;
  conversations = new Map<ConvKey, Conversation>();
  threads = new Map<ConvKey, Thread>();
  users = new Map<number, User>();
  groups = new Map<number, Group>();
  members = new Map<number, Member[]>();
  /** Bumped on every event about a group, so open panels re-read what they show (applications). */
  groupEpoch = new Map<number, number>();
  /** Groups I own or administer: how many requests to join wait for a decision. */
  joinRequests = new Map<number, number>();
  /** Invitations to groups waiting for this user's answer. */
  invitations: Invitation[] = [];
  active: ConvKey | undefined;
  /** The message a search jumped to: shown highlighted and scrolled into view. */
  highlight: number | undefined;
  /** Per conversation: the message the composer's next send replies to. */
  replyingTo = new Map<ConvKey, Message>();
  /** The message being edited in place, if any. */
  editing: number | undefined;
  version = 0;
  /** Typing and presence (ephemeral; live.ts). */
  readonly live: Live = new Live({
    meId: () => this.me?.id,
    changed: () => this.changed(),
    presenceOf: (ids) => this.api.presence.of(ids),
    sendTyping: (key, active) => this.#socket?.typing(targetOf(key), active),
  });

  #listeners = new Set<() => void>();
  #socket: ParleySocket | undefined;
  #syncPos = 0;
  #catchingUp: Promise<void> | undefined;
  #pendingUsers = new Set<number>();
  #pendingGroups = new Set<number>();
  /** Groups whose refresh was asked for while a read was under way (with its `outside`). */
  #staleGroups = new Map<number, boolean>();

  constructor() {
    try {
      const raw = localStorage.getItem(SESSION_KEY);
      if (raw) this.session = JSON.parse(raw) as Session;
    } catch {
      this.session = undefined;
    }
    if (this.session) this.api.token = this.session.token;
  }

  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  changed(): void {
    this.version++;
    for (const fn of this.#listeners) fn();
  }

  get me(): User | undefined {
    return this.session?.user;
  }

  // ---- session ---------------------------------------------------------

  async signUp(handle: string, password: string, displayName: string): Promise<void> {
    this.#begin(await this.api.auth.signUp({ handle, password, ...(displayName ? { displayName } : {}) }));
  }

  async logIn(handle: string, password: string): Promise<void> {
    this.#begin(await this.api.auth.logIn(handle, password));
  }

  async logOut(): Promise<void> {
    this.#socket?.close();
    await this.api.auth.logOut().catch(() => undefined);
    this.#end();
  }

  #begin(s: Session): void {
    this.session = s;
    localStorage.setItem(SESSION_KEY, JSON.stringify(s));
    this.users.set(s.user.id, s.user);
    void this.start();
  }

  #expired(): void {
    this.#socket?.close();
    this.#end();
  }

  #end(): void {
    localStorage.removeItem(SESSION_KEY);
    this.session = undefined;
    this.api.token = undefined;
    this.conversations.clear();
    this.threads.clear();
    this.groups.clear();
    this.active = undefined;
    this.#socket = undefined;
    this.changed();
  }

  /** After sign-in or a reload with a kept session: load the list, then go live. */
  async start(): Promise<void> {
    const me = this.me;
    if (!me) return;
    this.users.set(me.id, me);
    this.#syncPos = Number(localStorage.getItem(posKey(me.id)) ?? 0) || 0;
    this.changed();
    await this.refreshConversations().catch(() => undefined);
    this.#socket = this.api.socket({
      onState: (s) => {
        this.socketState = s;
        this.changed();
      },
      onMessage: (m) => this.ingest(m, true),
      onEvent: (ev) => this.#onEvent(ev),
      onTyping: (t) => this.live.typingFrame(t),
      onPresence: (p) => this.live.presenceFrame(p),
      onOnline: (reconnect) => {
        void this.catchUp(reconnect);
        // Presence frames missed while offline: re-read those on screen.
        if (reconnect && this.active?.[0] === 'u') void this.live.watch([Number(this.active.slice(1))]).catch(() => undefined);
      },
    });
    this.#socket.connect();
  }

  // ---- conversations and catch-up ---------------------------------------

  /** Events other than messages: read positions move receipts; anything about a group re-reads it. */
  #onEvent(ev: Record<string, unknown>): void {
    if (annotationEvent(this, ev)) return;
    const me = this.me?.id;
    if (ev.type === 'conversation.read') {
      if (ev.userId === me) {
        // Another device of mine read (or marked unread): the server's counts are the truth.
        this.#refreshSoon();
        return;
      }
      if (typeof ev.groupId === 'number') {
        const key = groupKey(ev.groupId);
        if (this.threads.has(key)) void this.#fillThread(key).then(() => this.changed());
        return;
      }
      const c = typeof ev.userId === 'number' ? this.conversations.get(userKey(ev.userId)) : undefined;
      if (c && typeof ev.seq === 'number') c.peerReadSeq = Math.max(c.peerReadSeq, ev.seq);
      this.changed();
      return;
    }
    const groupId = typeof ev.groupId === 'number' ? ev.groupId : typeof (ev.group as Group | undefined)?.id === 'number' ? (ev.group as Group).id : undefined;
    if (groupId !== undefined) {
      // Requests to join reach only the group's staff; other changes (roles) re-read them through the list refresh.
      if (String(ev.type).startsWith('group.application')) void this.loadJoinRequests(groupId);
      // An invitation or a refusal concerns a group one is not (yet) in: only its public face is readable.
      this.group(groupId, true, !this.conversations.has(groupKey(groupId)));
      // Panels re-read after the member list (and so my own role) is current.
      const bump = () => this.groupEpoch.set(groupId, (this.groupEpoch.get(groupId) ?? 0) + 1);
      if (this.members.has(groupId)) void this.loadMembers(groupId).then(() => { bump(); this.changed(); });
      else bump();
    }
    this.#refreshSoon();
  }

  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #refreshSoon(): void {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => void this.refreshConversations().catch(() => undefined), 150);
  }

  async loadMembers(groupId: number): Promise<void> {
    try {
      const page = await this.api.groups.members(groupId);
      this.members.set(groupId, page.items);
      for (const m of page.items) this.user(m.userId);
    } catch (e) {
      if (e instanceof ParleyError && (e.status === 403 || e.status === 404)) this.members.set(groupId, []);
    }
    this.changed();
  }

  /** Pending requests to join a group I administer (a badge; the panel lists them). */
  async loadJoinRequests(groupId: number): Promise<void> {
    try {
      const page = await this.api.groups.applications(groupId);
      this.joinRequests.set(groupId, page.items.filter((a) => !a.status || a.status === 'pending').length);
    } catch {
      this.joinRequests.delete(groupId);
    }
    this.changed();
  }

  async refreshConversations(): Promise<void> {
    const [list, mine, invitations] = await Promise.all([
      this.api.messages.conversations(200),
      this.api.groups.mine().catch(() => ({ items: [] as Group[] })),
      this.api.groups.invitations().catch(() => ({ items: [] as Invitation[] })),
    ]);
    this.invitations = invitations.items.filter((i) => i.status === 'pending' && i.inviteeId === this.me?.id);
    for (const i of this.invitations) {
      this.group(i.groupId, false, true);
      if (i.inviterId) this.user(i.inviterId);
    }
    const seen = new Set<ConvKey>();
    let newest = 0;
    for (const c of list.items) {
      const key = c.kind === 'group' && c.groupId ? groupKey(c.groupId) : c.peerId ? userKey(c.peerId) : undefined;
      if (!key) continue;
      seen.add(key);
      this.#setSummary(key, c);
      newest = Math.max(newest, c.lastMessage?.pos ?? 0);
    }
    // A first start on this device: the list is the starting point, sync runs from its newest change.
    if (this.#syncPos === 0) this.#advance(newest);
    for (const g of mine.items) {
      this.groups.set(g.id, g);
      // Staff see waiting requests as a badge: read once, then on every request event
      // (not on every refresh: a role that just changed would race it into a 403).
      if (g.role === 'owner' || g.role === 'admin') {
        if (!this.joinRequests.has(g.id)) void this.loadJoinRequests(g.id);
      } else this.joinRequests.delete(g.id);
      const key = groupKey(g.id);
      seen.add(key);
      if (!this.conversations.has(key)) this.conversations.set(key, { key, unread: 0, mentions: 0, readSeq: 0, lastSeq: 0, lastMessage: null, peerReadSeq: 0 });
    }
    // A group left or kicked from disappears (unless it is open on screen).
    for (const key of [...this.conversations.keys()]) if (!seen.has(key) && key !== this.active && key[0] === 'g' && mine.items.length > 0) this.conversations.delete(key);
    this.changed();
  }

  #setSummary(key: ConvKey, c: ConversationSummary): void {
    const active = key === this.active;
    this.conversations.set(key, { key, unread: active ? 0 : c.unread, mentions: active ? 0 : c.mentions, readSeq: c.readSeq, lastSeq: c.lastSeq, lastMessage: c.lastMessage, peerReadSeq: this.conversations.get(key)?.peerReadSeq ?? 0 });
    if (c.lastMessage?.senderId) this.user(c.lastMessage.senderId);
    // A private chat is named after the peer, whoever wrote the last message.
    if (c.peerId) this.user(c.peerId);
    if (key === this.active && c.unread > 0) void this.markRead(key);
  }

  /** Reads every change since the last known position (after a reconnect: what was missed). */
  catchUp(reconnect: boolean): Promise<void> {
    this.#catchingUp ??= (async () => {
      let missed = 0;
      try {
        for (;;) {
          const page = await this.api.messages.sync(this.#syncPos, 200);
          for (const m of page.items) if (this.ingest(m, false)) missed++;
          this.#advance(page.position);
          if (!page.more || page.items.length === 0) break;
        }
        if (reconnect) {
          await this.refreshConversations();
          for (const key of this.threads.keys()) await this.#fillThread(key);
          this.notice = missed > 0 ? `Reconnected: ${missed} message${missed === 1 ? '' : 's'} arrived while you were offline` : 'Reconnected';
          this.changed();
        }
      } catch (e) {
        if (!(e instanceof ParleyError) || e.status !== 401) console.warn('catch-up failed', e);
      } finally {
        this.#catchingUp = undefined;
      }
    })();
    return this.#catchingUp;
  }

  #advance(pos: number): void {
    if (pos <= this.#syncPos) return;
    this.#syncPos = pos;
    if (this.me) localStorage.setItem(posKey(this.me.id), String(pos));
  }

  /** Takes one new or changed message into the state; true when it was new. */
  ingest(m: Message, live: boolean): boolean {
    const me = this.me?.id;
    if (me === undefined) return false;
    const key = keyOfMessage(m, me);
    if (!key) return false;
    if (live) this.#advance(m.pos);
    if (live) this.live.messageFrom(key, m.senderId);
    let isNew = true;
    const t = this.threads.get(key);
    if (t) {
      const i = t.items.findIndex((x) => x.id === m.id);
      if (i >= 0) {
        isNew = false;
        if (m.pos >= t.items[i].pos) t.items[i] = m;
      } else {
        t.items.push(m);
        t.items.sort((a, b) => a.seq - b.seq);
      }
    }
    const c = this.conversations.get(key) ?? { key, unread: 0, mentions: 0, readSeq: 0, lastSeq: 0, lastMessage: null, peerReadSeq: 0 };
    if (!this.conversations.has(key) && key[0] === 'g') this.group(Number(key.slice(1)));
    if (m.seq > c.lastSeq) {
      c.lastSeq = m.seq;
      c.lastMessage = m;
      if (m.senderId !== me && m.seq > c.readSeq && key !== this.active && m.type !== 'revoked' && m.type !== 'notice') {
        c.unread++;
        if (mentionsMe(m, me)) c.mentions++;
      } else isNew = isNew && m.senderId !== me;
    } else if (c.lastMessage?.id === m.id) {
      c.lastMessage = m;
      isNew = false;
    }
    // A revoke of an unread message lowers the count: the server recounts.
    if (m.type === 'revoked' && m.seq > c.readSeq && key !== this.active) this.#refreshSoon(); else if (!t) {
      isNew = false;
    }
    this.conversations.set(key, c);
    if (m.senderId) this.user(m.senderId);
    if (key === this.active && m.senderId !== me && document.visibilityState === 'visible') void this.markRead(key);
    this.changed();
    return isNew;
  }

  // ---- one conversation --------------------------------------------------

  open(key: ConvKey | undefined): void {
    this.active = key;
    if (key) {
      if (!this.conversations.has(key)) this.conversations.set(key, { key, unread: 0, mentions: 0, readSeq: 0, lastSeq: 0, lastMessage: null, peerReadSeq: 0 });
      if (!this.threads.has(key)) void this.loadOlder(key);
      else void this.markRead(key);
      if (key[0] === 'g') this.group(Number(key.slice(1)), true);
      else this.user(Number(key.slice(1)));
    }
    this.changed();
  }

  /**
   * Opens the hit's conversation and pages back through its history until the
   * message is loaded, then marks it as the highlighted one (the view scrolls to it).
   */
  async jumpTo(key: ConvKey, messageId: number): Promise<void> {
    this.highlight = messageId;
    location.hash = `#/${key}`;
    this.open(key);
    for (let guard = 0; guard < 1000; guard++) {
      const t = this.threads.get(key);
      if (!t || t.items.some((m) => m.id === messageId) || (!t.more && !t.loading)) break;
      if (t.loading) await new Promise((r) => setTimeout(r, 30));
      else await this.loadOlder(key);
    }
    this.changed();
  }

  /** Loads the next page of older messages (or the newest page the first time). */
  async loadOlder(key: ConvKey): Promise<void> {
    let t = this.threads.get(key);
    if (t?.loading || (t && !t.more)) return;
    if (!t) {
      t = { items: [], more: true, loading: true };
      this.threads.set(key, t);
    }
    t.loading = true;
    const first = t.items.length === 0;
    this.changed();
    try {
      const page = await this.api.messages.history(targetOf(key), { limit: 30, ...(t.next ? { cursor: t.next } : {}) });
      const known = new Set(t.items.map((m) => m.id));
      t.items = [...page.items.filter((m) => !known.has(m.id)), ...t.items].sort((a, b) => a.seq - b.seq);
      t.more = page.more;
      t.next = page.next;
      for (const m of page.items) if (m.senderId) this.user(m.senderId);
      if (key === this.active) void this.markRead(key);
      if (key[0] === 'u' && first) void this.#peerRead(key);
    } finally {
      t.loading = false;
      this.changed();
    }
  }

  /** After a reconnect: re-read the newest page so revokes and missed messages show. */
  async #fillThread(key: ConvKey): Promise<void> {
    const t = this.threads.get(key);
    if (!t) return;
    const page = await this.api.messages.history(targetOf(key), { limit: 30 });
    const byId = new Map(t.items.map((m) => [m.id, m]));
    for (const m of page.items) byId.set(m.id, m);
    t.items = [...byId.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Private chats: whether the peer has read my newest message (later moves come as read events). */
  async #peerRead(key: ConvKey): Promise<void> {
    const me = this.me?.id;
    const mine = this.threads.get(key)?.items.filter((m) => m.senderId === me && m.type !== 'revoked').at(-1);
    if (!mine) return;
    const r = await this.api.messages.reads(mine.id).catch(() => undefined);
    const c = this.conversations.get(key);
    if (r?.read && c && mine.seq > c.peerReadSeq) {
      c.peerReadSeq = mine.seq;
      this.changed();
    }
  }

  async markRead(key: ConvKey): Promise<void> {
    const c = this.conversations.get(key);
    if (!c || c.lastSeq === 0 || c.readSeq >= c.lastSeq) {
      if (c && (c.unread || c.mentions)) {
        c.unread = 0;
        c.mentions = 0;
        this.changed();
      }
      return;
    }
    const seq = c.lastSeq;
    c.unread = 0;
    c.mentions = 0;
    c.readSeq = seq;
    this.changed();
    await this.api.messages.markRead(targetOf(key), seq).catch(() => undefined);
  }

  /** Mark as unread: the list shows the server's count again (this view is left, or opening it would read it). */
  async markUnread(key: ConvKey): Promise<void> {
    // Leave first: while the view is open, anything arriving would read it again.
    if (this.active === key) {
      this.active = undefined;
      location.hash = '#/';
    }
    const r = await this.api.messages.markUnread(targetOf(key));
    const c = this.conversations.get(key);
    if (c) Object.assign(c, { readSeq: r.readSeq, unread: r.unread, mentions: r.mentions });
    this.changed();
  }

  async send(key: ConvKey, type: string, body: Record<string, unknown>): Promise<void> {
    const clientId = `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    const quoted = this.replyingTo.get(key);
    const m = await this.api.messages.send(targetOf(key), { type, body, clientId, ...(quoted ? { replyTo: quoted.id } : {}) });
    if (quoted) this.replyingTo.delete(key);
    this.ingest(m, true);
  }

  /** The composer of `key` quotes `m` in its next send (undefined: no longer). */
  replyTo(key: ConvKey, m: Message | undefined): void {
    if (m) this.replyingTo.set(key, m);
    else this.replyingTo.delete(key);
    this.changed();
  }

  /** Starts or ends editing a message in place. */
  setEditing(id: number | undefined): void {
    this.editing = id;
    this.changed();
  }

  async edit(m: Message, body: { text: string; mentions?: number[]; mentionAll?: boolean }): Promise<void> {
    this.ingest(await this.api.messages.edit(m.id, body), true);
    this.editing = undefined;
    this.changed();
  }

  async revoke(m: Message): Promise<void> {
    this.ingest(await this.api.messages.revoke(m.id), true);
  }

  // ---- names -------------------------------------------------------------

  /** The user, fetched once in the background when not known yet. */
  user(id: number): User | undefined {
    const u = this.users.get(id);
    if (!u && !this.#pendingUsers.has(id)) {
      this.#pendingUsers.add(id);
      this.api.users.get(id).then((x) => {
        this.users.set(id, x);
        this.changed();
      }, () => undefined).finally(() => this.#pendingUsers.delete(id));
    }
    return u;
  }

  /** The group, fetched in the background (its public face for non-members: `outside`). */
  group(id: number, refresh = false, outside = false): Group | undefined {
    const g = this.groups.get(id);
    if (!g || refresh) {
      // A read under way may have started before the change this refresh is
      // for, and answer what was: read again once it is done, not never.
      if (this.#pendingGroups.has(id)) this.#staleGroups.set(id, outside);
      else this.#readGroup(id, outside);
    }
    return g;
  }

  #readGroup(id: number, outside: boolean): void {
    this.#pendingGroups.add(id);
    // Members read the whole group; others (an invitation, a left group) its public face.
    const read = outside ? this.api.groups.publicInfo(id).then((r) => r.group) : this.api.groups.get(id).catch(async () => (await this.api.groups.publicInfo(id)).group);
    read.then((x) => {
      this.groups.set(id, x);
      this.changed();
    }, () => undefined).finally(() => {
      this.#pendingGroups.delete(id);
      const again = this.#staleGroups.get(id);
      this.#staleGroups.delete(id);
      if (again !== undefined) this.#readGroup(id, again);
    });
  }

  /** A user's name for display ("You" for oneself), fetched in the background when unknown. */
  displayName(id: number): string {
    if (id === this.me?.id) return 'You';
    const u = this.user(id);
    return u ? u.displayName || u.handle : 'Someone';
  }

  title(key: ConvKey): string {
    const id = Number(key.slice(1));
    if (key[0] === 'g') return this.groups.get(id)?.name ?? `Group ${id}`;
    const u = this.user(id);
    return u ? u.displayName || u.handle : '…';
  }

  async answerInvitation(inv: Invitation, accept: boolean): Promise<void> {
    await this.api.groups.answerInvitation(inv.id, accept);
    this.invitations = this.invitations.filter((i) => i.id !== inv.id);
    await this.refreshConversations();
  }

  dismissNotice(): void {
    this.notice = undefined;
    this.changed();
  }
}

/** Whether a message mentions `me` by id or mentions everyone (the server's rule, core/messages/unread.ts). */
export function mentionsMe(m: Message, me: number): boolean {
  if (m.body.mentionAll === true) return true;
  return Array.isArray(m.body.mentions) && (m.body.mentions as unknown[]).includes(me);
}

export const store = new Store();
