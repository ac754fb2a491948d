import { infiniteQueryOptions, keepPreviousData } from '@tanstack/react-query';
import { z } from 'zod/mini';
import type { ApiClient } from '../client';
import { queryKeys } from '../query-keys';
import { type JobStatus, jobSchema, type Pipeline } from '../schemas';

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

/** Pages of the job list, newest first, following `next_cursor`. */
export function jobPagesQueryOptions(client: ApiClient, params: Omit<ListJobsParams, 'cursor' | 'ids'>) {
  return infiniteQueryOptions({
    queryKey: [...queryKeys.jobList(params), 'pages'] as const,
    queryFn: ({ signal, pageParam }) => fetchJobs(client, { ...params, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
    placeholderData: keepPreviousData,
  });
}
