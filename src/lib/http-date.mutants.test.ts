import { parseHttpDate } from './http-date';

// Written against survivors of the mutation run (docs/mutation-testing.md).
// RFC 9110 section 5.6.7: day 01-31, hour 00-23, minute 00-59, second 00-60 (a leap second).

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);

describe('parseHttpDate, at the edges of each field', () => {
  it('takes the first and last day, hour, minute and second', () => {
    expect(parseHttpDate('Tue, 01 Dec 2026 00:00:00 GMT', NOW)).toBe(Date.UTC(2026, 11, 1, 0, 0, 0));
    expect(parseHttpDate('Thu, 31 Dec 2026 23:59:59 GMT', NOW)).toBe(Date.UTC(2026, 11, 31, 23, 59, 59));
  });

  it('reads a leap second as the last second of its minute', () => {
    expect(parseHttpDate('Wed, 31 Dec 2026 23:59:60 GMT', NOW)).toBe(Date.UTC(2026, 11, 31, 23, 59, 59));
  });

  it('refuses day 0 and 32, hour 24, minute 60 and second 61', () => {
    for (const text of [
      'Sun, 00 Nov 2026 10:00:00 GMT',
      'Sun, 32 Dec 2026 10:00:00 GMT',
      'Sun, 25 Nov 2026 24:00:00 GMT',
      'Sun, 25 Nov 2026 10:60:00 GMT',
      'Sun, 25 Nov 2026 10:00:61 GMT',
    ]) {
      expect(parseHttpDate(text, NOW), text).toBeNull();
    }
  });

  it('knows every month by its three letters', () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const firsts = months.map((month) => parseHttpDate(`Mon, 01 ${month} 2024 00:00:00 GMT`, NOW));
    expect(firsts).toEqual([
      Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1), Date.UTC(2024, 3, 1), Date.UTC(2024, 4, 1), Date.UTC(2024, 5, 1),
      Date.UTC(2024, 6, 1), Date.UTC(2024, 7, 1), Date.UTC(2024, 8, 1), Date.UTC(2024, 9, 1), Date.UTC(2024, 10, 1), Date.UTC(2024, 11, 1),
    ]);
  });

  it('places an RFC 850 year exactly 50 years ahead in this century, and one more in the last', () => {
    expect(parseHttpDate('Wednesday, 25-Nov-76 10:00:00 GMT', NOW)).toBe(Date.UTC(2076, 10, 25, 10, 0, 0));
    expect(parseHttpDate('Thursday, 25-Nov-77 10:00:00 GMT', NOW)).toBe(Date.UTC(1977, 10, 25, 10, 0, 0));
  });

  it('ignores spaces around the value', () => {
    expect(parseHttpDate('  Wed, 25 Nov 2026 10:00:00 GMT \t', NOW)).toBe(NOW);
  });
});
