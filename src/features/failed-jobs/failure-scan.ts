import type { RateLimitInfo } from '../../api/headers';
import type { Job } from '../../api/schemas';
import { retryDecision } from '../../errors/retry-decision';
import type { Clock, RandomSource } from '../../lib/random';
import { nextCountDelay } from './count-schedule';

export interface ScanPage {
  data: Job[];
  next_cursor: string | null;
}

export interface FailureScanState {
  /** Failures read so far, newest first, all created at or after the range start. */
  jobs: readonly Job[];
  /** Every page of the range has been read: `jobs.length` is then the true total. */
  done: boolean;
  pages: number;
  error: unknown;
}

export interface FailureScanOptions {
  fetchPage: (cursor: string | null, signal: AbortSignal) => Promise<ScanPage>;
  rangeStart: number;
  clock: Clock;
  random: RandomSource;
  rateLimit: () => RateLimitInfo | null;
  timers?: { set: (fn: () => void, ms: number) => unknown; clear: (handle: unknown) => void };
}

export interface FailureScan {
  getState: () => FailureScanState;
  subscribe: (listener: () => void) => () => void;
  start: () => void;
  stop: () => void;
}

const defaultTimers = {
  set: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clear: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Reads every failed job of the range, page by page (newest first), in the
 * background: the API has no count endpoint, so the true count is the number
 * read once the pages run out or reach the range start.
 */
export function createFailureScan(options: FailureScanOptions): FailureScan {
  const timers = options.timers ?? defaultTimers;
  let state: FailureScanState = { jobs: [], done: false, pages: 0, error: null };
  const listeners = new Set<() => void>();
  let controller: AbortController | null = null;
  let timer: unknown = null;
  let stopped = false;
  let cursor: string | null = null;
  let failures = 0;
  const seen = new Set<string>();

  const set = (next: Partial<FailureScanState>) => {
    state = { ...state, ...next };
    for (const listener of [...listeners]) listener();
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = timers.set(() => {
      timer = null;
      void readPage();
    }, ms);
  };

  async function readPage() {
    if (stopped) return;
    controller = new AbortController();
    try {
      const page = await options.fetchPage(cursor, controller.signal);
      if (stopped) return;
      failures = 0;
      const fresh: Job[] = [];
      let reachedStart = false;
      for (const job of page.data) {
        if (Date.parse(job.created_at) < options.rangeStart) {
          reachedStart = true;
          continue;
        }
        // A job that failed between two pages may shift the cursor's order; never count one twice.
        if (seen.has(job.id)) continue;
        seen.add(job.id);
        fresh.push(job);
      }
      cursor = page.next_cursor;
      const done = reachedStart || cursor === null;
      set({ jobs: fresh.length > 0 ? [...state.jobs, ...fresh] : state.jobs, pages: state.pages + 1, done, error: null });
      if (!done) schedule(nextCountDelay({ now: options.clock(), rateLimit: options.rateLimit() }));
    } catch (error) {
      if (stopped) return;
      failures += 1;
      const decision = retryDecision(error, failures, options.random);
      set({ error });
      if (decision.retry) schedule(Math.max(decision.delayMs, nextCountDelay({ now: options.clock(), rateLimit: options.rateLimit() })));
    }
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      stopped = false;
      void readPage();
    },
    stop() {
      stopped = true;
      if (timer !== null) timers.clear(timer);
      timer = null;
      controller?.abort();
    },
  };
}
