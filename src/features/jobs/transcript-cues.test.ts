import { activeSegmentIndex } from './transcript-cues';

// Segments as the simulator writes them: back to back, in tenths of a second.
const SEGMENTS = [
  { start: 0, end: 1.2 },
  { start: 1.2, end: 2.5 },
  { start: 2.5, end: 3.7 },
];

describe('activeSegmentIndex', () => {
  it('is the segment being heard, from its start up to (not including) its end', () => {
    expect(activeSegmentIndex(SEGMENTS, 0)).toBe(0);
    expect(activeSegmentIndex(SEGMENTS, 0.6)).toBe(0);
    expect(activeSegmentIndex(SEGMENTS, 1.1999)).toBe(0);
    expect(activeSegmentIndex(SEGMENTS, 1.2)).toBe(1);
    expect(activeSegmentIndex(SEGMENTS, 2.4999)).toBe(1);
    expect(activeSegmentIndex(SEGMENTS, 2.5)).toBe(2);
  });

  it('keeps the last segment at its very end (where playback stops), and none after it', () => {
    expect(activeSegmentIndex(SEGMENTS, 3.7)).toBe(2);
    expect(activeSegmentIndex(SEGMENTS, 3.7001)).toBe(-1);
    expect(activeSegmentIndex(SEGMENTS, 60)).toBe(-1);
  });

  it('is none before the first segment, in a gap between two, for no segments, and for a time that is not a number', () => {
    const gapped = [
      { start: 0.5, end: 1 },
      { start: 2, end: 3 },
    ];
    expect(activeSegmentIndex(gapped, 0.4999)).toBe(-1);
    expect(activeSegmentIndex(gapped, 1)).toBe(-1);
    expect(activeSegmentIndex(gapped, 1.5)).toBe(-1);
    expect(activeSegmentIndex(gapped, 2)).toBe(1);
    expect(activeSegmentIndex([], 0)).toBe(-1);
    expect(activeSegmentIndex(SEGMENTS, Number.NaN)).toBe(-1);
    expect(activeSegmentIndex(SEGMENTS, -1)).toBe(-1);
  });

  it('where two segments overlap, is the one that started later, until it ends', () => {
    const overlapping = [
      { start: 0, end: 4 },
      { start: 1, end: 2 },
    ];
    expect(activeSegmentIndex(overlapping, 0.5)).toBe(0);
    expect(activeSegmentIndex(overlapping, 1)).toBe(1);
    expect(activeSegmentIndex(overlapping, 2)).toBe(0);
    expect(activeSegmentIndex(overlapping, 4)).toBe(0);
  });

  it('reads segments in any order', () => {
    expect(activeSegmentIndex([SEGMENTS[2], SEGMENTS[0], SEGMENTS[1]] as typeof SEGMENTS, 1.2)).toBe(2);
  });
});
