import { downloadZip } from 'client-zip';
import type { Transcript } from '../../api/endpoints/get-transcript';
import { mapInOrder } from '../../lib/map-in-order';
import { formatTranscript, type TranscriptFormat } from '../../lib/transcript-formats';
import type { ZipEntryPlan } from './transcript-zip-plan';

/** Transcripts asked for at once: enough to hide each request's latency, few enough to leave the key's window to others. */
export const TRANSCRIPT_FETCH_CONCURRENCY = 4;

export interface ZipProgress {
  /** Transcripts asked for and answered (fetched or not). */
  settled: number;
  failed: number;
  total: number;
}

export interface ZipResult {
  blob: Blob;
  written: number;
  /** The entries whose transcript could not be fetched, with the error each met. */
  failures: { entry: ZipEntryPlan; error: unknown }[];
}

/**
 * The planned entries' transcripts in one zip, in `format`. Loaded on demand (with client-zip) when the person asks
 * for a zip. Each transcript is fetched, converted and streamed into the zip in the plan's order, a few requests ahead,
 * so memory holds the zip's bytes (a Blob, which the browser may keep on disk) and a handful of transcripts, whatever
 * the count. A transcript that cannot be fetched is left out and reported; aborting `signal` stops it all and rejects.
 */
export async function zipTranscripts(input: {
  entries: readonly ZipEntryPlan[];
  format: TranscriptFormat;
  fetchTranscript: (jobId: string, signal: AbortSignal) => Promise<Transcript>;
  signal: AbortSignal;
  onProgress: (progress: ZipProgress) => void;
  concurrency?: number;
}): Promise<ZipResult> {
  const { entries, format, signal } = input;
  const failures: ZipResult['failures'] = [];
  let settled = 0;
  let written = 0;
  async function* files() {
    const outcomes = mapInOrder(entries, input.concurrency ?? TRANSCRIPT_FETCH_CONCURRENCY, (entry, taskSignal) => input.fetchTranscript(entry.job.id, taskSignal), signal);
    for await (const outcome of outcomes) {
      settled += 1;
      if (!outcome.ok) failures.push({ entry: outcome.item, error: outcome.error });
      input.onProgress({ settled, failed: failures.length, total: entries.length });
      if (!outcome.ok) continue;
      written += 1;
      const { job, name } = outcome.item;
      const modified = Date.parse(job.completed_at ?? job.updated_at);
      yield { name, input: formatTranscript(outcome.value, format), ...(Number.isNaN(modified) ? {} : { lastModified: new Date(modified) }) };
    }
  }
  const blob = await downloadZip(files()).blob();
  signal.throwIfAborted();
  return { blob, written, failures };
}
