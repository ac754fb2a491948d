import { FAULT_KINDS, formatSoakReport, runSoak } from '../../testing/soak';

/** Fixed, so `npm test` is reproducible; SOAK_SEED=n runs another. `npm run test:soak` runs 200 uploads. */
const SEED = Number(process.env.SOAK_SEED ?? 20261125);

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 25, 22, 0, 0), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

it(`soak (short, seed ${SEED}): 30 uploads through every fault, a reload, a key rotation and an endpoint change; the simulator holds one job per upload, each accepted with it, and no request inside a Retry-After`, async () => {
  const report = await runSoak({
    seed: SEED,
    uploads: 30,
    reloads: 1,
    keyRotations: 1,
    endpointChanges: 1,
    stalls: 'all',
    reloadDuringRetryAfter: true,
    nextTimer: () => vi.advanceTimersToNextTimerAsync(),
  });
  console.log(formatSoakReport(report));
  expect(report.problems).toEqual([]);
  expect(report).toMatchObject({
    uploads: 30,
    accepted: 30,
    jobsPerUpload: 1,
    uploadsWithoutJob: 0,
    uploadsWithSeveralJobs: 0,
    requestsInsideRetryAfter: 0,
    overcommits: 0,
    reloads: 1,
    keyRotations: 1,
    endpointChanges: 1,
  });
  for (const kind of FAULT_KINDS) expect(report.faultsInjected[kind], kind).toBeGreaterThan(0);
  expect(report.retryAfterWindows).toBeGreaterThan(0);
}, 120_000);
