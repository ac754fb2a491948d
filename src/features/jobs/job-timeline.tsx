import { useQueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { useApiClient } from '../../api/api-client-context';
import { jobStatusHistoryFor, type StatusSeen } from '../../api/job-status-history';
import type { Job } from '../../api/schemas';
import type { UploadAttempt } from '../../api/upload-attempts';
import { Panel } from '../../components/panel';

// The console's one date style (as the lists), with seconds: attempts can be seconds apart.
const timelineTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export interface TimelineEntry {
  at: number;
  event: string;
  status: string;
  code: string;
  requestId: string;
  wait: string;
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * The job's timeline: created and finished (the job's own times, from NovaPulse), each status this console saw it in
 * (this page load only), and each upload attempt this tab made for it (kept across a reload). Sorted by time; ties keep that order.
 *
 * Every entry is on one clock, NovaPulse's: the job's own times are the server's and are what support matches against
 * the server's logs and request ids, so the browser's times (attempts, statuses seen) are moved onto it by
 * `serverOffsetMs`, how far the server's clock runs ahead of this browser's (learned from responses' Date header, to
 * within a second). Mixing the two clocks put an attempt after the job it created whenever the browser's clock ran ahead.
 */
export function timelineEntries(job: Job, seen: readonly StatusSeen[], attempts: readonly UploadAttempt[], serverOffsetMs: number): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const onServerClock = (browserTime: number) => browserTime + serverOffsetMs;
  attempts.forEach((attempt, index) => {
    const wait = attempt.waitedMs === null ? 'none (first attempt)' : seconds(attempt.waitedMs);
    entries.push({
      at: onServerClock(attempt.startedAt),
      event: `Upload attempt ${index + 1}`,
      status: attempt.status === null ? 'no answer' : String(attempt.status),
      code: attempt.code ?? '',
      requestId: attempt.requestId ?? '',
      wait: attempt.retryAfterMs !== null ? `${wait}; server asked ${seconds(attempt.retryAfterMs)}` : wait,
    });
  });
  const created = Date.parse(job.created_at);
  if (!Number.isNaN(created)) entries.push({ at: created, event: 'Created (NovaPulse)', status: '', code: '', requestId: '', wait: '' });
  for (const entry of seen) entries.push({ at: onServerClock(entry.seenAt), event: `Seen ${entry.status}`, status: '', code: '', requestId: '', wait: '' });
  const finished = job.status === 'completed' || job.status === 'failed' ? Date.parse(job.completed_at ?? job.updated_at) : Number.NaN;
  if (!Number.isNaN(finished)) {
    entries.push({ at: finished, event: `${job.status === 'completed' ? 'Completed' : 'Failed'} (NovaPulse)`, status: '', code: job.error?.code ?? '', requestId: '', wait: '' });
  }
  return entries.map((entry, order) => ({ entry, order })).sort((a, b) => a.entry.at - b.entry.at || a.order - b.order).map(({ entry }) => entry);
}

const EMPTY: readonly UploadAttempt[] = [];

/** A cell: a table cell in a wide panel; in a narrow one a line of its own, named by its column (empty ones hidden). */
const CELL =
  'block py-0.5 empty:hidden before:mr-1 before:font-sans before:text-xs before:text-slate-600 before:content-[attr(data-label)] @xl:table-cell @xl:py-1 @xl:pr-3 @xl:before:content-none';

export function JobTimeline({ job, attempts = EMPTY }: { job: Job; attempts?: readonly UploadAttempt[] }) {
  const history = jobStatusHistoryFor(useQueryClient());
  const seen = useSyncExternalStore(history.subscribe, () => history.list(job.id));
  const client = useApiClient();
  const entries = timelineEntries(job, seen, attempts, client.serverTimeOffsetMs());
  return (
    <Panel title="Timeline">
      <p className="mt-1 text-xs text-slate-600">
        All times are NovaPulse's clock. Created and finished come from NovaPulse; statuses seen (since the page was loaded)
        and upload attempts (from this tab) are what this browser saw, set on NovaPulse's clock from the time its answers carry.
      </p>
      {/* A narrow panel (a phone) shows each entry as a short block of named values instead of six columns. */}
      <div className="@container mt-3">
        <table className="block w-full text-left text-sm @xl:table">
          <caption className="sr-only">Timeline of job {job.id}</caption>
          <thead className="sr-only text-xs text-slate-600 @xl:not-sr-only @xl:table-header-group">
            <tr>
              <th scope="col" className="py-1 pr-3 font-medium">Time</th>
              <th scope="col" className="py-1 pr-3 font-medium">Event</th>
              <th scope="col" className="py-1 pr-3 font-medium">HTTP status</th>
              <th scope="col" className="py-1 pr-3 font-medium">Code</th>
              <th scope="col" className="py-1 pr-3 font-medium">Request ID</th>
              <th scope="col" className="py-1 font-medium">Wait before</th>
            </tr>
          </thead>
          <tbody className="block @xl:table-row-group">
            {entries.map((entry) => (
              <tr key={`${entry.at}-${entry.event}-${entry.requestId}`} className="block border-t border-slate-100 py-1.5 @xl:table-row @xl:py-0">
                <td className={`${CELL} whitespace-nowrap font-mono text-xs`} data-label="">
                  <time dateTime={new Date(entry.at).toISOString()}>{timelineTime.format(entry.at)}</time>
                </td>
                <td className={`${CELL} font-medium @xl:font-normal`} data-label="">{entry.event}</td>
                <td className={CELL} data-label="HTTP status">{entry.status}</td>
                <td className={`${CELL} font-mono text-xs`} data-label="Code">{entry.code}</td>
                <td className={`${CELL} font-mono text-xs break-all`} data-label="Request ID">{entry.requestId}</td>
                <td className={`${CELL} @xl:pr-0`} data-label="Wait before">{entry.wait}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
