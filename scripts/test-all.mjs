// `npm test`: types, lint, unit tests, the production-bundle check, then end-to-end tests.
import { spawnSync } from 'node:child_process';

const steps = [
  ['Type check', 'npx', ['tsc', '-b']],
  ['Lint (includes the one-way import rule)', 'npx', ['biome', 'lint', 'src', 'e2e', 'scripts', 'bench']],
  ['Unit tests', 'npx', ['vitest', 'run']],
  ['Production build has no simulator', 'node', ['scripts/check-production-build.mjs']],
  ['First-page JavaScript within its budget (the build above, gzipped)', 'node', ['scripts/check-bundle-budget.mjs']],
  // The production projects serve the dist/ built and checked above, configured per API (one build, many deployments).
  ['End-to-end tests', 'node', ['scripts/e2e.mjs'], { NOVAPULSE_E2E_PRODUCTION_BUILD: 'dist' }],
];

for (const [title, command, args, env = {}] of steps) {
  console.log(`\n== ${title}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true', ...env } });
  if (result.status !== 0) {
    console.error(`\n${title} failed.`);
    process.exit(result.status ?? 1);
  }
}
console.log('\nAll tests passed.');
