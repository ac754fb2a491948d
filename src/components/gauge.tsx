import { useId } from 'react';

interface GaugeProps {
  label: string;
  value: number;
  max: number;
  /** What the numbers mean, e.g. "3 of 5 jobs"; also the meter's accessible value text. */
  valueText: string;
  /** Fill turns amber at this fraction and red at `high`. */
  low?: number;
  high?: number;
  detail?: string;
}

/** A real <meter>: assistive tech reads it as a meter with its label, value and, as its description, the detail. */
export function Gauge({ label, value, max, valueText, low = 0.7, high = 0.9, detail }: GaugeProps) {
  const id = useId();
  const detailId = `${id}-detail`;
  const fraction = max > 0 ? value / max : 0;
  const tone = fraction >= high ? 'text-red-700' : fraction >= low ? 'text-amber-700' : 'text-emerald-700';
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex items-baseline justify-between gap-2">
        <label htmlFor={id} className="text-sm font-medium text-slate-700">
          {label}
        </label>
        <span className={`text-sm font-semibold tabular-nums ${tone}`}>{valueText}</span>
      </div>
      <meter
        id={id}
        className="mt-2 h-3 w-full"
        min={0}
        max={max}
        value={Math.min(value, max)}
        low={max * low}
        high={max * high}
        optimum={0}
        aria-valuetext={valueText}
        aria-describedby={detail ? detailId : undefined}
      />
      {detail ? (
        <p id={detailId} className="mt-1 text-xs text-slate-600">
          {detail}
        </p>
      ) : null}
    </div>
  );
}
