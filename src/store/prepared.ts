// Query shapes on the hottest write path, built and compiled by Kysely once
// per database and then run with fresh values: building and compiling a
// small query costs more than the database's work for it. A shape is built
// with marker values standing for its arguments; the compiled parameters are
// then mapped back to argument positions (any other parameter is a constant
// of the shape).

import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';

/** Marker values: numbers no argument of a hot query ever takes. */
const MARKER_BASE = -987_654_321_000;

interface Shape {
  sql: string;
  /** Per compiled parameter: the argument index, or the constant itself. */
  params: ({ arg: number } | { value: unknown })[];
}

const shapes = new WeakMap<object, Map<string, Shape>>();

/**
 * Runs the query `build` makes, compiled once per database and `name`.
 * `build` receives numbers that stand for its arguments and must use each in
 * the query as a parameter; every argument is a number.
 */
export async function runPrepared<R>(db: Kysely<any>, name: string, build: (db: Kysely<any>, ...args: number[]) => Compilable<R>, args: number[]): Promise<QueryResult<R>> {
  const key = db.getExecutor().adapter;
  let perDb = shapes.get(key);
  if (!perDb) shapes.set(key, (perDb = new Map()));
  let shape = perDb.get(name);
  if (!shape) {
    const markers = args.map((_, i) => MARKER_BASE - i);
    const compiled = build(db, ...markers).compile();
    const params = compiled.parameters.map((p) => {
      const i = typeof p === 'number' ? MARKER_BASE - p : -1;
      return i >= 0 && i < args.length ? { arg: i } : { value: p };
    });
    const used = new Set(params.flatMap((p) => ('arg' in p ? [p.arg] : [])));
    if (used.size !== args.length) throw new Error(`prepared query ${name}: every argument must appear as a parameter`);
    shape = { sql: compiled.sql, params };
    perDb.set(name, shape);
  }
  return db.executeQuery<R>(CompiledQuery.raw(shape.sql, shape.params.map((p) => ('arg' in p ? args[p.arg] : p.value))));
}
