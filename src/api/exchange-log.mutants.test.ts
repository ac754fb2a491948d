import type { Exchange } from './client';
import { createExchangeLog } from './exchange-log';

// Written against survivors of the mutation run (docs/mutation-testing.md).

const exchange = (id: number, rateLimit: Exchange['rateLimit'] = null): Exchange => ({
  id,
  method: 'GET',
  path: '/v1/account',
  startedAt: id,
  endedAt: id + 1,
  status: 200,
  requestId: `req_${id}`,
  code: null,
  retryAfterMs: null,
  rateLimit,
});

describe('exchange log', () => {
  it('keeps the newest 500 by default, oldest first', () => {
    const log = createExchangeLog();
    for (let id = 1; id <= 502; id++) log.record(exchange(id));
    expect(log.list()).toHaveLength(500);
    expect(log.list()[0]?.id).toBe(3);
    expect(log.list()[499]?.id).toBe(502);
  });

  it('keeps the last rate limit a response carried, through responses without one', () => {
    const log = createExchangeLog(10);
    expect(log.latestRateLimit()).toBeNull();
    const info = { limit: 120, remaining: 7, resetSeconds: 30, resetAt: 30_000 };
    log.record(exchange(1, info));
    log.record(exchange(2));
    expect(log.latestRateLimit()).toEqual(info);
  });

  it('within one window shows the lowest remaining, whatever order concurrent answers arrive in', () => {
    const log = createExchangeLog(10);
    // Two reads sent together: the server counted 11 then 12 used of 60, the second answer arrived first.
    log.record(exchange(1, { limit: 60, remaining: 48, resetSeconds: 30, resetAt: 30_000 }));
    log.record(exchange(2, { limit: 60, remaining: 49, resetSeconds: 31, resetAt: 31_200 }));
    expect(log.latestRateLimit()?.remaining).toBe(48);
    log.record(exchange(3, { limit: 60, remaining: 47, resetSeconds: 29, resetAt: 30_100 }));
    expect(log.latestRateLimit()?.remaining).toBe(47);
  });

  it('takes a new window at once, and ignores a late answer from the window before', () => {
    const log = createExchangeLog(10);
    log.record(exchange(1, { limit: 60, remaining: 2, resetSeconds: 1, resetAt: 1_000 }));
    log.record(exchange(2, { limit: 60, remaining: 59, resetSeconds: 60, resetAt: 61_000 }));
    expect(log.latestRateLimit()?.remaining).toBe(59);
    log.record(exchange(3, { limit: 60, remaining: 1, resetSeconds: 1, resetAt: 1_100 }));
    expect(log.latestRateLimit()).toEqual({ limit: 60, remaining: 59, resetSeconds: 60, resetAt: 61_000 });
  });

  it('takes a changed limit (a new key or tier) at once, even with more remaining', () => {
    const log = createExchangeLog(10);
    log.record(exchange(1, { limit: 6, remaining: 1, resetSeconds: 30, resetAt: 30_000 }));
    log.record(exchange(2, { limit: 60, remaining: 55, resetSeconds: 30, resetAt: 30_000 }));
    expect(log.latestRateLimit()?.remaining).toBe(55);
  });

  it('tells each subscriber of each exchange until it unsubscribes', () => {
    const log = createExchangeLog(10);
    let calls = 0;
    const unsubscribe = log.subscribe(() => calls++);
    log.record(exchange(1));
    unsubscribe();
    log.record(exchange(2));
    expect(calls).toBe(1);
  });
});
