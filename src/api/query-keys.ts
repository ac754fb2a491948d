import type { ListJobsParams } from './endpoints/list-jobs';

/** Query keys, general to specific, holding every input of the query function. */
export const queryKeys = {
  all: ['novapulse'] as const,
  account: () => [...queryKeys.all, 'account'] as const,
  jobs: () => [...queryKeys.all, 'jobs'] as const,
  /** The newest page of a list, refreshed in the background to learn about new jobs. */
  jobList: (params: ListJobsParams) => [...queryKeys.jobs(), 'list', params] as const,
  /** The pages a person has scrolled through: read once each, never refetched (the poller keeps their active rows fresh). */
  jobPages: (params: ListJobsParams) => [...queryKeys.jobs(), 'pages', params] as const,
  jobsByIds: (ids: readonly string[]) => [...queryKeys.jobs(), 'by-ids', [...ids].sort()] as const,
  job: (id: string) => [...queryKeys.jobs(), 'detail', id] as const,
  transcript: (id: string) => [...queryKeys.jobs(), 'detail', id, 'transcript'] as const,
  insights: (id: string) => [...queryKeys.jobs(), 'detail', id, 'insights'] as const,
};
