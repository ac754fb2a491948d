import { fetchAccount } from '../api/endpoints/get-account';
import { fetchInsights } from '../api/endpoints/get-insights';
import { fetchTranscript } from '../api/endpoints/get-transcript';
import { backoffCeiling } from '../lib/backoff';
import { setupSimulatorHost } from '../testing/simulator-host';
import { createQueryClient } from './query-client';

const host = setupSimulatorHost();

function requestsTo(accountId: string, path: string) {
  return host.simulator.requestLog(accountId).filter((entry) => entry.path === path);
}

describe('QueryClient defaults ask the catalogue', () => {
  beforeEach(() => vi.useFakeTimers({ now: host.clock.now, toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('internal_error on a query: 4 attempts with full-jitter delays', async () => {
    host.clock.now = Date.now();
    const account = host.account();
    host.simulator.setFaults(account.accountId, { forced: [{ endpoint: 'GET /v1/account', code: 'internal_error' }] });
    const { client } = host.client(account.keys.full);
    const queryClient = createQueryClient(() => 0.75);
    const started = Date.now();
    const attemptTimes: number[] = [];
    const result = queryClient
      .fetchQuery({ queryKey: ['account'], queryFn: () => {
        attemptTimes.push(Date.now() - started);
        return fetchAccount(client);
      } })
      .catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await result;
    expect(error).toMatchObject({ code: 'internal_error' });
    expect(attemptTimes).toHaveLength(4);
    const expectedDelays = [1, 2, 3].map((attempt) => Math.floor(0.75 * backoffCeiling(attempt, 1_000, 30_000)));
    expect(attemptTimes.slice(1).map((time, index) => time - attemptTimes[index]!)).toEqual(expectedDelays);
  });

  it('job_not_ready is not retried: one request, no error chase', async () => {
    const account = host.account({ seedJobs: 1, seedActiveJobs: 1, timing: { queueMs: [60_000, 60_000], processMs: [60_000, 60_000] } });
    const jobId = host.simulator.account(account.accountId).jobs[0]!.id;
    const { client } = host.client(account.keys.full);
    const queryClient = createQueryClient(() => 0);
    const result = queryClient.fetchQuery({ queryKey: ['t'], queryFn: () => fetchTranscript(client, jobId) }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(await result).toMatchObject({ code: 'job_not_ready' });
    expect(requestsTo(account.accountId, `/v1/jobs/${jobId}/transcript`)).toHaveLength(1);
  });

  it('pipeline_mismatch is not retried', async () => {
    const seeded = host.account({ seedJobs: 30 });
    const transcription = host.simulator.account(seeded.accountId).jobs.find((job) => job.pipeline === 'transcription')!;
    const { client } = host.client(seeded.keys.full);
    const queryClient = createQueryClient(() => 0);
    const result = queryClient.fetchQuery({ queryKey: ['i'], queryFn: () => fetchInsights(client, transcription.id) }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(await result).toMatchObject({ code: 'pipeline_mismatch', status: 403 });
    expect(requestsTo(seeded.accountId, `/v1/jobs/${transcription.id}/insights`)).toHaveLength(1);
  });
});
