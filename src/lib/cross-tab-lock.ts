/**
 * A named lock held by one task at a time across every tab of the origin.
 * Injected, because jsdom has no Web Locks: tests pass a fake that models
 * several tabs sharing one lock manager.
 */
export interface CrossTabLock {
  run<T>(name: string, task: () => Promise<T>): Promise<T>;
}

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** Within one page only: tasks of the same name run one after another. */
export function inPageLock(): CrossTabLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(name: string, task: () => Promise<T>): Promise<T> {
      const before = tails.get(name) ?? Promise.resolve();
      const result = before.then(task, task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(name, tail);
      void tail.then(() => {
        if (tails.get(name) === tail) tails.delete(name);
      });
      return result;
    },
  };
}

/**
 * The browser's Web Locks (`navigator.locks`), held across tabs and released
 * when the task settles or its tab goes away. Where a browser has none, the
 * lock holds within the page only.
 */
export function webLocks(locks: LockManagerLike | undefined = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks): CrossTabLock {
  if (!locks) return inPageLock();
  return { run: (name, task) => locks.request(name, task) };
}
