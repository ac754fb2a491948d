import { createContext, type ReactNode, useContext, useMemo, useSyncExternalStore } from 'react';
import type { ApiClient, Exchange } from './client';
import { type ExchangeLog, rateWindowReader } from './exchange-log';
import type { GateState } from './request-gate';

interface ApiContextValue {
  client: ApiClient;
  exchanges: ExchangeLog;
}

const ApiContext = createContext<ApiContextValue | null>(null);

export function ApiProvider({ client, exchanges, children }: ApiContextValue & { children: ReactNode }) {
  return <ApiContext.Provider value={{ client, exchanges }}>{children}</ApiContext.Provider>;
}

function useApiContext(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApiClient needs an <ApiProvider> above it');
  return value;
}

export function useApiClient(): ApiClient {
  return useApiContext().client;
}

export function useGateState(): GateState {
  const { gate } = useApiContext().client;
  return useSyncExternalStore(gate.subscribe, gate.getState);
}

export function useLatestRateLimit() {
  const { exchanges } = useApiContext();
  return useSyncExternalStore(exchanges.subscribe, exchanges.latestRateLimit);
}

/** The headers NovaPulse's latest answer did not let this page read (hidden by CORS, or not sent). */
export function useUnreadableHeaders(): readonly string[] {
  const { exchanges } = useApiContext();
  return useSyncExternalStore(exchanges.subscribe, exchanges.unreadableHeaders);
}

/**
 * Reads the key's window when called, without re-rendering on each response (for schedules): the API's, or this
 * tab's own count while the API's headers are unreadable.
 */
export function useLatestRateLimitReader() {
  const { client, exchanges } = useApiContext();
  return useMemo(() => rateWindowReader(exchanges, client.pacer), [exchanges, client]);
}

/** Every request this tab sent (newest last; those of earlier page loads marked `earlier`), re-read as requests end. */
export function useExchanges(): readonly Exchange[] {
  const { exchanges } = useApiContext();
  return useSyncExternalStore(exchanges.subscribe, exchanges.list);
}
