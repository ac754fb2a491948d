import { useMemo } from 'react';
import { useStore } from 'zustand';
import { useExchanges } from '../api/api-client-context';
import type { Job } from '../api/schemas';
import { uploadAttempts } from '../api/upload-attempts';
import { JobTimeline } from '../features/jobs/job-timeline';
import { useUploads } from '../features/upload/upload-context';

/** The jobs feature's timeline with the upload attempts of the queue item that became this job (features meet here). */
export function JobTimelineWithAttempts({ job }: { job: Job }) {
  const { store } = useUploads();
  const uploadIds = useStore(store, (state) => state.items.filter((item) => item.jobId === job.id).map((item) => item.id).join('\n'));
  const exchanges = useExchanges();
  const attempts = useMemo(
    () => (uploadIds ? uploadIds.split('\n').flatMap((id) => uploadAttempts(exchanges, id)) : []),
    [uploadIds, exchanges],
  );
  return <JobTimeline job={job} attempts={attempts} />;
}
