import type { Job } from '../../api/schemas';
import type { FailedSearch } from './failed-search';

/** An upload NovaPulse refused: it never became a job, so only this browser knows it. */
export interface RefusedUpload {
  id: string;
  fileName: string;
  pipeline: Job['pipeline'];
  metadata: Record<string, string>;
  code: string;
  status: number | null;
  message: string;
  requestId: string | null;
  at: number;
}

export type FailureRow = { kind: 'job'; key: string; at: number; job: Job } | { kind: 'refused'; key: string; at: number; upload: RefusedUpload };

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const formatAt = (ms: number) => dateTime.format(ms);

/** Whether a refused upload falls in the view's filters, as the server's filters would judge a job. */
export function matchesRefused(upload: RefusedUpload, search: FailedSearch, rangeStart: number): boolean {
  if (upload.at < rangeStart) return false;
  if (search.code && upload.code !== search.code) return false;
  if (search.pipeline && upload.pipeline !== search.pipeline) return false;
  const q = search.q?.trim().toLowerCase();
  if (q && !upload.fileName.toLowerCase().includes(q) && !Object.values(upload.metadata).some((value) => value.toLowerCase().includes(q))) return false;
  return true;
}
