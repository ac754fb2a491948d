import { createStore, delMany, entries, set, setMany, type UseStore } from 'idb-keyval';
import { type JobStatus, JOB_STATUSES, PIPELINES, type Pipeline } from '../../api/schemas';
import { type CrossTabLock, webLocks } from '../../lib/cross-tab-lock';
import { reportConsumerError } from '../../lib/report-error';
import type { UploadItem, UploadState } from './upload-queue-store';

/**
 * The one record of every re-run, kept in IndexedDB: "already done" is a
 * record looked up before acting, never a flag in a button. The API has no
 * field linking a re-run to the job it repeats (and the new job's metadata
 * must equal the old one's), so this browser is where the link lives.
 */
export interface RerunRecord {
  /** The queued upload that carries the re-run (the record's key). */
  uploadId: string;
  /** The job re-run: a failed job, or a transcription job re-run with full analysis. */
  fromJobId: string;
  pipeline: Pipeline;
  /** The job it became, once NovaPulse accepted the upload. */
  jobId: string | null;
  /** The new job's last status seen by the tab that queued it. */
  jobStatus: JobStatus | 'unknown' | null;
  /** The upload's last state seen by the tab that queued it, until it became a job. */
  uploadState: UploadState | null;
  at: number;
}

export interface RerunRequest {
  fromJobId: string;
  pipeline: Pipeline;
  uploadId: string;
  at: number;
  /** A deliberate repeat the person confirmed, having seen this many earlier re-runs of the job. */
  repeatOf?: number;
}

export type ClaimOutcome = { kind: 'claimed'; request: RerunRequest } | { kind: 'already'; request: RerunRequest; earlier: RerunRecord[] };

const UPLOAD_STATES: readonly string[] = ['hashing', 'waiting', 'uploading', 'retrying', 'duplicate', 'accepted', 'failed', 'cancelled'];

export function isRerunRecord(value: unknown): value is RerunRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.uploadId === 'string' &&
    typeof record.fromJobId === 'string' &&
    (PIPELINES as readonly unknown[]).includes(record.pipeline) &&
    (record.jobId === null || typeof record.jobId === 'string') &&
    (record.jobStatus === null || record.jobStatus === 'unknown' || (JOB_STATUSES as readonly unknown[]).includes(record.jobStatus)) &&
    (record.uploadState === null || UPLOAD_STATES.includes(record.uploadState as string)) &&
    typeof record.at === 'number'
  );
}

/** The re-runs of `jobId`, newest first. */
export function rerunsOf(records: readonly RerunRecord[], jobId: string): RerunRecord[] {
  return records.filter((record) => record.fromJobId === jobId).sort((a, b) => b.at - a.at);
}

/** The job `jobId` re-runs, when it is a re-run. */
export function rerunOrigin(records: readonly RerunRecord[], jobId: string): string | null {
  return records.find((record) => record.jobId === jobId)?.fromJobId ?? null;
}

/**
 * Which requests may go: a job never re-run, or a repeat the person confirmed
 * having seen exactly the re-runs there are now. A second request for the same
 * job in one batch meets the first.
 */
export function decideReruns(stored: readonly RerunRecord[], requests: readonly RerunRequest[]): ClaimOutcome[] {
  const known = [...stored];
  return requests.map((request): ClaimOutcome => {
    const earlier = rerunsOf(known, request.fromJobId);
    if (earlier.length > 0 && request.repeatOf !== earlier.length) return { kind: 'already', request, earlier };
    known.push(recordOf(request));
    return { kind: 'claimed', request };
  });
}

function recordOf(request: RerunRequest): RerunRecord {
  return { uploadId: request.uploadId, fromJobId: request.fromJobId, pipeline: request.pipeline, jobId: null, jobStatus: null, uploadState: 'waiting', at: request.at };
}

/** Records whose upload this queue knows better: the job it became, its status, or the upload's state. */
export function recordUpdates(records: readonly RerunRecord[], items: readonly Pick<UploadItem, 'id' | 'jobId' | 'jobStatus' | 'state'>[]): RerunRecord[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  return records.flatMap((record) => {
    const item = byId.get(record.uploadId);
    if (!item) return [];
    const next = { ...record, jobId: item.jobId ?? record.jobId, jobStatus: item.jobStatus ?? record.jobStatus, uploadState: item.state };
    return next.jobId === record.jobId && next.jobStatus === record.jobStatus && next.uploadState === record.uploadState ? [] : [next];
  });
}

/** Tells the other tabs that the records changed. */
export interface LedgerChannel {
  post(): void;
  listen(onChange: () => void): () => void;
}

function broadcastChannel(name: string): LedgerChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  let channel: BroadcastChannel | null = null;
  const open = () => {
    if (!channel) {
      channel = new BroadcastChannel(name);
      // Node's channel would keep a test process alive; a browser has no unref.
      (channel as { unref?: () => void }).unref?.();
    }
    return channel;
  };
  return {
    post: () => open().postMessage('changed'),
    listen: (onChange) => {
      const target = open();
      target.addEventListener('message', onChange);
      return () => target.removeEventListener('message', onChange);
    },
  };
}

export interface RerunLedger {
  all(): readonly RerunRecord[];
  subscribe(listener: () => void): () => void;
  /** Reads the stored records once (and takes over the links kept before the ledger); later calls answer the same promise. */
  load(): Promise<void>;
  /**
   * Under the lock held across tabs: reads the records as stored now, decides
   * each request, records those that may go and hands them to `enqueue`
   * before the lock is released. If `enqueue` throws, their records are taken
   * back and the error is passed on.
   */
  claim(requests: readonly RerunRequest[], enqueue: (claimed: RerunRequest[]) => Promise<void>): Promise<ClaimOutcome[]>;
  /** Notes what this tab's queue knows about the uploads it carries. */
  observe(items: readonly Pick<UploadItem, 'id' | 'jobId' | 'jobStatus' | 'state'>[]): Promise<void>;
}

function reportLedgerError(what: string, error: unknown) {
  reportConsumerError(new Error(`Re-run ledger: ${what}`, { cause: error }));
}

export const RERUN_LOCK = 'novapulse-rerun-ledger';
const LEGACY_LINKS = { dbName: 'novapulse-reupload-links', storeName: 'links' };

async function legacyLinks(): Promise<{ records: RerunRecord[]; store: UseStore } | null> {
  // Opening a database that is not there would create it; most browsers can list them first.
  if (typeof indexedDB === 'undefined') return null;
  if (typeof indexedDB.databases === 'function' && !(await indexedDB.databases()).some((db) => db.name === LEGACY_LINKS.dbName)) return null;
  const store = createStore(LEGACY_LINKS.dbName, LEGACY_LINKS.storeName);
  const records = (await entries(store)).flatMap(([, value]) => {
    const link = value as Record<string, unknown> | null;
    if (!link || typeof link.uploadId !== 'string' || typeof link.fromJobId !== 'string' || typeof link.at !== 'number') return [];
    const candidate = { uploadId: link.uploadId, fromJobId: link.fromJobId, pipeline: link.pipeline, jobId: link.toJobId ?? null, jobStatus: null, uploadState: null, at: link.at };
    return isRerunRecord(candidate) ? [candidate] : [];
  });
  return { records, store };
}

export function createRerunLedger(options: { dbName?: string; lock?: CrossTabLock; channel?: LedgerChannel | null; takeOverLegacyLinks?: boolean } = {}): RerunLedger {
  const dbName = options.dbName ?? 'novapulse-rerun-ledger';
  const lock = options.lock ?? webLocks();
  const channel = options.channel === undefined ? broadcastChannel(dbName) : options.channel;
  let idb: UseStore | null = null;
  const db = () => {
    idb ??= createStore(dbName, 'reruns');
    return idb;
  };
  let records: readonly RerunRecord[] = [];
  let loading: Promise<void> | null = null;
  const listeners = new Set<() => void>();
  const publish = (next: readonly RerunRecord[]) => {
    records = next;
    for (const listener of [...listeners]) listener();
  };
  const readStored = async () => (await entries(db())).map(([, value]) => value).filter(isRerunRecord);
  const refresh = async () => publish(await readStored());

  async function takeOverLegacy() {
    const legacy = await legacyLinks();
    if (!legacy || legacy.records.length === 0) return;
    const stored = new Set((await readStored()).map((record) => record.uploadId));
    const fresh = legacy.records.filter((record) => !stored.has(record.uploadId));
    await setMany(fresh.map((record) => [record.uploadId, record]), db());
    await delMany(legacy.records.map((record) => record.uploadId), legacy.store);
  }

  return {
    all: () => records,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load: () => {
      loading ??= (async () => {
        // The ledger lives as long as the page: it listens for the other tabs until then.
        channel?.listen(() => void refresh().catch((error) => reportLedgerError('could not re-read the re-runs', error)));
        if (options.takeOverLegacyLinks ?? true) await lock.run(RERUN_LOCK, takeOverLegacy).catch((error) => reportLedgerError('could not take over the earlier re-upload links', error));
        await refresh();
      })();
      return loading;
    },
    claim: (requests, enqueue) =>
      lock.run(RERUN_LOCK, async () => {
        // What another tab recorded a moment ago is in IndexedDB, not yet in this tab's memory.
        const stored = await readStored();
        const outcomes = decideReruns(stored, requests);
        const claimed = outcomes.flatMap((outcome) => (outcome.kind === 'claimed' ? [outcome.request] : []));
        if (claimed.length === 0) {
          publish(stored);
          return outcomes;
        }
        const fresh = claimed.map(recordOf);
        let kept = false;
        try {
          await setMany(
            fresh.map((record) => [record.uploadId, record]),
            db(),
          );
          await enqueue(claimed);
          kept = true;
        } finally {
          if (!kept) await delMany(fresh.map((record) => record.uploadId), db()).catch(() => undefined);
          publish(kept ? [...stored, ...fresh] : stored);
          channel?.post();
        }
        return outcomes;
      }),
    observe: async (items) => {
      const updates = recordUpdates(records, items);
      if (updates.length === 0) return;
      const byId = new Map(updates.map((record) => [record.uploadId, record]));
      publish(records.map((record) => byId.get(record.uploadId) ?? record));
      try {
        for (const record of updates) await set(record.uploadId, record, db());
      } finally {
        channel?.post();
      }
    },
  };
}

/** The console's one re-run ledger. */
export const rerunLedger: RerunLedger = createRerunLedger();

const watched = new WeakSet<object>();

/** Keeps the ledger told what the queue learns about re-run uploads (the job each became, its status); once per queue. */
export function watchRerunLedger(queue: { getState(): { items: UploadItem[] }; subscribe(listener: () => void): () => void }, ledger: RerunLedger = rerunLedger): () => void {
  if (watched.has(queue)) return () => undefined;
  watched.add(queue);
  const check = () => void ledger.observe(queue.getState().items).catch((error) => reportLedgerError('could not note a re-run\'s new job', error));
  const stopQueue = queue.subscribe(check);
  const stopLedger = ledger.subscribe(check);
  void ledger.load().then(check);
  return () => {
    watched.delete(queue);
    stopQueue();
    stopLedger();
  };
}
