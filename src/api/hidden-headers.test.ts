import { createBlindPacer, EXPOSE_HEADERS_LINE, unreadableHeaders, waitWithoutRetryAfter } from './hidden-headers';

const MINUTE = 60_000;

describe('unreadableHeaders: what one answer lacked of the headers the console reads', () => {
  it('a full answer lacks nothing', () => {
    const headers = new Headers({ 'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '59', 'X-RateLimit-Reset': '30', 'X-Request-Id': 'req_1', Date: 'Wed, 02 Dec 2026 03:00:00 GMT' });
    expect(unreadableHeaders(headers, 200)).toEqual([]);
  });

  it('the IETF RateLimit header stands for the three X- headers', () => {
    const headers = new Headers({ RateLimit: 'limit=60, remaining=59, reset=30', 'X-Request-Id': 'req_1', Date: 'Wed, 02 Dec 2026 03:00:00 GMT' });
    expect(unreadableHeaders(headers, 200)).toEqual([]);
  });

  it('an answer through CORS without Expose-Headers (only the safelisted headers): every one is named', () => {
    const headers = new Headers({ 'Content-Type': 'application/json' });
    expect(unreadableHeaders(headers, 200)).toEqual(['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'X-Request-Id', 'Date']);
    expect(unreadableHeaders(headers, 429, 'rate_limit_exceeded')).toEqual(['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After', 'X-Request-Id', 'Date']);
    // The slot cap's 429 has no Retry-After to hide.
    expect(unreadableHeaders(headers, 429, 'concurrent_jobs_exceeded')).not.toContain('Retry-After');
  });

  it('a 401 carries no rate limit by contract, so it tells nothing', () => {
    expect(unreadableHeaders(new Headers(), 401)).toEqual([]);
  });

  it('the line to add names every header the console reads', () => {
    expect(EXPOSE_HEADERS_LINE).toBe('Access-Control-Expose-Headers: X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, RateLimit, Retry-After, X-Request-Id, Date');
  });
});

describe('waitWithoutRetryAfter: the wait after a 429 or 503 whose time the page cannot read', () => {
  const base = { code: 'rate_limit_exceeded', retryAfterMs: null, rateLimit: null, rateLimitReadable: false, now: 1_000_000, repeats: 0 };

  it('a readable Retry-After is the server’s to set: no assumption', () => {
    expect(waitWithoutRetryAfter({ ...base, status: 429, retryAfterMs: 7_000 })).toBeNull();
  });

  it('a 429 with nothing readable waits the whole minute, doubling for each such answer in a row up to 8 minutes', () => {
    expect([0, 1, 2, 3, 4, 9].map((repeats) => waitWithoutRetryAfter({ ...base, status: 429, repeats }))).toEqual([MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE, 8 * MINUTE, 8 * MINUTE]);
  });

  it('a 429 whose window is readable (Retry-After alone hidden) waits until that window resets', () => {
    const rateLimit = { limit: 60, remaining: 0, resetSeconds: 17, resetAt: 1_017_000 };
    expect(waitWithoutRetryAfter({ ...base, status: 429, rateLimit, rateLimitReadable: true })).toBe(17_000);
  });

  it('a 503 without Retry-After keeps the catalogue’s backoff when the other headers are readable, and waits the minute when they are hidden too', () => {
    expect(waitWithoutRetryAfter({ ...base, status: 503, code: 'service_unavailable', rateLimitReadable: true })).toBeNull();
    expect(waitWithoutRetryAfter({ ...base, status: 503, code: 'service_unavailable', rateLimitReadable: false })).toBe(MINUTE);
  });

  it('the slot cap’s 429 (concurrent_jobs_exceeded) names no time by contract: it keeps its own handling', () => {
    expect(waitWithoutRetryAfter({ ...base, status: 429, code: 'concurrent_jobs_exceeded' })).toBeNull();
  });

  it('other statuses are not waits', () => {
    expect(waitWithoutRetryAfter({ ...base, status: 500 })).toBeNull();
    expect(waitWithoutRetryAfter({ ...base, status: 404 })).toBeNull();
  });
});

describe('the blind pacer: the console’s own count of the key’s minute', () => {
  it('paces nothing while the API’s count is readable, or before the account named the limit', () => {
    const pacer = createBlindPacer();
    for (let at = 0; at < 10; at++) pacer.sent(at);
    expect(pacer.waitBeforeSend(10)).toBe(0);
    pacer.answerRead(false);
    expect(pacer.isBlind()).toBe(true);
    expect(pacer.waitBeforeSend(10)).toBe(0);
    expect(pacer.estimate(10)).toBeNull();
  });

  it('blind, with a limit of 6: the 7th send in a minute waits until the oldest of the six leaves it', () => {
    const pacer = createBlindPacer();
    pacer.limitKnown(6);
    pacer.answerRead(false);
    for (const at of [0, 1_000, 2_000, 3_000, 4_000]) pacer.sent(at);
    expect(pacer.waitBeforeSend(4_500)).toBe(0);
    pacer.sent(5_000);
    expect(pacer.waitBeforeSend(5_500)).toBe(MINUTE - 5_500 + 1);
    expect(pacer.waitBeforeSend(MINUTE + 1)).toBe(0);
  });

  it('its estimate counts the last minute’s sends against the limit, resetting when the oldest leaves', () => {
    const pacer = createBlindPacer();
    pacer.limitKnown(6);
    pacer.answerRead(false);
    pacer.sent(10_000);
    pacer.sent(20_000);
    expect(pacer.estimate(30_000)).toEqual({ limit: 6, remaining: 4, resetSeconds: 40, resetAt: 70_000 });
    expect(pacer.estimate(75_000)).toEqual({ limit: 6, remaining: 5, resetSeconds: 5, resetAt: 80_000 });
  });

  it('a readable answer ends the pacing at once', () => {
    const pacer = createBlindPacer();
    pacer.limitKnown(1);
    pacer.answerRead(false);
    pacer.sent(0);
    expect(pacer.waitBeforeSend(1)).toBeGreaterThan(0);
    pacer.answerRead(true);
    expect(pacer.waitBeforeSend(1)).toBe(0);
    expect(pacer.estimate(1)).toBeNull();
  });

  it('ignores a limit that is no positive whole number', () => {
    const pacer = createBlindPacer();
    pacer.answerRead(false);
    pacer.limitKnown(0);
    pacer.limitKnown(2.5);
    pacer.sent(0);
    expect(pacer.estimate(1)).toBeNull();
  });
});
