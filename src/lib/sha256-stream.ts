import { createSHA256 } from 'hash-wasm';

export const HASH_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * SHA-256 of a Blob, read in 4 MiB slices so that a 500 MB file never sits
 * in memory as one ArrayBuffer.
 */
export async function sha256OfBlob(blob: Blob, onProgress?: (hashedBytes: number) => void): Promise<string> {
  const hasher = await createSHA256();
  hasher.init();
  for (let offset = 0; offset < blob.size; offset += HASH_CHUNK_BYTES) {
    const chunk = new Uint8Array(await blob.slice(offset, offset + HASH_CHUNK_BYTES).arrayBuffer());
    hasher.update(chunk);
    onProgress?.(Math.min(blob.size, offset + chunk.length));
  }
  return hasher.digest('hex');
}
