// The ports core needs, each a small interface owned by core and implemented
// by an adapter (src/store, src/bus, src/blobs). Each states its guarantee.

import type { App, TokenRecord, User } from './model.ts';
import type { DeviceRecord } from './devices.ts';
import type { MessagingRepositories } from './messages/ports.ts';
import type { FileRepo, UploadRepo } from './files/ports.ts';
import type { CallRepo } from './calls/ports.ts';
import type { GroupRepos } from './groups/ports.ts';
import type { SearchIndex } from './search/ports.ts';
import type { PresenceRepo } from './presence/ports.ts';
import type { WebhookRepos } from './webhooks/ports.ts';

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, absent on the last page. */
  next?: string;
}

export interface AppRepo {
  insert(app: App): Promise<void>;
  /** Inserts unless an app with that id exists; true when inserted. */
  insertIfAbsent(app: App): Promise<boolean>;
  get(id: number): Promise<App | undefined>;
  list(): Promise<App[]>;
}

export interface UserWithSecret extends User {
  passwordHash: string | null;
}

export interface UserRepo {
  /** Fails with `handle_taken` when (appId, handle) exists. */
  insert(user: UserWithSecret): Promise<void>;
  get(id: number): Promise<UserWithSecret | undefined>;
  getByHandle(appId: number, handle: string): Promise<UserWithSecret | undefined>;
  getMany(ids: readonly number[]): Promise<User[]>;
  update(id: number, patch: Partial<Pick<UserWithSecret, 'displayName' | 'avatar' | 'profile' | 'passwordHash' | 'updatedAt'>>): Promise<void>;
  /** Users of an app in id order, after `afterId`. */
  list(appId: number, afterId: number, limit: number): Promise<User[]>;
  count(appId: number): Promise<number>;
}

export interface TokenRepo {
  insert(token: TokenRecord): Promise<void>;
  getByHash(hash: string): Promise<TokenRecord | undefined>;
  get(id: number): Promise<TokenRecord | undefined>;
  /** Marks revoked; returns false when it was unknown or already revoked. */
  revoke(id: number, at: number): Promise<boolean>;
  /**
   * Revokes every live token of `userId` but `exceptId` at `at`; resolves with
   * the ids it revoked.
   */
  revokeAllOfUser(userId: number, exceptId: number, at: number): Promise<RevokedToken[]>;
  /**
   * Tokens revoked at or after `at` (ties after token `afterId`), ordered by
   * (revokedAt, id), at most `limit`: served by an index on `revoked_at`.
   */
  revokedSince(at: number, afterId: number, limit: number): Promise<RevokedToken[]>;
}

/** A revocation as other processes learn of it. */
export interface RevokedToken {
  id: number;
  appId: number;
  userId: number | null;
  revokedAt: number;
}

/** Devices users sign in from (src/core/devices.ts). Keyed by (userId, uuid). */
export interface DeviceRepo {
  /** Inserts the device, or replaces kind, name and both times when (userId, uuid) exists. */
  signIn(d: DeviceRecord): Promise<void>;
  seen(userId: number, uuid: string, at: number): Promise<void>;
  /** The device of one of `kinds` that signed in last. */
  latest(userId: number, kinds: readonly string[]): Promise<DeviceRecord | undefined>;
  get(userId: number, uuid: string): Promise<DeviceRecord | undefined>;
  /** The device's stream position: null before it was set, undefined for an unknown device. */
  deliveredPosition(userId: number, uuid: string): Promise<number | null | undefined>;
  /** Moves the device's stream position forward to `pos` (never back). */
  advanceDelivered(userId: number, uuid: string, pos: number): Promise<void>;
}

export interface Repositories extends MessagingRepositories {
  apps: AppRepo;
  users: UserRepo;
  tokens: TokenRepo;
  files: FileRepo;
  uploads: UploadRepo;
  calls: CallRepo;
  devices: DeviceRepo;
  groups: GroupRepos;
  /** Message search (src/core/search/ports.ts): written in the message's transaction. */
  search: SearchIndex;
  /** Last seen and its privacy setting (src/core/presence/): written in batches, never per connect. */
  presence: PresenceRepo;
  /** Webhook endpoints and the outbox (src/core/webhooks/ports.ts): events are enqueued in their change's transaction. */
  webhooks: WebhookRepos;
}

/**
 * The store is the truth. Every write a caller awaits is committed when the
 * promise resolves. `transaction` runs `fn` atomically: all its writes commit
 * together or none do, and concurrent transactions are serialisable with
 * respect to the rows they touch.
 */
export interface Store extends Repositories {
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Resolves when the database answers and takes writes. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
