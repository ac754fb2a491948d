/// <reference lib="webworker" />
import { sha256Fastest } from '../../lib/sha256-fastest';

interface HashRequest {
  id: number;
  blob: Blob;
}

// Hashing runs here so a 500 MB file never blocks the page.
self.onmessage = async (event: MessageEvent<HashRequest>) => {
  const { id, blob } = event.data;
  try {
    const platform = { deviceMemoryGb: (self.navigator as { deviceMemory?: number } | undefined)?.deviceMemory, subtle: typeof crypto !== 'undefined' && crypto.subtle !== undefined };
    const sha256 = await sha256Fastest(blob, (hashedBytes) => self.postMessage({ id, kind: 'progress', hashedBytes }), platform);
    self.postMessage({ id, kind: 'done', sha256 });
  } catch (error) {
    self.postMessage({ id, kind: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
