import { ApiError } from '../../api/api-error';
import type { ApiClient, ApiRequest } from '../../api/client';
import { createBlindPacer } from '../../api/hidden-headers';
import type { Job } from '../../api/schemas';
import { createJobPoller, MAX_LOOKUPS_PER_PASS } from './job-poller';

// Written against survivors of the mutation run (docs/mutation-testing.md).
// The poller over a scripted client and hand-driven timers: which requests a
// pass sends, and when the next pass is set to go (decisions.md, Polling).

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);

const job = (id: string, status: Job['status'] = 'processing'): Job => ({
  id,
  status,
  pipeline: 'transcription',
  language: 'en-US',
  file: { name: `${id}.mp3`, size_bytes: 1, content_type: 'audio/mpeg', sha256: 'f'.repeat(64) },
  metadata: {},
  created_at: '2026-11-25T10:00:00Z',
  updated_at: '2026-11-25T10:00:00Z',
});

type Answer = (request: ApiRequest) => unknown;

function harness(answer: Answer) {
  let now = NOW;
  const requests: ApiRequest[] = [];
  const client = {
    baseUrl: '',
    gate: null as never,
    serverTimeOffsetMs: () => 0,
    pacer: createBlindPacer(),
    async request<T>(request: ApiRequest): Promise<T> {
      requests.push(request);
      const result = answer(request);
      if (result instanceof Error) throw result;
      return result as T;
    },
  } as ApiClient;
  const timers: { fn: () => void; ms: number; handle: number }[] = [];
  let nextHandle = 0;
  const settled: string[] = [];
  const unknown: string[] = [];
  const seen: string[][] = [];
  let paused = false;
  const poller = createJobPoller({
    client,
    clock: () => now,
    latestRateLimit: () => null,
    random: () => 0.5,
    isPaused: () => paused,
    onJobs: (jobs) => seen.push(jobs.map((entry) => entry.id)),
    onSettled: (entry) => settled.push(entry.id),
    onUnknown: (id) => unknown.push(id),
    timers: {
      set: (fn, ms) => {
        timers.push({ fn, ms, handle: ++nextHandle });
        return nextHandle;
      },
      clear: (handle) => {
        const index = timers.findIndex((timer) => timer.handle === handle);
        if (index >= 0) timers.splice(index, 1);
      },
    },
  });
  return {
    poller,
    requests,
    timers,
    settled,
    unknown,
    seen,
    advance: (ms: number) => (now += ms),
    pause: (value: boolean) => (paused = value),
    /** Runs the one armed timer and waits for the pass it starts. */
    async fire() {
      const timer = timers.shift();
      if (!timer) throw new Error('no timer armed');
      timer.fn();
      for (let i = 0; i < 20; i++) await Promise.resolve();
    },
  };
}

const listOf = (jobs: Job[]) => ({ data: jobs, next_cursor: null });
const apiError = (code: string, status: number | null, retryAfterMs: number | null = null) =>
  new ApiError({ kind: status === null ? 'network' : 'envelope', code, status, message: code, retryAfterMs });

describe('job poller scheduling', () => {
  it('arms nothing before start, nor with nothing tracked, and one timer at 2 s for a new job', () => {
    const h = harness(() => listOf([]));
    h.poller.track('job_a');
    expect(h.timers).toHaveLength(0);
    const stop = h.poller.start();
    expect(h.timers.map((timer) => timer.ms)).toEqual([2_000]);
    h.poller.track('job_b');
    expect(h.timers).toHaveLength(1);
    stop();
    expect(h.timers).toHaveLength(0);
    const empty = harness(() => listOf([]));
    empty.poller.start();
    expect(empty.timers).toHaveLength(0);
  });

  it('times the tick by the youngest job, and tracking a job again keeps when it was first tracked', async () => {
    const h = harness(() => listOf([job('job_a')]));
    h.poller.start();
    h.poller.track('job_a');
    h.advance(60_000);
    h.poller.track('job_a');
    await h.fire();
    expect(h.timers.map((timer) => timer.ms)).toEqual([5_000]);
    expect(h.poller.tracked()).toEqual(['job_a']);
  });

  it('does not poll while paused, and resume arms the next tick', async () => {
    const h = harness(() => listOf([job('job_a')]));
    h.poller.start();
    h.poller.track('job_a');
    h.pause(true);
    await h.fire();
    expect(h.requests).toHaveLength(0);
    expect(h.timers).toHaveLength(0);
    h.pause(false);
    h.poller.resume();
    h.poller.resume();
    expect(h.timers).toHaveLength(1);
    await h.fire();
    expect(h.requests).toHaveLength(1);
  });
});

describe('a pass', () => {
  it('asks for up to 100 ids a request, limit 100, and stops following a job once it ends', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `job_${i}`);
    const h = harness((request) => listOf(String(request.query?.ids).split(',').map((id) => job(id, id === 'job_3' ? 'completed' : id === 'job_120' ? 'failed' : 'processing'))));
    for (const id of ids) h.poller.track(id);
    await h.poller.pollNow();
    expect(h.requests.map((request) => [request.path, String(request.query?.ids).split(',').length, request.query?.limit])).toEqual([
      ['/v1/jobs', 100, 100],
      ['/v1/jobs', 50, 100],
    ]);
    expect(h.settled).toEqual(['job_3', 'job_120']);
    expect(h.poller.tracked()).toHaveLength(148);
    expect(h.seen.map((batch) => batch.length)).toEqual([100, 50]);
  });

  it('sends nothing with nothing tracked, and one pass at a time', async () => {
    const idle = harness(() => listOf([]));
    await idle.poller.pollNow();
    expect(idle.requests).toHaveLength(0);
    const h = harness(() => listOf([job('job_a')]));
    h.poller.track('job_a');
    await Promise.all([h.poller.pollNow(), h.poller.pollNow()]);
    expect(h.requests).toHaveLength(1);
  });

  it('an untracked job is not polled, nor looked up', async () => {
    const h = harness((request) => (request.path === '/v1/jobs' ? listOf([]) : { job: job('job_b') }));
    h.poller.track('job_a');
    h.poller.track('job_b');
    h.poller.untrack('job_a');
    await h.poller.pollNow();
    expect(h.requests[0]?.query?.ids).toBe('job_b');
    expect(h.requests.map((request) => request.path)).toEqual(['/v1/jobs', '/v1/jobs/job_b']);
  });

  it('looks up a missing job: found, it is reported and settles; gone, polling it stops', async () => {
    const h = harness((request) => {
      if (request.path === '/v1/jobs') return listOf([]);
      if (request.path === '/v1/jobs/job_done') return { job: job('job_done', 'completed') };
      return apiError('job_not_found', 404);
    });
    h.poller.track('job_done');
    h.poller.track('job_gone');
    await h.poller.pollNow();
    expect(h.seen).toEqual([[], ['job_done']]);
    expect(h.settled).toEqual(['job_done']);
    expect(h.unknown).toEqual(['job_gone']);
    expect(h.poller.tracked()).toEqual([]);
  });

  it('a 404 of another code does not give a job up', async () => {
    const h = harness((request) => (request.path === '/v1/jobs' ? listOf([]) : apiError('job_not_ready', 404)));
    h.poller.track('job_a');
    await h.poller.pollNow();
    expect(h.unknown).toEqual([]);
    expect(h.poller.tracked()).toEqual(['job_a']);
  });

  it('stops a pass’s lookups at the first that fails with a server error, and backs off', async () => {
    const h = harness((request) => (request.path === '/v1/jobs' ? listOf([]) : apiError('internal_error', 500)));
    h.poller.start();
    h.poller.track('job_a');
    h.poller.track('job_b');
    await h.fire();
    expect(h.requests.map((request) => request.path)).toEqual(['/v1/jobs', '/v1/jobs/job_a']);
    // 500: full jitter on base 1 s; random 0.5 gives 500 ms.
    expect(h.timers.map((timer) => timer.ms)).toEqual([500]);
  });

  it('goes on looking up after a lookup refused for good (a 403), without backing off', async () => {
    const h = harness((request) => (request.path === '/v1/jobs' ? listOf([]) : apiError('insufficient_permissions', 403)));
    h.poller.start();
    h.poller.track('job_a');
    h.poller.track('job_b');
    await h.fire();
    expect(h.requests.map((request) => request.path)).toEqual(['/v1/jobs', '/v1/jobs/job_a', '/v1/jobs/job_b']);
    expect(h.timers.map((timer) => timer.ms)).toEqual([2_000]);
    expect(MAX_LOOKUPS_PER_PASS).toBe(10);
  });

  it('after a failed list, the next pass waits the backoff, and after a success the normal tick again', async () => {
    let fail = true;
    const h = harness(() => (fail ? apiError('service_unavailable', 503) : listOf([job('job_a')])));
    h.poller.start();
    h.poller.track('job_a');
    await h.fire();
    // 503 without Retry-After: full jitter on base 5 s; random 0.5 gives 2.5 s, then 5 s.
    expect(h.timers.map((timer) => timer.ms)).toEqual([2_500]);
    await h.fire();
    expect(h.timers.map((timer) => timer.ms)).toEqual([5_000]);
    fail = false;
    await h.fire();
    expect(h.timers.map((timer) => timer.ms)).toEqual([2_000]);
    fail = true;
    await h.fire();
    expect(h.timers.map((timer) => timer.ms)).toEqual([2_500]);
  });

  it('keeps the normal tick after a failure waiting cannot fix (a closed auth gate)', async () => {
    const h = harness(() => apiError('expired_api_key', 401));
    h.poller.start();
    h.poller.track('job_a');
    await h.fire();
    expect(h.timers.map((timer) => timer.ms)).toEqual([2_000]);
  });

  it('lets a failure that is not the API’s (a bug) through', async () => {
    const h = harness(() => new TypeError('bug'));
    h.poller.track('job_a');
    await expect(h.poller.pollNow()).rejects.toThrow('bug');
    const again = harness(() => listOf([job('job_a')]));
    again.poller.track('job_a');
    await again.poller.pollNow();
    expect(again.requests).toHaveLength(1);
  });
});
