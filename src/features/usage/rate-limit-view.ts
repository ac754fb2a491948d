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
   * so the whole allowance is back even before a response says so;
   * 'unreadable': the API's answers come without rate-limit headers this page can read (CORS), so no count is shown.
   */
  window: 'unknown' | 'current' | 'new' | 'unreadable';
  /** The headers that could not be read, when `window` is 'unreadable'. */
  unreadable: readonly string[];
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
  /** Headers the latest answer lacked (ExchangeLog.unreadableHeaders); none by default. */
  unreadable?: readonly string[];
}): RateLimitView {
  const { rateLimit, now } = input;
  const held = input.heldUntil > now ? { heldSeconds: secondsUntil(input.heldUntil, now), heldBy: input.heldBy } : { heldSeconds: null, heldBy: null };
  const rateLimitHeaders = (input.unreadable ?? []).filter((name) => name.startsWith('X-RateLimit-'));
  if (rateLimitHeaders.length > 0) {
    // An old count from before would be a guess shown as a fact: none is shown.
    const limit = input.fallbackLimit;
    return { limit, used: 0, remaining: limit, window: 'unreadable', unreadable: rateLimitHeaders, resetInSeconds: null, ...held };
  }
  const known = { unreadable: [] as readonly string[], ...held };
  if (!rateLimit) {
    return { limit: input.fallbackLimit, used: 0, remaining: input.fallbackLimit, window: 'unknown', resetInSeconds: null, ...known };
  }
  const limit = rateLimit.limit;
  if (rateLimit.resetAt <= now) return { limit, used: 0, remaining: limit, window: 'new', resetInSeconds: null, ...known };
  const remaining = Math.min(limit, rateLimit.remaining);
  return { limit, used: limit - remaining, remaining, window: 'current', resetInSeconds: secondsUntil(rateLimit.resetAt, now), ...known };
}

/** What the gauge says instead of a number when the API hides its count from this page. */
export function unreadableRateText(view: RateLimitView): string {
  return `Not readable: the API does not expose ${view.unreadable.join(', ')} to this page.`;
}

/** The gauge's sentences: the wait in force first, then the window. */
export function rateLimitDetail(view: RateLimitView): string {
  const parts: string[] = [];
  if (view.heldSeconds !== null) {
    const reason = view.heldBy ? catalogueEntryFor(view.heldBy, null).title : 'Asked to wait';
    parts.push(`${reason}: the next request waits ${view.heldSeconds} s (Retry-After).`);
  }
  if (view.window === 'unreadable') {
    parts.push(`The console counts its own requests and keeps to ${view.limit} a minute; Settings says what the API must add.`);
  } else if (view.window === 'current') parts.push(`${view.remaining} left; the window resets in ${view.resetInSeconds} s.`);
  else if (view.window === 'new') parts.push(`New window: all ${view.limit} requests available.`);
  else parts.push(`${view.limit} requests per minute on this key.`);
  return parts.join(' ');
}
