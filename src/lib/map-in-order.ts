export type Outcome<I, T> = { item: I; ok: true; value: T } | { item: I; ok: false; error: unknown };

/**
 * Runs `task` over `items`, at most `concurrency` at a time, and yields each outcome in the items' order: a window of
 * `concurrency` tasks runs ahead of the one awaited, so no more results wait in memory than that. A task that fails
 * yields its error and the rest go on; once `signal` aborts, no task starts and the iteration throws the abort reason.
 */
export async function* mapInOrder<I, T>(
  items: readonly I[],
  concurrency: number,
  task: (item: I, signal: AbortSignal) => Promise<T>,
  signal: AbortSignal,
): AsyncGenerator<Outcome<I, T>> {
  const width = Math.max(1, Math.floor(concurrency));
  const window: Promise<Outcome<I, T>>[] = [];
  let next = 0;
  const startNext = () => {
    const item = items[next++] as I;
    window.push(
      Promise.resolve()
        .then(() => task(item, signal))
        .then(
          (value): Outcome<I, T> => ({ item, ok: true, value }),
          (error: unknown): Outcome<I, T> => ({ item, ok: false, error }),
        ),
    );
  };
  signal.throwIfAborted();
  while (next < items.length && window.length < width) startNext();
  while (window.length > 0) {
    const outcome = await (window.shift() as Promise<Outcome<I, T>>);
    signal.throwIfAborted();
    if (next < items.length) startNext();
    yield outcome;
  }
}
