import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod/mini';
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
    scopes: z.pipe(
      z.array(z.string()),
      z.transform((scopes) => scopes.filter((scope): scope is (typeof SCOPES)[number] => (SCOPES as readonly string[]).includes(scope))),
    ),
    expires_at: z.nullish(z.string()),
  }),
  limits: z.object({
    requests_per_minute: z.int().check(z.positive()),
    concurrent_jobs: z.int().check(z.positive()),
    max_file_bytes: z.int().check(z.positive()),
    dedup_window_seconds: z.int().check(z.nonnegative()),
  }),
  usage: z.object({
    active_jobs: z.int().check(z.nonnegative()),
    audio_seconds_used: z.number().check(z.nonnegative()),
    audio_seconds_included: z.number().check(z.nonnegative()),
    period_start: z.string(),
    period_end: z.string(),
  }),
});

export type AccountResponse = z.infer<typeof accountResponseSchema>;

/**
 * The contract's maximum file size (500 MB), used only where the account
 * cannot be read (a key without account:read): NovaPulse still enforces its
 * own limit with 413 file_too_large.
 */
export const CONTRACT_MAX_FILE_BYTES = 524_288_000;

export async function fetchAccount(client: ApiClient, signal?: AbortSignal): Promise<AccountResponse> {
  const account = await client.request({ method: 'GET', path: '/v1/account', signal }, accountResponseSchema);
  // The key's limit, for pacing by the console's own count when the API's rate-limit headers are unreadable.
  client.pacer.limitKnown(account.limits.requests_per_minute);
  return account;
}

export function accountQueryOptions(client: ApiClient) {
  return queryOptions({
    queryKey: queryKeys.account(),
    queryFn: ({ signal }) => fetchAccount(client, signal),
    staleTime: 15_000,
  });
}
