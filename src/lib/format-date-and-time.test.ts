import { describe, expect, it } from 'vitest';
import { formatDateAndTime } from './format';

describe('formatDateAndTime', () => {
  it('gives the date and the time apart, so a column can break between them', () => {
    const { date, time } = formatDateAndTime('2026-11-25T10:00:00Z');
    expect(date).toMatch(/2026/);
    expect(date).not.toMatch(/\d:\d\d/);
    expect(time).toMatch(/\d:\d\d/);
    expect(time).not.toMatch(/2026/);
  });

  it('keeps what is not a date as it came, with no time', () => {
    expect(formatDateAndTime('not a date')).toEqual({ date: 'not a date', time: '' });
  });
});
