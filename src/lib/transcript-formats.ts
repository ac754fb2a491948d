/** The transcript as NovaPulse returns it (GET /v1/jobs/{id}/transcript); lib does not import api. */
export interface TranscriptLike {
  text: string;
  segments: readonly { start: number; end: number; speaker?: string | null; text: string }[];
}

export type TranscriptFormat = 'txt' | 'json' | 'srt' | 'vtt';

export const TRANSCRIPT_FORMATS: readonly { format: TranscriptFormat; label: string; mimeType: string }[] = [
  { format: 'txt', label: 'TXT', mimeType: 'text/plain;charset=utf-8' },
  { format: 'json', label: 'JSON', mimeType: 'application/json' },
  { format: 'srt', label: 'SRT', mimeType: 'application/x-subrip;charset=utf-8' },
  { format: 'vtt', label: 'VTT', mimeType: 'text/vtt;charset=utf-8' },
];

/** Seconds to whole milliseconds, rounded once, so 1.9995 s becomes 2.000 and never 1.1000; never negative. */
function wholeMs(seconds: number): number {
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : 0;
}

function splitTimestamp(seconds: number): [string, string, string, string] {
  const totalMs = wholeMs(seconds);
  const ms = totalMs % 1000;
  const totalSeconds = (totalMs - ms) / 1000;
  const s = totalSeconds % 60;
  const m = Math.floor(totalSeconds / 60) % 60;
  const h = Math.floor(totalSeconds / 3600);
  return [String(h).padStart(2, '0'), String(m).padStart(2, '0'), String(s).padStart(2, '0'), String(ms).padStart(3, '0')];
}

/** SubRip: `HH:MM:SS,mmm`. */
export function srtTimestamp(seconds: number): string {
  const [h, m, s, ms] = splitTimestamp(seconds);
  return `${h}:${m}:${s},${ms}`;
}

/** WebVTT: `HH:MM:SS.mmm` (hours always written, so cues past 99 h still parse). */
export function vttTimestamp(seconds: number): string {
  const [h, m, s, ms] = splitTimestamp(seconds);
  return `${h}:${m}:${s}.${ms}`;
}

export function speakerLabel(speaker: string | null | undefined): string | null {
  const trimmed = speaker?.trim();
  return trimmed ? `Speaker ${trimmed}` : null;
}

/** A blank line ends a cue in both SRT and WebVTT, so cue text keeps its lines but never an empty one. */
function cueText(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

function escapeVtt(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function transcriptToTxt(transcript: TranscriptLike): string {
  if (transcript.segments.length === 0) return transcript.text ? `${transcript.text}\n` : '';
  return transcript.segments
    .map((segment) => {
      const label = speakerLabel(segment.speaker);
      return label ? `${label}: ${segment.text}` : segment.text;
    })
    .join('\n')
    .concat('\n');
}

export function transcriptToJson(transcript: TranscriptLike): string {
  return `${JSON.stringify(transcript, null, 2)}\n`;
}

interface Cue {
  start: number;
  end: number;
  speaker?: string | null;
  text: string;
}

/**
 * The segments as cues both formats accept: in order of their start (WebVTT requires it; SRT players assume it), and
 * each ending after it starts (WebVTT's cue timings require end > start; a cue that ends first is never shown), in
 * seconds of whole milliseconds. A segment whose end is before its start is kept, 1 ms long, rather than dropped.
 */
function cuesOf(transcript: TranscriptLike): Cue[] {
  return transcript.segments
    .map((segment, order) => ({ segment, order, startMs: wholeMs(segment.start) }))
    .sort((a, b) => a.startMs - b.startMs || a.order - b.order)
    .map(({ segment, startMs }) => ({ ...segment, start: startMs / 1000, end: Math.max(wholeMs(segment.end), startMs + 1) / 1000 }));
}

/**
 * SubRip has no escaping, and its readers take any line with `-->` for a timing line, so an arrow in the text (or a
 * run of dashes before `>`) is written as `→`.
 */
function srtSafe(text: string): string {
  return text.replace(/-{2,}>/g, '→');
}

export function transcriptToSrt(transcript: TranscriptLike): string {
  return cuesOf(transcript)
    .map((cue, index) => {
      const label = speakerLabel(cue.speaker);
      const text = cueText(cue.text);
      return `${index + 1}\n${srtTimestamp(cue.start)} --> ${srtTimestamp(cue.end)}\n${srtSafe(label ? `${label}: ${text}` : text)}\n`;
    })
    .join('\n');
}

export function transcriptToVtt(transcript: TranscriptLike): string {
  const cues = cuesOf(transcript).map((cue) => {
    const label = speakerLabel(cue.speaker);
    // WebVTT forbids `-->` in cue text; writing every `>` as `&gt;` (as markup needs anyway) is its own escape for it.
    const text = escapeVtt(cueText(cue.text));
    // A voice span's annotation runs to the next '>': the escaped label cannot end it early.
    return `${vttTimestamp(cue.start)} --> ${vttTimestamp(cue.end)}\n${label ? `<v ${escapeVtt(label)}>${text}` : text}\n`;
  });
  return ['WEBVTT\n', ...cues].join('\n');
}

export function formatTranscript(transcript: TranscriptLike, format: TranscriptFormat): string {
  switch (format) {
    case 'txt':
      return transcriptToTxt(transcript);
    case 'json':
      return transcriptToJson(transcript);
    case 'srt':
      return transcriptToSrt(transcript);
    case 'vtt':
      return transcriptToVtt(transcript);
  }
}

/** `dir/call-0412.wav` -> `call-0412`: the name without folders or its last extension; nothing left gives `transcript`. */
export function transcriptFileStem(sourceFileName: string): string {
  const base = sourceFileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  const stem = (dot > 0 ? base.slice(0, dot) : base).trim();
  return stem || 'transcript';
}

/** `call-0412.wav` -> `call-0412.srt`; a name without an extension keeps all of it; nothing left gives `transcript`. */
export function transcriptFileName(sourceFileName: string, format: TranscriptFormat): string {
  return `${transcriptFileStem(sourceFileName)}.${format}`;
}
