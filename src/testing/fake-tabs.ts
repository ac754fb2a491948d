import type { TabChannel, TabLocks } from '../features/upload/queue-tabs';

/**
 * Web Locks and a BroadcastChannel as a browser gives them to the tabs of one
 * origin, in memory, so a test can open two consoles on one queue. Grants and
 * messages arrive asynchronously (a microtask later), as in a browser.
 */
export function createFakeTabs() {
  const held = new Map<string, boolean>();
  const waiting = new Map<string, (() => void)[]>();

  function grantNext(name: string) {
    const next = waiting.get(name)?.shift();
    if (next) next();
    else held.set(name, false);
  }

  const locks: TabLocks = {
    request(name, { signal }, whileHeld) {
      return new Promise((resolve, reject) => {
        const run = () => {
          held.set(name, true);
          queueMicrotask(() => {
            whileHeld()
              .then(resolve, reject)
              .finally(() => grantNext(name));
          });
        };
        if (signal.aborted) {
          reject(new DOMException('Aborted', 'AbortError'));
          return;
        }
        if (!held.get(name)) {
          run();
          return;
        }
        const queue = waiting.get(name) ?? [];
        queue.push(run);
        waiting.set(name, queue);
        signal.addEventListener(
          'abort',
          () => {
            const at = queue.indexOf(run);
            if (at === -1) return;
            queue.splice(at, 1);
            reject(new DOMException('Aborted', 'AbortError'));
          },
          { once: true },
        );
      });
    },
  };

  type Listener = (event: { data: unknown }) => void;
  const channels = new Set<{ listeners: Set<Listener>; closed: boolean }>();

  return {
    locks,
    /** One tab's end of the channel. `close` is the tab going away. */
    channel(): TabChannel & { close(): void } {
      const self = { listeners: new Set<Listener>(), closed: false };
      channels.add(self);
      return {
        postMessage(message) {
          if (self.closed) return;
          const data = structuredClone(message);
          for (const other of channels) {
            if (other === self) continue;
            queueMicrotask(() => {
              if (!other.closed) for (const listener of [...other.listeners]) listener({ data });
            });
          }
        },
        addEventListener: (_type, listener) => self.listeners.add(listener),
        removeEventListener: (_type, listener) => self.listeners.delete(listener),
        close() {
          self.closed = true;
          channels.delete(self);
        },
      };
    },
  };
}
