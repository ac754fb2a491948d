/**
 * `npm run bench:policies`: the console's retry, gate, queue and poller code against what operators would use
 * instead, on the same seeded faults (bench/policies/). Prints a table, writes bench-results/policies.json, exits 1
 * when the console breaks one of its promises. A benchmark, not a test; bench/policies/run-policies.test.ts keeps
 * two scenarios in `npm test`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { JOB_TIMING, markdownTable, POLICIES, type RunResult, runOne, verdict } from './policies/run-policies';
import { SCENARIOS } from './policies/scenarios';
import { LATENCY_MS, WIRE_BYTES_PER_SECOND } from './policies/wire';

const pad = (text: string | number, width: number) => String(text).padEnd(width);

async function main() {
  const only = process.argv[2];
  const scenarios = only ? SCENARIOS.filter((scenario) => scenario.name === only) : SCENARIOS;
  const results: RunResult[] = [];
  const problems: string[] = [];
  for (const scenario of scenarios) {
    console.log(`\n${scenario.name}: ${scenario.description}`);
    const scenarioResults: RunResult[] = [];
    for (const policy of POLICIES) {
      const began = performance.now();
      const result = await runOne(scenario, policy);
      scenarioResults.push(result);
      console.log(
        `  ${pad(policy.name, 32)} ${pad(`${result.requests} req`, 9)} ${pad(`${result.responses429}×429`, 8)} ${pad(`${result.accepted} accepted`, 12)} ${pad(`${result.lost} lost`, 8)} ${pad(`${result.givenUp} given up`, 12)} ${pad(`${result.duplicateJobs} dup`, 7)} ${pad(`${result.insideRetryAfter} in RA`, 9)} ${pad(`${result.megabytesSent} MB`, 10)} ${result.settled ? `${result.simulatedSeconds} s` : 'not settled'}  (${Math.round(performance.now() - began)} ms real)`,
      );
    }
    results.push(...scenarioResults);
    problems.push(...verdict(scenarioResults));
  }
  console.log(`\n${markdownTable(results)}\n`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(
    'bench-results/policies.json',
    `${JSON.stringify(
      {
        benchmark: 'policies',
        command: 'npm run bench:policies',
        simulated: true,
        node: process.version,
        machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length },
        wire: { latencyMs: LATENCY_MS, uplinkBytesPerSecond: WIRE_BYTES_PER_SECOND },
        jobTiming: JOB_TIMING,
        scenarios: SCENARIOS.map(({ name, description, tier, faults, uploads, oversized, seed }) => ({ name, description, tier: tier ?? 'enterprise', faults, uploads, oversized, seed })),
        policies: POLICIES.map(({ name, description }) => ({ name, description })),
        results,
        consolePromisesBroken: problems,
      },
      null,
      2,
    )}\n`,
  );
  console.log('Wrote bench-results/policies.json.');
  if (problems.length > 0) {
    console.error(`\nThe console broke its promises:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    process.exit(1);
  }
  console.log('\nOn every scenario the console lost nothing, made no duplicate, sent nothing inside a Retry-After, and needed fewer requests than every policy that lost nothing.');
}

await main();
