import type { StoreApi } from 'zustand';
import type { QueueEvents, QueueStore } from './upload-queue-store';

/** What the tabs need of the Web Locks API (navigator.locks); tests give a fake one to play two tabs. */
export interface TabLocks {
  /** Calls `whileHeld` once this tab holds `name`, and holds it until the promise it returns settles. */
  request(name: string, options: { signal: AbortSignal }, whileHeld: () => Promise<void>): Promise<unknown>;
}

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
export function createQueueTabs(store: StoreApi<QueueStore>, options: { locks: TabLocks | null; channel: TabChannel | null; onLead?: () => void }): QueueTabs {
  const { locks, channel } = options;
  let leader = locks === null;
  let started = false;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  /** While a leader's snapshot is being applied: not a change of this tab's own. */
  let applying = false;

  const broadcast = () => channel?.postMessage({ type: 'snapshot', items: store.getState().items, refused: store.getState().refused } satisfies Message);

  // The person's actions: done here when this tab leads (or nothing else can), else handed to the tab that leads.
  const own = store.getState();
  const forwarded: Partial<QueueEvents> = {};
  for (const name of PERSON_EVENTS) {
    const original = own[name] as (...args: unknown[]) => void;
    (forwarded as Record<string, unknown>)[name] = (...args: unknown[]) => {
      if (leader || !started || channel === null) original(...args);
      else channel.postMessage({ type: 'event', name, args } satisfies Message);
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
      const abort = new AbortController();
      let release = () => {};
      if (locks !== null) {
        locks
          .request(QUEUE_LEADER_LOCK, { signal: abort.signal }, () => {
            if (abort.signal.aborted) return Promise.resolve();
            becomeLeader();
            return new Promise<void>((resolve) => {
              release = resolve;
            });
          })
          .catch(() => {
            // Aborted before the lead came: this tab stopped while another led.
          });
        // Until the lead comes, show what the leading tab holds.
        channel?.postMessage({ type: 'hello' } satisfies Message);
      } else broadcast();
      return () => {
        started = false;
        channel?.removeEventListener('message', onMessage);
        abort.abort();
        if (locks !== null && leader) {
          leader = false;
          notify();
        }
        release();
      };
    },
  };
}

/** The browser's own Web Locks and BroadcastChannel, where it has them. */
export function browserTabs(): { locks: TabLocks | null; channel: TabChannel | null } {
  const locks = typeof navigator !== 'undefined' && 'locks' in navigator && navigator.locks ? (navigator.locks as unknown as TabLocks) : null;
  // Without Web Locks no tab can know it leads: each keeps to itself, as before.
  if (locks === null || typeof BroadcastChannel === 'undefined') return { locks: null, channel: null };
  return { locks, channel: new BroadcastChannel(QUEUE_CHANNEL) as unknown as TabChannel };
}
