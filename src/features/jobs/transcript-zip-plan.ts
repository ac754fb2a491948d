import { ApiError } from '../../api/api-error';
import type { Job } from '../../api/schemas';
import type { TranscriptFormat } from '../../lib/transcript-formats';
import { uniqueNames, zipEntryName } from '../../lib/transcript-zip-names';

/** One completed job's transcript, under its name in the zip. */
export interface ZipEntryPlan {
  job: Job;
  name: string;
}

export type LeftOutKind = 'not-finished' | 'failed' | 'not-fetched';

/** A selected job whose transcript is not in the zip, and why, in words for the person. */
export interface LeftOutJob {
  job: Job;
  kind: LeftOutKind;
  reason: string;
}

export interface TranscriptZipPlan {
  entries: ZipEntryPlan[];
  /** Known before a single request: jobs that have no transcript (not completed). */
  leftOut: LeftOutJob[];
}

/**
 * What a zip of the selected jobs' transcripts will hold. Only a completed job has a transcript (api-contract.md: 404
 * `job_not_ready` before, the job's own error after a failure), so the others are left out up front, and named with
 * their reason before the person clicks, rather than asked for and refused one by one.
 */
export function planTranscriptZip(jobs: readonly Job[], format: TranscriptFormat): TranscriptZipPlan {
  const completed = jobs.filter((job) => job.status === 'completed');
  const names = uniqueNames(completed.map((job) => zipEntryName(job.file.name, job.id, format)));
  return {
    entries: completed.map((job, index) => ({ job, name: names[index] as string })),
    leftOut: jobs.filter((job) => job.status !== 'completed').map(leftOutBeforehand),
  };
}

function leftOutBeforehand(job: Job): LeftOutJob {
  if (job.status === 'failed') {
    return { job, kind: 'failed', reason: `failed${job.error ? ` (${job.error.code})` : ''}: a failed job has no transcript` };
  }
  const progress = job.status === 'processing' && job.progress != null ? ` (${Math.round(job.progress * 100)} %)` : '';
  return { job, kind: 'not-finished', reason: `still ${job.status}${progress}: its transcript exists once it completes` };
}

/** A completed job whose transcript could not be read, after the catalogue's retries. */
export function leftOutAfterFetch(job: Job, error: unknown): LeftOutJob {
  const detail =
    error instanceof ApiError
      ? `${error.entry.title} (${[error.code, error.status !== null ? `HTTP ${error.status}` : null, error.requestId ? `request ${error.requestId}` : null].filter(Boolean).join(', ')})`
      : error instanceof Error
        ? error.message
        : String(error);
  return { job, kind: 'not-fetched', reason: `its transcript could not be fetched: ${detail}` };
}

/** `2 not finished, 1 failed`: the left-out jobs counted by reason, in a fixed order. */
export function leftOutSummary(leftOut: readonly LeftOutJob[]): string {
  const count = (kind: LeftOutKind) => leftOut.filter((entry) => entry.kind === kind).length;
  return [
    [count('not-finished'), 'not finished'],
    [count('failed'), 'failed'],
    [count('not-fetched'), 'could not be fetched'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, words]) => `${n} ${words}`)
    .join(', ');
}
