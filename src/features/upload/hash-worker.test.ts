import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

// The worker's own wiring, loaded with a stand-in for the worker global: what it posts back for one file.
const fixture = readFileSync(new URL('../../../e2e/fixtures/audio/call-0412.mp3', import.meta.url));

async function loadWorker(deviceMemory: number | undefined) {
  const posted: unknown[] = [];
  const workerSelf: { onmessage: ((event: { data: { id: number; blob: Blob } }) => Promise<void>) | null; navigator: { deviceMemory?: number }; postMessage: (message: unknown) => void } = {
    onmessage: null,
    navigator: { deviceMemory },
    postMessage: (message) => posted.push(message),
  };
  vi.stubGlobal('self', workerSelf);
  vi.resetModules();
  await import('./hash-worker');
  return { workerSelf, posted };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('hash worker', () => {
  it('hashes a file in one piece where memory allows and answers with its digest', async () => {
    const { workerSelf, posted } = await loadWorker(8);
    await workerSelf.onmessage?.({ data: { id: 7, blob: new Blob([fixture]) } });
    expect(posted).toEqual([
      { id: 7, kind: 'progress', hashedBytes: 0 },
      { id: 7, kind: 'progress', hashedBytes: fixture.length },
      { id: 7, kind: 'done', sha256: createHash('sha256').update(fixture).digest('hex') },
    ]);
  });

  it('answers with an error, not silence, when the file cannot be read at all', async () => {
    const { workerSelf, posted } = await loadWorker(8);
    class Unreadable extends Blob {
      override arrayBuffer(): Promise<ArrayBuffer> {
        return Promise.reject(new DOMException('The file could not be read', 'NotReadableError'));
      }
      override slice(): Blob {
        return new Unreadable();
      }
    }
    await workerSelf.onmessage?.({ data: { id: 3, blob: new Unreadable([fixture]) } });
    expect(posted.at(-1)).toEqual({ id: 3, kind: 'error', message: 'The file could not be read' });
  });
});
