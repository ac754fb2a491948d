import type { ApiClient } from '../../api/client';
import type { Clock, RandomSource } from '../../lib/random';
import { localDuplicate, maySendBeforeHash, repeatOf, sameBatchTwin, sizesInPlay } from './duplicate-hold';
import type { HashFile } from './hash-file';
import { createQueuedFileHasher } from './hash-queued-file';
import { createRunnerTimer } from './runner-timer';
import { createUploadSender, FOUND_DUPLICATE, RUNNER_STOPPED } from './send-upload';
import { type AccountLimits, createSlotLedger, type SlotStatus } from './slot-ledger';
import type { UploadItem, UploadQueueStore } from './upload-queue-store';

export interface UploadRunnerDeps {
  store: UploadQueueStore;
  client: ApiClient;
  loadBlob: (id: string) => Promise<Blob | undefined>;
  hashFile: HashFile;
  clock: Clock;
  random: RandomSource;
  /** Reads the account's limits and active jobs (GET /v1/account); the runner decides when. */
  readAccount: () => Promise<AccountLimits>;
  /** An upload making no progress for this long is stopped and retried. */
  stallTimeoutMs?: number;
  onAccepted?: (jobId: string) => void;
  isOnline?: () => boolean;
}

export interface UploadRunner {
  start(): () => void;
  /** A job this console tracks reached completed or failed: its slot is free. */
  jobSettled(jobId: string): void;
  pump(): void;
  /** Uploads that may be in flight right now. */
  freeSlots(): number;
  slotStatus(): SlotStatus;
  subscribeSlotStatus(listener: () => void): () => void;
}

/**
 * Drains the upload queue: hashes (hash-queued-file.ts) while it sends what
 * cannot be a duplicate (`maySendBeforeHash`), holds what the
 * server would refuse as a duplicate (duplicate-hold.ts), sends as many
 * uploads as the slot ledger allows (slot-ledger.ts, send-upload.ts), and
 * wakes itself for the next due time (runner-timer.ts). This file only
 * decides, at each turn, what goes next.
 * Plain code with an injected clock and random source, so it runs in the
 * browser, in unit tests with fake timers, and in benchmarks.
 */
export function createUploadRunner(deps: UploadRunnerDeps): UploadRunner {
  const { store, client, clock } = deps;
  const gate = client.gate;
  const inFlight = new Map<string, AbortController>();
  let started = false;

  const items = () => store.getState().items;
  const events = () => store.getState();
  const isOnline = () => deps.isOnline?.() ?? true;

  const isActiveJob = (item: UploadItem) => item.state === 'accepted' && (item.jobStatus === null || item.jobStatus === 'queued' || item.jobStatus === 'processing');
  /** Our own accepted jobs still queued or processing, as the poll last saw them. */
  const ownActiveJobs = () => items().filter(isActiveJob).length;

  const slots = createSlotLedger({ clock, readAccount: deps.readAccount, ownActiveJobs, inFlight: () => inFlight.size, onReadSettled: () => pump() });
  const timer = createRunnerTimer(clock, () => pump());
  const hasher = createQueuedFileHasher({
    clock,
    events,
    loadBlob: deps.loadBlob,
    hashFile: deps.hashFile,
    isOnline,
    sentAlready: (id) => inFlight.has(id) || items().find((item) => item.id === id)?.state !== 'hashing',
    onDone: () => pump(),
  });
  const sender = createUploadSender({
    client,
    clock,
    random: deps.random,
    events,
    items,
    loadBlob: deps.loadBlob,
    hashFile: deps.hashFile,
    stallTimeoutMs: deps.stallTimeoutMs,
    onAccepted: deps.onAccepted,
    slots,
    inFlight,
    onDone: () => pump(),
  });

  // The last status published, kept as one object so screens (useSyncExternalStore) see a stable snapshot.
  let publishedStatus: SlotStatus = slots.status();
  const slotListeners = new Set<() => void>();
  function publishSlotStatus() {
    const status = slots.status();
    if (JSON.stringify(status) === JSON.stringify(publishedStatus)) return;
    publishedStatus = status;
    for (const listener of [...slotListeners]) listener();
  }

  /** Uploads sent before their hash was known whose hash has not been checked yet. */
  const sentBeforeHash = new Set<string>();
  const maySendNow = (item: UploadItem, sizes: ReadonlyMap<number, number>) =>
    !inFlight.has(item.id) && ((item.state === 'waiting' && item.sha256 !== null) || (item.state === 'hashing' && maySendBeforeHash(item, sizes)));

  /** What the duplicate checks make of an upload about to go: null when it goes. */
  function holdBack(item: UploadItem, now: number): (() => void) | null {
    const twin = sameBatchTwin(item, items());
    // The same bytes twice in one batch (a FLAC also saved as .mp3): one job, unless the person asks for two.
    if (twin !== null) return () => events().duplicateSkipped(item.id, repeatOf(item, twin));
    const duplicate = localDuplicate(item, items(), now, slots.dedupWindowMs());
    // Sending would only earn a 409: hold it with the countdown instead.
    if (duplicate !== null) return () => events().duplicateDetected(item.id, duplicate.until, null, repeatOf(item, duplicate.of));
    return null;
  }

  /**
   * An upload sent before its hash, now hashed, that the checks would have held back: stopped, and back in the queue
   * it is held or skipped as it would have been. (Sent only when no upload of its size was around, so this is the
   * safety net for what came since, not the usual path.)
   */
  function checkSentBeforeHash(now: number) {
    for (const id of [...sentBeforeHash]) {
      const item = items().find((candidate) => candidate.id === id);
      const controller = inFlight.get(id);
      if (!item || !controller) sentBeforeHash.delete(id);
      else if (item.sha256 !== null) {
        // Hashed before its request left too ('waiting' while its bytes are read): checked all the same.
        sentBeforeHash.delete(id);
        if (holdBack(item, now) !== null) controller.abort(FOUND_DUPLICATE);
      }
    }
  }

  // In a console open in several tabs, only the tab that leads the queue sends (queue-tabs.ts).
  const leads = () => store.tabs?.isLeader() ?? true;

  function pump() {
    if (!started || !leads()) return;
    const now = clock();
    let nextWake = Number.POSITIVE_INFINITY;

    for (const item of items()) {
      if (item.state === 'retrying' && item.retryAt !== null) {
        if (item.retryAt <= now) events().returnedToQueue(item.id, item.retryReason ?? 'retry');
        else nextWake = Math.min(nextWake, item.retryAt);
      }
      if (item.state === 'duplicate' && item.dedupUntil !== null) {
        // At the window's end a held file goes by itself when the person chose that, and is skipped otherwise: never held for good.
        if (item.dedupUntil > now) nextWake = Math.min(nextWake, item.dedupUntil);
        else if (item.submitWhenWindowEnds) events().returnedToQueue(item.id, 'window-ended');
        else events().duplicateWindowEnded(item.id);
      }
    }

    const online = isOnline();
    checkSentBeforeHash(now);
    hasher.next(items(), online);

    const downUntil = slots.serviceDownUntil();
    if (downUntil > now) nextWake = Math.min(nextWake, downUntil);
    const gateState = gate.getState();
    if (gateState.auth === 'open' && online) {
      if (gateState.heldUntil > now) nextWake = Math.min(nextWake, gateState.heldUntil);
      else {
        const sizes = sizesInPlay(items(), now, slots.dedupWindowMs());
        const readAt = slots.planAccountRead(now, items().some((item) => maySendNow(item, sizes)));
        if (readAt !== null) nextWake = Math.min(nextWake, readAt);
        let free = slots.freeSlots();
        for (const item of items()) {
          if (free <= 0) break;
          if (!maySendNow(item, sizes)) continue;
          const hold = item.sha256 === null ? null : holdBack(item, now);
          if (hold !== null) {
            hold();
            continue;
          }
          free -= 1;
          if (item.sha256 === null) sentBeforeHash.add(item.id);
          void sender.send(item);
        }
      }
    }
    publishSlotStatus();
    if (nextWake !== Number.POSITIVE_INFINITY) timer.wakeUpAt(nextWake);
  }

  function abortVanished() {
    for (const [id, controller] of inFlight) {
      const item = items().find((candidate) => candidate.id === id);
      if (!item || item.state === 'cancelled') {
        controller.abort();
        inFlight.delete(id);
      }
    }
  }

  return {
    start() {
      started = true;
      const unsubscribeStore = store.subscribe(() => {
        abortVanished();
        queueMicrotask(pump);
      });
      const unsubscribeGate = gate.subscribe(() => queueMicrotask(pump));
      const onOnline = () => pump();
      globalThis.addEventListener?.('online', onOnline);
      let led = leads();
      const unsubscribeTabs = store.tabs?.subscribe(() => {
        if (leads() && !led) {
          // The jobs another tab started are ours to follow now: their slots are held until the poll sees them end.
          for (const item of items()) if (isActiveJob(item) && item.jobId) deps.onAccepted?.(item.jobId);
        }
        led = leads();
        queueMicrotask(pump);
      });
      const stopTabs = store.tabs?.start();
      pump();
      return () => {
        started = false;
        unsubscribeTabs?.();
        unsubscribeStore();
        unsubscribeGate();
        globalThis.removeEventListener?.('online', onOnline);
        timer.stop();
        for (const controller of inFlight.values()) controller.abort(RUNNER_STOPPED);
        // The lead passes on; the next tab to lead treats what was cut off here as a reload does (looked up first).
        stopTabs?.();
      };
    },
    jobSettled() {
      slots.jobSettled(clock());
      pump();
    },
    pump,
    freeSlots: () => slots.freeSlots(),
    slotStatus: () => publishedStatus,
    subscribeSlotStatus(listener) {
      slotListeners.add(listener);
      return () => slotListeners.delete(listener);
    },
  };
}
