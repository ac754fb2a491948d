import { createApiClient } from '../api/client';
import { fetchAccount } from '../api/endpoints/get-account';
import { createExchangeLog } from '../api/exchange-log';
import { createRequestGate } from '../api/request-gate';
import type { Pipeline } from '../api/schemas';
import { createJobPoller } from '../features/jobs/job-poller';
import { createUploadQueueStore, type UploadItem } from '../features/upload/upload-queue-store';
import { createUploadRunner } from '../features/upload/upload-runner';
import { sha256OfBlob } from '../lib/sha256-stream';
import type { RandomSource } from '../lib/random';
import { type CreateAccountOptions, NovaPulseSimulator } from '../mocks/core/simulator';
import { createNodeHost } from '../mocks/node';
import type { createFakeTabChannels } from './fake-tabs';
import type { createFakeLockManager } from './fake-web-locks';

export const HARNESS_BASE = 'http://novapulse.harness';

/** Real leading bytes of each format, padded with a tag so every file hashes differently. */
export function audioBytes(format: 'mp3' | 'wav' | 'flac' | 'ogg' | 'png', tag: string): Uint8Array<ArrayBuffer> {
  const heads: Record<string, number[]> = {
    mp3: [0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
    wav: [0x52, 0x49, 0x46, 0x46, 0x24, 0x08, 0x00, 0x00, 0x57, 0x41, 0x56, 0x45, 0x66, 0x6d, 0x74, 0x20],
    flac: [0x66, 0x4c, 0x61, 0x43, 0x00, 0x00, 0x00, 0x22],
    ogg: [0x4f, 0x67, 0x67, 0x53, 0x00, 0x02],
    png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  };
  const tail = new TextEncoder().encode(`:${tag}:${'x'.repeat(64)}`);
  const bytes = new Uint8Array(new ArrayBuffer((heads[format]?.length ?? 0) + tail.length));
  bytes.set(heads[format] ?? []);
  bytes.set(tail, heads[format]?.length ?? 0);
  return bytes;
}

/**
 * The upload runner, poller, gate and client wired to a simulator on
 * msw/node, all on the (fake) clock `Date.now`. No browser, no React.
 */
export function createUploadHarness(
  options: {
    random?: RandomSource;
    account?: CreateAccountOptions;
    key?: 'full' | 'readOnly' | 'expired' | null;
    /** Makes reading a queued file back fail, as an IndexedDB error would. */
    blobReadFails?: (id: string) => boolean;
    /** Makes hashing fail, as a hasher whose code could not be fetched would. */
    hashFails?: () => boolean;
    /** The console's tabs share one queue through these (see queue-tabs.ts); `openTab` opens another. */
    tabs?: { locks: ReturnType<typeof createFakeLockManager>; channels: ReturnType<typeof createFakeTabChannels> };
  } = {},
) {
  const simulator = new NovaPulseSimulator({ clock: () => Date.now() });
  const handle = simulator.createAccount({ tier: 'starter', timing: { queueMs: [1_000, 1_000], processMs: [10_000, 10_000] }, ...options.account });
  // Real asynchronous work in flight (hashing, the simulator answering): tests let it finish before fake time moves.
  let realWork = 0;
  const tracked = <T>(work: Promise<T>): Promise<T> => {
    realWork += 1;
    return work.finally(() => {
      realWork -= 1;
    });
  };
  const answer = simulator.handle.bind(simulator);
  simulator.handle = (request) => tracked(answer(request));
  const server = createNodeHost(simulator);
  let key: string | null = options.key === null ? null : handle.keys[options.key ?? 'full'];
  const gate = createRequestGate({ initiallyHasKey: key !== null, clock: () => Date.now() });
  const exchanges = createExchangeLog(10_000);
  const client = createApiClient({ baseUrl: HARNESS_BASE, gate, getKey: () => key, clock: () => Date.now(), onExchange: exchanges.record });
  const blobs = new Map<string, Blob>();
  let online = true;

  /** One console tab: its queue store, poller and runner, on the shared client and the files kept in this browser. */
  function makeTab() {
    const tabChannel = options.tabs?.channels.channel();
    const store = createUploadQueueStore(options.tabs && tabChannel ? { tabs: { lock: options.tabs.locks.tab(), channel: tabChannel } } : {});
    const poller = createJobPoller({
      client,
      clock: () => Date.now(),
      latestRateLimit: exchanges.latestRateLimit,
      onJobs: (jobs) => store.getState().acceptedJobsObserved(jobs),
      onSettled: (job) => runner.jobSettled(job.id),
      onUnknown: (jobId) => store.getState().acceptedJobLost(jobId),
    });
    const runner = createUploadRunner({
      store,
      client,
      loadBlob: async (id) => {
        if (options.blobReadFails?.(id)) throw new DOMException('The transaction was aborted.', 'AbortError');
        return blobs.get(id);
      },
      hashFile: (blob, onProgress) =>
        options.hashFails?.() ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : tracked(sha256OfBlob(blob, onProgress)),
      clock: () => Date.now(),
      random: options.random ?? (() => 0.5),
      onAccepted: (jobId) => poller.track(jobId),
      readAccount: async () => {
        const account = await fetchAccount(client);
        return { concurrentJobs: account.limits.concurrent_jobs, activeJobs: account.usage.active_jobs, dedupWindowMs: account.limits.dedup_window_seconds * 1000 };
      },
      isOnline: () => online,
    });
    return { store, poller, runner, channel: tabChannel };
  }

  const { store, poller, runner } = makeTab();
  const otherTabs: { stop: () => void }[] = [];

  let stops: (() => void)[] = [];
  let counter = 0;
  /** Every retry the runner scheduled: the failure's time, the time it set for the next attempt, and why. */
  const schedule: { id: string; failedAt: number; retryAt: number; code: string }[] = [];
  store.subscribe((state, previous) => {
    for (const item of state.items) {
      const before = previous.items.find((candidate) => candidate.id === item.id);
      if (item.state === 'retrying' && item.retryAt !== null && item.error && (before?.state !== 'retrying' || before.retryAt !== item.retryAt)) {
        schedule.push({ id: item.id, failedAt: item.error.at, retryAt: item.retryAt, code: item.error.code });
      }
    }
  });

  return {
    simulator,
    accountId: handle.accountId,
    keys: handle.keys,
    server,
    gate,
    client,
    store,
    runner,
    poller,
    /** Real asynchronous work still running (hashing, the simulator answering). */
    realWorkPending: () => realWork > 0,
    /** Starts the services and reads the account's limits, as the app does. */
    async start() {
      server.listen({ onUnhandledRequest: 'error' });
      stops = [runner.start(), poller.start()];
    },
    stop() {
      for (const stop of stops) stop();
      stops = [];
      for (const tab of otherTabs) tab.stop();
      server.close();
    },
    /**
     * Opens another tab of the console on the same browser's queue: its own store, poller and runner, started.
     * `close` is the tab going away as a browser closes it: its lock is freed and nothing of it runs after.
     */
    openTab() {
      const tab = makeTab();
      const tabStops = [tab.runner.start(), tab.poller.start()];
      const handle = {
        store: tab.store,
        runner: tab.runner,
        item(id: string): UploadItem | undefined {
          return tab.store.getState().items.find((item) => item.id === id);
        },
        stop() {
          for (const stop of tabStops.splice(0)) stop();
          tab.channel?.close();
        },
      };
      otherTabs.push(handle);
      return handle;
    },
    /** Closes the first tab: its runner and poller stop, its lock is freed, and it hears nothing more. */
    closeFirstTab() {
      for (const stop of stops) stop();
      stops = [];
    },
    /** Stops the runner as the app does when it goes away or switches endpoint, and starts a new one on the same queue. */
    restartRunner() {
      stops[0]?.();
      stops[0] = runner.start();
    },
    setKey(next: string) {
      key = next;
      gate.keyProvided();
    },
    setOnline(next: boolean) {
      online = next;
      if (next) runner.pump();
    },
    enqueue(
      bytes: Uint8Array<ArrayBuffer>,
      fileName: string,
      extra: { pipeline?: Pipeline; language?: string; metadata?: Record<string, string> } = {},
      /** The tab whose form queues it (the first by default). */
      into: { store: typeof store } = { store },
    ) {
      const id = `upload-${++counter}`;
      blobs.set(id, new Blob([bytes]));
      into.store.getState().uploadsQueued(
        [{ id, fileName, size: bytes.length, format: 'mp3', pipeline: extra.pipeline ?? 'transcription', language: extra.language ?? 'en-US', metadata: extra.metadata ?? {} }],
        Date.now(),
      );
      return id;
    },
    /** Several files queued together, as one form submit queues them (one batch). */
    enqueueBatch(files: { bytes: Uint8Array<ArrayBuffer>; fileName: string }[]) {
      const ids = files.map((file) => {
        const id = `upload-${++counter}`;
        blobs.set(id, new Blob([file.bytes]));
        return id;
      });
      store.getState().uploadsQueued(
        files.map((file, index) => ({ id: ids[index]!, fileName: file.fileName, size: file.bytes.length, format: 'mp3', pipeline: 'transcription', language: 'en-US', metadata: {} })),
        Date.now(),
      );
      return ids;
    },
    item(id: string): UploadItem {
      const found = store.getState().items.find((item) => item.id === id);
      if (!found) throw new Error(`no item ${id}`);
      return found;
    },
    /** Delays the runner chose after each failure of upload `id`, in order. */
    retryDelays(id: string) {
      return schedule.filter((entry) => entry.id === id).map((entry) => entry.retryAt - entry.failedAt);
    },
    retrySchedule(id: string) {
      return schedule.filter((entry) => entry.id === id);
    },
    /** The simulator's own record of what reached it. */
    uploadsSent() {
      return simulator.requestLog(handle.accountId).filter((entry) => entry.method === 'POST' && entry.path === '/v1/jobs');
    },
    requests() {
      return simulator.requestLog(handle.accountId);
    },
    jobs() {
      return simulator.account(handle.accountId).jobs;
    },
  };
}

export type UploadHarness = ReturnType<typeof createUploadHarness>;
