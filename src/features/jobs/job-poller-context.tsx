import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { isActiveStatus, type JobStatus } from '../../api/schemas';
import type { JobPoller } from './job-poller';

const JobPollerContext = createContext<JobPoller | null>(null);

export function JobPollerProvider({ poller, children }: { poller: JobPoller; children: ReactNode }) {
  return <JobPollerContext.Provider value={poller}>{children}</JobPollerContext.Provider>;
}

/** Keeps a job shown on screen in the shared batched poll while it is active. */
export function useTrackedJob(jobId: string, status: JobStatus | undefined) {
  const poller = useContext(JobPollerContext);
  const active = status !== undefined && isActiveStatus(status);
  useEffect(() => {
    if (!poller || !active) return;
    poller.track(jobId);
  }, [poller, jobId, active]);
}

/**
 * Keeps the active jobs a list shows in the shared batched poll: the poll, not
 * a refetch of the list, brings their changes (it patches the lists' rows).
 */
export function useTrackedJobs(jobs: readonly { id: string; status: JobStatus; created_at: string }[]) {
  const poller = useContext(JobPollerContext);
  useEffect(() => {
    if (!poller) return;
    for (const job of jobs) {
      if (isActiveStatus(job.status)) poller.track(job.id, Date.parse(job.created_at) || undefined);
    }
  }, [poller, jobs]);
}
