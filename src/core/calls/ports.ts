import type { Call } from './model.ts';

export interface CallRepo {
  /** Inserts the call and its parties. */
  insert(call: Call): Promise<void>;
  get(id: number): Promise<Call | undefined>;
  /**
   * Reads the call inside a transaction and holds it until the transaction ends
   * (`SELECT … FOR UPDATE` where the engine has row locks; SQLite serialises
   * writers instead), so that concurrent changes to one call queue up.
   */
  lock(id: number): Promise<Call | undefined>;
  /**
   * Writes `call` (status, times, party states) if the stored version is still
   * `call.version - 1`; false when another change won the race (reload and retry).
   */
  save(call: Call): Promise<boolean>;
  /** Ids of calls with a party still ringing past `now`, oldest deadline first. */
  listRingingBefore(now: number, limit: number): Promise<number[]>;
}
