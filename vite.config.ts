/// <reference types="vitest/config" />
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { contentSecurityPolicyPlugin } from './scripts/content-security-policy';
import { preactCompatAliases, preactCompatTest } from './scripts/preact-compat';
import { novaPulseSimulatorPlugin } from './src/mocks/http-host';

// Demo mode (`--mode demo`) serves the simulator from the dev and preview
// servers; any other mode builds a console with no simulator code at all.
export default defineConfig(({ mode }) => ({
  resolve: { alias: preactCompatAliases },
  plugins: [react(), tailwindcss(), contentSecurityPolicyPlugin(), ...(mode === 'demo' ? [novaPulseSimulatorPlugin()] : [])],
  server: { port: 5173, strictPort: false },
  preview: { port: 4173 },
  build: { sourcemap: false, chunkSizeWarningLimit: 600, manifest: true },
  test: {
    environment: 'node',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    setupFiles: ['src/testing/setup-tests.ts'],
    restoreMocks: true,
    ...preactCompatTest,
  },
}));
