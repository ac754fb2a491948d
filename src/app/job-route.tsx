import { useParams } from '@tanstack/react-router';
import { JobPage } from '../features/jobs/job-page';
import { JobRerunButton } from '../features/upload/job-rerun-button';
import { RerunLinks } from '../features/upload/rerun-status';
import { JobTimelineWithAttempts } from './job-timeline-with-attempts';

/** The job page with the upload feature's re-run action and the ledger's links passed in (features never import each other). */
export function JobRoute() {
  const { jobId } = useParams({ from: '/jobs/$jobId' });
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
    />
  );
}
