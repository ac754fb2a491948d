import type { QueryClient } from '@tanstack/react-query';
import { dataKinds, queryKeys } from './query-keys';

/**
 * What the server may show differently after something changed outside the
 * console's requests (a key entered again, a demo scenario switched): the
 * account's gauges, the newest page of each list, the 24-hour picture, and any
 * query that had failed. Never the pages a person scrolled through (read once
 * each; the poller patches their active rows) nor a job's transcript or
 * insights (they do not change): re-reading those would spend the key's
 * window on nothing new. The one place invalidation is decided; a lint rule
 * refuses an unscoped `invalidateQueries()` anywhere else.
 */
export function invalidateServerViews(queryClient: QueryClient): Promise<void> {
  const kinds = [dataKinds.account, dataKinds.jobListHead, dataKinds.recentJobs];
  return Promise.all([
    ...kinds.map((kind) => queryClient.invalidateQueries({ queryKey: queryKeys.kind(kind) }, { cancelRefetch: false })),
    queryClient.invalidateQueries({ predicate: (query) => query.state.status === 'error' }, { cancelRefetch: false }),
  ]).then(() => undefined);
}
