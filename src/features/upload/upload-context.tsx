import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { firstScreenIdle } from '../../lib/first-screen-idle';
import type { UploadQueueStore } from './upload-queue-store';
import type { UploadRunner } from './upload-runner';

interface UploadContextValue {
  store: UploadQueueStore;
  runner: UploadRunner;
  blobs: { put(id: string, blob: Blob): Promise<void>; get(id: string): Promise<Blob | undefined>; remove(id: string): Promise<void> };
}

const UploadContext = createContext<UploadContextValue | null>(null);

export function UploadProvider({ value, children }: { value: UploadContextValue; children: ReactNode }) {
  // The ledger learns the job each re-run became from the queue, on every page, before the queue item can be cleared.
  // Loaded after the first screen, once the page is idle (it reads the whole queue when it starts, so nothing earlier
  // is missed): the first page's JavaScript stays within its budget.
  useEffect(() => {
    let stop: (() => void) | undefined;
    let stopped = false;
    const cancel = firstScreenIdle.afterIdle(() => {
      void import('./rerun-ledger').then(({ watchRerunLedger }) => {
        if (!stopped) stop = watchRerunLedger(value.store);
      });
    });
    return () => {
      stopped = true;
      cancel();
      stop?.();
    };
  }, [value.store]);
  return <UploadContext.Provider value={value}>{children}</UploadContext.Provider>;
}

export function useUploads(): UploadContextValue {
  const value = useContext(UploadContext);
  if (!value) throw new Error('useUploads needs an <UploadProvider> above it');
  return value;
}
