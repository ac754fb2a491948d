import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useId } from 'react';
import { useApiClient } from '../../api/api-client-context';
import { accountQueryOptions } from '../../api/endpoints/get-account';
import { type Clock, systemClock } from '../../lib/random';
import { type RateLimitView, unreadableRateText } from './rate-limit-view';
import { useRateLimit } from './use-rate-limit';

/** Uploads of this browser, as the upload queue counts them. */
export interface UploadActivity {
  inFlight: number;
  waiting: number;
}

function CompactGauge({ label, value, max, valueText, detail }: { label: string; value: number; max: number; valueText: string; detail: string }) {
  const id = useId();
  const fraction = max > 0 ? value / max : 0;
  const tone = fraction >= 0.9 ? 'text-red-800' : fraction >= 0.7 ? 'text-amber-800' : 'text-slate-900';
  return (
    <div className="flex min-w-0 flex-1 flex-col gap-0.5">
      <div className="flex items-baseline gap-2 text-xs">
        <label htmlFor={id} className="font-medium text-slate-700">
          {label}
        </label>
        <span className={`font-semibold tabular-nums ${tone}`}>{valueText}</span>
      </div>
      <meter
        id={id}
        className="h-2 w-full"
        min={0}
        max={max}
        value={Math.min(value, max)}
        low={max * 0.7}
        high={max * 0.9}
        optimum={0}
        aria-valuetext={`${valueText}. ${detail}`}
      />
      <span className="truncate text-xs text-slate-600 tabular-nums">{detail}</span>
    </div>
  );
}

/** A count the API hides from this page: said in words, with no meter pretending to a number. */
function UnreadableCount({ label, text, detail }: { label: string; text: string; detail: string }) {
  return (
    <div className="flex min-w-0 flex-1 flex-col gap-0.5 text-xs">
      <span className="font-medium text-slate-700">
        {label}
      </span>
      <span className="font-semibold text-amber-800">{text}</span>
      <span className="truncate text-slate-600">{detail}</span>
    </div>
  );
}

/** The strip's one line under the requests meter: any Retry-After wait first, then the window. */
export function compactRateDetail(view: RateLimitView): string {
  const parts: string[] = [];
  if (view.heldSeconds !== null) parts.push(`waiting ${view.heldSeconds} s (Retry-After)`);
  if (view.window === 'current') parts.push(`resets in ${view.resetInSeconds} s`);
  else if (view.window === 'new') parts.push('new window');
  else if (view.window === 'unreadable') parts.push(`kept to ${view.limit} a minute by the console`);
  else parts.push('per minute');
  return parts.join(' · ');
}

/**
 * The account's gauges in one line under the header, on every page: requests
 * in the rate-limit window with its countdown and any Retry-After wait, job
 * slots with this browser's uploads, audio hours. `controls` is put at the end
 * (the app passes the refresh control).
 */
export function UsageStrip({ uploads, controls, clock = systemClock }: { uploads: UploadActivity; controls?: ReactNode; clock?: Clock }) {
  const client = useApiClient();
  // Kept fresh by the one background reader of the account (useAccountRefresh, called by the layout).
  const account = useQuery(accountQueryOptions(client));
  const rate = useRateLimit(account.data?.limits.requests_per_minute ?? 0, clock);
  const data = account.data;
  return (
    <section aria-label="Usage" className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-6 py-2">
        {data ? (
          <>
            {rate.window === 'unreadable' ? (
              <UnreadableCount label="Requests this minute" text={unreadableRateText(rate)} detail={compactRateDetail(rate)} />
            ) : (
              <CompactGauge
                label="Requests this minute"
                value={rate.used}
                max={rate.limit}
                valueText={`${rate.used} of ${rate.limit}`}
                detail={compactRateDetail(rate)}
              />
            )}
            <CompactGauge
              label="Concurrent jobs"
              value={data.usage.active_jobs}
              max={data.limits.concurrent_jobs}
              valueText={`${data.usage.active_jobs} of ${data.limits.concurrent_jobs} jobs`}
              detail={`${uploads.inFlight} uploading · ${uploads.waiting} waiting`}
            />
            <CompactGauge
              label="Audio this period"
              value={data.usage.audio_seconds_used / 3600}
              max={data.usage.audio_seconds_included / 3600}
              valueText={`${(data.usage.audio_seconds_used / 3600).toFixed(1)} of ${(data.usage.audio_seconds_included / 3600).toFixed(0)} h`}
              detail="included hours"
            />
          </>
        ) : (
          <p className="flex-1 text-xs text-slate-600">{account.error ? 'Usage unavailable.' : 'Loading usage…'}</p>
        )}
        {controls}
      </div>
    </section>
  );
}
