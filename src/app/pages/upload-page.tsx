import { PageHeader } from '../../components/page-header';
import { useUploads } from '../../features/upload/upload-context';
import { UploadForm } from '../../features/upload/upload-form';
import { SlotStatusNotice } from '../../features/upload/slot-status-notice';
import { UploadQueueList } from '../../features/upload/upload-queue-list';
import { useQueueCounts } from '../../features/upload/upload-queue-store';
import { ConcurrencyGauge } from '../../features/usage/account-summary';

export function UploadPage() {
  const { store } = useUploads();
  const counts = useQueueCounts(store);
  return (
    <div className="space-y-6">
      <PageHeader title="Upload audio" description="MP3, WAV, M4A, FLAC or OGG, up to 500 MB each. Uploads wait for a free job slot and survive a reload." />
      <SlotStatusNotice />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[2fr_1fr]">
        <UploadForm />
        <ConcurrencyGauge waiting={counts.waiting} uploading={counts.uploading} />
      </div>
      <UploadQueueList />
    </div>
  );
}
