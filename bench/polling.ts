/**
 * How many requests the console makes to keep 20 active jobs fresh for two
 * simulated minutes, beside one request per job per second. Virtual time:
 * the real poller, client and simulator run; only the clock is simulated.
 * Prints figures and writes bench-results/polling.json. Not a test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { getResponse } from 'msw';
import { createApiClient } from '../src/api/client';
import { createExchangeLog } from '../src/api/exchange-log';
import { createRequestGate } from '../src/api/request-gate';
import { createJobPoller } from '../src/features/jobs/job-poller';
import { NovaPulseSimulator } from '../src/mocks/core/simulator';
import type { Tier } from '../src/mocks/core/tiers';
import { createHandlers } from '../src/mocks/handlers';

const BASE = 'http://novapulse.bench';
const DURATION_MS = 120_000;
const JOBS = 20;

async function run(tier: Tier) {
  let now = Date.UTC(2026, 10, 25, 10, 0, 0);
  const clock = () => now;
  const simulator = new NovaPulseSimulator({ clock });
  const handles = simulator.createAccount({ tier, seedJobs: JOBS, seedActiveJobs: JOBS, seed: 7 });
  const account = simulator.account(handles.accountId);
  // Keep every job active for the whole run.
  for (const job of account.jobs) {
    job.startsAt = now;
    job.finishesAt = now + 10 * DURATION_MS;
  }
  const handlers = createHandlers(simulator);
  const fetchViaSimulator: typeof fetch = async (input, init) => (await getResponse(handlers, new Request(input as string, init))) ?? new Response(null, { status: 404 });

  const queue: { at: number; id: number; fn: () => void }[] = [];
  let timerId = 0;
  const timers = {
    set: (fn: () => void, ms: number) => {
      queue.push({ at: now + ms, id: ++timerId, fn });
      return timerId;
    },
    clear: (handle: unknown) => {
      const index = queue.findIndex((entry) => entry.id === handle);
      if (index >= 0) queue.splice(index, 1);
    },
  };

  const exchanges = createExchangeLog(100_000);
  const gate = createRequestGate({ initiallyHasKey: true, clock });
  const client = createApiClient({ baseUrl: BASE, gate, getKey: () => handles.keys.full, clock, fetch: fetchViaSimulator, onExchange: exchanges.record });
  const poller = createJobPoller({ client, clock, latestRateLimit: exchanges.latestRateLimit, timers });
  for (const job of account.jobs) poller.track(job.id);
  poller.start();

  const end = now + DURATION_MS;
  for (;;) {
    queue.sort((a, b) => a.at - b.at);
    const next = queue.shift();
    if (!next || next.at > end) break;
    now = next.at;
    next.fn();
    // Let the poll's request finish before time moves on.
    for (let tick = 0; tick < 200 && queue.length === 0; tick++) await new Promise((resolve) => setImmediate(resolve));
  }

  const log = simulator.requestLog(handles.accountId);
  const polls = log.filter((entry) => entry.path === '/v1/jobs');
  const intervals = polls.slice(1).map((entry, index) => entry.startedAt - polls[index]!.startedAt);
  const naive = JOBS * (DURATION_MS / 1000);
  return {
    tier,
    requests_per_minute_limit: account.faults.rateLimit ?? { starter: 60, growth: 120, enterprise: 600 }[tier],
    jobs: JOBS,
    simulated_seconds: DURATION_MS / 1000,
    console_requests: log.length,
    console_rate_limited: log.filter((entry) => entry.status === 429).length,
    one_per_job_per_second_requests: naive,
    reduction_factor: Math.round((naive / Math.max(1, log.length)) * 10) / 10,
    poll_interval_ms: { min: Math.min(...intervals), max: Math.max(...intervals) },
  };
}

const results = [];
for (const tier of ['enterprise', 'growth', 'starter'] as const) results.push(await run(tier));

console.log('Keeping 20 active jobs fresh for 2 simulated minutes');
console.log('tier        limit/min  console  naive(1/job/s)  factor  429s  poll interval');
for (const result of results) {
  console.log(
    `${result.tier.padEnd(11)} ${String(result.requests_per_minute_limit).padStart(9)}  ${String(result.console_requests).padStart(7)}  ${String(result.one_per_job_per_second_requests).padStart(14)}  ${String(result.reduction_factor).padStart(6)}  ${String(result.console_rate_limited).padStart(4)}  ${result.poll_interval_ms.min}-${result.poll_interval_ms.max} ms`,
  );
}
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/polling.json', `${JSON.stringify({ measured_at: new Date().toISOString(), results }, null, 2)}\n`);
console.log('Wrote bench-results/polling.json');
