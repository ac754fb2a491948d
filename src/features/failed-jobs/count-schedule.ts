import type { RateLimitInfo } from '../../api/headers';

/** Share of the window left alone for uploads and screens (the same reserve polling keeps). */
export const COUNT_RESERVE_FRACTION = 0.25;
/** Of the budget above the reserve, the share counting may use; the rest stays for polling. */
export const COUNT_SHARE_OF_BUDGET = 0.5;
export const MIN_COUNT_GAP_MS = 100;
const JITTER_GUARD_MS = 250;

/**
 * How long to wait before reading the next page of failures. Pure: time and
 * headers come in. Counting takes half of what is left above the reserve and
 * spreads it until the window resets, so counting plus polling stays inside
 * the window and uploads keep their 25 %.
 */
export function nextCountDelay(input: { now: number; rateLimit: RateLimitInfo | null }): number {
  const rateLimit = input.rateLimit;
  if (!rateLimit || rateLimit.resetAt <= input.now) return MIN_COUNT_GAP_MS;
  const reserve = Math.ceil(rateLimit.limit * COUNT_RESERVE_FRACTION);
  const budget = Math.floor((rateLimit.remaining - reserve) * COUNT_SHARE_OF_BUDGET);
  const untilReset = rateLimit.resetAt - input.now;
  if (budget <= 0) return untilReset + JITTER_GUARD_MS;
  return Math.max(MIN_COUNT_GAP_MS, Math.ceil(untilReset / budget));
}
