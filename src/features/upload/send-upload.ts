import { ApiError } from '../../api/api-error';
import type { ApiClient } from '../../api/client';
import { createJob } from '../../api/endpoints/create-job';
import type { Job } from '../../api/schemas';
import { retryDecision } from '../../errors/retry-decision';
import { fullJitterDelay } from '../../lib/backoff';
import type { Clock, RandomSource } from '../../lib/random';
import { duplicateVerdict, landedJob, matchingJobs, notOwnedByOthers } from './duplicate-hold';
import type { HashFile } from './hash-file';
import type { SlotLedger } from './slot-ledger';
import type { QueueEvents, UploadError, UploadItem } from './upload-queue-store';

/** The abort reason when the runner itself stops: what it cut off goes back to the queue. */
export const RUNNER_STOPPED = Symbol('upload runner stopped');
/**
 * The abort reason when an upload sent before its hash turns out, once hashed, to repeat one the queue would have
 * held it for: it goes back to the queue, where the runner holds or skips it as it would have before sending.
 */
export const FOUND_DUPLICATE = Symbol('hash found a duplicate');
/** Reading a file back from IndexedDB is tried this often before the upload is failed. */
const FILE_READ_ATTEMPTS = 3;

export function toUploadError(error: unknown, at: number): UploadError {
  if (error instanceof ApiError) return { code: error.code, status: error.status, message: error.message, requestId: error.requestId, at };
  return { code: 'client_error', status: null, message: error instanceof Error ? error.message : String(error), requestId: null, at };
}

export const fileMissing = (at: number): UploadError => ({
  code: 'file_missing',
  status: null,
  message: 'The file data is no longer in this browser. Remove the item and add the file again.',
  requestId: null,
  at,
});

/** The answer may mean a job was created: no answer, a server failure, or a 2xx whose body could not be read. */
function mayHaveCreatedJob(error: ApiError): boolean {
  if (error.kind === 'network' || error.kind === 'timeout') return true;
  return error.status !== null && (error.status >= 500 || error.status < 300);
}

export interface SendUploadDeps {
  client: ApiClient;
  clock: Clock;
  random: RandomSource;
  events: () => QueueEvents;
  items: () => readonly UploadItem[];
  loadBlob: (id: string) => Promise<Blob | undefined>;
  /** Hashes the bytes of a refused duplicate sent before its hash was known: which job it repeats is found by it. */
  hashFile: HashFile;
  stallTimeoutMs?: number;
  onAccepted?: (jobId: string) => void;
  slots: SlotLedger;
  /** Uploads in flight, by id; the sender adds its own and removes it when done. */
  inFlight: Map<string, AbortController>;
  /** Called when an upload ends, however it ends: its slot is free. */
  onDone: () => void;
}

/**
 * Sends one upload and decides, asking the catalogue, what each answer means
 * for it. An upload that may already have landed (a lost answer, a 5xx, a
 * reload or a cancel mid-send) is looked up before it is sent again.
 */
export function createUploadSender(deps: SendUploadDeps) {
  const { client, clock, random, slots } = deps;
  const events = deps.events;
  const fileReadFailures = new Map<string, number>();

  function adopt(item: UploadItem, job: Job) {
    // An earlier attempt of this very upload landed: adopt its job, never create a second.
    const now = clock();
    slots.jobAccepted(now);
    events().uploadAccepted(item.id, job, now, true);
    deps.onAccepted?.(job.id);
  }

  async function handleDuplicate(unhashed: UploadItem, error: ApiError, blob: Blob | undefined) {
    const now = clock();
    let item = unhashed;
    let jobs: Job[] = [];
    try {
      if (!item.sha256 && blob) {
        // The server answered before the queue's own hash came: this one is needed now.
        const sha256 = await deps.hashFile(blob, () => undefined);
        events().hashComputed(item.id, sha256);
        item = { ...item, sha256 };
      }
      jobs = await matchingJobs(client, item);
      // The job it repeats was made within the last minute, perhaps under another name: it is among the newest.
      if (jobs.length === 0) jobs = await matchingJobs(client, item, undefined, false);
    } catch {
      jobs = [];
    }
    const verdict = duplicateVerdict(item, jobs, deps.items(), {
      now,
      windowMs: slots.dedupWindowMs(),
      serverTimeOffsetMs: client.serverTimeOffsetMs(),
      serverDate: error.serverDate,
    });
    if ('adopt' in verdict) adopt(item, verdict.adopt);
    else events().duplicateDetected(item.id, verdict.holdUntil, toUploadError(error, now), verdict.of);
  }

  /** IndexedDB could not give the file back: try again a little later, then fail visibly; the slot is freed either way. */
  function fileUnreadable(item: UploadItem, error: unknown) {
    const now = clock();
    const failures = (fileReadFailures.get(item.id) ?? 0) + 1;
    fileReadFailures.set(item.id, failures);
    const uploadError: UploadError = {
      code: 'file_unreadable',
      status: null,
      message: `This browser could not read the file back from its storage (${error instanceof Error ? error.message : String(error)}). Retry, or remove the item and add the file again.`,
      requestId: null,
      at: now,
    };
    if (failures >= FILE_READ_ATTEMPTS) {
      fileReadFailures.delete(item.id);
      events().uploadFailed(item.id, uploadError);
      return;
    }
    events().retryScheduled(item.id, 'file_unreadable', now + 1_000 * 2 ** (failures - 1), { countsAsFailure: false, mayHaveReachedServer: false, error: uploadError });
  }

  async function handleFailure(item: UploadItem, error: unknown, blob: Blob | undefined) {
    const now = clock();
    if (!(error instanceof ApiError)) {
      events().uploadFailed(item.id, toUploadError(error, now));
      return;
    }
    const reachedServer = mayHaveCreatedJob(error);
    const policy = error.entry.retry;
    switch (policy.kind) {
      case 'auth-gate':
        // The client closed the gate; the upload waits for a new key, not lost.
        events().returnedToQueue(item.id, error.code, { mayHaveReachedServer: reachedServer });
        return;
      case 'on-slot-free':
        slots.slotsRefused(now);
        if (error.retryAfterMs !== null) {
          // The server named a wait: never sooner, even if a slot seems to free before (finding 15).
          events().retryScheduled(item.id, error.code, now + error.retryAfterMs, { countsAsFailure: false, mayHaveReachedServer: false, error: toUploadError(error, now) });
        } else events().returnedToQueue(item.id, error.code);
        return;
      case 'adopt-or-wait-window':
        await handleDuplicate(item, error, blob);
        return;
      case 'retry-after':
      case 'backoff': {
        // A wait the server named (Retry-After) is not a failure of this upload; backoff retries are counted.
        const serverNamedWait = policy.kind === 'retry-after' || (policy.honourRetryAfter && error.retryAfterMs !== null);
        if (error.code === 'service_unavailable' && error.retryAfterMs === null && policy.kind === 'backoff') {
          // The service is down, not this upload: one probe at a time, backing off on the service's count, and no
          // upload is failed for it (the queue waits, as it does offline).
          const delayMs = fullJitterDelay(slots.serviceDown(), policy.baseMs, policy.capMs, random);
          slots.serviceDownUntilAtLeast(now + delayMs);
          events().retryScheduled(item.id, error.code, now + delayMs, { countsAsFailure: false, mayHaveReachedServer: reachedServer, error: toUploadError(error, now) });
          return;
        }
        const failures = item.failures + (serverNamedWait ? 0 : 1);
        const decision = retryDecision(error, serverNamedWait ? 1 : failures, random);
        if (!decision.retry) {
          events().uploadFailed(item.id, toUploadError(error, now), { mayHaveReachedServer: reachedServer });
          return;
        }
        events().retryScheduled(item.id, error.code, now + decision.delayMs, {
          countsAsFailure: !serverNamedWait,
          mayHaveReachedServer: reachedServer,
          error: toUploadError(error, now),
        });
        return;
      }
      default:
        events().uploadFailed(item.id, toUploadError(error, now), { mayHaveReachedServer: reachedServer });
    }
  }

  async function send(item: UploadItem) {
    const controller = new AbortController();
    deps.inFlight.set(item.id, controller);
    let blob: Blob | undefined;
    try {
      let lookedUp = false;
      const lookUpLanded = async () => {
        lookedUp = true;
        const jobs = notOwnedByOthers(await matchingJobs(client, item, controller.signal), item, deps.items());
        const landed = landedJob(item, jobs, client.serverTimeOffsetMs());
        if (landed) adopt(item, landed);
        return landed !== null;
      };
      // An earlier attempt may have created the job, however long ago: look before sending again.
      if (item.mayHaveReachedServer && (await lookUpLanded())) return;
      try {
        blob = await deps.loadBlob(item.id);
      } catch (error) {
        fileUnreadable(item, error);
        return;
      }
      if (!blob) {
        // The bytes go once an upload is accepted; a page that went away before saving that leaves a queued item without
        // them. Its job may well exist: look before calling the file lost.
        if (item.sha256 && !lookedUp && (await lookUpLanded())) return;
        events().uploadFailed(item.id, fileMissing(clock()));
        return;
      }
      fileReadFailures.delete(item.id);
      events().uploadStarted(item.id, clock());
      const job = await createJob(
        client,
        { file: blob, fileName: item.fileName, pipeline: item.pipeline, language: item.language, metadata: item.metadata },
        {
          signal: controller.signal,
          stallTimeoutMs: deps.stallTimeoutMs ?? 30_000,
          uploadId: item.id,
          onUploadProgress: (progress) => events().uploadProgressed(item.id, progress.loaded, progress.total, clock()),
        },
      );
      slots.serviceAnswered();
      const now = clock();
      slots.jobAccepted(now);
      events().uploadAccepted(item.id, job, now, false);
      deps.onAccepted?.(job.id);
    } catch (error) {
      const current = deps.items().find((candidate) => candidate.id === item.id);
      if (!current || current.state === 'cancelled') return;
      // The console itself cut it off (endpoint change, page going away): back to the queue, never failed.
      if (controller.signal.reason === RUNNER_STOPPED) {
        events().uploadInterrupted(item.id, 'interrupted');
        return;
      }
      if (controller.signal.reason === FOUND_DUPLICATE) {
        events().uploadInterrupted(item.id, 'duplicate-found');
        return;
      }
      await handleFailure(current, error, blob);
    } finally {
      deps.inFlight.delete(item.id);
      deps.onDone();
    }
  }

  return { send };
}
