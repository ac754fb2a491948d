import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod/mini';
import type { ApiClient } from '../client';
import { queryKeys } from '../query-keys';

export const transcriptResponseSchema = z.object({
  transcript: z.object({
    text: z.string(),
    segments: z.array(z.object({ start: z.number(), end: z.number(), speaker: z.nullish(z.string()), text: z.string() })),
  }),
});

export type Transcript = z.infer<typeof transcriptResponseSchema>['transcript'];

export async function fetchTranscript(client: ApiClient, id: string, signal?: AbortSignal): Promise<Transcript> {
  const body = await client.request({ method: 'GET', path: `/v1/jobs/${encodeURIComponent(id)}/transcript`, signal }, transcriptResponseSchema);
  return body.transcript;
}

/** Only enable once a status poll says the job completed (job_not_ready is not an error to chase). */
export function transcriptQueryOptions(client: ApiClient, id: string) {
  return queryOptions({
    queryKey: queryKeys.transcript(id),
    queryFn: ({ signal }) => fetchTranscript(client, id, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
