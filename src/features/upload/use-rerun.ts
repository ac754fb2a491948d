import { useCallback, useEffect, useSyncExternalStore } from 'react';
import type { Job } from '../../api/schemas';
import type { AudioFormat } from '../../lib/audio-format';
import { keptFiles as defaultKeptFiles, type KeptFiles } from './kept-files';
import { formatOf, isOffered, type ReuploadPlan, reuploadOf } from './reupload';
import { type RerunLedger, type RerunRecord, type RerunRequest, rerunLedger, rerunsOf } from './rerun-ledger';
import { useUploads } from './upload-context';

export interface RerunAsk {
  job: Job;
  /** The offer the person chose (see rerunOffers). */
  plan: ReuploadPlan;
  /** The bytes, when the person picked the file again; else the kept bytes are used. */
  blob?: Blob;
  /** A confirmed repeat: how many earlier re-runs of the job the person saw. */
  repeatOf?: number;
}

export type RerunResult =
  | { job: Job; kind: 'queued'; uploadId: string }
  | { job: Job; kind: 'already'; earlier: RerunRecord[] }
  | { job: Job; kind: 'missing' }
  | { job: Job; kind: 'not-offered' }
  | { job: Job; kind: 'problem'; problem: string };

interface Ready {
  index: number;
  ask: RerunAsk;
  plan: ReuploadPlan;
  blob: Blob;
  format: AudioFormat;
  request: RerunRequest;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The one way a re-run is made, whatever the button: the ledger is asked
 * under its cross-tab lock, and only what it lets through is queued, through
 * the same queue (so the same gates and retries) as any upload.
 */
export function useRerun(options: { kept?: KeptFiles; ledger?: RerunLedger } = {}) {
  const { store, blobs } = useUploads();
  const ledger = options.ledger ?? rerunLedger;
  const kept = options.kept ?? defaultKeptFiles;
  useEffect(() => void ledger.load(), [ledger]);
  const records = useSyncExternalStore(ledger.subscribe, ledger.all);

  /**
   * An accepted upload's bytes move to the kept files only once the queue has saved "accepted" (at most a second
   * later, longer on a busy machine): a re-run asked in between finds them still in the queue's own store.
   */
  const bytesStillQueued = useCallback(
    async (sha256: string): Promise<Blob | undefined> => {
      const item = store.getState().items.find((each) => each.sha256 === sha256);
      return item ? await blobs.get(item.id) : undefined;
    },
    [store, blobs],
  );

  const rerun = useCallback(
    async (asks: readonly RerunAsk[]): Promise<RerunResult[]> => {
      await ledger.load();
      const results: RerunResult[] = [];
      const ready: Ready[] = [];
      for (const [index, ask] of asks.entries()) {
        const { job, plan } = ask;
        if (!isOffered(job, plan)) {
          results[index] = { job, kind: 'not-offered' };
          continue;
        }
        // Known here already: no need to read its bytes (the ledger decides again under the lock).
        const earlier = rerunsOf(ledger.all(), job.id);
        if (earlier.length > 0 && ask.repeatOf !== earlier.length) {
          results[index] = { job, kind: 'already', earlier };
          continue;
        }
        try {
          const blob = ask.blob ?? (await kept.get(job.file.sha256))?.blob ?? (await bytesStillQueued(job.file.sha256));
          if (!blob) {
            results[index] = { job, kind: 'missing' };
            continue;
          }
          const format = await formatOf(blob);
          if (!format) {
            results[index] = { job, kind: 'problem', problem: `The bytes of ${job.file.name} are not audio NovaPulse accepts. Nothing was sent.` };
            continue;
          }
          const request: RerunRequest = { fromJobId: job.id, pipeline: plan.pipeline, uploadId: crypto.randomUUID(), at: Date.now(), repeatOf: ask.repeatOf };
          ready.push({ index, ask, plan, blob, format, request });
        } catch (error) {
          results[index] = { job, kind: 'problem', problem: `${job.file.name} (${job.id}): ${message(error)}. Not sent.` };
        }
      }
      if (ready.length === 0) return results;

      try {
        const outcomes = await ledger.claim(
          ready.map((one) => one.request),
          async (claimed) => {
            const going = ready.filter((one) => claimed.includes(one.request));
            const stored: string[] = [];
            try {
              for (const one of going) {
                await blobs.put(one.request.uploadId, one.blob);
                stored.push(one.request.uploadId);
              }
            } catch (error) {
              await Promise.all(stored.map((id) => blobs.remove(id).catch(() => undefined)));
              throw error;
            }
            store.getState().uploadsQueued(
              going.map((one) => reuploadOf(one.ask.job, one.plan, one.request.uploadId, one.blob.size, one.format)),
              Date.now(),
            );
          },
        );
        for (const [position, outcome] of outcomes.entries()) {
          const one = ready[position] as Ready;
          results[one.index] =
            outcome.kind === 'claimed' ? { job: one.ask.job, kind: 'queued', uploadId: one.request.uploadId } : { job: one.ask.job, kind: 'already', earlier: outcome.earlier };
        }
      } catch (error) {
        for (const one of ready) results[one.index] = { job: one.ask.job, kind: 'problem', problem: `The re-run could not be queued (${message(error)}). Nothing was sent.` };
      }
      return results;
    },
    [ledger, kept, store, blobs, bytesStillQueued],
  );

  return { records, rerun };
}
