import { failedPollDelay, nextPollDelay, POLL_RESERVE_FRACTION } from './poll-schedule';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);

describe('nextPollDelay', () => {
  it('polls often right after an upload and less as jobs run', () => {
    const young = nextPollDelay({ now: NOW, youngestTrackedAt: NOW - 5_000, rateLimit: null });
    const middle = nextPollDelay({ now: NOW, youngestTrackedAt: NOW - 60_000, rateLimit: null });
    const old = nextPollDelay({ now: NOW, youngestTrackedAt: NOW - 600_000, rateLimit: null });
    expect(young).toBeLessThan(middle);
    expect(middle).toBeLessThan(old);
  });

  it('keeps the base interval while the rate limit has room', () => {
    const delay = nextPollDelay({ now: NOW, youngestTrackedAt: NOW, rateLimit: { limit: 120, remaining: 110, resetSeconds: 30, resetAt: NOW + 30_000 } });
    expect(delay).toBe(nextPollDelay({ now: NOW, youngestTrackedAt: NOW, rateLimit: null }));
  });

  it('stretches so the remaining budget, less a reserve, lasts until the window resets', () => {
    const limit = 60;
    const remaining = 20;
    const reserve = Math.ceil(limit * POLL_RESERVE_FRACTION);
    const delay = nextPollDelay({ now: NOW, youngestTrackedAt: NOW, rateLimit: { limit, remaining, resetSeconds: 50, resetAt: NOW + 50_000 } });
    expect(delay).toBe(Math.ceil(50_000 / (remaining - reserve)));
    // Spent at that pace, the budget never runs into the reserve before the reset.
    expect(Math.floor(50_000 / delay)).toBeLessThanOrEqual(remaining - reserve);
  });

  it('waits for the reset when nothing but the reserve is left', () => {
    const delay = nextPollDelay({ now: NOW, youngestTrackedAt: NOW, rateLimit: { limit: 60, remaining: 10, resetSeconds: 40, resetAt: NOW + 40_000 } });
    expect(delay).toBeGreaterThan(40_000);
  });
});

describe('failedPollDelay (error-behaviour.md)', () => {
  const failure = (code: string, status: number | null, retryAfterMs: number | null = null) => ({ code, status, retryAfterMs });
  const almostOne = () => 0.9999;

  it('503 without Retry-After: full jitter from 0 to 5 s, doubling, capped at 60 s, and never gives up', () => {
    expect(failedPollDelay(failure('service_unavailable', 503), 1, () => 0)).toBe(0);
    expect(failedPollDelay(failure('service_unavailable', 503), 1, () => 0.5)).toBe(2_500);
    expect(failedPollDelay(failure('service_unavailable', 503), 2, () => 0.5)).toBe(5_000);
    expect(failedPollDelay(failure('service_unavailable', 503), 5, () => 0.5)).toBe(30_000);
    // Past the catalogue's six attempts the poller keeps probing at the cap.
    expect(failedPollDelay(failure('service_unavailable', 503), 6, () => 0.5)).toBe(30_000);
    expect(failedPollDelay(failure('service_unavailable', 503), 40, almostOne)).toBeLessThan(60_000);
    expect(failedPollDelay(failure('service_unavailable', 503), 40, almostOne)).toBeGreaterThanOrEqual(59_940);
  });

  it('503 with Retry-After: exactly the server\'s wait', () => {
    expect(failedPollDelay(failure('service_unavailable', 503, 12_000), 1, almostOne)).toBe(12_000);
    expect(failedPollDelay(failure('service_unavailable', 503, 12_000), 9, almostOne)).toBe(12_000);
  });

  it('500 and network loss: base 1 s, cap 30 s, past the 4 attempts too', () => {
    expect(failedPollDelay(failure('internal_error', 500), 1, () => 0.5)).toBe(500);
    expect(failedPollDelay(failure('network_error', null), 3, () => 0.5)).toBe(2_000);
    expect(failedPollDelay(failure('internal_error', 500), 4, () => 0.5)).toBe(4_000);
    expect(failedPollDelay(failure('internal_error', 500), 10, () => 0.5)).toBe(15_000);
  });

  it('429 rate_limit_exceeded: the Retry-After plus at most 250 ms, on every attempt', () => {
    for (const attempt of [1, 10, 50]) {
      const delay = failedPollDelay(failure('rate_limit_exceeded', 429, 3_000), attempt, almostOne);
      expect(delay).toBeGreaterThanOrEqual(3_000);
      expect(delay).toBeLessThan(3_250);
    }
  });

  it('nothing a wait would fix: a closed auth gate, a missing scope, a bad request', () => {
    expect(failedPollDelay(failure('expired_api_key', 401), 1, almostOne)).toBeNull();
    expect(failedPollDelay(failure('insufficient_permissions', 403), 1, almostOne)).toBeNull();
    expect(failedPollDelay(failure('invalid_parameter', 400), 1, almostOne)).toBeNull();
  });
});
