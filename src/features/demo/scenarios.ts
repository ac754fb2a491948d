import type { JobFailureCode } from '../../errors/catalogue';
/** What a scenario asks of the simulator's control API (demo builds only; never sent by a production console). */
export interface SimControl {
  setFaults(faults: Record<string, unknown>): Promise<void>;
  clearFaults(): Promise<void>;
  expireKey(): Promise<void>;
  resetDemo(): Promise<void>;
}

export interface ScenarioContext {
  /** Jobs queued or processing now, as the account last reported. */
  activeJobs: number;
  /** For "processing failures": the code chosen. */
  failureCode: ProcessingFailureCode;
}

export type ProcessingFailureCode = JobFailureCode;

export interface Scenario {
  id: string;
  label: string;
  /** One line for the presenter: what to point at once it runs. */
  pointAt: string;
  run(control: SimControl, context: ScenarioContext): Promise<void>;
  /** Needs neither a working key nor the account it names: the way back from any state the panel can cause. */
  worksWithAnyKey?: true;
}

/** Every scenario starts from a normal day, so switching from one to another never leaves the last one's faults behind. */
export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'normal',
    label: 'Normal day',
    pointAt: 'Everything answers: uploads go straight through, jobs finish, the gauges sit well inside their limits.',
    run: (control) => control.clearFaults(),
  },
  {
    id: 'rate-limit-storm',
    label: 'Rate-limit storm',
    pointAt: 'The key now allows 12 requests a minute. Watch the requests gauge fill and count down to its reset: polling and lists slow down to leave room, and an upload that meets a 429 waits its Retry-After (see the request log).',
    run: async (control) => {
      await control.clearFaults();
      await control.setFaults({ rateLimit: 12 });
    },
  },
  {
    id: 'maintenance',
    label: 'Maintenance window',
    pointAt: 'For 45 s every request gets 503 with Retry-After. The banner says so and counts down; nothing is sent inside the wait and no upload fails. It all resumes by itself.',
    run: async (control) => {
      await control.clearFaults();
      await control.setFaults({ maintenanceSeconds: 45, maintenanceRetryAfter: 'seconds' });
    },
  },
  {
    id: 'key-expires',
    label: 'Key expires now',
    pointAt: 'The next request gets 401 expired_api_key: the key dialog opens with what to do, and uploads wait, none lost. "Use the demo key" signs in with a fresh key; "Reset demo data" brings back the demo as first seen.',
    run: async (control) => {
      await control.clearFaults();
      await control.expireKey();
    },
  },
  {
    id: 'concurrency-cap',
    label: 'Concurrency cap reached',
    pointAt: 'The account may run only as many jobs as are running now. Queue uploads: they wait for a slot (the queue says so) and go, one by one, as jobs finish; none meets a 429.',
    run: async (control, context) => {
      await control.clearFaults();
      await control.setFaults({ concurrentJobs: Math.max(1, context.activeJobs) });
    },
  },
  {
    id: 'flaky-server',
    label: 'Flaky server',
    pointAt: 'One request in five gets a 500, and some uploads get theirs after the job was created. Each is retried with backoff, and the console looks before re-sending: one job per file, never two.',
    run: async (control) => {
      await control.clearFaults();
      await control.setFaults({
        forced: [
          { endpoint: 'POST /v1/jobs', code: 'internal_error', status: 500, probability: 0.3, phase: 'after-accept' },
          { endpoint: '*', code: 'internal_error', status: 500, probability: 0.2 },
        ],
      });
    },
  },
  {
    id: 'slow-network',
    label: 'Slow network',
    pointAt: 'Uploads crawl at 150 KB/s: the queue shows bytes sent, speed and time left, and other work goes on meanwhile.',
    run: async (control) => {
      await control.clearFaults();
      await control.setFaults({ uploadBytesPerSecond: 150_000 });
    },
  },
  {
    id: 'processing-failures',
    label: 'Processing failures',
    pointAt: 'Every new job fails while processing with the chosen code. Open Failed jobs: the group grows, with the cause, what to do and the one-click action.',
    run: async (control, context) => {
      await control.clearFaults();
      await control.setFaults({ processingFailure: { code: context.failureCode, count: null } });
    },
  },
  {
    id: 'reset',
    label: 'Reset demo data',
    pointAt: 'The demo account as a first visit finds it: its jobs seeded again, no faults, a fresh demo key (the console signs in with it if its own key was refused).',
    run: (control) => control.resetDemo(),
    worksWithAnyKey: true,
  },
];

/** The simulator's control API, at the same origin as the API it simulates. */
export function simControl(apiBase: string, accountId: string | null, fetchImpl: typeof fetch = fetch): SimControl {
  const base = `${apiBase.replace(/\/$/, '')}/__sim`;
  const send = async (method: 'POST' | 'DELETE', path: string, body?: unknown) => {
    const response = await fetchImpl(`${base}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`the simulator answered ${response.status} to ${method} ${path}`);
  };
  const account = () => {
    if (accountId === null) throw new Error('this scenario needs a working key');
    return `/accounts/${encodeURIComponent(accountId)}`;
  };
  return {
    setFaults: (faults) => send('POST', `${account()}/faults`, faults),
    clearFaults: () => send('DELETE', `${account()}/faults`),
    expireKey: () => send('POST', `${account()}/expire-key`),
    resetDemo: () => send('POST', '/demo/reset'),
  };
}
