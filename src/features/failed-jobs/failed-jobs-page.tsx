import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useApiClient } from '../../api/api-client-context';
import { jobPagesQueryOptions } from '../../api/endpoints/list-jobs';
import type { Job } from '../../api/schemas';
import { buttonStyles } from '../../components/button-styles';
import { ErrorNotice } from '../../components/error-notice';
import { LoadingStatus } from '../../components/loading-status';
import { PageHeader } from '../../components/page-header';
import { jobFailureGuidance } from '../../errors/catalogue';
import { formatDateTime } from '../../lib/format';

function groupByCode(jobs: Job[]): [string, Job[]][] {
  const groups = new Map<string, Job[]>();
  for (const job of jobs) {
    const code = job.error?.code ?? 'unknown';
    groups.set(code, [...(groups.get(code) ?? []), job]);
  }
  return [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
}

export function FailedJobsPage() {
  const client = useApiClient();
  const failed = useInfiniteQuery(jobPagesQueryOptions(client, { status: 'failed', limit: 100 }));
  const rows = failed.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <div>
      <PageHeader title="Failed jobs" description="What failed, why, and what to do about it, grouped by error code." />
      {failed.data ? (
        rows.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">No failed jobs. Nothing to triage.</p>
        ) : (
          <div className="space-y-6">
            {groupByCode(rows).map(([code, jobs]) => {
              const entry = jobFailureGuidance(code);
              return (
                <section key={code} aria-labelledby={`group-${code}`} className="rounded-lg border border-slate-200 bg-white">
                  <header className="border-b border-slate-200 p-4">
                    <h2 id={`group-${code}`} className="text-base font-semibold">
                      {entry.title} <span className="font-mono text-sm font-normal text-slate-600">({code}, {jobs.length})</span>
                    </h2>
                    <p className="mt-1 text-sm text-slate-700">
                      <span className="font-medium">Cause:</span> {entry.cause}
                    </p>
                    <p className="text-sm text-slate-700">
                      <span className="font-medium">What to do:</span> {entry.resolution}
                    </p>
                  </header>
                  <div className="overflow-x-auto">
                  <table className="min-w-full text-sm">
                    <caption className="sr-only">Jobs that failed with {code}</caption>
                    <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                      <tr>
                        <th scope="col" className="px-4 py-2">Job</th>
                        <th scope="col" className="px-4 py-2">File</th>
                        <th scope="col" className="px-4 py-2">Pipeline</th>
                        <th scope="col" className="px-4 py-2">Failed at</th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {jobs.map((job) => (
                        <tr key={job.id}>
                          <td className="px-4 py-2 font-mono">
                            <Link to="/jobs/$jobId" params={{ jobId: job.id }} className="text-indigo-700 underline-offset-2 hover:underline">
                              {job.id}
                            </Link>
                          </td>
                          <td className="px-4 py-2">{job.file.name}</td>
                          <td className="px-4 py-2 text-slate-700">{job.pipeline}</td>
                          <td className="px-4 py-2 text-slate-700">{formatDateTime(job.updated_at)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  </div>
                </section>
              );
            })}
          </div>
        )
      ) : failed.error ? (
        <ErrorNotice error={failed.error} title="Could not load failed jobs" />
      ) : (
        <LoadingStatus what="failed jobs" />
      )}
      {failed.hasNextPage ? (
        <button type="button" className={`${buttonStyles.secondary} mt-4`} aria-busy={failed.isFetchingNextPage} onClick={() => { if (!failed.isFetchingNextPage) void failed.fetchNextPage(); }}>
          {failed.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </div>
  );
}
