import type { Settings } from '../domain/sequence';
import { nextSendableMoment, type SendCalendar } from './calendar';

/** A mailbox's sending limits, as a sequence's settings state them. */
export interface SendLimits {
  dailyCap: number;
  perMinuteCap: number;
  minSpacingMs: number;
}

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

export const limitsOf = (s: Settings): SendLimits => ({
  dailyCap: s.dailySendCap,
  perMinuteCap: s.perMinuteCap,
  minSpacingMs: s.minSecondsBetweenSends * 1000,
});

/** Index of the first element >= x in an ascending array. */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Pushes `t` forward until one more send fits the rolling cap of `windowMs`: at most `cap` sends in any
 * window (t - windowMs, t]. Returns `t` itself when it already fits.
 */
function fitRollingCap(t: number, sends: readonly number[], cap: number, windowMs: number): number {
  const from = lowerBound(sends, t - windowMs + 1);
  const to = lowerBound(sends, t + 1);
  const count = to - from;
  if (count < cap) return t;
  // Wait until the oldest sends that overflow the cap have left the window.
  return sends[from + (count - cap)]! + windowMs;
}

function fitSpacing(t: number, sends: readonly number[], spacing: number): number {
  if (spacing <= 0) return t;
  // The nearest earlier-or-equal send, and any later one that is too close, both push t past them.
  let i = lowerBound(sends, t - spacing + 1);
  while (i < sends.length && sends[i]! < t + spacing) {
    t = sends[i]! + spacing;
    i++;
  }
  return t;
}

/**
 * The earliest moment at or after `earliest` at which one more email may leave the mailbox: inside the send
 * window on an allowed day, under the per-minute and rolling-24h caps, and spaced from every other send.
 * `sends` is ascending and holds the mailbox's sends of the last 24 hours (and, for hints, reserved slots).
 */
export function earliestSendSlot(
  earliest: number,
  sends: readonly number[],
  limits: SendLimits,
  cal: SendCalendar,
): number {
  let t = nextSendableMoment(earliest, cal);
  for (let i = 0; i < 10_000; i++) {
    let u = fitSpacing(t, sends, limits.minSpacingMs);
    u = fitRollingCap(u, sends, limits.perMinuteCap, MINUTE_MS);
    u = fitRollingCap(u, sends, limits.dailyCap, DAY_MS);
    u = nextSendableMoment(u, cal);
    if (u === t) return t;
    t = u;
  }
  throw new Error('Could not find a send slot: the caps and the window leave no room');
}

/** Inserts `x` into an ascending array, keeping it sorted. */
export function insertSorted(sorted: number[], x: number): void {
  sorted.splice(lowerBound(sorted, x + 1), 0, x);
}
