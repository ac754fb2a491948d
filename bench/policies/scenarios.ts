import type { RandomSource } from '../../src/lib/random';
import type { Faults } from '../../src/mocks/core/simulator';
import type { WireRequest } from './wire';

/** What happens to the account at a moment of the run, the same moment for every policy. */
export type ScenarioEvent =
  | { atMs: number; kind: 'faults'; faults: Partial<Faults> & { maintenanceSeconds?: number } }
  /** The key the client holds stops working (expired), as on NovaPulse. */
  | { atMs: number; kind: 'key-expires' }
  /** The operator pastes a new key, as a person at the console would a minute later. */
  | { atMs: number; kind: 'new-key' };

export interface Scenario {
  name: string;
  /**
   * The account: an enterprise one (20 jobs at once, 600 requests a minute) unless the scenario is about a limit, so
   * that each scenario measures its own fault rather than the starter tier's 2 slots.
   */
  tier?: 'starter' | 'growth' | 'enterprise';
  description: string;
  uploads: number;
  /** Of the uploads, how many are over the contract's 500 MB limit (501 MB). */
  oversized: number;
  /** Faults in force from the start. */
  faults?: Partial<Faults>;
  events?: ScenarioEvent[];
  /** Decides, per request in the order requests reach the server, whether a fault is forced on it (seeded). */
  faultSchedule?: (request: WireRequest, draw: RandomSource) => Faults['forced'];
  seed: number;
}

const TEN_PERCENT_500S = (request: WireRequest, draw: RandomSource): Faults['forced'] => {
  if (draw() >= 0.1) return [];
  // Half of the upload 500s come after the job was created: the client cannot tell those from the rest.
  const afterAccept = request.method === 'POST' && draw() < 0.5;
  return [{ endpoint: '*', code: 'internal_error', remaining: 1, ...(afterAccept ? { endpoint: 'POST /v1/jobs', phase: 'after-accept' as const } : {}) }];
};

export const SCENARIOS: Scenario[] = [
  { name: 'rate-limit-60', description: '20 uploads on a 60/min key', uploads: 20, oversized: 0, faults: { rateLimit: 60 }, seed: 101 },
  {
    name: 'maintenance-90s',
    description: 'a 90 s maintenance window (503, Retry-After) 3 s into the batch',
    uploads: 20,
    oversized: 0,
    events: [{ atMs: 3_000, kind: 'faults', faults: { maintenanceSeconds: 90, maintenanceRetryAfter: 'seconds' } }],
    seed: 102,
  },
  { name: 'concurrency-2', description: 'a concurrency cap of 2 with 10 uploads', uploads: 10, oversized: 0, faults: { concurrentJobs: 2 }, seed: 103 },
  {
    name: 'flaky-500s',
    description: '10 % of requests answered 500, half of the uploads’ after the job was created',
    uploads: 20,
    oversized: 0,
    faultSchedule: TEN_PERCENT_500S,
    seed: 104,
  },
  {
    name: 'key-expires',
    description: 'the key expires 1 s into the batch; a new one is pasted at 60 s',
    uploads: 20,
    oversized: 0,
    events: [
      { atMs: 1_000, kind: 'key-expires' },
      { atMs: 60_000, kind: 'new-key' },
    ],
    seed: 105,
  },
  { name: 'oversized', description: '5 files over the 500 MB limit among 20', uploads: 20, oversized: 5, seed: 106 },
  { name: 'headers-hidden', description: '20 uploads on a 60/min key, its headers hidden by CORS', uploads: 20, oversized: 0, faults: { rateLimit: 60, headersHidden: true }, seed: 107 },
];
