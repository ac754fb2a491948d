import { Link } from '@tanstack/react-router';
import { useStore } from 'zustand';
import type { RerunRecord } from './rerun-ledger';
import { rerunOrigin, rerunsOf } from './rerun-ledger';
import { useRerun } from './use-rerun';
import { useUploads } from './upload-context';

export function JobLink({ jobId }: { jobId: string }) {
  return (
    <Link to="/jobs/$jobId" params={{ jobId }} className="font-mono text-indigo-700 underline">
      {jobId}
    </Link>
  );
}

function pendingText(state: RerunRecord['uploadState'], inThisQueue: boolean): string {
  // Recorded, but its upload is not in this tab's queue: another tab carries it, or a reload lost it before it was saved.
  if (!inThisQueue && state !== 'failed' && state !== 'cancelled') return 'not in this tab’s upload queue (another tab may be sending it)';
  switch (state) {
    case 'failed':
      return 'not sent: the upload failed';
    case 'cancelled':
      return 'cancelled before NovaPulse accepted it';
    case 'duplicate':
      return 'held: NovaPulse refuses the same upload within 60 s of the first';
    default:
      return 'waiting in the upload queue';
  }
}

/** "Re-run as job_… (status)" once the re-run is a job; until then, where its upload stands. */
export function RerunState({ record }: { record: RerunRecord }) {
  const { store } = useUploads();
  const inThisQueue = useStore(store, (state) => state.items.some((item) => item.id === record.uploadId));
  if (record.jobId)
    return (
      <>
        Re-run as <JobLink jobId={record.jobId} /> ({record.jobStatus ?? 'queued'})
      </>
    );
  return (
    <>
      Re-run {pendingText(record.uploadState, inThisQueue)}:{' '}
      <Link to="/upload" className="text-indigo-700 underline">
        Upload page
      </Link>
    </>
  );
}

/** On a job's page: the re-runs made of it, newest first, and the job it re-runs, from the ledger. */
export function RerunLinks({ jobId }: { jobId: string }) {
  const { records } = useRerun();
  const reruns = rerunsOf(records, jobId);
  const origin = rerunOrigin(records, jobId);
  if (reruns.length === 0 && !origin) return null;
  return (
    <section aria-label="Re-runs" className="rounded-lg border border-indigo-200 bg-indigo-50 p-4 text-sm text-indigo-950">
      <ul className="space-y-1">
        {origin ? (
          <li>
            Re-run of <JobLink jobId={origin} />
          </li>
        ) : null}
        {reruns.map((record) => (
          <li key={record.uploadId}>
            <RerunState record={record} />
          </li>
        ))}
      </ul>
    </section>
  );
}
