import { z } from 'zod/mini';
import { PIPELINES } from '../../api/schemas';

export const FAILURE_RANGES = ['24h', '7d', '30d'] as const;
export type FailureRange = (typeof FAILURE_RANGES)[number];
export const DEFAULT_FAILURE_RANGE: FailureRange = '7d';

const RANGE_MS: Record<FailureRange, number> = { '24h': 24 * 3_600_000, '7d': 7 * 24 * 3_600_000, '30d': 30 * 24 * 3_600_000 };

export const RANGE_LABELS: Record<FailureRange, string> = { '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days' };

/** The failed-jobs view's filters, kept in the URL so a triage view can be shared and reloaded; a bad value is dropped. */
export const failedSearchSchema = z.object({
  code: z.catch(z.optional(z.string().check(z.regex(/^[a-z0-9_]{1,64}$/))), undefined),
  pipeline: z.catch(z.optional(z.enum(PIPELINES)), undefined),
  range: z.catch(z.optional(z.enum(FAILURE_RANGES)), undefined),
  q: z.catch(z.optional(z.string().check(z.maxLength(200))), undefined),
});

export type FailedSearch = z.infer<typeof failedSearchSchema>;

export function rangeMs(range: FailureRange | undefined): number {
  return RANGE_MS[range ?? DEFAULT_FAILURE_RANGE];
}
