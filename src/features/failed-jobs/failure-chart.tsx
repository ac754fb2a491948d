import { memo } from 'react';

const HEIGHT = 28;

/** Failures per hour as a tiny bar chart: one path, no library; its name says what it shows. */
export const FailureChart = memo(function FailureChart({ bins, rangeLabel }: { bins: readonly number[]; rangeLabel: string }) {
  const peak = Math.max(0, ...bins);
  const total = bins.reduce((sum, n) => sum + n, 0);
  let path = '';
  bins.forEach((count, index) => {
    if (count === 0 || peak === 0) return;
    const h = Math.max(1, (count / peak) * HEIGHT);
    path += `M${index} ${HEIGHT}V${(HEIGHT - h).toFixed(2)}h1V${HEIGHT}Z`;
  });
  const summary = `Failures per hour, ${rangeLabel.toLowerCase()}: ${total.toLocaleString()} in ${bins.length} hours, at most ${peak.toLocaleString()} in one hour`;
  return (
    <svg role="img" aria-label={summary} viewBox={`0 0 ${bins.length} ${HEIGHT}`} preserveAspectRatio="none" className="h-7 w-48 rounded bg-slate-50">
      <title>{summary}</title>
      <path d={path} className="fill-red-700" />
    </svg>
  );
});
