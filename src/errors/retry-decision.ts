import { fullJitterDelay } from '../lib/backoff';
import type { RandomSource } from '../lib/random';
import { catalogueEntryFor } from './catalogue';

/** What the catalogue needs to know about a failure to decide on a retry. */
export interface FailureFacts {
  code: string;
  status: number | null;
  retryAfterMs: number | null;
}

export type RetryDecision = { retry: false } | { retry: true; delayMs: number; reason: 'retry-after' | 'backoff' };

function isFailureFacts(error: unknown): error is FailureFacts {
  return typeof error === 'object' && error !== null && 'code' in error && typeof (error as FailureFacts).code === 'string';
}

/**
 * The retry functions "tuned per error code": whether the attempt that just
 * failed (`attempt`, counted from 1) is retried, and after how long.
 * Anything that is not an API failure (a bug) is never retried.
 */
export function retryDecision(error: unknown, attempt: number, random: RandomSource): RetryDecision {
  if (!isFailureFacts(error)) return { retry: false };
  const policy = catalogueEntryFor(error.code, error.status).retry;
  switch (policy.kind) {
    case 'retry-after': {
      if (attempt >= policy.maxAttempts) return { retry: false };
      // Never earlier than the server asked; a missing header falls back to one second.
      const wait = error.retryAfterMs ?? 1_000;
      return { retry: true, delayMs: wait + Math.floor(random() * policy.jitterMs), reason: 'retry-after' };
    }
    case 'backoff': {
      if (attempt >= policy.maxAttempts) return { retry: false };
      if (policy.honourRetryAfter && error.retryAfterMs !== null) return { retry: true, delayMs: error.retryAfterMs, reason: 'retry-after' };
      return { retry: true, delayMs: fullJitterDelay(attempt, policy.baseMs, policy.capMs, random), reason: 'backoff' };
    }
    default:
      return { retry: false };
  }
}
