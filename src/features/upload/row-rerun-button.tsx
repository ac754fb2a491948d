import { useState } from 'react';
import type { Job } from '../../api/schemas';
import { buttonStyles } from '../../components/button-styles';
import type { HashFile } from './hash-file';
import type { KeptFiles } from './kept-files';
import { hashPickedFile, useFilePicker } from './pick-files';
import { pickedFileProblem, type ReuploadPlan, rerunLabel, rerunOffers } from './reupload';
import { rerunsOf } from './rerun-ledger';
import { RerunState } from './rerun-status';
import { useKeptShas } from './use-kept-shas';
import { useRerun } from './use-rerun';

type Outcome = { kind: 'idle' } | { kind: 'working'; text: string } | { kind: 'missing'; plan: ReuploadPlan } | { kind: 'problem'; text: string };

/**
 * A failed row's re-runs, one click each: with the kept bytes at once; where
 * this browser does not hold them, the same click opens the file picker and
 * the picked file must hash to the job's SHA-256. The row says beforehand
 * which it will be. A job already re-run shows what it became instead (a
 * second re-run is asked for on its page).
 */
export function RowRerunButton({ job, kept, hasher = hashPickedFile }: { job: Job; kept?: KeptFiles; hasher?: HashFile }) {
  const { records, rerun } = useRerun({ kept });
  const keptShas = useKeptShas(kept);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const [chosen, setChosen] = useState<ReuploadPlan | null>(null);
  // Announced only in the row the person clicked: a group's re-run must not make every visible row speak at once.
  const [clickedHere, setClickedHere] = useState(false);
  const picker = useFilePicker({
    label: `File to re-run ${job.file.name} (${job.id}) with`,
    multiple: false,
    onPicked: ([file]) => {
      if (file && chosen) void send(chosen, file);
    },
  });
  const offers = rerunOffers(job);
  const newest = rerunsOf(records, job.id)[0];
  if (newest)
    return (
      <span role={clickedHere ? 'status' : undefined} className="block text-xs text-slate-800">
        <RerunState record={newest} />
      </span>
    );
  if (offers.length === 0) return null;
  const isKept = keptShas?.has(job.file.sha256.toLowerCase()) ?? null;

  async function send(plan: ReuploadPlan, picked?: File) {
    setClickedHere(true);
    try {
      let blob: Blob | undefined;
      if (picked) {
        setOutcome({ kind: 'working', text: `Checking ${picked.name} against the job (SHA-256)…` });
        const mismatch = pickedFileProblem(job, picked, await hasher(picked, () => undefined));
        if (mismatch) {
          setOutcome({ kind: 'problem', text: mismatch });
          return;
        }
        blob = picked;
      } else setOutcome({ kind: 'working', text: 'Finding the kept file…' });
      const [result] = await rerun([{ job, plan, blob }]);
      if (!result || result.kind === 'queued' || result.kind === 'already' || result.kind === 'not-offered') setOutcome({ kind: 'idle' });
      // Counted as kept a moment ago, gone now (evicted, cleared in another tab): the person picks it.
      else if (result.kind === 'missing') setOutcome({ kind: 'missing', plan });
      else setOutcome({ kind: 'problem', text: result.problem });
    } catch (error) {
      setOutcome({ kind: 'problem', text: `${picked?.name ?? job.file.name} could not be read (${error instanceof Error ? error.message : String(error)}). Nothing was sent.` });
    }
  }

  function choose(plan: ReuploadPlan) {
    setChosen(plan);
    // Still reading what is kept: try the kept bytes; if they are not there, the row offers the picker.
    if (isKept === false) picker.open();
    else void send(plan);
  }

  const working = outcome.kind === 'working';
  return (
    <span className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
      {offers.map((plan) => (
        <button
          key={plan.reason}
          type="button"
          className={`${buttonStyles.secondary} px-2 py-0.5 text-xs`}
          aria-label={`${rerunLabel(plan)}: ${job.file.name} (${job.id})${isKept === false ? ', pick the file' : ''}`}
          disabled={working}
          onClick={() => choose(plan)}
        >
          {rerunLabel(plan)}
          {isKept === false ? '…' : ''}
        </button>
      ))}
      {isKept === null ? null : (
        <span className={`text-xs ${isKept ? 'text-emerald-800' : 'text-amber-900'}`}>{isKept ? 'File kept here' : 'File not kept: you pick it'}</span>
      )}
      {outcome.kind === 'working' ? (
        <span role="status" className="text-xs text-slate-700">
          {outcome.text}
        </span>
      ) : null}
      {outcome.kind === 'missing' ? (
        <span role="status" className="text-xs text-amber-900">
          {job.file.name} is no longer kept in this browser.{' '}
          <button
            type="button"
            className="text-indigo-700 underline"
            onClick={() => {
              setChosen(outcome.plan);
              picker.open();
            }}
          >
            Pick {job.file.name}
          </button>
        </span>
      ) : null}
      {outcome.kind === 'problem' ? (
        <span role="alert" className="text-xs text-red-800">
          {outcome.text}
        </span>
      ) : null}
      {picker.input}
    </span>
  );
}
