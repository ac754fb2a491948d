import { nextPollDelay, POLL_RESERVE_FRACTION } from './poll-schedule';

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
