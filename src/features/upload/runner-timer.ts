import type { Clock } from '../../lib/random';

/**
 * The runner's one timer: whatever waits (a retry, the end of a duplicate
 * window, the next account read, a hold) asks to be woken at its time, and
 * only the earliest is kept.
 */
export function createRunnerTimer(clock: Clock, wake: () => void) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let wakeAt = Number.POSITIVE_INFINITY;
  return {
    wakeUpAt(at: number) {
      if (at >= wakeAt && timer !== null) return;
      if (timer !== null) clearTimeout(timer);
      wakeAt = at;
      timer = setTimeout(
        () => {
          timer = null;
          wakeAt = Number.POSITIVE_INFINITY;
          wake();
        },
        Math.max(0, at - clock()),
      );
    },
    stop() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      wakeAt = Number.POSITIVE_INFINITY;
    },
  };
}
