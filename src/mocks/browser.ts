import { setupWorker } from 'msw/browser';
import { createDemoSimulator } from './core/demo';
import { createHandlers } from './handlers';

/** The static demo build: the simulator answers inside a service worker. */
export async function startServiceWorkerHost(): Promise<void> {
  const worker = setupWorker(...createHandlers(createDemoSimulator()));
  await worker.start({
    onUnhandledRequest: 'bypass',
    quiet: true,
    serviceWorker: { url: `${import.meta.env.BASE_URL}mockServiceWorker.js` },
  });
}
