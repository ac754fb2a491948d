import { Link } from '@tanstack/react-router';
import { useEffect, useLayoutEffect, useState, useSyncExternalStore } from 'react';
import { useApiClient, useGateState } from '../../api/api-client-context';
import { buttonStyles } from '../../components/button-styles';
import { CopyTextButton } from '../../components/copy-text-button';
import { StatusBadge } from '../../components/status-badge';
import { canRetryAsSent, catalogueEntryFor, jobFailureGuidance } from '../../errors/catalogue';
import { formatBytes, formatDuration } from '../../lib/format';
import { supportBundle } from '../../lib/support-bundle';
import { EditRefusedUpload } from './edit-refused-upload';
import { heldExplanation, type WaitContext, waitingLabel } from './queue-row-status';
import { useUploads } from './upload-context';
import { type UploadItem, useQueueItems } from './upload-queue-store';
import { metadataFromPairs } from './validate-upload';

const STATE_LABELS: Record<UploadItem['state'], string> = {
  hashing: 'Checking for duplicates',
  waiting: 'Waiting for a free slot',
  uploading: 'Uploading',
  retrying: 'Retrying',
  duplicate: 'Already submitted',
  skipped: 'Skipped: a repeat',
  accepted: 'Accepted',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** A clock for countdowns; `deadlines` changing (a new wait begins) reads the time again before the paint. */
function useTicker(active: boolean, deadlines: string, ms = 500): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    // Catch up at once: the clock stood still while nothing needed it.
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
  // A wait that starts between ticks would otherwise be counted from a time up to a tick old ("61 s" of a 60 s window).
  // biome-ignore lint/correctness/useExhaustiveDependencies: deadlines is the trigger, not an input.
  useLayoutEffect(() => setNow(Date.now()), [deadlines]);
  return now;
}

function ProgressLine({ item, now }: { item: UploadItem; now: number }) {
  const progress = item.progress;
  if (!progress) return null;
  const seconds = Math.max(0.001, (progress.updatedAt - progress.startedAt) / 1000);
  const speed = progress.loaded / seconds;
  if (progress.total === null) {
    // The browser reports no upload progress here (e.g. a service worker answers): say so honestly.
    return (
      <div className="mt-1 flex items-center gap-2 text-xs text-slate-600">
        <progress aria-label={`Upload of ${item.fileName}`} className="h-2 w-48" />
        <span>Sending; this browser does not report progress here.</span>
      </div>
    );
  }
  const fraction = progress.total > 0 ? progress.loaded / progress.total : 0;
  const left = speed > 0 ? (progress.total - progress.loaded) / speed : null;
  if (progress.total > 0 && progress.loaded >= progress.total) {
    return (
      <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-700">
        <progress aria-label={`Upload of ${item.fileName}`} className="h-2 w-48" max={progress.total} value={progress.loaded} />
        <span>All {formatBytes(progress.total)} sent; waiting for NovaPulse to answer…</span>
      </div>
    );
  }
  return (
    <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-700">
      <progress aria-label={`Upload of ${item.fileName}`} className="h-2 w-48" max={progress.total} value={progress.loaded} />
      <span className="tabular-nums">
        {Math.floor(fraction * 100)}% · {formatBytes(progress.loaded)} of {formatBytes(progress.total)}
        {progress.loaded > 0 ? ` · ${formatBytes(speed)}/s` : ''}
        {left !== null && progress.loaded > 0 && progress.loaded < progress.total ? ` · ${formatDuration(left)} left` : ''}
        {now - progress.updatedAt > 5_000 ? ' · no progress for a while' : ''}
      </span>
    </div>
  );
}

/** The job a held or skipped upload repeats: the one named when it was held, or the other upload's once it has one. */
function repeatedJobId(item: UploadItem, items: readonly UploadItem[]): string | null {
  const of = item.duplicateOf;
  if (!of) return null;
  return (of.uploadId ? items.find((other) => other.id === of.uploadId)?.jobId : null) ?? of.jobId;
}

function DuplicateActions({ item, now, items }: { item: UploadItem; now: number; items: readonly UploadItem[] }) {
  const { store } = useUploads();
  const [editing, setEditing] = useState(false);
  const [pairs, setPairs] = useState(() => [...Object.entries(item.metadata).map(([key, value]) => ({ key, value })), { key: '', value: '' }]);
  const [problem, setProblem] = useState<string | null>(null);
  const left = item.dedupUntil ? Math.max(0, Math.ceil((item.dedupUntil - now) / 1000)) : 0;
  const { repeats, next } = heldExplanation(item, now);
  const jobId = repeatedJobId(item, items);
  return (
    <div className="mt-1 text-sm">
      <p>
        {repeats}
        {jobId ? (
          <>
            {' '}
            Its job:{' '}
            <Link to="/jobs/$jobId" params={{ jobId }} className="font-mono text-indigo-700 underline">
              {jobId}
            </Link>
            .
          </>
        ) : null}
      </p>
      <p>{next}</p>
      <div className="mt-1 flex flex-wrap gap-2">
        {item.state === 'duplicate' && !item.submitWhenWindowEnds && left > 0 ? (
          <button
            type="button"
            className={buttonStyles.secondary}
            onClick={() => store.getState().submitWhenWindowEndsRequested(item.id)}
            aria-label={`Submit when the window ends: ${item.fileName}`}
          >
            Submit when the window ends
          </button>
        ) : null}
        {item.state === 'skipped' ? (
          <button type="button" className={buttonStyles.secondary} onClick={() => store.getState().sendAnywayRequested(item.id)} aria-label={`Send anyway: ${item.fileName}`}>
            Send anyway
          </button>
        ) : null}
        <button
          type="button"
          className={buttonStyles.secondary}
          onClick={() => setEditing((open) => !open)}
          aria-expanded={editing}
          aria-label={`Edit metadata: ${item.fileName}`}
        >
          Edit metadata
        </button>
      </div>
      {editing ? (
        <form
          className="mt-2 space-y-2"
          aria-label={`Metadata for ${item.fileName}`}
          onSubmit={(event) => {
            event.preventDefault();
            const result = metadataFromPairs(pairs);
            if ('problem' in result) {
              setProblem(result.problem);
              return;
            }
            store.getState().metadataEdited(item.id, result.metadata);
          }}
        >
          {pairs.map((pair, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position
            <div key={index} className="flex gap-2">
              <input
                aria-label={`Key ${index + 1} for ${item.fileName}`}
                value={pair.key}
                onChange={(event) => setPairs((rows) => rows.map((row, at) => (at === index ? { ...row, key: event.target.value } : row)))}
                className="w-28 min-w-0 rounded-md border border-slate-300 px-2 py-1 text-sm sm:w-32"
              />
              <input
                aria-label={`Value ${index + 1} for ${item.fileName}`}
                value={pair.value}
                onChange={(event) => setPairs((rows) => rows.map((row, at) => (at === index ? { ...row, value: event.target.value } : row)))}
                className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1 text-sm sm:w-48 sm:flex-none"
              />
            </div>
          ))}
          {problem ? (
            <p role="alert" className="text-red-700">
              {problem}
            </p>
          ) : null}
          <button type="submit" className={buttonStyles.primary}>
            Save and submit
          </button>
        </form>
      ) : null}
    </div>
  );
}

function CopySupportBundle({ item }: { item: UploadItem }) {
  const { baseUrl } = useApiClient();
  const error = item.error;
  if (!error) return null;
  const text = supportBundle({
    what: `upload of ${item.fileName} (${item.pipeline}, ${item.language})`,
    jobId: item.jobId,
    requestId: error.requestId,
    code: error.code,
    status: error.status,
    message: error.message,
    attempts: item.attempts,
    firstAttemptAt: item.addedAt,
    failedAt: error.at,
    apiBase: baseUrl || window.location.origin,
  });
  return <CopyTextButton text={text} label="Copy support bundle" copiedMessage="Copied. Send it to NovaPulse support." />;
}

function QueueItem({ item, now, items, wait }: { item: UploadItem; now: number; items: readonly UploadItem[]; wait: WaitContext }) {
  const { store, blobs } = useUploads();
  const events = store.getState();
  const entry = item.error ? catalogueEntryFor(item.error.code, item.error.status) : null;
  const retryIn = item.retryAt ? Math.max(0, Math.ceil((item.retryAt - now) / 1000)) : null;
  const canCancel = ['hashing', 'waiting', 'uploading', 'retrying', 'duplicate'].includes(item.state);
  // A request refused as sent (400, 413, 415) fails the same way again: it is corrected, not retried.
  const refusedAsSent = item.state === 'failed' && item.error !== null && !canRetryAsSent(item.error.code, item.error.status);
  const canRetryNow = ['retrying', 'cancelled'].includes(item.state) || (item.state === 'failed' && !refusedAsSent);

  return (
    <li className="py-3" aria-label={item.fileName}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="font-medium text-slate-900">
            {item.fileName} <span className="text-sm font-normal text-slate-600">({formatBytes(item.size)}, {item.pipeline}, {item.language})</span>
          </p>
          <p className="text-sm text-slate-700">
            <span className="font-medium">{item.state === 'waiting' ? waitingLabel(item, wait) : STATE_LABELS[item.state]}</span>
            {item.state === 'hashing' ? ` · ${Math.floor((item.hashedBytes / Math.max(1, item.size)) * 100)}%` : null}
            {item.state === 'retrying' && retryIn !== null ? ` · next attempt in ${retryIn} s (${entry?.title ?? item.retryReason})` : null}
            {item.state === 'accepted' && item.adopted ? ' · an earlier attempt had already created the job' : null}
          </p>
          {item.state === 'uploading' ? <ProgressLine item={item} now={now} /> : null}
          {item.state === 'accepted' && item.jobId ? (
            <p className="mt-1 flex items-center gap-2 text-sm">
              <Link to="/jobs/$jobId" params={{ jobId: item.jobId }} className="font-mono text-indigo-700 underline">
                {item.jobId}
              </Link>
              {item.jobStatus ? <StatusBadge status={item.jobStatus} /> : null}
              {item.jobStatus === 'processing' && item.jobProgress !== null ? <span className="tabular-nums text-slate-600">{Math.round(item.jobProgress * 100)}%</span> : null}
            </p>
          ) : null}
          {item.state === 'accepted' && item.jobError ? (
            <p className="mt-1 text-sm text-red-900">
              The job failed while processing: {jobFailureGuidance(item.jobError.code).title} (<span className="font-mono">{item.jobError.code}</span>).{' '}
              {jobFailureGuidance(item.jobError.code).resolution}
            </p>
          ) : null}
          {item.state === 'failed' && item.error && entry ? (
            <div className="mt-1 text-sm text-red-900">
              <p className="font-medium">{entry.title}</p>
              <p>{item.error.message}</p>
              <p>{entry.resolution}</p>
              {entry.action === 'support-bundle' ? <CopySupportBundle item={item} /> : null}
              {entry.action === 'mark-field' ? <EditRefusedUpload item={item} /> : null}
              <p className="font-mono text-xs">
                {item.error.code}
                {item.error.status !== null ? ` · HTTP ${item.error.status}` : ''}
                {item.error.requestId ? ` · request ${item.error.requestId}` : ''} · {item.attempts} {item.attempts === 1 ? 'attempt' : 'attempts'}
              </p>
            </div>
          ) : null}
          {item.state === 'duplicate' || item.state === 'skipped' ? <DuplicateActions item={item} now={now} items={items} /> : null}
        </div>
        <div className="flex shrink-0 flex-wrap gap-2">
          {canRetryNow ? (
            <button type="button" className={buttonStyles.secondary} onClick={() => events.retryNowRequested(item.id)} aria-label={`Retry now: ${item.fileName}`}>
              Retry now
            </button>
          ) : null}
          {canCancel ? (
            <button type="button" className={buttonStyles.secondary} onClick={() => events.uploadCancelled(item.id)} aria-label={`Cancel ${item.fileName}`}>
              Cancel
            </button>
          ) : null}
          <button
            type="button"
            className={buttonStyles.secondary}
            aria-label={`Remove ${item.fileName} from the queue`}
            onClick={() => {
              events.uploadRemoved(item.id);
              void blobs.remove(item.id);
            }}
          >
            Remove
          </button>
        </div>
      </div>
    </li>
  );
}

/** Whether the browser says it is online, as it changes. */
function useOnline(): boolean {
  return useSyncExternalStore(
    (changed) => {
      window.addEventListener('online', changed);
      window.addEventListener('offline', changed);
      return () => {
        window.removeEventListener('online', changed);
        window.removeEventListener('offline', changed);
      };
    },
    () => navigator.onLine,
    () => true,
  );
}

export function UploadQueueList() {
  const { store, blobs, runner } = useUploads();
  const items = useQueueItems(store);
  const gate = useGateState();
  const slots = useSyncExternalStore(runner.subscribeSlotStatus, runner.slotStatus, runner.slotStatus);
  const online = useOnline();
  const ticking = items.some((item) => ['uploading', 'retrying', 'duplicate', 'waiting'].includes(item.state));
  const deadlines = items.map((item) => `${item.dedupUntil ?? ''}/${item.retryAt ?? ''}`).join(' ');
  const now = useTicker(ticking, `${deadlines} ${gate.heldUntil} ${slots.serviceDownUntil}`);
  const wait: WaitContext = { gate, serviceDownUntil: slots.serviceDownUntil, online, now };
  const finished = items.filter((item) => item.state === 'accepted' || item.state === 'cancelled' || item.state === 'skipped');
  if (items.length === 0) {
    return <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">The upload queue is empty.</p>;
  }
  return (
    <section aria-labelledby="queue-title" className="rounded-lg border border-slate-200 bg-white p-5">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="queue-title" className="text-lg font-semibold">
          Upload queue ({items.length})
        </h2>
        {finished.length > 0 ? (
          <button
            type="button"
            className={buttonStyles.secondary}
            onClick={() => {
              for (const item of finished) {
                store.getState().uploadRemoved(item.id);
                void blobs.remove(item.id);
              }
            }}
          >
            {finished.some((item) => item.state === 'skipped') ? 'Clear accepted, skipped and cancelled' : 'Clear accepted and cancelled'} ({finished.length})
          </button>
        ) : null}
      </div>
      <ul className="divide-y divide-slate-100">
        {items.map((item) => (
          <QueueItem key={item.id} item={item} now={now} items={items} wait={wait} />
        ))}
      </ul>
    </section>
  );
}
