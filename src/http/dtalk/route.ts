// The shape of one dtalk route: a path, whether it needs FZM-SIGNATURE, how
// its body arrives, and a handler that makes one call into core and returns
// the `data` of the envelope.

import type { FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.ts';
import type { DtalkAuth, DtalkCaller } from './auth.ts';
import type { DtalkStatus } from './errors.ts';
import type { ErrorCode } from '../../core/errors.ts';
import type { DtalkGateway } from './socket/gateway.ts';
import type { DtalkNames } from './names.ts';
import type { OssLocation } from './oss-location.ts';

export interface DtalkContext {
  core: Core;
  auth: DtalkAuth;
  /** The /sub socket gateway: routes push signals to connected clients through it. */
  gateway: DtalkGateway;
  /** Addresses ↔ user ids. */
  names: DtalkNames;
  /** How object uris are shaped (the configured blob store's engine). */
  location: OssLocation;
}

export interface DtalkRequest {
  caller: DtalkCaller;
  /** The parsed JSON body; `{}` when go-zero would not have parsed one. */
  body: unknown;
  raw: FastifyRequest;
}

export interface DtalkRoute {
  path: string;
  /** Also served under these paths (the Android client's `/call` prefix). */
  aliases?: readonly string[];
  /** multipart routes read their parts themselves from `raw`. */
  body?: 'json' | 'multipart';
  /** Largest body in bytes; the original's 1 MiB when absent. */
  bodyLimit?: number;
  /** Per-route refinements of the error table (the original answers some core cases with their own code). */
  errors?: Partial<Record<ErrorCode, DtalkStatus>>;
  handler: (req: DtalkRequest) => Promise<unknown>;
}

/** A group of routes (one document area) built from the shared context. */
export type DtalkRoutes = (ctx: DtalkContext) => readonly DtalkRoute[];
