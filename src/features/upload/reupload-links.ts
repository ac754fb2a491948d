import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import type { Pipeline } from '../../api/schemas';
import type { UploadItem } from './upload-queue-store';

/**
 * The API has no field linking a re-upload to the job it came from, and the
 * new job's metadata must equal the old one's, so the link lives in this
 * browser: one record per re-upload, keyed by the queued upload's id, with
 * the new job's id filled in once NovaPulse accepts it.
 */
export interface ReuploadLink {
  uploadId: string;
  fromJobId: string;
  pipeline: Pipeline;
  toJobId: string | null;
  at: number;
}

export function isReuploadLink(value: unknown): value is ReuploadLink {
  if (typeof value !== 'object' || value === null) return false;
  const link = value as Record<string, unknown>;
  return (
    typeof link.uploadId === 'string' &&
    typeof link.fromJobId === 'string' &&
    (link.pipeline === 'transcription' || link.pipeline === 'full-analysis') &&
    (link.toJobId === null || typeof link.toJobId === 'string') &&
    typeof link.at === 'number'
  );
}

export interface JobLinks {
  /** Re-uploads made from this job, newest first; `jobId` null while the upload is not yet accepted. */
  reuploadedAs: { uploadId: string; jobId: string | null; pipeline: Pipeline; state: UploadItem['state'] | null }[];
  /** The job this one re-uploads, when it does. */
  reuploadOf: string | null;
}

/** The new job of `link`: as recorded, else from the queue item once accepted. */
export function linkedJobId(link: ReuploadLink, items: readonly Pick<UploadItem, 'id' | 'jobId'>[]): string | null {
  return link.toJobId ?? items.find((item) => item.id === link.uploadId)?.jobId ?? null;
}

export function linksForJob(jobId: string, links: readonly ReuploadLink[], items: readonly Pick<UploadItem, 'id' | 'jobId' | 'state'>[]): JobLinks {
  const reuploadedAs = links
    .filter((link) => link.fromJobId === jobId)
    .sort((a, b) => b.at - a.at)
    .map((link) => ({
      uploadId: link.uploadId,
      jobId: linkedJobId(link, items),
      pipeline: link.pipeline,
      state: items.find((item) => item.id === link.uploadId)?.state ?? null,
    }));
  const of = links.find((link) => linkedJobId(link, items) === jobId);
  return { reuploadedAs, reuploadOf: of ? of.fromJobId : null };
}

/** Links whose new job is now known from the queue but not yet recorded. */
export function linksToResolve(links: readonly ReuploadLink[], items: readonly Pick<UploadItem, 'id' | 'jobId'>[]): ReuploadLink[] {
  return links.flatMap((link) => {
    if (link.toJobId !== null) return [];
    const jobId = linkedJobId(link, items);
    return jobId ? [{ ...link, toJobId: jobId }] : [];
  });
}

export interface ReuploadLinkStore {
  all(): readonly ReuploadLink[];
  subscribe(listener: () => void): () => void;
  /** Reads the stored links once; later calls answer the same promise. */
  load(): Promise<void>;
  put(link: ReuploadLink): Promise<void>;
  remove(uploadId: string): Promise<void>;
}

export function createReuploadLinkStore(options: { dbName?: string } = {}): ReuploadLinkStore {
  let idb: UseStore | null = null;
  const db = () => {
    idb ??= createStore(options.dbName ?? 'novapulse-reupload-links', 'links');
    return idb;
  };
  let links: readonly ReuploadLink[] = [];
  let loading: Promise<void> | null = null;
  const listeners = new Set<() => void>();
  const publish = (next: readonly ReuploadLink[]) => {
    links = next;
    for (const listener of listeners) listener();
  };
  const merge = (link: ReuploadLink) => [...links.filter((other) => other.uploadId !== link.uploadId), link];
  return {
    all: () => links,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load: () => {
      loading ??= entries(db())
        .then((stored) => {
          const known = new Set(links.map((link) => link.uploadId));
          const read = stored.map(([, value]) => value).filter(isReuploadLink).filter((link) => !known.has(link.uploadId));
          if (read.length > 0) publish([...links, ...read]);
        })
        .catch(() => undefined);
      return loading;
    },
    put: async (link) => {
      publish(merge(link));
      await set(link.uploadId, link, db());
    },
    remove: async (uploadId) => {
      publish(links.filter((link) => link.uploadId !== uploadId));
      await del(uploadId, db());
    },
  };
}

/** The console's one store of re-upload links. */
export const reuploadLinks: ReuploadLinkStore = createReuploadLinkStore();

const watched = new WeakSet<object>();

/** Records each link's new job once the queue has it; once per queue store, however often asked. */
export function watchReuploadLinks(queue: { getState(): { items: UploadItem[] }; subscribe(listener: () => void): () => void }, store: ReuploadLinkStore = reuploadLinks) {
  if (watched.has(queue)) return;
  watched.add(queue);
  const check = () => {
    for (const link of linksToResolve(store.all(), queue.getState().items)) void store.put(link);
  };
  queue.subscribe(check);
  store.subscribe(check);
  void store.load().then(check);
}
