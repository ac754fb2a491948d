import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import type { Job } from '../../api/schemas';
import { buttonStyles } from '../../components/button-styles';
import type { KeptFiles } from './kept-files';
import { planReupload, reuploadLabel } from './reupload';
import { rerunsOf } from './rerun-ledger';
import { RerunState } from './rerun-status';
import { useRerun } from './use-rerun';

/**
 * A failed row's one click: the kept bytes go at once; where they are gone,
 * the job's page is where to pick the file again. A job already re-run shows
 * what it became instead (a second re-run is asked for on its page).
 */
export function RowRerunButton({ job, kept }: { job: Job; kept?: KeptFiles }) {
  const { records, rerun } = useRerun({ kept });
  const plan = planReupload(job);
  const [outcome, setOutcome] = useState<'idle' | 'working' | 'missing' | 'problem'>('idle');
  const [problem, setProblem] = useState('');
  // Announced only in the row the person clicked: a group's re-run must not make every visible row speak at once.
  const [clickedHere, setClickedHere] = useState(false);
  const newest = rerunsOf(records, job.id)[0];
  if (newest)
    return (
      <span role={clickedHere ? 'status' : undefined} className="block truncate text-xs text-slate-800">
        <RerunState record={newest} />
      </span>
    );
  if (!plan) return null;

  async function start() {
    setClickedHere(true);
    setOutcome('working');
    const [result] = await rerun([{ job }]);
    if (!result || result.kind === 'queued' || result.kind === 'already' || result.kind === 'not-offered') setOutcome('idle');
    else if (result.kind === 'missing') setOutcome('missing');
    else {
      setProblem(result.problem);
      setOutcome('problem');
    }
  }

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
