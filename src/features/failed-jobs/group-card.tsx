import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { buttonStyles } from '../../components/button-styles';
import { catalogueEntryFor, jobFailureGuidance, type UiAction } from '../../errors/catalogue';
import { FailureChart } from './failure-chart';
import type { FailureGroup } from './failure-groups';
import { formatAt } from './failure-rows';

// Every action has words: a group never shows the catalogue's internal name.
const ACTION_LABELS: Record<UiAction, string> = {
  'reupload-full-analysis': 'Re-upload with full analysis',
  'support-bundle': 'Upload again; send the support bundle if it fails again',
  'convert-file': 'Convert the file, then upload it again',
  'split-file': 'Split the file, then upload it again',
  'mark-field': 'Correct the request, then send it again',
  'open-key-dialog': 'Enter a valid API key',
  'show-missing-scope': 'Use a key with the missing scope',
  'mark-job-unknown': 'Check the job ID',
  'show-progress': 'Wait for processing to finish',
  'dedup-countdown': 'Wait for the 60 s window to end, or change the metadata',
  'rate-limit-countdown': 'Wait for the rate-limit window to reset',
  'wait-for-slot': 'Wait for a running job to finish',
  'maintenance-banner': 'Upload again once NovaPulse is back',
  'offline-banner': 'Upload again once you are online',
};

function countText(count: number, done: boolean): string {
  return done ? `${count.toLocaleString()} failure${count === 1 ? '' : 's'}` : `Counting… ${count.toLocaleString()} so far`;
}

export function GroupCard({
  group,
  done,
  bins,
  rangeLabel,
  onlyThis,
  selectGroup,
  actions,
}: {
  group: FailureGroup;
  done: boolean;
  bins: number[];
  rangeLabel: string;
  onlyThis: () => void;
  selectGroup: () => void;
  actions: ReactNode;
}) {
  const guidance = jobFailureGuidance(group.code);
  const action = catalogueEntryFor(group.code, null).action;
  const headingId = `group-${group.code}`;
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h2 id={headingId} className="text-base font-semibold">
          {guidance.title} <span className="font-mono text-sm font-normal text-slate-600">({group.code})</span>
        </h2>
        <FailureChart bins={bins} rangeLabel={rangeLabel} />
      </div>
      <p className="mt-1 font-semibold" aria-live="off">
        {countText(group.count, done)}
      </p>
      <p className="text-slate-700">
        First seen {formatAt(group.firstSeen)}, last seen {formatAt(group.lastSeen)}
        {group.jobIds[0] ? (
          <>
            {' '}
            (newest:{' '}
            <Link to="/jobs/$jobId" params={{ jobId: group.jobIds[0] }} className="font-mono text-indigo-700 underline-offset-2 hover:underline">
              {group.jobIds[0]}
            </Link>
            )
          </>
        ) : null}
      </p>
      <p className="mt-1 text-slate-700">
        <span className="font-medium">Cause:</span> {guidance.cause}
      </p>
      <p className="text-slate-700">
        <span className="font-medium">What to do:</span> {guidance.resolution}
      </p>
      <p className="text-slate-700">
        <span className="font-medium">Action:</span> {ACTION_LABELS[action]}
      </p>
      <div className="mt-2 flex flex-wrap items-start gap-2">
        <button type="button" className={buttonStyles.secondary} onClick={onlyThis}>
          Show only {group.code}
        </button>
        <button type="button" className={buttonStyles.secondary} onClick={selectGroup}>
          {done ? `Select all ${group.count.toLocaleString()} in ${group.code}` : `Select the ${group.count.toLocaleString()} ${group.code} read so far`}
        </button>
        {actions}
      </div>
    </section>
  );
}
