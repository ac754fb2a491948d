import type { Exchange } from './client';
import type { RateLimitInfo } from './headers';

/**
 * Every request the console sent, newest last, kept in memory only. The
 * request log, job timelines and the rate-limit gauge read it. It never
 * holds the key: an Exchange has no headers.
 */
export interface ExchangeLog {
  record(exchange: Exchange): void;
  list(): readonly Exchange[];
  latestRateLimit(): RateLimitInfo | null;
  subscribe(listener: () => void): () => void;
}

export function createExchangeLog(limit = 500): ExchangeLog {
  let entries: readonly Exchange[] = [];
  let rateLimit: RateLimitInfo | null = null;
  const listeners = new Set<() => void>();
  return {
    record(exchange) {
      entries = [...entries.slice(-(limit - 1)), exchange];
      if (exchange.rateLimit) rateLimit = exchange.rateLimit;
      for (const listener of [...listeners]) listener();
    },
    list: () => entries,
    latestRateLimit: () => rateLimit,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
