import type { UploadItem } from './upload-queue-store';

export interface BatchSummary {
  total: number;
  accepted: number;
  uploading: number;
  /** Hashing, waiting for a slot, retrying or held as a duplicate. */
  waiting: number;
  failed: number;
  cancelled: number;
  /** Bytes sent of the bytes still meant to go (failed and cancelled uploads left out); 0..1. */
  progress: number;
  bytesDone: number;
  bytesTotal: number;
  /** Seconds, at the batch's pace so far; null before any byte is sent, 0 once nothing is left. */
  secondsLeft: number | null;
}

type Item = Pick<UploadItem, 'state' | 'size' | 'progress' | 'firstAttemptAt' | 'addedAt'>;

/** The batch at `now`: counts by state, overall progress, and time left at the pace since its first upload began (slot waits included). */
export function summarizeBatch(items: readonly Item[], now: number): BatchSummary {
  let accepted = 0;
  let uploading = 0;
  let waiting = 0;
  let failed = 0;
  let cancelled = 0;
  let bytesDone = 0;
  let bytesTotal = 0;
  let start: number | null = null;
  for (const item of items) {
    if (item.state === 'failed') failed++;
    else if (item.state === 'cancelled') cancelled++;
    else {
      bytesTotal += item.size;
      if (item.state === 'accepted') {
        accepted++;
        bytesDone += item.size;
      } else if (item.state === 'uploading') {
        uploading++;
        bytesDone += Math.min(item.progress?.loaded ?? 0, item.size);
      } else waiting++;
    }
    const began = item.firstAttemptAt ?? null;
    if (began !== null && (start === null || began < start)) start = began;
  }
  const left = bytesTotal - bytesDone;
  const elapsedSeconds = start === null ? 0 : (now - start) / 1000;
  const secondsLeft = left <= 0 ? 0 : bytesDone > 0 && elapsedSeconds > 0 ? Math.ceil(left / (bytesDone / elapsedSeconds)) : null;
  return {
    total: items.length,
    accepted,
    uploading,
    waiting,
    failed,
    cancelled,
    progress: bytesTotal === 0 ? (items.length > 0 ? 1 : 0) : bytesDone / bytesTotal,
    bytesDone,
    bytesTotal,
    secondsLeft,
  };
}
