import type { RateLimitInfo } from '../../api/headers';
import { catalogueEntryFor } from '../../errors/catalogue';
import { secondsUntil } from '../../lib/countdown';

export interface RateLimitView {
  limit: number;
  used: number;
  remaining: number;
  /**
   * 'unknown': no response has reported the window yet; 'current': the
   * window the last response described; 'new': that window has ended since,
   * so the whole allowance is back even before a response says so.
   */
  window: 'unknown' | 'current' | 'new';
  /** Seconds until the current window resets; null unless `window` is 'current'. */
  resetInSeconds: number | null;
  /** Seconds every request on the key still waits for a Retry-After; null when nothing holds. */
  heldSeconds: number | null;
  heldBy: string | null;
}

/** What the rate-limit gauge shows at `now`. Pure: the headers, the gate's hold and the time come in. */
export function rateLimitView(input: {
  rateLimit: RateLimitInfo | null;
  fallbackLimit: number;
  heldUntil: number;
  heldBy: string | null;
  now: number;
}): RateLimitView {
  const { rateLimit, now } = input;
  const held = input.heldUntil > now ? { heldSeconds: secondsUntil(input.heldUntil, now), heldBy: input.heldBy } : { heldSeconds: null, heldBy: null };
  if (!rateLimit) {
    return { limit: input.fallbackLimit, used: 0, remaining: input.fallbackLimit, window: 'unknown', resetInSeconds: null, ...held };
  }
  const limit = rateLimit.limit;
  if (rateLimit.resetAt <= now) return { limit, used: 0, remaining: limit, window: 'new', resetInSeconds: null, ...held };
  const remaining = Math.min(limit, rateLimit.remaining);
  return { limit, used: limit - remaining, remaining, window: 'current', resetInSeconds: secondsUntil(rateLimit.resetAt, now), ...held };
}

/** The gauge's sentences: the wait in force first, then the window. */
export function rateLimitDetail(view: RateLimitView): string {
  const parts: string[] = [];
  if (view.heldSeconds !== null) {
    const reason = view.heldBy ? catalogueEntryFor(view.heldBy, null).title : 'Asked to wait';
    parts.push(`${reason}: the next request waits ${view.heldSeconds} s (Retry-After).`);
  }
  if (view.window === 'current') parts.push(`${view.remaining} left; the window resets in ${view.resetInSeconds} s.`);
  else if (view.window === 'new') parts.push(`New window: all ${view.limit} requests available.`);
  else parts.push(`${view.limit} requests per minute on this key.`);
  return parts.join(' ');
}
