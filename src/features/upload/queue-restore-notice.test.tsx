// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueueRestoreNotice } from './queue-restore-notice';
import { UploadProvider } from './upload-context';
import { blobStore, createUploadQueueStore } from './upload-queue-store';
import type { UploadRunner } from './upload-runner';

afterEach(cleanup);

function renderNotice(saved: string | null) {
  const store = createUploadQueueStore({ persistIn: 'indexeddb', storage: { getItem: () => saved, setItem: () => undefined } });
  render(
    <UploadProvider value={{ store, runner: {} as UploadRunner, blobs: blobStore }}>
      <QueueRestoreNotice />
    </UploadProvider>,
  );
  return store;
}

describe('the notice for an unreadable saved queue', () => {
  it('tells the person the queue was cleared, until dismissed', async () => {
    const user = userEvent.setup();
    const store = renderNotice('{"version":2,"items":[{"id":');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The saved upload queue could not be read and was cleared. Files that were waiting in it were not sent; add them again.',
    );
    expect(store.getState().items).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
    await store.persistence?.stop();
  });

  it('says nothing when the saved queue is read', async () => {
    const store = renderNotice('{"version":2,"items":[]}');
    await store.persistence?.restored;
    expect(screen.queryByRole('alert')).toBeNull();
    await store.persistence?.stop();
  });
});
