import { useEffect } from 'react';
import { useLatestRateLimitReader } from './api-client-context';
import { backgroundGap } from './background-budget';

/**
 * Calls `refresh` every `intervalMs` (the person's refresh setting; false: never), stretched so this consumer spends
 * at most `share` of the background budget (`backgroundGap`). The next wait is chosen when a refresh ends, so a
 * screen re-rendering by the second (the poll patches its rows) never restarts the clock, as a changing
 * `refetchInterval` would. The first refresh comes one interval after `lastUpdatedAt`; paused while the tab is hidden.
 */
export function useBackgroundRefresh(refresh: () => Promise<unknown>, intervalMs: number | false, share: number, lastUpdatedAt: number) {
  const latestRateLimit = useLatestRateLimitReader();
  // biome-ignore lint/correctness/useExhaustiveDependencies: lastUpdatedAt only places the first refresh; a refresh's own answer must not restart the clock.
  useEffect(() => {
    if (intervalMs === false) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const wait = (fromNow: number) => Math.max(fromNow, backgroundGap({ now: Date.now(), rateLimit: latestRateLimit(), share }));
    const tick = async () => {
      if (typeof document === 'undefined' || document.visibilityState !== 'hidden') await refresh().catch(() => undefined);
      if (!stopped) timer = setTimeout(tick, wait(intervalMs));
    };
    timer = setTimeout(tick, wait(Math.max(0, lastUpdatedAt + intervalMs - Date.now())));
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [refresh, intervalMs, share, latestRateLimit]);
}
