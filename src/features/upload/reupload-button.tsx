import { Link } from '@tanstack/react-router';
import { useEffect, useId, useState, useSyncExternalStore } from 'react';
import type { Job } from '../../api/schemas';
import { buttonStyles } from '../../components/button-styles';
import { formatBytes } from '../../lib/format';
import { BatchSummary } from './batch-summary';
import { createFileHasher, type HashFile } from './hash-file';
import { keptFiles as defaultKeptFiles, type KeptFiles } from './kept-files';
import { bulkReuploadLabel, formatOf, pickedFileProblem, pipelineLabel, planReupload, type ReuploadPlan, reuploadLabel, reuploadOf } from './reupload';
import { linksForJob, type ReuploadLinkStore, reuploadLinks, watchReuploadLinks } from './reupload-links';
import { useUploads } from './upload-context';
import { useQueueItems } from './upload-queue-store';

let sharedHasher: HashFile | null = null;
// The same hasher as the queue's (a worker, the page as fallback), made on first use.
const hashFile: HashFile = (blob, onProgress) => {
  sharedHasher ??= createFileHasher();
  return sharedHasher(blob, onProgress);
};

type Sent = { ok: true; uploadId: string } | { ok: false; problem: string };

/** Queues `blob` as the re-upload of `job`, through the same queue (and so the same gates and retries) as any upload, and records the link. */
function useQueueReupload(links: ReuploadLinkStore = reuploadLinks) {
  const { store, blobs } = useUploads();
  useEffect(() => watchReuploadLinks(store, links), [store, links]);
  return async (job: Job, plan: ReuploadPlan, blob: Blob): Promise<Sent> => {
    const format = await formatOf(blob);
    if (!format) return { ok: false, problem: `The kept bytes of ${job.file.name} are not audio NovaPulse accepts. Nothing was sent.` };
    const id = crypto.randomUUID();
    await blobs.put(id, blob);
    await links.put({ uploadId: id, fromJobId: job.id, pipeline: plan.pipeline, toJobId: null, at: Date.now() });
    store.getState().uploadsQueued([reuploadOf(job, plan, id, blob.size, format)], Date.now());
    return { ok: true, uploadId: id };
  };
}

function useLinks(store: ReuploadLinkStore = reuploadLinks) {
  useEffect(() => void store.load(), [store]);
  return useSyncExternalStore(store.subscribe, store.all);
}

function JobLink({ jobId }: { jobId: string }) {
  return (
    <Link to="/jobs/$jobId" params={{ jobId }} className="font-mono text-indigo-700 underline">
      {jobId}
    </Link>
  );
}

/** "Re-uploaded as job_… (full analysis)" on the old job's page, "Re-upload of job_…" on the new one's. */
export function ReuploadLinks({ jobId }: { jobId: string }) {
  const { store } = useUploads();
  const items = useQueueItems(store);
  const links = useLinks();
  useEffect(() => watchReuploadLinks(store), [store]);
  const { reuploadedAs, reuploadOf } = linksForJob(jobId, links, items);
  if (reuploadedAs.length === 0 && !reuploadOf) return null;
  return (
    <section aria-label="Re-uploads" className="rounded-lg border border-indigo-200 bg-indigo-50 p-4 text-sm text-indigo-950">
      <ul className="space-y-1">
        {reuploadOf ? (
          <li>
            Re-upload of <JobLink jobId={reuploadOf} />
          </li>
        ) : null}
        {reuploadedAs.map((link) => (
          <li key={link.uploadId}>
            {link.jobId ? (
              <>
                Re-uploaded as <JobLink jobId={link.jobId} /> ({pipelineLabel(link.pipeline)})
              </>
            ) : (
              <>
                Re-upload ({pipelineLabel(link.pipeline)}){' '}
                {link.state === 'failed'
                  ? 'failed'
                  : link.state === 'cancelled'
                    ? 'cancelled'
                    : link.state === 'duplicate'
                      ? "held: NovaPulse refuses the same upload within 60 s of the first"
                      : 'in the upload queue'}
                :{' '}
                <Link to="/upload" className="text-indigo-700 underline">
                  see the Upload page
                </Link>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One click on a job's page: its kept bytes re-sent as a new job; where they are gone, the person picks the file again and it must hash to the job's SHA-256. */
export function ReuploadButton({ job, kept = defaultKeptFiles, hasher = hashFile }: { job: Job; kept?: KeptFiles; hasher?: HashFile }) {
  const queueReupload = useQueueReupload();
  const plan = planReupload(job);
  const [phase, setPhase] = useState<'idle' | 'working' | 'pick' | 'hashing' | 'queued'>('idle');
  const [problem, setProblem] = useState<string | null>(null);
  const pickId = useId();
  if (!plan) return null;
  const label = reuploadLabel(plan);

  async function send(blob: Blob) {
    if (!plan) return;
    const sent = await queueReupload(job, plan, blob);
    if (sent.ok) setPhase('queued');
    else {
      setProblem(sent.problem);
      setPhase('idle');
    }
  }

  async function start() {
    setProblem(null);
    setPhase('working');
    try {
      const file = await kept.get(job.file.sha256);
      if (file) await send(file.blob);
      else setPhase('pick');
    } catch (error) {
      setProblem(`The re-upload could not be queued (${error instanceof Error ? error.message : String(error)}). Nothing was sent.`);
      setPhase('idle');
    }
  }

  async function picked(file: File) {
    setProblem(null);
    setPhase('hashing');
    try {
      const sha256 = await hasher(file, () => undefined);
      const mismatch = pickedFileProblem(job, file, sha256);
      if (mismatch) {
        setProblem(mismatch);
        setPhase('pick');
        return;
      }
      await send(file);
    } catch (error) {
      setProblem(`${file.name} could not be read (${error instanceof Error ? error.message : String(error)}). Nothing was sent.`);
      setPhase('pick');
    }
  }

  return (
    <div className="space-y-2 text-sm">
      <button type="button" className={buttonStyles.primary} disabled={phase !== 'idle'} onClick={() => void start()}>
        {label}
      </button>
      <p role="status" className="text-slate-700">
        {phase === 'working'
          ? 'Finding the kept file…'
          : phase === 'hashing'
            ? 'Checking the picked file against the job (SHA-256)…'
            : phase === 'queued'
              ? `Queued as a new ${pipelineLabel(plan.pipeline)} job with the same file, language and metadata.`
              : ''}
      </p>
      {phase === 'pick' || (phase === 'hashing' && !problem) ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
          <p>
            The bytes of {job.file.name} are no longer kept in this browser. Pick the same file again ({formatBytes(job.file.size_bytes)}): it is
            checked against the job's SHA-256 before anything is sent.
          </p>
          <label htmlFor={pickId} className={`${buttonStyles.secondary} mt-2 cursor-pointer focus-within:outline-2 focus-within:outline-indigo-600`}>
            Pick {job.file.name} again
            <input
              id={pickId}
              type="file"
              className="sr-only"
              disabled={phase === 'hashing'}
              onChange={(event) => {
                const file = event.target.files?.[0];
                event.target.value = '';
                if (file) void picked(file);
              }}
            />
          </label>
        </div>
      ) : null}
      {problem ? (
        <p role="alert" className="text-red-800">
          {problem}
        </p>
      ) : null}
    </div>
  );
}

/** The same one click, sized for a row of the failed-jobs list: the kept bytes go at once; where they are gone, the job's page is where to pick the file again. */
export function RowReuploadButton({ job, kept = defaultKeptFiles }: { job: Job; kept?: KeptFiles }) {
  const queueReupload = useQueueReupload();
  const plan = planReupload(job);
  const [outcome, setOutcome] = useState<'idle' | 'working' | 'queued' | 'missing' | 'problem'>('idle');
  const [problem, setProblem] = useState('');
  if (!plan) return null;

  async function start() {
    if (!plan) return;
    setOutcome('working');
    try {
      const file = await kept.get(job.file.sha256);
      if (!file) {
        setOutcome('missing');
        return;
      }
      const sent = await queueReupload(job, plan, file.blob);
      if (sent.ok) setOutcome('queued');
      else {
        setProblem(sent.problem);
        setOutcome('problem');
      }
    } catch (error) {
      setProblem(`Not sent: ${error instanceof Error ? error.message : String(error)}`);
      setOutcome('problem');
    }
  }

  if (outcome === 'queued')
    return (
      <span role="status" className="truncate text-emerald-800">
        Queued ({pipelineLabel(plan.pipeline)})
      </span>
    );
  if (outcome === 'missing')
    return (
      <span role="status" className="truncate text-amber-900">
        File not kept:{' '}
        <Link to="/jobs/$jobId" params={{ jobId: job.id }} className="text-indigo-700 underline">
          pick it on the job page
        </Link>
      </span>
    );
  return (
    <span className="flex min-w-0 items-center gap-1">
      <button
        type="button"
        className={`${buttonStyles.secondary} truncate px-2 py-0.5 text-xs`}
        aria-label={`${reuploadLabel(plan)}: ${job.id}`}
        title={reuploadLabel(plan)}
        disabled={outcome === 'working'}
        onClick={() => void start()}
      >
        {plan.reason === 'full-analysis' ? 'Full analysis' : 'Upload again'}
      </button>
      {outcome === 'problem' ? (
        <span role="alert" title={problem} className="truncate text-xs text-red-800">
          {problem}
        </span>
      ) : null}
    </span>
  );
}

/** Re-uploads many jobs at once (a failure group or a selection), each with its own plan, and shows the batch's progress and each item's. */
export function BulkReuploadButton({ jobs, kind, kept = defaultKeptFiles }: { jobs: readonly Job[]; kind: 'group' | 'selection'; kept?: KeptFiles }) {
  const queueReupload = useQueueReupload();
  const { store } = useUploads();
  const items = useQueueItems(store);
  const [batch, setBatch] = useState<{ jobIds: string; uploadIds: string[]; jobByUpload: Record<string, string>; missing: Job[]; problems: string[] } | null>(null);
  const [working, setWorking] = useState(false);
  const offered = jobs.flatMap((job) => {
    const plan = planReupload(job);
    return plan ? [{ job, plan }] : [];
  });
  if (offered.length === 0) return null;
  const name = bulkReuploadLabel(kind, jobs.length, offered.map(({ plan }) => plan));
  const jobIds = offered.map(({ job }) => job.id).join(' ');
  // The same jobs are not queued twice from here; another set (a changed selection) may go.
  const sent = batch !== null && batch.jobIds === jobIds;

  async function start() {
    setWorking(true);
    const uploadIds: string[] = [];
    const jobByUpload: Record<string, string> = {};
    const missing: Job[] = [];
    const problems: string[] = [];
    for (const { job, plan } of offered) {
      try {
        const file = await kept.get(job.file.sha256);
        if (!file) {
          missing.push(job);
          continue;
        }
        const sent = await queueReupload(job, plan, file.blob);
        if (sent.ok) {
          uploadIds.push(sent.uploadId);
          jobByUpload[sent.uploadId] = job.id;
        } else problems.push(sent.problem);
      } catch (error) {
        problems.push(`${job.file.name} (${job.id}): ${error instanceof Error ? error.message : String(error)}. Not sent.`);
      }
    }
    setBatch({ jobIds, uploadIds, jobByUpload, missing, problems });
    setWorking(false);
  }

  const batchItems = batch ? items.filter((item) => batch.uploadIds.includes(item.id)) : [];
  return (
    <div className={`space-y-3 text-sm ${batch ? 'basis-full' : ''}`}>
      <button type="button" className={buttonStyles.primary} disabled={working || sent} onClick={() => void start()}>
        {name}
      </button>
      <p role="status" className="text-slate-700">
        {working ? 'Queuing the re-uploads…' : batch ? `${batch.uploadIds.length} re-upload${batch.uploadIds.length === 1 ? '' : 's'} queued.` : ''}
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
      {batch && batch.missing.length > 0 ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
          <p>
            {batch.missing.length} {batch.missing.length === 1 ? 'file is' : 'files are'} no longer kept in this browser and {batch.missing.length === 1 ? 'was' : 'were'} not
            sent. Open each job to pick its file again:
          </p>
          <ul className="mt-1 ml-5 list-disc">
            {batch.missing.map((job) => (
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
