import { describe, expect, it } from 'vitest';
import { BASELINE_POLICIES } from './baselines';
import { CONSOLE_POLICY } from './console-policy';
import { type RunResult, runOne, verdict } from './run-policies';
import { SCENARIOS } from './scenarios';

const scenario = (name: string) => {
  const found = SCENARIOS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no scenario ${name}`);
  return found;
};
const tanstack = BASELINE_POLICIES.find((policy) => policy.name === 'TanStack Query defaults')!;

// The benchmark's promises kept in `npm test` on two scenarios where the baselines' rules differ most from the
// console's; `npm run bench:policies` runs all seven against every policy.
describe('the policy benchmark, on the simulator and a fake clock', () => {
  it('a 90 s maintenance window: the console gets all 20 files a job each, sending nothing inside a Retry-After, with fewer requests than TanStack Query’s defaults', async () => {
    const maintenance = scenario('maintenance-90s');
    const own = await runOne(maintenance, CONSOLE_POLICY);
    const other = await runOne(maintenance, tanstack);
    expect(own).toMatchObject({ settled: true, accepted: 20, lost: 0, givenUp: 0, duplicateJobs: 0, insideRetryAfter: 0 });
    // The window was met: the simulator answered the console 503 at least once, and the run outlasted it.
    expect(own.simulatedSeconds).toBeGreaterThan(93);
    expect(other.insideRetryAfter).toBeGreaterThan(0);
    expect(own.requests).toBeLessThan(other.requests);
    expect(verdict([own, other])).toEqual([]);
  }, 60_000);

  it('a key that expires mid-batch: the console waits for the new key and loses nothing; the default retryer gives files up', async () => {
    const expiry = scenario('key-expires');
    const own = await runOne(expiry, CONSOLE_POLICY);
    const other = await runOne(expiry, tanstack);
    expect(own).toMatchObject({ settled: true, accepted: 20, lost: 0, givenUp: 0, duplicateJobs: 0 });
    // Nothing could be accepted between the expiry (1 s) and the new key (60 s).
    expect(own.simulatedSeconds).toBeGreaterThan(60);
    expect(other.lost).toBeGreaterThan(0);
    expect(other.givenUp).toBe(other.lost);
  }, 60_000);

  it('the verdict names each broken promise, and compares requests only with policies that lost nothing', () => {
    const base: RunResult = {
      scenario: 's',
      policy: 'console',
      requests: 50,
      responses429: 0,
      accepted: 20,
      lost: 0,
      givenUp: 0,
      refusedBeforeSending: 0,
      duplicateJobs: 0,
      insideRetryAfter: 0,
      megabytesSent: 1,
      simulatedSeconds: 10,
      settled: true,
    };
    expect(verdict([base, { ...base, policy: 'lossy', requests: 10, lost: 3 }])).toEqual([]);
    expect(verdict([base, { ...base, policy: 'frugal', requests: 49 }])).toEqual(['s: the console needed 50 requests, frugal 49 while losing nothing']);
    expect(verdict([{ ...base, lost: 1, givenUp: 1, duplicateJobs: 2, insideRetryAfter: 3, settled: false }])).toEqual([
      's: the console had not settled after 45 simulated minutes',
      's: the console lost 1 upload(s)',
      's: the console gave up on 1 upload(s)',
      's: the console made 2 duplicate job(s)',
      's: the console sent 3 request(s) inside a Retry-After',
    ]);
  });
});
