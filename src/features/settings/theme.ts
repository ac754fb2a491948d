import { type ThemeChoice, watchThemeChoice } from './settings-store';

/** The theme shown for a choice: the system's preference decides "system". Pure. */
export function resolvedTheme(choice: ThemeChoice, systemPrefersDark: boolean): 'light' | 'dark' {
  return choice === 'system' ? (systemPrefersDark ? 'dark' : 'light') : choice;
}

/**
 * Keeps `root`'s data-theme on the chosen theme, following the system's preference live while the choice is
 * "system". Called once at start-up, before the first render, so the first paint is already in the right theme.
 */
export function applyThemeTo(root: HTMLElement, media: Pick<MediaQueryList, 'matches' | 'addEventListener' | 'removeEventListener'> | null): () => void {
  let choice: ThemeChoice = 'system';
  const apply = () => {
    root.dataset.theme = resolvedTheme(choice, media?.matches ?? false);
  };
  const stopWatching = watchThemeChoice((next) => {
    choice = next;
    apply();
  });
  media?.addEventListener('change', apply);
  return () => {
    stopWatching();
    media?.removeEventListener('change', apply);
  };
}
