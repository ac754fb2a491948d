/**
 * One scenario against one client policy, in the simulator on a fake clock (@sinonjs/fake-timers; no real waiting),
 * and the console's promises judged on the results. Every figure is read from the simulator's own records (its
 * request log and jobs) or from the wire between client and simulator, never from the client under test.
 */
import { createHash } from 'node:crypto';
import FakeTimers from '@sinonjs/fake-timers';
import { seededRandom } from '../../src/lib/random';
import { NovaPulseSimulator } from '../../src/mocks/core/simulator';
import { soakWav } from '../../src/testing/soak';
import { BASELINE_POLICIES } from './baselines';
import { CONSOLE_PER_JOB_POLLING, CONSOLE_POLICY } from './console-policy';
import type { BenchFile, Policy } from './policy';
import type { Scenario } from './scenarios';
import { createWire } from './wire';

export const START = Date.UTC(2026, 11, 2, 9, 0, 0);
/** A run not settled after this much simulated time is reported as such. */
export const MAX_SIMULATED_MS = 45 * 60_000;
const OVERSIZED_BYTES = 501 * 1024 * 1024;
export const JOB_TIMING = { queueMs: [1_000, 3_000] as [number, number], processMs: [15_000, 40_000] as [number, number] };

export const POLICIES: Policy[] = [CONSOLE_POLICY, CONSOLE_PER_JOB_POLLING, ...BASELINE_POLICIES];

export interface RunResult {
  scenario: string;
  policy: string;
  requests: number;
  responses429: number;
  /** Files that hold a job on the server (of those within the limit). */
  accepted: number;
  /** Files within the limit that hold no job when the run settled. */
  lost: number;
  givenUp: number;
  refusedBeforeSending: number;
  duplicateJobs: number;
  /** Requests that reached the server while a Retry-After it had answered this client was still running. */
  insideRetryAfter: number;
  megabytesSent: number;
  simulatedSeconds: number;
  settled: boolean;
}

function batchFiles(scenario: Scenario): { files: BenchFile[]; sha256s: Set<string> } {
  const random = seededRandom(scenario.seed);
  const files: BenchFile[] = [];
  const sha256s = new Set<string>();
  for (let index = 0; index < scenario.uploads; index++) {
    const bytes = soakWav(random, 200_000 + Math.floor(random() * 800_000));
    const name = `call-${String(index + 1).padStart(2, '0')}.wav`;
    const file = new File([bytes], name, { type: 'audio/wav' });
    // The last files of the batch are the oversized ones: a real WAV head claiming 501 MB (nothing that big is made).
    const oversized = index >= scenario.uploads - scenario.oversized;
    if (oversized) Object.defineProperty(file, 'size', { value: OVERSIZED_BYTES });
    else sha256s.add(createHash('sha256').update(bytes).digest('hex'));
    files.push({ name, file, oversized });
  }
  return { files, sha256s };
}

export async function runOne(scenario: Scenario, policy: Policy): Promise<RunResult> {
  const clock = FakeTimers.install({ now: START, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  try {
    const simulator = new NovaPulseSimulator({ clock: () => Date.now(), random: seededRandom(scenario.seed ^ 0x51a), logLimit: Number.POSITIVE_INFINITY });
    const handle = simulator.createAccount({ tier: scenario.tier ?? 'enterprise', seed: scenario.seed, timing: JOB_TIMING });
    const account = simulator.account(handle.accountId);
    if (scenario.faults) simulator.setFaults(handle.accountId, scenario.faults);
    const wire = createWire({ simulator, accountId: handle.accountId, faultSchedule: scenario.faultSchedule, draw: seededRandom(scenario.seed ^ 0xfa17) });
    let key = handle.keys.full;
    const run = policy.create({ wire, key: () => key, random: seededRandom(scenario.seed ^ 0xc0) });

    for (const event of scenario.events ?? []) {
      setTimeout(() => {
        if (event.kind === 'faults') simulator.setFaults(handle.accountId, event.faults);
        else if (event.kind === 'key-expires') {
          const held = account.keys.find((candidate) => candidate.secret === key);
          if (held) held.expiresAt = simulator.now(account);
        } else {
          key = simulator.issueKey(handle.accountId);
          run.keyProvided();
        }
      }, event.atMs);
    }

    const { files, sha256s } = batchFiles(scenario);
    let started = false;
    void run.start(files).then(() => {
      started = true;
    });
    // The driver's beat: time never jumps further than this between two looks at the run.
    const beat = setInterval(() => undefined, 250);
    const realTick = async () => {
      let idle = 0;
      for (let round = 0; idle < 3 && round < 10_000; round++) {
        await new Promise((resolve) => setImmediate(resolve));
        idle = wire.busy() || run.busy() ? 0 : idle + 1;
      }
    };
    await realTick();
    while (!(started && run.settled()) && Date.now() - START < MAX_SIMULATED_MS) {
      await clock.nextAsync();
      await realTick();
    }
    const settledAt = Date.now();
    const settled = started && run.settled();
    run.stop();
    clearInterval(beat);

    const log = simulator.requestLog(handle.accountId);
    if (process.env.BENCH_POLICIES_TRACE === policy.name) {
      const counts = new Map<string, number>();
      for (const entry of log) {
        const label = `${entry.method} ${entry.endpoint ?? entry.path} ${entry.status} ${entry.code ?? ''} @${Math.floor((entry.startedAt - START) / 60_000)}min`;
        counts.set(label, (counts.get(label) ?? 0) + 1);
      }
      for (const [label, count] of counts) console.log(`    ${count}× ${label}`);
    }
    const jobsPerFile = new Map<string, number>();
    for (const job of account.jobs) jobsPerFile.set(job.file.sha256, (jobsPerFile.get(job.file.sha256) ?? 0) + 1);
    const accepted = [...sha256s].filter((sha256) => (jobsPerFile.get(sha256) ?? 0) > 0).length;
    // Each request counted once, however many waits it fell inside; one already on its way when the answer came is not.
    const waits = log.flatMap((answer) => (answer.retryAfter !== null && /^\d+$/.test(answer.retryAfter) ? [{ from: answer.answeredAt, until: answer.answeredAt + Number(answer.retryAfter) * 1000 }] : []));
    const insideRetryAfter = log.filter((entry) => waits.some((wait) => entry.startedAt > wait.from && entry.startedAt < wait.until)).length;
    return {
      scenario: scenario.name,
      policy: policy.name,
      requests: log.length,
      responses429: log.filter((entry) => entry.status === 429).length,
      accepted,
      lost: sha256s.size - accepted,
      givenUp: run.givenUp(),
      refusedBeforeSending: run.refusedBeforeSending(),
      duplicateJobs: [...jobsPerFile.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0),
      insideRetryAfter,
      megabytesSent: Math.round(wire.tally.bytesSent / 1e5) / 10,
      simulatedSeconds: Math.round((settledAt - START) / 100) / 10,
      settled,
    };
  } finally {
    clock.uninstall();
  }
}

/** The console's promises on one scenario, judged against the other policies' results on it. */
export function verdict(results: RunResult[]): string[] {
  const problems: string[] = [];
  const own = results.find((result) => result.policy === CONSOLE_POLICY.name);
  if (!own) return ['no console run'];
  const where = `${own.scenario}:`;
  if (!own.settled) problems.push(`${where} the console had not settled after ${MAX_SIMULATED_MS / 60_000} simulated minutes`);
  if (own.lost > 0) problems.push(`${where} the console lost ${own.lost} upload(s)`);
  if (own.givenUp > 0) problems.push(`${where} the console gave up on ${own.givenUp} upload(s)`);
  if (own.duplicateJobs > 0) problems.push(`${where} the console made ${own.duplicateJobs} duplicate job(s)`);
  if (own.insideRetryAfter > 0) problems.push(`${where} the console sent ${own.insideRetryAfter} request(s) inside a Retry-After`);
  for (const other of results) {
    if (other === own || other.lost > 0 || !other.settled) continue;
    if (own.requests >= other.requests) problems.push(`${where} the console needed ${own.requests} requests, ${other.policy} ${other.requests} while losing nothing`);
  }
  return problems;
}

export function markdownTable(results: RunResult[]): string {
  const lines = [
    '| scenario | policy | requests | 429s | accepted | lost | given up | refused unsent | duplicates | inside Retry-After | MB sent | simulated s |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of results) {
    const time = r.settled ? String(r.simulatedSeconds) : `> ${MAX_SIMULATED_MS / 1000} (not settled)`;
    lines.push(`| ${r.scenario} | ${r.policy} | ${r.requests} | ${r.responses429} | ${r.accepted} | ${r.lost} | ${r.givenUp} | ${r.refusedBeforeSending} | ${r.duplicateJobs} | ${r.insideRetryAfter} | ${r.megabytesSent} | ${time} |`);
  }
  return lines.join('\n');
}

