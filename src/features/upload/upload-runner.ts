import { ApiError } from '../../api/api-error';
import type { ApiClient } from '../../api/client';
import { createJob } from '../../api/endpoints/create-job';
import { fetchJobs } from '../../api/endpoints/list-jobs';
import type { Job } from '../../api/schemas';
import { retryDecision } from '../../errors/retry-decision';
import { fullJitterDelay } from '../../lib/backoff';
import { dedupFingerprint } from '../../lib/dedup-fingerprint';
import type { Clock, RandomSource } from '../../lib/random';
import type { HashFile } from './hash-file';
import type { UploadError, UploadItem, UploadQueueStore } from './upload-queue-store';

/** What the runner needs of `GET /v1/account`. */
export interface AccountLimits {
  concurrentJobs: number;
  activeJobs: number;
  dedupWindowMs: number;
}

/** What the queue knows about job slots, for the screens. */
export interface SlotStatus {
  /** 'forbidden': the key lacks account:read, so the limits are unknown and uploads go one at a time. */
  account: 'not-read' | 'readable' | 'forbidden';
  concurrentJobs: number | null;
  activeJobs: number | null;
  inFlight: number;
  free: number;
}

export interface UploadRunnerDeps {
  store: UploadQueueStore;
  client: ApiClient;
  loadBlob: (id: string) => Promise<Blob | undefined>;
  hashFile: HashFile;
  clock: Clock;
  random: RandomSource;
  /** Reads the account's limits and active jobs (GET /v1/account); the runner decides when. */
  readAccount: () => Promise<AccountLimits>;
  /** An upload making no progress for this long is stopped and retried. */
  stallTimeoutMs?: number;
  onAccepted?: (jobId: string) => void;
  isOnline?: () => boolean;
}

export interface UploadRunner {
  start(): () => void;
  /** A job this console tracks reached completed or failed: its slot is free. */
  jobSettled(jobId: string): void;
  pump(): void;
  /** Uploads that may be in flight right now. */
  freeSlots(): number;
  slotStatus(): SlotStatus;
  subscribeSlotStatus(listener: () => void): () => void;
}

/** While uploads wait for a slot, the account is read this often: jobs started elsewhere end too. */
export const SLOT_REREAD_MS = 10_000;
/** The contract's dedup window, used until the account says otherwise. */
const DEFAULT_DEDUP_WINDOW_MS = 60_000;
/** Slack when matching a landed job's created_at against the first attempt: Date has one-second resolution. */
const LANDED_TOLERANCE_MS = 5_000;
/** The abort reason when the runner itself stops: what it cut off goes back to the queue. */
const RUNNER_STOPPED = Symbol('upload runner stopped');
/** Reading a file back from IndexedDB is tried this often before the upload is failed. */
const FILE_READ_ATTEMPTS = 3;

function toUploadError(error: unknown, at: number): UploadError {
  if (error instanceof ApiError) return { code: error.code, status: error.status, message: error.message, requestId: error.requestId, at };
  return { code: 'client_error', status: null, message: error instanceof Error ? error.message : String(error), requestId: null, at };
}

function sameMetadata(a: Record<string, string>, b: Record<string, string>): boolean {
  return dedupFingerprint('', '', '', a) === dedupFingerprint('', '', '', b);
}

/** The answer may mean a job was created: no answer, a server failure, or a 2xx whose body could not be read. */
function mayHaveCreatedJob(error: ApiError): boolean {
  if (error.kind === 'network' || error.kind === 'timeout') return true;
  return error.status !== null && (error.status >= 500 || error.status < 300);
}

/**
 * Drains the upload queue: hashes, sends as many uploads as there are free
 * concurrency slots, and decides per error code what happens next, asking
 * the catalogue. It alone keeps the slot accounts: it reads the account
 * itself, and counts what it sends, sees accepted and sees settle since.
 * Plain code with an injected clock and random source, so it runs in the
 * browser, in unit tests with fake timers, and in benchmarks.
 */
export function createUploadRunner(deps: UploadRunnerDeps): UploadRunner {
  const { store, client, clock, random } = deps;
  const gate = client.gate;
  const inFlight = new Map<string, AbortController>();
  const hashing = new Set<string>();

  /* ------------------------------------------------------------- slots */
  /** The last account read, with the time its request was sent: what it says was true no earlier than that. */
  let snapshot: (AccountLimits & { requestedAt: number }) | null = null;
  let accountAccess: SlotStatus['account'] = 'not-read';
  /** Own acceptances (+1) and settlements (-1) seen, with when; those after the snapshot's request adjust it. */
  let ledger: { at: number; delta: 1 | -1 }[] = [];
  /** A 429 concurrent_jobs_exceeded at this time: no slot until a job ends or a later account read says otherwise. */
  let exhaustedAt: number | null = null;
  let readingAccount = false;
  let lastAccountReadAt = Number.NEGATIVE_INFINITY;
  let accountReadWanted = false;
  /** Account reads that failed in a row: the next is tried sooner than the usual period, backing off. */
  let accountReadFailures = 0;
  /** After a 503 without Retry-After, one upload at a time probes the service. */
  let probing = false;
  /** While probing: nothing more is sent before the probe's own retry time, so a down service sees one request at a time. */
  let serviceDownUntil = 0;
  /** 503s without Retry-After in a row: the service's failures, not any one upload's, set the backoff. */
  let serviceFailures = 0;
  let wakeTimer: ReturnType<typeof setTimeout> | null = null;
  let wakeAt = Number.POSITIVE_INFINITY;
  let started = false;
  const fileReadFailures = new Map<string, number>();

  const items = () => store.getState().items;
  const events = () => store.getState();

  /** Our own accepted jobs still queued or processing, as the poll last saw them. */
  function ownActiveJobs(): number {
    return items().filter((item) => item.state === 'accepted' && (item.jobStatus === null || item.jobStatus === 'queued' || item.jobStatus === 'processing')).length;
  }

  function estimatedActive(): number {
    if (!snapshot) return ownActiveJobs();
    const since = snapshot.requestedAt;
    const adjustment = ledger.reduce((sum, entry) => (entry.at >= since ? sum + entry.delta : sum), 0);
    // The account's count may be older than our latest acceptance; our own jobs are a floor it cannot go under.
    return Math.max(0, snapshot.activeJobs + adjustment, ownActiveJobs());
  }

  function freeSlots(): number {
    if (exhaustedAt !== null) return 0;
    if (probing && clock() < serviceDownUntil) return 0;
    let free: number;
    if (accountAccess === 'forbidden') free = 1 - inFlight.size;
    else if (!snapshot) return 0;
    else free = snapshot.concurrentJobs - estimatedActive() - inFlight.size;
    return Math.max(0, probing ? Math.min(free, 1 - inFlight.size) : free);
  }

  function slotStatus(): SlotStatus {
    return {
      account: accountAccess,
      concurrentJobs: snapshot?.concurrentJobs ?? null,
      activeJobs: snapshot ? estimatedActive() : null,
      inFlight: inFlight.size,
      free: freeSlots(),
    };
  }

  // The last status published, kept as one object so screens (useSyncExternalStore) see a stable snapshot.
  let publishedStatus: SlotStatus = slotStatus();
  const slotListeners = new Set<() => void>();
  function publishSlotStatus() {
    const status = slotStatus();
    if (JSON.stringify(status) === JSON.stringify(publishedStatus)) return;
    publishedStatus = status;
    for (const listener of [...slotListeners]) listener();
  }

  const dedupWindowMs = () => snapshot?.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS;

  async function readAccount() {
    readingAccount = true;
    accountReadWanted = false;
    const requestedAt = clock();
    lastAccountReadAt = requestedAt;
    try {
      const limits = await deps.readAccount();
      accountReadFailures = 0;
      accountAccess = 'readable';
      snapshot = { ...limits, requestedAt };
      ledger = ledger.filter((entry) => entry.at >= requestedAt);
      // Read after the refusal: the account now speaks for the slots.
      if (exhaustedAt !== null && requestedAt > exhaustedAt) exhaustedAt = null;
    } catch (error) {
      // A key that may upload but not read the account still uploads, one at a time (finding 13).
      if (error instanceof ApiError && error.code === 'insufficient_permissions') accountAccess = 'forbidden';
      else if (error instanceof ApiError && error.entry.retry.kind === 'auth-gate') {
        // Refused for the key: read again as soon as a key is entered (the gate holds the read until then).
        lastAccountReadAt = Number.NEGATIVE_INFINITY;
      } else {
        accountReadFailures += 1;
        accountReadWanted = true;
      }
    } finally {
      readingAccount = false;
      pump();
    }
  }

  function slotWaiters(): boolean {
    return items().some((item) => item.state === 'waiting' && item.sha256 !== null && !inFlight.has(item.id));
  }

  /** Decides whether the account must be read now, or when next. Returns the time of the next read, if one is due later. */
  function planAccountRead(now: number): number | null {
    if (readingAccount || accountAccess === 'forbidden' || !slotWaiters()) return null;
    const needed = snapshot === null || accountReadWanted || (exhaustedAt !== null && lastAccountReadAt <= exhaustedAt) || freeSlots() === 0;
    if (!needed) return null;
    if (!Number.isFinite(lastAccountReadAt)) {
      void readAccount();
      return null;
    }
    const due = lastAccountReadAt + (accountReadWanted || exhaustedAt !== null ? 0 : SLOT_REREAD_MS);
    // Never more than one read per second, whatever asks for it; after failures, 1 s, 2 s, 4 s... up to the usual period.
    const spacing = accountReadFailures > 0 ? Math.min(SLOT_REREAD_MS, 1_000 * 2 ** (accountReadFailures - 1)) : 1_000;
    const at = Math.max(due, lastAccountReadAt + spacing);
    if (at <= now) {
      void readAccount();
      return null;
    }
    return at;
  }

  /* ------------------------------------------------------------- timers */

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

  /* ------------------------------------------------------------ hashing */

  /** A hash failed while offline: hashing resumes when the browser is online again. */
  let hashWaitsForConnection = false;

  async function hash(item: UploadItem) {
    hashing.add(item.id);
    try {
      const blob = await deps.loadBlob(item.id);
      if (!blob) {
        events().uploadFailed(item.id, fileMissing(clock()));
        return;
      }
      const sha256 = await deps.hashFile(blob, (bytes) => events().hashProgressed(item.id, bytes));
      events().hashComputed(item.id, sha256);
    } catch (error) {
      // Offline, the hasher's code may not load: the file waits for the connection, as its upload would.
      if (!(deps.isOnline?.() ?? true)) hashWaitsForConnection = true;
      else events().uploadFailed(item.id, { ...toUploadError(error, clock()), code: 'hash_failed' });
    } finally {
      hashing.delete(item.id);
      pump();
    }
  }

  const fileMissing = (at: number): UploadError => ({
    code: 'file_missing',
    status: null,
    message: 'The file data is no longer in this browser. Remove the item and add the file again.',
    requestId: null,
    at,
  });

  /* ---------------------------------------------------------- duplicates */

  function localDuplicateUntil(item: UploadItem): number | null {
    if (!item.sha256) return null;
    const fingerprint = dedupFingerprint(item.sha256, item.pipeline, item.language, item.metadata);
    const now = clock();
    let until: number | null = null;
    for (const other of items()) {
      if (other.id === item.id || other.state !== 'accepted' || !other.sha256 || other.acceptedAt === null) continue;
      if (dedupFingerprint(other.sha256, other.pipeline, other.language, other.metadata) !== fingerprint) continue;
      const ends = other.acceptedAt + dedupWindowMs();
      if (ends > now) until = Math.max(until ?? 0, ends);
    }
    return until;
  }

  /** Jobs with this upload's content and parameters, newest first. */
  async function matchingJobs(item: UploadItem, signal?: AbortSignal): Promise<Job[]> {
    const page = await fetchJobs(client, { q: item.fileName, limit: 100 }, signal);
    return page.data.filter(
      (job) => job.file.sha256 === item.sha256 && job.pipeline === item.pipeline && job.language === item.language && sameMetadata(job.metadata, item.metadata),
    );
  }

  /** A matching job created since `from` (this upload's first attempt, or its queueing): one of our attempts landed. */
  function landedJob(item: UploadItem, jobs: Job[], from = item.firstAttemptAt ?? item.addedAt): Job | null {
    const since = from + client.serverTimeOffsetMs() - LANDED_TOLERANCE_MS;
    return jobs.find((job) => Date.parse(job.created_at) >= since) ?? null;
  }

  function adopt(item: UploadItem, job: Job) {
    // An earlier attempt of this very upload landed: adopt its job, never create a second.
    const now = clock();
    ledger.push({ at: now, delta: 1 });
    events().uploadAccepted(item.id, job, now, true);
    deps.onAccepted?.(job.id);
  }

  async function handleDuplicate(item: UploadItem, error: ApiError) {
    const now = clock();
    const windowMs = dedupWindowMs();
    let jobs: Job[] = [];
    try {
      jobs = await matchingJobs(item);
    } catch {
      jobs = [];
    }
    // The identical job was made after this upload was queued: by an attempt of ours that the queue never saw answered
    // (a page that went away before saving it), so it is adopted. One made before the upload was queued is a real
    // duplicate: the countdown.
    // On the server's clock (the client's offset estimate is good to well under a second once a few answers came in).
    const queuedAt = item.addedAt + client.serverTimeOffsetMs();
    const landed = jobs.find((job) => Date.parse(job.created_at) >= queuedAt) ?? null;
    if (landed) {
      adopt(item, landed);
      return;
    }
    // How long the window still runs, by the server's clock: the browser's may run fast or slow (finding 9).
    const newest = jobs[0];
    const remaining = newest && error.serverDate !== null ? Date.parse(newest.created_at) + windowMs - error.serverDate : windowMs;
    // At least a second: the server counts whole seconds, and a window it still holds is never "over" for us.
    const until = now + Math.min(windowMs, Math.max(1_000, remaining));
    events().duplicateDetected(item.id, until, toUploadError(error, now));
  }

  /* ------------------------------------------------------------ sending */

  async function send(item: UploadItem) {
    const controller = new AbortController();
    inFlight.set(item.id, controller);
    try {
      let lookedUp = false;
      const lookUpLanded = async () => {
        lookedUp = true;
        const landed = landedJob(item, await matchingJobs(item, controller.signal));
        if (landed) adopt(item, landed);
        return landed !== null;
      };
      // An earlier attempt may have created the job, however long ago: look before sending again.
      if (item.mayHaveReachedServer && (await lookUpLanded())) return;
      let blob: Blob | undefined;
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
      probing = false;
      serviceFailures = 0;
      const now = clock();
      ledger.push({ at: now, delta: 1 });
      events().uploadAccepted(item.id, job, now, false);
      deps.onAccepted?.(job.id);
    } catch (error) {
      const current = items().find((candidate) => candidate.id === item.id);
      if (!current || current.state === 'cancelled') return;
      // The console itself cut it off (endpoint change, page going away): back to the queue, never failed.
      if (controller.signal.reason === RUNNER_STOPPED) {
        events().uploadInterrupted(item.id, 'interrupted');
        return;
      }
      await handleFailure(current, error);
    } finally {
      inFlight.delete(item.id);
      pump();
    }
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

  async function handleFailure(item: UploadItem, error: unknown) {
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
        exhaustedAt = now;
        accountReadWanted = true;
        if (error.retryAfterMs !== null) {
          // The server named a wait: never sooner, even if a slot seems to free before (finding 15).
          events().retryScheduled(item.id, error.code, now + error.retryAfterMs, { countsAsFailure: false, mayHaveReachedServer: false, error: toUploadError(error, now) });
        } else events().returnedToQueue(item.id, error.code);
        return;
      case 'adopt-or-wait-window':
        await handleDuplicate(item, error);
        return;
      case 'retry-after':
      case 'backoff': {
        // A wait the server named (Retry-After) is not a failure of this upload; backoff retries are counted.
        const serverNamedWait = policy.kind === 'retry-after' || (policy.honourRetryAfter && error.retryAfterMs !== null);
        if (error.code === 'service_unavailable' && error.retryAfterMs === null && policy.kind === 'backoff') {
          // The service is down, not this upload: one probe at a time, backing off on the service's count, and no
          // upload is failed for it (the queue waits, as it does offline).
          probing = true;
          serviceFailures += 1;
          const delayMs = fullJitterDelay(serviceFailures, policy.baseMs, policy.capMs, random);
          serviceDownUntil = Math.max(serviceDownUntil, now + delayMs);
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

    const online = deps.isOnline?.() ?? true;
    if (online) hashWaitsForConnection = false;
    const hashingNow = items().find((item) => item.state === 'hashing' && !hashing.has(item.id));
    if (hashingNow && hashing.size === 0 && !hashWaitsForConnection) void hash(hashingNow);

    if (probing && serviceDownUntil > now) nextWake = Math.min(nextWake, serviceDownUntil);
    const gateState = gate.getState();
    if (gateState.auth === 'open' && online) {
      if (gateState.heldUntil > now) nextWake = Math.min(nextWake, gateState.heldUntil);
      else {
        const readAt = planAccountRead(now);
        if (readAt !== null) nextWake = Math.min(nextWake, readAt);
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
    publishSlotStatus();
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
        for (const controller of inFlight.values()) controller.abort(RUNNER_STOPPED);
      };
    },
    jobSettled() {
      ledger.push({ at: clock(), delta: -1 });
      exhaustedAt = null;
      accountReadWanted = true;
      pump();
    },
    pump,
    freeSlots,
    slotStatus: () => publishedStatus,
    subscribeSlotStatus(listener) {
      slotListeners.add(listener);
      return () => slotListeners.delete(listener);
    },
  };
}
