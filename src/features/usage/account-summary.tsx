import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApiClient, useGateState, useLatestRateLimit } from '../../api/api-client-context';
import { accountQueryOptions } from '../../api/endpoints/get-account';
import { ErrorNotice } from '../../components/error-notice';
import { LoadingStatus } from '../../components/loading-status';
import { Gauge } from '../../components/gauge';
import { formatBytes, formatDateTime } from '../../lib/format';

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function RateLimitGauge({ fallbackLimit }: { fallbackLimit: number }) {
  const rateLimit = useLatestRateLimit();
  const gate = useGateState();
  const now = useNow(1000);
  const heldSeconds = gate.heldBy === 'rate_limit_exceeded' ? Math.ceil((gate.heldUntil - now) / 1000) : 0;
  const limit = rateLimit?.limit ?? fallbackLimit;
  const resetIn = rateLimit ? Math.max(0, Math.ceil((rateLimit.resetAt - now) / 1000)) : null;
  // Once the window has reset, the full allowance is back even before the next answer says so.
  const remaining = rateLimit && resetIn !== 0 ? rateLimit.remaining : limit;
  const used = limit - remaining;
  return (
    <Gauge
      label="Requests this minute"
      value={used}
      max={limit}
      valueText={`${used} of ${limit} used`}
      detail={
        heldSeconds > 0
          ? `Rate limited: waiting ${heldSeconds} s before the next request.`
          : resetIn !== null
            ? `${remaining} left; the window resets in ${resetIn} s.`
            : `${limit} requests per minute on this key.`
      }
    />
  );
}

export function AccountSummary() {
  const client = useApiClient();
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
            detail="Jobs queued or processing; new uploads wait for a free slot."
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

/** Slots in use against the tier's limit, with how many uploads wait for one. */
export function ConcurrencyGauge({ waiting, uploading }: { waiting: number; uploading: number }) {
  const client = useApiClient();
  const account = useQuery(accountQueryOptions(client));
  if (!account.data) return null;
  const { limits, usage } = account.data;
  return (
    <Gauge
      label="Concurrent jobs"
      value={usage.active_jobs}
      max={limits.concurrent_jobs}
      valueText={`${usage.active_jobs} of ${limits.concurrent_jobs} jobs`}
      detail={`${uploading} uploading · ${waiting} waiting in the queue`}
    />
  );
}
