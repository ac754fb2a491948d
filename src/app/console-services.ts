import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { backgroundGap } from '../api/background-budget';
import type { ApiClient } from '../api/client';
import { fetchAccount } from '../api/endpoints/get-account';
import { type ListJobsResponse, patchJobList } from '../api/endpoints/list-jobs';
import { type ExchangeLog, rateWindowReader } from '../api/exchange-log';
import { dataKinds, queryKeys } from '../api/query-keys';
import type { Job } from '../api/schemas';
import { createJobPoller } from '../features/jobs/job-poller';
import { firstScreenIdle } from '../lib/first-screen-idle';
import { createFileHasher } from '../features/upload/hash-file';
import { blobStore, type UploadQueueStore } from '../features/upload/upload-queue-store';
import { createUploadRunner } from '../features/upload/upload-runner';
import { ACCOUNT_REFRESH_SHARE } from '../features/usage/use-account-refresh';
import { createAccountReads } from './account-reads';

/**
 * Wires the long-lived, React-free services together: the batched job
 * poller and the upload runner, which keeps the slot accounts itself.
 * Features never import each other; this is where they meet.
 */
export function startConsoleServices(deps: {
  client: ApiClient;
  queryClient: QueryClient;
  exchanges: ExchangeLog;
  queue: UploadQueueStore;
  /** Runs work the first screen does not need once it is shown and the page is idle; returns a cancel. */
  afterFirstScreen?: (task: () => void) => () => void;
}) {
  const { client, queryClient, exchanges, queue } = deps;
  const afterFirstScreen = deps.afterFirstScreen ?? firstScreenIdle.afterIdle;
  const rateWindow = rateWindowReader(exchanges, client.pacer);
  const accountReads = createAccountReads({
    read: () => queryClient.invalidateQueries({ queryKey: queryKeys.account() }),
    lastReadAt: () => queryClient.getQueryState(queryKeys.account())?.dataUpdatedAt ?? 0,
    budgetGapMs: () => backgroundGap({ now: Date.now(), rateLimit: rateWindow(), share: ACCOUNT_REFRESH_SHARE }),
    clock: Date.now,
  });

  const poller = createJobPoller({
    client,
    clock: Date.now,
    latestRateLimit: rateWindow,
    isPaused: () => typeof document !== 'undefined' && document.visibilityState === 'hidden',
    onJobs: (jobs) => {
      try {
        patchCachedJobs(queryClient, jobs);
      } finally {
        // The queue's statuses (and through them the slots) follow the poll whatever became of the cache patch.
        queue.getState().acceptedJobsObserved(jobs);
      }
    },
    onSettled: (job) => {
      runner.jobSettled(job.id);
      accountReads.changed();
    },
    onUnknown: (jobId) => queue.getState().acceptedJobLost(jobId),
  });

  const hashFile = createFileHasher();
  const runner = createUploadRunner({
    store: queue,
    client,
    loadBlob: blobStore.get,
    hashFile,
    clock: Date.now,
    random: Math.random,
    // The runner reads the account itself, when its slot accounts need it; the screens' cache gets the answer too.
    // A request of its own (not a cached or shared fetch), so its send time is known: counts after it adjust its answer.
    readAccount: async () => {
      const data = await fetchAccount(client);
      queryClient.setQueryData(queryKeys.account(), data);
      return { concurrentJobs: data.limits.concurrent_jobs, activeJobs: data.usage.active_jobs, dedupWindowMs: data.limits.dedup_window_seconds * 1000 };
    },
    onAccepted: (jobId) => {
      poller.track(jobId);
      accountReads.changed();
      // Only the lists' newest pages are read again, and a refresh already under way is not restarted.
      void queryClient.invalidateQueries({ queryKey: queryKeys.kind(dataKinds.jobListHead) }, { cancelRefetch: false });
    },
    isOnline: () => typeof navigator === 'undefined' || navigator.onLine,
  });

  const trackAcceptedJobs = () => {
    for (const item of queue.getState().items) {
      if (item.state === 'accepted' && item.jobId && (item.jobStatus === 'queued' || item.jobStatus === 'processing' || item.jobStatus === null)) {
        poller.track(item.jobId);
      }
    }
  };
  const onVisibility = () => {
    if (document.visibilityState === 'visible') poller.resume();
  };
  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisibility);

  // What hashing needs is fetched while the page is surely online, not at the first file (which may come offline),
  // and after the first screen, which does not need it.
  const cancelWarmHasher = afterFirstScreen(() => hashFile.warm?.());
  const stopPoller = poller.start();
  const stopRunner = runner.start();
  trackAcceptedJobs();

  return {
    poller,
    runner,
    /** Call after the persisted queue is restored from IndexedDB. */
    queueRestored: () => {
      trackAcceptedJobs();
      runner.pump();
    },
    stop() {
      cancelWarmHasher();
      accountReads.stop();
      stopPoller();
      stopRunner();
      if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}

/**
 * Fresh jobs from the poll into the cache: each job's own entry, and the active
 * rows of every list on screen (no list is refetched to learn about them). Only
 * the two kinds that hold job lists are patched, each as the shape it holds.
 */
export function patchCachedJobs(queryClient: QueryClient, jobs: readonly Job[]) {
  for (const job of jobs) queryClient.setQueryData(queryKeys.job(job.id), job);
  const fresh = new Map(jobs.map((job) => [job.id, job]));
  queryClient.setQueriesData<ListJobsResponse>({ queryKey: queryKeys.kind(dataKinds.jobListHead) }, (data) => patchJobList(data, fresh));
  queryClient.setQueriesData<InfiniteData<ListJobsResponse>>({ queryKey: queryKeys.kind(dataKinds.jobPages) }, (data) => patchJobList(data, fresh));
}

export type ConsoleServices = ReturnType<typeof startConsoleServices>;
