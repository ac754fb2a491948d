import { ApiError } from '../../api/api-error';
import type { ApiClient } from '../../api/client';
import { createJob } from '../../api/endpoints/create-job';
import { fetchJobs } from '../../api/endpoints/list-jobs';
import type { Job } from '../../api/schemas';
import { retryDecision } from '../../errors/retry-decision';
import { dedupFingerprint } from '../../lib/dedup-fingerprint';
import type { Clock, RandomSource } from '../../lib/random';
import type { HashFile } from './hash-file';
import type { UploadError, UploadItem, UploadQueueStore } from './upload-queue-store';

export interface UploadRunnerDeps {
  store: UploadQueueStore;
  client: ApiClient;
  loadBlob: (id: string) => Promise<Blob | undefined>;
  hashFile: HashFile;
  clock: Clock;
  random: RandomSource;
  /** An upload making no progress for this long is stopped and retried. */
  stallTimeoutMs?: number;
  onAccepted?: (jobId: string) => void;
  /** Asks for a fresh GET /v1/account (the slot count) after a job ends or a slot was refused. */
  requestAccountRefresh?: () => void;
  isOnline?: () => boolean;
}

export interface AccountLimits {
  concurrentJobs: number;
  activeJobs: number;
  dedupWindowMs: number;
}

export interface UploadRunner {
  start(): () => void;
  limitsObserved(limits: AccountLimits): void;
  jobSettled(jobId: string): void;
  pump(): void;
  /** Uploads that may be in flight right now. */
  freeSlots(): number;
}

function toUploadError(error: unknown, at: number): UploadError {
  if (error instanceof ApiError) return { code: error.code, status: error.status, message: error.message, requestId: error.requestId, at };
  return { code: 'client_error', status: null, message: error instanceof Error ? error.message : String(error), requestId: null, at };
}

function sameMetadata(a: Record<string, string>, b: Record<string, string>): boolean {
  return dedupFingerprint('', '', '', a) === dedupFingerprint('', '', '', b);
}

/**
 * Drains the upload queue: hashes, sends as many uploads as there are free
 * concurrency slots, and decides per error code what happens next, asking
 * the catalogue. Plain code with an injected clock and random source, so it
 * runs in the browser, in unit tests with fake timers, and in benchmarks.
 */
export function createUploadRunner(deps: UploadRunnerDeps): UploadRunner {
  const { store, client, clock, random } = deps;
  const gate = client.gate;
  const inFlight = new Map<string, AbortController>();
  const hashing = new Set<string>();
  let limits: AccountLimits | null = null;
  let acceptedSinceLimits = 0;
  let settledSinceLimits = 0;
  /** After a 429 concurrent_jobs_exceeded: no slot until a job ends or the account says otherwise. */
  let slotsExhausted = false;
  /** After a 503 without Retry-After, one upload at a time probes the service. */
  let probing = false;
  let wakeTimer: ReturnType<typeof setTimeout> | null = null;
  let wakeAt = Number.POSITIVE_INFINITY;
  let started = false;

  const items = () => store.getState().items;
  const events = () => store.getState();

  /** Our own accepted jobs still queued or processing, as the poll last saw them. */
  function ownActiveJobs(): number {
    return items().filter((item) => item.state === 'accepted' && (item.jobStatus === null || item.jobStatus === 'queued' || item.jobStatus === 'processing')).length;
  }

  function estimatedActive(): number {
    if (!limits) return 0;
    // The account's count may be older than our latest acceptance; our own jobs are a floor it cannot go under.
    return Math.max(0, limits.activeJobs + acceptedSinceLimits - settledSinceLimits, ownActiveJobs());
  }

  function freeSlots(): number {
    if (!limits || slotsExhausted) return 0;
    const free = limits.concurrentJobs - estimatedActive() - inFlight.size;
    return Math.max(0, probing ? Math.min(free, 1 - inFlight.size) : free);
  }

  function wakeUpAt(at: number) {
    if (at >= wakeAt && wakeTimer !== null) return;
    if (wakeTimer !== null) clearTimeout(wakeTimer);
    wakeAt = at;
    wakeTimer = setTimeout(
      () => {
        wakeTimer = null;
        wakeAt = Number.POSITIVE_INFINITY;
        pump();
      },
      Math.max(0, at - clock()),
    );
  }

  async function hash(item: UploadItem) {
    hashing.add(item.id);
    try {
      const blob = await deps.loadBlob(item.id);
      if (!blob) {
        events().uploadFailed(item.id, { code: 'file_missing', status: null, message: 'The file data is no longer in this browser. Remove the item and add the file again.', requestId: null, at: clock() });
        return;
      }
      const sha256 = await deps.hashFile(blob, (bytes) => events().hashProgressed(item.id, bytes));
      events().hashComputed(item.id, sha256);
    } catch (error) {
      events().uploadFailed(item.id, { ...toUploadError(error, clock()), code: 'hash_failed' });
    } finally {
      hashing.delete(item.id);
      pump();
    }
  }

  function localDuplicateUntil(item: UploadItem): number | null {
    if (!limits || !item.sha256) return null;
    const fingerprint = dedupFingerprint(item.sha256, item.pipeline, item.language, item.metadata);
    const now = clock();
    let until: number | null = null;
    for (const other of items()) {
      if (other.id === item.id || other.state !== 'accepted' || !other.sha256 || other.acceptedAt === null) continue;
      if (dedupFingerprint(other.sha256, other.pipeline, other.language, other.metadata) !== fingerprint) continue;
      const ends = other.acceptedAt + limits.dedupWindowMs;
      if (ends > now) until = Math.max(until ?? 0, ends);
    }
    return until;
  }

  async function findExistingJob(item: UploadItem): Promise<Job | null> {
    const page = await fetchJobs(client, { q: item.fileName, limit: 100 });
    const match = page.data.find(
      (job) => job.file.sha256 === item.sha256 && job.pipeline === item.pipeline && job.language === item.language && sameMetadata(job.metadata, item.metadata),
    );
    return match ?? null;
  }

  async function handleDuplicate(item: UploadItem, error: ApiError) {
    const now = clock();
    const windowMs = limits?.dedupWindowMs ?? 60_000;
    let existing: Job | null = null;
    try {
      existing = await findExistingJob(item);
    } catch {
      existing = null;
    }
    if (existing && item.mayHaveReachedServer) {
      // An earlier attempt of this very upload landed: adopt its job, never create a second.
      events().uploadAccepted(item.id, existing, now, true);
      acceptedSinceLimits += 1;
      deps.onAccepted?.(existing.id);
      return;
    }
    // The window cannot end later than a full window from now, whatever the clocks disagree on.
    const until = existing ? Math.min(Date.parse(existing.created_at) + windowMs, now + windowMs) : now + windowMs;
    events().duplicateDetected(item.id, Math.max(until, now), toUploadError(error, now));
  }

  async function send(item: UploadItem) {
    const controller = new AbortController();
    inFlight.set(item.id, controller);
    const blob = await deps.loadBlob(item.id);
    if (!blob) {
      inFlight.delete(item.id);
      events().uploadFailed(item.id, { code: 'file_missing', status: null, message: 'The file data is no longer in this browser. Remove the item and add the file again.', requestId: null, at: clock() });
      return;
    }
    events().uploadStarted(item.id, clock());
    try {
      const job = await createJob(
        client,
        { file: blob, fileName: item.fileName, pipeline: item.pipeline, language: item.language, metadata: item.metadata },
        {
          signal: controller.signal,
          stallTimeoutMs: deps.stallTimeoutMs ?? 30_000,
          onUploadProgress: (progress) => events().uploadProgressed(item.id, progress.loaded, progress.total, clock()),
        },
      );
      inFlight.delete(item.id);
      probing = false;
      acceptedSinceLimits += 1;
      events().uploadAccepted(item.id, job, clock(), false);
      deps.onAccepted?.(job.id);
    } catch (error) {
      inFlight.delete(item.id);
      const current = items().find((candidate) => candidate.id === item.id);
      if (!current || current.state === 'cancelled') return;
      await handleFailure(current, error);
    } finally {
      pump();
    }
  }

  async function handleFailure(item: UploadItem, error: unknown) {
    const now = clock();
    if (!(error instanceof ApiError)) {
      events().uploadFailed(item.id, toUploadError(error, now));
      return;
    }
    const reachedServer = error.kind === 'network' || error.kind === 'timeout' || (error.status !== null && error.status >= 500);
    const policy = error.entry.retry;
    switch (policy.kind) {
      case 'auth-gate':
        // The client closed the gate; the upload waits for a new key, not lost.
        events().returnedToQueue(item.id, error.code, { mayHaveReachedServer: reachedServer });
        return;
      case 'on-slot-free':
        slotsExhausted = true;
        events().returnedToQueue(item.id, error.code);
        deps.requestAccountRefresh?.();
        return;
      case 'adopt-or-wait-window':
        await handleDuplicate(item, error);
        return;
      case 'retry-after':
      case 'backoff': {
        // A wait the server named (Retry-After) is not a failure of this upload; backoff retries are counted.
        const serverNamedWait = policy.kind === 'retry-after' || (policy.honourRetryAfter && error.retryAfterMs !== null);
        if (error.code === 'service_unavailable' && error.retryAfterMs === null) probing = true;
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
        events().uploadFailed(item.id, toUploadError(error, now));
    }
  }

  function pump() {
    if (!started) return;
    const now = clock();
    let nextWake = Number.POSITIVE_INFINITY;

    for (const item of items()) {
      if (item.state === 'retrying' && item.retryAt !== null) {
        if (item.retryAt <= now) events().returnedToQueue(item.id, item.retryReason ?? 'retry');
        else nextWake = Math.min(nextWake, item.retryAt);
      }
      if (item.state === 'duplicate' && item.submitWhenWindowEnds && item.dedupUntil !== null) {
        if (item.dedupUntil <= now) events().returnedToQueue(item.id, 'window-ended');
        else nextWake = Math.min(nextWake, item.dedupUntil);
      }
    }

    const hashingNow = items().find((item) => item.state === 'hashing' && !hashing.has(item.id));
    if (hashingNow && hashing.size === 0) void hash(hashingNow);

    const gateState = gate.getState();
    const online = deps.isOnline?.() ?? true;
    if (gateState.auth === 'open' && online) {
      if (gateState.heldUntil > now) nextWake = Math.min(nextWake, gateState.heldUntil);
      else {
        let free = freeSlots();
        for (const item of items()) {
          if (free <= 0) break;
          if (item.state !== 'waiting' || !item.sha256 || inFlight.has(item.id)) continue;
          const duplicateUntil = localDuplicateUntil(item);
          if (duplicateUntil !== null) {
            // Sending would only earn a 409: hold it with the countdown instead.
            events().duplicateDetected(item.id, duplicateUntil, null);
            continue;
          }
          free -= 1;
          void send(item);
        }
      }
    }
    if (nextWake !== Number.POSITIVE_INFINITY) wakeUpAt(nextWake);
  }

  function abortVanished() {
    for (const [id, controller] of inFlight) {
      const item = items().find((candidate) => candidate.id === id);
      if (!item || item.state === 'cancelled') {
        controller.abort();
        inFlight.delete(id);
      }
    }
  }

  return {
    start() {
      started = true;
      const unsubscribeStore = store.subscribe(() => {
        abortVanished();
        queueMicrotask(pump);
      });
      const unsubscribeGate = gate.subscribe(() => queueMicrotask(pump));
      const onOnline = () => pump();
      globalThis.addEventListener?.('online', onOnline);
      pump();
      return () => {
        started = false;
        unsubscribeStore();
        unsubscribeGate();
        globalThis.removeEventListener?.('online', onOnline);
        if (wakeTimer !== null) clearTimeout(wakeTimer);
        wakeTimer = null;
        for (const controller of inFlight.values()) controller.abort();
      };
    },
    limitsObserved(next) {
      limits = next;
      acceptedSinceLimits = 0;
      settledSinceLimits = 0;
      slotsExhausted = false;
      pump();
    },
    jobSettled() {
      settledSinceLimits += 1;
      slotsExhausted = false;
      deps.requestAccountRefresh?.();
      pump();
    },
    pump,
    freeSlots,
  };
}
