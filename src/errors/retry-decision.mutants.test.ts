import { ERROR_CATALOGUE } from './catalogue';
import { retryDecision } from './retry-decision';

// Written against survivors of the mutation run (docs/mutation-testing.md).
// Numbers are error-behaviour.md's: 500 backoff base 1 s, cap 30 s, at most 4
// attempts; 503 Retry-After if sent, else backoff base 5 s, cap 60 s; 429
// waits Retry-After, never less, plus up to 250 ms jitter.

const fixed = (value: number) => () => value;

describe('retryDecision', () => {
  it('never retries what is not an API failure', () => {
    expect(retryDecision(new Error('bug'), 1, fixed(0))).toEqual({ retry: false });
    expect(retryDecision(null, 1, fixed(0))).toEqual({ retry: false });
    expect(retryDecision('internal_error', 1, fixed(0))).toEqual({ retry: false });
    expect(retryDecision({ code: 500, status: 500, retryAfterMs: null }, 1, fixed(0))).toEqual({ retry: false });
  });

  it('retries internal_error with full jitter under base 1 s doubling, for at most 4 attempts in all', () => {
    const failure = { code: 'internal_error', status: 500, retryAfterMs: null };
    expect(retryDecision(failure, 1, fixed(0.5))).toEqual({ retry: true, delayMs: 500, reason: 'backoff' });
    expect(retryDecision(failure, 2, fixed(0.5))).toEqual({ retry: true, delayMs: 1000, reason: 'backoff' });
    expect(retryDecision(failure, 3, fixed(0.5))).toEqual({ retry: true, delayMs: 2000, reason: 'backoff' });
    expect(retryDecision(failure, 4, fixed(0.5))).toEqual({ retry: false });
    expect(retryDecision(failure, 5, fixed(0.5))).toEqual({ retry: false });
  });

  it('backs service_unavailable off from 5 s up to its 60 s cap when no Retry-After came', () => {
    const failure = { code: 'service_unavailable', status: 503, retryAfterMs: null };
    expect(retryDecision(failure, 1, fixed(0.5))).toEqual({ retry: true, delayMs: 2500, reason: 'backoff' });
    expect(retryDecision(failure, 5, fixed(0.5))).toEqual({ retry: true, delayMs: 30000, reason: 'backoff' });
  });

  it('waits exactly the Retry-After of a 503 when one came', () => {
    const failure = { code: 'service_unavailable', status: 503, retryAfterMs: 7_000 };
    expect(retryDecision(failure, 1, fixed(0.9))).toEqual({ retry: true, delayMs: 7_000, reason: 'retry-after' });
    expect(retryDecision({ ...failure, retryAfterMs: 0 }, 1, fixed(0.9))).toEqual({ retry: true, delayMs: 0, reason: 'retry-after' });
  });

  it('waits a 429 Retry-After, never less, plus under 250 ms of jitter', () => {
    const failure = { code: 'rate_limit_exceeded', status: 429, retryAfterMs: 17_000 };
    expect(retryDecision(failure, 1, fixed(0))).toEqual({ retry: true, delayMs: 17_000, reason: 'retry-after' });
    expect(retryDecision(failure, 1, fixed(0.999))).toEqual({ retry: true, delayMs: 17_249, reason: 'retry-after' });
    // A 429 without the header (a proxy's, say) waits a second rather than hammering.
    expect(retryDecision({ ...failure, retryAfterMs: null }, 1, fixed(0))).toEqual({ retry: true, delayMs: 1_000, reason: 'retry-after' });
  });

  it('does not retry by timer what waits for a slot, a key or a correction', () => {
    expect(retryDecision({ code: 'concurrent_jobs_exceeded', status: 429, retryAfterMs: null }, 1, fixed(0))).toEqual({ retry: false });
    expect(retryDecision({ code: 'expired_api_key', status: 401, retryAfterMs: null }, 1, fixed(0))).toEqual({ retry: false });
    expect(retryDecision({ code: 'invalid_parameter', status: 400, retryAfterMs: null }, 1, fixed(0))).toEqual({ retry: false });
  });

  it('gives up on a 429 or a 503 once the attempts the catalogue allows are spent, and not one attempt earlier', () => {
    for (const [code, status] of [['rate_limit_exceeded', 429], ['service_unavailable', 503]] as const) {
      const policy = ERROR_CATALOGUE[code].retry;
      if (!('maxAttempts' in policy)) throw new Error(`${code} has no attempt limit`);
      const failure = { code, status, retryAfterMs: 2_000 };
      expect(retryDecision(failure, policy.maxAttempts - 1, fixed(0)), code).toMatchObject({ retry: true, delayMs: 2_000 });
      expect(retryDecision(failure, policy.maxAttempts, fixed(0)), code).toEqual({ retry: false });
    }
  });
});
