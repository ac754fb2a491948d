import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { type Clock, systemClock } from '../../lib/random';
import { isRefreshSeconds, REFRESH_CHOICES, settingsEvents, useRefreshSeconds } from './settings-store';

/** Whole seconds since the newest data any shown query holds; null when none has data. */
export function secondsSinceUpdate(updatedAt: number, now: number): number | null {
  if (updatedAt <= 0) return null;
  return Math.max(0, Math.floor((now - updatedAt) / 1000));
}

function useNewestShownUpdate(): number {
  const queryClient = useQueryClient();
  const cache = queryClient.getQueryCache();
  const read = () => {
    let newest = 0;
    for (const query of cache.getAll()) {
      if (query.getObserversCount() > 0 && query.state.dataUpdatedAt > newest) newest = query.state.dataUpdatedAt;
    }
    return newest;
  };
  return useSyncExternalStore((listener) => cache.subscribe(listener), read, read);
}

/** The screens' refresh interval (a persisted setting) with how long ago what they show was fetched. */
export function RefreshControl({ clock = systemClock }: { clock?: Clock }) {
  const seconds = useRefreshSeconds();
  const updatedAt = useNewestShownUpdate();
  const [now, setNow] = useState(clock);
  useEffect(() => {
    setNow(clock());
    const timer = setInterval(() => setNow(clock()), 1000);
    return () => clearInterval(timer);
  }, [clock]);
  const ago = secondsSinceUpdate(updatedAt, Math.max(now, updatedAt));
  return (
    <div className="flex items-center gap-2 text-xs text-slate-700">
      <label className="flex items-center gap-1 font-medium">
        Refresh
        <select
          className="rounded border border-slate-300 bg-white px-1 py-0.5 text-xs"
          value={seconds}
          onChange={(event) => {
            const value = Number(event.target.value);
            if (isRefreshSeconds(value)) settingsEvents().refreshChanged(value);
          }}
        >
          {REFRESH_CHOICES.map((choice) => (
            <option key={choice} value={choice}>
              {choice === 0 ? 'Off' : `Every ${choice} s`}
            </option>
          ))}
        </select>
      </label>
      <span className="tabular-nums" role="status" aria-live="off">
        {ago === null ? 'not updated yet' : `updated ${ago} s ago`}
      </span>
    </div>
  );
}
