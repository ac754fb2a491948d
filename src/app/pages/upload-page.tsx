import { useEffect, useId, useRef, useState } from 'react';
import { PageHeader } from '../../components/page-header';
import { UploadBatchSummary } from '../../features/upload/batch-summary';
import { SlotStatusNotice } from '../../features/upload/slot-status-notice';
import { useUploads } from '../../features/upload/upload-context';
import { UploadForm } from '../../features/upload/upload-form';
import { UploadQueueList } from '../../features/upload/upload-queue-list';
import { useQueueCounts, useQueueItems } from '../../features/upload/upload-queue-store';
import { ConcurrencyGauge } from '../../features/usage/account-summary';

export function UploadPage() {
  const { store } = useUploads();
  const counts = useQueueCounts(store);
  const items = useQueueItems(store);
  const formId = useId();
  // Open while the queue is empty; folds each time files join the queue, so the queue being watched stays in view.
  const [open, setOpen] = useState(items.length === 0);
  const queued = useRef(items.length);
  useEffect(() => {
    if (items.length > queued.current) setOpen(false);
    else if (items.length === 0) setOpen(true);
    queued.current = items.length;
  }, [items.length]);
  return (
    <div className="space-y-6">
      <PageHeader title="Upload audio" description="MP3, WAV, M4A, FLAC or OGG, up to 500 MB each. Uploads wait for a free job slot and survive a reload." />
      <SlotStatusNotice />
      <UploadBatchSummary />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[2fr_1fr]">
        <div className="space-y-3">
          {items.length > 0 ? (
            <button
              type="button"
              aria-expanded={open}
              aria-controls={formId}
              onClick={() => setOpen((was) => !was)}
              className="inline-flex items-center gap-1 rounded-md px-3 py-1.5 text-sm font-medium text-indigo-800 ring-1 ring-inset ring-indigo-300 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            >
              <span aria-hidden="true">{open ? '▾' : '▸'}</span> Add more files
            </button>
          ) : null}
          {/* Kept mounted while folded: files picked through it (or dropped) open it again, and nothing picked is lost. */}
          <div id={formId} hidden={!open} onChangeCapture={() => setOpen(true)}>
            <UploadForm />
          </div>
        </div>
        <ConcurrencyGauge waiting={counts.waiting} uploading={counts.uploading} />
      </div>
      <UploadQueueList />
    </div>
  );
}
