import { Link } from '@tanstack/react-router';
import { memo, type ReactNode } from 'react';
import type { Job } from '../../api/schemas';
import { type FailureRow, formatAt } from './failure-rows';

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
  return (
    <div className={`grid min-h-11 grid-cols-[2rem_minmax(0,12rem)_minmax(0,1fr)_7rem_11rem_10rem_minmax(0,9rem)] items-center gap-2 border-b border-slate-100 px-3 text-sm ${selected ? 'bg-indigo-50' : ''}`}>
      <input type="checkbox" aria-label={`Select ${name}`} checked={selected} onChange={() => onToggle(row.key)} />
      {row.kind === 'job' ? (
        <Link to="/jobs/$jobId" params={{ jobId: row.job.id }} className="truncate font-mono text-indigo-700 underline-offset-2 hover:underline">
          {row.job.id}
        </Link>
      ) : (
        <span className="truncate font-medium text-amber-900">Refused upload (no job)</span>
      )}
      <span className="truncate">{row.kind === 'job' ? row.job.file.name : row.upload.fileName}</span>
      <span className="truncate text-slate-700">{row.kind === 'job' ? row.job.pipeline : row.upload.pipeline}</span>
      <span className="truncate font-mono text-xs">{row.kind === 'job' ? (row.job.error?.code ?? 'unknown') : row.upload.code}</span>
      <span className="truncate text-slate-700">{formatAt(row.at)}</span>
      <span className="min-w-0">{row.kind === 'job' ? renderAction?.(row.job) : null}</span>
    </div>
  );
});
