// A set that is usually of one: the topics an idle session holds (its user's),
// the sessions on a user's topic (one device). A Set costs ~170 bytes even
// with one member, and a node keeps several per connection; the lone member
// is kept as itself until a second one comes. T must never itself be a Set.

export type OneOrMore<T> = T | Set<T>;

export function has<T>(x: OneOrMore<T> | undefined, v: T): boolean {
  return x instanceof Set ? x.has(v) : x === v;
}

/** `x` with `v` added (store the result). */
export function add<T>(x: OneOrMore<T> | undefined, v: T): OneOrMore<T> {
  if (x === undefined || x === v) return v;
  if (x instanceof Set) return x.add(v);
  return new Set([x, v]);
}

/** `x` without `v` (store the result); undefined when nothing is left. */
export function remove<T>(x: OneOrMore<T> | undefined, v: T): OneOrMore<T> | undefined {
  if (x instanceof Set) {
    x.delete(v);
    return x.size === 0 ? undefined : x;
  }
  return x === v ? undefined : x;
}

/** The members, as a new array (safe to keep while the set changes). */
export function members<T>(x: OneOrMore<T> | undefined): T[] {
  if (x === undefined) return [];
  return x instanceof Set ? [...x] : [x];
}
