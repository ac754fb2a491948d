import { JobPage } from '../features/jobs/job-page';
import { JobRerunButton } from '../features/upload/job-rerun-button';
import { RerunLinks } from '../features/upload/rerun-status';
import { JobTimelineWithAttempts } from './job-timeline-with-attempts';

/** The job page with the upload feature's re-run action and the ledger's links passed in (features never import each other). */
export function JobRoute() {
  return (
    <JobPage
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
