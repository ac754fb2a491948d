import { parseHttpDate } from './http-date';

// RFC 9110's own example instant, in its three forms: 1994-11-06T08:49:37Z.
const RFC_EXAMPLE_MS = 784_111_777_000;
const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);

describe('parseHttpDate', () => {
  const originalTz = process.env.TZ;
  // A zone far from UTC, so that reading a date as local time shows.
  beforeAll(() => {
    process.env.TZ = 'America/New_York';
  });
  afterAll(() => {
    process.env.TZ = originalTz;
  });

  it('reads the IMF-fixdate form as UTC', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(RFC_EXAMPLE_MS);
  });

  it('reads the obsolete RFC 850 form as UTC, its two-digit year in the right century', () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(RFC_EXAMPLE_MS);
    expect(parseHttpDate('Wednesday, 25-Nov-26 10:00:42 GMT', NOW)).toBe(NOW + 42_000);
  });

  it('reads the obsolete asctime form as UTC, not as local time', () => {
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994', NOW)).toBe(RFC_EXAMPLE_MS);
    expect(parseHttpDate('Wed Nov 25 10:00:42 2026', NOW)).toBe(NOW + 42_000);
  });

  it('refuses what is not an HTTP-date', () => {
    for (const text of ['', 'soon', '2026-11-25T10:00:00Z', 'Sun, 06 Nov 1994 08:49:37 PST', 'Sun, 31 Feb 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 25:49:37 GMT', '42']) {
      expect(parseHttpDate(text, NOW), text).toBeNull();
    }
  });
});
