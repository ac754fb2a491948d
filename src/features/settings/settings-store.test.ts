import { secondsSinceUpdate } from './refresh-control';
import { DEFAULT_REFRESH_SECONDS, migrateSettings } from './settings-store';
import { resolvedTheme } from './theme';

describe('migrateSettings', () => {
  it('gives version 1 settings (no refresh setting) the default interval and keeps their endpoint', () => {
    expect(migrateSettings({ apiBaseOverride: 'https://api.example' }, 1)).toEqual({ apiBaseOverride: 'https://api.example', refreshSeconds: DEFAULT_REFRESH_SECONDS, theme: 'system' });
  });

  it('keeps an offered interval, off included, and replaces one not offered', () => {
    expect(migrateSettings({ apiBaseOverride: null, refreshSeconds: 0 }, 2).refreshSeconds).toBe(0);
    expect(migrateSettings({ apiBaseOverride: null, refreshSeconds: 30 }, 2).refreshSeconds).toBe(30);
    expect(migrateSettings({ apiBaseOverride: null, refreshSeconds: 1 }, 2).refreshSeconds).toBe(DEFAULT_REFRESH_SECONDS);
    expect(migrateSettings({ refreshSeconds: '5' }, 2).refreshSeconds).toBe(DEFAULT_REFRESH_SECONDS);
  });

  it('reads garbage as the defaults', () => {
    expect(migrateSettings(null, 1)).toEqual({ apiBaseOverride: null, refreshSeconds: DEFAULT_REFRESH_SECONDS, theme: 'system' });
    expect(migrateSettings({ apiBaseOverride: 42 }, 1).apiBaseOverride).toBeNull();
  });
});

describe('theme setting (version 3)', () => {
  it('gives version 2 settings the system theme and keeps what they held', () => {
    expect(migrateSettings({ apiBaseOverride: null, refreshSeconds: 5 }, 2)).toEqual({ apiBaseOverride: null, refreshSeconds: 5, theme: 'system' });
  });

  it('keeps a chosen theme and replaces one not offered', () => {
    expect(migrateSettings({ theme: 'dark' }, 3).theme).toBe('dark');
    expect(migrateSettings({ theme: 'light' }, 3).theme).toBe('light');
    expect(migrateSettings({ theme: 'solarized' }, 3).theme).toBe('system');
  });
});

describe('resolvedTheme', () => {
  it('follows the system only while the choice is "system"', () => {
    expect(resolvedTheme('system', true)).toBe('dark');
    expect(resolvedTheme('system', false)).toBe('light');
    expect(resolvedTheme('light', true)).toBe('light');
    expect(resolvedTheme('dark', false)).toBe('dark');
  });
});

describe('secondsSinceUpdate', () => {
  it('counts whole seconds since the newest data, and nothing before any', () => {
    expect(secondsSinceUpdate(0, 5_000)).toBeNull();
    expect(secondsSinceUpdate(10_000, 10_999)).toBe(0);
    expect(secondsSinceUpdate(10_000, 13_000)).toBe(3);
  });
});
