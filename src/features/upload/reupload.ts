import type { Job, Pipeline } from '../../api/schemas';
import { type AudioFormat, SNIFF_BYTES, sniffAudioFormat } from '../../lib/audio-format';
import { formatBytes } from '../../lib/format';
import type { NewUpload } from './upload-queue-store';

/** Processing failures whose resolution is "upload the same file again": re-run with the job's own pipeline. */
const UPLOAD_AGAIN_CODES: ReadonlySet<string> = new Set(['internal_error', 'service_unavailable']);

export interface ReuploadPlan {
  pipeline: Pipeline;
  /** How it differs from the job: the same pipeline again (the failure's resolution is to upload again), or full analysis for a transcription job. */
  reason: 'same-pipeline' | 'full-analysis';
}

/**
 * The re-runs offered for `job`, the same pipeline first: a failure resolved
 * by uploading again re-runs with its own pipeline, and a finished
 * transcription job (completed or failed) can also re-run with full
 * analysis. Nothing while it runs, nor for bytes that could not be decoded.
 */
export function rerunOffers(job: Pick<Job, 'pipeline' | 'status' | 'error'>): ReuploadPlan[] {
  // The same bytes could not be decoded: sending them again cannot help; the file must be converted first.
  if (job.status === 'failed' && job.error?.code === 'unsupported_media_type') return [];
  const offers: ReuploadPlan[] = [];
  if (job.status === 'failed' && job.error && UPLOAD_AGAIN_CODES.has(job.error.code)) offers.push({ pipeline: job.pipeline, reason: 'same-pipeline' });
  if (job.pipeline === 'transcription' && (job.status === 'completed' || job.status === 'failed')) offers.push({ pipeline: 'full-analysis', reason: 'full-analysis' });
  return offers;
}

/** Whether `plan` is one of the re-runs offered for `job`. */
export function isOffered(job: Pick<Job, 'pipeline' | 'status' | 'error'>, plan: ReuploadPlan): boolean {
  return rerunOffers(job).some((offer) => offer.pipeline === plan.pipeline && offer.reason === plan.reason);
}

export function rerunLabel(plan: Pick<ReuploadPlan, 'reason'>): string {
  return plan.reason === 'full-analysis' ? 'Re-run with full analysis' : 'Re-run';
}

export function pipelineLabel(pipeline: Pipeline): string {
  return pipeline === 'full-analysis' ? 'full analysis' : 'transcription';
}

/** The new upload: the job's language and metadata unchanged (no key added), its bytes' known SHA-256. */
export function reuploadOf(job: Pick<Job, 'file' | 'language' | 'metadata'>, plan: ReuploadPlan, id: string, size: number, format: AudioFormat): NewUpload {
  return { id, fileName: job.file.name, size, format, pipeline: plan.pipeline, language: job.language, metadata: { ...job.metadata }, sha256: job.file.sha256 };
}

/** The format from the leading bytes, as the upload check reads it; null when they are not audio NovaPulse accepts. */
export async function formatOf(blob: Blob): Promise<AudioFormat | null> {
  return sniffAudioFormat(new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer()));
}

/** Why a re-picked file cannot stand in for the job's bytes, or null when its SHA-256 is the job's. */
export function pickedFileProblem(job: Pick<Job, 'file'>, picked: { name: string; size: number }, sha256: string): string | null {
  if (sha256.toLowerCase() === job.file.sha256.toLowerCase()) return null;
  return (
    `${picked.name} is not the file this job was made from: its SHA-256 (${sha256.slice(0, 12)}…) differs from the job's (${job.file.sha256.slice(0, 12)}…). ` +
    `Nothing was sent. Pick the original recording (${job.file.name}, ${formatBytes(job.file.size_bytes)}); a re-exported or converted copy has other bytes and would make a different job.`
  );
}

/**
 * The bulk action's name, counting only the jobs it would send (not those
 * already re-run): a group's "Re-run all N", or while its count still reads
 * pages "Re-run the N read so far"; a selection's "Re-run N selected"; then
 * " with full analysis" for that offer.
 */
export function bulkRerunLabel(kind: 'group' | 'selection', counting: boolean, count: number, reason: ReuploadPlan['reason']): string {
  const suffix = reason === 'full-analysis' ? ' with full analysis' : '';
  const n = count.toLocaleString();
  if (kind === 'selection') return `Re-run ${n} selected${suffix}`;
  return counting ? `Re-run the ${n} read so far${suffix}` : `Re-run all ${n}${suffix}`;
}

export interface PickedFile<F> {
  file: F;
  name: string;
  sha256: string;
}

/**
 * Picked files matched to the jobs they were made from, by SHA-256, in any
 * order: each job gets the file with its bytes; a file that is no job's
 * is refused by name; a job no file matched still needs its file.
 */
export function matchPickedFiles<J extends { id: string; file: { sha256: string } }, F>(
  jobs: readonly J[],
  picked: readonly PickedFile<F>[],
): { matched: { job: J; file: F }[]; strangers: PickedFile<F>[]; unmatched: J[] } {
  const bySha = new Map<string, PickedFile<F>>();
  for (const one of picked) {
    const sha = one.sha256.toLowerCase();
    if (!bySha.has(sha)) bySha.set(sha, one);
  }
  const matched: { job: J; file: F }[] = [];
  const unmatched: J[] = [];
  for (const job of jobs) {
    const one = bySha.get(job.file.sha256.toLowerCase());
    if (one) matched.push({ job, file: one.file });
    else unmatched.push(job);
  }
  const jobShas = new Set(jobs.map((job) => job.file.sha256.toLowerCase()));
  const strangers = picked.filter((one) => !jobShas.has(one.sha256.toLowerCase()));
  return { matched, strangers, unmatched };
}
