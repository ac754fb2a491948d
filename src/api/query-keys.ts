import type { DataTag, InfiniteData } from '@tanstack/react-query';
import type { ApiError } from './api-error';
import type { AccountResponse } from './endpoints/get-account';
import type { Insights } from './endpoints/get-insights';
import type { Transcript } from './endpoints/get-transcript';
import type { ListJobsParams, ListJobsResponse, RecentJobs } from './endpoints/list-jobs';
import type { Job } from './schemas';

const ROOT = 'novapulse';

/**
 * The kinds of data the console caches. Each is a prefix directly under the
 * root and holds one shape only, so a consumer that matches a prefix (the
 * poller patching job lists) can only meet the shape it expects. Before, every
 * kind of job data sat under one 'jobs' prefix, and the Overview's 24-hour
 * panel kept another shape inside the list prefix the poller patched.
 */
export const dataKinds = {
  account: 'account',
  jobListHead: 'job-list-head',
  jobPages: 'job-pages',
  recentJobs: 'recent-jobs',
  job: 'job',
  transcript: 'transcript',
  insights: 'insights',
} as const;

export type DataKind = (typeof dataKinds)[keyof typeof dataKinds];

type Tagged<TKey extends readonly unknown[], TData> = DataTag<TKey, TData, ApiError>;

function key<TData>() {
  return <const TKey extends readonly unknown[]>(parts: TKey) => parts as Tagged<TKey, TData>;
}

/**
 * Every query key of the console, general to specific, holding every input of
 * the query function, and tagged with the data it holds so `setQueryData` and
 * `getQueryData` are typed by the key alone. `kind(...)` is the prefix of one
 * kind, for scoped invalidation and patching.
 */
export const queryKeys = {
  all: [ROOT] as const,
  kind: <K extends DataKind>(kind: K) => [ROOT, kind] as const,
  account: () => key<AccountResponse>()([ROOT, dataKinds.account]),
  /** The newest page of a list, refreshed in the background to learn about new jobs. */
  jobListHead: (params: ListJobsParams) => key<ListJobsResponse>()([ROOT, dataKinds.jobListHead, params]),
  /** The pages a person has scrolled through: read once each, never refetched (the poller keeps their active rows fresh). */
  jobPages: (params: ListJobsParams) => key<InfiniteData<ListJobsResponse, string | null>>()([ROOT, dataKinds.jobPages, params]),
  /** The Overview's picture of the last 24 hours: jobs read up to a bound, not a page of a list. */
  recentJobs: () => key<RecentJobs>()([ROOT, dataKinds.recentJobs]),
  job: (id: string) => key<Job>()([ROOT, dataKinds.job, id]),
  transcript: (id: string) => key<Transcript>()([ROOT, dataKinds.transcript, id]),
  insights: (id: string) => key<Insights>()([ROOT, dataKinds.insights, id]),
};

/** The data kind a query key belongs to, or null for a key not made by `queryKeys`. */
export function dataKindOf(queryKey: readonly unknown[]): DataKind | null {
  if (queryKey[0] !== ROOT) return null;
  const kind = queryKey[1];
  return (Object.values(dataKinds) as unknown[]).includes(kind) ? (kind as DataKind) : null;
}
