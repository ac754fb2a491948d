import type { TabChannel } from '../features/upload/queue-tabs';

/**
 * A BroadcastChannel as a browser gives it to the tabs of one origin, in
 * memory, so a test can open two consoles on one queue (with the lock
 * manager of fake-web-locks.ts). Messages arrive a microtask later, cloned,
 * and never at the tab that sent them.
 */
export function createFakeTabChannels() {
  type Listener = (event: { data: unknown }) => void;
  const channels = new Set<{ listeners: Set<Listener>; closed: boolean }>();

  return {
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
