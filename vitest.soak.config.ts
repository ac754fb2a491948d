import { defineConfig } from 'vitest/config';

// `npm run test:soak`: the full soak (200 uploads), kept out of `npm test` by its file name (*.soak.ts).
export default defineConfig({
  test: {
    environment: 'node',
    globals: true,
    include: ['src/**/*.soak.ts'],
    setupFiles: ['src/testing/setup-tests.ts'],
    restoreMocks: true,
    testTimeout: 15 * 60_000,
  },
});
