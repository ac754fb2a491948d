import type { Clock } from '../lib/random';
import type { RateLimitInfo } from './headers';

/**
 * When NovaPulse is on another origin, the page reads only the response headers the API lists in
 * `Access-Control-Expose-Headers` (besides a few safelisted ones). Every header the console relies on is outside
 * that list. The contract says every authenticated response carries the rate-limit headers and every 429 a
 * `Retry-After`, so an answer without them means "not readable here", and the console must then pace itself.
 */

/** The contract's rate limit: a fixed one-minute window per key. */
export const RATE_WINDOW_MS = 60_000;

/** The headers the console reads, in the order a deployer would write them. */
export const HEADERS_TO_EXPOSE = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'RateLimit', 'Retry-After', 'X-Request-Id', 'Date'] as const;

/** The exact line the API (or the proxy in front of it) must add. */
export const EXPOSE_HEADERS_LINE = `Access-Control-Expose-Headers: ${HEADERS_TO_EXPOSE.join(', ')}`;

/** Repeats of a wait that named no time double it, up to this many times (1, 2, 4, 8 minutes). */
const MAX_DOUBLINGS = 3;

/**
 * The headers the console needed from one answer and could not read. A 401 comes before the key is known, so it
 * carries no rate limit by contract and says nothing about what is exposed.
 */
export function unreadableHeaders(headers: Headers, status: number, code: string | null = null): string[] {
  if (status === 401) return [];
  const missing: string[] = [];
  const hasRateLimit = headers.has('RateLimit') || (headers.has('X-RateLimit-Limit') && headers.has('X-RateLimit-Remaining') && headers.has('X-RateLimit-Reset'));
  if (!hasRateLimit) missing.push('X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset');
  if (status === 429 && code === 'rate_limit_exceeded' && !headers.has('Retry-After')) missing.push('Retry-After');
  if (!headers.has('X-Request-Id')) missing.push('X-Request-Id');
  if (!headers.has('Date')) missing.push('Date');
  return missing;
}

/**
 * How long to wait after a rate-limit 429 or a 503 whose `Retry-After` the page cannot read (null: the answer named its time,
 * or the case is the catalogue's own backoff). A 429 with a readable window waits for that window's reset; with
 * none readable, the whole window, doubled for each such answer in a row. A 503 without `Retry-After` is the
 * catalogue's backoff unless the rate-limit headers are unreadable too: then its `Retry-After` may well have been
 * hidden, and it waits like a 429. Pure.
 */
export function waitWithoutRetryAfter(input: {
  status: number;
  /** The answer's error code: of the 429s only `rate_limit_exceeded` comes with a Retry-After (the slot cap does not). */
  code: string;
  retryAfterMs: number | null;
  rateLimit: RateLimitInfo | null;
  rateLimitReadable: boolean;
  now: number;
  /** Earlier answers in a row that named no time (0 for the first). */
  repeats: number;
}): number | null {
  if (input.retryAfterMs !== null) return null;
  if (!(input.status === 429 && input.code === 'rate_limit_exceeded') && input.status !== 503) return null;
  if (input.status === 429 && input.rateLimit && input.rateLimit.resetAt > input.now) return input.rateLimit.resetAt - input.now;
  if (input.status === 503 && input.rateLimitReadable) return null;
  return RATE_WINDOW_MS * 2 ** Math.min(Math.max(0, input.repeats), MAX_DOUBLINGS);
}

/**
 * This tab's own count of the key's window, for when the API's count is unreadable: the sends of the last minute
 * against the account's limit (`GET /v1/account`). A sliding minute of at most `limit` sends never puts more than
 * `limit` into any fixed window, so pacing by it keeps the key within its limit whatever the API exposes (other
 * clients on the key aside: their excess meets a 429, which then waits the full window).
 */
export interface BlindPacer {
  /** The account's requests per minute, once read. */
  limitKnown(limitPerMinute: number): void;
  /** A request left now. */
  sent(at: number): void;
  /** An answer was read: whether its rate-limit headers were (401s are not counted). */
  answerRead(rateLimitReadable: boolean): void;
  /** Whether the latest answer that should carry the rate-limit headers came without them. */
  isBlind(): boolean;
  /** Ms to wait before the next send so the last minute holds at most the limit (0: go now). */
  waitBeforeSend(now: number): number;
  /** The window as this tab counts it, for the background schedules; null unless blind with a known limit. */
  estimate(now: number): RateLimitInfo | null;
}

export function createBlindPacer(options: { clock?: Clock; windowMs?: number } = {}): BlindPacer {
  const windowMs = options.windowMs ?? RATE_WINDOW_MS;
  let limit: number | null = null;
  let blind = false;
  let sends: number[] = [];
  const inWindow = (now: number) => {
    sends = sends.filter((at) => at > now - windowMs);
    return sends;
  };
  return {
    limitKnown(limitPerMinute) {
      if (Number.isInteger(limitPerMinute) && limitPerMinute > 0) limit = limitPerMinute;
    },
    sent(at) {
      sends.push(at);
    },
    answerRead(rateLimitReadable) {
      blind = !rateLimitReadable;
    },
    isBlind: () => blind,
    waitBeforeSend(now) {
      if (!blind || limit === null) return 0;
      const recent = inWindow(now);
      if (recent.length < limit) return 0;
      // The oldest of the last `limit` sends must leave the minute first.
      const oldest = recent[recent.length - limit] as number;
      return oldest + windowMs - now + 1;
    },
    estimate(now) {
      if (!blind || limit === null) return null;
      const recent = inWindow(now);
      const resetAt = recent.length > 0 ? (recent[0] as number) + windowMs : now + windowMs;
      return { limit, remaining: Math.max(0, limit - recent.length), resetSeconds: Math.ceil((resetAt - now) / 1000), resetAt };
    },
  };
}
