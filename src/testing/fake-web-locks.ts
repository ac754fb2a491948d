import { type CrossTabLock, webLocks } from '../lib/cross-tab-lock';

/**
 * Web Locks as an origin holds them for all its tabs: one manager, shared by
 * every fake tab. A waiting task gets the lock on a later macrotask, as in a
 * browser, so the tabs' other work interleaves. `overlaps` counts any moment
 * two tasks held the same name (it must stay 0).
 */
export function createFakeLockManager() {
  const held = new Set<string>();
  const running = new Map<string, number>();
  const waiting = new Map<string, (() => void)[]>();
  let overlaps = 0;
  const manager = {
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const run = () => {
          const now = (running.get(name) ?? 0) + 1;
          running.set(name, now);
          if (now > 1) overlaps += 1;
          Promise.resolve()
            .then(callback)
            .then(resolve, reject)
            .finally(() => {
              running.set(name, (running.get(name) ?? 1) - 1);
              // Handed straight to the next waiter: the lock is never free in between.
              const next = waiting.get(name)?.shift();
              if (next) setTimeout(next, 0);
              else held.delete(name);
            });
        };
        if (held.has(name)) waiting.set(name, [...(waiting.get(name) ?? []), run]);
        else {
          held.add(name);
          setTimeout(run, 0);
        }
      });
    },
  };
  return {
    /** The lock as one tab sees it (every tab of the origin shares the manager). */
    tab: (): CrossTabLock => webLocks(manager),
    overlaps: () => overlaps,
  };
}

/** A lock that holds nothing: what the console had before the ledger, for showing what the lock prevents. */
export const noLock: CrossTabLock = { run: (_name, task) => task() };

/** BroadcastChannel between fake tabs: a post reaches every other tab's listeners. */
export function createFakeChannelBus() {
  const tabs = new Set<{ listeners: Set<() => void> }>();
  return () => {
    const self = { listeners: new Set<() => void>() };
    tabs.add(self);
    return {
      post: () => {
        for (const tab of tabs) if (tab !== self) for (const listener of tab.listeners) setTimeout(listener, 0);
      },
      listen: (onChange: () => void) => {
        self.listeners.add(onChange);
        return () => self.listeners.delete(onChange);
      },
    };
  };
}
