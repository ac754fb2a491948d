import { parseRateLimit, parseRetryAfter, parseServerDate } from './headers';

// Written against survivors of the mutation run (docs/mutation-testing.md).
// api-contract.md: X-RateLimit-Limit/Remaining/Reset (reset as delta seconds),
// or the IETF form `RateLimit: limit=120, remaining=57, reset=21`; Retry-After
// as delay-seconds or an HTTP-date.

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);

describe('parseRateLimit, the IETF forms', () => {
  it('reads the single header whatever the case of its names, with quotes or semicolons', () => {
    expect(parseRateLimit(new Headers({ RateLimit: 'Limit=120; Remaining="57"; Reset=21' }), NOW)).toEqual({
      limit: 120,
      remaining: 57,
      resetSeconds: 21,
      resetAt: NOW + 21_000,
    });
  });

  it('reads the short names of the newer draft (q, r, t)', () => {
    expect(parseRateLimit(new Headers({ RateLimit: '"default";r=4;t=30;q=60' }), NOW)).toEqual({ limit: 60, remaining: 4, resetSeconds: 30, resetAt: NOW + 30_000 });
  });

  it('reads the three separate RateLimit-Limit/Remaining/Reset headers of the older draft', () => {
    const headers = new Headers({ 'RateLimit-Limit': '600', 'RateLimit-Remaining': '599', 'RateLimit-Reset': '59' });
    expect(parseRateLimit(headers, NOW)).toEqual({ limit: 600, remaining: 599, resetSeconds: 59, resetAt: NOW + 59_000 });
  });

  it('lets the IETF header fill what the X- headers leave out, and X- win field by field', () => {
    const headers = new Headers({ 'X-RateLimit-Remaining': '100', RateLimit: 'limit=60, remaining=3, reset=9' });
    expect(parseRateLimit(headers, NOW)).toEqual({ limit: 60, remaining: 100, resetSeconds: 9, resetAt: NOW + 9_000 });
    const xLimitAndReset = new Headers({ 'X-RateLimit-Limit': '120', 'X-RateLimit-Reset': '30', RateLimit: 'limit=60, remaining=3, reset=9' });
    expect(parseRateLimit(xLimitAndReset, NOW)).toEqual({ limit: 120, remaining: 3, resetSeconds: 30, resetAt: NOW + 30_000 });
  });

  it('takes zero remaining and zero reset as numbers, not as missing', () => {
    const headers = new Headers({ 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '0' });
    expect(parseRateLimit(headers, NOW)).toEqual({ limit: 120, remaining: 0, resetSeconds: 0, resetAt: NOW });
  });

  it('refuses values that are not whole non-negative numbers, padded or not', () => {
    expect(parseRateLimit(new Headers({ 'X-RateLimit-Limit': ' 120 ', 'X-RateLimit-Remaining': '7', 'X-RateLimit-Reset': '5' }), NOW)?.limit).toBe(120);
    for (const bad of ['12a', 'a12', '-1', '1.5', '']) {
      const headers = new Headers({ 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': bad, 'X-RateLimit-Reset': '5' });
      expect(parseRateLimit(headers, NOW), JSON.stringify(bad)).toBeNull();
    }
    expect(parseRateLimit(new Headers({ RateLimit: 'limit=60, remaining, reset=9' }), NOW)).toBeNull();
  });
});

describe('parseRetryAfter', () => {
  it('reads blank as nothing, and a padded number as seconds', () => {
    expect(parseRetryAfter('   ', NOW)).toBeNull();
    expect(parseRetryAfter('\t3\t', NOW)).toBe(3_000);
  });

  it('places an RFC 850 two-digit year on the server clock when there is one', () => {
    // 2026 by the server; the browser's clock is wrong by decades, the wait is not.
    const serverNow = Date.UTC(2026, 10, 25, 10, 0, 0);
    expect(parseRetryAfter('Wednesday, 25-Nov-26 10:00:30 GMT', Date.UTC(2080, 0, 1), serverNow)).toBe(30_000);
  });

  it('measures a past date against the server clock as no wait at all', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:59:00 GMT', NOW - 120_000, NOW)).toBe(0);
  });
});

describe('parseServerDate', () => {
  it('reads any HTTP-date form, and nothing from an unreadable Date', () => {
    expect(parseServerDate(new Headers({ Date: 'Wed Nov 25 10:00:00 2026' }), NOW)).toBe(NOW);
    expect(parseServerDate(new Headers({ Date: 'yesterday' }), NOW)).toBeNull();
  });
});
