import { useSyncExternalStore } from 'react';
import { RefreshControl } from '../features/settings/refresh-control';
import { useUploads } from '../features/upload/upload-context';
import { useQueueCounts } from '../features/upload/upload-queue-store';
import type { UploadActivity } from '../features/usage/usage-strip';
import { UsageStrip } from '../features/usage/usage-strip';

/** This browser's uploads: in flight as the runner counts its slots, waiting as the queue holds them. */
export function useUploadActivity(): UploadActivity & { queued: number } {
  const { runner, store } = useUploads();
  const status = useSyncExternalStore(runner.subscribeSlotStatus, runner.slotStatus, runner.slotStatus);
  const counts = useQueueCounts(store);
  return { inFlight: status.inFlight, waiting: counts.waiting, queued: counts.waiting + counts.uploading };
}

/** The gauges strip under the header, with the refresh control. */
export function LiveStrip() {
  const uploads = useUploadActivity();
  return <UsageStrip uploads={uploads} controls={<RefreshControl />} />;
}
