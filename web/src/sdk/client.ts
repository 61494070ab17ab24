// Parley's JavaScript SDK: one object per server, a namespace per area of the
// native API (auth, users, messages, groups, files), and `socket()` for the
// real-time gateway. Speaks only /v1 and the WebSocket protocol
// (docs/websocket.md); nothing here knows about the browser UI.

import { Http, type HttpOptions, type Query } from './http.ts';
import { ParleySocket, type SocketOptions } from './socket.ts';
import type {
  Application, ConversationSummary, Group, HistoryPage, JoinPolicy, Member, Message, OutgoingMessage, ReadState, Session, StoredFile, SyncPage, Target, User,
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

  readonly messages = {
    send: (to: Target, m: OutgoingMessage) => this.http.request<Message>('POST', `${targetPath(to)}/messages`, m),
    history: (of: Target, o: HistoryOptions = {}) => this.http.request<HistoryPage>('GET', `${targetPath(of)}/messages`, undefined, o as Query),
    get: (id: number) => this.http.request<Message>('GET', `/messages/${id}`),
    revoke: (id: number) => this.http.request<Message>('POST', `/messages/${id}/revoke`),
    reads: (id: number) => this.http.request<{ messageId: number; readCount: number; unreadCount?: number; read?: boolean }>('GET', `/messages/${id}/reads`),
    markRead: (of: Target, seq: number) => this.http.request<ReadState>('PUT', `${targetPath(of)}/read`, { seq }),
    conversations: (limit = 100) => this.http.request<{ items: ConversationSummary[] }>('GET', '/conversations', undefined, { limit }),
    /** Every change after `since` across all conversations (messages, revokes), in stream order. */
    sync: (since: number, limit = 200) => this.http.request<SyncPage>('GET', '/sync', undefined, { since, limit }),
  };

  readonly groups = {
    create: (input: { name: string; members?: number[]; description?: string }) => this.http.request<Group>('POST', '/groups', input),
    get: (id: number) => this.http.request<Group>('GET', `/groups/${id}`),
    mine: () => this.http.request<{ items: Group[] }>('GET', '/me/groups'),
    update: (id: number, patch: Record<string, unknown>) => this.http.request<Group>('PATCH', `/groups/${id}`, patch),
    members: (id: number) => this.http.request<{ items: Member[]; total?: number; next?: string }>('GET', `/groups/${id}/members`, undefined, { limit: 200 }),
    invite: (id: number, userIds: number[]) => this.http.request<unknown>('POST', `/groups/${id}/invitations`, { userIds }),
    apply: (id: number, reason?: string) => this.http.request<unknown>('POST', `/groups/${id}/applications`, reason ? { reason } : {}),
    applications: (id: number) => this.http.request<{ items: Application[] }>('GET', `/groups/${id}/applications`),
    handleApplication: (groupId: number, applicationId: number, approve: boolean) =>
      this.http.request<unknown>('POST', `/groups/${groupId}/applications/${applicationId}/${approve ? 'approve' : 'reject'}`),
    kick: (id: number, userId: number) => this.http.request<unknown>('DELETE', `/groups/${id}/members/${userId}`),
    leave: (id: number) => this.http.request<unknown>('POST', `/groups/${id}/leave`),
    mute: (id: number, userId: number, untilMs: number) => this.http.request<unknown>('POST', `/groups/${id}/members/${userId}/mute`, { until: untilMs }),
    unmute: (id: number, userId: number) => this.http.request<unknown>('DELETE', `/groups/${id}/members/${userId}/mute`),
    setAdmin: (id: number, userId: number, admin: boolean) => this.http.request<unknown>(admin ? 'PUT' : 'DELETE', `/groups/${id}/admins/${userId}`),
    transfer: (id: number, userId: number) => this.http.request<unknown>('POST', `/groups/${id}/transfer`, { userId }),
    setJoinPolicy: (id: number, policy: JoinPolicy) => this.http.request<Group>('PATCH', `/groups/${id}`, { joinPolicy: policy }),
    muteAll: (id: number, on: boolean) => this.http.request<unknown>('PATCH', `/groups/${id}`, { muteAll: on }),
    announce: (id: number, text: string) => this.http.request<unknown>('POST', `/groups/${id}/announcements`, { text }),
  };

  readonly files = {
    /** Uploads a file (visible to the app's users, for attachments), reporting progress. */
    upload: (file: Blob & { name?: string }, onProgress?: (p: UploadProgress) => void): Promise<StoredFile> =>
      uploadFile(this.http, file, onProgress),
    /** A URL for the file's bytes that an <img> or <a> can use (no headers needed). */
    contentUrl: (id: number) => this.http.url(`/files/${id}/content`, this.token ? { token: this.token } : undefined),
  };

  /** The real-time connection (WebSocket), reconnecting by itself. */
  socket(opts: Omit<SocketOptions, 'url' | 'token'> = {}): ParleySocket {
    const base = this.http.baseUrl || location.origin;
    const url = `${base.replace(/^http/, 'ws')}/v1/ws`;
    return new ParleySocket({ ...opts, url, token: () => this.token });
  }
}
