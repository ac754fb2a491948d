import type { JobStatus } from '../api/schemas';

const STYLES: Record<JobStatus | 'unknown', string> = {
  queued: 'bg-slate-100 text-slate-800 ring-slate-300',
  processing: 'bg-sky-50 text-sky-800 ring-sky-300',
  completed: 'bg-emerald-50 text-emerald-800 ring-emerald-300',
  failed: 'bg-red-50 text-red-800 ring-red-300',
  unknown: 'bg-amber-50 text-amber-900 ring-amber-300',
};

export function StatusBadge({ status }: { status: JobStatus | 'unknown' }) {
  return <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status]}`}>{status}</span>;
}
