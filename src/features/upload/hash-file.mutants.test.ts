import { createFileHasher, type HashFile, type HashWorker } from './hash-file';

// Written against survivors of the mutation run (docs/mutation-testing.md).

/** A worker the test drives by hand: it answers only when told. */
class ManualWorker implements HashWorker {
  onmessage: HashWorker['onmessage'] = null;
  onerror: HashWorker['onerror'] = null;
  onmessageerror: HashWorker['onmessageerror'] = null;
  posted: { id: number; blob: Blob }[] = [];
  terminated = false;
  postMessage(message: { id: number; blob: Blob }) {
    this.posted.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  send(data: unknown) {
    this.onmessage?.(new MessageEvent('message', { data }) as never);
  }
}

function manualTimers() {
  let nextHandle = 0;
  const armed = new Map<number, { fn: () => void; ms: number }>();
  return {
    armed,
    timers: {
      set: (fn: () => void, ms: number) => {
        armed.set(++nextHandle, { fn, ms });
        return nextHandle;
      },
      clear: (handle: unknown) => {
        armed.delete(handle as number);
      },
    },
    fireAll() {
      for (const [handle, { fn }] of [...armed]) {
        armed.delete(handle);
        fn();
      }
    },
  };
}

const inPage: HashFile = async (blob) => `in-page:${await blob.text()}`;

describe('file hasher, message by message', () => {
  it('routes answers by id, one worker for every file, and passes progress on', async () => {
    const worker = new ManualWorker();
    let made = 0;
    const hash = createFileHasher({
      createWorker: () => {
        made += 1;
        return worker;
      },
      hashInPage: inPage,
      timers: manualTimers().timers,
    });
    const progress: number[] = [];
    const first = hash(new Blob(['one']), (bytes) => progress.push(bytes));
    const second = hash(new Blob(['two']), () => {});
    expect(made).toBe(1);
    const [a, b] = worker.posted;
    worker.send({ id: a?.id, kind: 'progress', hashedBytes: 2 });
    worker.send({ id: b?.id, kind: 'done', sha256: 'sha-two' });
    worker.send({ id: a?.id, kind: 'done', sha256: 'sha-one' });
    expect(await first).toBe('sha-one');
    expect(await second).toBe('sha-two');
    expect(progress).toEqual([2]);
  });

  it('rejects with the worker’s message when it reports an error, and ignores answers for no file', async () => {
    const worker = new ManualWorker();
    const hash = createFileHasher({ createWorker: () => worker, hashInPage: inPage, timers: manualTimers().timers });
    const pending = hash(new Blob(['x']), () => {});
    worker.send({ id: 999, kind: 'done', sha256: 'stray' });
    worker.send({ id: worker.posted[0]?.id, kind: 'error', message: 'could not read the file' });
    await expect(pending).rejects.toThrow('could not read the file');
    expect(worker.terminated).toBe(false);
  });

  it('arms the silence watchdog at 30 s by default, re-arms it on progress, and disarms it on the answer', async () => {
    const worker = new ManualWorker();
    const clock = manualTimers();
    const hash = createFileHasher({ createWorker: () => worker, hashInPage: inPage, timers: clock.timers });
    const pending = hash(new Blob(['x']), () => {});
    expect([...clock.armed.values()].map((timer) => timer.ms)).toEqual([30_000]);
    worker.send({ id: worker.posted[0]?.id, kind: 'progress', hashedBytes: 1 });
    expect(clock.armed.size).toBe(1);
    worker.send({ id: worker.posted[0]?.id, kind: 'done', sha256: 'ok' });
    expect(await pending).toBe('ok');
    expect(clock.armed.size).toBe(0);
  });

  it('hashes on the page what a silent worker held, and every later file, without a new worker', async () => {
    const worker = new ManualWorker();
    let made = 0;
    const clock = manualTimers();
    const hash = createFileHasher({
      createWorker: () => {
        made += 1;
        return worker;
      },
      hashInPage: inPage,
      timers: clock.timers,
    });
    const held = hash(new Blob(['held']), () => {});
    clock.fireAll();
    expect(await held).toBe('in-page:held');
    expect(worker.terminated).toBe(true);
    expect(await hash(new Blob(['later']), () => {})).toBe('in-page:later');
    expect(made).toBe(1);
    expect(worker.posted).toHaveLength(1);
  });

  it('takes a worker whose message cannot be read, or that cannot be posted to, for dead', async () => {
    const unreadable = new ManualWorker();
    const first = createFileHasher({ createWorker: () => unreadable, hashInPage: inPage, timers: manualTimers().timers });
    const pending = first(new Blob(['a']), () => {});
    unreadable.onmessageerror?.(new MessageEvent('messageerror'));
    expect(await pending).toBe('in-page:a');

    const refusing = new ManualWorker();
    refusing.postMessage = () => {
      throw new DOMException('could not clone', 'DataCloneError');
    };
    const second = createFileHasher({ createWorker: () => refusing, hashInPage: inPage, timers: manualTimers().timers });
    expect(await second(new Blob(['b']), () => {})).toBe('in-page:b');
    expect(refusing.terminated).toBe(true);
  });

  it('hashes on the page where there is no worker at all', async () => {
    const hash = createFileHasher({ createWorker: null, hashInPage: inPage });
    expect(await hash(new Blob(['c']), () => {})).toBe('in-page:c');
  });
});
