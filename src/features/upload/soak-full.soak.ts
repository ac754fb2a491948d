import { mkdirSync, writeFileSync } from 'node:fs';
import { FAULT_KINDS, formatSoakReport, runSoak } from '../../testing/soak';

/**
 * `npm run test:soak`: 200 uploads through every fault, with three reloads, a
 * key rotation and an endpoint change. SOAK_SEED=n replays a run; SOAK_SEED=random draws a new seed (printed).
 * The summary is written to bench-results/soak.json, pass or fail.
 */
const SEED = process.env.SOAK_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.SOAK_SEED ?? 6_200_200);

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 25, 22, 0, 0), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

it(`soak (full, seed ${SEED}): 200 uploads through every fault, 3 reloads, a key rotation and an endpoint change; the simulator holds one job per upload, each accepted with it, and no request inside a Retry-After`, async () => {
  console.log(`soak seed ${SEED} (replay with SOAK_SEED=${SEED} npm run test:soak)`);
  const report = await runSoak({
    seed: SEED,
    uploads: 200,
    reloads: 3,
    keyRotations: 1,
    endpointChanges: 1,
    // SOAK_STALLS=uploads and SOAK_RELOAD_IN_WAIT=0 leave out what the console does not handle yet (soak-findings.soak.ts).
    stalls: process.env.SOAK_STALLS === 'uploads' ? 'uploads' : 'all',
    reloadDuringRetryAfter: process.env.SOAK_RELOAD_IN_WAIT !== '0',
    nextTimer: () => vi.advanceTimersToNextTimerAsync(),
  });
  console.log(formatSoakReport(report));
  const { records: _records, ...summary } = report;
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/soak.json', `${JSON.stringify({ ...summary, simulatedMinutes: Math.round(report.simulatedMs / 600) / 100 }, null, 2)}\n`);
  expect(report.problems).toEqual([]);
  expect(report).toMatchObject({
    uploads: 200,
    accepted: 200,
    jobsPerUpload: 1,
    uploadsWithoutJob: 0,
    uploadsWithSeveralJobs: 0,
    requestsInsideRetryAfter: 0,
    overcommits: 0,
    reloads: 3,
    keyRotations: 1,
    endpointChanges: 1,
  });
  for (const kind of FAULT_KINDS) expect(report.faultsInjected[kind], kind).toBeGreaterThan(0);
});
