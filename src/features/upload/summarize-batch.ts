import type { UploadItem } from './upload-queue-store';

export interface BatchSummary {
  total: number;
  accepted: number;
  uploading: number;
  /** Hashing, waiting for a slot or a wait the server named, retrying, or held to be sent when its window ends. */
  waiting: number;
  /** Held duplicates the person has not chosen to send: they go nowhere by themselves (skipped when the window ends). */
  held: number;
  /** Not sent because they repeat another upload. */
  skipped: number;
  failed: number;
  cancelled: number;
  /** Bytes sent of the bytes still meant to go (failed, cancelled, skipped and held uploads left out); 0..1. */
  progress: number;
  bytesDone: number;
  bytesTotal: number;
  /**
   * Seconds, at the pace of the uploads sending now; null while nothing is sending (a wait has no pace: an estimate
   * taken over it would only grow). 0 once nothing is left to send.
   */
  secondsLeft: number | null;
  /** While nothing is sending: the earliest time a waiting upload is due by itself (a retry, a window's end). */
  nextSendAt: number | null;
}

type Item = Pick<UploadItem, 'state' | 'size' | 'progress'> & Partial<Pick<UploadItem, 'submitWhenWindowEnds' | 'retryAt' | 'dedupUntil'>>;

/** Whether an upload still goes somewhere by itself or waits for the person; accepted, failed, cancelled and skipped are done. */
export function isUnfinished(item: Pick<UploadItem, 'state'>): boolean {
  return item.state === 'hashing' || item.state === 'waiting' || item.state === 'uploading' || item.state === 'retrying' || item.state === 'duplicate';
}

/** The batch at `now`: counts by state, overall progress, and time left at the pace of what is sending. */
export function summarizeBatch(items: readonly Item[], now: number): BatchSummary {
  let accepted = 0;
  let uploading = 0;
  let waiting = 0;
  let held = 0;
  let skipped = 0;
  let failed = 0;
  let cancelled = 0;
  let bytesDone = 0;
  let bytesTotal = 0;
  let pace = 0;
  let nextSendAt: number | null = null;
  const due = (at: number | null | undefined) => {
    if (at !== null && at !== undefined && (nextSendAt === null || at < nextSendAt)) nextSendAt = at;
  };
  for (const item of items) {
    if (item.state === 'failed') failed++;
    else if (item.state === 'cancelled') cancelled++;
    else if (item.state === 'skipped') skipped++;
    else if (item.state === 'duplicate' && !item.submitWhenWindowEnds) held++;
    else {
      bytesTotal += item.size;
      if (item.state === 'accepted') {
        accepted++;
        bytesDone += item.size;
      } else if (item.state === 'uploading') {
        uploading++;
        const progress = item.progress;
        const loaded = Math.min(progress?.loaded ?? 0, item.size);
        bytesDone += loaded;
        const seconds = progress ? (progress.updatedAt - progress.startedAt) / 1000 : 0;
        if (loaded > 0 && seconds > 0) pace += loaded / seconds;
      } else {
        waiting++;
        if (item.state === 'retrying') due(item.retryAt);
        if (item.state === 'duplicate') due(item.dedupUntil);
      }
    }
  }
  const left = bytesTotal - bytesDone;
  const secondsLeft = left <= 0 ? 0 : pace > 0 ? Math.ceil(left / pace) : null;
  return {
    total: items.length,
    accepted,
    uploading,
    waiting,
    held,
    skipped,
    failed,
    cancelled,
    progress: bytesTotal === 0 ? (items.length > 0 ? 1 : 0) : bytesDone / bytesTotal,
    bytesDone,
    bytesTotal,
    secondsLeft,
    nextSendAt: uploading === 0 && nextSendAt !== null && nextSendAt > now ? nextSendAt : null,
  };
}

/**
 * The uploads the Upload page's summary is about: from the oldest batch with an upload still under way (or held) to
 * the newest; when every batch is done, the newest alone. Finished batches do not roll into the next one.
 */
export function currentBatch<T extends Pick<UploadItem, 'state' | 'addedAt' | 'batchId'>>(items: readonly T[]): T[] {
  const key = (item: T) => item.batchId ?? `at-${item.addedAt}`;
  const order: string[] = [];
  for (const item of items) if (!order.includes(key(item))) order.push(key(item));
  const firstOpen = order.findIndex((batch) => items.some((item) => key(item) === batch && isUnfinished(item)));
  const from = firstOpen === -1 ? order.length - 1 : firstOpen;
  const kept = new Set(order.slice(Math.max(0, from)));
  return items.filter((item) => kept.has(key(item)));
}
