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
