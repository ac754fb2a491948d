import { BACKGROUND_RESERVE_FRACTION, backgroundGap } from '../../api/background-budget';
import type { RateLimitInfo } from '../../api/headers';

/** Share of the window left alone for uploads and screens: the one background rule. */
export const COUNT_RESERVE_FRACTION = BACKGROUND_RESERVE_FRACTION;
/** Of the budget above the reserve, the share counting may use; the rest stays for polling and list refreshes. */
export const COUNT_SHARE_OF_BUDGET = 0.5;
export const MIN_COUNT_GAP_MS = 100;

/**
 * How long to wait before reading the next page of failures. Pure: time and
 * headers come in. Counting takes half of what is left above the reserve and
 * spreads it until the window resets, so counting plus polling stays inside
 * the window and uploads keep their 25 %.
 */
export function nextCountDelay(input: { now: number; rateLimit: RateLimitInfo | null }): number {
  return Math.max(MIN_COUNT_GAP_MS, backgroundGap({ ...input, share: COUNT_SHARE_OF_BUDGET }));
}
