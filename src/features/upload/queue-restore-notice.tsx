import { createStore, useStore } from 'zustand';
import { buttonStyles } from '../../components/button-styles';
import type { QueueNotice } from './queue-persistence';
import { useUploads } from './upload-context';

const noNotice = createStore<QueueNotice>()(() => ({ message: null }));

/** Says so when the saved upload queue could not be read and the console started with an empty one. */
export function QueueRestoreNotice() {
  const { store } = useUploads();
  const notice = store.persistence?.notice ?? noNotice;
  const message = useStore(notice, (state) => state.message);
  if (!message) return null;
  return (
    <div role="alert" className="border-b border-amber-300 bg-amber-50 px-6 py-3 text-sm text-amber-950">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2">
        <p>{message}</p>
        <button type="button" className={buttonStyles.secondary} onClick={() => notice.setState({ message: null })}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
