import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod/mini';
import type { ApiClient } from '../client';
import { queryKeys } from '../query-keys';

export const insightsResponseSchema = z.object({
  insights: z.object({
    summary: z.string(),
    topics: z.array(z.string()),
    sentiment: z.object({ overall: z.string(), score: z.number() }),
    action_items: z.array(z.string()),
  }),
});

export type Insights = z.infer<typeof insightsResponseSchema>['insights'];

export async function fetchInsights(client: ApiClient, id: string, signal?: AbortSignal): Promise<Insights> {
  const body = await client.request({ method: 'GET', path: `/v1/jobs/${encodeURIComponent(id)}/insights`, signal }, insightsResponseSchema);
  return body.insights;
}

export function insightsQueryOptions(client: ApiClient, id: string) {
  return queryOptions({
    queryKey: queryKeys.insights(id),
    queryFn: ({ signal }) => fetchInsights(client, id, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
