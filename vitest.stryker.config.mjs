import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { preactCompatAliases, preactCompatTest } from './scripts/preact-compat';

// The Vitest setup of vite.config.ts, for mutation runs (stryker.config.mjs).
// It leaves out the App integration tests (`*.integration.test.tsx`) and the
// soak (`soak.test.ts`): they drive the whole console over the simulator,
// take seconds each, cover nearly every mutant (so each would rerun them) and
// depend on timing that a mutation run on a loaded two-core machine does not
// give them. The model-based journeys and their replayed counterexamples
// (`*.model.test.tsx`, `journeys-regressions.test.tsx`) are App tests too. The score is the unit suite's, as issue 6 measured it; those
// suites could only kill more.
export default defineConfig({
  resolve: { alias: preactCompatAliases },
  plugins: [react()],
  test: {
    environment: 'node',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', 'src/**/*.integration.test.tsx', 'src/**/*.model.test.tsx', 'src/app/journeys-regressions.test.tsx', 'src/**/soak.test.ts'],
    setupFiles: ['src/testing/setup-tests.ts'],
    restoreMocks: true,
    ...preactCompatTest,
  },
});
