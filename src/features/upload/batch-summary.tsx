import { useEffect, useState } from 'react';
import { formatBytes, formatDuration } from '../../lib/format';
import { useUploads } from './upload-context';
import { currentBatch, isUnfinished, summarizeBatch } from './summarize-batch';
import { type RefusedFile, type UploadItem, useQueueItems, useRefusedFiles } from './upload-queue-store';

/** Re-reads the clock each second while `active`, so countdowns move during waits too. */
function useSecondTick(active: boolean, clock: () => number): number {
  const [, setTicks] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setTicks((ticks) => ticks + 1), 1_000);
    return () => clearInterval(timer);
  }, [active]);
  return clock();
}

const files = (count: number) => `${count} ${count === 1 ? 'file' : 'files'}`;

/** Counts, overall progress and time left of a set of uploads (the Upload page's batch, or one bulk re-run), with the files refused before sending. */
export function BatchSummary({
  items,
  title,
  refused = [],
  onDismissRefused,
  clock = Date.now,
}: {
  items: readonly UploadItem[];
  title: string;
  refused?: readonly RefusedFile[];
  onDismissRefused?: (id: string) => void;
  clock?: () => number;
}) {
  const unfinished = items.some(isUnfinished);
  const now = useSecondTick(unfinished, clock);
  const summary = summarizeBatch(items, now);
  const percent = Math.round(summary.progress * 100);
  const counts: [string, number][] = [
    ['Accepted', summary.accepted],
    ['Uploading', summary.uploading],
    ['Waiting', summary.waiting],
    ['Failed', summary.failed],
  ];
  if (summary.held > 0) counts.push(['Held', summary.held]);
  if (summary.skipped > 0) counts.push(['Skipped', summary.skipped]);
  if (summary.cancelled > 0) counts.push(['Cancelled', summary.cancelled]);
  if (refused.length > 0) counts.push(['Refused', refused.length]);
  const total = summary.total + refused.length;
  const timeLeft = !unfinished
    ? 'Done'
    : summary.secondsLeft !== null
      ? `Time left: about ${formatDuration(summary.secondsLeft)}`
      : summary.uploading > 0
        ? 'Time left: estimating…'
        : summary.waiting > 0
          ? `Time left: unknown while uploads wait${summary.nextSendAt !== null ? ` (the next goes in ${Math.ceil((summary.nextSendAt - now) / 1000)} s)` : ''}`
          : `Waiting for your choice on ${files(summary.held)} held as repeats`;
  return (
    <section aria-label={title} className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <h2 className="font-semibold text-slate-800">
        {title} ({files(total)})
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
        <span className="text-slate-700">{timeLeft}</span>
      </div>
      {refused.length > 0 ? (
        <div className="mt-3 text-red-900">
          <p className="font-medium">Refused before sending ({refused.length}): nothing of these was uploaded.</p>
          <ul aria-label={`${title}: refused before sending`} className="mt-1 space-y-1">
            {refused.map((file) => (
              <li key={file.id} aria-label={file.fileName} className="flex flex-wrap items-center gap-2">
                <span>{file.reason}</span>
                {onDismissRefused ? (
                  <button type="button" className="text-sm underline" aria-label={`Dismiss ${file.fileName}`} onClick={() => onDismissRefused(file.id)}>
                    Dismiss
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

/** The Upload page's summary: the current batch of the queue (finished batches do not roll into it) and its refused files. */
export function UploadBatchSummary() {
  const { store } = useUploads();
  const items = useQueueItems(store);
  const refusedFiles = useRefusedFiles(store);
  const batch = currentBatch(items);
  const batchIds = new Set(batch.map((item) => item.batchId));
  // Refused files of the batch shown, or of the newest pick when all it had was refused.
  const refused = refusedFiles.filter((file) => batchIds.has(file.batchId));
  if (batch.length === 0 && refused.length === 0) return null;
  return <BatchSummary items={batch} refused={refused} title="Upload batch" onDismissRefused={(id) => store.getState().refusedFileDismissed(id)} />;
}
