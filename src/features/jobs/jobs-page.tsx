import { type InfiniteData, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { memo, type RefObject, useCallback, useEffect, useMemo, useRef, useState } from 'react';
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
import { formatBytes, formatDateAndTime } from '../../lib/format';
import { useTrackedJobs } from './job-poller-context';
import type { JobsSearch } from './jobs-search';
import { TranscriptZipBar } from './transcript-zip-bar';


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

  // The selection is kept by job ID, so rows scrolled out of the DOM stay selected; it belongs to this list (a change
  // of filters starts a new one).
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(() => new Set());
  const selected = useMemo(() => rows.filter((job) => selectedIds.has(job.id)), [rows, selectedIds]);
  const rowToggled = useCallback((jobId: string, isSelected: boolean) => {
    setSelectedIds((previous) => {
      const next = new Set(previous);
      if (isSelected) next.add(jobId);
      else next.delete(jobId);
      return next;
    });
  }, []);
  const renderJobRow = useCallback((job: Job) => <JobRow job={job} selected={selectedIds.has(job.id)} onToggle={rowToggled} />, [selectedIds, rowToggled]);
  const listRef = useRef<HTMLDivElement>(null);
  const gutter = useScrollbarWidth(listRef);

  return (
    <div ref={listRef} className="@container/jobs">
      <TranscriptZipBar
        loadedCount={rows.length}
        selected={selected}
        allLoadedSelected={rows.length > 0 && selected.length === rows.length}
        onSelectAllLoaded={(selectAll) => setSelectedIds(selectAll ? new Set(rows.map(jobKey)) : new Set())}
        onClear={() => setSelectedIds(new Set())}
      />
      {/* The column names for sighted readers; each row's cells carry the same names for screen readers (a list
          cannot have column headers). Not sortable: GET /v1/jobs has no sort parameter, it answers newest first. */}
      <div
        aria-hidden="true"
        style={{ paddingRight: `calc(0.75rem + ${gutter}px)` }}
        className={`hidden ${TABLE_COLUMNS} items-center gap-x-3 rounded-t-lg border border-b-0 border-slate-200 bg-slate-50 py-2 pl-3 text-xs font-semibold uppercase tracking-wide text-slate-600 @min-[44rem]/jobs:grid`}
      >
        <span />
        <span>Job</span>
        <span>File</span>
        <span>Status</span>
        <span>Pipeline</span>
        <span>Created ↓</span>
      </div>
      <VirtualRows items={rows} rowHeight={44} height={600} label="Jobs, newest first" getKey={jobKey} renderRow={renderJobRow} onRendered={onRendered} />
      {head.error ? <ErrorNotice error={head.error} title="Refreshing the list failed; showing the last answer" /> : null}
      {jobs.error ? <ErrorNotice error={jobs.error} title="Could not load more jobs" /> : null}
      <div className="mt-3 flex flex-wrap items-center gap-3 text-sm text-slate-600">
        <span role="status">
          {rows.length.toLocaleString()} {hasNextPage ? 'loaded; more load as you scroll' : rows.length === 1 ? 'job' : 'jobs, all loaded'}
        </span>
        {hasNextPage ? (
          <button type="button" className={buttonStyles.secondary} aria-busy={isFetchingNextPage} onClick={() => void (isFetchingNextPage ? null : fetchNextPage())}>
            {isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        ) : null}
      </div>
    </div>
  );
}

/**
 * The width of the list's vertical scrollbar, so the column names above it line up with the cells below (the rows are
 * narrower than the header by that much once the list scrolls).
 */
function useScrollbarWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const scroller = ref.current?.querySelector('section');
    if (!scroller || typeof ResizeObserver === 'undefined') return;
    const measure = () => setWidth(Math.max(0, scroller.offsetWidth - scroller.clientWidth - (scroller.offsetWidth > 0 ? 2 : 0)));
    const observer = new ResizeObserver(measure);
    observer.observe(scroller);
    measure();
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

const NO_JOBS: readonly Job[] = [];
/**
 * One grid for the column names and the rows from a list 44rem wide (an 800 px window): the file column takes what
 * the others leave. Below that, each row is a card (see JobRow). Widths are measured on the list (`@container/jobs`),
 * not the window, so the header and the rows switch together.
 */
const TABLE_COLUMNS =
  '@min-[44rem]/jobs:grid-cols-[1rem_8.5rem_minmax(0,1fr)_minmax(0,7.5rem)_minmax(0,6rem)_minmax(0,6.5rem)] @5xl/jobs:grid-cols-[1rem_10rem_minmax(0,1fr)_minmax(0,11rem)_minmax(0,7.5rem)_minmax(0,11rem)]';
const jobKey = (job: Job) => job.id;

/** The head's rows, then the loaded rows it does not hold: newest first, each job once. */
function mergeNewest(head: readonly Job[], loaded: readonly Job[]): readonly Job[] {
  if (head.length === 0) return loaded;
  const inHead = new Set(head.map((job) => job.id));
  return [...head, ...loaded.filter((job) => !inHead.has(job.id))];
}

/** Table cells from 44rem up; below, a card: job and status, the file, then pipeline and time, all visible. */
const CELL = '@min-[44rem]/jobs:col-span-1';

const JobRow = memo(function JobRow({ job, selected, onToggle }: { job: Job; selected: boolean; onToggle: (jobId: string, selected: boolean) => void }) {
  const created = formatDateAndTime(job.created_at);
  return (
    <div
      className={`grid grid-cols-[1rem_minmax(0,1fr)_auto] items-start gap-x-3 gap-y-1 border-b border-slate-100 px-3 py-2.5 text-sm ${TABLE_COLUMNS} @min-[44rem]/jobs:min-h-11 @min-[44rem]/jobs:items-center @min-[44rem]/jobs:py-1.5 ${selected ? 'bg-indigo-50' : ''}`}
    >
      <input
        type="checkbox"
        className="row-span-4 mt-0.5 size-4 accent-indigo-700 @min-[44rem]/jobs:row-span-1 @min-[44rem]/jobs:mt-0"
        checked={selected}
        onChange={(event) => onToggle(job.id, event.target.checked)}
        aria-label={`Select ${job.file.name} (${job.id})`}
      />
      <span className={`col-span-2 min-w-0 ${CELL}`}>
        <span className="sr-only">Job </span>
        <Link to="/jobs/$jobId" params={{ jobId: job.id }} className="block truncate font-mono text-indigo-700 underline-offset-2 hover:underline @min-[44rem]/jobs:text-xs @5xl/jobs:text-sm" title={job.id}>
          {job.id}
        </Link>
      </span>
      <span className={`col-span-2 min-w-0 ${CELL}`}>
        <span className="sr-only">File </span>
        <span className="flex min-w-0 flex-wrap items-baseline gap-x-1">
          <span className="min-w-0 max-w-full truncate font-medium text-slate-900 @min-[44rem]/jobs:font-normal" title={job.file.name}>
            {job.file.name}
          </span>{' '}
          <span className="whitespace-nowrap text-slate-600">({formatBytes(job.file.size_bytes)})</span>
        </span>
      </span>
      <span className={`col-span-2 flex min-w-0 flex-wrap items-center gap-x-2 gap-y-0.5 ${CELL}`}>
        <span className="sr-only">Status </span>
        <StatusBadge status={job.status} />
        {job.status === 'processing' && job.progress != null ? <span className="tabular-nums text-slate-600">{Math.round(job.progress * 100)}%</span> : null}
        {job.error ? <span className="min-w-0 break-all font-mono text-xs text-red-800">{job.error.code}</span> : null}
      </span>
      <span className={`min-w-0 truncate text-slate-700 @min-[44rem]/jobs:text-slate-900 ${CELL}`}>
        <span className="sr-only">Pipeline </span>
        {job.pipeline}
      </span>
      <span className={`min-w-0 text-right text-slate-700 @min-[44rem]/jobs:text-left ${CELL}`}>
        <span className="sr-only">Created </span>
        <span className="whitespace-nowrap">{created.date}</span> <span className="whitespace-nowrap">{created.time}</span>
      </span>
    </div>
  );
});
