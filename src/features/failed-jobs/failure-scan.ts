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
  /**
   * The catalogue gave up on the last page read (retries spent, or a 401): counting
   * waits, probing once a minute within the budget (a probe waits at the gate for a
   * new key), and `resume()` tries again at once.
   */
  paused: boolean;
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
  /** Reads the next page now (after a pause, or to cut a backoff short). */
  resume: () => void;
}

/** While paused, one probe a minute at most: the fault may pass, or a new key be set, with nobody on the page to click. */
export const PAUSED_PROBE_MS = 60_000;

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
  let state: FailureScanState = { jobs: [], done: false, pages: 0, error: null, paused: false };
  let reading = false;
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
    if (timer !== null) timers.clear(timer);
    timer = timers.set(() => {
      timer = null;
      void readPage();
    }, ms);
  };

  async function readPage() {
    if (stopped || reading || state.done) return;
    reading = true;
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
      set({ jobs: fresh.length > 0 ? [...state.jobs, ...fresh] : state.jobs, pages: state.pages + 1, done, error: null, paused: false });
      if (!done) schedule(nextCountDelay({ now: options.clock(), rateLimit: options.rateLimit() }));
    } catch (error) {
      if (stopped) return;
      failures += 1;
      const decision = retryDecision(error, failures, options.random);
      const budgetGap = nextCountDelay({ now: options.clock(), rateLimit: options.rateLimit() });
      set({ error, paused: !decision.retry });
      schedule(Math.max(decision.retry ? decision.delayMs : PAUSED_PROBE_MS, budgetGap));
    } finally {
      reading = false;
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
    resume() {
      if (stopped || reading || state.done) return;
      if (timer !== null) timers.clear(timer);
      timer = null;
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
