import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { preactCompatAliases, preactCompatTest } from './scripts/preact-compat';

// `npm run test:model`: the model-based journeys at length (NOVAPULSE_MODEL_RUNS sequences, 500 by default there),
// printing the closing figures. `npm test` runs the same file briefly through vite.config.ts.
export default defineConfig({
  resolve: { alias: preactCompatAliases },
  plugins: [react()],
  test: {
    environment: 'node',
    globals: true,
    include: ['src/app/journeys.model.test.tsx'],
    setupFiles: ['src/testing/setup-tests.ts'],
    restoreMocks: true,
    ...preactCompatTest,
    testTimeout: 6 * 3600_000,
  },
});
