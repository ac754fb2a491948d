import { useEffect, useState } from 'react';
import { formatBytes, formatDuration } from '../../lib/format';
import { summarizeBatch } from './summarize-batch';
import type { UploadItem } from './upload-queue-store';

/** Re-reads the clock each second while `active`, so time left moves during slot waits too. */
function useSecondTick(active: boolean, clock: () => number): number {
  const [, setTicks] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setTicks((ticks) => ticks + 1), 1_000);
    return () => clearInterval(timer);
  }, [active]);
  return clock();
}

/** Counts, overall progress and time left of a set of uploads (the Upload page's queue, or one bulk re-run). */
export function BatchSummary({ items, title, clock = Date.now }: { items: readonly UploadItem[]; title: string; clock?: () => number }) {
  const unfinished = items.some((item) => item.state !== 'accepted' && item.state !== 'failed' && item.state !== 'cancelled');
  const now = useSecondTick(unfinished, clock);
  const summary = summarizeBatch(items, now);
  const percent = Math.round(summary.progress * 100);
  const counts: [string, number][] = [
    ['Accepted', summary.accepted],
    ['Uploading', summary.uploading],
    ['Waiting', summary.waiting],
    ['Failed', summary.failed],
  ];
  if (summary.cancelled > 0) counts.push(['Cancelled', summary.cancelled]);
  return (
    <section aria-label={title} className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <h2 className="font-semibold text-slate-800">
        {title} ({summary.total} {summary.total === 1 ? 'file' : 'files'})
      </h2>
      <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1">
        {counts.map(([label, count]) => (
          <div key={label} className="flex gap-1">
            <dt className="text-slate-600">{label}</dt>
            <dd className="font-semibold tabular-nums">{count}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <progress className="h-2 w-64" max={100} value={percent} aria-label={`${title}: overall progress`}>
          {percent}%
        </progress>
        <span className="tabular-nums">
          {percent}% ({formatBytes(summary.bytesDone)} of {formatBytes(summary.bytesTotal)})
        </span>
        <span className="text-slate-700">
          {!unfinished ? 'Done' : summary.secondsLeft === null ? 'Time left: estimating…' : `Time left: about ${formatDuration(summary.secondsLeft)}`}
        </span>
      </div>
    </section>
  );
}
