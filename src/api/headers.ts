import { parseHttpDate } from '../lib/http-date';

/** Rate-limit state read off a response, in absolute time so it can count down. */
export interface RateLimitInfo {
  limit: number;
  remaining: number;
  /** Seconds until the window resets, as the server said it. */
  resetSeconds: number;
  /** Epoch ms at which the window resets, from the clock at receipt. */
  resetAt: number;
}

function nonNegativeInteger(value: string | null | undefined): number | null {
  if (value == null) return null;
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  return Number(trimmed);
}

/** Parses `limit=120, remaining=57, reset=21` (the IETF draft's single-header form). */
function parseIetfRateLimit(value: string): { limit: number | null; remaining: number | null; reset: number | null } {
  const fields = new Map<string, string>();
  for (const part of value.split(/[,;]/)) {
    const [name, raw] = part.split('=').map((piece) => piece.trim());
    if (name && raw !== undefined) fields.set(name.toLowerCase(), raw.replace(/^"|"$/g, ''));
  }
  return {
    limit: nonNegativeInteger(fields.get('limit') ?? fields.get('q')),
    remaining: nonNegativeInteger(fields.get('remaining') ?? fields.get('r')),
    reset: nonNegativeInteger(fields.get('reset') ?? fields.get('t')),
  };
}

/**
 * Reads `X-RateLimit-Limit/Remaining/Reset` (reset as delta seconds) or the
 * IETF `RateLimit: limit=.., remaining=.., reset=..` header. X- headers win
 * when both are present; the IETF form fills what they leave out.
 */
export function parseRateLimit(headers: Headers, now: number): RateLimitInfo | null {
  const ietfHeader = headers.get('RateLimit');
  const ietf = ietfHeader ? parseIetfRateLimit(ietfHeader) : { limit: null, remaining: null, reset: null };
  const limit = nonNegativeInteger(headers.get('X-RateLimit-Limit')) ?? ietf.limit ?? nonNegativeInteger(headers.get('RateLimit-Limit'));
  const remaining =
    nonNegativeInteger(headers.get('X-RateLimit-Remaining')) ?? ietf.remaining ?? nonNegativeInteger(headers.get('RateLimit-Remaining'));
  const reset = nonNegativeInteger(headers.get('X-RateLimit-Reset')) ?? ietf.reset ?? nonNegativeInteger(headers.get('RateLimit-Reset'));
  if (limit === null || remaining === null || reset === null) return null;
  return { limit, remaining, resetSeconds: reset, resetAt: now + reset * 1000 };
}

/**
 * `Retry-After` as a delay in ms: delay-seconds or an HTTP-date (RFC 9110
 * section 10.2.3). A date is measured against the server's own clock (the
 * response's `Date`, `serverNow`) when there is one, so a browser clock
 * that runs fast or slow neither shortens nor stretches the wait; else
 * against `now`. A date in the past means "now" (0). Anything unreadable is
 * null, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(value: string | null, now: number, serverNow: number | null = null): number | null {
  if (value == null) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  const seconds = nonNegativeInteger(trimmed);
  if (seconds !== null) return seconds * 1000;
  const at = parseHttpDate(trimmed, serverNow ?? now);
  if (at === null) return null;
  return Math.max(0, at - (serverNow ?? now));
}

/** The response's `Date` header as epoch ms: the server's clock when it answered. */
export function parseServerDate(headers: Headers, now: number): number | null {
  const value = headers.get('Date');
  return value === null ? null : parseHttpDate(value, now);
}
