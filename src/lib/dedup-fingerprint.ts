/**
 * What NovaPulse's 60-second deduplication compares: the file's SHA-256, the
 * pipeline, the language and the metadata (key order does not matter).
 */
export function dedupFingerprint(sha256: string, pipeline: string, language: string, metadata: Record<string, string>): string {
  const canonicalMetadata = JSON.stringify(Object.keys(metadata).sort().map((key) => [key, metadata[key]]));
  return `${sha256}|${pipeline}|${language}|${canonicalMetadata}`;
}
