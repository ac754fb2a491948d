import { parseRateLimit, parseRetryAfter, parseServerDate } from './headers';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('17', NOW)).toBe(17_000);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
  });

  it('reads an HTTP-date (IMF-fixdate) as the delay until that moment', () => {
    const at = NOW + 42_000;
    expect(parseRetryAfter(new Date(at).toUTCString(), NOW)).toBe(42_000);
  });

  it('reads the obsolete RFC 850 date form', () => {
    // Sunday, 06-Nov-94 08:49:37 GMT
    const at = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', at - 5_000)).toBe(5_000);
  });

  it('treats a date in the past as "now", never negative', () => {
    expect(parseRetryAfter(new Date(NOW - 60_000).toUTCString(), NOW)).toBe(0);
  });

  it('returns null for a missing or unreadable value', () => {
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter('', NOW)).toBeNull();
    expect(parseRetryAfter('-5', NOW)).toBeNull();
    expect(parseRetryAfter('1.5', NOW)).toBeNull();
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter('2026', NOW)).toBe(2_026_000);
  });
});

describe('parseRateLimit', () => {
  it('reads the X-RateLimit-* headers with reset as delta seconds', () => {
    const headers = new Headers({ 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': '57', 'X-RateLimit-Reset': '21' });
    expect(parseRateLimit(headers, NOW)).toEqual({ limit: 120, remaining: 57, resetSeconds: 21, resetAt: NOW + 21_000 });
  });

  it('reads the IETF single-header form', () => {
    const headers = new Headers({ RateLimit: 'limit=60, remaining=3, reset=9' });
    expect(parseRateLimit(headers, NOW)).toEqual({ limit: 60, remaining: 3, resetSeconds: 9, resetAt: NOW + 9_000 });
  });

  it('prefers X- headers when both forms are present', () => {
    const headers = new Headers({ RateLimit: 'limit=60, remaining=3, reset=9', 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': '100', 'X-RateLimit-Reset': '30' });
    expect(parseRateLimit(headers, NOW)?.remaining).toBe(100);
  });

  it('returns null when the headers are absent or incomplete', () => {
    expect(parseRateLimit(new Headers(), NOW)).toBeNull();
    expect(parseRateLimit(new Headers({ 'X-RateLimit-Limit': '120' }), NOW)).toBeNull();
    expect(parseRateLimit(new Headers({ RateLimit: 'limit=abc, remaining=1, reset=2' }), NOW)).toBeNull();
  });
});

describe('Retry-After measured on the server clock', () => {
  it('measures an HTTP-date against the response Date, not the browser clock', () => {
    // The browser runs 30 s fast: by its clock the date is 12 s away, by the server's 42 s.
    const serverNow = NOW - 30_000;
    expect(parseRetryAfter(new Date(serverNow + 42_000).toUTCString(), NOW, serverNow)).toBe(42_000);
  });

  it('reads the asctime form as UTC', () => {
    expect(parseRetryAfter('Wed Nov 25 10:00:42 2026', NOW, NOW)).toBe(42_000);
  });

  it('leaves delay-seconds alone whatever the clocks say', () => {
    expect(parseRetryAfter('17', NOW, NOW - 3_600_000)).toBe(17_000);
  });
});

describe('parseServerDate', () => {
  it('reads the Date header of a response as UTC', () => {
    expect(parseServerDate(new Headers({ Date: 'Wed, 25 Nov 2026 10:00:00 GMT' }), NOW)).toBe(Date.UTC(2026, 10, 25, 10, 0, 0));
    expect(parseServerDate(new Headers(), NOW)).toBeNull();
  });
});
