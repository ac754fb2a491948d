import { type InfiniteData, infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import { z } from 'zod/mini';
import type { ApiClient } from '../client';
import { queryKeys } from '../query-keys';
import { type Job, type JobStatus, jobSchema, type Pipeline } from '../schemas';

export const MAX_IDS_PER_REQUEST = 100;
export const MAX_LIST_LIMIT = 100;

export interface ListJobsParams {
  status?: JobStatus;
  pipeline?: Pipeline;
  error_code?: string;
  q?: string;
  limit?: number;
  cursor?: string;
  ids?: readonly string[];
}

export const listJobsResponseSchema = z.object({
  data: z.array(jobSchema),
  next_cursor: z.nullable(z.string()),
});

export type ListJobsResponse = z.infer<typeof listJobsResponseSchema>;

export function fetchJobs(client: ApiClient, params: ListJobsParams, signal?: AbortSignal): Promise<ListJobsResponse> {
  if (params.ids && params.ids.length > MAX_IDS_PER_REQUEST) {
    throw new RangeError(`At most ${MAX_IDS_PER_REQUEST} ids per request; got ${params.ids.length}.`);
  }
  const { ids, ...rest } = params;
  return client.request(
    { method: 'GET', path: '/v1/jobs', query: { ...rest, ids: ids?.join(',') }, signal },
    listJobsResponseSchema,
  );
}

/**
 * Pages of the job list, newest first, following `next_cursor`. Each page is
 * read once: refetching an infinite query re-requests every loaded page, which
 * at 20 pages storms the rate limit. New jobs come from the head query, status
 * changes of active rows from the batched poller (`patchListedJobs`).
 */
export function jobPagesQueryOptions(client: ApiClient, params: Omit<ListJobsParams, 'cursor' | 'ids'>) {
  return infiniteQueryOptions({
    queryKey: queryKeys.jobPages(params),
    queryFn: ({ signal, pageParam }) => fetchJobs(client, { ...params, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

/** The newest page of a list alone: what a screen re-reads to learn about new jobs. */
export function jobListHeadQueryOptions(client: ApiClient, params: Omit<ListJobsParams, 'cursor' | 'ids'>) {
  return queryOptions({
    queryKey: queryKeys.jobListHead(params),
    queryFn: ({ signal }) => fetchJobs(client, params, signal),
  });
}

/** `data` with every job that `fresh` holds replaced by its fresher copy; the same object where nothing changed. */
export function patchJobList<T extends ListJobsResponse | InfiniteData<ListJobsResponse, unknown>>(data: T | undefined, fresh: ReadonlyMap<string, Job>): T | undefined {
  if (!data) return data;
  const patchPage = (page: ListJobsResponse): ListJobsResponse => {
    let changed = false;
    const rows = page.data.map((job) => {
      const newer = fresh.get(job.id);
      if (!newer || newer === job) return job;
      changed = true;
      return newer;
    });
    return changed ? { ...page, data: rows } : page;
  };
  if ('pages' in data) {
    const pages = data.pages.map(patchPage);
    return pages.some((page, index) => page !== data.pages[index]) ? { ...data, pages } : data;
  }
  const page = patchPage(data);
  return (page === data ? data : page) as T;
}

/** What the Overview reads of the last `windowMs`: the jobs, and whether the read reached the window's start. */
export interface RecentJobs {
  jobs: Job[];
  complete: boolean;
}

/** Pages read at most for the picture: past them the Overview says "at least". */
const RECENT_MAX_PAGES = 5;

/** The jobs created in the last `windowMs`, newest first, reading at most five pages of 100. */
export async function fetchRecentJobs(client: ApiClient, windowMs: number, now: number, signal?: AbortSignal): Promise<RecentJobs> {
  const since = now - windowMs;
  const jobs: Job[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < RECENT_MAX_PAGES; page++) {
    const answer = await fetchJobs(client, { limit: MAX_LIST_LIMIT, cursor }, signal);
    jobs.push(...answer.data);
    const oldest = answer.data.at(-1);
    if (!answer.next_cursor || !oldest || Date.parse(oldest.created_at) < since) return { jobs, complete: true };
    cursor = answer.next_cursor;
  }
  return { jobs, complete: false };
}

/** The Overview's last-24-hours picture: read once, then refreshed by its screen within the background budget. */
export function recentJobsQueryOptions(client: ApiClient, windowMs: number) {
  return queryOptions({
    queryKey: queryKeys.recentJobs(),
    queryFn: ({ signal }) => fetchRecentJobs(client, windowMs, Date.now(), signal),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
}
