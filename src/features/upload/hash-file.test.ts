import { createFileHasher, type HashWorker } from './hash-file';

// SHA-256 of the three bytes "abc" (FIPS 180-2, appendix B.1).
const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

class ScriptedWorker implements HashWorker {
  onmessage: HashWorker['onmessage'] = null;
  onerror: HashWorker['onerror'] = null;
  onmessageerror: HashWorker['onmessageerror'] = null;
  posted: number[] = [];
  terminated = false;
  constructor(private readonly behaviour: 'answer' | 'fail-to-load' | 'crash-after-progress' | 'silent') {}
  postMessage(message: { id: number; blob: Blob }) {
    this.posted.push(message.id);
    queueMicrotask(() => {
      if (this.behaviour === 'answer') this.onmessage?.(new MessageEvent('message', { data: { id: message.id, kind: 'done', sha256: 'from-worker' } }));
      if (this.behaviour === 'fail-to-load') this.onerror?.(new Event('error'));
      if (this.behaviour === 'crash-after-progress') {
        this.onmessage?.(new MessageEvent('message', { data: { id: message.id, kind: 'progress', hashedBytes: 1 } }));
        this.onerror?.(new Event('error'));
      }
    });
  }
  terminate() {
    this.terminated = true;
  }
}

const abc = () => new Blob([new TextEncoder().encode('abc')]);

describe('file hasher', () => {
  it('a worker that failed to load while offline is made again once online; one that failed online is not', async () => {
    let online = false;
    let made = 0;
    const hash = createFileHasher({
      createWorker: () => {
        made += 1;
        return new ScriptedWorker(online ? 'answer' : 'fail-to-load');
      },
      hashInPage: async () => 'from-page',
      isOnline: () => online,
    });
    await expect(hash(abc(), () => {})).resolves.toBe('from-page');
    expect(made).toBe(1);
    online = true;
    await expect(hash(abc(), () => {})).resolves.toBe('from-worker');
    expect(made).toBe(2);
  });

  it('warm() makes the worker ahead of the first file, once: the first file does not fetch it (it may come offline)', async () => {
    let made = 0;
    const worker = new ScriptedWorker('answer');
    const hash = createFileHasher({
      createWorker: () => {
        made += 1;
        return worker;
      },
    });
    expect(made).toBe(0);
    hash.warm?.();
    expect(made).toBe(1);
    hash.warm?.();
    await expect(hash(abc(), () => {})).resolves.toBe('from-worker');
    expect(made).toBe(1);
  });

  it('hashes in the worker when the worker answers', async () => {
    const worker = new ScriptedWorker('answer');
    const hash = createFileHasher({ createWorker: () => worker });
    await expect(hash(abc(), () => {})).resolves.toBe('from-worker');
    expect(worker.posted).toHaveLength(1);
  });

  it('a worker that fails to load: this file and every later one are hashed on the page (finding 7)', async () => {
    let made = 0;
    const worker = new ScriptedWorker('fail-to-load');
    const hash = createFileHasher({
      createWorker: () => {
        made += 1;
        return worker;
      },
    });
    await expect(hash(abc(), () => {})).resolves.toBe(ABC_SHA256);
    await expect(hash(abc(), () => {})).resolves.toBe(ABC_SHA256);
    expect(made).toBe(1);
    expect(worker.posted).toHaveLength(1);
    expect(worker.terminated).toBe(true);
  });

  it('a worker that crashes mid-file: the file is hashed on the page', async () => {
    const hash = createFileHasher({ createWorker: () => new ScriptedWorker('crash-after-progress') });
    await expect(hash(abc(), () => {})).resolves.toBe(ABC_SHA256);
  });

  it('a worker that goes silent is taken for dead after the silence timeout', async () => {
    vi.useFakeTimers();
    try {
      const worker = new ScriptedWorker('silent');
      const hash = createFileHasher({ createWorker: () => worker, silenceTimeoutMs: 30_000 });
      let result: string | null = null;
      void hash(abc(), () => {}).then((sha) => {
        result = sha;
      });
      await vi.advanceTimersByTimeAsync(29_999);
      expect(result).toBeNull();
      await vi.advanceTimersByTimeAsync(1);
      await vi.waitFor(() => expect(result).toBe(ABC_SHA256));
      expect(worker.terminated).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a worker that cannot even be constructed: hashed on the page', async () => {
    const hash = createFileHasher({
      createWorker: () => {
        throw new Error('blocked by CSP');
      },
    });
    await expect(hash(abc(), () => {})).resolves.toBe(ABC_SHA256);
  });
});
