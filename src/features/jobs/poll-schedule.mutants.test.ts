import { failedPollDelay, nextPollDelay, POLL_RESERVE_FRACTION } from './poll-schedule';

// Written against survivors of the mutation run (docs/mutation-testing.md).
// docs/decisions.md, Polling: 2 s for jobs younger than 30 s, 5 s up to 2 min,
// then 10 s, stretched so the budget less a 25 % reserve lasts until the reset.

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);
const at = (ageMs: number, rateLimit: Parameters<typeof nextPollDelay>[0]['rateLimit'] = null) => nextPollDelay({ now: NOW, youngestTrackedAt: NOW - ageMs, rateLimit });

describe('nextPollDelay', () => {
  it('ticks every 2 s under 30 s of age, 5 s up to 2 min, then 10 s', () => {
    expect([at(0), at(29_999), at(30_000), at(119_999), at(120_000), at(3_600_000)]).toEqual([2_000, 2_000, 5_000, 5_000, 10_000, 10_000]);
  });

  it('keeps a quarter of the limit in reserve, rounded up', () => {
    expect(POLL_RESERVE_FRACTION).toBe(0.25);
    // limit 10: 3 kept back. 4 left: 1 to spend over 50 s; 3 left: none, wait for the reset and a little more.
    expect(at(0, { limit: 10, remaining: 4, resetSeconds: 50, resetAt: NOW + 50_000 })).toBe(50_000);
    expect(at(0, { limit: 10, remaining: 3, resetSeconds: 50, resetAt: NOW + 50_000 })).toBe(50_250);
  });

  it('spreads the budget over the time to the reset, never faster than the base tick', () => {
    // limit 120: 30 kept back; 40 left is 10 to spend over 45 s.
    expect(at(0, { limit: 120, remaining: 40, resetSeconds: 45, resetAt: NOW + 45_000 })).toBe(4_500);
    expect(at(0, { limit: 120, remaining: 90, resetSeconds: 45, resetAt: NOW + 45_000 })).toBe(2_000);
    expect(at(200_000, { limit: 120, remaining: 0, resetSeconds: 5, resetAt: NOW + 5_000 })).toBe(10_000);
  });

  it('ignores a rate limit whose window has already reset', () => {
    expect(at(0, { limit: 10, remaining: 0, resetSeconds: 0, resetAt: NOW })).toBe(2_000);
    expect(at(0, { limit: 10, remaining: 0, resetSeconds: 0, resetAt: NOW - 1 })).toBe(2_000);
  });
});

describe('failedPollDelay', () => {
  const failure = (code: string, status: number | null, retryAfterMs: number | null = null) => ({ code, status, retryAfterMs });

  it('waits a 429 Retry-After again past the catalogue attempts, jitter included', () => {
    expect(failedPollDelay(failure('rate_limit_exceeded', 429, 3_000), 10, () => 0)).toBe(3_000);
    expect(failedPollDelay(failure('rate_limit_exceeded', 429, 3_000), 10, () => 0.5)).toBe(3_125);
  });

  it('has nothing to wait for when a job is unknown or all slots are taken', () => {
    expect(failedPollDelay(failure('job_not_found', 404), 1, () => 0.5)).toBeNull();
    expect(failedPollDelay(failure('concurrent_jobs_exceeded', 429), 1, () => 0.5)).toBeNull();
  });
});
