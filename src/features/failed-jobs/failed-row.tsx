import { Link } from '@tanstack/react-router';
import { memo, type ReactNode } from 'react';
import type { Job } from '../../api/schemas';
import { type FailureRow, formatAt } from './failure-rows';

/**
 * The failed list's columns from a wide list (the list's section is a CSS container) up; a narrower list shows each
 * row as a card. The header row and the rows share this template.
 */
export const FAILED_TABLE_COLUMNS = '@5xl:grid-cols-[1.5rem_9.75rem_minmax(0,1fr)_7rem_minmax(0,10.5rem)_9.5rem_minmax(0,1.4fr)]';

/** A cell's name: visible in a card, read by screen readers only where the header row names the column. */
function CellName({ children }: { children: ReactNode }) {
  return <span className="mr-1 text-xs text-slate-600 @5xl:sr-only">{children}</span>;
}

export const FailedRow = memo(function FailedRow({
  row,
  selected,
  onToggle,
  renderAction,
}: {
  row: FailureRow;
  selected: boolean;
  onToggle: (key: string) => void;
  renderAction: ((job: Job) => ReactNode) | undefined;
}) {
  const name = row.kind === 'job' ? row.job.id : row.upload.fileName;
  const fileName = row.kind === 'job' ? row.job.file.name : row.upload.fileName;
  const action = row.kind === 'job' ? renderAction?.(row.job) : null;
  return (
    <div
      className={`grid min-h-11 grid-cols-[1.5rem_minmax(0,1fr)_auto] items-center @xl:grid-cols-[1.5rem_minmax(0,1fr)_minmax(0,1fr)_auto] gap-x-3 gap-y-1 border-b border-slate-100 px-3 py-2 text-sm @5xl:gap-y-0 @5xl:py-1 ${FAILED_TABLE_COLUMNS} ${selected ? 'bg-indigo-50' : ''}`}
    >
      <input type="checkbox" className="col-start-1 row-start-1 h-4 w-4 @5xl:row-auto @5xl:col-auto" aria-label={`Select ${name}`} checked={selected} onChange={() => onToggle(row.key)} />
      <span className="col-span-2 col-start-2 row-start-1 min-w-0 @md:col-span-1 @5xl:col-auto @5xl:row-auto">
        <span className="sr-only">Job </span>
        {row.kind === 'job' ? (
          // The whole ID, always: it is how a failure is told apart from its neighbours.
          <Link to="/jobs/$jobId" params={{ jobId: row.job.id }} className="font-mono break-all text-indigo-700 underline-offset-2 hover:underline">
            {row.job.id}
          </Link>
        ) : (
          <span className="font-medium text-amber-900">Refused upload (no job)</span>
        )}
      </span>
      <span className="col-span-2 col-start-2 row-start-2 min-w-0 break-words @xl:col-span-1 @xl:col-start-3 @xl:row-start-1 @5xl:col-span-1 @5xl:col-auto @5xl:row-auto @5xl:truncate" title={fileName}>
        <CellName>File</CellName>
        <span className="font-medium text-slate-900 @5xl:font-normal">{fileName}</span>
      </span>
      <span className="col-start-2 row-start-3 min-w-0 truncate text-slate-700 @xl:row-start-2 @5xl:col-auto @5xl:row-auto">
        <CellName>Pipeline</CellName>
        {row.kind === 'job' ? row.job.pipeline : row.upload.pipeline}
      </span>
      <span className="col-span-2 col-start-2 row-start-4 min-w-0 break-all @xl:col-span-1 @xl:col-start-3 @xl:row-start-2 @5xl:col-span-1 @5xl:col-auto @5xl:row-auto @5xl:truncate">
        <CellName>Code</CellName>
        <span className="font-mono text-xs text-red-800">{row.kind === 'job' ? (row.job.error?.code ?? 'unknown') : row.upload.code}</span>
      </span>
      <span className="col-start-3 row-start-3 text-right text-xs whitespace-nowrap text-slate-700 @md:row-start-1 @xl:col-start-4 @5xl:col-auto @5xl:row-auto @5xl:text-left @5xl:text-sm">
        <span className="sr-only">Failed </span>
        {formatAt(row.at)}
      </span>
      {action ? <span className="col-span-2 col-start-2 row-start-5 min-w-0 @xl:col-span-3 @xl:col-start-2 @xl:row-start-3 @5xl:col-span-1 @5xl:col-auto @5xl:row-auto">{action}</span> : null}
    </div>
  );
});

/** The column headers over the failed list at wide widths (each row's cells also name themselves to screen readers). */
export function FailedHeaderRow() {
  return (
    <div
      aria-hidden="true"
      className={`hidden items-center gap-x-3 rounded-t-lg border border-b-0 border-slate-200 bg-slate-50 px-3 py-2 text-xs font-semibold tracking-wide text-slate-600 uppercase @5xl:grid ${FAILED_TABLE_COLUMNS}`}
    >
      <span />
      <span>Job</span>
      <span>File</span>
      <span>Pipeline</span>
      <span>Code</span>
      <span>Failed (newest first)</span>
      <span>Action</span>
    </div>
  );
}
