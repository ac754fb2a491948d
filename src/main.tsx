import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { ConfigErrorScreen } from './app/config-error-screen';
import type { AppConfig } from './config/env';
import { parseConfig } from './config/env';
import { loadDeploymentConfig } from './config/deployment-config';
import { applyThemeTo } from './features/settings/theme';
import { removeShellWhenAppShows } from './lib/boot-shell';
import './index.css';

// Asked for first, so the small file arrives while the rest of the start runs. Beside index.html: the app's base,
// not the current route's folder (a deep link such as /jobs/job_1 would otherwise look in /jobs/).
const deployment = loadDeploymentConfig(parseConfig(import.meta.env), `${import.meta.env.BASE_URL}config.json`);
// Before the first render, so the first paint is in the chosen theme.
applyThemeTo(document.documentElement, typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null);

/**
 * The demo switch, the one place that may load the simulator. Served by the
 * Vite dev or preview server, the simulator already answers over real HTTP;
 * as a static demo build it starts inside a service worker instead.
 */
async function startDemoBackend(config: AppConfig): Promise<void> {
  try {
    const response = await fetch(`${config.apiBase}/__sim/health`);
    const body: unknown = await response.json();
    if (response.ok && typeof body === 'object' && body !== null && 'ok' in body) return;
  } catch {
    // not served by the simulator's HTTP host: fall through to the service worker
  }
  const { startServiceWorkerHost } = await import('./mocks/browser');
  await startServiceWorkerHost();
}

async function boot() {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');
  removeShellWhenAppShows(root, document.getElementById('boot-shell'));
  const loaded = await deployment;
  if (loaded.kind === 'invalid') {
    createRoot(root).render(<ConfigErrorScreen problem={loaded.problem} />);
    return;
  }
  if (import.meta.env.VITE_DEMO === 'true') await startDemoBackend(loaded.config);
  createRoot(root).render(
    <StrictMode>
      <App config={loaded.config} />
    </StrictMode>,
  );
}

void boot();
