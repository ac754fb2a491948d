import { parseHttpDate } from './http-date';

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

describe('HTTP-date fields', () => {
  it('reads every month by its RFC 9110 name, in all three forms', () => {
    MONTHS.forEach((month, index) => {
      const expected = Date.UTC(2026, index, 5, 7, 8, 9);
      expect(parseHttpDate(`Mon, 05 ${month} 2026 07:08:09 GMT`, NOW), month).toBe(expected);
      expect(parseHttpDate(`Monday, 05-${month}-26 07:08:09 GMT`, NOW), month).toBe(expected);
      expect(parseHttpDate(`Mon ${month}  5 07:08:09 2026`, NOW), month).toBe(expected);
    });
  });

  it('refuses a minute or a second out of range, and reads a leap second as the last second of its minute', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:60:00 GMT', NOW)).toBeNull();
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:61 GMT', NOW)).toBeNull();
    expect(parseHttpDate('Sun, 06 Nov 1994 23:59:60 GMT', NOW)).toBe(Date.UTC(1994, 10, 6, 23, 59, 59));
  });
});
