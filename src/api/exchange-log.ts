import type { Exchange } from './client';
import type { RateLimitInfo } from './headers';
import type { BlindPacer } from './hidden-headers';

/**
 * Every request the console sent in this tab, newest last: this page load's, after any an earlier page load of the
 * tab kept (see exchange-log-storage.ts). The request log, job timelines and the rate-limit gauge read it. It never
 * holds the key: an Exchange has no headers.
 */
export interface ExchangeLog {
  record(exchange: Exchange): void;
  /** What an earlier page load of this tab kept, oldest first: put before this page's, as history only (see below). */
  earlierRestored(exchanges: readonly Exchange[]): void;
  list(): readonly Exchange[];
  /** The key's window as this page load's answers tell it: exchanges kept from an earlier page load play no part. */
  latestRateLimit(): RateLimitInfo | null;
  /** The headers the latest answer (401s aside) lacked of those the console reads; the same array until that changes. */
  unreadableHeaders(): readonly string[];
  subscribe(listener: () => void): () => void;
}

const NOTHING_UNREADABLE: readonly string[] = [];

/** How many exchanges the log holds (and the tab keeps across a reload): the newest. */
export const EXCHANGE_LOG_LIMIT = 500;

export function createExchangeLog(limit = EXCHANGE_LOG_LIMIT): ExchangeLog {
  let entries: readonly Exchange[] = [];
  let rateLimit: RateLimitInfo | null = null;
  let unreadable: readonly string[] = NOTHING_UNREADABLE;
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of [...listeners]) listener();
  };
  return {
    record(exchange) {
      entries = [...entries.slice(-(limit - 1)), exchange];
      if (exchange.rateLimit) rateLimit = mergeRateLimit(rateLimit, exchange.rateLimit);
      if (exchange.status !== null && exchange.status !== 401) {
        const latest = exchange.unreadable ?? NOTHING_UNREADABLE;
        if (latest.join() !== unreadable.join()) unreadable = latest;
      }
      changed();
    },
    // Shown in the log and the timelines only: the gauge, the pacing and the header check are about the key's window
    // now, so they never see what an earlier page load was told.
    earlierRestored(earlier) {
      entries = [...earlier.map((exchange): Exchange => ({ ...exchange, earlier: true })), ...entries].slice(-limit);
      changed();
    },
    list: () => entries,
    latestRateLimit: () => rateLimit,
    unreadableHeaders: () => unreadable,
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

/**
 * The key's window as the background schedules should see it: the API's own count, or while the API's rate-limit
 * headers are unreadable, the client's count of its own sends (so polling and counting slow to the key's limit).
 */
export function rateWindowReader(exchanges: ExchangeLog, pacer: BlindPacer, clock: () => number = Date.now): () => RateLimitInfo | null {
  return () => (pacer.isBlind() ? pacer.estimate(clock()) : null) ?? exchanges.latestRateLimit();
}
