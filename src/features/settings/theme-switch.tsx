import { settingsEvents, THEME_CHOICES, type ThemeChoice, useThemeChoice } from './settings-store';

const LABELS: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** The header's theme switch: follows the system until the person picks one, and the pick persists. */
export function ThemeSwitch() {
  const theme = useThemeChoice();
  return (
    <label className="flex items-center gap-1.5 text-sm text-slate-300">
      Theme
      <select
        className="rounded-md bg-slate-800 px-1.5 py-1 text-sm text-white ring-1 ring-slate-600 focus-visible:outline-2 focus-visible:outline-white"
        value={theme}
        onChange={(event) => settingsEvents().themeChosen(event.target.value as ThemeChoice)}
      >
        {THEME_CHOICES.map((choice) => (
          <option key={choice} value={choice}>
            {LABELS[choice]}
          </option>
        ))}
      </select>
    </label>
  );
}
