import { sha256OfBlob } from './sha256-stream';

/**
 * The largest file hashed in one piece. A one-shot digest holds the file twice (the read, and WebCrypto's copy of
 * its input: 405 MB of heap for a 200 MB file, issue 16), so past this the file is hashed in 4 MiB slices, a third
 * as fast but in constant memory.
 */
export const ONE_SHOT_MAX_BYTES = 256 * 1024 * 1024;
/**
 * Where the browser does not say (`navigator.deviceMemory` is Chromium's), the device is taken for a 2 GB one:
 * Safari on a phone ends a tab long before a desktop runs short.
 */
const ASSUMED_DEVICE_MEMORY_GB = 2;
/** The two copies of a one-shot digest stay within an eighth of the device's memory. */
const SHARE_OF_DEVICE_MEMORY_PER_COPY = 1 / 16;

export type HashPath = 'one-shot' | 'stream';

export interface HashPlatform {
  /** `navigator.deviceMemory`: gigabytes, rounded down to a power of two and capped (Chromium); absent in Firefox and Safari. */
  deviceMemoryGb?: number;
  /** Whether `crypto.subtle` exists: only in secure contexts (HTTPS, localhost), so not for a console served over plain HTTP. */
  subtle: boolean;
}

export function hashPathFor(sizeBytes: number, platform: HashPlatform): HashPath {
  if (!platform.subtle) return 'stream';
  const reported = platform.deviceMemoryGb;
  const memoryGb = reported !== undefined && Number.isFinite(reported) && reported > 0 ? reported : ASSUMED_DEVICE_MEMORY_GB;
  const limit = Math.min(ONE_SHOT_MAX_BYTES, memoryGb * 1024 ** 3 * SHARE_OF_DEVICE_MEMORY_PER_COPY);
  return sizeBytes <= limit ? 'one-shot' : 'stream';
}

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 of a Blob read whole: one progress report before (nothing hashed yet) and one when done. */
export async function sha256OneShot(blob: Blob, onProgress?: (hashedBytes: number) => void): Promise<string> {
  onProgress?.(0);
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  onProgress?.(blob.size);
  return hex(digest);
}

/**
 * SHA-256 of a Blob by the fastest path the platform allows: one-shot where memory allows, in slices otherwise,
 * and in slices after all when the one-shot read or digest fails (a browser short of memory refuses the read).
 */
export async function sha256Fastest(blob: Blob, onProgress: (hashedBytes: number) => void, platform: HashPlatform): Promise<string> {
  if (hashPathFor(blob.size, platform) === 'one-shot') {
    try {
      return await sha256OneShot(blob, onProgress);
    } catch {
      // Falls through to the sliced read, which needs 4 MiB at a time.
    }
  }
  return sha256OfBlob(blob, onProgress);
}
