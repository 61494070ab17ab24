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
import type { Bound, Fields } from './bind.ts';

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
  /** The body bound with the route's `request` when it declares one; else the parsed JSON body (`{}` when go-zero would not have parsed one). */
  body: unknown;
  raw: FastifyRequest;
}

export interface DtalkRoute {
  path: string;
  /** Also served under these paths (the Android client's `/call` prefix). */
  aliases?: readonly string[];
  /** multipart routes read their parts themselves from `raw`. */
  body?: 'json' | 'multipart';
  /**
   * The JSON request struct. The router binds the body with it before the
   * handler runs (a failure is -1012), and the OpenAPI document describes the
   * body from it, so the two cannot differ. Declare it with `withBody`.
   */
  request?: Fields;
  /** A multipart route's form, for the document: its text fields (which the handler binds with these Fields) and file parts. */
  form?: DtalkForm;
  /** Largest body in bytes; the original's 1 MiB when absent. */
  bodyLimit?: number;
  /** Per-route refinements of the error table (the original answers some core cases with their own code). */
  errors?: Partial<Record<ErrorCode, DtalkStatus>>;
  handler: (req: DtalkRequest) => Promise<unknown>;
}

export interface DtalkForm {
  fields: Fields;
  /** File parts by name: what they hold, and the protobuf message when they hold one. */
  files: Readonly<Record<string, { description: string; protobuf?: string }>>;
}

/** `request` and a handler that receives the body as the router bound it. */
export function withBody<F extends Fields>(request: F, handler: (req: DtalkRequest, body: Bound<F>) => Promise<unknown>): Pick<DtalkRoute, 'request' | 'handler'> {
  return { request, handler: (req) => handler(req, req.body as Bound<F>) };
}

/** A group of routes (one document area) built from the shared context. */
export type DtalkRoutes = (ctx: DtalkContext) => readonly DtalkRoute[];
