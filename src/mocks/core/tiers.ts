/** The contract's tier table; only the simulator reads it (the console reads GET /v1/account). */
export const TIERS = {
  starter: { requestsPerMinute: 60, concurrentJobs: 2, includedAudioSeconds: 10 * 3600 },
  growth: { requestsPerMinute: 120, concurrentJobs: 5, includedAudioSeconds: 100 * 3600 },
  enterprise: { requestsPerMinute: 600, concurrentJobs: 20, includedAudioSeconds: 1000 * 3600 },
} as const;

export type Tier = keyof typeof TIERS;
export const TIER_NAMES = Object.keys(TIERS) as Tier[];

export const MAX_FILE_BYTES = 524_288_000;
export const DEDUP_WINDOW_MS = 60_000;
export const RATE_WINDOW_MS = 60_000;
export const MAX_METADATA_BYTES = 16 * 1024;
export const MAX_IDS = 100;
export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 100;
