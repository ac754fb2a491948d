import { describe, expect, it } from 'vitest';
import type { RateLimitInfo } from '../../api/headers';
import { failedJob } from '../../testing/failed-job';
import { MIN_COUNT_GAP_MS, nextCountDelay } from './count-schedule';
import { failuresPerHour, groupFailures } from './failure-groups';
import { createFailureScan, type ScanPage } from './failure-scan';

const T0 = Date.UTC(2026, 11, 1, 12);

const job = failedJob;

function manualTimers() {
  const pending: { fn: () => void; ms: number }[] = [];
  return {
    pending,
    timers: { set: (fn: () => void, ms: number) => pending.push({ fn, ms }), clear: () => {} },
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('nextCountDelay', () => {
  const window = (remaining: number): RateLimitInfo => ({ limit: 100, remaining, resetSeconds: 60, resetAt: T0 + 60_000 });
  it('spends half of what lies above the 25 % reserve, spread until the reset', () => {
    // (85 - 25) / 2 = 30 requests over 60 s.
    expect(nextCountDelay({ now: T0, rateLimit: window(85) })).toBe(2_000);
  });
  it('waits for the reset when only the reserve is left', () => {
    expect(nextCountDelay({ now: T0, rateLimit: window(25) })).toBe(60_250);
  });
  it('keeps a minimum gap without headers', () => {
    expect(nextCountDelay({ now: T0, rateLimit: null })).toBe(MIN_COUNT_GAP_MS);
  });
});

describe('createFailureScan', () => {
  it('reads pages until one reaches the range start, counting only jobs inside it, and says when it is done', async () => {
    const pages: Record<string, ScanPage> = {
      first: { data: [job('j1', T0 - 1_000), job('j2', T0 - 2_000, 'unsupported_media_type')], next_cursor: 'c2' },
      c2: { data: [job('j3', T0 - 3_000), job('j4', T0 - 90_000)], next_cursor: 'c3' },
    };
    const cursors: (string | null)[] = [];
    const { pending, timers } = manualTimers();
    const scan = createFailureScan({
      fetchPage: async (cursor) => {
        cursors.push(cursor);
        return pages[cursor ?? 'first'] as ScanPage;
      },
      rangeStart: T0 - 60_000,
      clock: () => T0,
      random: () => 0.5,
      rateLimit: () => ({ limit: 100, remaining: 85, resetSeconds: 60, resetAt: T0 + 60_000 }),
      timers,
    });
    scan.start();
    await flush();
    expect(scan.getState()).toMatchObject({ done: false, pages: 1 });
    expect(scan.getState().jobs.map((j) => j.id)).toEqual(['j1', 'j2']);
    expect(pending.map((p) => p.ms)).toEqual([2_000]);
    pending.shift()?.fn();
    await flush();
    expect(scan.getState().done).toBe(true);
    expect(scan.getState().jobs.map((j) => j.id)).toEqual(['j1', 'j2', 'j3']);
    expect(cursors).toEqual([null, 'c2']);
    expect(pending).toHaveLength(0);
  });

  it('retries a page after a 503 and never counts a job twice', async () => {
    let calls = 0;
    const { pending, timers } = manualTimers();
    const scan = createFailureScan({
      fetchPage: async (cursor) => {
        calls += 1;
        if (calls === 2) throw Object.assign(new Error('down'), { code: 'service_unavailable', status: 503, retryAfterMs: 5_000 });
        return cursor === null ? { data: [job('j1', T0)], next_cursor: 'c2' } : { data: [job('j1', T0), job('j2', T0 - 1)], next_cursor: null };
      },
      rangeStart: T0 - 60_000,
      clock: () => T0,
      random: () => 0.5,
      rateLimit: () => null,
      timers,
    });
    scan.start();
    await flush();
    pending.shift()?.fn();
    await flush();
    expect(scan.getState().error).not.toBeNull();
    expect(pending[0]?.ms).toBe(5_000);
    pending.shift()?.fn();
    await flush();
    expect(scan.getState()).toMatchObject({ done: true, error: null });
    expect(scan.getState().jobs.map((j) => j.id)).toEqual(['j1', 'j2']);
  });
});

describe('a count the catalogue gave up on (issue 13: "Counting paused" forever)', () => {
  const unavailable = () => Object.assign(new Error('down'), { code: 'internal_error', status: 500, retryAfterMs: null });
  const expired = () => Object.assign(new Error('expired'), { code: 'expired_api_key', status: 401, retryAfterMs: null });

  it('after its retries run out, pauses and probes once a minute by itself, and goes on once NovaPulse answers', async () => {
    let failing = true;
    let calls = 0;
    const { pending, timers } = manualTimers();
    const scan = createFailureScan({
      fetchPage: async (cursor) => {
        calls += 1;
        if (failing) throw unavailable();
        return cursor === null ? { data: [job('j1', T0)], next_cursor: 'c2' } : { data: [job('j2', T0 - 1)], next_cursor: null };
      },
      rangeStart: T0 - 60_000,
      clock: () => T0,
      random: () => 0.5,
      rateLimit: () => null,
      timers,
    });
    scan.start();
    await flush();
    // The catalogue's backoff for internal_error, until it gives up.
    while (!scan.getState().paused) {
      expect(pending).toHaveLength(1);
      pending.shift()!.fn();
      await flush();
      expect(calls).toBeLessThan(20);
    }
    expect(scan.getState()).toMatchObject({ paused: true, done: false });
    expect(pending.map((timer) => timer.ms)).toEqual([60_000]);
    failing = false;
    pending.shift()!.fn();
    await flush();
    expect(scan.getState()).toMatchObject({ paused: false, error: null });
    pending.shift()!.fn();
    await flush();
    expect(scan.getState()).toMatchObject({ done: true, paused: false });
    expect(scan.getState().jobs.map((j) => j.id)).toEqual(['j1', 'j2']);
  });

  it('a 401 pauses at once; resume() reads the next page at once (a new key was set), without a second reader', async () => {
    let key = 'old';
    let calls = 0;
    const { pending, timers } = manualTimers();
    const scan = createFailureScan({
      fetchPage: async () => {
        calls += 1;
        if (key === 'old') throw expired();
        return { data: [job('j1', T0)], next_cursor: null };
      },
      rangeStart: T0 - 60_000,
      clock: () => T0,
      random: () => 0.5,
      rateLimit: () => null,
      timers,
    });
    scan.start();
    await flush();
    expect(scan.getState()).toMatchObject({ paused: true });
    expect(calls).toBe(1);
    key = 'new';
    scan.resume();
    scan.resume();
    await flush();
    expect(calls).toBe(2);
    expect(scan.getState()).toMatchObject({ done: true, paused: false, error: null });
    expect(scan.getState().jobs).toHaveLength(1);
    // Done: a late probe or resume reads nothing more.
    scan.resume();
    for (const timer of pending.splice(0)) timer.fn();
    await flush();
    expect(calls).toBe(2);
  });
});

describe('groupFailures and failuresPerHour', () => {
  it('groups by code, largest first, with first and last seen', () => {
    const groups = groupFailures([job('a', T0), job('b', T0 - 5_000, 'service_unavailable'), job('c', T0 - 9_000)]);
    expect(groups.map((g) => [g.code, g.count, g.firstSeen, g.lastSeen])).toEqual([
      ['internal_error', 2, T0 - 9_000, T0],
      ['service_unavailable', 1, T0 - 5_000, T0 - 5_000],
    ]);
  });
  it('bins failures by hour over the range', () => {
    expect(failuresPerHour([T0 - 10, T0 - 3_600_000 - 10, T0 - 3_600_000 + 10, T0 - 99_999_999], T0 - 7_200_000, T0)).toEqual([1, 2]);
  });
});
