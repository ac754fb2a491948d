import { formatBytes, formatDateTime, formatDuration } from './format';

// Written against survivors of the mutation run (docs/mutation-testing.md).

describe('formatBytes', () => {
  it('shows bytes below 1 KB, then KB, MB and GB at each 1024 boundary', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KB');
    expect(formatBytes(1024 * 1024 - 1)).toBe('1024 KB');
    expect(formatBytes(1024 * 1024)).toBe('1.0 MB');
    expect(formatBytes(524_288_000)).toBe('500 MB');
    expect(formatBytes(1024 ** 3)).toBe('1.0 GB');
  });

  it('keeps one decimal below 100 and none from 100 up, and stops at GB', () => {
    expect(formatBytes(99.5 * 1024)).toBe('99.5 KB');
    expect(formatBytes(100 * 1024)).toBe('100 KB');
    expect(formatBytes(2 * 1024 ** 4)).toBe('2048 GB');
  });
});

describe('formatDuration', () => {
  it('shows seconds, minutes with padded seconds, hours with padded minutes', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59.4)).toBe('59 s');
    expect(formatDuration(61)).toBe('1 min 01 s');
    expect(formatDuration(312.5)).toBe('5 min 13 s');
    expect(formatDuration(3599)).toBe('59 min 59 s');
    expect(formatDuration(3600)).toBe('1 h 00 min');
    expect(formatDuration(2 * 3600 + 7 * 60 + 30)).toBe('2 h 07 min');
  });

  it('never shows a negative time', () => {
    expect(formatDuration(-5)).toBe('0 s');
  });
});

describe('formatDateTime', () => {
  it('shows a readable date and time to the minute, and an unreadable value as it came', () => {
    const shown = formatDateTime('2026-11-25T12:00:00Z');
    expect(shown).toContain('2026');
    expect(shown).toMatch(/Nov/);
    expect(shown).not.toMatch(/\d:\d\d:\d\d/);
    expect(formatDateTime('not a date')).toBe('not a date');
  });
});
