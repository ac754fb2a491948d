import type { RateLimitInfo } from '../../api/headers';

/** Share of the rate-limit window polling leaves for uploads and screens. */
export const POLL_RESERVE_FRACTION = 0.25;
const JITTER_GUARD_MS = 250;

/** How long to wait before the next batched poll. Pure: time and headers come in. */
export function nextPollDelay(input: { now: number; youngestTrackedAt: number; rateLimit: RateLimitInfo | null }): number {
  const age = input.now - input.youngestTrackedAt;
  // Short right after an upload, longer as jobs run.
  const base = age < 30_000 ? 2_000 : age < 120_000 ? 5_000 : 10_000;
  const rateLimit = input.rateLimit;
  if (!rateLimit || rateLimit.resetAt <= input.now) return base;
  const reserve = Math.ceil(rateLimit.limit * POLL_RESERVE_FRACTION);
  const budget = rateLimit.remaining - reserve;
  const untilReset = rateLimit.resetAt - input.now;
  // Out of budget: wait for the window to reset rather than earn a 429.
  if (budget <= 0) return Math.max(base, untilReset + JITTER_GUARD_MS);
  return Math.max(base, Math.ceil(untilReset / budget));
}
