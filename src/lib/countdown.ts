/** Whole seconds left until `deadline`, as a countdown shows them: 0.2 s left reads "1 s", and 0 once it has passed. */
export function secondsUntil(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

/**
 * Milliseconds until the next moment any of these countdowns shows a new
 * number (including the moment it reaches its deadline), or null when none
 * is still running. Ticks land on each deadline's own second boundaries, so
 * a countdown never lags by up to a second.
 */
export function msUntilNextSecond(now: number, deadlines: readonly number[]): number | null {
  let next: number | null = null;
  for (const deadline of deadlines) {
    const left = deadline - now;
    if (left <= 0) continue;
    const step = left % 1000 || 1000;
    if (next === null || step < next) next = step;
  }
  return next;
}
