import { isApiError } from '../../api/api-error';
import type { ApiClient } from '../../api/client';
import type { RateLimitInfo } from '../../api/headers';
import { fetchJobs, MAX_IDS_PER_REQUEST } from '../../api/endpoints/list-jobs';
import { isActiveStatus, type Job } from '../../api/schemas';
import type { Clock } from '../../lib/random';
import { nextPollDelay } from './poll-schedule';

export interface JobPollerDeps {
  client: ApiClient;
  clock: Clock;
  latestRateLimit: () => RateLimitInfo | null;
  /** Polling pauses while this is true (a hidden tab). */
  isPaused?: () => boolean;
  onJobs?: (jobs: Job[]) => void;
  /** A tracked job reached completed or failed. */
  onSettled?: (job: Job) => void;
  /** A tracked job is gone (job_not_found): polling it stops. */
  onUnknown?: (jobId: string) => void;
  timers?: { set: (fn: () => void, ms: number) => unknown; clear: (handle: unknown) => void };
}

export interface JobPoller {
  track(jobId: string): void;
  untrack(jobId: string): void;
  tracked(): string[];
  start(): () => void;
  /** Resume after a pause (the tab became visible again). */
  resume(): void;
  /** Polls once now; resolves when the batch is done. */
  pollNow(): Promise<void>;
}

/**
 * Keeps active jobs fresh with one `GET /v1/jobs?ids=` per 100 jobs per tick,
 * on an interval that stretches as the rate limit runs low.
 */
export function createJobPoller(deps: JobPollerDeps): JobPoller {
  const timers = deps.timers ?? { set: (fn, ms) => setTimeout(fn, ms), clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>) };
  const tracked = new Map<string, number>();
  let timer: unknown = null;
  let running = false;
  let polling = false;

  function schedule() {
    if (!running || tracked.size === 0 || timer !== null || polling) return;
    const youngest = Math.max(...tracked.values());
    const delay = nextPollDelay({ now: deps.clock(), youngestTrackedAt: youngest, rateLimit: deps.latestRateLimit() });
    timer = timers.set(() => {
      timer = null;
      if (deps.isPaused?.()) return;
      void pollNow();
    }, delay);
  }

  async function pollNow() {
    if (polling || tracked.size === 0) return;
    polling = true;
    try {
      const ids = [...tracked.keys()];
      for (let start = 0; start < ids.length; start += MAX_IDS_PER_REQUEST) {
        const chunk = ids.slice(start, start + MAX_IDS_PER_REQUEST);
        let jobs: Job[];
        try {
          jobs = (await fetchJobs(deps.client, { ids: chunk, limit: MAX_IDS_PER_REQUEST })).data;
        } catch (error) {
          // A failed poll is retried on the next tick; the gate already holds for Retry-After or a new key.
          if (isApiError(error)) continue;
          throw error;
        }
        deps.onJobs?.(jobs);
        const seen = new Set(jobs.map((job) => job.id));
        for (const job of jobs) {
          if (!isActiveStatus(job.status)) {
            tracked.delete(job.id);
            deps.onSettled?.(job);
          }
        }
        for (const id of chunk) {
          if (!seen.has(id)) {
            tracked.delete(id);
            deps.onUnknown?.(id);
          }
        }
      }
    } finally {
      polling = false;
      schedule();
    }
  }

  return {
    track(jobId) {
      if (!tracked.has(jobId)) tracked.set(jobId, deps.clock());
      schedule();
    },
    untrack(jobId) {
      tracked.delete(jobId);
    },
    tracked: () => [...tracked.keys()],
    start() {
      running = true;
      schedule();
      return () => {
        running = false;
        if (timer !== null) timers.clear(timer);
        timer = null;
      };
    },
    resume() {
      if (timer === null) schedule();
    },
    pollNow,
  };
}
