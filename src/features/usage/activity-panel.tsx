import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useApiClient } from '../../api/api-client-context';
import { recentJobsQueryOptions } from '../../api/endpoints/list-jobs';
import type { Job, JobStatus } from '../../api/schemas';
import { useBackgroundRefresh } from '../../api/use-background-refresh';
import { LoadingStatus } from '../../components/loading-status';
import { useScreenRefreshInterval } from '../../components/screen-refresh';
import { jobFailureGuidance } from '../../errors/catalogue';
import { ACTIVITY_WINDOW_MS, activityOf } from './activity';

const HEAD_SHARE = 0.25;

const STATUS_ORDER: readonly { status: JobStatus; label: string; dot: string }[] = [
  { status: 'queued', label: 'Queued', dot: 'bg-slate-400' },
  { status: 'processing', label: 'Processing', dot: 'bg-sky-500' },
  { status: 'completed', label: 'Completed', dot: 'bg-emerald-500' },
  { status: 'failed', label: 'Failed', dot: 'bg-red-500' },
];

const CHART_HEIGHT = 32;

function HourlyChart({ perHour }: { perHour: readonly number[] }) {
  const peak = Math.max(0, ...perHour);
  let path = '';
  perHour.forEach((count, index) => {
    if (count === 0 || peak === 0) return;
    const height = Math.max(1, (count / peak) * CHART_HEIGHT);
    path += `M${index + 0.1} ${CHART_HEIGHT}V${(CHART_HEIGHT - height).toFixed(2)}h0.8V${CHART_HEIGHT}Z`;
  });
  const summary = `Jobs created per hour over the last 24 hours: at most ${peak} in one hour`;
  return (
    <svg role="img" aria-label={summary} viewBox={`0 0 24 ${CHART_HEIGHT}`} preserveAspectRatio="none" className="h-16 w-full rounded bg-slate-50">
      <title>{summary}</title>
      <path d={path} className="fill-indigo-500" />
    </svg>
  );
}

/** The Overview's "at a glance": the last 24 h of jobs by status, per hour, and the top failure causes. */
export function ActivityPanel() {
  const client = useApiClient();
  const interval = useScreenRefreshInterval();
  const recent = useQuery(recentJobsQueryOptions(client, ACTIVITY_WINDOW_MS));
  useBackgroundRefresh(recent.refetch, interval, HEAD_SHARE, recent.dataUpdatedAt);

  return (
    <section aria-labelledby="activity-heading" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="activity-heading" className="text-base font-semibold">
        Last 24 hours
      </h2>
      {recent.data ? (
        <ActivityBody jobs={recent.data.jobs} complete={recent.data.complete} />
      ) : recent.error ? (
        <p className="mt-2 text-sm text-red-800">The last 24 hours could not be read: {recent.error.message}</p>
      ) : (
        <div className="mt-3">
          <LoadingStatus what="the last 24 hours" />
        </div>
      )}
    </section>
  );
}

function ActivityBody({ jobs, complete }: { jobs: readonly Job[]; complete: boolean }) {
  const activity = activityOf(jobs, Date.now());
  const atLeast = complete ? '' : 'at least ';
  if (activity.total === 0) {
    return (
      <p className="mt-2 text-sm text-slate-600">
        No job was created in the last 24 hours.{' '}
        <Link to="/upload" className="text-indigo-700 underline">
          Upload audio
        </Link>{' '}
        and it shows here as it runs.
      </p>
    );
  }
  return (
    <div className="mt-3 grid gap-6 md:grid-cols-[1fr_1.4fr_1.4fr]">
      <div>
        <p className="text-sm text-slate-700">
          {atLeast}
          {activity.total.toLocaleString()} job{activity.total === 1 ? '' : 's'} created
        </p>
        <ul aria-label="Jobs of the last 24 hours by status" className="mt-2 space-y-1 text-sm">
          {STATUS_ORDER.map(({ status, label, dot }) => (
            <li key={status} className="flex items-center gap-2">
              <span aria-hidden="true" className={`inline-block h-2.5 w-2.5 rounded-full ${dot}`} />
              <span className="w-24">{label}</span>
              <span className="font-semibold tabular-nums">{activity.byStatus[status].toLocaleString()}</span>
            </li>
          ))}
        </ul>
      </div>
      <div>
        <p className="text-sm text-slate-700">Created per hour</p>
        <div className="mt-2">
          <HourlyChart perHour={activity.perHour} />
        </div>
        <p className="mt-1 flex justify-between text-xs text-slate-600">
          <span>24 h ago</span>
          <span>now</span>
        </p>
      </div>
      <div>
        <p className="text-sm text-slate-700">Top failure causes</p>
        {activity.topFailures.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No job failed in the last 24 hours.</p>
        ) : (
          <ol aria-label="Top failure causes of the last 24 hours" className="mt-2 space-y-1 text-sm">
            {activity.topFailures.slice(0, 3).map(({ code, count }) => (
              <li key={code}>
                <Link to="/failed" search={{ code, range: '24h' }} className="text-indigo-700 underline">
                  {jobFailureGuidance(code).title}
                </Link>{' '}
                <span className="font-mono text-xs text-slate-600">({code})</span>: <span className="font-semibold tabular-nums">{count.toLocaleString()}</span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
