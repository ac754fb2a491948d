import type { RandomSource } from './random';

/**
 * Full-jitter exponential backoff: random(0, min(cap, base * 2^(attempt-1))),
 * with `attempt` counted from 1 (the attempt that just failed).
 */
export function fullJitterDelay(attempt: number, baseMs: number, capMs: number, random: RandomSource): number {
  const ceiling = backoffCeiling(attempt, baseMs, capMs);
  return Math.floor(random() * ceiling);
}

export function backoffCeiling(attempt: number, baseMs: number, capMs: number): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(capMs, baseMs * 2 ** exponent);
}
