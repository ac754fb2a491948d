import { type TranscriptFormat, transcriptFileStem } from './transcript-formats';

/** Long enough for any real recording's name, short enough that the whole entry stays far below every file system's 255. */
const MAX_PART_LENGTH = 80;

/**
 * A part of a name every unzip tool writes as one file where it belongs: no folder separators (a `../` would climb out
 * of the folder), none of the characters Windows refuses, no control characters, no leading or trailing dots or spaces.
 */
function safePart(part: string, fallback: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is being removed.
  const cleaned = part.replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '');
  // By code point, so a name is never cut inside a character.
  const cut = Array.from(cleaned).slice(0, MAX_PART_LENGTH).join('').trim();
  return cut || fallback;
}

/**
 * The name of one job's transcript inside a zip: `<file stem>-<job id>.<format>`. The job ID makes names unique when
 * two jobs share a file name (the same recording run twice, or a re-run), and ties each file to its job.
 */
export function zipEntryName(fileName: string, jobId: string, format: TranscriptFormat): string {
  return `${safePart(transcriptFileStem(fileName), 'transcript')}-${safePart(jobId, 'job')}.${format}`;
}

/**
 * The names made unique without regard to case (Windows and macOS file systems ignore it): a later duplicate gets
 * ` (2)`, ` (3)`… before its extension. Job IDs already make names unique; this holds even for IDs that differ only in
 * case or were cut short.
 */
export function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const dot = name.lastIndexOf('.');
    const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    let candidate = name;
    for (let copy = 2; taken.has(candidate.toLowerCase()); copy++) candidate = `${stem} (${copy})${extension}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}

/** The zip's own name: what it holds and when it was made, in UTC (`novapulse-transcripts-srt-2026-12-02T06-35-41Z.zip`). */
export function transcriptZipName(format: TranscriptFormat, now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/:/g, '-');
  return `novapulse-transcripts-${format}-${stamp}Z.zip`;
}
