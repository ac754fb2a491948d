import type { StoreApi } from 'zustand';
import { type CrossTabLock, webLocks } from '../../lib/cross-tab-lock';
import type { QueueEvents, QueueStore } from './upload-queue-store';

/** What the tabs need of a BroadcastChannel: messages go to every other tab of the console, never back to the sender. */
export interface TabChannel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export const QUEUE_LEADER_LOCK = 'novapulse.upload-queue.leader';
export const QUEUE_CHANNEL = 'novapulse.upload-queue';

/** What a person does to the queue: in a tab that does not lead, these go to the tab that does. */
const PERSON_EVENTS = [
  'uploadsQueued',
  'refusedFileDismissed',
  'uploadCancelled',
  'uploadRemoved',
  'retryNowRequested',
  'submitWhenWindowEndsRequested',
  'sendAnywayRequested',
  'metadataEdited',
  'uploadEdited',
] as const satisfies readonly (keyof QueueEvents)[];
type PersonEvent = (typeof PERSON_EVENTS)[number];

type Message =
  | { type: 'hello' }
  | { type: 'snapshot'; items: QueueStore['items']; refused: QueueStore['refused'] }
  | { type: 'event'; name: PersonEvent; args: unknown[] };

function isMessage(data: unknown): data is Message {
  if (typeof data !== 'object' || data === null) return false;
  const type = (data as { type?: unknown }).type;
  if (type === 'hello') return true;
  if (type === 'snapshot') return Array.isArray((data as { items?: unknown }).items) && Array.isArray((data as { refused?: unknown }).refused);
  return type === 'event' && PERSON_EVENTS.includes((data as { name?: PersonEvent }).name as PersonEvent) && Array.isArray((data as { args?: unknown }).args);
}

export interface QueueTabs {
  /** True while this tab's runner is the one that sends (always, where the browser has no Web Locks). */
  isLeader(): boolean;
  subscribe(listener: () => void): () => void;
  /** Asks for the lead and listens to the other tabs; returns the stop (which hands the lead on). */
  start(): () => void;
  /** This tab read the saved queue (maybe older than the leader's): a tab that does not lead asks for the leader's again. */
  queueRestored(): void;
}

/**
 * One queue for every tab of the console. The queue lives in IndexedDB, which
 * every tab opens; left alone, each tab's runner would send the same queued
 * file. So one tab leads, holding a Web Lock for as long as it is open: only
 * its runner sends and only it writes the queue. The other tabs show the
 * leader's queue as it broadcasts it, and hand what the person does there
 * (add files, cancel, retry...) to the leader. When the leading tab closes,
 * the browser frees the lock and a waiting tab takes the lead, treating what
 * was mid-send as a reload does: looked up before it is sent again.
 */
export function createQueueTabs(store: StoreApi<QueueStore>, options: { lock: CrossTabLock | null; channel: TabChannel | null; onLead?: () => void }): QueueTabs {
  const { lock, channel } = options;
  let leader = lock === null;
  let started = false;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  /** While a leader's snapshot is being applied: not a change of this tab's own. */
  let applying = false;

  const broadcast = () => channel?.postMessage({ type: 'snapshot', items: store.getState().items, refused: store.getState().refused } satisfies Message);

  // The person's actions are done here, and, in a tab that does not lead, handed to the tab that does: its queue is the
  // one that counts, and its next snapshot replaces this tab's. Done here too, so nothing is lost while no tab leads
  // yet (a lead is granted a moment after a page opens, or after the leader closes): this tab may be the next leader.
  const own = store.getState();
  const forwarded: Partial<QueueEvents> = {};
  for (const name of PERSON_EVENTS) {
    const original = own[name] as (...args: unknown[]) => void;
    (forwarded as Record<string, unknown>)[name] = (...args: unknown[]) => {
      original(...args);
      if (!leader && started) channel?.postMessage({ type: 'event', name, args } satisfies Message);
    };
  }
  store.setState(forwarded);
  const apply = (name: PersonEvent, args: unknown[]) => (own[name] as (...args: unknown[]) => void)(...args);

  function onMessage(event: { data: unknown }) {
    const message = event.data;
    if (!isMessage(message)) return;
    if (message.type === 'hello') {
      if (leader) broadcast();
    } else if (message.type === 'event') {
      if (leader) apply(message.name, message.args);
    } else if (!leader) {
      applying = true;
      try {
        store.setState({ items: message.items, refused: message.refused });
      } finally {
        applying = false;
      }
    }
  }

  let lastItems = store.getState().items;
  let lastRefused = store.getState().refused;
  store.subscribe((state) => {
    if (state.items === lastItems && state.refused === lastRefused) return;
    lastItems = state.items;
    lastRefused = state.refused;
    if (leader && started && !applying) broadcast();
  });

  function becomeLeader() {
    leader = true;
    // What the last leader had in flight may have reached the server: looked up before it is sent again, as after a reload.
    store.getState().sessionRestored();
    broadcast();
    options.onLead?.();
    notify();
  }

  return {
    isLeader: () => leader,
    queueRestored() {
      if (started && !leader) channel?.postMessage({ type: 'hello' } satisfies Message);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      started = true;
      channel?.addEventListener('message', onMessage);
      let stopped = false;
      let release = () => {};
      if (lock !== null) {
        void lock
          .run(QUEUE_LEADER_LOCK, () => {
            // Stopped while another tab led: the lead, come late, is handed straight on.
            if (stopped) return Promise.resolve();
            becomeLeader();
            return new Promise<void>((resolve) => {
              release = resolve;
            });
          })
          .catch(() => {});
        // Until the lead comes, show what the leading tab holds.
        channel?.postMessage({ type: 'hello' } satisfies Message);
      } else broadcast();
      return () => {
        started = false;
        channel?.removeEventListener('message', onMessage);
        stopped = true;
        if (lock !== null && leader) {
          leader = false;
          notify();
        }
        release();
      };
    },
  };
}

/** The browser's own Web Locks and BroadcastChannel, where it has them. */
export function browserTabs(): { lock: CrossTabLock | null; channel: TabChannel | null } {
  // Without Web Locks no tab can know it leads: each keeps to itself, as before.
  if (typeof navigator === 'undefined' || !('locks' in navigator) || !navigator.locks || typeof BroadcastChannel === 'undefined') return { lock: null, channel: null };
  return { lock: webLocks(), channel: new BroadcastChannel(QUEUE_CHANNEL) as unknown as TabChannel };
}
