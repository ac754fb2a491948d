import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod/mini';
import type { ApiClient } from '../client';
import { queryKeys } from '../query-keys';
import { jobSchema } from '../schemas';

export const jobResponseSchema = z.object({ job: jobSchema });

export async function fetchJob(client: ApiClient, id: string, signal?: AbortSignal) {
  const { job } = await client.request({ method: 'GET', path: `/v1/jobs/${encodeURIComponent(id)}`, signal }, jobResponseSchema);
  return job;
}

/** Fresh data for an active job arrives from the batched poll (GET /v1/jobs?ids=), not from this query. */
export function jobQueryOptions(client: ApiClient, id: string) {
  return queryOptions({
    queryKey: queryKeys.job(id),
    queryFn: ({ signal }) => fetchJob(client, id, signal),
    staleTime: 30_000,
  });
}
