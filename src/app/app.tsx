import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { ApiProvider } from '../api/api-client-context';
import { createApiClient } from '../api/client';
import { createExchangeLog } from '../api/exchange-log';
import { createRequestGate } from '../api/request-gate';
import type { AppConfig } from '../config/env';
import { catalogueEntryFor } from '../errors/catalogue';
import { keyStore } from '../features/auth/key-store';
import { useApiBaseOverride } from '../features/settings/settings-store';
import { AppConfigContext } from './app-config';
import { ErrorBoundary } from './error-boundary';
import { createQueryClient } from './query-client';
import { createAppRouter } from './router';

interface AppProps {
  config: AppConfig;
  router?: ReturnType<typeof createAppRouter>;
}

/** Composes the house: one gate, one client, one query cache, one router. */
export function App({ config, router: givenRouter }: AppProps) {
  const apiBase = useApiBaseOverride() ?? config.apiBase;
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() => givenRouter ?? createAppRouter());
  const [exchanges] = useState(() => createExchangeLog());
  const [gate] = useState(() => createRequestGate({ initiallyHasKey: keyStore.getState().key !== null }));
  const client = useMemo(
    () => createApiClient({ baseUrl: apiBase, gate, getKey: () => keyStore.getState().key, onExchange: exchanges.record }),
    [apiBase, gate, exchanges],
  );

  useEffect(
    () =>
      keyStore.subscribe((state, previous) => {
        if (state.key && state.key !== previous.key) {
          gate.keyProvided();
          // A new key may be a new account: nothing cached for the old one may show.
          void queryClient.resetQueries();
        }
      }),
    [gate, queryClient],
  );

  useEffect(
    () =>
      gate.subscribe((state) => {
        if (state.auth === 'closed' && state.authCode) {
          const policy = catalogueEntryFor(state.authCode, 401).retry;
          keyStore.getState().keyRejected(state.authCode, policy.kind === 'auth-gate' && policy.dropStoredKey);
        }
      }),
    [gate],
  );

  return (
    <ErrorBoundary>
      <AppConfigContext.Provider value={{ ...config, apiBase }}>
        <ApiProvider client={client} exchanges={exchanges}>
          <QueryClientProvider client={queryClient}>
            <RouterProvider router={router} />
          </QueryClientProvider>
        </ApiProvider>
      </AppConfigContext.Provider>
    </ErrorBoundary>
  );
}
