// Proves the lint rules can fail (the simulator kept out of the console; one rule for background reads): lints small files placed at
// src/main.tsx and src/app/... in a scratch copy of the project's Biome config (the real files are never
// touched), and checks each bad import is reported and each allowed one is not.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** [path in the project, file text, should lint fail]. */
const CASES = [
  ['src/main.tsx', "export const start = () => import('./mocks/browser');\n", false],
  ['src/main.tsx', "import { startServiceWorkerHost } from './mocks/browser';\nexport const start = startServiceWorkerHost;\n", true],
  ['src/main.tsx', "export const start = () => import('./mocks/core/demo');\n", true],
  ['src/main.tsx', "import { http } from 'msw';\nexport const h = http;\n", true],
  ['src/main.tsx', "export * from './mocks/handlers';\n", true],
  ['src/app/app.tsx', "import { createDemoSimulator } from '../mocks/core/demo';\nexport const s = createDemoSimulator;\n", true],
  ['src/app/app.tsx', "export const start = () => import('../mocks/browser');\n", true],
  ['src/app/pages/settings-page.tsx', "import '../../mocks/browser';\n", true],
  ['src/app/pages/settings-page.tsx', "import { setupWorker } from 'msw/browser';\nexport const w = setupWorker;\n", true],
  ['src/app/pages/settings-page.tsx', "import { parseConfig } from '../../config/env';\nexport const p = parseConfig;\n", false],
  // Tests never ship: app-level integration tests may serve the simulator themselves.
  ['src/app/app.integration.test.tsx', "import { http } from 'msw';\nexport const h = http;\n", false],
  // One rule for background reads (issue 13): no refetchInterval, no unscoped invalidation, outside their owner.
  ['src/features/jobs/job-page.tsx', 'export const options = { refetchInterval: 2_000 };\n', true],
  ['src/features/usage/usage-strip.tsx', 'export const options = (interval) => ({ staleTime: 1, refetchInterval: interval });\n', true],
  ['src/app/app.tsx', 'export const renew = (queryClient) => queryClient.invalidateQueries();\n', true],
  ['src/features/demo/scenario-panel.tsx', "export const renew = (queryClient) => queryClient.invalidateQueries({ queryKey: ['novapulse', 'account'] });\n", false],
  ['src/api/cache-scope.ts', 'export const renew = (queryClient) => queryClient.invalidateQueries();\n', false],
  ['src/features/jobs/job-page.test.tsx', 'export const options = { refetchInterval: 2_000 };\n', false],
];

/** Lints each case alone in a scratch project with this project's biome.json; returns the cases that went wrong. */
export function checkImportRules(root = process.cwd()) {
  const biome = resolve(root, 'node_modules/.bin/biome');
  const problems = [];
  for (const [path, text, shouldFail] of CASES) {
    const scratch = mkdtempSync(join(tmpdir(), 'novapulse-import-rules-'));
    try {
      cpSync(join(root, 'biome.json'), join(scratch, 'biome.json'));
      cpSync(join(root, 'lint-rules'), join(scratch, 'lint-rules'), { recursive: true });
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), text);
      const result = spawnSync(biome, ['lint', '--max-diagnostics=5', path], { cwd: scratch, encoding: 'utf8' });
      const output = `${result.stdout}${result.stderr}`;
      const reported = /noRestrictedImports|plugin\s/.test(output);
      if (result.status !== 0 && !reported) problems.push(`${path}: biome failed without an import diagnostic:\n${output}`);
      else if (reported !== shouldFail) problems.push(`${path}: expected ${shouldFail ? 'a lint error' : 'no lint error'} for\n  ${text.trim().replace(/\n/g, '\n  ')}`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return { cases: CASES.length, problems };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { cases, problems } = checkImportRules();
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) process.exit(1);
  console.log(`Import rules: all ${cases} cases judged as expected.`);
}
