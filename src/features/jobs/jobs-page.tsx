import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useApiClient } from '../../api/api-client-context';
import { jobPagesQueryOptions } from '../../api/endpoints/list-jobs';
import { JOB_STATUSES, PIPELINES } from '../../api/schemas';
import { buttonStyles } from '../../components/button-styles';
import { ErrorNotice } from '../../components/error-notice';
import { FilterSelect } from '../../components/filter-select';
import { LoadingStatus } from '../../components/loading-status';
import { PageHeader } from '../../components/page-header';
import { useScreenRefreshInterval } from '../../components/screen-refresh';
import { StatusBadge } from '../../components/status-badge';
import { formatBytes, formatDateTime } from '../../lib/format';
import type { JobsSearch } from './jobs-search';


export function JobsPage() {
  const client = useApiClient();
  const search = useSearch({ from: '/jobs' });
  const navigate = useNavigate({ from: '/jobs' });
  const [query, setQuery] = useState(search.q ?? '');
  useEffect(() => setQuery(search.q ?? ''), [search.q]);

  const refetchInterval = useScreenRefreshInterval();
  const jobs = useInfiniteQuery({
    ...jobPagesQueryOptions(client, { status: search.status, pipeline: search.pipeline, q: search.q, limit: 50 }),
    // The person's refresh setting (header strip) decides; off means the list stays as loaded.
    refetchInterval,
  });
  const rows = jobs.data?.pages.flatMap((page) => page.data) ?? [];

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
        rows.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">No jobs match these filters.</p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">Jobs</caption>
              <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2">Job</th>
                  <th scope="col" className="px-3 py-2">File</th>
                  <th scope="col" className="px-3 py-2">Status</th>
                  <th scope="col" className="px-3 py-2">Pipeline</th>
                  <th scope="col" className="px-3 py-2">Created</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((job) => (
                  <tr key={job.id}>
                    <td className="px-3 py-2 font-mono">
                      <Link to="/jobs/$jobId" params={{ jobId: job.id }} className="text-indigo-700 underline-offset-2 hover:underline">
                        {job.id}
                      </Link>
                    </td>
                    <td className="px-3 py-2">
                      {job.file.name} <span className="text-slate-600">({formatBytes(job.file.size_bytes)})</span>
                    </td>
                    <td className="px-3 py-2">
                      <StatusBadge status={job.status} />
                      {job.status === 'processing' && job.progress != null ? <span className="ml-2 tabular-nums text-slate-600">{Math.round(job.progress * 100)}%</span> : null}
                      {job.error ? <span className="ml-2 font-mono text-xs text-red-800">{job.error.code}</span> : null}
                    </td>
                    <td className="px-3 py-2">{job.pipeline}</td>
                    <td className="px-3 py-2 text-slate-700">{formatDateTime(job.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : jobs.error ? (
        <ErrorNotice error={jobs.error} title="Could not load jobs" />
      ) : (
        <LoadingStatus what="jobs" />
      )}
      {jobs.data && jobs.error ? <ErrorNotice error={jobs.error} title="Refreshing the list failed; showing the last answer" /> : null}
      <div className="mt-4 flex items-center gap-3 text-sm text-slate-600">
        {jobs.data ? <span>{rows.length} shown</span> : null}
        {jobs.hasNextPage ? (
          <button type="button" className={buttonStyles.secondary} aria-busy={jobs.isFetchingNextPage} onClick={() => { if (!jobs.isFetchingNextPage) void jobs.fetchNextPage(); }}>
            {jobs.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        ) : null}
      </div>
    </div>
  );
}
