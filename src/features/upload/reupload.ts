import type { Job, Pipeline } from '../../api/schemas';
import { type AudioFormat, SNIFF_BYTES, sniffAudioFormat } from '../../lib/audio-format';
import { formatBytes } from '../../lib/format';
import type { NewUpload } from './upload-queue-store';

/** Processing failures whose resolution is "upload the same file again": re-sent with the job's own pipeline. */
const UPLOAD_AGAIN_CODES: ReadonlySet<string> = new Set(['internal_error', 'service_unavailable']);

export interface ReuploadPlan {
  pipeline: Pipeline;
  /** Why it is offered: insights missing (full analysis) or the failure's resolution is to upload again. */
  reason: 'full-analysis' | 'upload-again';
}

/** What re-uploading `job` means, or null when it is not offered (still running, or already full analysis and not failed for a passing reason). */
export function planReupload(job: Pick<Job, 'pipeline' | 'status' | 'error'>): ReuploadPlan | null {
  // The same bytes could not be decoded: sending them again cannot help; the file must be converted first.
  if (job.status === 'failed' && job.error?.code === 'unsupported_media_type') return null;
  if (job.pipeline === 'transcription' && (job.status === 'completed' || job.status === 'failed')) return { pipeline: 'full-analysis', reason: 'full-analysis' };
  if (job.status === 'failed' && job.error && UPLOAD_AGAIN_CODES.has(job.error.code)) return { pipeline: job.pipeline, reason: 'upload-again' };
  return null;
}

export function reuploadLabel(plan: ReuploadPlan): string {
  return plan.reason === 'full-analysis' ? 'Re-upload with full analysis' : 'Upload again';
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
 * already re-run): a group's "Re-run all N…", or while its count still reads
 * pages "Re-run the N read so far…"; a selection's "Re-upload N selected…";
 * "with full analysis" where every plan is.
 */
export function bulkRerunLabel(kind: 'group' | 'selection', counting: boolean, plans: readonly ReuploadPlan[]): string {
  const suffix = plans.every((plan) => plan.reason === 'full-analysis') ? ' with full analysis' : plans.every((plan) => plan.reason === 'upload-again') ? ' again' : '';
  const n = plans.length.toLocaleString();
  if (kind === 'selection') return `Re-upload ${n} selected${suffix}`;
  return counting ? `Re-run the ${n} read so far${suffix}` : `Re-run all ${n}${suffix}`;
}
