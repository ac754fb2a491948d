import { useEffect, useId, useRef, useState } from 'react';
import type { Job } from '../../api/schemas';
import { buttonStyles } from '../../components/button-styles';
import { formatBytes } from '../../lib/format';
import type { HashFile } from './hash-file';
import type { KeptFiles } from './kept-files';
import { hashPickedFile, useFilePicker } from './pick-files';
import { pickedFileProblem, pipelineLabel, type ReuploadPlan, rerunLabel, rerunOffers } from './reupload';
import { rerunsOf } from './rerun-ledger';
import { RerunState } from './rerun-status';
import { useKeptShas } from './use-kept-shas';
import { type RerunResult, useRerun } from './use-rerun';

type Phase = 'idle' | 'confirm' | 'working' | 'pick' | 'hashing' | 'queued';

/** On a job's page, each re-run offered for it (the same pipeline, full analysis), side by side. */
export function JobRerunButton({ job, kept, hasher }: { job: Job; kept?: KeptFiles; hasher?: HashFile }) {
  const offers = rerunOffers(job);
  if (offers.length === 0) return null;
  return (
    <div className="flex flex-wrap items-start gap-4">
      {offers.map((plan) => (
        <JobRerunOffer key={plan.reason} job={job} plan={plan} kept={kept} hasher={hasher} />
      ))}
    </div>
  );
}

/**
 * One re-run offer on a job's page: its kept bytes re-sent as a new job;
 * where this browser does not hold them, the click opens the file picker and
 * the picked file must hash to the job's SHA-256. A job already re-run is
 * re-run again only after the person confirms it.
 */
function JobRerunOffer({ job, plan, kept, hasher = hashPickedFile }: { job: Job; plan: ReuploadPlan; kept?: KeptFiles; hasher?: HashFile }) {
  const { records, rerun } = useRerun({ kept });
  const keptShas = useKeptShas(kept);
  const isKept = keptShas?.has(job.file.sha256.toLowerCase()) ?? null;
  const [phase, setPhase] = useState<Phase>('idle');
  const [problem, setProblem] = useState<string | null>(null);
  // The re-runs the person saw when confirming another one.
  const [repeatOf, setRepeatOf] = useState<number | undefined>(undefined);
  const picker = useFilePicker({
    label: `File to re-run ${job.file.name} with`,
    multiple: false,
    onPicked: ([file]) => {
      if (file) void picked(file);
    },
  });
  const confirmTitleId = useId();
  const keepRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (phase === 'confirm') keepRef.current?.focus();
  }, [phase]);
  const earlier = rerunsOf(records, job.id);
  const label = rerunLabel(plan);

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
    // Not held here: the same click opens the picker (the browser allows it only inside the click).
    if (isKept === false) {
      setPhase('pick');
      picker.open();
      return;
    }
    setPhase('working');
    const [result] = await rerun([{ job, plan, repeatOf: repeat }]);
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
      const [result] = await rerun([{ job, plan, blob: file, repeatOf }]);
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
          {isKept === false ? '…' : ''}
        </button>
      )}
      {!newest && isKept === false && phase === 'idle' ? (
        <p className="text-xs text-amber-900">Its file is not kept in this browser: you pick it, and it is checked against the job's SHA-256.</p>
      ) : null}
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
            The bytes of {job.file.name} are not kept in this browser. Pick the same file again ({formatBytes(job.file.size_bytes)}): it is
            checked against the job's SHA-256 before anything is sent.
          </p>
          <button type="button" className={`${buttonStyles.secondary} mt-2`} disabled={phase === 'hashing'} onClick={picker.open}>
            Pick {job.file.name} again
          </button>
        </div>
      ) : null}
      {problem ? (
        <p role="alert" className="text-red-800">
          {problem}
        </p>
      ) : null}
      {picker.input}
    </div>
  );
}
