import type { QueryCache, QueryClient } from '@tanstack/react-query';
import { dataKinds, queryKeys } from './query-keys';
import type { JobStatus } from './schemas';

export interface StatusSeen {
  status: JobStatus;
  /** When this console first saw the job in this status (browser clock). */
  seenAt: number;
}

/**
 * Each status this console saw a job in, in order, for this page load: the poll and job reads write the job into the
 * query cache, and this watches the cache. Only changes are kept (a status seen again is not a new entry).
 */
export interface JobStatusHistory {
  observe(jobId: string, status: JobStatus): void;
  list(jobId: string): readonly StatusSeen[];
  subscribe(listener: () => void): () => void;
}

export function createJobStatusHistory(clock: () => number = Date.now, jobsKept = 1000): JobStatusHistory {
  const byJob = new Map<string, readonly StatusSeen[]>();
  const listeners = new Set<() => void>();
  const empty: readonly StatusSeen[] = [];
  return {
    observe(jobId, status) {
      const seen = byJob.get(jobId) ?? empty;
      if (seen.at(-1)?.status === status) return;
      byJob.delete(jobId);
      byJob.set(jobId, [...seen, { status, seenAt: clock() }]);
      // Oldest-touched first in a Map's order: a long session keeps the jobs it saw last.
      if (byJob.size > jobsKept) byJob.delete(byJob.keys().next().value as string);
      for (const listener of [...listeners]) listener();
    },
    list: (jobId) => byJob.get(jobId) ?? empty,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const detailPrefix = queryKeys.kind(dataKinds.job);

/** Feeds the history from every job written into the cache under its detail key; returns the unsubscribe. */
export function watchJobStatuses(cache: QueryCache, history: JobStatusHistory): () => void {
  return cache.subscribe((event) => {
    if (event.type !== 'updated' && event.type !== 'added') return;
    const key = event.query.queryKey;
    if (key.length !== detailPrefix.length + 1 || !detailPrefix.every((part, index) => key[index] === part)) return;
    const data = event.query.state.data as { id?: unknown; status?: unknown } | undefined;
    if (data && typeof data.id === 'string' && typeof data.status === 'string') history.observe(data.id, data.status as JobStatus);
  });
}

const histories = new WeakMap<QueryClient, JobStatusHistory>();

/** One history per query cache, so the app and the job page share it without a provider. */
export function jobStatusHistoryFor(queryClient: QueryClient): JobStatusHistory {
  let history = histories.get(queryClient);
  if (!history) {
    history = createJobStatusHistory();
    histories.set(queryClient, history);
  }
  return history;
}
