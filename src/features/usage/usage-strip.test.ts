import { rateLimitView } from './rate-limit-view';
import { compactRateDetail } from './usage-strip';

const NOW = 1_700_000_000_000;

describe('compactRateDetail', () => {
  it('counts down to the reset of the current window', () => {
    const view = rateLimitView({ rateLimit: { limit: 60, remaining: 45, resetSeconds: 0, resetAt: NOW + 12_400 }, fallbackLimit: 60, heldUntil: 0, heldBy: null, now: NOW });
    expect(compactRateDetail(view)).toBe('resets in 13 s');
  });

  it('puts a Retry-After wait in force first', () => {
    const view = rateLimitView({ rateLimit: { limit: 60, remaining: 0, resetSeconds: 0, resetAt: NOW + 30_000 }, fallbackLimit: 60, heldUntil: NOW + 7_000, heldBy: 'rate_limit_exceeded', now: NOW });
    expect(compactRateDetail(view)).toBe('waiting 7 s (Retry-After) · resets in 30 s');
  });

  it('says a new window has begun once the reset has passed, and the plain allowance before any answer', () => {
    expect(compactRateDetail(rateLimitView({ rateLimit: { limit: 60, remaining: 3, resetSeconds: 0, resetAt: NOW - 1 }, fallbackLimit: 60, heldUntil: 0, heldBy: null, now: NOW }))).toBe('new window');
    expect(compactRateDetail(rateLimitView({ rateLimit: null, fallbackLimit: 60, heldUntil: 0, heldBy: null, now: NOW }))).toBe('per minute');
  });
});
