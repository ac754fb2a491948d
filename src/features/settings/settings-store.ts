import { create } from 'zustand';
import { persist } from 'zustand/middleware';

/** How often the screens refetch what they show, in seconds; 0 is off. */
export const REFRESH_CHOICES = [0, 2, 5, 10, 30] as const;
export type RefreshSeconds = (typeof REFRESH_CHOICES)[number];
export const DEFAULT_REFRESH_SECONDS: RefreshSeconds = 10;

export function isRefreshSeconds(value: unknown): value is RefreshSeconds {
  return (REFRESH_CHOICES as readonly unknown[]).includes(value);
}

/** The look: the system's choice (prefers-color-scheme), or one fixed. */
export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return (THEME_CHOICES as readonly unknown[]).includes(value);
}

interface PersistedSettings {
  /** Overrides the build's API base at run time; null means the build's own. */
  apiBaseOverride: string | null;
  refreshSeconds: RefreshSeconds;
  theme: ThemeChoice;
}

interface SettingsState extends PersistedSettings {
  apiBaseChanged(base: string | null): void;
  refreshChanged(seconds: RefreshSeconds): void;
  themeChosen(theme: ThemeChoice): void;
}

export const SETTINGS_VERSION = 3;

/**
 * Reads settings written by any earlier version: version 1 had no refresh
 * setting, version 2 no theme; a value this version does not offer falls back
 * to the default.
 */
export function migrateSettings(persisted: unknown, _version: number): PersistedSettings {
  const stored = (typeof persisted === 'object' && persisted !== null ? persisted : {}) as Record<string, unknown>;
  const base = stored.apiBaseOverride;
  return {
    apiBaseOverride: typeof base === 'string' && base.trim() ? base : null,
    refreshSeconds: isRefreshSeconds(stored.refreshSeconds) ? stored.refreshSeconds : DEFAULT_REFRESH_SECONDS,
    theme: isThemeChoice(stored.theme) ? stored.theme : 'system',
  };
}

const useSettingsStore = create<SettingsState>()(
  persist(
    (set) => ({
      apiBaseOverride: null,
      refreshSeconds: DEFAULT_REFRESH_SECONDS,
      theme: 'system',
      themeChosen: (theme) => set({ theme: isThemeChoice(theme) ? theme : 'system' }),
      apiBaseChanged: (base) => set({ apiBaseOverride: base?.trim() ? base.trim().replace(/\/+$/, '') : null }),
      refreshChanged: (seconds) => set({ refreshSeconds: isRefreshSeconds(seconds) ? seconds : DEFAULT_REFRESH_SECONDS }),
    }),
    {
      name: 'novapulse.settings',
      version: SETTINGS_VERSION,
      migrate: migrateSettings,
      // Also checks the current version's own data: a hand-edited value must not reach the queries.
      merge: (persisted, current) => ({ ...current, ...migrateSettings(persisted, SETTINGS_VERSION) }),
      partialize: (state): PersistedSettings => ({ apiBaseOverride: state.apiBaseOverride, refreshSeconds: state.refreshSeconds, theme: state.theme }),
    },
  ),
);

export const useApiBaseOverride = () => useSettingsStore((state) => state.apiBaseOverride);
export const useRefreshSeconds = () => useSettingsStore((state) => state.refreshSeconds);
export const useThemeChoice = () => useSettingsStore((state) => state.theme);
/** The chosen theme now and on every change (for the document's data-theme, outside React). */
export function watchThemeChoice(listener: (theme: ThemeChoice) => void): () => void {
  listener(useSettingsStore.getState().theme);
  return useSettingsStore.subscribe((state, previous) => {
    if (state.theme !== previous.theme) listener(state.theme);
  });
}
export const settingsEvents = () => useSettingsStore.getState();
