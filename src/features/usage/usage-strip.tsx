import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { useApiClient } from '../../api/api-client-context';
import { accountQueryOptions } from '../../api/endpoints/get-account';
import { GAUGE_TONE_TEXT, gaugeTone } from '../../components/gauge';
import { type Clock, systemClock } from '../../lib/random';
import { type RateLimitView, unreadableRateText } from './rate-limit-view';
import { useRateLimit } from './use-rate-limit';

/** Uploads of this browser, as the upload queue counts them. */
export interface UploadActivity {
  inFlight: number;
  waiting: number;
}

function CompactGauge({ label, value, max, valueText, detail, refused = false }: { label: string; value: number; max: number; valueText: string; detail: string; refused?: boolean }) {
  const id = useId();
  const tone = gaugeTone(value, max, { refused });
  return (
    <div className="flex min-w-0 flex-1 flex-col gap-0.5 @4xl:min-w-40">
      <div className="flex items-baseline justify-between gap-2 text-xs">
        <label htmlFor={id} className="min-w-0 font-medium text-slate-700">
          {label}
        </label>
        <span className={`shrink-0 font-semibold whitespace-nowrap tabular-nums ${GAUGE_TONE_TEXT[tone]}`}>{valueText}</span>
      </div>
      <meter id={id} data-tone={tone} className="h-2 w-full" min={0} max={max} value={Math.min(value, max)} aria-valuetext={`${valueText}. ${detail}`} />
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
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const data = account.data;
  const rateRefused = rate.heldBy === 'rate_limit_exceeded';
  const hoursUsed = data ? data.usage.audio_seconds_used / 3600 : 0;
  const hoursIncluded = data ? data.usage.audio_seconds_included / 3600 : 0;
  return (
    // A narrow strip (a phone, half a screen) folds into one line that opens to the gauges.
    <section aria-label="Usage" className="@container border-b border-slate-200 bg-white">
      <div className="mx-auto max-w-6xl px-4 py-2 sm:px-6">
        {data ? (
          <button
            type="button"
            aria-expanded={open}
            aria-controls={panelId}
            className="flex min-h-8 w-full items-center justify-between gap-2 rounded text-left text-xs text-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-600 @4xl:hidden"
            onClick={() => setOpen((was) => !was)}
          >
            <span className="min-w-0 truncate tabular-nums">
              <span className="font-semibold text-slate-900">Usage</span>{' '}
              <span className={rateRefused ? 'font-semibold text-red-700' : ''}>
                {rate.window === 'unreadable' ? 'requests not readable' : `${rate.used}/${rate.limit} requests`}
              </span>
              {' · '}
              {data.usage.active_jobs}/{data.limits.concurrent_jobs} jobs · {hoursUsed.toFixed(1)}/{hoursIncluded.toFixed(0)} h
            </span>
            <svg aria-hidden="true" viewBox="0 0 20 20" className={`h-4 w-4 shrink-0 transition-transform ${open ? 'rotate-180' : ''}`} fill="currentColor">
              <path d="M5.2 7.3 10 12.1l4.8-4.8 1.1 1.1-5.9 5.9-5.9-5.9z" />
            </svg>
          </button>
        ) : null}
        <div id={panelId} className={`${data && !open ? 'hidden' : 'flex'} flex-col gap-x-6 gap-y-3 pt-2 @4xl:flex @4xl:flex-row @4xl:flex-wrap @4xl:items-center @4xl:pt-0`}>
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
                  refused={rateRefused}
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
                value={hoursUsed}
                max={hoursIncluded}
                valueText={`${hoursUsed.toFixed(1)} of ${hoursIncluded.toFixed(0)} h`}
                detail="included hours"
              />
            </>
          ) : (
            <p className="flex-1 text-xs text-slate-600">{account.error ? 'Usage unavailable.' : 'Loading usage…'}</p>
          )}
          {controls}
        </div>
      </div>
    </section>
  );
}
