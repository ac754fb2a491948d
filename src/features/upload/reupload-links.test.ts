import 'fake-indexeddb/auto';
import { createReuploadLinkStore, isReuploadLink, linksForJob, linksToResolve, type ReuploadLink, watchReuploadLinks } from './reupload-links';
import { createUploadQueueStore } from './upload-queue-store';

const link = (uploadId: string, fromJobId: string, toJobId: string | null = null, at = 1): ReuploadLink => ({ uploadId, fromJobId, pipeline: 'full-analysis', toJobId, at });

describe('links between a job and its re-uploads', () => {
  it('the old job lists its re-uploads newest first; the new job names the old one', () => {
    const links = [link('u1', 'job_old', 'job_a', 1), link('u2', 'job_old', null, 2)];
    const items = [{ id: 'u2', jobId: 'job_b', state: 'accepted' as const }];
    expect(linksForJob('job_old', links, items)).toEqual({
      reuploadedAs: [
        { uploadId: 'u2', jobId: 'job_b', pipeline: 'full-analysis', state: 'accepted' },
        { uploadId: 'u1', jobId: 'job_a', pipeline: 'full-analysis', state: null },
      ],
      reuploadOf: null,
    });
    expect(linksForJob('job_b', links, items)).toEqual({ reuploadedAs: [], reuploadOf: 'job_old' });
    expect(linksForJob('job_a', links, [])).toEqual({ reuploadedAs: [], reuploadOf: 'job_old' });
    expect(linksForJob('job_other', links, items)).toEqual({ reuploadedAs: [], reuploadOf: null });
  });
  it('a queued re-upload not yet accepted shows without a job', () => {
    expect(linksForJob('job_old', [link('u1', 'job_old')], [{ id: 'u1', jobId: null, state: 'waiting' }]).reuploadedAs).toEqual([
      { uploadId: 'u1', jobId: null, pipeline: 'full-analysis', state: 'waiting' },
    ]);
  });
  it('resolves only links whose new job became known', () => {
    const links = [link('u1', 'j1'), link('u2', 'j2'), link('u3', 'j3', 'job_done')];
    expect(linksToResolve(links, [{ id: 'u1', jobId: 'job_new' }, { id: 'u2', jobId: null }])).toEqual([link('u1', 'j1', 'job_new')]);
  });
  it('refuses malformed stored records', () => {
    expect(isReuploadLink(link('u', 'j'))).toBe(true);
    expect(isReuploadLink({ ...link('u', 'j'), pipeline: 'other' })).toBe(false);
    expect(isReuploadLink({ ...link('u', 'j'), toJobId: 3 })).toBe(false);
    expect(isReuploadLink(null)).toBe(false);
  });
  it('records the new job once the queue accepts the upload, and reads it back from IndexedDB', async () => {
    const dbName = 'reupload-links-test';
    const links = createReuploadLinkStore({ dbName });
    const queue = createUploadQueueStore();
    watchReuploadLinks(queue, links);
    await links.put(link('u1', 'job_old'));
    queue.getState().uploadsQueued([{ id: 'u1', fileName: 'a.wav', size: 4, format: 'wav', pipeline: 'full-analysis', language: 'en', metadata: {}, sha256: 'a'.repeat(64) }], 0);
    queue.getState().uploadAccepted('u1', { id: 'job_new', status: 'queued' } as never, 1, false);
    await vi.waitFor(() => expect(links.all()).toEqual([link('u1', 'job_old', 'job_new')]));
    const again = createReuploadLinkStore({ dbName });
    await vi.waitFor(async () => {
      await again.load();
      expect(again.all()).toEqual([link('u1', 'job_old', 'job_new')]);
    });
  });
});
