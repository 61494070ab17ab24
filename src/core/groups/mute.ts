// One representation of a mute: an absolute deadline in ms. "For ever" is the
// sentinel MUTE_FOREVER, defined here and nowhere else. Dialects convert:
//   lanying  duration in minutes        -> { forMs: minutes * 60_000 }
//            ban_expire_time -1 (secs)  <-> MUTE_FOREVER
//   dtalk    9223372036854775807        <-> MUTE_FOREVER (parse the digits as
//            text; the int64 never passes through a JS number)
//   native   { until } | { minutes } | { forever: true }
import { fail } from '../errors.ts';

/** A deadline no clock reaches: the largest exact JSON integer. */
export const MUTE_FOREVER = Number.MAX_SAFE_INTEGER;

export type MuteSpec = { until: number } | { forMs: number } | { forever: true };

/**
 * The deadline a mute spec means at `now`; saturates to MUTE_FOREVER. A
 * dialect whose API bounds a timed mute passes `maxMs` (dtalk: 24 h); "for
 * ever" stays allowed.
 */
export function muteDeadline(spec: MuteSpec, now: number, maxMs?: number): number {
  if ('forever' in spec) return MUTE_FOREVER;
  if (maxMs !== undefined && ('forMs' in spec ? spec.forMs : spec.until - now) > maxMs) throw fail('invalid_argument', `a timed mute lasts at most ${maxMs} ms`, { maxMs });
  if ('until' in spec) {
    if (!Number.isSafeInteger(spec.until) || spec.until <= now) throw fail('invalid_argument', 'a mute deadline must be a time in the future (ms)');
    return spec.until;
  }
  if (!Number.isSafeInteger(spec.forMs) || spec.forMs <= 0) throw fail('invalid_argument', 'a mute duration must be a positive number');
  return Math.min(now + spec.forMs, MUTE_FOREVER);
}

export const isMuted = (until: number | null, now: number): boolean => until !== null && until > now;
const isForever = (until: number | null): boolean => until === MUTE_FOREVER;

/** How a deadline is shown: the ms deadline (null when not muted or for ever) and a forever flag. */
export function showMute(until: number | null, now: number): { mutedUntil: number | null; mutedForever: boolean } {
  if (!isMuted(until, now)) return { mutedUntil: null, mutedForever: false };
  return isForever(until) ? { mutedUntil: null, mutedForever: true } : { mutedUntil: until, mutedForever: false };
}
