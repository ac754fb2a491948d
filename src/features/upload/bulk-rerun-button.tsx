import { useState } from 'react';
import type { Job } from '../../api/schemas';
import { buttonStyles } from '../../components/button-styles';
import { BatchSummary } from './batch-summary';
import type { KeptFiles } from './kept-files';
import { bulkRerunLabel, planReupload } from './reupload';
import { rerunsOf } from './rerun-ledger';
import { JobLink } from './rerun-status';
import { useRerun } from './use-rerun';
import { useUploads } from './upload-context';
import { useQueueItems } from './upload-queue-store';

interface Batch {
  uploadIds: string[];
  jobByUpload: Record<string, string>;
  missing: Job[];
  problems: string[];
  /** Re-run meanwhile elsewhere (another tab, another button): not sent again. */
  already: number;
}

/**
 * Re-runs many jobs at once (a failure group or a selection), each with its
 * own plan. Jobs already re-run are left out and counted apart; while the
 * group's count is still reading pages, the button says it re-runs those
 * read so far, and a later click sends only those read since.
 */
export function BulkRerunButton({ jobs, kind, counting = false, kept }: { jobs: readonly Job[]; kind: 'group' | 'selection'; counting?: boolean; kept?: KeptFiles }) {
  const { records, rerun } = useRerun({ kept });
  const { store } = useUploads();
  const items = useQueueItems(store);
  const [batch, setBatch] = useState<Batch | null>(null);
  const [working, setWorking] = useState(false);
  const offered = jobs.flatMap((job) => {
    const plan = planReupload(job);
    return plan ? [{ job, plan }] : [];
  });
  if (offered.length === 0) return null;
  const fresh = offered.filter(({ job }) => rerunsOf(records, job.id).length === 0);
  const done = offered.length - fresh.length;

  async function start() {
    setWorking(true);
    try {
      const results = await rerun(fresh.map(({ job }) => ({ job })));
      const next: Batch = { uploadIds: [], jobByUpload: {}, missing: [], problems: [], already: 0 };
      for (const result of results) {
        if (result.kind === 'queued') {
          next.uploadIds.push(result.uploadId);
          next.jobByUpload[result.uploadId] = result.job.id;
        } else if (result.kind === 'missing') next.missing.push(result.job);
        else if (result.kind === 'problem') next.problems.push(result.problem);
        else if (result.kind === 'already') next.already += 1;
      }
      // A later click (more read, a grown selection) adds to what this one sent.
      setBatch((prev) =>
        prev
          ? {
              uploadIds: [...prev.uploadIds, ...next.uploadIds],
              jobByUpload: { ...prev.jobByUpload, ...next.jobByUpload },
              missing: [...prev.missing.filter((job) => !next.missing.includes(job)), ...next.missing],
              problems: next.problems,
              already: next.already,
            }
          : next,
      );
    } finally {
      setWorking(false);
    }
  }

  const batchItems = batch ? items.filter((item) => batch.uploadIds.includes(item.id)) : [];
  const missingNow = batch ? batch.missing.filter((job) => rerunsOf(records, job.id).length === 0) : [];
  return (
    <div className={`space-y-3 text-sm ${batch ? 'basis-full' : ''}`}>
      {fresh.length > 0 ? (
        <button type="button" className={buttonStyles.primary} disabled={working} onClick={() => void start()}>
          {bulkRerunLabel(kind, counting, fresh.map(({ plan }) => plan))}
        </button>
      ) : null}
      {done > 0 ? (
        <p className="text-slate-700">
          {fresh.length === 0 ? `All ${done.toLocaleString()} already re-run` : `${done.toLocaleString()} already re-run, left out`}
          {kind === 'group' && counting ? ' (so far)' : ''}
        </p>
      ) : null}
      <p role="status" className="text-slate-700">
        {working
          ? 'Queuing the re-uploads…'
          : batch
            ? `${batch.uploadIds.length} re-upload${batch.uploadIds.length === 1 ? '' : 's'} queued.${batch.already > 0 ? ` ${batch.already} had been re-run meanwhile and were not sent again.` : ''}`
            : ''}
      </p>
      {batch && batch.uploadIds.length > 0 ? (
        <>
          <BatchSummary items={batchItems} title="Re-upload batch" />
          <ul aria-label="Re-uploads in this batch" className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white">
            {batchItems.map((item) => (
              <li key={item.id} aria-label={`${item.fileName} (from ${batch.jobByUpload[item.id]})`} className="flex flex-wrap items-center gap-3 px-3 py-1.5">
                <span>{item.fileName}</span>
                <span className="text-slate-600">
                  {item.state === 'uploading' && item.progress?.total ? `uploading ${Math.round((item.progress.loaded / item.progress.total) * 100)}%` : item.state}
                </span>
                {item.jobId ? <JobLink jobId={item.jobId} /> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {missingNow.length > 0 ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
          <p>
            {missingNow.length} {missingNow.length === 1 ? 'file is' : 'files are'} no longer kept in this browser and {missingNow.length === 1 ? 'was' : 'were'} not
            sent. Open each job to pick its file again:
          </p>
          <ul className="mt-1 ml-5 list-disc">
            {missingNow.map((job) => (
              <li key={job.id}>
                {job.file.name}: <JobLink jobId={job.id} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {batch && batch.problems.length > 0 ? (
        <ul role="alert" className="space-y-1 text-red-800">
          {batch.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
