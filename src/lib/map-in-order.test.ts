import { describe, expect, it } from 'vitest';
import { mapInOrder } from './map-in-order';

/** A task whose promises the test settles by hand, recording how many run at once. */
function manualTask() {
  const pending = new Map<number, { resolve: (value: string) => void; reject: (error: unknown) => void }>();
  let running = 0;
  let mostAtOnce = 0;
  const started: number[] = [];
  const task = (item: number) =>
    new Promise<string>((resolve, reject) => {
      started.push(item);
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      pending.set(item, {
        resolve: (value) => {
          running--;
          resolve(value);
        },
        reject: (error) => {
          running--;
          reject(error);
        },
      });
    });
  return { task, pending, started, mostAtOnce: () => mostAtOnce };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('mapInOrder', () => {
  it('yields in the items order whatever order the tasks end in, never running more than the limit at once', async () => {
    const manual = manualTask();
    const results: string[] = [];
    const done = (async () => {
      for await (const outcome of mapInOrder([1, 2, 3, 4, 5], 2, manual.task, new AbortController().signal)) {
        results.push(outcome.ok ? outcome.value : 'error');
      }
    })();
    await tick();
    expect(manual.started).toEqual([1, 2]);
    manual.pending.get(2)?.resolve('two');
    await tick();
    expect(results).toEqual([]);
    expect(manual.started).toEqual([1, 2]);
    manual.pending.get(1)?.resolve('one');
    await tick();
    expect(results).toEqual(['one', 'two']);
    expect(manual.started).toEqual([1, 2, 3, 4]);
    manual.pending.get(4)?.resolve('four');
    manual.pending.get(3)?.resolve('three');
    await tick();
    manual.pending.get(5)?.resolve('five');
    await done;
    expect(results).toEqual(['one', 'two', 'three', 'four', 'five']);
    expect(manual.mostAtOnce()).toBe(2);
  });

  it('yields a failed task as its error and goes on with the rest', async () => {
    const boom = new Error('boom');
    const outcomes = [];
    for await (const outcome of mapInOrder(['a', 'b', 'c'], 3, async (item) => (item === 'b' ? Promise.reject(boom) : item.toUpperCase()), new AbortController().signal)) {
      outcomes.push(outcome);
    }
    expect(outcomes).toEqual([
      { item: 'a', ok: true, value: 'A' },
      { item: 'b', ok: false, error: boom },
      { item: 'c', ok: true, value: 'C' },
    ]);
  });

  it('once aborted, starts nothing more and throws, and hands the signal to each task', async () => {
    const manual = manualTask();
    const controller = new AbortController();
    const seenSignals: AbortSignal[] = [];
    const results: string[] = [];
    const run = (async () => {
      for await (const outcome of mapInOrder([1, 2, 3, 4], 1, (item, signal) => {
        seenSignals.push(signal);
        return manual.task(item);
      }, controller.signal)) {
        results.push(outcome.ok ? outcome.value : 'error');
      }
    })();
    await tick();
    manual.pending.get(1)?.resolve('one');
    await tick();
    expect(manual.started).toEqual([1, 2]);
    controller.abort(new DOMException('cancelled', 'AbortError'));
    manual.pending.get(2)?.resolve('two');
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(results).toEqual(['one']);
    expect(manual.started).toEqual([1, 2]);
    expect(seenSignals.every((signal) => signal === controller.signal)).toBe(true);
  });

  it('with nothing to do yields nothing', async () => {
    const outcomes = [];
    for await (const outcome of mapInOrder([], 4, async () => 1, new AbortController().signal)) outcomes.push(outcome);
    expect(outcomes).toEqual([]);
  });
});
