import { BACKGROUND_RESERVE_FRACTION, backgroundGap } from './background-budget';

const NOW = Date.UTC(2026, 11, 1, 10, 0, 0);
const windowOf = (limit: number, remaining: number, resetInMs: number) => ({ limit, remaining, resetSeconds: Math.ceil(resetInMs / 1000), resetAt: NOW + resetInMs });

describe('backgroundGap: one rule for every background request', () => {
  it('keeps a quarter of the window for uploads and what the person asks', () => {
    expect(BACKGROUND_RESERVE_FRACTION).toBe(0.25);
  });

  it('spreads what is left above the reserve until the window resets', () => {
    // 120 a minute: reserve 30; 90 left above it, 60 s to go.
    expect(backgroundGap({ now: NOW, rateLimit: windowOf(120, 120, 60_000), share: 1 })).toBe(667);
    // Half of it for one consumer: 45 requests in 60 s.
    expect(backgroundGap({ now: NOW, rateLimit: windowOf(120, 120, 60_000), share: 0.5 })).toBe(1_334);
  });

  it('counts a round of several requests as that many', () => {
    // 10 requests a round out of 90: 9 rounds in 45 s.
    expect(backgroundGap({ now: NOW, rateLimit: windowOf(120, 120, 45_000), share: 1, cost: 10 })).toBe(5_000);
  });

  it('waits for the reset (and a little) once only the reserve is left, or a round would reach into it', () => {
    expect(backgroundGap({ now: NOW, rateLimit: windowOf(120, 30, 20_000), share: 1 })).toBe(20_250);
    expect(backgroundGap({ now: NOW, rateLimit: windowOf(120, 35, 20_000), share: 1, cost: 6 })).toBe(20_250);
    expect(backgroundGap({ now: NOW, rateLimit: windowOf(120, 35, 20_000), share: 1, cost: 5 })).toBe(20_000);
  });

  it('leaves the pace to the consumer when the window is unknown or already over', () => {
    expect(backgroundGap({ now: NOW, rateLimit: null, share: 1 })).toBe(0);
    expect(backgroundGap({ now: NOW, rateLimit: windowOf(120, 0, 0), share: 1 })).toBe(0);
  });

  it('spent at its pace, every consumer together stays out of the reserve', () => {
    const rateLimit = windowOf(120, 100, 60_000);
    const polls = Math.floor(60_000 / backgroundGap({ now: NOW, rateLimit, share: 1 }));
    expect(polls).toBeLessThanOrEqual(100 - 30);
  });
});
