import { useQuery } from '@tanstack/react-query';
import { useApiClient } from '../../api/api-client-context';
import { accountQueryOptions } from '../../api/endpoints/get-account';
import { ErrorNotice } from '../../components/error-notice';
import { Gauge } from '../../components/gauge';
import { LoadingStatus } from '../../components/loading-status';
import { formatBytes, formatDateTime } from '../../lib/format';
import { type Clock, systemClock } from '../../lib/random';
import { rateLimitDetail, unreadableRateText } from './rate-limit-view';
import type { UploadActivity } from './usage-strip';
import { useRateLimit } from './use-rate-limit';

/** Requests used in the key's current one-minute window, from the latest response's headers, counting down to the reset. */
export function RateLimitGauge({ fallbackLimit, clock = systemClock }: { fallbackLimit: number; clock?: Clock }) {
  const view = useRateLimit(fallbackLimit, clock);
  if (view.window === 'unreadable') {
    return (
      <div className="rounded-lg border border-amber-300 bg-white p-4">
        <p className="text-sm font-medium text-slate-700">Requests this minute</p>
        <p className="mt-2 text-sm font-semibold text-amber-800">{unreadableRateText(view)}</p>
        <p className="mt-1 text-xs text-slate-600">{rateLimitDetail(view)}</p>
      </div>
    );
  }
  return (
    <Gauge
      label="Requests this minute"
      value={view.used}
      max={view.limit}
      valueText={`${view.used} of ${view.limit} used`}
      refused={view.heldBy === 'rate_limit_exceeded'}
      detail={rateLimitDetail(view)}
    />
  );
}

/** The account in full; `uploads` (this browser's queue) is shown with the job slots when given. */
export function AccountSummary({ uploads }: { uploads?: UploadActivity & { queued: number } } = {}) {
  const client = useApiClient();
  // Kept fresh by the one background reader of the account (useAccountRefresh, called by the layout).
  const account = useQuery(accountQueryOptions(client));

  if (account.data) {
    const { account: info, key, limits, usage } = account.data;
    const hoursUsed = usage.audio_seconds_used / 3600;
    const hoursIncluded = usage.audio_seconds_included / 3600;
    return (
      <section aria-labelledby="account-title" className="space-y-4">
        <div className="rounded-lg border border-slate-200 bg-white p-5">
          <h2 id="account-title" className="text-lg font-semibold text-slate-900">
            {info.name}
          </h2>
          <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-4">
            <div>
              <dt className="text-slate-600">Tier</dt>
              <dd className="font-medium capitalize">{info.tier}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Key</dt>
              <dd className="font-mono">
                {key.label} ({key.prefix}…)
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">Scopes</dt>
              <dd>{key.scopes.join(', ') || 'none'}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Key expires</dt>
              <dd>{key.expires_at ? formatDateTime(key.expires_at) : 'never'}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Largest file</dt>
              <dd>{formatBytes(limits.max_file_bytes)}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Duplicate window</dt>
              <dd>{limits.dedup_window_seconds} s</dd>
            </div>
            <div>
              <dt className="text-slate-600">Billing period</dt>
              <dd>
                {formatDateTime(usage.period_start)} – {formatDateTime(usage.period_end)}
              </dd>
            </div>
          </dl>
        </div>
        <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
          <Gauge
            label="Concurrent jobs"
            value={usage.active_jobs}
            max={limits.concurrent_jobs}
            valueText={`${usage.active_jobs} of ${limits.concurrent_jobs} jobs`}
            detail={
              uploads
                ? `Jobs queued or processing. This browser: ${uploads.inFlight} uploading, ${uploads.waiting} waiting for a slot, ${uploads.queued} in the upload queue.`
                : 'Jobs queued or processing; new uploads wait for a free slot.'
            }
          />
          <RateLimitGauge fallbackLimit={limits.requests_per_minute} />
          <Gauge
            label="Audio this period"
            value={hoursUsed}
            max={hoursIncluded}
            valueText={`${hoursUsed.toFixed(1)} of ${hoursIncluded.toFixed(0)} h`}
            detail="Included audio hours for the current billing period."
          />
        </div>
      </section>
    );
  }
  if (account.error) return <ErrorNotice error={account.error} title="Could not load the account" />;
  return (
    <LoadingStatus what="the account" />
  );
}

/** Slots in use (named apart from the strip's "Concurrent jobs", which every page shows) against the tier's limit, with how many uploads wait for one. */
export function ConcurrencyGauge({ waiting, uploading }: { waiting: number; uploading: number }) {
  const client = useApiClient();
  const account = useQuery(accountQueryOptions(client));
  if (!account.data) return null;
  const { limits, usage } = account.data;
  return (
    <Gauge
      label="Job slots for this queue"
      value={usage.active_jobs}
      max={limits.concurrent_jobs}
      valueText={`${usage.active_jobs} of ${limits.concurrent_jobs} jobs`}
      detail={`${uploading} uploading · ${waiting} waiting in the queue`}
    />
  );
}
