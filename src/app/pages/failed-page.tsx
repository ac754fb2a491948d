import { useMemo } from 'react';
import type { Job } from '../../api/schemas';
import { FailedJobsPage } from '../../features/failed-jobs/failed-jobs-page';
import type { RefusedUpload } from '../../features/failed-jobs/failure-rows';
import { BulkRerunButton } from '../../features/upload/bulk-rerun-button';
import { RowRerunButton } from '../../features/upload/row-rerun-button';
import { useUploads } from '../../features/upload/upload-context';
import { useQueueItems } from '../../features/upload/upload-queue-store';

// Module-level, so the memoised rows keep one function across renders.
const renderRowRerun = (job: Job) => <RowRerunButton job={job} />;

/** The failed-jobs view, given the uploads NovaPulse refused (they never became jobs; only the queue knows them). */
export function FailedPage() {
  const { store } = useUploads();
  const items = useQueueItems(store);
  const refused = useMemo<RefusedUpload[]>(
    () =>
      items.flatMap((item) =>
        item.state === 'failed' && item.jobId === null && item.error
          ? [
              {
                id: item.id,
                fileName: item.fileName,
                pipeline: item.pipeline,
                metadata: item.metadata,
                code: item.error.code,
                status: item.error.status,
                message: item.error.message,
                requestId: item.error.requestId,
                at: item.error.at,
              },
            ]
          : [],
      ),
    [items],
  );
  return (
    <FailedJobsPage
      refusedUploads={refused}
      renderGroupActions={(group) => <BulkRerunButton jobs={group.jobs} kind="group" counting={group.counting} />}
      renderSelectionActions={(jobs) => <BulkRerunButton jobs={jobs} kind="selection" />}
      renderRowAction={renderRowRerun}
    />
  );
}
