import { parsePersistedQueue, QUEUE_FORMAT_VERSION, serializeQueue, toPersisted } from './queue-persistence';
import type { UploadItem } from './upload-queue-store';

// Written against survivors of the mutation run (docs/mutation-testing.md).
// The saved queue as text: what is written, and what is read back or refused.

const SHA = 'a'.repeat(64);
const ITEM: UploadItem = {
  id: 'u1',
  fileName: 'call.mp3',
  size: 10,
  format: 'mp3',
  pipeline: 'transcription',
  language: 'en-US',
  metadata: { ticket: 'SUP-1' },
  sha256: SHA,
  hashedBytes: 7,
  state: 'retrying',
  addedAt: 1_000,
  attempts: 2,
  failures: 1,
  mayHaveReachedServer: true,
  firstAttemptAt: 1_500,
  progress: { loaded: 5, total: 10, startedAt: 1_500, updatedAt: 1_600 },
  retryAt: 9_000,
  retryReason: 'server error',
  dedupUntil: null,
  submitWhenWindowEnds: false,
  jobId: null,
  adopted: false,
  acceptedAt: null,
  jobStatus: null,
  jobProgress: 0.3,
  jobError: null,
  error: { code: 'internal_error', status: 500, message: 'boom', requestId: 'req_1', at: 1_700 },
};

const stored = (items: unknown[], version: number = QUEUE_FORMAT_VERSION) => JSON.stringify({ version, items });

describe('serializeQueue', () => {
  it('writes version 2 and every item without its progress', () => {
    const text = serializeQueue([ITEM]);
    expect(QUEUE_FORMAT_VERSION).toBe(2);
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(['version', 'items']);
    expect(parsed.version).toBe(2);
    expect(parsed.items[0]).toEqual(toPersisted(ITEM));
    expect(parsed.items[0]).not.toHaveProperty('progress');
    expect(parsed.items[0]).not.toHaveProperty('hashedBytes');
    expect(parsed.items[0]).not.toHaveProperty('jobProgress');
    expect(serializeQueue([])).toBe('{"version":2,"items":[]}');
  });
});

describe('parsePersistedQueue', () => {
  it('reads nothing stored as an empty queue, and rebuilds progress as none', () => {
    expect(parsePersistedQueue(null)).toEqual({ ok: true, items: [] });
    const read = parsePersistedQueue(serializeQueue([ITEM, { ...ITEM, id: 'u2', sha256: null }]));
    expect(read.ok && read.items[0]).toEqual({ ...ITEM, progress: null, hashedBytes: 10, jobProgress: null });
    expect(read.ok && read.items[1]).toMatchObject({ id: 'u2', hashedBytes: 0, progress: null, jobProgress: null });
  });

  it('reads the version 1 format, and keeps fields it does not know yet', () => {
    const legacy = JSON.stringify({ version: 1, state: { items: [{ ...ITEM, newField: 'kept' }] } });
    const read = parsePersistedQueue(legacy);
    expect(read.ok && read.items.map((item) => item.id)).toEqual(['u1']);
    expect(read.ok && (read.items[0] as unknown as { newField: string }).newField).toBe('kept');
  });

  it('says why a saved queue cannot be read', () => {
    expect(parsePersistedQueue('{not json')).toEqual({ ok: false, problem: 'not JSON' });
    expect(parsePersistedQueue(stored([toPersisted(ITEM)], 3))).toEqual({ ok: false, problem: 'unknown version 3' });
    expect(parsePersistedQueue(JSON.stringify({ version: 2, things: [] }))).toEqual({ ok: false, problem: 'unexpected shape' });
    expect(parsePersistedQueue(JSON.stringify({ version: 1, items: [] }))).toEqual({ ok: false, problem: 'unexpected shape' });
    expect(parsePersistedQueue('"a string"')).toEqual({ ok: false, problem: 'unexpected shape' });
    expect(parsePersistedQueue('null')).toEqual({ ok: false, problem: 'unexpected shape' });
    expect(parsePersistedQueue(JSON.stringify({ version: '2', items: [] }))).toEqual({ ok: false, problem: 'unexpected shape' });
    expect(parsePersistedQueue(stored([toPersisted(ITEM), toPersisted(ITEM)]))).toEqual({ ok: false, problem: 'two uploads with one id' });
  });

  it('refuses an item with a value the queue could not work with', () => {
    const cases: Record<string, Partial<Record<keyof UploadItem, unknown>>> = {
      'empty id': { id: '' },
      'negative size': { size: -1 },
      'fractional attempts': { attempts: 1.5 },
      'negative failures': { failures: -1 },
      'unknown format': { format: 'aac' },
      'unknown pipeline': { pipeline: 'fast' },
      'unknown state': { state: 'paused' },
      'short hash': { sha256: 'abc' },
      'upper-case hash': { sha256: 'A'.repeat(64) },
      'hash with a tail': { sha256: `${SHA}0` },
      'numeric metadata': { metadata: { ticket: 1 } },
      'string flag': { mayHaveReachedServer: 'yes' },
      'unknown job status': { jobStatus: 'paused' },
      'fractional error status': { error: { ...ITEM.error, status: 500.5 } },
      'job error without message': { jobError: { code: 'x' } },
    };
    for (const [name, change] of Object.entries(cases)) {
      expect(parsePersistedQueue(stored([{ ...toPersisted(ITEM), ...change }])), name).toEqual({ ok: false, problem: 'unexpected shape' });
    }
  });

  it('takes every state and job status, and an item saved before firstAttemptAt existed', () => {
    for (const state of ['hashing', 'waiting', 'uploading', 'retrying', 'duplicate', 'accepted', 'failed', 'cancelled']) {
      expect(parsePersistedQueue(stored([{ ...toPersisted(ITEM), state }])).ok, state).toBe(true);
    }
    for (const jobStatus of ['queued', 'processing', 'completed', 'failed', 'unknown', null]) {
      expect(parsePersistedQueue(stored([{ ...toPersisted(ITEM), jobStatus }])).ok, String(jobStatus)).toBe(true);
    }
    for (const format of ['mp3', 'wav', 'm4a', 'flac', 'ogg']) {
      expect(parsePersistedQueue(stored([{ ...toPersisted(ITEM), format }])).ok, format).toBe(true);
    }
    const { firstAttemptAt: _omitted, ...older } = toPersisted(ITEM);
    expect(parsePersistedQueue(stored([older])).ok).toBe(true);
  });
});
