import { z } from 'zod/mini';
import { createStore, type StoreApi } from 'zustand';
import { JOB_STATUSES, PIPELINES } from '../../api/schemas';
import type { AudioFormat } from '../../lib/audio-format';
import type { QueueStore, UploadItem, UploadState } from './upload-queue-store';

/**
 * Keeps the upload queue in storage without writing on every progress tick:
 * what changes many times a second (upload and hash progress, a job's
 * progress) is left out, a write happens only when what is kept changed, at
 * most once per `throttleMs`, and everything pending is flushed when the
 * page is hidden or left. A saved queue is validated when read back.
 */

export const QUEUE_STORAGE_KEY = 'novapulse.upload-queue';
export const QUEUE_FORMAT_VERSION = 2;
export const QUEUE_UNREADABLE_NOTICE =
  'The saved upload queue could not be read and was cleared. Files that were waiting in it were not sent; add them again.';

/** Progress that changes many times a second: never written, rebuilt on load. */
type Transient = 'progress' | 'hashedBytes' | 'jobProgress';
export type PersistedUploadItem = Omit<UploadItem, Transient>;

export interface QueueStorage {
  getItem(name: string): Promise<string | null> | string | null;
  setItem(name: string, value: string): Promise<void> | void;
}

export interface PersistTimer {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimer: PersistTimer = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Where a queued file's bytes wait until the upload is accepted. */
export interface QueueBlobs {
  get(id: string): Promise<Blob | undefined>;
  remove(id: string): Promise<void>;
  /** Ids of every queued file's bytes, for clearing what a lost queue left behind. */
  ids?(): Promise<string[]>;
}

/** Where accepted uploads' bytes go (see kept-files.ts). */
export interface KeepAcceptedBytes {
  put(file: { sha256: string; fileName: string; jobId: string | null; blob: Blob }): Promise<boolean>;
}

/* ------------------------------------------------------------ the format */

const UPLOAD_STATES = ['hashing', 'waiting', 'uploading', 'retrying', 'duplicate', 'skipped', 'accepted', 'failed', 'cancelled'] as const;
const AUDIO_FORMATS = ['mp3', 'wav', 'm4a', 'flac', 'ogg'] as const;
// Both lists must name every member of their union: adding a state or a format fails the type check here.
type Exhaustive<Union, Listed> = [Exclude<Union, Listed>] extends [never] ? true : false;
const statesListed: Exhaustive<UploadState, (typeof UPLOAD_STATES)[number]> = true;
const formatsListed: Exhaustive<AudioFormat, (typeof AUDIO_FORMATS)[number]> = true;
void statesListed;
void formatsListed;

const count = z.int().check(z.nonnegative());
const time = z.number();

// Loose: a field added to UploadItem later is kept through a reload even before it is named here.
const persistedItemSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  fileName: z.string(),
  size: count,
  format: z.enum(AUDIO_FORMATS),
  pipeline: z.enum(PIPELINES),
  language: z.string(),
  metadata: z.record(z.string(), z.string()),
  sha256: z.nullable(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
  state: z.enum(UPLOAD_STATES),
  addedAt: time,
  attempts: count,
  failures: count,
  mayHaveReachedServer: z.boolean(),
  firstAttemptAt: z.optional(z.nullable(time)),
  retryAt: z.nullable(time),
  retryReason: z.nullable(z.string()),
  dedupUntil: z.nullable(time),
  submitWhenWindowEnds: z.boolean(),
  // Kept since issue 13: what a held or skipped upload repeats, the person's "send anyway", and the batch it came in.
  duplicateOf: z.optional(
    z.nullable(z.object({ uploadId: z.nullable(z.string()), fileName: z.nullable(z.string()), jobId: z.nullable(z.string()), sameBatch: z.boolean() })),
  ),
  sendAnyway: z.optional(z.boolean()),
  batchId: z.optional(z.string()),
  jobId: z.nullable(z.string()),
  adopted: z.boolean(),
  acceptedAt: z.nullable(time),
  jobStatus: z.nullable(z.enum([...JOB_STATUSES, 'unknown'])),
  jobError: z.nullable(z.object({ code: z.string(), message: z.string() })),
  error: z.nullable(
    z.object({ code: z.string(), status: z.nullable(z.int()), message: z.string(), requestId: z.nullable(z.string()), at: time }),
  ),
});

const persistedQueueSchema = z.object({ version: z.literal(QUEUE_FORMAT_VERSION), items: z.array(persistedItemSchema) });
// What zustand's persist middleware wrote before this file existed: the same items, progress and all.
const legacyQueueSchema = z.object({ version: z.literal(1), state: z.object({ items: z.array(persistedItemSchema) }) });

export function toPersisted(item: UploadItem): PersistedUploadItem {
  const { progress: _progress, hashedBytes: _hashedBytes, jobProgress: _jobProgress, ...kept } = item;
  return kept;
}

function fromPersisted(item: z.infer<typeof persistedItemSchema>): UploadItem {
  const restored: PersistedUploadItem = item;
  return { ...restored, progress: null, hashedBytes: restored.sha256 ? restored.size : 0, jobProgress: null };
}

export type ReadQueueResult = { ok: true; items: UploadItem[] } | { ok: false; problem: string };

/** Reads what `serializeQueue` wrote (or the older format); never throws. */
export function parsePersistedQueue(raw: string | null): ReadQueueResult {
  if (raw === null) return { ok: true, items: [] };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const current = persistedQueueSchema.safeParse(json);
  const legacy = current.success ? null : legacyQueueSchema.safeParse(json);
  const items = current.success ? current.data.items : legacy?.success ? legacy.data.state.items : null;
  if (!items) {
    const version = typeof json === 'object' && json !== null ? (json as { version?: unknown }).version : undefined;
    if (typeof version === 'number' && version !== QUEUE_FORMAT_VERSION && version !== 1) return { ok: false, problem: `unknown version ${version}` };
    return { ok: false, problem: 'unexpected shape' };
  }
  const ids = new Set(items.map((item) => item.id));
  if (ids.size !== items.length) return { ok: false, problem: 'two uploads with one id' };
  return { ok: true, items: items.map(fromPersisted) };
}

const serializeItem = (item: UploadItem) => JSON.stringify(toPersisted(item));

/** The stored text, from items already serialized one by one. */
const assemble = (itemJson: string[]) => `{"version":${QUEUE_FORMAT_VERSION},"items":[${itemJson.join(',')}]}`;

export function serializeQueue(items: UploadItem[]): string {
  return assemble(items.map(serializeItem));
}

/* ------------------------------------------------------------ the writer */

export interface QueueNotice {
  message: string | null;
}

export interface QueuePersistence {
  /** Settles once the saved queue is in the store (or found unreadable); never rejects. */
  restored: Promise<void>;
  /** Writes now whatever changed and is not yet written. */
  flush(): Promise<void>;
  /** Watches the store again after `stop` (the app mounts, unmounts and mounts again under StrictMode). */
  start(): void;
  /** Flushes and stops watching: nothing is written after this until `start`. */
  stop(): Promise<void>;
  /** A message for the person when the saved queue could not be read. */
  notice: StoreApi<QueueNotice>;
}

export interface PersistQueueOptions {
  storage: QueueStorage;
  key?: string;
  throttleMs?: number;
  timer?: PersistTimer;
  blobs?: QueueBlobs;
  keptFiles?: KeepAcceptedBytes;
  onRestored?: () => void;
  /** Where `pagehide` is heard; the window by default. */
  page?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null;
  /** Where `visibilitychange` is heard and `visibilityState` read; the document by default. */
  visibility?: (Pick<EventTarget, 'addEventListener' | 'removeEventListener'> & { visibilityState: string }) | null;
  warn?: (message: string, error: unknown) => void;
  /** False while another tab leads the queue: nothing is written, and no bytes are moved or removed, until this one leads. */
  mayWrite?: () => boolean;
}

export function persistUploadQueue(store: StoreApi<QueueStore>, options: PersistQueueOptions): QueuePersistence {
  const key = options.key ?? QUEUE_STORAGE_KEY;
  const throttleMs = options.throttleMs ?? 1_000;
  const timer = options.timer ?? realTimer;
  const warn = options.warn ?? ((message, error) => console.warn(message, error));
  const page = options.page === undefined ? (typeof window === 'undefined' ? null : window) : options.page;
  const visibility = options.visibility === undefined ? (typeof document === 'undefined' ? null : document) : options.visibility;
  const notice = createStore<QueueNotice>()(() => ({ message: null }));
  const mayWrite = options.mayWrite ?? (() => true);

  // The last items seen, by id, with their stored text: a progress tick makes a new object whose text is unchanged.
  const seen = new Map<string, { item: UploadItem; json: string }>();
  let seenOrder: string[] = [];
  let seenItems: UploadItem[] | null = null;
  let restoredYet = false;
  let watching = false;
  let dirty = false;
  let lastWriteAt = Number.NEGATIVE_INFINITY;
  let pendingTimer: unknown = null;
  const inFlight = new Set<Promise<void>>();
  // Accepted uploads whose bytes leave the queue only once a write saying "accepted" has landed: a page that goes away
  // before that would otherwise find a queued upload with no bytes.
  const movesAwaitingWrite = new Map<string, UploadItem>();

  function write() {
    if (pendingTimer !== null) {
      timer.clearTimeout(pendingTimer);
      pendingTimer = null;
    }
    if (!dirty || !restoredYet || !mayWrite()) return;
    dirty = false;
    lastWriteAt = timer.now();
    const text = assemble(seenOrder.map((id) => seen.get(id)?.json ?? 'null'));
    const moves = [...movesAwaitingWrite.values()];
    movesAwaitingWrite.clear();
    // Called at once, never chained: storage applies writes in the order they are made (IndexedDB orders its transactions).
    const done = Promise.resolve()
      .then(() => options.storage.setItem(key, text))
      .then(() => {
        for (const item of moves) moveToKept(item);
      })
      .catch((error: unknown) => {
        warn('The upload queue could not be saved; trying again.', error);
        for (const item of moves) movesAwaitingWrite.set(item.id, item);
        dirty = true;
        schedule();
      });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  }

  function schedule() {
    if (!watching || pendingTimer !== null) return;
    pendingTimer = timer.setTimeout(
      () => {
        pendingTimer = null;
        write();
      },
      Math.max(0, lastWriteAt + throttleMs - timer.now()),
    );
  }

  function moveToKept(item: UploadItem) {
    const { blobs, keptFiles } = options;
    // Sent before its hash was known: its bytes stay for the hasher, and move when the hash comes.
    if (!blobs || !mayWrite() || item.sha256 === null) return;
    void (async () => {
      const blob = await blobs.get(item.id);
      if (!blob) return;
      const sha256 = item.sha256;
      if (sha256 && keptFiles) await keptFiles.put({ sha256, fileName: item.fileName, jobId: item.jobId, blob });
      await blobs.remove(item.id);
    })().catch((error: unknown) => warn(`The bytes of ${item.fileName} could not be moved to the kept files; they stay queued until the next start.`, error));
  }

  /** Compares the store with what was seen; marks a write when what is kept changed, and tidies the bytes of accepted and removed uploads. */
  function look(items: UploadItem[]) {
    if (items === seenItems) return;
    seenItems = items;
    let changed = items.length !== seenOrder.length;
    const present = new Set<string>();
    items.forEach((item, index) => {
      present.add(item.id);
      if (seenOrder[index] !== item.id) changed = true;
      const before = seen.get(item.id);
      if (before?.item === item) return;
      const json = serializeItem(item);
      if (before?.json !== json) changed = true;
      if (before && item.state === 'accepted' && (before.item.state !== 'accepted' || before.item.sha256 === null)) movesAwaitingWrite.set(item.id, item);
      seen.set(item.id, { item, json });
    });
    for (const id of seenOrder) {
      if (present.has(id)) continue;
      seen.delete(id);
      movesAwaitingWrite.delete(id);
      if (!mayWrite()) continue;
      void options.blobs?.remove(id).catch((error: unknown) => warn('The bytes of a removed upload could not be deleted.', error));
    }
    seenOrder = items.map((item) => item.id);
    if (changed) {
      dirty = true;
      schedule();
    }
  }

  const onPageHide = () => write();
  const onVisibility = () => {
    if (visibility?.visibilityState === 'hidden') write();
  };
  let unsubscribe: (() => void) | null = null;

  function start() {
    if (watching) return;
    watching = true;
    unsubscribe = store.subscribe((state) => {
      if (restoredYet) look(state.items);
    });
    page?.addEventListener('pagehide', onPageHide);
    visibility?.addEventListener('visibilitychange', onVisibility);
    if (restoredYet) look(store.getState().items);
    if (dirty) schedule();
  }

  async function flush() {
    write();
    await Promise.all([...inFlight]);
  }

  async function stop() {
    if (watching) {
      write();
      watching = false;
      unsubscribe?.();
      unsubscribe = null;
      page?.removeEventListener('pagehide', onPageHide);
      visibility?.removeEventListener('visibilitychange', onVisibility);
    }
    await Promise.all([...inFlight]);
  }

  async function restore() {
    let raw: string | null = null;
    let result: ReadQueueResult;
    try {
      raw = await options.storage.getItem(key);
      result = parsePersistedQueue(raw);
    } catch (error) {
      result = { ok: false, problem: `unreadable storage: ${error instanceof Error ? error.message : String(error)}` };
    }
    const restoredItems = result.ok ? result.items : [];
    if (!result.ok) {
      warn('The saved upload queue could not be read and was cleared.', result.problem);
      notice.setState({ message: QUEUE_UNREADABLE_NOTICE });
    }
    try {
      // Uploads queued while the saved queue was being read stay, after it.
      const ids = new Set(restoredItems.map((item) => item.id));
      const queuedMeanwhile = store.getState().items.filter((item) => !ids.has(item.id));
      store.setState({ items: [...restoredItems, ...queuedMeanwhile] });
      store.getState().sessionRestored();
    } finally {
      const items = store.getState().items;
      for (const item of items) seen.set(item.id, { item, json: serializeItem(item) });
      seenOrder = items.map((item) => item.id);
      seenItems = items;
      restoredYet = true;
      dirty = raw === null ? seenOrder.length > 0 : raw !== assemble(seenOrder.map((id) => seen.get(id)?.json ?? 'null'));
      if (dirty) schedule();
      for (const item of items) if (item.state === 'accepted') moveToKept(item);
      if (!result.ok && mayWrite()) void removeLostBytes();
      options.onRestored?.();
    }
  }

  /** After an unreadable queue, the bytes it listed belong to nothing anyone can see or send. */
  async function removeLostBytes() {
    try {
      const ids = (await options.blobs?.ids?.()) ?? [];
      await Promise.all(ids.filter((id) => !store.getState().items.some((item) => item.id === id)).map((id) => options.blobs?.remove(id)));
    } catch (error) {
      warn('The bytes left by an unreadable upload queue could not be deleted.', error);
    }
  }

  start();
  const restored = restore().catch((error: unknown) => warn('Restoring the upload queue failed.', error));
  return { restored, flush, start, stop, notice };
}
