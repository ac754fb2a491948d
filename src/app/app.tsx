import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiProvider } from '../api/api-client-context';
import { invalidateServerViews } from '../api/cache-scope';
import { createApiClient } from '../api/client';
import { createExchangeLog } from '../api/exchange-log';
import { jobStatusHistoryFor, watchJobStatuses } from '../api/job-status-history';
import { createRequestGate, sharedGateStore } from '../api/request-gate';
import type { AppConfig } from '../config/env';
import { catalogueEntryFor } from '../errors/catalogue';
import { keyStore } from '../features/auth/key-store';
import { JobPollerProvider } from '../features/jobs/job-poller-context';
import { useApiBaseOverride } from '../features/settings/settings-store';
import { UploadProvider } from '../features/upload/upload-context';
import { firstScreenIdle } from '../lib/first-screen-idle';
import { blobStore, createUploadQueueStore, type UploadQueueStore } from '../features/upload/upload-queue-store';
import { AppConfigContext } from './app-config';
import { type ConsoleServices, startConsoleServices } from './console-services';
import { ErrorBoundary } from './error-boundary';
import { createQueryClient } from './query-client';
import { createAppRouter } from './router';

interface AppProps {
  config: AppConfig;
  router?: ReturnType<typeof createAppRouter>;
  queue?: UploadQueueStore;
}

/** Composes the house: one gate, one client, one query cache, one router, one upload queue. */
export function App({ config, router: givenRouter, queue: givenQueue }: AppProps) {
  const apiBase = useApiBaseOverride() ?? config.apiBase;
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() => givenRouter ?? createAppRouter());
  const [exchanges] = useState(() => createExchangeLog());
  const [gate] = useState(() =>
    createRequestGate({ initiallyHasKey: keyStore.getState().key !== null, holdStore: sharedGateStore(), keyIsShared: () => keyStore.getState().remembered }),
  );
  const [restored, setRestored] = useState(false);
  const [queue] = useState(() => givenQueue ?? createUploadQueueStore({ persistIn: 'indexeddb', onRestored: () => setRestored(true) }));
  const client = useMemo(
    () => createApiClient({ baseUrl: apiBase, gate, getKey: () => keyStore.getState().key, onExchange: exchanges.record }),
    [apiBase, gate, exchanges],
  );
  const [services, setServices] = useState<ConsoleServices | null>(null);

  // The request log outlives a reload of the tab (history only: the gauge and the pacing start afresh). Loaded after
  // the first screen, once the page is idle, as nothing on it needs the earlier page's requests (the earlier ones are
  // put before this page's whenever they come): the first page's JavaScript stays in budget.
  useEffect(() => {
    let stop: (() => void) | null = null;
    let stopped = false;
    const cancel = firstScreenIdle.afterIdle(() => {
      void import('../api/exchange-log-storage').then((storage) => {
        if (!stopped) stop = storage.keepExchangeLogInTab(exchanges);
      });
    });
    return () => {
      stopped = true;
      cancel();
      stop?.();
    };
  }, [exchanges]);

  // From the first job written into the cache, so a job page opened later shows the statuses seen before it.
  useEffect(() => watchJobStatuses(queryClient.getQueryCache(), jobStatusHistoryFor(queryClient)), [queryClient]);

  useEffect(() => {
    const started = startConsoleServices({ client, queryClient, exchanges, queue });
    setServices(started);
    return () => started.stop();
  }, [client, queryClient, exchanges, queue]);

  const firstClient = useRef(client);
  useEffect(() => {
    if (client === firstClient.current) return;
    firstClient.current = client;
    // Another endpoint is another server: nothing loaded from the old one may stay on screen.
    void queryClient.resetQueries();
  }, [client, queryClient]);

  useEffect(() => {
    if (restored) services?.queueRestored();
  }, [restored, services]);

  // Pending queue writes are made at once when the console goes away, and none after.
  useEffect(() => {
    queue.persistence?.start();
    return () => void queue.persistence?.stop();
  }, [queue]);

  useEffect(
    () =>
      keyStore.subscribe((state, previous) => {
        // Every key entered reopens the gate, the same key again included (it may have been renewed).
        if (!state.key || state.keyGeneration === previous.keyGeneration) return;
        gate.keyProvided();
        // A new key may be a new account: nothing cached for the old one may show.
        if (state.key !== previous.key) void queryClient.resetQueries();
        else void invalidateServerViews(queryClient);
      }),
    [gate, queryClient],
  );

  useEffect(() => {
    const rejected = (code: string) => {
      const policy = catalogueEntryFor(code, 401).retry;
      keyStore.getState().keyRejected(code, policy.kind === 'auth-gate' && policy.dropStoredKey);
    };
    const start = gate.getState();
    // A page opened after another tab learned that the remembered key is refused starts closed: say so at once.
    if (start.auth === 'closed' && start.authCode) rejected(start.authCode);
    let wasClosed = start.auth === 'closed';
    return gate.subscribe((state) => {
      const closedNow = state.auth === 'closed' && state.authCode !== null;
      // Only the closing itself opens the dialog: a later hold or tick must not reopen one the person dismissed.
      if (closedNow && !wasClosed && state.authCode) rejected(state.authCode);
      wasClosed = state.auth === 'closed';
    });
  }, [gate]);

  if (!services) return null;
  return (
    <ErrorBoundary>
      <AppConfigContext.Provider value={{ ...config, apiBase }}>
        <ApiProvider client={client} exchanges={exchanges}>
          <QueryClientProvider client={queryClient}>
            <JobPollerProvider poller={services.poller}>
              <UploadProvider value={{ store: queue, runner: services.runner, blobs: blobStore }}>
                <RouterProvider router={router} />
              </UploadProvider>
            </JobPollerProvider>
          </QueryClientProvider>
        </ApiProvider>
      </AppConfigContext.Provider>
    </ErrorBoundary>
  );
}
