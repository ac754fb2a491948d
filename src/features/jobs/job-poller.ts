import { type ApiError, isApiError } from '../../api/api-error';
import type { ApiClient } from '../../api/client';
import { fetchJob } from '../../api/endpoints/get-job';
import { fetchJobs, MAX_IDS_PER_REQUEST } from '../../api/endpoints/list-jobs';
import type { RateLimitInfo } from '../../api/headers';
import { isActiveStatus, type Job } from '../../api/schemas';
import type { Clock, RandomSource } from '../../lib/random';
import { reportConsumerError } from '../../lib/report-error';
import { failedPollDelay, nextPollDelay } from './poll-schedule';

export interface JobPollerDeps {
  client: ApiClient;
  clock: Clock;
  latestRateLimit: () => RateLimitInfo | null;
  /** The jitter of the backoff after a failed poll; Math.random when omitted. */
  random?: RandomSource;
  /** Polling pauses while this is true (a hidden tab). */
  isPaused?: () => boolean;
  onJobs?: (jobs: Job[]) => void;
  /** A tracked job reached completed or failed. */
  onSettled?: (job: Job) => void;
  /** A tracked job is gone (job_not_found): polling it stops. */
  onUnknown?: (jobId: string) => void;
  timers?: { set: (fn: () => void, ms: number) => unknown; clear: (handle: unknown) => void };
  /** Where a throwing consumer's error goes; the poll's own bookkeeping goes on regardless. Defaults to `reportError`. */
  reportError?: (error: unknown) => void;
}

export interface JobPoller {
  /** `since`: when the job started to matter (its creation, for a job seen in a list); now when omitted. */
  track(jobId: string, since?: number): void;
  untrack(jobId: string): void;
  tracked(): string[];
  start(): () => void;
  /** Resume after a pause (the tab became visible again). */
  resume(): void;
  /** Polls once now; resolves when the batch is done. */
  pollNow(): Promise<void>;
}

/**
 * Lookups of missing jobs per pass: a key for another account misses every
 * tracked job at once, and a lookup each would spend the rate limit in one go.
 * The rest stay tracked and are looked up on the next passes.
 */
export const MAX_LOOKUPS_PER_PASS = 10;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

async function attempt<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (isApiError(error)) return { ok: false, error };
    throw error;
  }
}

function isJobNotFound(error: ApiError): boolean {
  return error.status === 404 && error.code === 'job_not_found';
}

/**
 * Keeps active jobs fresh with one `GET /v1/jobs?ids=` per 100 jobs per tick,
 * on an interval that stretches as the rate limit runs low. A failed poll
 * backs off per the catalogue, and the requests of a pass go one at a time,
 * so the pass after a failure is a single probe until the service answers.
 */
export function createJobPoller(deps: JobPollerDeps): JobPoller {
  const timers = deps.timers ?? { set: (fn, ms) => setTimeout(fn, ms), clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>) };
  const random = deps.random ?? Math.random;
  const tracked = new Map<string, number>();
  let timer: unknown = null;
  let running = false;
  let polling = false;
  /** Failed polls in a row; 0 while the service answers. */
  let failures = 0;
  /** The wait chosen after the last failed poll; null on the normal schedule. */
  let backoffMs: number | null = null;

  function schedule() {
    if (!running || tracked.size === 0 || timer !== null || polling) return;
    const youngest = Math.max(...tracked.values());
    const delay = backoffMs ?? nextDelay(youngest);
    timer = timers.set(() => {
      timer = null;
      if (deps.isPaused?.()) return;
      void pollNow();
    }, delay);
  }

  function nextDelay(youngest: number) {
    const requestsPerPass = Math.ceil(tracked.size / MAX_IDS_PER_REQUEST);
    return nextPollDelay({ now: deps.clock(), youngestTrackedAt: youngest, rateLimit: deps.latestRateLimit(), requestsPerPass });
  }

  const report = deps.reportError ?? reportConsumerError;

  /** Hands fresh jobs to the consumer; a consumer that throws is reported and never stops the settling after it. */
  function deliver(jobs: Job[]) {
    try {
      deps.onJobs?.(jobs);
    } catch (error) {
      report(error);
    }
  }

  function settle(job: Job) {
    if (!tracked.has(job.id) || isActiveStatus(job.status)) return;
    tracked.delete(job.id);
    try {
      deps.onSettled?.(job);
    } catch (error) {
      report(error);
    }
  }

  /** True when the failure means the service is struggling: the next poll waits the catalogue's delay. */
  function backOff(error: ApiError): boolean {
    const delay = failedPollDelay(error, failures + 1, random);
    // Not helped by waiting (a 401 closes the gate, a 403 or 400 stays): the schedule stays as it is.
    if (delay === null) return false;
    failures += 1;
    backoffMs = delay;
    return true;
  }

  /**
   * A job missing from a list answer is confirmed before it is given up: only
   * job_not_found says it is gone. False when the pass must stop and back off.
   */
  async function confirm(id: string): Promise<boolean> {
    const answer = await attempt(() => fetchJob(deps.client, id));
    if (answer.ok) {
      deliver([answer.value]);
      settle(answer.value);
      return true;
    }
    if (isJobNotFound(answer.error)) {
      if (tracked.delete(id)) deps.onUnknown?.(id);
      return true;
    }
    return !backOff(answer.error);
  }

  async function pass(): Promise<void> {
    const ids = [...tracked.keys()];
    let lookups = 0;
    for (let start = 0; start < ids.length; start += MAX_IDS_PER_REQUEST) {
      const chunk = ids.slice(start, start + MAX_IDS_PER_REQUEST);
      const answer = await attempt(() => fetchJobs(deps.client, { ids: chunk, limit: MAX_IDS_PER_REQUEST }));
      if (!answer.ok) {
        // One request at a time: after a failure the rest of the pass waits for the next, single probe.
        backOff(answer.error);
        return;
      }
      failures = 0;
      backoffMs = null;
      const jobs = answer.value.data;
      deliver(jobs);
      for (const job of jobs) settle(job);
      const seen = new Set(jobs.map((job) => job.id));
      for (const id of chunk) {
        if (seen.has(id) || !tracked.has(id) || lookups >= MAX_LOOKUPS_PER_PASS) continue;
        lookups += 1;
        if (!(await confirm(id))) return;
      }
    }
  }

  async function pollNow() {
    if (polling || tracked.size === 0) return;
    polling = true;
    try {
      await pass();
    } finally {
      polling = false;
      schedule();
    }
  }

  return {
    track(jobId, since) {
      if (!tracked.has(jobId)) tracked.set(jobId, Math.min(since ?? Number.POSITIVE_INFINITY, deps.clock()));
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
