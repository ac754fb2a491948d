import 'fake-indexeddb/auto';
import { set } from 'idb-keyval';
import type { Job } from '../../api/schemas';
import { blobStore, createUploadQueueStore, type UploadError, type UploadItem } from './upload-queue-store';

// Written against survivors of the mutation run (docs/mutation-testing.md).
// Each queue event, the state it moves an upload to, and what it must leave alone.

const SHA = 'f'.repeat(64);
const upload = (id: string, sha256?: string) => ({ id, fileName: `${id}.mp3`, size: 10, format: 'mp3' as const, pipeline: 'transcription' as const, language: 'en-US', metadata: { ticket: id }, sha256 });
const failure: UploadError = { code: 'internal_error', status: 500, message: 'boom', requestId: 'req_1', at: 5 };
const job = (id: string, status: Job['status'], extra: Partial<Job> = {}) => ({ id, status, ...extra }) as Job;

function queue(...ids: [string, string?][]) {
  const store = createUploadQueueStore();
  store.getState().uploadsQueued(
    ids.map(([id, sha]) => upload(id, sha)),
    1_000,
  );
  const item = (id: string) => store.getState().items.find((entry) => entry.id === id) as UploadItem;
  return { store, events: () => store.getState(), item };
}

describe('queueing and hashing', () => {
  it('queues an upload to hash, or one whose hash is known (a kept file) straight to wait, with nothing else set', () => {
    const { item, store } = queue(['a'], ['b', SHA]);
    expect(store.persistence).toBeNull();
    expect(item('a')).toEqual({
      ...upload('a'),
      sha256: null,
      hashedBytes: 0,
      state: 'hashing',
      addedAt: 1_000,
      attempts: 0,
      failures: 0,
      mayHaveReachedServer: false,
      progress: null,
      retryAt: null,
      retryReason: null,
      dedupUntil: null,
      submitWhenWindowEnds: false,
      duplicateOf: null,
      sendAnyway: false,
      batchId: expect.stringMatching(/^batch-1000-\d+$/),
      jobId: null,
      adopted: false,
      acceptedAt: null,
      jobStatus: null,
      jobProgress: null,
      jobError: null,
      error: null,
    });
    // Queued together: one batch.
    expect(item('b').batchId).toBe(item('a').batchId);
    expect(item('b')).toMatchObject({ sha256: SHA, hashedBytes: 10, state: 'waiting' });
  });

  it('moves a hashed upload to wait, but only sets the hash of one no longer hashing', () => {
    const { events, item } = queue(['a'], ['b']);
    events().hashProgressed('a', 4);
    expect(item('a').hashedBytes).toBe(4);
    events().hashComputed('a', SHA);
    expect(item('a')).toMatchObject({ sha256: SHA, hashedBytes: 10, state: 'waiting' });
    events().uploadCancelled('b');
    events().hashComputed('b', SHA);
    expect(item('b')).toMatchObject({ sha256: SHA, hashedBytes: 0, state: 'cancelled' });
  });
});

describe('sending', () => {
  it('counts attempts, keeps the time of the first, and shows progress only while uploading', () => {
    const { events, item } = queue(['a', SHA]);
    events().uploadProgressed('a', 5, 10, 1_500);
    expect(item('a').progress).toBeNull();
    events().uploadStarted('a', 2_000);
    expect(item('a')).toMatchObject({ state: 'uploading', attempts: 1, firstAttemptAt: 2_000, progress: { loaded: 0, total: 10, startedAt: 2_000, updatedAt: 2_000 }, retryAt: null });
    events().uploadProgressed('a', 6, 10, 2_100);
    expect(item('a').progress).toEqual({ loaded: 6, total: 10, startedAt: 2_000, updatedAt: 2_100 });
    events().retryScheduled('a', 'server error', 9_000, { countsAsFailure: true, mayHaveReachedServer: true, error: failure });
    events().uploadProgressed('a', 7, 10, 2_200);
    expect(item('a').progress).toBeNull();
    events().uploadStarted('a', 9_000);
    expect(item('a')).toMatchObject({ attempts: 2, firstAttemptAt: 2_000, retryAt: null });
  });

  it('records an acceptance with the job, and clears what the upload went through', () => {
    const { events, item } = queue(['a', SHA]);
    events().uploadStarted('a', 2_000);
    events().retryScheduled('a', 'server error', 9_000, { countsAsFailure: true, mayHaveReachedServer: true, error: failure });
    events().uploadAccepted('a', job('job_a', 'queued', { progress: 0.1 }), 9_500, true);
    expect(item('a')).toMatchObject({
      state: 'accepted',
      jobId: 'job_a',
      adopted: true,
      acceptedAt: 9_500,
      jobStatus: 'queued',
      jobProgress: 0.1,
      error: null,
      retryAt: null,
      retryReason: null,
      progress: null,
      dedupUntil: null,
    });
    events().uploadAccepted('a', job('job_a', 'processing'), 9_600, false);
    expect(item('a')).toMatchObject({ adopted: false, jobProgress: null });
  });

  it('schedules a retry, counting a failure only when told, and remembering that the server may have it', () => {
    const { events, item } = queue(['a', SHA]);
    events().retryScheduled('a', 'rate limited', 3_000, { countsAsFailure: false, mayHaveReachedServer: false, error: failure });
    expect(item('a')).toMatchObject({ state: 'retrying', retryAt: 3_000, retryReason: 'rate limited', failures: 0, mayHaveReachedServer: false, error: failure, progress: null });
    events().retryScheduled('a', 'server error', 4_000, { countsAsFailure: true, mayHaveReachedServer: true, error: failure });
    expect(item('a')).toMatchObject({ failures: 1, mayHaveReachedServer: true });
    events().retryScheduled('a', 'rate limited', 5_000, { countsAsFailure: false, mayHaveReachedServer: false, error: failure });
    expect(item('a')).toMatchObject({ failures: 1, mayHaveReachedServer: true });
  });

  it('returns an upload to the queue, keeping "may have reached the server" once set', () => {
    const { events, item } = queue(['a', SHA], ['b', SHA]);
    events().returnedToQueue('a', 'waiting for a slot');
    expect(item('a')).toMatchObject({ state: 'waiting', retryReason: 'waiting for a slot', progress: null, mayHaveReachedServer: false });
    events().returnedToQueue('a', 'lost connection', { mayHaveReachedServer: true });
    events().returnedToQueue('a', 'waiting for a slot');
    expect(item('a').mayHaveReachedServer).toBe(true);
    events().uploadFailed('b', failure, { mayHaveReachedServer: true });
    expect(item('b')).toMatchObject({ state: 'failed', error: failure, progress: null, retryAt: null, mayHaveReachedServer: true });
    events().uploadFailed('b', failure);
    expect(item('b').mayHaveReachedServer).toBe(true);
  });
});

describe('a cancelled upload stays cancelled', () => {
  it('whatever a late answer schedules for it', () => {
    const { events, item } = queue(['a', SHA]);
    events().uploadCancelled('a');
    events().retryScheduled('a', 'server error', 9_000, { countsAsFailure: true, mayHaveReachedServer: true, error: failure });
    events().returnedToQueue('a', 'waiting for a slot');
    events().duplicateDetected('a', 60_000, null);
    events().uploadFailed('a', failure);
    expect(item('a')).toMatchObject({ state: 'cancelled', failures: 0, error: null, dedupUntil: null, retryAt: null });
  });

  it('but an accepted upload cannot be cancelled', () => {
    const { events, item } = queue(['a', SHA]);
    events().uploadAccepted('a', job('job_a', 'queued'), 2_000, false);
    events().uploadCancelled('a');
    expect(item('a').state).toBe('accepted');
  });

  it('cancelling clears progress, a retry time and a pending "submit when the window ends"', () => {
    const { events, item } = queue(['a', SHA]);
    events().duplicateDetected('a', 60_000, failure);
    events().submitWhenWindowEndsRequested('a');
    expect(item('a').submitWhenWindowEnds).toBe(true);
    events().uploadCancelled('a');
    expect(item('a')).toMatchObject({ state: 'cancelled', progress: null, retryAt: null, submitWhenWindowEnds: false });
  });
});

describe('duplicates, retries and edits', () => {
  it('holds a duplicate until its window ends, and offers "submit when the window ends" only for a duplicate', () => {
    const { events, item } = queue(['a', SHA], ['b', SHA]);
    events().uploadStarted('a', 2_000);
    events().duplicateDetected('a', 62_000, failure);
    expect(item('a')).toMatchObject({ state: 'duplicate', dedupUntil: 62_000, error: failure, progress: null, retryAt: null });
    events().submitWhenWindowEndsRequested('b');
    expect(item('b').submitWhenWindowEnds).toBe(false);
  });

  it('"Retry now" restarts a failed, cancelled, retrying, duplicate or waiting upload, and nothing else', () => {
    const { events, item } = queue(['failed', SHA], ['unhashed'], ['up', SHA], ['done', SHA]);
    events().uploadFailed('failed', failure);
    events().retryScheduled('failed', 'x', 1, { countsAsFailure: true, mayHaveReachedServer: false, error: failure });
    events().uploadFailed('failed', failure);
    events().retryNowRequested('failed');
    expect(item('failed')).toMatchObject({ state: 'waiting', retryAt: null, failures: 0, error: null, dedupUntil: null, submitWhenWindowEnds: false });
    events().uploadCancelled('unhashed');
    events().retryNowRequested('unhashed');
    expect(item('unhashed').state).toBe('hashing');
    events().uploadStarted('up', 2_000);
    events().retryNowRequested('up');
    expect(item('up')).toMatchObject({ state: 'uploading', attempts: 1 });
    events().uploadAccepted('done', job('job_done', 'queued'), 2_000, false);
    events().retryNowRequested('done');
    expect(item('done').state).toBe('accepted');
    for (const state of ['retrying', 'duplicate'] as const) {
      const { events: more, item: one } = queue(['x', SHA]);
      if (state === 'retrying') more().retryScheduled('x', 'r', 9, { countsAsFailure: true, mayHaveReachedServer: false, error: failure });
      else more().duplicateDetected('x', 9, failure);
      more().retryNowRequested('x');
      expect(one('x'), state).toMatchObject({ state: 'waiting', failures: 0 });
    }
  });

  it('edits the metadata or parameters of a duplicate, failed or cancelled upload and sends it again, and of nothing else', () => {
    const { events, item } = queue(['dup', SHA], ['failed'], ['waiting', SHA], ['cancelled', SHA]);
    events().duplicateDetected('dup', 62_000, failure);
    events().submitWhenWindowEndsRequested('dup');
    events().metadataEdited('dup', { ticket: 'SUP-2' });
    expect(item('dup')).toMatchObject({ metadata: { ticket: 'SUP-2' }, state: 'waiting', dedupUntil: null, error: null, submitWhenWindowEnds: false, failures: 0 });

    events().uploadFailed('failed', failure);
    events().uploadEdited('failed', { language: 'fr-FR' });
    expect(item('failed')).toMatchObject({ language: 'fr-FR', state: 'hashing', error: null, retryAt: null, failures: 0 });

    events().uploadCancelled('cancelled');
    events().metadataEdited('cancelled', { ticket: 'SUP-3' });
    expect(item('cancelled')).toMatchObject({ state: 'waiting', metadata: { ticket: 'SUP-3' } });
    events().uploadCancelled('cancelled');
    events().uploadEdited('cancelled', { pipeline: 'full-analysis' });
    expect(item('cancelled')).toMatchObject({ state: 'waiting', pipeline: 'full-analysis' });

    events().metadataEdited('waiting', { ticket: 'other' });
    events().uploadEdited('waiting', { language: 'de-DE' });
    expect(item('waiting')).toMatchObject({ metadata: { ticket: 'waiting' }, language: 'en-US' });
  });
});

describe('interruptions and reloads', () => {
  it('puts an upload cut off by the console back in the queue, marking only one that was sending', () => {
    const { events, item } = queue(['sending', SHA], ['queued', SHA], ['failed', SHA]);
    events().uploadStarted('sending', 2_000);
    events().uploadInterrupted('sending', 'endpoint changed');
    expect(item('sending')).toMatchObject({ state: 'waiting', retryReason: 'endpoint changed', progress: null, mayHaveReachedServer: true });
    events().uploadInterrupted('queued', 'endpoint changed');
    expect(item('queued')).toMatchObject({ state: 'waiting', retryReason: 'endpoint changed', mayHaveReachedServer: false });
    events().uploadFailed('failed', failure);
    events().uploadInterrupted('failed', 'endpoint changed');
    expect(item('failed')).toMatchObject({ state: 'failed', retryReason: null });
  });

  it('after a reload, an upload that was sending may have landed, and hashing starts over', () => {
    const { events, item } = queue(['sending', SHA], ['hashing'], ['queued', SHA]);
    events().uploadStarted('sending', 2_000);
    events().hashProgressed('hashing', 7);
    events().sessionRestored();
    expect(item('sending')).toMatchObject({ state: 'waiting', progress: null, mayHaveReachedServer: true, retryReason: 'reloaded' });
    expect(item('hashing')).toMatchObject({ state: 'hashing', hashedBytes: 0 });
    expect(item('queued')).toMatchObject({ state: 'waiting', mayHaveReachedServer: false, retryReason: null });
  });

  it('an upload sent before its hash was known goes back to hashing, not waiting, however it comes back to the queue', () => {
    const { events, item } = queue(['cut'], ['reloaded'], ['refused'], ['retried']);
    for (const id of ['cut', 'reloaded', 'refused', 'retried']) events().uploadStarted(id, 2_000);
    events().uploadInterrupted('cut', 'duplicate-found');
    expect(item('cut')).toMatchObject({ state: 'hashing', sha256: null, mayHaveReachedServer: true, retryReason: 'duplicate-found' });
    events().hashProgressed('reloaded', 7);
    events().sessionRestored();
    expect(item('reloaded')).toMatchObject({ state: 'hashing', hashedBytes: 0, mayHaveReachedServer: true, retryReason: 'reloaded' });
    events().returnedToQueue('refused', 'concurrent_jobs_exceeded');
    expect(item('refused')).toMatchObject({ state: 'hashing', retryReason: 'concurrent_jobs_exceeded' });
    events().retryScheduled('retried', 'internal_error', 9_000, { countsAsFailure: true, mayHaveReachedServer: true, error: failure });
    events().retryNowRequested('retried');
    expect(item('retried')).toMatchObject({ state: 'hashing', mayHaveReachedServer: true });
    events().hashComputed('retried', SHA);
    expect(item('retried')).toMatchObject({ state: 'waiting', sha256: SHA });
  });

  it('removes an upload from the queue', () => {
    const { events, store } = queue(['a', SHA], ['b', SHA]);
    events().uploadRemoved('a');
    expect(store.getState().items.map((entry) => entry.id)).toEqual(['b']);
  });
});

describe('accepted jobs as polling sees them', () => {
  it('follows status, progress and the processing error, and leaves the state alone when nothing changed', () => {
    const { events, item, store } = queue(['a', SHA], ['b', SHA]);
    events().uploadAccepted('a', job('job_a', 'queued'), 2_000, false);
    const before = store.getState();
    events().acceptedJobsObserved([job('job_a', 'queued'), job('job_other', 'processing', { progress: 0.5 })]);
    expect(store.getState()).toBe(before);
    events().acceptedJobsObserved([job('job_a', 'processing', { progress: 0.5 })]);
    expect(item('a')).toMatchObject({ jobStatus: 'processing', jobProgress: 0.5, jobError: null });
    events().acceptedJobsObserved([job('job_a', 'failed', { progress: 0.5, error: { code: 'unsupported_media_type', message: 'could not decode', status: 415 } })]);
    expect(item('a')).toMatchObject({ jobStatus: 'failed', jobError: { code: 'unsupported_media_type', message: 'could not decode' } });
    expect(item('b').jobStatus).toBeNull();
    events().acceptedJobLost('job_a');
    expect(item('a').jobStatus).toBe('unknown');
    expect(item('b').jobStatus).toBeNull();
  });
});

describe('blobStore', () => {
  it('lists the ids of queued files only, not other keys in the database', async () => {
    await blobStore.put('x1', new Blob(['x']));
    await set('something-else', 'y');
    await set(42, 'z');
    const ids = await blobStore.ids();
    expect(ids).toContain('x1');
    expect(ids).not.toContain('something-else');
    expect(ids.every((id) => typeof id === 'string' && !id.startsWith('novapulse.'))).toBe(true);
    await blobStore.remove('x1');
    expect(await blobStore.get('x1')).toBeUndefined();
  });
});
