import { createApiClient } from '../../src/api/client';
import { fetchAccount } from '../../src/api/endpoints/get-account';
import { fetchJob } from '../../src/api/endpoints/get-job';
import { createExchangeLog } from '../../src/api/exchange-log';
import { createRequestGate } from '../../src/api/request-gate';
import { createJobPoller } from '../../src/features/jobs/job-poller';
import type { RefusedFile } from '../../src/features/upload/upload-queue-store';
import { createUploadQueueStore, type NewUpload } from '../../src/features/upload/upload-queue-store';
import { createUploadRunner } from '../../src/features/upload/upload-runner';
import { checkFile } from '../../src/features/upload/validate-upload';
import { sha256OfBlob } from '../../src/lib/sha256-stream';
import type { Policy, PolicyContext, PolicyRun } from './policy';
import { BASE_URL } from './wire';

/** The usage gauges' refresh on every page, the app's default (settings-store.ts). */
const GAUGE_REFRESH_MS = 10_000;

type Watcher = 'console-poller' | 'per-job-1s';

/**
 * The console as the app wires it (the soak's wiring, src/testing/soak.ts): its client and request gate, the upload
 * queue store, runner and job poller, the form's file check and the gauges' account refresh. Imported, not copied.
 * With `per-job-1s`, the console's queue and gate with the job poller swapped for one GET per job per second, to
 * show what the batched poller is worth on its own.
 */
function consoleRun(context: PolicyContext, watcher: Watcher): PolicyRun {
  const clock = () => Date.now();
  const store = createUploadQueueStore();
  const gate = createRequestGate({ initiallyHasKey: true, clock });
  const exchanges = createExchangeLog(100_000);
  const client = createApiClient({ baseUrl: BASE_URL, gate, getKey: context.key, clock, fetch: context.wire.fetch, onExchange: exchanges.record });
  const blobs = new Map<string, Blob>();
  let hashing = 0;
  let refused = 0;
  const stops: (() => void)[] = [];

  const runner = createUploadRunner({
    store,
    client,
    loadBlob: async (id) => blobs.get(id),
    hashFile: async (blob, onProgress) => {
      hashing += 1;
      try {
        return await sha256OfBlob(blob, onProgress);
      } finally {
        hashing -= 1;
      }
    },
    clock,
    random: context.random,
    onAccepted: (jobId) => track(jobId),
    readAccount: async () => {
      const data = await fetchAccount(client);
      return { concurrentJobs: data.limits.concurrent_jobs, activeJobs: data.usage.active_jobs, dedupWindowMs: data.limits.dedup_window_seconds * 1000 };
    },
    isOnline: () => true,
  });

  let track: (jobId: string) => void;
  if (watcher === 'console-poller') {
    const poller = createJobPoller({
      client,
      clock,
      random: context.random,
      latestRateLimit: exchanges.latestRateLimit,
      onJobs: (jobs) => store.getState().acceptedJobsObserved(jobs),
      onSettled: (job) => runner.jobSettled(job.id),
      onUnknown: (jobId) => store.getState().acceptedJobLost(jobId),
    });
    track = (jobId) => poller.track(jobId);
    stops.push(poller.start());
  } else {
    const watched = new Set<string>();
    const tick = setInterval(() => {
      for (const jobId of watched) {
        void fetchJob(client, jobId).then(
          (job) => {
            store.getState().acceptedJobsObserved([job]);
            if (job.status === 'completed' || job.status === 'failed') {
              watched.delete(jobId);
              runner.jobSettled(jobId);
            }
          },
          () => undefined,
        );
      }
    }, 1_000);
    track = (jobId) => watched.add(jobId);
    stops.push(() => clearInterval(tick));
  }

  // The gauges: one account read every 10 s, skipped while the last is still waiting (as a query does).
  let gaugeReading = false;
  const gauges = setInterval(() => {
    if (gaugeReading) return;
    gaugeReading = true;
    void fetchAccount(client)
      .catch(() => undefined)
      .finally(() => {
        gaugeReading = false;
      });
  }, GAUGE_REFRESH_MS);
  stops.push(() => clearInterval(gauges));

  return {
    async start(files) {
      // The page's first account read gives the size limit the form checks files against, as the upload form does.
      const account = await fetchAccount(client);
      const uploads: NewUpload[] = [];
      const refusedFiles: Omit<RefusedFile, 'batchId' | 'at'>[] = [];
      for (const [index, { name, file }] of files.entries()) {
        const id = `bench-${index + 1}`;
        const check = await checkFile(file, account.limits.max_file_bytes);
        if (!check.ok) {
          refusedFiles.push({ id, fileName: name, size: file.size, code: check.code, reason: check.reason });
          continue;
        }
        blobs.set(id, file);
        uploads.push({ id, fileName: name, size: file.size, format: check.format, pipeline: 'transcription', language: 'en-US', metadata: {} });
      }
      refused = refusedFiles.length;
      store.getState().uploadsQueued(uploads, Date.now(), refusedFiles);
      stops.push(runner.start());
    },
    settled: () =>
      store
        .getState()
        .items.every(
          (item) =>
            item.state === 'failed' || item.state === 'cancelled' || item.state === 'skipped' || (item.state === 'accepted' && (item.jobStatus === 'completed' || item.jobStatus === 'failed')),
        ),
    givenUp: () => store.getState().items.filter((item) => item.state === 'failed').length,
    refusedBeforeSending: () => refused,
    keyProvided: () => gate.keyProvided(),
    busy: () => hashing > 0,
    stop() {
      for (const stop of stops.splice(0)) stop();
    },
  };
}

export const CONSOLE_POLICY: Policy = {
  name: 'console',
  description: "the console's own gate, queue runner and job poller (src/, imported)",
  create: (context) => consoleRun(context, 'console-poller'),
};

export const CONSOLE_PER_JOB_POLLING: Policy = {
  name: 'console, per-job 1 s polling',
  description: "the console's gate and queue, each job polled once a second instead of the batched poller",
  create: (context) => consoleRun(context, 'per-job-1s'),
};
