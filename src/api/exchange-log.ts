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
      if (exchange.rateLimit) rateLimit = mergeRateLimit(rateLimit, exchange.rateLimit);
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

/**
 * The reset is sent in whole seconds and measured from each response's
 * receipt, so two answers from one window can disagree on it by about a
 * second; a real window change moves it by most of a minute.
 */
const SAME_WINDOW_SLACK_MS = 2_000;

/**
 * The window the gauge shows, given what it showed and a response just read.
 * Concurrent requests answer in any order: within one window the lowest
 * `remaining` is the server's latest count, whichever response arrived last;
 * a later window replaces an earlier one, and a late answer from an earlier
 * window changes nothing.
 */
export function mergeRateLimit(shown: RateLimitInfo | null, next: RateLimitInfo): RateLimitInfo {
  if (!shown || next.limit !== shown.limit) return next;
  if (Math.abs(next.resetAt - shown.resetAt) <= SAME_WINDOW_SLACK_MS) return next.remaining <= shown.remaining ? next : shown;
  return next.resetAt > shown.resetAt ? next : shown;
}
