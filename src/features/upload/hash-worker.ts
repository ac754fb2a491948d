/// <reference lib="webworker" />
import { sha256OfBlob } from '../../lib/sha256-stream';

interface HashRequest {
  id: number;
  blob: Blob;
}

// Hashing runs here so a 500 MB file never blocks the page.
self.onmessage = async (event: MessageEvent<HashRequest>) => {
  const { id, blob } = event.data;
  try {
    const sha256 = await sha256OfBlob(blob, (hashedBytes) => self.postMessage({ id, kind: 'progress', hashedBytes }));
    self.postMessage({ id, kind: 'done', sha256 });
  } catch (error) {
    self.postMessage({ id, kind: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
