// Lanying's envelope: `{code:200, data, message:null}`; paged lists add
// `cursor` (opaque string, "" on the last page), `total` and `version`
// (reserved by the original, always 0 here).

import { Type, type TSchema } from '@sinclair/typebox';

export interface Envelope<T> {
  code: number;
  data: T;
  message: string | null;
}

export interface PagedEnvelope<T> extends Envelope<T[]> {
  cursor: string;
  total: number;
  version: number;
}

export const ok = <T>(data: T): Envelope<T> => ({ code: 200, data, message: null });

export const paged = <T>(items: T[], page: { next?: string; total: number }): PagedEnvelope<T> => ({
  code: 200,
  data: items,
  message: null,
  cursor: page.next ?? '',
  total: page.total,
  version: 0,
});

export const failure = (code: number, message: string): Envelope<null> => ({ code, data: null, message });

/** Response schemas (they also serialise the answer, so every field has its documented type). */
export const Reply = <T extends TSchema>(data: T) =>
  Type.Object({ code: Type.Integer(), data: Type.Union([data, Type.Null()]), message: Type.Union([Type.String(), Type.Null()]) });

export const PagedReply = <T extends TSchema>(item: T) =>
  Type.Object({
    code: Type.Integer(),
    data: Type.Union([Type.Array(item), Type.Null()]),
    message: Type.Union([Type.String(), Type.Null()]),
    cursor: Type.Optional(Type.String()),
    total: Type.Optional(Type.Integer()),
    version: Type.Optional(Type.Integer()),
  });
