// Lanying paging (the original's source): `cursor` is opaque ("" or absent = first page)
// and `limit` defaults to 1000. The web SDK never sends either and shows
// only `data`, so a request without both gets the whole list in one answer
// (read page by page from core, which caps its pages).

import type { Paged } from '../../core/groups/model.ts';
import { paged } from './envelope.ts';

const DEFAULT_LIMIT = 1000;
/** A safety bound on "the whole list" (core caps groups far below it). */
const WHOLE_MAX = 200_000;

export interface PageParams {
  cursor?: string;
  limit?: number | string;
}

export async function readPages<T>(fetch: (opts: { cursor?: string; limit: number }) => Promise<Paged<T>>, q: PageParams): Promise<Paged<T>> {
  const cursor = q.cursor === undefined || q.cursor === '' ? undefined : q.cursor;
  const limit = q.limit === undefined || q.limit === '' || Number(q.limit) <= 0 ? undefined : Number(q.limit);
  if (cursor !== undefined || limit !== undefined) return fetch({ ...(cursor ? { cursor } : {}), limit: limit ?? DEFAULT_LIMIT });
  const items: T[] = [];
  let next: string | undefined;
  let total = 0;
  do {
    const page = await fetch({ ...(next ? { cursor: next } : {}), limit: DEFAULT_LIMIT });
    items.push(...page.items);
    total = page.total;
    next = page.next;
  } while (next !== undefined && items.length < WHOLE_MAX);
  return { items, total, ...(next ? { next } : {}) };
}

export async function pagedReply<T, R>(fetch: (opts: { cursor?: string; limit: number }) => Promise<Paged<T>>, q: PageParams, show: (item: T) => R) {
  const page = await readPages(fetch, q);
  return paged(page.items.map(show), page);
}

/** Every item of a list route the document does not page. */
export async function whole<T>(fetch: (opts: { cursor?: string; limit: number }) => Promise<Paged<T>>): Promise<T[]> {
  return (await readPages(fetch, {})).items;
}
