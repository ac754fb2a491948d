// The hashing page of bench/browser.ts: the console's own hasher (createFileHasher with its defaults, as
// src/app/console-services.ts makes it: the Web Worker) beside a one-shot crypto.subtle.digest, on the file picked in
// this page's input (a disk-backed File, as a person's pick is).
import { createFileHasher } from '../../src/features/upload/hash-file';

export interface HashingFigures {
  sha256: string;
  ms: number;
  /** Main-thread tasks over 50 ms (the Long Tasks API reports no shorter ones) while hashing. */
  longTasksMs: number[];
  /** This page's JavaScript heap before and after (performance.memory; precise with --enable-precise-memory-info). */
  heapBefore: number | null;
  heapAfter: number | null;
}

export interface BareUpload {
  status: number;
  ms: number;
}

declare global {
  interface Window {
    benchHashing: { console: () => Promise<HashingFigures>; digest: () => Promise<HashingFigures> };
    /** The browser's own floor for an upload: one bare XMLHttpRequest of the picked file, the parts the console sends. */
    benchUpload: (url: string, key: string) => Promise<BareUpload>;
  }
}

const longTasks: PerformanceEntry[] = [];
new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });

const hashFile = createFileHasher();
// The console warms its hasher ahead of the first file (the worker's script and WebAssembly); so does this page.
hashFile.warm?.();

const heap = () => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null;

function pickedFile(): File {
  const file = document.querySelector('input')?.files?.[0];
  if (!file) throw new Error('no file picked');
  return file;
}

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');

async function measure(hash: (file: File) => Promise<string>): Promise<HashingFigures> {
  const file = pickedFile();
  const heapBefore = heap();
  const started = performance.now();
  const sha256 = await hash(file);
  const ms = performance.now() - started;
  const heapAfter = heap();
  // Long-task entries arrive after the task: give the observer a moment.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const during = longTasks.filter((task) => task.startTime + task.duration >= started && task.startTime <= started + ms);
  return { sha256, ms, longTasksMs: during.map((task) => task.duration), heapBefore, heapAfter };
}

window.benchHashing = {
  console: () => measure((file) => hashFile(file, () => undefined)),
  digest: () => measure(async (file) => hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()))),
};
window.benchUpload = (url, key) =>
  new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('file', pickedFile());
    form.append('pipeline', 'transcription');
    form.append('language', 'en-US');
    const xhr = new XMLHttpRequest();
    const started = performance.now();
    xhr.open('POST', url);
    xhr.setRequestHeader('Authorization', `Bearer ${key}`);
    xhr.onload = () => resolve({ status: xhr.status, ms: performance.now() - started });
    xhr.onerror = () => reject(new Error('the bare upload failed on the network'));
    xhr.send(form);
  });
document.body.dataset.ready = 'true';
