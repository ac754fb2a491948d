import { defineConfig, devices } from '@playwright/test';
import { findChromium } from './scripts/find-chromium.mjs';

const PORT = Number(process.env.NOVAPULSE_E2E_PORT ?? 4317);
const STATIC_PORT = PORT + 1;
const chromiumPath = (await findChromium())?.path;

/**
 * End-to-end tests drive headless Chromium against the demo build, served by
 * Vite's preview server with the simulator answering over real HTTP.
 */
export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://localhost:${PORT}`,
    // Real HTTP all the way: a service worker would hide XHR upload progress.
    serviceWorkers: 'block',
    trace: 'retain-on-failure',
    ...devices['Desktop Chrome'],
    launchOptions: {
      executablePath: chromiumPath,
      args: ['--disable-quic', '--disable-gpu', '--no-first-run', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'demo over HTTP', testIgnore: /service-worker\.spec\.ts/ },
    // The static demo build: a plain file server, the simulator in a service worker.
    { name: 'static demo', testMatch: /service-worker\.spec\.ts/, use: { baseURL: `http://localhost:${STATIC_PORT}`, serviceWorkers: 'allow' } },
  ],
  webServer: [
    {
      command: `VITE_CONFIG_NATIVE_IGNORE_WARNING=true npx vite build --mode demo --outDir dist-demo --logLevel warn && VITE_CONFIG_NATIVE_IGNORE_WARNING=true npx vite preview --mode demo --outDir dist-demo --port ${PORT} --strictPort`,
      url: `http://localhost:${PORT}/__sim/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // Without --mode demo the preview server is only a static file server (no simulator middleware).
      command: `until [ -f dist-demo/index.html ]; do sleep 0.5; done; VITE_CONFIG_NATIVE_IGNORE_WARNING=true npx vite preview --outDir dist-demo --port ${STATIC_PORT} --strictPort`,
      url: `http://localhost:${STATIC_PORT}/`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
