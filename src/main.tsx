import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { parseConfig } from './config/env';
import { applyThemeTo } from './features/settings/theme';
import './index.css';

const config = parseConfig(import.meta.env);
// Before the first render, so the first paint is in the chosen theme.
applyThemeTo(document.documentElement, typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null);

/**
 * The demo switch, the one place that may load the simulator. Served by the
 * Vite dev or preview server, the simulator already answers over real HTTP;
 * as a static demo build it starts inside a service worker instead.
 */
async function startDemoBackend(): Promise<void> {
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
  if (import.meta.env.VITE_DEMO === 'true') await startDemoBackend();
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');
  createRoot(root).render(
    <StrictMode>
      <App config={config} />
    </StrictMode>,
  );
}

void boot();
