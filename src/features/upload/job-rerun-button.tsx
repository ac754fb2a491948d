import { useEffect, useId, useRef, useState } from 'react';
import type { Job } from '../../api/schemas';
import { buttonStyles } from '../../components/button-styles';
import { formatBytes } from '../../lib/format';
import { createFileHasher, type HashFile } from './hash-file';
import type { KeptFiles } from './kept-files';
import { pickedFileProblem, pipelineLabel, planReupload, reuploadLabel } from './reupload';
import { rerunsOf } from './rerun-ledger';
import { RerunState } from './rerun-status';
import { type RerunResult, useRerun } from './use-rerun';

let sharedHasher: HashFile | null = null;
// The same hasher as the queue's (a worker, the page as fallback), made on first use.
const hashFile: HashFile = (blob, onProgress) => {
  sharedHasher ??= createFileHasher();
  return sharedHasher(blob, onProgress);
};

type Phase = 'idle' | 'confirm' | 'working' | 'pick' | 'hashing' | 'queued';

/**
 * On a job's page: its kept bytes re-sent as a new job; where they are gone,
 * the person picks the file again and it must hash to the job's SHA-256. A
 * job already re-run is re-run again only after the person confirms it.
 */
export function JobRerunButton({ job, kept, hasher = hashFile }: { job: Job; kept?: KeptFiles; hasher?: HashFile }) {
  const { records, rerun } = useRerun({ kept });
  const plan = planReupload(job);
  const [phase, setPhase] = useState<Phase>('idle');
  const [problem, setProblem] = useState<string | null>(null);
  // The re-runs the person saw when confirming another one.
  const [repeatOf, setRepeatOf] = useState<number | undefined>(undefined);
  const pickId = useId();
  const confirmTitleId = useId();
  const keepRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (phase === 'confirm') keepRef.current?.focus();
  }, [phase]);
  if (!plan) return null;
  const earlier = rerunsOf(records, job.id);
  const label = reuploadLabel(plan);

  function settle(result: RerunResult | undefined, afterProblem: Phase) {
    if (!result || result.kind === 'queued') setPhase('queued');
    else if (result.kind === 'missing') setPhase('pick');
    else if (result.kind === 'already') {
      setProblem('This job was re-run meanwhile (in another tab or window): nothing more was sent. See its re-runs above.');
      setPhase('idle');
    } else if (result.kind === 'problem') {
      setProblem(result.problem);
      setPhase(afterProblem);
    } else setPhase('idle');
  }

  async function start(repeat: number | undefined) {
    setProblem(null);
    setRepeatOf(repeat);
    setPhase('working');
    const [result] = await rerun([{ job, repeatOf: repeat }]);
    settle(result, 'idle');
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
      const [result] = await rerun([{ job, blob: file, repeatOf }]);
      settle(result, 'pick');
    } catch (error) {
      setProblem(`${file.name} could not be read (${error instanceof Error ? error.message : String(error)}). Nothing was sent.`);
      setPhase('pick');
    }
  }

  const newest = earlier[0];
  return (
    <div className="space-y-2 text-sm">
      {newest ? (
        <button type="button" className={buttonStyles.secondary} disabled={phase !== 'idle' && phase !== 'queued'} onClick={() => setPhase('confirm')}>
          {label} again…
        </button>
      ) : (
        <button type="button" className={buttonStyles.primary} disabled={phase !== 'idle'} onClick={() => void start(undefined)}>
          {label}
        </button>
      )}
      {phase === 'confirm' && newest ? (
        <div role="alertdialog" aria-modal="false" aria-labelledby={confirmTitleId} className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
          <p id={confirmTitleId} className="font-medium">
            Re-run {job.id} again?
          </p>
          <p className="mt-1">
            It was already re-run {earlier.length === 1 ? 'once' : `${earlier.length} times`}, most recently: <RerunState record={newest} />. Another re-run
            makes another {pipelineLabel(plan.pipeline)} job from the same file.
          </p>
          <div className="mt-2 flex flex-wrap gap-2">
            <button type="button" className={buttonStyles.primary} onClick={() => void start(earlier.length)}>
              Yes, re-run again
            </button>
            <button ref={keepRef} type="button" className={buttonStyles.secondary} onClick={() => setPhase('idle')}>
              No, keep the earlier re-run
            </button>
          </div>
        </div>
      ) : null}
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
