import { BACKGROUND_RESERVE_FRACTION, backgroundGap } from '../../api/background-budget';
import type { RateLimitInfo } from '../../api/headers';
import { catalogueEntryFor } from '../../errors/catalogue';
import { type FailureFacts, retryDecision } from '../../errors/retry-decision';
import { fullJitterDelay } from '../../lib/backoff';
import type { RandomSource } from '../../lib/random';

/** Share of the rate-limit window polling leaves for uploads and screens: the one background rule. */
export const POLL_RESERVE_FRACTION = BACKGROUND_RESERVE_FRACTION;

/**
 * How long to wait before the next batched poll. Pure: time and headers come
 * in. `requestsPerPass` is what one pass sends (one per 100 tracked jobs):
 * polling may take all the background budget, spread until the window resets.
 */
export function nextPollDelay(input: { now: number; youngestTrackedAt: number; rateLimit: RateLimitInfo | null; requestsPerPass?: number }): number {
  const age = input.now - input.youngestTrackedAt;
  // Short right after an upload, longer as jobs run.
  const base = age < 30_000 ? 2_000 : age < 120_000 ? 5_000 : 10_000;
  return Math.max(base, backgroundGap({ now: input.now, rateLimit: input.rateLimit, share: 1, cost: input.requestsPerPass }));
}

/**
 * How long to wait after a failed poll (`attempt` counts the failed polls in a
 * row, from 1), or null when waiting would not help (a closed auth gate, a
 * 4xx). The catalogue decides (`retryDecision`): Retry-After when sent, else
 * full-jitter backoff. Polling never gives up, so past the catalogue's
 * attempts the backoff stays at its cap.
 */
export function failedPollDelay(error: FailureFacts, attempt: number, random: RandomSource): number | null {
  const decision = retryDecision(error, attempt, random);
  if (decision.retry) return decision.delayMs;
  const policy = catalogueEntryFor(error.code, error.status).retry;
  if (policy.kind === 'backoff') {
    if (policy.honourRetryAfter && error.retryAfterMs !== null) return error.retryAfterMs;
    return fullJitterDelay(attempt, policy.baseMs, policy.capMs, random);
  }
  if (policy.kind === 'retry-after') {
    const again = retryDecision(error, 1, random);
    return again.retry ? again.delayMs : null;
  }
  return null;
}
