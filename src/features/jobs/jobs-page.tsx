import { type InfiniteData, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { useApiClient } from '../../api/api-client-context';
import { jobListHeadQueryOptions, jobPagesQueryOptions, type ListJobsParams, type ListJobsResponse } from '../../api/endpoints/list-jobs';
import { queryKeys } from '../../api/query-keys';
import { JOB_STATUSES, type Job, PIPELINES } from '../../api/schemas';
import { useBackgroundRefresh } from '../../api/use-background-refresh';
import { buttonStyles } from '../../components/button-styles';
import { ErrorNotice } from '../../components/error-notice';
import { FilterSelect } from '../../components/filter-select';
import { LoadingStatus } from '../../components/loading-status';
import { PageHeader } from '../../components/page-header';
import { useScreenRefreshInterval } from '../../components/screen-refresh';
import { StatusBadge } from '../../components/status-badge';
import { VirtualRows } from '../../components/virtual-rows';
import { formatBytes, formatDateTime } from '../../lib/format';
import { useTrackedJobs } from './job-poller-context';
import type { JobsSearch } from './jobs-search';


export function JobsPage() {
  const client = useApiClient();
  const search = useSearch({ from: '/jobs' });
  const navigate = useNavigate({ from: '/jobs' });
  const [query, setQuery] = useState(search.q ?? '');
  useEffect(() => setQuery(search.q ?? ''), [search.q]);

  const params = { status: search.status, pipeline: search.pipeline, q: search.q, limit: PAGE_SIZE };
  const jobs = useInfiniteQuery(jobPagesQueryOptions(client, params));
  const loaded = useMemo(() => jobs.data?.pages.flatMap((page) => page.data) ?? [], [jobs.data]);
  useTrackedJobs(loaded);

  return (
    <div>
      <PageHeader title="Jobs" description="Every job in the account, newest first." />
      <search>
      <form
        className="mb-4 flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          void navigate({ search: (prev: JobsSearch) => ({ ...prev, q: query.trim() || undefined }) });
        }}
      >
        <FilterSelect
          label="Status"
          value={search.status}
          options={JOB_STATUSES}
          allLabel="All statuses"
          onChange={(status) => void navigate({ search: (prev: JobsSearch) => ({ ...prev, status }) })}
        />
        <FilterSelect
          label="Pipeline"
          value={search.pipeline}
          options={PIPELINES}
          allLabel="All pipelines"
          onChange={(pipeline) => void navigate({ search: (prev: JobsSearch) => ({ ...prev, pipeline }) })}
        />
        <label className="text-sm font-medium text-slate-800">
          Search
          <input
            type="search"
            value={query}
            onChange={(event) => {
              setQuery(event.target.value);
              // Clearing the box shows everything again without a second step.
              if (event.target.value === '' && search.q) void navigate({ search: (prev: JobsSearch) => ({ ...prev, q: undefined }) });
            }}
            placeholder="Job ID, file name or metadata"
            className="mt-1 block w-72 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          />
        </label>
        <button type="submit" className={buttonStyles.secondary}>
          Search
        </button>
      </form>
      </search>

      {jobs.data ? (
        loaded.length === 0 ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">
            {search.status || search.pipeline || search.q ? (
              <>
                <p>No jobs match these filters.</p>
                <Link to="/jobs" search={{}} className="mt-2 inline-block text-indigo-700 underline">
                  Show every job
                </Link>
              </>
            ) : (
              <>
                <p>No jobs yet. Each upload becomes a job, listed here as it runs.</p>
                <Link to="/upload" className="mt-2 inline-block text-indigo-700 underline">
                  Upload audio
                </Link>
              </>
            )}
          </div>
        ) : !jobs.isPlaceholderData ? (
          <JobRows key={JSON.stringify(params)} params={params} loaded={loaded} jobs={jobs} />
        ) : (
          <LoadingStatus what="jobs" />
        )
      ) : jobs.error ? (
        <ErrorNotice error={jobs.error} title="Could not load jobs" />
      ) : (
        <LoadingStatus what="jobs" />
      )}
    </div>
  );
}

const PAGE_SIZE = 100;
/** Rows from the end at which the next page is asked for, so scrolling keeps up. */
const LOAD_AHEAD_ROWS = 60;
/** Of the background budget above the reserve, the share a list's head refresh may use; polling keeps the rest. */
const HEAD_REFRESH_SHARE = 0.25;

type JobPages = ReturnType<typeof useInfiniteQuery<ListJobsResponse, Error, InfiniteData<ListJobsResponse>, readonly unknown[], string | null>>;

/** The loaded pages under the newest page, refreshed on the person's interval within the background budget. */
function JobRows({ params, loaded, jobs }: { params: Omit<ListJobsParams, 'cursor' | 'ids'>; loaded: readonly Job[]; jobs: JobPages }) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const interval = useScreenRefreshInterval();
  const head = useQuery({
    ...jobListHeadQueryOptions(client, params),
    // Seeded with the first page just read, so it is not read twice; re-read on the person's interval, within budget.
    initialData: jobs.data?.pages[0],
    initialDataUpdatedAt: jobs.dataUpdatedAt,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  useBackgroundRefresh(head.refetch, interval, HEAD_REFRESH_SHARE, head.dataUpdatedAt);
  const headRows = head.data?.data;
  const rows = useMemo(() => mergeNewest(headRows ?? [], loaded), [headRows, loaded]);
  useTrackedJobs(headRows ?? NO_JOBS);
  // More new jobs than a page since the last read: the loaded pages no longer join the head; start them again.
  const gap = headRows !== undefined && headRows.length > 0 && loaded.length > 0 && rows.length === headRows.length + loaded.length;
  useEffect(() => {
    if (gap && head.isFetched) void queryClient.resetQueries({ queryKey: queryKeys.jobPages(params), exact: true });
  }, [gap, head.isFetched, queryClient, params]);

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = jobs;
  const onRendered = useCallback(
    (lastIndex: number) => {
      if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - LOAD_AHEAD_ROWS) void fetchNextPage();
    },
    [hasNextPage, isFetchingNextPage, fetchNextPage, rows.length],
  );

  return (
    <>
      <div aria-hidden="true" className={`${ROW_GRID} rounded-t-lg border border-b-0 border-slate-200 bg-slate-50 py-2 text-xs font-semibold uppercase tracking-wide text-slate-600`}>
        <span>Job</span>
        <span>File</span>
        <span>Status</span>
        <span>Pipeline</span>
        <span>Created</span>
      </div>
      <VirtualRows items={rows} rowHeight={44} height={600} label="Jobs, newest first" getKey={jobKey} renderRow={renderJobRow} onRendered={onRendered} />
      {head.error ? <ErrorNotice error={head.error} title="Refreshing the list failed; showing the last answer" /> : null}
      {jobs.error ? <ErrorNotice error={jobs.error} title="Could not load more jobs" /> : null}
      <div className="mt-3 flex items-center gap-3 text-sm text-slate-600">
        <span role="status">
          {rows.length.toLocaleString()} {hasNextPage ? 'loaded; more load as you scroll' : rows.length === 1 ? 'job' : 'jobs, all loaded'}
        </span>
        {hasNextPage ? (
          <button type="button" className={buttonStyles.secondary} aria-busy={isFetchingNextPage} onClick={() => void (isFetchingNextPage ? null : fetchNextPage())}>
            {isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        ) : null}
      </div>
    </>
  );
}

const NO_JOBS: readonly Job[] = [];
const ROW_GRID = 'grid grid-cols-[minmax(0,15rem)_minmax(0,1fr)_minmax(0,12rem)_8rem_11rem] items-center gap-3 px-3';
const jobKey = (job: Job) => job.id;
const renderJobRow = (job: Job) => <JobRow job={job} />;

/** The head's rows, then the loaded rows it does not hold: newest first, each job once. */
function mergeNewest(head: readonly Job[], loaded: readonly Job[]): readonly Job[] {
  if (head.length === 0) return loaded;
  const inHead = new Set(head.map((job) => job.id));
  return [...head, ...loaded.filter((job) => !inHead.has(job.id))];
}

const JobRow = memo(function JobRow({ job }: { job: Job }) {
  return (
    <div className={`${ROW_GRID} min-h-11 border-b border-slate-100 text-sm`}>
      <Link to="/jobs/$jobId" params={{ jobId: job.id }} className="truncate font-mono text-indigo-700 underline-offset-2 hover:underline">
        {job.id}
      </Link>
      <span className="truncate">
        {job.file.name} <span className="text-slate-600">({formatBytes(job.file.size_bytes)})</span>
      </span>
      <span className="flex min-w-0 items-center">
        <StatusBadge status={job.status} />
        {job.status === 'processing' && job.progress != null ? <span className="ml-2 tabular-nums text-slate-600">{Math.round(job.progress * 100)}%</span> : null}
        {job.error ? <span className="ml-2 truncate font-mono text-xs text-red-800">{job.error.code}</span> : null}
      </span>
      <span className="truncate">{job.pipeline}</span>
      <span className="truncate text-slate-700">{formatDateTime(job.created_at)}</span>
    </div>
  );
});
