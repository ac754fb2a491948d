import type { SimFormValue } from '../../src/mocks/core/simulator';
import type { BenchFile, Policy, PolicyContext, PolicyRun } from './policy';
import type { WireRequest } from './wire';

/**
 * What operators would use instead of the console, written from each one's own documentation, on the same wire.
 * Each uploads with its own retry rule and then watches its jobs the way such a client does: one GET per job per
 * second until the job is completed or failed (a failed poll simply waits for the next second).
 */

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Outcome = { kind: 'accepted'; jobId: string } | { kind: 'given-up' };

/** One try's answer, its body already read. */
interface Answer {
  status: number;
  ok: boolean;
  retryAfter: string | null;
  jobId: string | null;
}
type Send = (file: BenchFile) => Promise<Answer>;

interface BaselineRule {
  /** How many uploads run at once (Infinity: all of them). */
  concurrency: number;
  /** One file's upload with the rule's retries. */
  upload(send: Send, file: BenchFile): Promise<Outcome>;
}

async function jobOf(response: Response): Promise<{ id?: string; status?: string } | null> {
  try {
    const body = (await response.json()) as { job?: { id?: string; status?: string } };
    return body.job ?? null;
  } catch {
    return null;
  }
}

function accepted(answer: Answer): Outcome | null {
  return answer.ok && answer.jobId ? { kind: 'accepted', jobId: answer.jobId } : null;
}

/**
 * TanStack Query's defaults, the retryer of a `useMutation`/`useQuery` left as shipped (the reading: 3 retries,
 * `min(1000 * 2 ** failureCount, 30000)` ms, every error retried, no Retry-After). Every file is mutated at once.
 */
const TANSTACK: BaselineRule = {
  concurrency: Number.POSITIVE_INFINITY,
  async upload(send, file) {
    for (let failureCount = 0; ; failureCount++) {
      const outcome = accepted(await send(file));
      if (outcome) return outcome;
      if (failureCount >= 3) return { kind: 'given-up' };
      await sleep(Math.min(1000 * 2 ** failureCount, 30_000));
    }
  },
};

/**
 * Uppy's XHR upload defaults: 5 files at a time (`limit`), and @uppy/utils' fetcher: 3 retries after
 * 300, 600, 1200 ms (`0.3 * 2 ** attempt` s), `shouldRetry` true for every non-2xx.
 */
const UPPY: BaselineRule = {
  concurrency: 5,
  async upload(send, file) {
    for (let retryCount = 0; ; retryCount++) {
      const outcome = accepted(await send(file));
      if (outcome) return outcome;
      if (retryCount >= 3) return { kind: 'given-up' };
      await sleep(0.3 * 2 ** retryCount * 1000);
    }
  },
};

/**
 * The seed's retry snippet (error-codes.md, "Retry guidance"), one file after another: 4 attempts; on 429 sleep
 * `int(Retry-After)` (or the current delay when the header is missing) and double; on 5xx sleep the delay and double;
 * anything else is returned as it is.
 */
const SEED_SNIPPET: BaselineRule = {
  concurrency: 1,
  async upload(send, file) {
    let delaySeconds = 1;
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await send(file);
      if (response.status === 429) {
        const header = response.retryAfter;
        await sleep((header === null ? delaySeconds : Number.parseInt(header, 10)) * 1000);
        delaySeconds *= 2;
      } else if (response.status >= 500) {
        await sleep(delaySeconds * 1000);
        delaySeconds *= 2;
      } else {
        return accepted(response) ?? { kind: 'given-up' };
      }
    }
    return { kind: 'given-up' };
  },
};

function baselineRun(context: PolicyContext, rule: BaselineRule): PolicyRun {
  let outstanding = 0;
  let givenUp = 0;
  const watched = new Set<string>();
  let stopped = false;

  // Bodies being read: real work the driver lets finish before time moves, so a seed gives one run.
  let reading = 0;
  const read = async <T>(work: () => Promise<T>): Promise<T> => {
    reading += 1;
    try {
      return await work();
    } finally {
      reading -= 1;
    }
  };

  const send: Send = async (file) => {
    const form = new Map<string, SimFormValue>([
      ['file', file.file],
      ['pipeline', 'transcription'],
    ]);
    const request: WireRequest = { method: 'POST', path: '/v1/jobs', key: context.key(), form };
    const response = await context.wire.send(request);
    const job = await read(() => jobOf(response));
    return { status: response.status, ok: response.ok, retryAfter: response.headers.get('Retry-After'), jobId: job?.id ?? null };
  };

  // One GET per job per second until it is completed or failed.
  const watch = setInterval(() => {
    for (const jobId of watched) {
      void context.wire.send({ method: 'GET', path: `/v1/jobs/${jobId}`, key: context.key() }).then(async (response) => {
        if (!response.ok) return;
        const job = await read(() => jobOf(response));
        if (job?.status === 'completed' || job?.status === 'failed') watched.delete(jobId);
      });
    }
  }, 1_000);

  return {
    async start(files) {
      const pending = [...files];
      outstanding = files.length;
      const worker = async () => {
        for (let file = pending.shift(); file && !stopped; file = pending.shift()) {
          const outcome = await rule.upload(send, file);
          outstanding -= 1;
          if (outcome.kind === 'accepted') watched.add(outcome.jobId);
          else givenUp += 1;
        }
      };
      for (let n = 0; n < Math.min(rule.concurrency, files.length); n++) void worker();
    },
    settled: () => outstanding === 0 && watched.size === 0,
    givenUp: () => givenUp,
    refusedBeforeSending: () => 0,
    keyProvided: () => undefined,
    busy: () => reading > 0,
    stop() {
      stopped = true;
      clearInterval(watch);
    },
  };
}

export const BASELINE_POLICIES: Policy[] = [
  { name: 'TanStack Query defaults', description: 'every file mutated at once; 3 retries, min(1000·2ⁿ, 30000) ms, every error', create: (c) => baselineRun(c, TANSTACK) },
  { name: 'Uppy XHR defaults', description: '5 at a time; 3 retries after 300, 600, 1200 ms, every non-2xx', create: (c) => baselineRun(c, UPPY) },
  { name: "the seed's retry snippet", description: 'one file after another; 4 attempts, Retry-After on 429, doubling on 5xx', create: (c) => baselineRun(c, SEED_SNIPPET) },
];
