import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import type { ApiClient } from '../client';
import { queryKeys } from '../query-keys';
import { isActiveStatus, jobSchema } from '../schemas';

export const jobResponseSchema = z.object({ job: jobSchema });

export async function fetchJob(client: ApiClient, id: string, signal?: AbortSignal) {
  const { job } = await client.request({ method: 'GET', path: `/v1/jobs/${encodeURIComponent(id)}`, signal }, jobResponseSchema);
  return job;
}

export function jobQueryOptions(client: ApiClient, id: string, pollMs = 2_000) {
  return queryOptions({
    queryKey: queryKeys.job(id),
    queryFn: ({ signal }) => fetchJob(client, id, signal),
    refetchInterval: (query) => (query.state.data && isActiveStatus(query.state.data.status) ? pollMs : false),
  });
}
