import { create } from 'zustand';
import { persist } from 'zustand/middleware';

interface SettingsState {
  /** Overrides the build's API base at run time; null means the build's own. */
  apiBaseOverride: string | null;
  apiBaseChanged(base: string | null): void;
}

const useSettingsStore = create<SettingsState>()(
  persist(
    (set) => ({
      apiBaseOverride: null,
      apiBaseChanged: (base) => set({ apiBaseOverride: base?.trim() ? base.trim().replace(/\/+$/, '') : null }),
    }),
    {
      name: 'novapulse.settings',
      version: 1,
      migrate: (persisted) => persisted as SettingsState,
      partialize: (state) => ({ apiBaseOverride: state.apiBaseOverride }),
    },
  ),
);

export const useApiBaseOverride = () => useSettingsStore((state) => state.apiBaseOverride);
export const settingsEvents = () => useSettingsStore.getState();
