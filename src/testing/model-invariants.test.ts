import { backgroundReadsOverBudget, type KeyedLogEntry, rateLimitsEarned, requestsInsideRetryAfter, retryAfterMs } from './model-invariants';

const T0 = Date.UTC(2026, 11, 2, 1, 0, 0);

function entry(fields: Partial<KeyedLogEntry> & { startedAt: number }): KeyedLogEntry {
  return {
    requestId: `req_${fields.startedAt}`,
    method: 'GET',
    path: '/v1/jobs',
    endpoint: 'GET /v1/jobs',
    answeredAt: fields.startedAt,
    status: 200,
    code: null,
    retryAfter: null,
    rateLimitRemaining: 50,
    fileName: null,
    query: '',
    origin: null,
    key: 'np_test_a',
    ...fields,
  };
}

describe('the journeys’ checks catch what they name', () => {
  it('reads Retry-After in seconds and as an HTTP-date from the answer time', () => {
    expect(retryAfterMs(entry({ startedAt: T0, retryAfter: '3' }))).toBe(3_000);
    expect(retryAfterMs(entry({ startedAt: T0, answeredAt: T0, retryAfter: new Date(T0 + 45_000).toUTCString() }))).toBe(45_000);
    expect(retryAfterMs(entry({ startedAt: T0 }))).toBeNull();
  });

  it('a request on the same key inside a 429’s Retry-After is reported; one after it, or on another key, is not', () => {
    const limited = entry({ startedAt: T0, status: 429, code: 'rate_limit_exceeded', retryAfter: '3', rateLimitRemaining: null });
    const inside = entry({ startedAt: T0 + 2_000 });
    const after = entry({ startedAt: T0 + 3_000 });
    const otherKey = entry({ startedAt: T0 + 1_500, key: 'np_test_b' });
    const alreadyOnItsWay = entry({ startedAt: T0 + 100 });
    const problems = requestsInsideRetryAfter([limited, inside, after, otherKey, alreadyOnItsWay], 500);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/sent 2000 ms after NovaPulse answered 429 rate_limit_exceeded with Retry-After 3/);
  });

  it('a 503’s Retry-After holds every key', () => {
    const down = entry({ startedAt: T0, status: 503, code: 'service_unavailable', retryAfter: '10' });
    expect(requestsInsideRetryAfter([down, entry({ startedAt: T0 + 5_000, key: 'np_test_new' })], 500)).toHaveLength(1);
  });

  it('more background reads than three quarters of the window in a window nobody acted in are reported; a busy window is not judged', () => {
    const window = 60_000;
    const idle = Array.from({ length: 46 }, (_, index) => entry({ startedAt: T0 + index * 1_000 }));
    const input = { limitPerMinute: 60, windowMs: window, reserveFraction: 0.25, personActedAt: [] };
    expect(backgroundReadsOverBudget(idle, input)).toEqual([expect.stringMatching(/^46 background reads in one window on one key .*leaves 45 of 60$/)]);
    expect(backgroundReadsOverBudget(idle.slice(1), input)).toEqual([]);
    expect(backgroundReadsOverBudget(idle, { ...input, personActedAt: [T0 + 30_000] })).toEqual([]);
  });

  it('a 429 NovaPulse’s own limit answered is reported; one the test forced is not', () => {
    const earned = entry({ startedAt: T0, status: 429, code: 'rate_limit_exceeded', rateLimitRemaining: 0 });
    const forced = entry({ startedAt: T0 + 1, status: 429, code: 'rate_limit_exceeded', rateLimitRemaining: null });
    expect(rateLimitsEarned([earned, forced])).toHaveLength(1);
  });
});
