import { HttpResponse, http } from 'msw';
import { createApiClient } from '../../api/client';
import { createExchangeLog } from '../../api/exchange-log';
import { createRequestGate } from '../../api/request-gate';
import type { Job } from '../../api/schemas';
import { setupSimulatorHost, TEST_API_BASE } from '../../testing/simulator-host';
import { createJobPoller } from './job-poller';

const host = setupSimulatorHost();
type ForcedFault = NonNullable<Parameters<typeof host.simulator.setFaults>[1]['forced']>[number];

/** Timers the test fires by hand: every delay the poller asked for is kept, in order. */
function manualTimers() {
  let pending: { fn: () => void; handle: number } | null = null;
  let handles = 0;
  const delays: number[] = [];
  return {
    delays,
    timers: {
      set(fn: () => void, ms: number) {
        delays.push(ms);
        pending = { fn, handle: ++handles };
        return pending.handle;
      },
      clear(handle: unknown) {
        if (pending?.handle === handle) pending = null;
      },
    },
    /** Fires the pending timer and waits until the poll it starts has scheduled the next one. */
    async fire() {
      const due = pending;
      if (!due) throw new Error('no timer pending');
      pending = null;
      const before = delays.length;
      due.fn();
      await vi.waitFor(() => expect(delays.length).toBeGreaterThan(before), { timeout: 5_000 });
    },
  };
}

function makePoller(key: string, extra: Partial<Parameters<typeof createJobPoller>[0]> = {}) {
  const exchanges = createExchangeLog(10_000);
  const gate = createRequestGate({ initiallyHasKey: true, clock: () => host.clock.now });
  const client = createApiClient({ baseUrl: TEST_API_BASE, gate, getKey: () => key, clock: () => host.clock.now, onExchange: exchanges.record });
  const settled: Job[] = [];
  const unknown: string[] = [];
  const poller = createJobPoller({
    client,
    clock: () => host.clock.now,
    latestRateLimit: exchanges.latestRateLimit,
    onSettled: (job) => settled.push(job),
    onUnknown: (id) => unknown.push(id),
    ...extra,
  });
  return { poller, exchanges, settled, unknown, gate };
}

function listRequests(accountId: string) {
  return host.simulator.requestLog(accountId).filter((entry) => entry.method === 'GET' && entry.path === '/v1/jobs');
}

describe('batched job polling', () => {
  it('polls many jobs with one GET /v1/jobs?ids= per 100 jobs', async () => {
    const account = host.account({ tier: 'enterprise', seedJobs: 150, seedActiveJobs: 20 });
    const ids = host.simulator.account(account.accountId).jobs.map((job) => job.id);
    const { poller } = makePoller(account.keys.full);
    for (const id of ids) poller.track(id);
    await poller.pollNow();
    expect(listRequests(account.accountId)).toHaveLength(2);
    expect(host.simulator.requestLog(account.accountId)).toHaveLength(2);
  });

  it('stops polling a job once it is completed or failed', async () => {
    const account = host.account({ timing: { queueMs: [1_000, 1_000], processMs: [5_000, 5_000] }, seedJobs: 2, seedActiveJobs: 2 });
    const jobs = host.simulator.account(account.accountId).jobs;
    const { poller, settled } = makePoller(account.keys.full);
    for (const job of jobs) poller.track(job.id);
    await poller.pollNow();
    expect(poller.tracked()).toHaveLength(2);
    host.clock.now = Math.max(...jobs.map((job) => job.finishesAt)) + 1;
    await poller.pollNow();
    expect(poller.tracked()).toHaveLength(0);
    expect(settled.map((job) => job.id).sort()).toEqual(jobs.map((job) => job.id).sort());
  });

  it('job_not_found: a job missing from the list is looked up once, and only a 404 job_not_found stops its polling', async () => {
    const account = host.account();
    const other = host.account({ seedJobs: 1, seedActiveJobs: 1 });
    const foreignId = host.simulator.account(other.accountId).jobs[0]!.id;
    const { poller, unknown } = makePoller(account.keys.full);
    poller.track(foreignId);
    poller.track('job_DOESNOTEXIST');
    await poller.pollNow();
    expect(unknown.sort()).toEqual([foreignId, 'job_DOESNOTEXIST'].sort());
    expect(poller.tracked()).toEqual([]);
    const log = host.simulator.requestLog(account.accountId);
    expect(log.map((entry) => `${entry.path} ${entry.status} ${entry.code ?? ''}`.trim()).sort()).toEqual(
      ['/v1/jobs 200', `/v1/jobs/${foreignId} 404 job_not_found`, '/v1/jobs/job_DOESNOTEXIST 404 job_not_found'].sort(),
    );
    await poller.pollNow();
    expect(host.simulator.requestLog(account.accountId)).toHaveLength(3);
  });

  it('pauses while hidden and resumes when visible', async () => {
    vi.useFakeTimers({ now: host.clock.now, toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const account = host.account({ seedJobs: 1, seedActiveJobs: 1, timing: { queueMs: [1_000, 1_000], processMs: [600_000, 600_000] } });
      let hidden = true;
      const { poller, exchanges } = makePoller(account.keys.full, { isPaused: () => hidden });
      poller.track(host.simulator.account(account.accountId).jobs[0]!.id);
      const stop = poller.start();
      await vi.advanceTimersByTimeAsync(120_000);
      expect(exchanges.list()).toHaveLength(0);
      hidden = false;
      poller.resume();
      await vi.advanceTimersByTimeAsync(10_000);
      await new Promise((resolve) => setImmediate(resolve));
      expect(exchanges.list().length).toBeGreaterThan(0);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

/** With random() just under 1, a full-jitter delay is just under its ceiling (within 0.1 %). */
function expectJustUnder(delay: number, ceiling: number) {
  expect(delay).toBeLessThan(ceiling);
  expect(delay).toBeGreaterThanOrEqual(ceiling * 0.999);
}

describe('polling within the background budget', () => {
  it('counts a pass of 250 jobs as its 3 requests: spent at that pace, the pass never reaches the 25 % reserve', async () => {
    const account = host.account({ tier: 'growth', seedJobs: 250, seedActiveJobs: 250 });
    // 24 requests a minute: a reserve of 6, and after one pass of 3 requests, 15 left above it.
    host.simulator.setFaults(account.accountId, { rateLimit: 24 });
    const clock = manualTimers();
    const { poller, exchanges } = makePoller(account.keys.full, { timers: clock.timers });
    for (const job of host.simulator.account(account.accountId).jobs) poller.track(job.id);
    const stop = poller.start();
    await clock.fire();
    expect(listRequests(account.accountId)).toHaveLength(3);
    const window = exchanges.latestRateLimit();
    expect(window?.remaining).toBe(21);
    const delay = clock.delays.at(-1) ?? 0;
    // 15 requests above the reserve for 3 a pass: 5 passes spread until the reset (counted as 1 request, 15 passes).
    const untilReset = (window?.resetAt ?? 0) - host.clock.now;
    expect(delay).toBe(Math.max(2_000, Math.ceil((untilReset * 3) / 15)));
    expect(Math.floor(untilReset / delay) * 3).toBeLessThanOrEqual(15);
    stop();
  });

  it('polls a job seen in a list at the pace its age calls for, not as if it had just been uploaded', async () => {
    const account = host.account({ tier: 'enterprise', seedJobs: 2, seedActiveJobs: 2 });
    const [listed, uploaded] = host.simulator.account(account.accountId).jobs;
    const clock = manualTimers();
    const { poller } = makePoller(account.keys.full, { timers: clock.timers });
    const stop = poller.start();
    poller.track(listed!.id, host.clock.now - 600_000);
    expect(clock.delays).toEqual([10_000]);
    poller.track(uploaded!.id);
    await clock.fire();
    expect(clock.delays.at(-1)).toBe(2_000);
    stop();
  });
});

describe('failed polls back off per the catalogue (error-behaviour.md)', () => {
  /** 150 active jobs: two chunks of ids, so "one probe, not every chunk" shows in the request count. */
  function backoffSetup(fault: ForcedFault) {
    const account = host.account({ tier: 'enterprise', seedJobs: 150, seedActiveJobs: 150 });
    const ids = host.simulator.account(account.accountId).jobs.map((job) => job.id);
    host.simulator.setFaults(account.accountId, { forced: [fault] });
    const clock = manualTimers();
    // Just under 1: every full-jitter delay lands just under its ceiling.
    const { poller } = makePoller(account.keys.full, { timers: clock.timers, random: () => 0.9999 });
    for (const id of ids) poller.track(id);
    return { account, ids, clock, poller };
  }

  it('503 without Retry-After: 5 s, 10 s, 20 s, 40 s, then 60 s (the cap) and no more; one probe request per failed poll; the normal schedule on success', async () => {
    const { account, clock, poller } = backoffSetup({ endpoint: 'GET /v1/jobs', code: 'service_unavailable', remaining: 8 });
    const stop = poller.start();
    // The first, normal poll: right after tracking, 2 s.
    expect(clock.delays).toEqual([2_000]);
    for (let failure = 1; failure <= 8; failure++) await clock.fire();
    const ceilings = [5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000, 60_000];
    const backoffs = clock.delays.slice(1);
    expect(backoffs).toHaveLength(8);
    for (const [index, delay] of backoffs.entries()) expectJustUnder(delay, ceilings[index]!);
    const log = listRequests(account.accountId);
    expect(log).toHaveLength(8);
    expect(log.every((entry) => entry.status === 503 && entry.retryAfter === null)).toBe(true);

    // The fault is spent: the next poll succeeds, polls both chunks, and the normal 2 s schedule resumes.
    await clock.fire();
    expect(listRequests(account.accountId).slice(8).map((entry) => entry.status)).toEqual([200, 200]);
    expect(clock.delays.at(-1)).toBe(2_000);
    expect(poller.tracked()).toHaveLength(150);
    stop();
  });

  it('500 internal_error: 1 s, 2 s, 4 s, 8 s, 16 s, then 30 s (the cap), one probe request each', async () => {
    const { account, clock, poller } = backoffSetup({ endpoint: 'GET /v1/jobs', code: 'internal_error', remaining: 7 });
    const stop = poller.start();
    for (let failure = 1; failure <= 7; failure++) await clock.fire();
    const ceilings = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000];
    const backoffs = clock.delays.slice(1);
    expect(backoffs).toHaveLength(7);
    for (const [index, delay] of backoffs.entries()) expectJustUnder(delay, ceilings[index]!);
    expect(listRequests(account.accountId)).toHaveLength(7);
    await clock.fire();
    expect(clock.delays.at(-1)).toBe(2_000);
    expect(listRequests(account.accountId)).toHaveLength(9);
    stop();
  });

  it('network failure: backs off as a 500 (1 s, 2 s, 4 s), one request each, then resumes', async () => {
    const account = host.account({ tier: 'enterprise', seedJobs: 150, seedActiveJobs: 150 });
    let dropped = 0;
    host.server.use(
      http.get(`${TEST_API_BASE}/v1/jobs`, () => {
        if (dropped >= 3) return undefined;
        dropped++;
        return HttpResponse.error();
      }),
    );
    const clock = manualTimers();
    const { poller } = makePoller(account.keys.full, { timers: clock.timers, random: () => 0.9999 });
    for (const job of host.simulator.account(account.accountId).jobs) poller.track(job.id);
    const stop = poller.start();
    for (let failure = 1; failure <= 3; failure++) await clock.fire();
    expect(dropped).toBe(3);
    const backoffs = clock.delays.slice(1);
    expect(backoffs).toHaveLength(3);
    for (const [index, delay] of backoffs.entries()) expectJustUnder(delay, [1_000, 2_000, 4_000][index]!);
    await clock.fire();
    expect(listRequests(account.accountId)).toHaveLength(2);
    expect(clock.delays.at(-1)).toBe(2_000);
    stop();
  });

  it('503 with Retry-After: the next poll waits what the server asked (7 s), then goes out', async () => {
    const { account, clock, poller } = backoffSetup({ endpoint: 'GET /v1/jobs', code: 'service_unavailable', retryAfterSeconds: 7, remaining: 1 });
    const stop = poller.start();
    await clock.fire();
    expect(clock.delays.at(-1)).toBe(7_000);
    expect(listRequests(account.accountId)).toHaveLength(1);
    host.clock.now += 7_000;
    await clock.fire();
    expect(listRequests(account.accountId).map((entry) => entry.status)).toEqual([503, 200, 200]);
    expect(clock.delays.at(-1)).toBe(2_000);
    stop();
  });
});

describe('a job missing from a list answer', () => {
  /** The list endpoint answers as the simulator would, but without `hiddenId`. */
  function dropFromListAnswers(hiddenId: string) {
    host.server.use(
      http.get(`${TEST_API_BASE}/v1/jobs`, async ({ request }) => {
        const url = new URL(request.url);
        const answer = await host.simulator.handle({
          method: 'GET',
          path: url.pathname,
          query: url.searchParams,
          authorization: request.headers.get('authorization'),
          form: null,
        });
        if (!('body' in answer)) throw new Error('expected a JSON answer');
        const body = answer.body as { data: { id: string }[]; next_cursor: string | null };
        return HttpResponse.json({ ...body, data: body.data.filter((job) => job.id !== hiddenId) }, { status: answer.status, headers: answer.headers });
      }),
    );
  }

  it('stays tracked, is confirmed with GET /v1/jobs/{id}, and settles later', async () => {
    const account = host.account({ seedJobs: 2, seedActiveJobs: 2 });
    const jobs = host.simulator.account(account.accountId).jobs;
    const hidden = jobs[0]!;
    dropFromListAnswers(hidden.id);
    const { poller, settled, unknown } = makePoller(account.keys.full);
    for (const job of jobs) poller.track(job.id);

    await poller.pollNow();
    expect(unknown).toEqual([]);
    expect(poller.tracked().sort()).toEqual(jobs.map((job) => job.id).sort());
    const lookups = host.simulator.requestLog(account.accountId).filter((entry) => entry.path === `/v1/jobs/${hidden.id}`);
    expect(lookups.map((entry) => entry.status)).toEqual([200]);

    host.clock.now = Math.max(...jobs.map((job) => job.finishesAt)) + 1;
    await poller.pollNow();
    expect(settled.map((job) => job.id).sort()).toEqual(jobs.map((job) => job.id).sort());
    expect(poller.tracked()).toEqual([]);
    expect(unknown).toEqual([]);
  });

  it('looks up at most 10 missing jobs a pass: 15 unknown ids take two passes, 1 + 10 then 1 + 5 requests', async () => {
    const account = host.account();
    const { poller, unknown } = makePoller(account.keys.full);
    const ids = Array.from({ length: 15 }, (_, index) => `job_MISSING${String(index).padStart(4, '0')}`);
    for (const id of ids) poller.track(id);
    await poller.pollNow();
    expect(host.simulator.requestLog(account.accountId).map((entry) => entry.status)).toEqual([200, ...Array(10).fill(404)]);
    expect(unknown).toHaveLength(10);
    expect(poller.tracked()).toHaveLength(5);
    await poller.pollNow();
    expect(host.simulator.requestLog(account.accountId).slice(11).map((entry) => entry.status)).toEqual([200, ...Array(5).fill(404)]);
    expect(unknown.sort()).toEqual(ids);
    expect(poller.tracked()).toEqual([]);
  });

  it('stays tracked when the lookup fails with anything but job_not_found (a 500), and is confirmed on a later poll', async () => {
    const account = host.account({ seedJobs: 1, seedActiveJobs: 1 });
    const job = host.simulator.account(account.accountId).jobs[0]!;
    dropFromListAnswers(job.id);
    host.simulator.setFaults(account.accountId, { forced: [{ endpoint: 'GET /v1/jobs/:id', code: 'internal_error', remaining: 1 }] });
    const { poller, unknown, settled } = makePoller(account.keys.full);
    poller.track(job.id);

    await poller.pollNow();
    expect(unknown).toEqual([]);
    expect(poller.tracked()).toEqual([job.id]);

    host.clock.now = job.finishesAt + 1;
    await poller.pollNow();
    expect(settled.map((each) => each.id)).toEqual([job.id]);
    const lookups = host.simulator.requestLog(account.accountId).filter((entry) => entry.path === `/v1/jobs/${job.id}`);
    expect(lookups.map((entry) => entry.status)).toEqual([500, 200]);
    expect(unknown).toEqual([]);
  });
});

describe('a consumer that throws (architecture rule 11)', () => {
  it('is reported, and the jobs that settled in the same answer are still settled and no longer polled', async () => {
    const account = host.account({ tier: 'enterprise', seedJobs: 6, seedActiveJobs: 3 });
    const active = host.simulator.account(account.accountId).jobs.filter((job) => job.finishesAt > host.clock.now);
    expect(active).toHaveLength(3);
    const reported: unknown[] = [];
    const { poller, settled } = makePoller(account.keys.full, {
      onJobs: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'map')");
      },
      reportError: (error) => reported.push(error),
    });
    for (const job of active) poller.track(job.id);
    // Every active job ends in the simulator before the poll.
    host.clock.now = Math.max(...active.map((job) => job.finishesAt)) + 1;
    await poller.pollNow();
    expect(settled.map((job) => job.id).sort()).toEqual(active.map((job) => job.id).sort());
    expect(poller.tracked()).toEqual([]);
    expect(reported).toHaveLength(1);
    expect(String(reported[0])).toContain('TypeError');
  });

  it('an onSettled that throws for one job does not keep the next job of the answer from settling', async () => {
    const account = host.account({ tier: 'enterprise', seedJobs: 6, seedActiveJobs: 2 });
    const active = host.simulator.account(account.accountId).jobs.filter((job) => job.finishesAt > host.clock.now);
    const reported: unknown[] = [];
    const seen: string[] = [];
    const { poller } = makePoller(account.keys.full, {
      onSettled: (job) => {
        seen.push(job.id);
        if (seen.length === 1) throw new Error('listener failed');
      },
      reportError: (error) => reported.push(error),
    });
    for (const job of active) poller.track(job.id);
    host.clock.now = Math.max(...active.map((job) => job.finishesAt)) + 1;
    await poller.pollNow();
    expect(seen.sort()).toEqual(active.map((job) => job.id).sort());
    expect(reported).toHaveLength(1);
  });
});
