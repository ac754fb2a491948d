import { reportConsumerError } from './report-error';

/** Runs a task once the main thread is idle; the platform's idle callback in a browser. */
export type ScheduleIdle = (task: () => void) => void;

/** The name of the performance mark set when the deferred work starts (the browser benchmark reads it). */
export const FIRST_SCREEN_IDLE_MARK = 'novapulse:first-screen-idle';

/**
 * The browser's idle callback, bounded by `timeoutMs` so a page that is never idle (a busy tab) still gets its
 * deferred work; a plain timer where there is none (jsdom, old Safari).
 */
export function browserIdle(timeoutMs: number): ScheduleIdle {
  return (task) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => task(), { timeout: timeoutMs });
    else setTimeout(task, 0);
  };
}

export interface FirstScreenIdle {
  /** The first screen is on the page: deferred work waits for the next idle moment, then runs. Once; later calls do nothing. */
  firstScreenShown(): void;
  /** Runs `task` at that idle moment, or at once when it has passed. Returns a cancel for a task not yet run. */
  afterIdle(task: () => void): () => void;
  isIdle(): boolean;
  /** For React's useSyncExternalStore: told once, when the idle moment comes. */
  subscribe(listener: () => void): () => void;
}

/**
 * Holds back what the first screen does not need (the hasher, the Overview's 24-hour panel, the request log's
 * history...) until the first screen has been drawn and the main thread has nothing else to do, so none of it
 * competes with the first screen for the network or the main thread. It still loads while the page is freshly
 * online: a module fetched later, offline, would fail.
 */
export function createFirstScreenIdle(options: { scheduleIdle: ScheduleIdle; mark?: (name: string) => void }): FirstScreenIdle {
  let shown = false;
  let idle = false;
  const waiting = new Set<() => void>();
  const listeners = new Set<() => void>();
  return {
    firstScreenShown() {
      if (shown) return;
      shown = true;
      options.scheduleIdle(() => {
        idle = true;
        options.mark?.(FIRST_SCREEN_IDLE_MARK);
        const tasks = [...waiting];
        waiting.clear();
        // One failing task must not keep the others (or the listeners) from running.
        for (const run of [...tasks, ...listeners]) {
          try {
            run();
          } catch (error) {
            reportConsumerError(error);
          }
        }
      });
    },
    afterIdle(task) {
      if (idle) {
        task();
        return () => {};
      }
      const entry = () => task();
      waiting.add(entry);
      return () => waiting.delete(entry);
    },
    isIdle: () => idle,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The page's one instance: the layout says when the first screen is shown; deferred work asks `afterIdle`. */
export const firstScreenIdle = createFirstScreenIdle({
  scheduleIdle: browserIdle(2_000),
  mark: (name) => {
    if (typeof performance !== 'undefined' && typeof performance.mark === 'function') performance.mark(name);
  },
});
