import type { RequestLogEntry } from '../mocks/core/simulator';

/**
 * The promises a journey must keep, checked against the simulator's own
 * records (its request log and its jobs) and what the person saw, never
 * against the console's code. Each returns the broken promises in words.
 */

/** The request log, with the key each request carried (the simulator's log does not say; the network does). */
export interface KeyedLogEntry extends RequestLogEntry {
  key: string | null;
}

/** A Retry-After as the simulator answered it: seconds, or an HTTP-date. Null when absent. */
export function retryAfterMs(entry: RequestLogEntry): number | null {
  if (entry.retryAfter === null) return null;
  if (/^\d+$/.test(entry.retryAfter.trim())) return Number(entry.retryAfter) * 1000;
  const at = Date.parse(entry.retryAfter);
  return Number.isNaN(at) ? null : Math.max(0, at - entry.answeredAt);
}

/**
 * No request was sent inside a Retry-After NovaPulse gave. A 429 holds the key
 * it answered (the rate limit is per key); a 503 holds the service, so every
 * key. `slackMs` forgives requests already on their way before the console
 * could read the answer (the test moves time in steps of that size).
 */
export function requestsInsideRetryAfter(log: readonly KeyedLogEntry[], slackMs: number): string[] {
  const problems: string[] = [];
  for (const answer of log) {
    const wait = retryAfterMs(answer);
    if (wait === null || wait === 0) continue;
    const until = answer.answeredAt + wait;
    const from = answer.answeredAt + slackMs;
    for (const later of log) {
      if (later === answer || later.startedAt < from || later.startedAt >= until) continue;
      if (answer.status === 429 && later.key !== answer.key) continue;
      problems.push(
        `${later.method} ${later.path}${later.query ? `?${later.query}` : ''} sent ${later.startedAt - answer.answeredAt} ms after NovaPulse answered ${answer.status} ${answer.code} with Retry-After ${answer.retryAfter} (${answer.requestId})`,
      );
    }
  }
  return problems;
}

/**
 * Reads nobody clicked for leave a quarter of the key's window free
 * (src/api/background-budget.ts states the rule; the limit and window are the
 * contract's). Checked in the windows in which the person did nothing, so
 * every GET there is a background read.
 */
export function backgroundReadsOverBudget(
  log: readonly KeyedLogEntry[],
  input: { limitPerMinute: number; windowMs: number; reserveFraction: number; personActedAt: readonly number[] },
): string[] {
  const budget = input.limitPerMinute - Math.ceil(input.limitPerMinute * input.reserveFraction);
  const busy = new Set(input.personActedAt.map((at) => Math.floor(at / input.windowMs)));
  const reads = new Map<string, KeyedLogEntry[]>();
  for (const entry of log) {
    if (entry.method !== 'GET') continue;
    const window = Math.floor(entry.startedAt / input.windowMs);
    if (busy.has(window)) continue;
    const id = `${entry.key ?? 'no key'}@${window}`;
    reads.set(id, [...(reads.get(id) ?? []), entry]);
  }
  return [...reads]
    .filter(([, entries]) => entries.length > budget)
    .map(
      ([id, entries]) =>
        `${entries.length} background reads in one window on one key (${id.replace(/^.*@/, 'window ')}: ${readsByPath(entries)}); the budget leaves ${budget} of ${input.limitPerMinute}`,
    );
}

function readsByPath(entries: readonly KeyedLogEntry[]): string {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.path, (counts.get(entry.path) ?? 0) + 1);
  return [...counts].map(([path, count]) => `${path} ${count}`).join(', ');
}

/** The console never earns a 429 of its own: NovaPulse's real rate limit (not one the test forced) answered nothing. */
export function rateLimitsEarned(log: readonly KeyedLogEntry[]): string[] {
  return log
    .filter((entry) => entry.code === 'rate_limit_exceeded' && entry.rateLimitRemaining === 0)
    .map((entry) => `${entry.method} ${entry.path} earned a real 429 (${entry.requestId})`);
}
