import { describe, expect, it } from 'vitest';
import type { RateLimitInfo } from '../../api/headers';
import { failedJob } from '../../testing/failed-job';
import { createFailureScan, type ScanPage } from './failure-scan';

// Written against the survivors of a mutation run (docs/mutation-testing.md, issue 13).

const T0 = Date.UTC(2026, 11, 1, 12);

const job = failedJob;

/** Timers the test fires by hand; a cleared timer is gone, as with clearTimeout. */
function manualTimers() {
  const pending: { fn: () => void; ms: number }[] = [];
  return {
    pending,
    timers: {
      set: (fn: () => void, ms: number) => {
        const handle = { fn, ms };
        pending.push(handle);
        return handle;
      },
      clear: (handle: unknown) => {
        const at = pending.indexOf(handle as { fn: () => void; ms: number });
        if (at >= 0) pending.splice(at, 1);
      },
    },
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the failure count, read in the background', () => {
  const window = (remaining: number): RateLimitInfo => ({ limit: 100, remaining, resetSeconds: 60, resetAt: T0 + 60_000 });
  const base = { rangeStart: T0 - 60_000, clock: () => T0, random: () => 0.5, rateLimit: () => null };

  it('before its first page it shows nothing read: not done, not paused, no error', () => {
    const scan = createFailureScan({ ...base, fetchPage: async () => ({ data: [], next_cursor: null }), timers: manualTimers().timers });
    expect(scan.getState()).toEqual({ jobs: [], done: false, pages: 0, error: null, paused: false });
  });

  it('counts a failure created exactly at the range start (the range includes its start)', async () => {
    const scan = createFailureScan({ ...base, fetchPage: async () => ({ data: [job('j1', T0), job('j2', T0 - 60_000), job('j3', T0 - 60_001)], next_cursor: 'c2' }), timers: manualTimers().timers });
    scan.start();
    await flush();
    expect(scan.getState().jobs.map((one) => one.id)).toEqual(['j1', 'j2']);
    expect(scan.getState().done).toBe(true);
  });

  it('tells its subscribers of each page read, and no more once they unsubscribe', async () => {
    const { pending, timers } = manualTimers();
    const pages: Record<string, ScanPage> = { first: { data: [job('j1', T0)], next_cursor: 'c2' }, c2: { data: [job('j2', T0 - 1)], next_cursor: null } };
    const scan = createFailureScan({ ...base, fetchPage: async (cursor) => pages[cursor ?? 'first'] as ScanPage, timers });
    const seen: number[] = [];
    const unsubscribe = scan.subscribe(() => seen.push(scan.getState().pages));
    scan.start();
    await flush();
    expect(seen).toEqual([1]);
    unsubscribe();
    pending.shift()?.fn();
    await flush();
    expect(scan.getState().pages).toBe(2);
    expect(seen).toEqual([1]);
  });

  it('a second start() while a page is being read sends no second request', async () => {
    let calls = 0;
    let answer: (page: ScanPage) => void = () => undefined;
    const scan = createFailureScan({
      ...base,
      fetchPage: () => {
        calls += 1;
        return new Promise<ScanPage>((resolve) => {
          answer = resolve;
        });
      },
      timers: manualTimers().timers,
    });
    scan.start();
    scan.start();
    expect(calls).toBe(1);
    answer({ data: [], next_cursor: null });
    await flush();
    expect(scan.getState()).toMatchObject({ done: true, pages: 1 });
  });

  it('a second start() while it waits between pages leaves one wait, not two chains of reads', async () => {
    const { pending, timers } = manualTimers();
    let calls = 0;
    const scan = createFailureScan({
      ...base,
      fetchPage: async () => {
        calls += 1;
        return { data: [job(`j${calls}`, T0 - calls)], next_cursor: `c${calls}` };
      },
      timers,
    });
    scan.start();
    await flush();
    expect(pending).toHaveLength(1);
    scan.start();
    await flush();
    expect(calls).toBe(2);
    expect(pending).toHaveLength(1);
  });

  it('after a failed page, waits for the rate-limit window to reset when only the reserve is left, even if the retry would come sooner', async () => {
    const { pending, timers } = manualTimers();
    const scan = createFailureScan({
      ...base,
      rateLimit: () => window(25),
      fetchPage: async () => {
        throw Object.assign(new Error('down'), { code: 'service_unavailable', status: 503, retryAfterMs: 5_000 });
      },
      timers,
    });
    scan.start();
    await flush();
    expect(scan.getState().paused).toBe(false);
    expect(pending.map((timer) => timer.ms)).toEqual([60_250]);
  });

  it('resume() during a backoff replaces the wait: after the page it reads, one wait is left, not two chains of reads', async () => {
    const { pending, timers } = manualTimers();
    let calls = 0;
    const scan = createFailureScan({
      ...base,
      fetchPage: async () => {
        calls += 1;
        if (calls === 1) throw Object.assign(new Error('down'), { code: 'service_unavailable', status: 503, retryAfterMs: 5_000 });
        return { data: [job(`j${calls}`, T0 - calls)], next_cursor: `c${calls}` };
      },
      timers,
    });
    scan.start();
    await flush();
    expect(pending.map((timer) => timer.ms)).toEqual([5_000]);
    scan.resume();
    await flush();
    expect(calls).toBe(2);
    expect(pending).toHaveLength(1);
  });

  it('resume() reads the next page at once, even before start()', async () => {
    let calls = 0;
    const scan = createFailureScan({
      ...base,
      fetchPage: async () => {
        calls += 1;
        return { data: [job('j1', T0)], next_cursor: null };
      },
      timers: manualTimers().timers,
    });
    scan.resume();
    await flush();
    expect(calls).toBe(1);
    expect(scan.getState()).toMatchObject({ done: true, pages: 1 });
  });

  describe('stop() (the page left or the filters changed)', () => {
    it('can be called before any read', () => {
      const scan = createFailureScan({ ...base, fetchPage: async () => ({ data: [], next_cursor: null }), timers: manualTimers().timers });
      expect(() => scan.stop()).not.toThrow();
    });

    it('aborts the page being read, and its late answer changes nothing', async () => {
      let signal: AbortSignal | null = null;
      let answer: (page: ScanPage) => void = () => undefined;
      const { pending, timers } = manualTimers();
      const scan = createFailureScan({
        ...base,
        fetchPage: (_cursor, abort) => {
          signal = abort;
          return new Promise<ScanPage>((resolve) => {
            answer = resolve;
          });
        },
        timers,
      });
      const heard = vi.fn();
      scan.subscribe(heard);
      scan.start();
      scan.stop();
      expect((signal as AbortSignal | null)?.aborted).toBe(true);
      answer({ data: [job('j1', T0)], next_cursor: 'c2' });
      await flush();
      expect(scan.getState()).toEqual({ jobs: [], done: false, pages: 0, error: null, paused: false });
      expect(heard).not.toHaveBeenCalled();
      expect(pending).toHaveLength(0);
    });

    it('the aborted read’s error is not shown', async () => {
      const { pending, timers } = manualTimers();
      const scan = createFailureScan({
        ...base,
        fetchPage: (_cursor, signal) =>
          new Promise<ScanPage>((_resolve, reject) => {
            signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
          }),
        timers,
      });
      scan.start();
      scan.stop();
      await flush();
      expect(scan.getState()).toMatchObject({ error: null, paused: false, pages: 0 });
      expect(pending).toHaveLength(0);
    });

    it('cancels the wait before the next page: started again, it reads at one pace only', async () => {
      const { pending, timers } = manualTimers();
      let calls = 0;
      const scan = createFailureScan({
        ...base,
        fetchPage: async () => {
          calls += 1;
          return { data: [job(`j${calls}`, T0 - calls)], next_cursor: `c${calls}` };
        },
        timers,
      });
      scan.start();
      await flush();
      expect(pending).toHaveLength(1);
      scan.stop();
      expect(pending).toHaveLength(0);
      scan.start();
      await flush();
      expect(calls).toBe(2);
      expect(pending).toHaveLength(1);
    });

    it('stopped by a subscriber as a page arrives (the page unmounts), it schedules no further read', async () => {
      const { pending, timers } = manualTimers();
      const scan = createFailureScan({ ...base, fetchPage: async () => ({ data: [job('j1', T0)], next_cursor: 'c2' }), timers });
      scan.subscribe(() => scan.stop());
      scan.start();
      await flush();
      expect(scan.getState().pages).toBe(1);
      expect(pending).toHaveLength(0);
    });
  });
});
