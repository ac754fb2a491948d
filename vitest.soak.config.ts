import { defineConfig } from 'vitest/config';
import { preactCompatAliases, preactCompatTest } from './scripts/preact-compat';

// `npm run test:soak`: the full soak (200 uploads), kept out of `npm test` by its file name (*.soak.ts).
export default defineConfig({
  resolve: { alias: preactCompatAliases },
  test: {
    environment: 'node',
    globals: true,
    include: ['src/**/*.soak.ts'],
    setupFiles: ['src/testing/setup-tests.ts'],
    restoreMocks: true,
    ...preactCompatTest,
    testTimeout: 15 * 60_000,
  },
});
