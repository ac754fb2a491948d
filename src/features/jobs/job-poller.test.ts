import { createApiClient } from '../../api/client';
import { createExchangeLog } from '../../api/exchange-log';
import { createRequestGate } from '../../api/request-gate';
import type { Job } from '../../api/schemas';
import { setupSimulatorHost, TEST_API_BASE } from '../../testing/simulator-host';
import { createJobPoller } from './job-poller';

const host = setupSimulatorHost();

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
  return { poller, exchanges, settled, unknown };
}

describe('batched job polling', () => {
  it('polls many jobs with one GET /v1/jobs?ids= per 100 jobs', async () => {
    const account = host.account({ tier: 'enterprise', seedJobs: 150, seedActiveJobs: 20 });
    const ids = host.simulator.account(account.accountId).jobs.map((job) => job.id);
    const { poller, exchanges } = makePoller(account.keys.full);
    for (const id of ids) poller.track(id);
    await poller.pollNow();
    const polls = exchanges.list().filter((exchange) => exchange.path === '/v1/jobs');
    expect(polls).toHaveLength(Math.ceil(ids.length / 100));
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

  it('job_not_found: a job the account does not have stops being polled and is reported unknown', async () => {
    const account = host.account();
    const other = host.account({ seedJobs: 1, seedActiveJobs: 1 });
    const foreignId = host.simulator.account(other.accountId).jobs[0]!.id;
    const { poller, unknown, exchanges } = makePoller(account.keys.full);
    poller.track(foreignId);
    poller.track('job_DOESNOTEXIST');
    await poller.pollNow();
    expect(unknown.sort()).toEqual([foreignId, 'job_DOESNOTEXIST'].sort());
    expect(poller.tracked()).toEqual([]);
    await poller.pollNow();
    expect(exchanges.list()).toHaveLength(1);
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
