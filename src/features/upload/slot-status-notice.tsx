import { useSyncExternalStore } from 'react';
import { useUploads } from './upload-context';

/** Says why uploads go one at a time when the key cannot read the account's slots (finding 13). */
export function SlotStatusNotice() {
  const { runner } = useUploads();
  const status = useSyncExternalStore(runner.subscribeSlotStatus, runner.slotStatus, runner.slotStatus);
  if (status.account !== 'forbidden') return null;
  return (
    <div role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
      <p className="font-medium">Uploads go one at a time with this key</p>
      <p>
        The key may upload (jobs:write) but cannot read the account (it lacks the account:read scope), so the console cannot see how many job
        slots are free. It sends one upload at a time and waits for a slot whenever NovaPulse says all are in use. For faster batches, use a key
        with account:read.
      </p>
    </div>
  );
}
