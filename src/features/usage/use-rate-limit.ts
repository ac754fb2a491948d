import { useGateState, useLatestRateLimit, useUnreadableHeaders } from '../../api/api-client-context';
import { useTickingClock } from '../../components/use-ticking-clock';
import type { Clock } from '../../lib/random';
import { type RateLimitView, rateLimitView } from './rate-limit-view';

/**
 * The key's rate-limit window as the latest response of any kind reported it
 * (the exchange log), with any Retry-After wait the gate holds, counting down
 * every second on `clock`.
 */
export function useRateLimit(fallbackLimit: number, clock: Clock): RateLimitView {
  const rateLimit = useLatestRateLimit();
  const unreadable = useUnreadableHeaders();
  const gate = useGateState();
  const now = useTickingClock(clock, [rateLimit?.resetAt ?? 0, gate.heldUntil]);
  return rateLimitView({ rateLimit, fallbackLimit, heldUntil: gate.heldUntil, heldBy: gate.heldBy, now, unreadable });
}
