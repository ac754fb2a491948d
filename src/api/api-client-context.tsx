import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react';
import type { ApiClient, Exchange } from './client';
import type { ExchangeLog } from './exchange-log';
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

/** Reads the latest rate-limit window when called, without re-rendering on each response (for schedules). */
export function useLatestRateLimitReader() {
  return useApiContext().exchanges.latestRateLimit;
}

/** Every request this page load sent (newest last), re-read as requests end. */
export function useExchanges(): readonly Exchange[] {
  const { exchanges } = useApiContext();
  return useSyncExternalStore(exchanges.subscribe, exchanges.list);
}
