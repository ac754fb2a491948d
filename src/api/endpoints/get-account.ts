import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import type { ApiClient } from '../client';
import { queryKeys } from '../query-keys';
import { SCOPES } from '../schemas';

export const accountResponseSchema = z.object({
  account: z.object({ id: z.string(), name: z.string(), tier: z.string() }),
  key: z.object({
    id: z.string(),
    label: z.string(),
    prefix: z.string(),
    // Unknown scopes from a newer server are kept out rather than failing the whole answer.
    scopes: z.array(z.string()).transform((scopes) => scopes.filter((scope): scope is (typeof SCOPES)[number] => (SCOPES as readonly string[]).includes(scope))),
    expires_at: z.string().nullish(),
  }),
  limits: z.object({
    requests_per_minute: z.number().int().positive(),
    concurrent_jobs: z.number().int().positive(),
    max_file_bytes: z.number().int().positive(),
    dedup_window_seconds: z.number().int().nonnegative(),
  }),
  usage: z.object({
    active_jobs: z.number().int().nonnegative(),
    audio_seconds_used: z.number().nonnegative(),
    audio_seconds_included: z.number().nonnegative(),
    period_start: z.string(),
    period_end: z.string(),
  }),
});

export type AccountResponse = z.infer<typeof accountResponseSchema>;

export function fetchAccount(client: ApiClient, signal?: AbortSignal): Promise<AccountResponse> {
  return client.request({ method: 'GET', path: '/v1/account', signal }, accountResponseSchema);
}

export function accountQueryOptions(client: ApiClient) {
  return queryOptions({
    queryKey: queryKeys.account(),
    queryFn: ({ signal }) => fetchAccount(client, signal),
    staleTime: 15_000,
  });
}
