import { useParams } from '@tanstack/react-router';
import { useCallback } from 'react';
import { JobPage } from '../features/jobs/job-page';
import { JobRerunButton } from '../features/upload/job-rerun-button';
import { keptFiles } from '../features/upload/kept-files';
import { RerunLinks } from '../features/upload/rerun-status';
import { useUploads } from '../features/upload/upload-context';
import { JobTimelineWithAttempts } from './job-timeline-with-attempts';

/**
 * The bytes of a job's file for the job page's player: still in the queue's own store in the second after acceptance
 * (before the queue's save moves them, and until the upload's own hash is known when it was sent before it), in the
 * kept files after. The queue is asked first: the move keeps the bytes before it removes them from the queue, so one of
 * the two answers.
 */
function useKeptAudioLoader() {
  const { store, blobs } = useUploads();
  return useCallback(
    async ({ sha256, jobId }: { sha256: string; jobId: string }): Promise<Blob | undefined> => {
      const sha = sha256.toLowerCase();
      const items = store.getState().items;
      const queued = items.find((item) => item.sha256?.toLowerCase() === sha) ?? items.find((item) => item.jobId === jobId);
      return (queued ? await blobs.get(queued.id) : undefined) ?? (await keptFiles.get(sha))?.blob;
    },
    [store, blobs],
  );
}

/** The job page with the upload feature's re-run action, the ledger's links and the kept files passed in (features never import each other). */
export function JobRoute() {
  const { jobId } = useParams({ from: '/jobs/$jobId' });
  const loadKeptAudio = useKeptAudioLoader();
  // Another job is another page: nothing one job's page holds (a re-run under way, a chosen format) carries over.
  return (
    <JobPage
      key={jobId}
      renderActions={(job) => (
        <>
          <RerunLinks jobId={job.id} />
          {/* A completed job offers it in the insights section instead, where pipeline_mismatch is explained. */}
          {job.status === 'failed' ? <JobRerunButton job={job} /> : null}
        </>
      )}
      renderInsightsAction={(job) => (job.status === 'completed' ? <JobRerunButton job={job} /> : null)}
      renderTimeline={(job) => <JobTimelineWithAttempts job={job} />}
      loadKeptAudio={loadKeptAudio}
    />
  );
}
