import type { RateLimitInfo } from './headers';

/**
 * The one rule for every request nobody clicked for (polls, list head
 * refreshes, failure counting, account reads): together they leave this share
 * of the key's window untouched, for uploads and for what the person asks.
 */
export const BACKGROUND_RESERVE_FRACTION = 0.25;
const RESET_GUARD_MS = 250;

/**
 * The shortest gap between one background consumer's requests, in ms, so that
 * the consumer spends at most `share` of what is left above the reserve before
 * the window resets; past the reserve, the wait is until the reset. `cost` is
 * the requests one round sends (a poll of 300 jobs is 3). 0 when the window is
 * unknown or over: the consumer's own pace applies. Pure.
 */
export function backgroundGap(input: { now: number; rateLimit: RateLimitInfo | null; share: number; cost?: number }): number {
  const { rateLimit, now } = input;
  if (!rateLimit || rateLimit.resetAt <= now) return 0;
  const reserve = Math.ceil(rateLimit.limit * BACKGROUND_RESERVE_FRACTION);
  const budget = Math.floor((rateLimit.remaining - reserve) * input.share);
  const untilReset = rateLimit.resetAt - now;
  const cost = Math.max(1, input.cost ?? 1);
  if (budget < cost) return untilReset + RESET_GUARD_MS;
  return Math.ceil((untilReset * cost) / budget);
}
