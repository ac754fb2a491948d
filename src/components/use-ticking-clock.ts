import { useEffect, useState } from 'react';
import { msUntilNextSecond } from '../lib/countdown';
import type { Clock } from '../lib/random';

/**
 * The time now from an injectable clock, read afresh on every render, with a
 * re-render each time one of the `deadlines` countdowns changes its whole
 * second. No timer runs once every deadline has passed: a new deadline comes
 * with a render of its own, which reads the clock again, so nothing shows a
 * stale time.
 */
export function useTickingClock(clock: Clock, deadlines: readonly number[]): number {
  const [, setTicks] = useState(0);
  const now = clock();
  const delay = msUntilNextSecond(now, deadlines);
  // Re-armed after every render: a render for any other reason has read the clock already.
  useEffect(() => {
    if (delay === null) return;
    const timer = setTimeout(() => setTicks((ticks) => ticks + 1), delay);
    return () => clearTimeout(timer);
  });
  return now;
}
