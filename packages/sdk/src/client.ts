// Parley's JavaScript SDK: one object per server, a namespace per area of the
// native API (auth, users, messages, groups, files), and `socket()` for the
// real-time gateway. Speaks only /v1 and the WebSocket protocol
// (docs/websocket.md); nothing here knows about the browser UI.

import { Http, type HttpOptions, type Query } from './http.ts';
import { ParleySocket, type SocketOptions } from './socket.ts';
import type {
  Application, ConversationSummary, Presence, Group, GroupRole, HistoryPage, Invitation, Results, JoinPolicy, Member, Message, OutgoingMessage, PinnedItem, ReadState, SearchPage, Session, StoredFile, SyncPage, Target, User,
} from './types.ts';
import { uploadFile, type UploadProgress } from './upload.ts';

const targetPath = (t: Target): string => ('groupId' in t ? `/groups/${t.groupId}` : `/users/${t.userId}`);

export interface HistoryOptions {
  before?: number;
  after?: number;
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

export interface SearchOptions {
  groupId?: number;
  userId?: number;
  senderId?: number;
  type?: string;
  order?: 'newest' | 'relevance';
  limit?: number;
  cursor?: string;
}

export class ParleyClient {
  readonly http: Http;

  constructor(opts: HttpOptions & { token?: string } = {}) {
    this.http = new Http(opts);
    this.http.token = opts.token;
  }

  get token(): string | undefined {
    return this.http.token;
  }
  set token(t: string | undefined) {
    this.http.token = t;
  }

  readonly auth = {
    signUp: async (input: { handle: string; password: string; displayName?: string }): Promise<Session> => {
      const s = await this.http.request<Session>('POST', '/auth/signup', input);
      this.token = s.token;
      return s;
    },
    logIn: async (handle: string, password: string): Promise<Session> => {
      const s = await this.http.request<Session>('POST', '/auth/login', { handle, password });
      this.token = s.token;
      return s;
    },
    /** Revokes this token on the server; the client forgets it either way. */
    logOut: async (): Promise<void> => {
      try {
        if (this.token) await this.http.request('POST', '/tokens/self/revoke');
      } finally {
        this.token = undefined;
      }
    },
  };

  readonly users = {
    me: () => this.http.request<User>('GET', '/me'),
    get: (id: number) => this.http.request<User>('GET', `/users/${id}`),
    byHandle: async (handle: string): Promise<User> => (await this.http.request<{ items: User[] }>('GET', '/users', undefined, { handle })).items[0],
    updateMe: (patch: { displayName?: string; avatar?: string }) => this.http.request<User>('PATCH', '/me', patch),
  };

  readonly presence = {
    /** Presence of users you share a conversation with (at most 100); the others come back in `hidden`. */
    of: (userIds: number[]) => this.http.request<{ items: Presence[]; hidden: number[] }>('GET', '/users/presence', undefined, { ids: userIds.join(',') }),
    settings: () => this.http.request<{ hideLastSeen: boolean }>('GET', '/me/presence'),
    hideLastSeen: (hide: boolean) => this.http.request<{ hideLastSeen: boolean }>('PATCH', '/me/presence', { hideLastSeen: hide }),
  };

  readonly messages = {
    send: (to: Target, m: OutgoingMessage) => this.http.request<Message>('POST', `${targetPath(to)}/messages`, m),
    history: (of: Target, o: HistoryOptions = {}) => this.http.request<HistoryPage>('GET', `${targetPath(of)}/messages`, undefined, o as Query),
    get: (id: number) => this.http.request<Message>('GET', `/messages/${id}`),
    revoke: (id: number) => this.http.request<Message>('POST', `/messages/${id}/revoke`),
    /** The sender replaces the text (and mentions) of a text message within the edit window. */
    edit: (id: number, body: { text: string; mentions?: number[]; mentionAll?: boolean }) => this.http.request<Message>('PATCH', `/messages/${id}`, body),
    reads: (id: number) => this.http.request<{ messageId: number; readCount: number; unreadCount?: number; read?: boolean }>('GET', `/messages/${id}/reads`),
    markRead: (of: Target, seq: number) => this.http.request<ReadState>('PUT', `${targetPath(of)}/read`, { seq }),
    /** Makes the conversation unread again from `seq` on (default: its last message). */
    markUnread: (of: Target, seq?: number) => this.http.request<ReadState>('POST', `${targetPath(of)}/unread`, seq === undefined ? {} : { seq }),
    search: (q: string, o: SearchOptions = {}) => this.http.request<SearchPage>('GET', '/search', undefined, { q, ...o } as Query),
    conversations: (limit = 100) => this.http.request<{ items: ConversationSummary[] }>('GET', '/conversations', undefined, { limit }),
    /** Adds your reaction (one emoji); the message comes back with its counts. */
    react: (id: number, emoji: string) => this.http.request<Message>('PUT', `/messages/${id}/reactions/${encodeURIComponent(emoji)}`),
    unreact: (id: number, emoji: string) => this.http.request<Message>('DELETE', `/messages/${id}/reactions/${encodeURIComponent(emoji)}`),
    /** Who reacted with one emoji, oldest first. */
    reactors: (id: number, emoji: string, limit = 50) => this.http.request<{ items: { userId: number; at: number }[]; next?: string }>('GET', `/messages/${id}/reactions/${encodeURIComponent(emoji)}`, undefined, { limit }),
    pin: (id: number) => this.http.request<Message>('PUT', `/messages/${id}/pin`),
    unpin: (id: number) => this.http.request<Message>('DELETE', `/messages/${id}/pin`),
    /** The conversation's pinned messages, newest pin first. */
    pins: (of: Target) => this.http.request<{ items: PinnedItem[]; next?: string }>('GET', `${targetPath(of)}/pins`, undefined, { limit: 50 }),
    /** Every change after `since` across all conversations (messages, revokes), in stream order. */
    sync: (since: number, limit = 200) => this.http.request<SyncPage>('GET', '/sync', undefined, { since, limit }),
  };

  readonly groups = {
    create: async (input: { name: string; memberIds?: number[]; description?: string }): Promise<Group> =>
      (await this.http.request<{ group: Group }>('POST', '/groups', input)).group,
    get: (id: number) => this.http.request<Group>('GET', `/groups/${id}`),
    /** The groups the caller belongs to. */
    mine: () => this.http.request<{ items: Group[]; next?: string }>('GET', '/groups', undefined, { limit: 200 }),
    /** Name, description, notice (the announcement shown to members), avatar. */
    update: (id: number, patch: { name?: string; description?: string; notice?: string; avatar?: string }) => this.http.request<Group>('PATCH', `/groups/${id}`, patch),
    /** Join policy, invite policy, read receipts, history visibility, capacity. */
    updateSettings: (id: number, patch: { joinPolicy?: JoinPolicy; readReceipts?: boolean; historyVisible?: boolean; capacity?: number; invitePolicy?: string }) =>
      this.http.request<Group>('PATCH', `/groups/${id}/settings`, patch),
    muteAll: (id: number, on: boolean) => (on ? this.http.request<Group>('PUT', `/groups/${id}/mute-all`, { forever: true }) : this.http.request<Group>('DELETE', `/groups/${id}/mute-all`)),
    transfer: (id: number, userId: number) => this.http.request<Group>('POST', `/groups/${id}/transfer`, { userId }),
    members: (id: number) => this.http.request<{ items: Member[]; total?: number; next?: string }>('GET', `/groups/${id}/members`, undefined, { limit: 200 }),
    kick: (id: number, userId: number) => this.http.request<unknown>('DELETE', `/groups/${id}/members/${userId}`),
    leave: (id: number) => this.http.request<unknown>('POST', `/groups/${id}/leave`),
    mute: (id: number, userId: number, minutes: number) => this.http.request<Results>('POST', `/groups/${id}/mutes`, { userIds: [userId], minutes }),
    unmute: (id: number, userId: number) => this.http.request<Results>('POST', `/groups/${id}/mutes/remove`, { userIds: [userId] }),
    setAdmin: (id: number, userId: number, admin: boolean) => this.http.request<Results>('POST', `/groups/${id}/admins${admin ? '' : '/remove'}`, { userIds: [userId] }),
    invite: (id: number, userIds: number[]) => this.http.request<Results>('POST', `/groups/${id}/invitations`, { userIds }),
    /** Joins at once, waits for an admin, or fails with join_refused, by the group's join policy. */
    apply: (id: number, reason?: string) => this.http.request<{ outcome: 'joined' | 'pending'; application?: Application }>('POST', `/groups/${id}/applications`, reason ? { reason } : {}),
    applications: (id: number, status: 'pending' | 'accepted' | 'declined' = 'pending') =>
      this.http.request<{ items: Application[]; next?: string }>('GET', `/groups/${id}/applications`, undefined, { status, limit: 200 }),
    handleApplication: (groupId: number, applicationId: number, approve: boolean) =>
      this.http.request<Application>('POST', `/groups/${groupId}/applications/${applicationId}/decision`, { approve }),
    /** Invitations the caller sent or received, newest first. */
    invitations: () => this.http.request<{ items: Invitation[]; next?: string }>('GET', '/groups/invitations', undefined, { limit: 200 }),
    answerInvitation: (invitationId: number, accept: boolean) => this.http.request<Invitation>('POST', `/groups/invitations/${invitationId}/decision`, { accept }),
    /** A signed QR code (an invite that joins directly until it expires; docs/groups.md). */
    signQrCode: (id: number) => this.http.request<{ code: string; groupId: number; createdAt: number; expiresAt: number }>('POST', `/groups/${id}/qr-codes`),
    /** Joins the group a QR code opens. */
    redeemQrCode: (code: string) => this.http.request<{ groupId: number }>('POST', '/groups/qr-codes/redeem', { code }),
    /** What anyone may see of a group (name, size), and whether the caller is in it. */
    publicInfo: (id: number) => this.http.request<{ group: Group; joined: boolean; role: GroupRole | null }>('GET', `/groups/${id}/public`),
  };

  readonly files = {
    /** Uploads a file (visible to the app's users, for attachments), reporting progress. */
    upload: (file: Blob & { name?: string }, onProgress?: (p: UploadProgress) => void): Promise<StoredFile> =>
      uploadFile(this.http, file, onProgress),
    /** The address of a file's bytes, as messages carry it (reading it needs the token or a signed URL). */
    contentUrl: (id: number) => new URL(this.http.url(`/files/${id}/content`), location.href).href,
    /** The file id behind a content URL of this server, if it is one. */
    idOf: (url: string): number | undefined => {
      const m = /\/v1\/files\/([0-9]{1,16})\/content$/.exec(url);
      return m && new URL(url, location.href).origin === new URL(this.http.url(''), location.href).origin ? Number(m[1]) : undefined;
    },
    /** The bytes of a stored file, read with this client's token. */
    blob: async (id: number): Promise<Blob> => {
      const res = await fetch(this.http.url(`/files/${id}/content`), { headers: this.http.headers() });
      if (!res.ok) throw this.http.error(res.status, await res.json().catch(() => undefined));
      return res.blob();
    },
    /** A signed, expiring URL that works without a token (links, downloads). */
    signedUrl: (id: number, ttlSeconds = 3600) => this.http.request<{ url: string; expiresAt: number }>('POST', `/files/${id}/url`, { ttlSeconds }),
  };

  /** The real-time connection (WebSocket), reconnecting by itself. */
  socket(opts: Omit<SocketOptions, 'url' | 'token'> = {}): ParleySocket {
    const base = this.http.baseUrl || location.origin;
    const url = `${base.replace(/^http/, 'ws')}/v1/ws`;
    return new ParleySocket({ ...opts, url, token: () => this.token });
  }
}
