import { spawnSync } from 'node:child_process';
import { defineConfig, devices } from '@playwright/test';
import { findChromium } from './scripts/find-chromium.mjs';

const PORT = Number(process.env.NOVAPULSE_E2E_PORT ?? 4317);
const STATIC_PORT = PORT + 1;
// As deployed: the production build on one origin, the API (the standalone simulator) on another; once with the
// rate-limit headers exposed to the page, once with them hidden (the common CORS mistake).
const CONSOLE_EXPOSED_PORT = PORT + 2;
const CONSOLE_HIDDEN_PORT = PORT + 3;
const API_EXPOSED_PORT = PORT + 4;
const API_HIDDEN_PORT = PORT + 5;
// The README's other way, a reverse proxy on the console's origin, runs where nginx is installed (CI installs it).
const PROXIED_PORT = PORT + 6;
const NGINX_PRESENT = spawnSync('nginx', ['-v']).status === 0;
const SIMULATOR = 'node_modules/.cache/e2e-simulator/standalone-simulator.js';
const VITE = 'VITE_CONFIG_NATIVE_IGNORE_WARNING=true npx vite';

/** Options of the production projects (see e2e/production.spec.ts). */
export interface DeployedOptions {
  /** The API's origin, where the simulator's control API (/__sim) is reached too. */
  apiURL: string;
  /** Whether the API sends Access-Control-Expose-Headers. */
  headersExposed: boolean;
  /** The folder the console is served from (its build, configured), read by the first-screen spec. */
  distDir: string;
}
// `npm test` has just built this tree's production console into dist/ (and checked it): it says so here, and that
// very build is what the production projects configure and serve. Run alone, the suite builds its own.
const BUILT_PRODUCTION = process.env.NOVAPULSE_E2E_PRODUCTION_BUILD;
const PRODUCTION_SOURCE = BUILT_PRODUCTION ?? 'dist-production';
const chromiumPath = (await findChromium())?.path;

/**
 * End-to-end tests drive headless Chromium against the demo build, served by
 * Vite's preview server with the simulator answering over real HTTP.
 */
export default defineConfig<DeployedOptions>({
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
    { name: 'demo over HTTP', testIgnore: /(service-worker|production|reverse-proxy|first-screen)\.spec\.ts/ },
    // The static demo build: a plain file server, the simulator in a service worker.
    { name: 'static demo', testMatch: /service-worker\.spec\.ts/, use: { baseURL: `http://localhost:${STATIC_PORT}`, serviceWorkers: 'allow' } },
    {
      name: 'production, API on another origin',
      // The first screen (static shell, what a cold load fetches before idle) is the production build's: checked once.
      testMatch: /(production|first-screen)\.spec\.ts/,
      use: { baseURL: `http://localhost:${CONSOLE_EXPOSED_PORT}`, apiURL: `http://localhost:${API_EXPOSED_PORT}`, headersExposed: true, distDir: 'dist-production-exposed' },
    },
    {
      name: 'production, API hiding its headers',
      testMatch: /production\.spec\.ts/,
      use: { baseURL: `http://localhost:${CONSOLE_HIDDEN_PORT}`, apiURL: `http://localhost:${API_HIDDEN_PORT}`, headersExposed: false, distDir: 'dist-production-hidden' },
    },
    ...(NGINX_PRESENT
      ? [
          {
            name: 'production behind a reverse proxy (nginx)',
            testMatch: /reverse-proxy\.spec\.ts/,
            // The proxy forwards /v1/ to the API that exposes no header to another origin.
            use: { baseURL: `http://localhost:${PROXIED_PORT}`, apiURL: `http://localhost:${API_HIDDEN_PORT}`, headersExposed: false, distDir: 'dist-production-proxied' },
          },
        ]
      : []),
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
      // The two APIs: one build of the standalone simulator, each instance allowing its own console's origin.
    {
      command: `${VITE} build --ssr src/mocks/standalone-simulator.ts --outDir node_modules/.cache/e2e-simulator --logLevel warn && node ${SIMULATOR} --port ${API_EXPOSED_PORT} --origin http://localhost:${CONSOLE_EXPOSED_PORT}`,
      url: `http://localhost:${API_EXPOSED_PORT}/__sim/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `node scripts/wait-for-url.mjs http://localhost:${API_EXPOSED_PORT}/__sim/health && node ${SIMULATOR} --port ${API_HIDDEN_PORT} --origin http://localhost:${CONSOLE_HIDDEN_PORT} --hide-expose-headers`,
      url: `http://localhost:${API_HIDDEN_PORT}/__sim/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    // The consoles: one production build (no simulator code), copied and pointed at each API by `npm run configure`.
    {
      command: [
        ...(BUILT_PRODUCTION ? [] : [`${VITE} build --outDir dist-production --logLevel warn`]),
        'rm -rf dist-production-exposed dist-production-hidden dist-production-proxied',
        `cp -r ${PRODUCTION_SOURCE} dist-production-exposed`,
        `cp -r ${PRODUCTION_SOURCE} dist-production-hidden`,
        `cp -r ${PRODUCTION_SOURCE} dist-production-proxied`,
        `node scripts/configure.mjs --dist dist-production-exposed --api-base http://localhost:${API_EXPOSED_PORT}`,
        `node scripts/configure.mjs --dist dist-production-hidden --api-base http://localhost:${API_HIDDEN_PORT}`,
        'node scripts/configure.mjs --dist dist-production-proxied --same-origin',
        `${VITE} preview --outDir dist-production-exposed --port ${CONSOLE_EXPOSED_PORT} --strictPort`,
      ].join(' && '),
      url: `http://localhost:${CONSOLE_EXPOSED_PORT}/config.json`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // Started once the first console answers: both folders are configured by then.
      command: `node scripts/wait-for-url.mjs http://localhost:${CONSOLE_EXPOSED_PORT}/config.json && ${VITE} preview --outDir dist-production-hidden --port ${CONSOLE_HIDDEN_PORT} --strictPort`,
      url: `http://localhost:${CONSOLE_HIDDEN_PORT}/config.json`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    ...(NGINX_PRESENT
      ? [
          {
            command: [
              `node scripts/wait-for-url.mjs http://localhost:${CONSOLE_EXPOSED_PORT}/config.json`,
              `node scripts/e2e-nginx-conf.mjs --port ${PROXIED_PORT} --root dist-production-proxied --api http://localhost:${API_HIDDEN_PORT} --out node_modules/.cache/e2e-nginx`,
              'nginx -p node_modules/.cache/e2e-nginx -c nginx.conf -e stderr',
            ].join(' && '),
            url: `http://localhost:${PROXIED_PORT}/config.json`,
            reuseExistingServer: false,
            timeout: 120_000,
            stdout: 'ignore' as const,
            stderr: 'pipe' as const,
          },
        ]
      : []),
  ],
});
