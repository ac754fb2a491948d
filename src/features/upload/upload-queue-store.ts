import { del, get, keys, set } from 'idb-keyval';
import { createStore, type StoreApi, useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Job, Pipeline } from '../../api/schemas';
import type { AudioFormat } from '../../lib/audio-format';
import { type KeepAcceptedBytes, type PersistTimer, persistUploadQueue, type QueuePersistence, type QueueStorage } from './queue-persistence';
import type { CrossTabLock } from '../../lib/cross-tab-lock';
import { browserTabs, createQueueTabs, type QueueTabs, type TabChannel } from './queue-tabs';

/** The kept files, loaded with the first accepted upload: the first screen does not wait for their code. */
const keptFilesOnDemand: KeepAcceptedBytes = {
  put: async (file) => (await import('./kept-files')).keptFiles.put(file),
};

export type UploadState =
  /**
   * SHA-256 being computed in a worker. A first attempt whose bytes cannot repeat anything queued (no other upload of
   * its size) is sent meanwhile, and goes on hashing while 'uploading'; see `maySendBeforeHash`.
   */
  | 'hashing'
  /** Ready, waiting for a free concurrency slot (or for the gate to open). */
  | 'waiting'
  | 'uploading'
  /** A retry is scheduled at `retryAt`. */
  | 'retrying'
  /** The server holds the same upload from the last 60 s; see `dedupUntil` and `duplicateOf`. */
  | 'duplicate'
  /** Not sent: it repeats another upload (the same bytes in this batch, or a held duplicate whose window ended). */
  | 'skipped'
  | 'accepted'
  | 'failed'
  | 'cancelled';

export interface UploadError {
  code: string;
  status: number | null;
  message: string;
  requestId: string | null;
  at: number;
}

/** What a held or skipped upload repeats: another upload in the queue, a job on the server, or both. */
export interface DuplicateOf {
  uploadId: string | null;
  fileName: string | null;
  jobId: string | null;
  /** True when the other upload was queued in the same batch as this one. */
  sameBatch: boolean;
}

export interface UploadItem {
  id: string;
  fileName: string;
  size: number;
  format: AudioFormat;
  pipeline: Pipeline;
  language: string;
  metadata: Record<string, string>;
  sha256: string | null;
  hashedBytes: number;
  state: UploadState;
  addedAt: number;
  /** Requests sent for this upload. */
  attempts: number;
  /** Failures that count toward the backoff limit (5xx, network, stall). */
  failures: number;
  /** An earlier attempt may have created the job (5xx, network loss, reload mid-upload). */
  mayHaveReachedServer: boolean;
  /** When the first attempt began (browser clock): a job that landed from this upload was created after it. */
  firstAttemptAt?: number | null;
  progress: { loaded: number; total: number | null; startedAt: number; updatedAt: number } | null;
  retryAt: number | null;
  retryReason: string | null;
  dedupUntil: number | null;
  /** When set, a duplicate is sent by itself once the window ends. */
  submitWhenWindowEnds: boolean;
  /** What a held or skipped upload repeats (absent in queues saved before it was kept). */
  duplicateOf?: DuplicateOf | null;
  /** The uploads queued together (one form submit, one bulk re-upload); absent in queues saved before it was kept. */
  batchId?: string;
  /** The person chose to send it although it repeats another upload in its batch. */
  sendAnyway?: boolean;
  jobId: string | null;
  adopted: boolean;
  acceptedAt: number | null;
  /** The accepted job's last known status and progress, from polling. */
  jobStatus: Job['status'] | 'unknown' | null;
  jobProgress: number | null;
  /** Why the accepted job failed while processing, when it did. */
  jobError: { code: string; message: string } | null;
  error: UploadError | null;
}

export type NewUpload = Pick<UploadItem, 'id' | 'fileName' | 'size' | 'format' | 'pipeline' | 'language' | 'metadata'> & {
  /** Known already when re-uploading a kept file. */
  sha256?: string | null;
};

/** A picked file refused before a byte was sent (too large, not audio, unreadable): named in its batch, never queued. */
export interface RefusedFile {
  id: string;
  fileName: string;
  size: number;
  code: string;
  reason: string;
  batchId: string;
  at: number;
}

interface QueueState {
  items: UploadItem[];
  /** Files refused before sending, with the batch they were picked for (kept for this page's life, not saved). */
  refused: RefusedFile[];
}

export interface QueueEvents {
  /** One batch: the uploads to send, and the files of the same pick that were refused before sending. */
  uploadsQueued(uploads: NewUpload[], at: number, refused?: Omit<RefusedFile, 'batchId' | 'at'>[]): void;
  refusedFileDismissed(id: string): void;
  hashProgressed(id: string, hashedBytes: number): void;
  hashComputed(id: string, sha256: string): void;
  uploadStarted(id: string, at: number): void;
  uploadProgressed(id: string, loaded: number, total: number | null, at: number): void;
  uploadAccepted(id: string, job: Job, at: number, adopted: boolean): void;
  retryScheduled(id: string, reason: string, retryAt: number, options: { countsAsFailure: boolean; mayHaveReachedServer: boolean; error: UploadError }): void;
  returnedToQueue(id: string, reason: string, options?: { mayHaveReachedServer?: boolean }): void;
  duplicateDetected(id: string, dedupUntil: number, error: UploadError | null, of?: DuplicateOf | null): void;
  /** The same bytes and parameters are already in this batch: not sent unless the person asks. */
  duplicateSkipped(id: string, of: DuplicateOf): void;
  /** A held duplicate's window ended and the person had not asked to send it: skipped, still with "Send anyway". */
  duplicateWindowEnded(id: string): void;
  /** The person sends a skipped or held duplicate after all: at once, or when the window ends if the server still holds it. */
  sendAnywayRequested(id: string): void;
  uploadFailed(id: string, error: UploadError, options?: { mayHaveReachedServer?: boolean }): void;
  uploadCancelled(id: string): void;
  uploadRemoved(id: string): void;
  retryNowRequested(id: string): void;
  submitWhenWindowEndsRequested(id: string): void;
  metadataEdited(id: string, metadata: Record<string, string>): void;
  /** The person corrected a failed or held upload's parameters; it goes again as edited. */
  uploadEdited(id: string, changes: Partial<Pick<UploadItem, 'pipeline' | 'language' | 'metadata'>>): void;
  /** An upload in flight was cut off by the console itself (endpoint change, unmount): back to the queue, never failed. */
  uploadInterrupted(id: string, reason: string): void;
  /** After a reload: nothing is in flight any more; an upload cut off may have landed. */
  sessionRestored(): void;
  acceptedJobsObserved(jobs: Job[]): void;
  acceptedJobLost(jobId: string): void;
}

export type QueueStore = QueueState & QueueEvents;

const idbStorage: QueueStorage = {
  getItem: async (name) => (await get<string>(name)) ?? null,
  setItem: (name, value) => set(name, value),
};

function update(items: UploadItem[], id: string, change: (item: UploadItem) => Partial<UploadItem> | null): UploadItem[] {
  return items.map((item) => {
    if (item.id !== id) return item;
    const patch = change(item);
    return patch ? { ...item, ...patch } : item;
  });
}

const RESTARTABLE: readonly UploadState[] = ['failed', 'cancelled', 'retrying', 'duplicate', 'waiting'];

/** Back in the queue: 'waiting' once its SHA-256 is known, 'hashing' until then (an upload may be sent before it is). */
const queued = (item: UploadItem): UploadState => (item.sha256 ? 'waiting' : 'hashing');

let batches = 0;

function events(setState: (fn: (state: QueueState) => Partial<QueueState>) => void): QueueEvents {
  const change = (id: string, fn: (item: UploadItem) => Partial<UploadItem> | null) => setState((state) => ({ items: update(state.items, id, fn) }));
  return {
    uploadsQueued: (uploads, at, refused = []) => {
      batches += 1;
      const batchId = `batch-${at}-${batches}`;
      setState((state) => ({
        refused: refused.length > 0 ? [...state.refused, ...refused.map((file) => ({ ...file, batchId, at }))] : state.refused,
        items: [
          ...state.items,
          ...uploads.map(
            (upload): UploadItem => ({
              ...upload,
              sha256: upload.sha256 ?? null,
              hashedBytes: upload.sha256 ? upload.size : 0,
              state: upload.sha256 ? 'waiting' : 'hashing',
              addedAt: at,
              attempts: 0,
              failures: 0,
              mayHaveReachedServer: false,
              progress: null,
              retryAt: null,
              retryReason: null,
              dedupUntil: null,
              submitWhenWindowEnds: false,
              duplicateOf: null,
              sendAnyway: false,
              batchId,
              jobId: null,
              adopted: false,
              acceptedAt: null,
              jobStatus: null,
              jobProgress: null,
              jobError: null,
              error: null,
            }),
          ),
        ],
      }));
    },
    refusedFileDismissed: (id) => setState((state) => ({ refused: state.refused.filter((file) => file.id !== id) })),
    hashProgressed: (id, hashedBytes) => change(id, () => ({ hashedBytes })),
    hashComputed: (id, sha256) => change(id, (item) => (item.state === 'hashing' ? { sha256, hashedBytes: item.size, state: 'waiting' } : { sha256 })),
    uploadStarted: (id, at) =>
      change(id, (item) => ({
        state: 'uploading',
        attempts: item.attempts + 1,
        firstAttemptAt: item.firstAttemptAt ?? at,
        progress: { loaded: 0, total: item.size, startedAt: at, updatedAt: at },
        retryAt: null,
      })),
    uploadProgressed: (id, loaded, total, at) =>
      change(id, (item) => (item.state === 'uploading' && item.progress ? { progress: { ...item.progress, loaded, total, updatedAt: at } } : null)),
    uploadAccepted: (id, job, at, adopted) =>
      change(id, () => ({
        state: 'accepted',
        jobId: job.id,
        adopted,
        acceptedAt: at,
        jobStatus: job.status,
        jobProgress: job.progress ?? null,
        error: null,
        retryAt: null,
        retryReason: null,
        progress: null,
        dedupUntil: null,
      })),
    acceptedJobsObserved: (jobs) =>
      setState((state) => {
        const byId = new Map(jobs.map((job) => [job.id, job]));
        let changed = false;
        const items = state.items.map((item) => {
          const job = item.jobId ? byId.get(item.jobId) : undefined;
          if (!job || (job.status === item.jobStatus && (job.progress ?? null) === item.jobProgress)) return item;
          changed = true;
          return {
            ...item,
            jobStatus: job.status,
            jobProgress: job.progress ?? null,
            jobError: job.error ? { code: job.error.code, message: job.error.message } : null,
          };
        });
        return changed ? { items } : state;
      }),
    acceptedJobLost: (jobId) => setState((state) => ({ items: state.items.map((item) => (item.jobId === jobId ? { ...item, jobStatus: 'unknown' as const } : item)) })),
    retryScheduled: (id, reason, retryAt, options) =>
      change(id, (item) =>
        item.state === 'cancelled'
          ? null
          : {
              state: 'retrying',
              retryAt,
              retryReason: reason,
              failures: item.failures + (options.countsAsFailure ? 1 : 0),
              mayHaveReachedServer: item.mayHaveReachedServer || options.mayHaveReachedServer,
              error: options.error,
              progress: null,
            },
      ),
    returnedToQueue: (id, reason, options) =>
      change(id, (item) =>
        item.state === 'cancelled'
          ? null
          : { state: queued(item), retryReason: reason, progress: null, mayHaveReachedServer: item.mayHaveReachedServer || Boolean(options?.mayHaveReachedServer) },
      ),
    duplicateDetected: (id, dedupUntil, error, of) =>
      change(id, (item) =>
        item.state === 'cancelled' ? null : { state: 'duplicate', dedupUntil, error, progress: null, retryAt: null, duplicateOf: of ?? item.duplicateOf ?? null },
      ),
    duplicateSkipped: (id, of) =>
      change(id, (item) => (item.state === 'waiting' ? { state: 'skipped', duplicateOf: of, progress: null, retryAt: null, submitWhenWindowEnds: false } : null)),
    duplicateWindowEnded: (id) =>
      change(id, (item) => (item.state === 'duplicate' && !item.submitWhenWindowEnds ? { state: 'skipped', dedupUntil: null } : null)),
    sendAnywayRequested: (id) =>
      change(id, (item) =>
        item.state === 'skipped' || item.state === 'duplicate'
          ? { state: queued(item), submitWhenWindowEnds: true, sendAnyway: true, dedupUntil: null, error: null, retryReason: 'send-anyway' }
          : null,
      ),
    uploadFailed: (id, error, options) =>
      change(id, (item) =>
        item.state === 'cancelled'
          ? null
          : { state: 'failed', error, progress: null, retryAt: null, mayHaveReachedServer: item.mayHaveReachedServer || Boolean(options?.mayHaveReachedServer) },
      ),
    uploadCancelled: (id) =>
      change(id, (item) =>
        item.state === 'accepted'
          ? null
          : {
              state: 'cancelled',
              progress: null,
              retryAt: null,
              submitWhenWindowEnds: false,
              // Cut off mid-send, its request may have reached the server and made the job: looked up before any later send.
              mayHaveReachedServer: item.mayHaveReachedServer || item.state === 'uploading',
            },
      ),
    uploadRemoved: (id) => setState((state) => ({ items: state.items.filter((item) => item.id !== id) })),
    retryNowRequested: (id) =>
      change(id, (item) =>
        RESTARTABLE.includes(item.state)
          ? { state: queued(item), retryAt: null, failures: 0, error: null, dedupUntil: null, submitWhenWindowEnds: false }
          : null,
      ),
    submitWhenWindowEndsRequested: (id) => change(id, (item) => (item.state === 'duplicate' ? { submitWhenWindowEnds: true } : null)),
    metadataEdited: (id, metadata) =>
      change(id, (item) =>
        item.state === 'duplicate' || item.state === 'skipped' || item.state === 'failed' || item.state === 'cancelled'
          ? { metadata, state: queued(item), dedupUntil: null, error: null, submitWhenWindowEnds: false, failures: 0 }
          : null,
      ),
    uploadEdited: (id, changes) =>
      change(id, (item) =>
        item.state === 'duplicate' || item.state === 'skipped' || item.state === 'failed' || item.state === 'cancelled'
          ? { ...changes, state: queued(item), dedupUntil: null, error: null, submitWhenWindowEnds: false, failures: 0, retryAt: null }
          : null,
      ),
    uploadInterrupted: (id, reason) =>
      change(id, (item) =>
        item.state === 'uploading' || item.state === 'waiting'
          ? { state: queued(item), retryReason: reason, progress: null, mayHaveReachedServer: item.mayHaveReachedServer || item.state === 'uploading' }
          : null,
      ),
    sessionRestored: () =>
      setState((state) => ({
        items: state.items.map((item) =>
          item.state === 'uploading'
            ? { ...item, state: queued(item), progress: null, mayHaveReachedServer: true, retryReason: 'reloaded', hashedBytes: item.sha256 ? item.size : 0 }
            : item.state === 'hashing'
              ? { ...item, hashedBytes: 0 }
              : item,
        ),
      })),
  };
}

/**
 * A queue store; the app makes one kept in IndexedDB (see queue-persistence.ts) and shared by the console's tabs
 * (see queue-tabs.ts), tests make plain ones. `persistence` and `tabs` are null for a plain store unless given.
 */
export function createUploadQueueStore(
  options: {
    persistIn?: 'indexeddb' | 'memory';
    onRestored?: () => void;
    storage?: QueueStorage;
    timer?: PersistTimer;
    /** The tabs' lock and channel; the browser's own for a store kept in IndexedDB. */
    tabs?: { lock: CrossTabLock | null; channel: TabChannel | null };
  } = {},
): StoreApi<QueueStore> & { persistence: QueuePersistence | null; tabs: QueueTabs | null } {
  const store = createStore<QueueStore>()((setState) => ({ items: [], refused: [], ...events(setState) }));
  const tabOptions = options.tabs ?? (options.persistIn === 'indexeddb' ? browserTabs() : null);
  let persistence: QueuePersistence | null = null;
  // Only the leading tab writes the queue: one that does not would put back what the leader has moved on from.
  const tabs = tabOptions ? createQueueTabs(store, { ...tabOptions, onLead: () => void persistence?.flush() }) : null;
  persistence =
    options.persistIn === 'indexeddb'
      ? persistUploadQueue(store, {
          storage: options.storage ?? idbStorage,
          timer: options.timer,
          blobs: blobStore,
          keptFiles: keptFilesOnDemand,
          onRestored: () => {
            tabs?.queueRestored();
            options.onRestored?.();
          },
          mayWrite: tabs ? () => tabs.isLeader() : undefined,
        })
      : null;
  return Object.assign(store, { persistence, tabs });
}

export type UploadQueueStore = ReturnType<typeof createUploadQueueStore>;

/* ---------------------------------------------------------------- blobs */

const BLOB_PREFIX = 'novapulse.upload-blob.';
const blobKey = (id: string) => `${BLOB_PREFIX}${id}`;

/**
 * Queued files' bytes live in IndexedDB beside the queue, so a reload loses
 * nothing. Once an upload is accepted they move to the kept files, and an
 * upload removed from the queue takes its bytes with it.
 */
export const blobStore = {
  put: (id: string, blob: Blob) => set(blobKey(id), blob),
  get: (id: string) => get<Blob>(blobKey(id)),
  remove: (id: string) => del(blobKey(id)),
  ids: async () => (await keys()).filter((key): key is string => typeof key === 'string' && key.startsWith(BLOB_PREFIX)).map((key) => key.slice(BLOB_PREFIX.length)),
};

/* ---------------------------------------------------------------- hooks */

export function useQueueItems(store: UploadQueueStore): UploadItem[] {
  return useStore(store, (state) => state.items);
}

export function useRefusedFiles(store: UploadQueueStore): RefusedFile[] {
  return useStore(store, (state) => state.refused);
}

export function useQueueCounts(store: UploadQueueStore) {
  return useStore(
    store,
    useShallow((state) => ({
      uploading: state.items.filter((item) => item.state === 'uploading').length,
      waiting: state.items.filter((item) => item.state === 'waiting' || item.state === 'hashing' || item.state === 'retrying').length,
    })),
  );
}
