import type { ApiClient } from '../../api/client';
import { fetchJobs } from '../../api/endpoints/list-jobs';
import type { Job } from '../../api/schemas';
import { dedupFingerprint } from '../../lib/dedup-fingerprint';
import type { DuplicateOf, UploadItem } from './upload-queue-store';

/** Slack when matching a landed job's created_at against the first attempt: Date has one-second resolution. */
const LANDED_TOLERANCE_MS = 5_000;

function sameMetadata(a: Record<string, string>, b: Record<string, string>): boolean {
  return dedupFingerprint('', '', '', a) === dedupFingerprint('', '', '', b);
}

const fingerprintOf = (item: Pick<UploadItem, 'sha256' | 'pipeline' | 'language' | 'metadata'>) =>
  item.sha256 ? dedupFingerprint(item.sha256, item.pipeline, item.language, item.metadata) : null;

/**
 * An upload of ours accepted within the dedup window with the same fingerprint: sending would only earn a 409.
 * Returns the one whose window ends last, and when.
 */
export function localDuplicate(item: UploadItem, items: readonly UploadItem[], now: number, windowMs: number): { of: UploadItem; until: number } | null {
  const fingerprint = fingerprintOf(item);
  if (!fingerprint) return null;
  let found: { of: UploadItem; until: number } | null = null;
  for (const other of items) {
    if (other.id === item.id || other.state !== 'accepted' || other.acceptedAt === null || fingerprintOf(other) !== fingerprint) continue;
    const ends = other.acceptedAt + windowMs;
    if (ends > now && (found === null || ends > found.until)) found = { of: other, until: ends };
  }
  return found;
}

/** States in which an upload no longer goes for its content: a twin of it is not held back by it. */
const GIVEN_UP: readonly UploadItem['state'][] = ['skipped', 'cancelled', 'failed'];

/**
 * Another upload of this batch with the same bytes and parameters that goes first (already under way or done, or
 * ahead of this one in the queue): this one is skipped unless the person chose to send it anyway.
 */
export function sameBatchTwin(item: UploadItem, items: readonly UploadItem[]): UploadItem | null {
  // Asked for by the person (send anyway, or when the window ends), and never for a queue saved without batches.
  if (item.sendAnyway || item.submitWhenWindowEnds || !item.batchId) return null;
  const fingerprint = fingerprintOf(item);
  if (!fingerprint) return null;
  const position = items.findIndex((other) => other.id === item.id);
  return (
    items.find(
      (other, index) =>
        other.id !== item.id &&
        other.batchId === item.batchId &&
        !GIVEN_UP.includes(other.state) &&
        (other.state !== 'waiting' || index < position) &&
        fingerprintOf(other) === fingerprint,
    ) ?? null
  );
}

/**
 * How many uploads of each size could be repeated by a file of that size: still going for their content, or accepted
 * within the dedup window. Counted once per turn of the runner (see `maySendBeforeHash`).
 */
export function sizesInPlay(items: readonly UploadItem[], now: number, windowMs: number): ReadonlyMap<number, number> {
  const counts = new Map<number, number>();
  for (const item of items) {
    if (GIVEN_UP.includes(item.state) || (item.state === 'accepted' && (item.acceptedAt === null || item.acceptedAt + windowMs <= now))) continue;
    counts.set(item.size, (counts.get(item.size) ?? 0) + 1);
  }
  return counts;
}

/**
 * Whether `item` (queued, so counted in `sizes`) may be sent before its SHA-256 is known, hashing beside the send.
 * Only a first attempt: looking up whether an earlier attempt landed needs the hash. And only when it is the one
 * upload of its size in play: bytes of another size are other bytes, so the duplicate checks could not have held it
 * back. A file of a size seen twice waits for its hash and is held or skipped before a byte is sent, as before.
 */
export function maySendBeforeHash(item: UploadItem, sizes: ReadonlyMap<number, number>): boolean {
  return item.sha256 === null && !item.mayHaveReachedServer && (sizes.get(item.size) ?? 0) <= 1;
}

/** What `item` repeats, when it repeats another upload of the queue. */
export function repeatOf(item: Pick<UploadItem, 'batchId'>, other: UploadItem): DuplicateOf {
  return { uploadId: other.id, fileName: other.fileName, jobId: other.jobId, sameBatch: item.batchId !== undefined && other.batchId === item.batchId };
}

/**
 * Jobs with this upload's content and parameters, newest first: among those with its file name, or (`byName` false)
 * among the newest hundred, since the same bytes may have gone under another name and the API cannot search by hash.
 */
export async function matchingJobs(client: ApiClient, item: UploadItem, signal?: AbortSignal, byName = true): Promise<Job[]> {
  const page = await fetchJobs(client, byName ? { q: item.fileName, limit: 100 } : { limit: 100 }, signal);
  return page.data.filter(
    (job) => job.file.sha256 === item.sha256 && job.pipeline === item.pipeline && job.language === item.language && sameMetadata(job.metadata, item.metadata),
  );
}

/** Jobs already owned by another upload in the queue: never adopted by this one. */
export function notOwnedByOthers(jobs: Job[], item: UploadItem, items: readonly UploadItem[]): Job[] {
  const owned = new Set(items.filter((other) => other.id !== item.id && other.jobId !== null).map((other) => other.jobId));
  return jobs.filter((job) => !owned.has(job.id));
}

/** A matching job created since `from` (this upload's first attempt, or its queueing): one of our attempts landed. */
export function landedJob(item: UploadItem, jobs: Job[], serverTimeOffsetMs: number, from = item.firstAttemptAt ?? item.addedAt): Job | null {
  const since = from + serverTimeOffsetMs - LANDED_TOLERANCE_MS;
  return jobs.find((job) => Date.parse(job.created_at) >= since) ?? null;
}

/**
 * What a 409 job_already_exists means for this upload: a job made after the upload was queued came from an attempt
 * of ours that the queue never saw answered (adopt it); one made before is a real duplicate, held until the server's
 * window ends.
 */
export function duplicateVerdict(
  item: UploadItem,
  jobs: Job[],
  items: readonly UploadItem[],
  context: { now: number; windowMs: number; serverTimeOffsetMs: number; serverDate: number | null },
): { adopt: Job } | { holdUntil: number; of: DuplicateOf | null } {
  // On the server's clock (the client's offset estimate is good to well under a second once a few answers came in).
  const queuedAt = item.addedAt + context.serverTimeOffsetMs;
  // A job another upload of the queue already holds is that upload's, never this one's: it is what this one repeats.
  const landed = notOwnedByOthers(jobs, item, items).find((job) => Date.parse(job.created_at) >= queuedAt) ?? null;
  if (landed) return { adopt: landed };
  // How long the window still runs, by the server's clock: the browser's may run fast or slow (finding 9).
  const newest = jobs[0];
  const remaining = newest && context.serverDate !== null ? Date.parse(newest.created_at) + context.windowMs - context.serverDate : context.windowMs;
  // At least a second: the server counts whole seconds, and a window it still holds is never "over" for us.
  const owner = newest ? items.find((other) => other.id !== item.id && other.jobId === newest.id) : undefined;
  const of: DuplicateOf | null = owner ? repeatOf(item, owner) : newest ? { uploadId: null, fileName: newest.file.name, jobId: newest.id, sameBatch: false } : null;
  return { holdUntil: context.now + Math.min(context.windowMs, Math.max(1_000, remaining)), of };
}
