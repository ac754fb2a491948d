import { useId } from 'react';

/**
 * How a gauge is coloured. Usage is work, not an alarm: plenty of room reads green, a gauge filling up or full reads
 * neutral (5 of 5 job slots is the console doing its job), and red is kept for a refusal the API has made (a 429 in
 * force), so red always means something was refused.
 */
export type GaugeTone = 'room' | 'busy' | 'refused';

/** The tone for `value` of `max`: 'busy' from `busyAt` (a fraction) up, 'refused' only when the caller says so. Pure. */
export function gaugeTone(value: number, max: number, { refused = false, busyAt = 0.7 }: { refused?: boolean; busyAt?: number } = {}): GaugeTone {
  if (refused) return 'refused';
  const fraction = max > 0 ? value / max : 0;
  return fraction >= busyAt ? 'busy' : 'room';
}

/** The value text's colour per tone (the meter's fill follows `data-tone` in index.css). */
export const GAUGE_TONE_TEXT: Record<GaugeTone, string> = {
  room: 'text-emerald-700',
  busy: 'text-slate-900',
  refused: 'text-red-700',
};

interface GaugeProps {
  label: string;
  value: number;
  max: number;
  /** What the numbers mean, e.g. "3 of 5 jobs"; also the meter's accessible value text. */
  valueText: string;
  /** The API is refusing what this gauge counts (e.g. a rate-limit 429 in force): the only case shown in red. */
  refused?: boolean;
  detail?: string;
}

/** A real <meter>: assistive tech reads it as a meter with its label, value and, as its description, the detail. */
export function Gauge({ label, value, max, valueText, refused = false, detail }: GaugeProps) {
  const id = useId();
  const detailId = `${id}-detail`;
  const tone = gaugeTone(value, max, { refused });
  return (
    <div className={`rounded-lg border bg-white p-4 ${tone === 'refused' ? 'border-red-300' : 'border-slate-200'}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-2">
        <label htmlFor={id} className="min-w-0 text-sm font-medium text-slate-700">
          {label}
        </label>
        <span className={`text-sm font-semibold whitespace-nowrap tabular-nums ${GAUGE_TONE_TEXT[tone]}`}>{valueText}</span>
      </div>
      <meter
        id={id}
        data-tone={tone}
        className="mt-2 h-3 w-full"
        min={0}
        max={max}
        value={Math.min(value, max)}
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
