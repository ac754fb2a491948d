import { useState } from 'react';
import type { Job } from '../../api/schemas';
import { buttonStyles } from '../../components/button-styles';
import { BatchSummary } from './batch-summary';
import type { HashFile } from './hash-file';
import type { KeptFiles } from './kept-files';
import { hashPickedFile, useFilePicker } from './pick-files';
import { bulkRerunLabel, matchPickedFiles, type ReuploadPlan, rerunOffers } from './reupload';
import { rerunsOf } from './rerun-ledger';
import { JobLink } from './rerun-status';
import { useKeptShas } from './use-kept-shas';
import { type RerunAsk, useRerun } from './use-rerun';
import { useUploads } from './upload-context';
import { useQueueItems } from './upload-queue-store';

interface Batch {
  uploadIds: string[];
  jobByUpload: Record<string, string>;
  problems: string[];
  /** Re-run meanwhile elsewhere (another tab, another button): not sent again. */
  already: number;
}

/** Jobs waiting for the person to pick their files, with the offer chosen for them. */
interface Waiting {
  reason: ReuploadPlan['reason'];
  asks: { job: Job; plan: ReuploadPlan }[];
}

const REASONS: readonly ReuploadPlan['reason'][] = ['same-pipeline', 'full-analysis'];
const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

function keptText(kept: number, total: number): string {
  if (kept === total) return total === 1 ? 'Its file is kept in this browser.' : `All ${total.toLocaleString()} files are kept in this browser.`;
  if (kept === 0)
    return total === 1
      ? 'Its file is not kept in this browser: the re-run asks you to pick it.'
      : `None of the ${total.toLocaleString()} files is kept in this browser: the re-run asks you to pick them (several at once, in any order).`;
  return `${kept.toLocaleString()} of ${total.toLocaleString()} files are kept in this browser; the re-run asks you to pick the other ${(total - kept).toLocaleString()}.`;
}

/**
 * Re-runs many jobs at once (a failure group or a selection), one button per
 * offer. Kept bytes go at once; the files this browser does not hold are
 * picked in the same click, many at a time, matched to their jobs by SHA-256
 * (a file that is none of theirs is named and refused). Jobs already re-run
 * are left out and counted apart; while the group's count still reads pages,
 * the button re-runs those read so far, and a later click only those since.
 */
export function BulkRerunButton({
  jobs,
  kind,
  counting = false,
  kept,
  hasher = hashPickedFile,
}: {
  jobs: readonly Job[];
  kind: 'group' | 'selection';
  counting?: boolean;
  kept?: KeptFiles;
  hasher?: HashFile;
}) {
  const { records, rerun } = useRerun({ kept });
  const keptShas = useKeptShas(kept);
  const { store } = useUploads();
  const items = useQueueItems(store);
  const [batch, setBatch] = useState<Batch | null>(null);
  const [working, setWorking] = useState<string | null>(null);
  const [waiting, setWaiting] = useState<Waiting | null>(null);
  const [refused, setRefused] = useState<string[]>([]);
  const picker = useFilePicker({
    label: kind === 'group' ? 'Files for the group’s re-run' : 'Files for the selection’s re-run',
    multiple: true,
    onPicked: (files) => void picked(files),
  });

  const fresh = jobs.filter((job) => rerunsOf(records, job.id).length === 0);
  const offered = jobs.filter((job) => rerunOffers(job).length > 0);
  if (offered.length === 0) return null;
  const done = offered.length - offered.filter((job) => fresh.includes(job)).length;
  // Still reading what is kept: every file is tried as kept, and those not there join the files to pick.
  const isKept = (job: Job) => keptShas?.has(job.file.sha256.toLowerCase()) ?? true;
  const offers = REASONS.flatMap((reason) => {
    const asks = fresh.flatMap((job) => rerunOffers(job).flatMap((plan) => (plan.reason === reason ? [{ job, plan }] : [])));
    return asks.length > 0 ? [{ reason, asks }] : [];
  });
  const freshOffered = fresh.filter((job) => rerunOffers(job).length > 0);
  const keptCount = freshOffered.filter(isKept).length;

  async function send(asks: RerunAsk[]) {
    const results = await rerun(asks);
    const next: Batch = { uploadIds: [], jobByUpload: {}, problems: [], already: 0 };
    const missing: RerunAsk[] = [];
    for (const [index, result] of results.entries()) {
      if (result.kind === 'queued') {
        next.uploadIds.push(result.uploadId);
        next.jobByUpload[result.uploadId] = result.job.id;
      } else if (result.kind === 'missing') missing.push(asks[index] as RerunAsk);
      else if (result.kind === 'problem') next.problems.push(result.problem);
      else if (result.kind === 'already') next.already += 1;
    }
    // A later click (more read, a grown selection, files picked) adds to what this one sent.
    setBatch((prev) =>
      prev
        ? {
            uploadIds: [...prev.uploadIds, ...next.uploadIds],
            jobByUpload: { ...prev.jobByUpload, ...next.jobByUpload },
            problems: next.problems,
            already: next.already,
          }
        : next,
    );
    return missing;
  }

  async function start(offer: Waiting) {
    const keptAsks = offer.asks.filter(({ job }) => isKept(job));
    const toPick = offer.asks.filter(({ job }) => !isKept(job));
    // Opened inside the click, or the browser refuses to open it.
    if (toPick.length > 0) {
      setWaiting({ reason: offer.reason, asks: toPick });
      setRefused([]);
      picker.open();
    }
    if (keptAsks.length === 0) return;
    setWorking('Queuing the re-runs…');
    try {
      const gone = await send(keptAsks);
      // Counted as kept a moment ago, gone now (evicted, cleared in another tab): they join those to pick.
      if (gone.length > 0)
        setWaiting((prev) => ({ reason: offer.reason, asks: [...(prev?.reason === offer.reason ? prev.asks : []), ...gone.map(({ job, plan }) => ({ job, plan }))] }));
    } finally {
      setWorking(null);
    }
  }

  async function picked(files: File[]) {
    const pending = waiting;
    if (!pending) return;
    const hashed: { file: File; name: string; sha256: string }[] = [];
    const unreadable: string[] = [];
    try {
      for (const [index, file] of files.entries()) {
        setWorking(`Checking ${index + 1} of ${files.length} picked files against the jobs (SHA-256)…`);
        try {
          hashed.push({ file, name: file.name, sha256: await hasher(file, () => undefined) });
        } catch (error) {
          unreadable.push(`${file.name} could not be read (${error instanceof Error ? error.message : String(error)}); not sent.`);
        }
      }
      const match = matchPickedFiles(
        pending.asks.map(({ job }) => job),
        hashed,
      );
      setRefused([
        ...match.strangers.map(
          (one) => `${one.name} is not the file of any job waiting here (its SHA-256 ${one.sha256.slice(0, 12)}… matches none of them): refused, not sent.`,
        ),
        ...unreadable,
      ]);
      const planOf = new Map(pending.asks.map(({ job, plan }) => [job.id, plan]));
      setWaiting(match.unmatched.length > 0 ? { reason: pending.reason, asks: match.unmatched.map((job) => ({ job, plan: planOf.get(job.id) as ReuploadPlan })) } : null);
      if (match.matched.length > 0) {
        setWorking('Queuing the re-runs…');
        await send(match.matched.map(({ job, file }) => ({ job, plan: planOf.get(job.id) as ReuploadPlan, blob: file })));
      }
    } finally {
      setWorking(null);
    }
  }

  const batchItems = batch ? items.filter((item) => batch.uploadIds.includes(item.id)) : [];
  const waitingNow = waiting ? waiting.asks.filter(({ job }) => rerunsOf(records, job.id).length === 0) : [];
  return (
    <div className={`space-y-3 text-sm ${batch || waitingNow.length > 0 ? 'basis-full' : ''}`}>
      {offers.length > 0 ? (
        <div className="flex flex-wrap items-center gap-2">
          {offers.map((offer) => {
            const label = bulkRerunLabel(kind, counting, offer.asks.length, offer.reason);
            const toPick = offer.asks.filter(({ job }) => !isKept(job)).length;
            return (
              <button
                key={offer.reason}
                type="button"
                className={offer.reason === offers[0]?.reason ? buttonStyles.primary : buttonStyles.secondary}
                aria-label={toPick > 0 ? `${label} (pick ${plural(toPick, 'file', 'files')})` : label}
                disabled={working !== null}
                onClick={() => void start(offer)}
              >
                {label}
                {toPick > 0 ? '…' : ''}
              </button>
            );
          })}
        </div>
      ) : null}
      {keptShas !== null && freshOffered.length > 0 ? <p className="text-slate-700">{keptText(keptCount, freshOffered.length)}</p> : null}
      {done > 0 ? (
        <p className="text-slate-700">
          {fresh.length === 0 ? `All ${done.toLocaleString()} already re-run` : `${done.toLocaleString()} already re-run, left out`}
          {kind === 'group' && counting ? ' (so far)' : ''}
        </p>
      ) : null}
      <p role="status" className="text-slate-700">
        {working ??
          (batch
            ? `${plural(batch.uploadIds.length, 're-run', 're-runs')} queued.${batch.already > 0 ? ` ${batch.already} had been re-run meanwhile and were not sent again.` : ''}`
            : '')}
      </p>
      {refused.length > 0 ? (
        <div role="alert">
          <ul aria-label="Picked files refused" className="space-y-1 text-red-800">
            {refused.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {waitingNow.length > 0 ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
          <p>
            {plural(waitingNow.length, 'file is', 'files are')} not kept in this browser and still to pick. Pick {waitingNow.length === 1 ? 'it' : 'them'} (several at
            once, in any order): each is matched to its job by SHA-256 before anything is sent.
          </p>
          <ul aria-label="Files still to pick" className="mt-1 ml-5 list-disc">
            {waitingNow.map(({ job }) => (
              <li key={job.id}>
                {job.file.name}: <JobLink jobId={job.id} />
              </li>
            ))}
          </ul>
          <button
            type="button"
            className={`${buttonStyles.secondary} mt-2`}
            disabled={working !== null}
            onClick={() => {
              setWaiting({ reason: waiting?.reason ?? 'same-pipeline', asks: waitingNow });
              picker.open();
            }}
          >
            Pick the {plural(waitingNow.length, 'file', 'files')}
          </button>
        </div>
      ) : null}
      {batch && batch.uploadIds.length > 0 ? (
        <>
          <BatchSummary items={batchItems} title="Re-run batch" />
          <ul aria-label="Re-runs in this batch" className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white">
            {batchItems.map((item) => (
              <li key={item.id} aria-label={`${item.fileName} (from ${batch.jobByUpload[item.id]})`} className="flex flex-wrap items-center gap-3 px-3 py-1.5">
                <span className="break-all">{item.fileName}</span>
                <span className="text-slate-600">
                  {item.state === 'uploading' && item.progress?.total ? `uploading ${Math.round((item.progress.loaded / item.progress.total) * 100)}%` : item.state}
                </span>
                {item.jobId ? <JobLink jobId={item.jobId} /> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {batch && batch.problems.length > 0 ? (
        <div role="alert">
          <ul className="space-y-1 text-red-800">
            {batch.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {picker.input}
    </div>
  );
}
