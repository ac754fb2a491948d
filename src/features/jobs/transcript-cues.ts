/** A transcript segment as the player needs it: where it starts and ends, in seconds from the file's start. */
export interface CueTimes {
  start: number;
  end: number;
}

/**
 * The segment being heard at `seconds`, or -1 for none (before the first, in a gap, past the last). A segment holds
 * its start and not its end, so at a boundary the next one is heard; the last one keeps its end too, which is where
 * playback stops. Where segments overlap (two speakers at once), the one that started later.
 */
export function activeSegmentIndex(segments: readonly CueTimes[], seconds: number): number {
  if (!Number.isFinite(seconds)) return -1;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const segment of segments) lastEnd = Math.max(lastEnd, segment.end);
  let active = -1;
  segments.forEach((segment, index) => {
    const inside = segment.start <= seconds && (seconds < segment.end || (seconds === segment.end && segment.end === lastEnd));
    if (inside && (active === -1 || segment.start >= (segments[active] as CueTimes).start)) active = index;
  });
  return active;
}
