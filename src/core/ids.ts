// 53-bit Snowflake-style ids: exact as JSON numbers and JavaScript numbers.
//
//   41 bits  milliseconds since 2025-01-01 (good until ~2094)
//    5 bits  node id (0..31): servers 0..23 from configuration, admin
//            commands 24..31 leased for the length of one command; every
//            process holds its node id as a lease in the store (node-lease.ts),
//            so no two live processes ever make ids with the same one
//    7 bits  sequence within the millisecond (128 ids/ms/node)
//
// Ids never repeat and always increase within a process: when the sequence is
// exhausted, or the wall clock steps backwards, the generator borrows the next
// millisecond instead of waiting, so it keeps its own logical time ahead of the
// clock. The borrow is bounded by the id rate, and a restarted process starts
// from the wall clock again, so a backwards step larger than the borrow across
// a restart is refused loudly rather than risking a repeat.

import type { Clock } from './clock.ts';

const ID_EPOCH = Date.UTC(2025, 0, 1);
const NODE_BITS = 5;
const SEQ_BITS = 7;
export const MAX_NODE_ID = (1 << NODE_BITS) - 1;
/** Node ids a server may be given (PARLEY_NODE_ID). */
export const SERVER_NODE_IDS = { first: 0, last: 23 } as const;
/** Node ids admin commands (the CLI) lease for as long as they run. */
export const COMMAND_NODE_IDS = { first: 24, last: MAX_NODE_ID } as const;
const MAX_SEQ = (1 << SEQ_BITS) - 1;
const TIME_SHIFT = 2 ** (NODE_BITS + SEQ_BITS);

export interface IdGenerator {
  next(): number;
}

export class SnowflakeIds implements IdGenerator {
  readonly #clock: Clock;
  readonly #node: number;
  #lastMs = -1;
  #seq = 0;

  constructor(clock: Clock, nodeId: number, floor = 0) {
    if (!Number.isInteger(nodeId) || nodeId < 0 || nodeId > MAX_NODE_ID) {
      throw new RangeError(`node id must be an integer in 0..${MAX_NODE_ID}, got ${nodeId}`);
    }
    this.#clock = clock;
    this.#node = nodeId;
    // `floor` is the largest id this node is known to have issued (from the
    // store), so a clock that moved back across a restart cannot repeat ids.
    // Its whole millisecond counts as used, so the next id starts after it.
    if (floor > 0) {
      this.#lastMs = Math.floor(floor / TIME_SHIFT);
      this.#seq = MAX_SEQ;
    }
  }

  next(): number {
    const now = this.#clock.now() - ID_EPOCH;
    if (now > this.#lastMs) {
      this.#lastMs = now;
      this.#seq = 0;
    } else if (this.#seq < MAX_SEQ) {
      this.#seq += 1;
    } else {
      this.#lastMs += 1;
      this.#seq = 0;
    }
    return this.#lastMs * TIME_SHIFT + this.#node * (MAX_SEQ + 1) + this.#seq;
  }

  /** The largest id this generator may have issued (0 before the first): the floor for the next holder of this node id. */
  highWater(): number {
    return this.#lastMs < 0 ? 0 : this.#lastMs * TIME_SHIFT + this.#node * (MAX_SEQ + 1) + MAX_SEQ;
  }
}

/** The node id an id was made by. */
export function idNode(id: number): number {
  return Math.floor(id / (MAX_SEQ + 1)) % (MAX_NODE_ID + 1);
}

/** The wall-clock time (ms since the Unix epoch) an id was made at. */
export function idTime(id: number): number {
  return Math.floor(id / TIME_SHIFT) + ID_EPOCH;
}

/** Accepts an id as a JSON number or decimal string (dialects send both). */
export function parseId(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  if (typeof value === 'string' && /^[0-9]{1,16}$/.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  }
  return undefined;
}
