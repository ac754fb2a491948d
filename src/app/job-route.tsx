import { JobPage } from '../features/jobs/job-page';
import { ReuploadButton, ReuploadLinks } from '../features/upload/reupload-button';
import { JobTimelineWithAttempts } from './job-timeline-with-attempts';

/** The job page with the upload feature's re-upload action and links passed in (features never import each other). */
export function JobRoute() {
  return (
    <JobPage
      renderActions={(job) => (
        <>
          <ReuploadLinks jobId={job.id} />
          {/* A completed job offers it in the insights section instead, where pipeline_mismatch is explained. */}
          {job.status === 'failed' ? <ReuploadButton job={job} /> : null}
        </>
      )}
      renderInsightsAction={(job) => (job.status === 'completed' ? <ReuploadButton job={job} /> : null)}
      renderTimeline={(job) => <JobTimelineWithAttempts job={job} />}
    />
  );
}
