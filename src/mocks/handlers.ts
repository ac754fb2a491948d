import { HttpResponse, http } from 'msw';
import { z } from 'zod';
import { ERROR_CODES } from '../errors/catalogue';
import { DEMO_ACCOUNT_ID, DEMO_API_KEY, seedDemoAccount, workingDemoKey } from './core/demo';
import type { NovaPulseSimulator, SimFormValue, SimResponse } from './core/simulator';
import { TIER_NAMES } from './core/tiers';

// The static demo runs these handlers in the page, under the console's CSP (no eval): without this, zod's first
// object parse probes `new Function` and the browser reports a CSP violation (caught, but noise in every demo).
z.config({ jitless: true });

/** Set by the HTTP host: when the request started arriving, before its body was read. */
export const RECEIVED_AT_HEADER = 'x-sim-received-at';

async function readForm(request: Request): Promise<Map<string, SimFormValue> | null> {
  if (!(request.headers.get('content-type') ?? '').includes('multipart/form-data')) return null;
  try {
    const form = await request.formData();
    const parts = new Map<string, SimFormValue>();
    for (const [name, value] of form.entries()) if (!parts.has(name)) parts.set(name, value as SimFormValue);
    return parts;
  } catch {
    return null;
  }
}

export function toHttpResponse(response: SimResponse): Response {
  if ('rawBody' in response) {
    return new HttpResponse(response.rawBody, { status: response.status, headers: { ...response.headers, 'Content-Type': response.contentType } });
  }
  return HttpResponse.json(response.body as Record<string, unknown>, { status: response.status, headers: response.headers });
}

const createAccountSchema = z.object({
  tier: z.enum(TIER_NAMES as [string, ...string[]]).optional(),
  name: z.string().max(80).optional(),
  seedJobs: z.number().int().min(0).max(20_000).optional(),
  seedActiveJobs: z.number().int().min(0).max(1_000).optional(),
  seedActiveProcessMs: z.tuple([z.number().int().min(0), z.number().int().min(0)]).optional(),
  /** Test-only: the account's own random sequence (faults with a probability, seeded jobs). */
  seed: z.number().int().optional(),
  seedFailedShare: z.number().min(0).max(1).optional(),
  clockOffsetMs: z.number().int().min(-86_400_000).max(86_400_000).optional(),
  timing: z
    .object({ queueMs: z.tuple([z.number(), z.number()]).optional(), processMs: z.tuple([z.number(), z.number()]).optional() })
    .optional(),
  // Test-only hostile text (see ServerText in the simulator).
  serverText: z.object({ jobIdPrefix: z.string().max(200).optional(), errorMessage: z.string().max(2000).optional(), transcriptText: z.string().max(2000).optional() }).optional(),
});

const forcedFaultSchema = z.object({
  endpoint: z.enum(['*', 'GET /v1/account', 'POST /v1/jobs', 'GET /v1/jobs', 'GET /v1/jobs/:id', 'GET /v1/jobs/:id/transcript', 'GET /v1/jobs/:id/insights']),
  code: z.string().optional(),
  status: z.number().int().min(100).max(599).optional(),
  raw: z.enum(['html-502', 'invalid-json', 'wrong-shape']).optional(),
  remaining: z.number().int().min(0).optional(),
  probability: z.number().min(0).max(1).optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
  retryAfterForm: z.enum(['seconds', 'http-date']).optional(),
  phase: z.enum(['before', 'after-accept']).optional(),
});

const faultsSchema = z.object({
  forced: z.array(forcedFaultSchema).optional(),
  maintenanceSeconds: z.number().min(0).optional(),
  maintenanceRetryAfter: z.enum(['seconds', 'http-date', 'none']).optional(),
  rateLimit: z.number().int().min(1).nullable().optional(),
  processingFailure: z.object({ code: z.enum(ERROR_CODES), count: z.number().int().min(0).nullable() }).nullable().optional(),
  uploadBytesPerSecond: z.number().int().min(1).nullable().optional(),
  concurrentJobs: z.number().int().min(1).nullable().optional(),
  headersHidden: z.boolean().optional(),
});

async function jsonBody<T>(request: Request, schema: z.ZodType<T>): Promise<T | Response> {
  let raw: unknown = {};
  const text = await request.text();
  if (text.trim()) {
    try {
      raw = JSON.parse(text);
    } catch {
      return HttpResponse.json({ error: 'body is not JSON' }, { status: 400 });
    }
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : HttpResponse.json({ error: z.prettifyError(parsed.error) }, { status: 400 });
}

/**
 * Puts the simulator on the network: the NovaPulse API under /v1, and a
 * control API under /__sim for demos and tests (never part of NovaPulse).
 */
export function createHandlers(simulator: NovaPulseSimulator) {
  const withAccount = (id: string | readonly string[] | undefined, run: (accountId: string) => Response | Promise<Response>) => {
    const accountId = String(id);
    if (!simulator.accounts.has(accountId)) return HttpResponse.json({ error: `no account ${accountId}` }, { status: 404 });
    return run(accountId);
  };

  return [
    http.all('*/v1/*', async ({ request }) => {
      const url = new URL(request.url);
      const receivedAt = Number(request.headers.get(RECEIVED_AT_HEADER)) || undefined;
      const response = await simulator.handle({
        method: request.method,
        path: url.pathname.replace(/^.*?(?=\/v1\/)/, ''),
        query: url.searchParams,
        authorization: request.headers.get('authorization'),
        form: request.method === 'POST' ? await readForm(request) : null,
        receivedAt,
        origin: request.headers.get('origin'),
      });
      return toHttpResponse(response);
    }),

    http.get('*/__sim/health', () => HttpResponse.json({ ok: true })),
    http.get('*/__sim/demo', () => HttpResponse.json({ account_id: DEMO_ACCOUNT_ID, key: DEMO_API_KEY })),
    // The demo key dialog's button: a key that works now (a fresh one if the demo key expired), needing no key itself.
    http.post('*/__sim/demo/key', () => HttpResponse.json({ account_id: DEMO_ACCOUNT_ID, key: workingDemoKey(simulator) })),
    http.post('*/__sim/demo/reset', () => {
      seedDemoAccount(simulator);
      return new HttpResponse(null, { status: 204 });
    }),

    http.post('*/__sim/accounts', async ({ request }) => {
      const body = await jsonBody(request, createAccountSchema);
      if (body instanceof Response) return body;
      const handle = simulator.createAccount(body as Parameters<NovaPulseSimulator['createAccount']>[0]);
      return HttpResponse.json({ account_id: handle.accountId, tier: handle.tier, keys: handle.keys }, { status: 201 });
    }),

    http.post('*/__sim/accounts/:id/faults', ({ params, request }) =>
      withAccount(params.id, async (accountId) => {
        const body = await jsonBody(request, faultsSchema);
        if (body instanceof Response) return body;
        return HttpResponse.json({ faults: simulator.setFaults(accountId, body as Parameters<NovaPulseSimulator['setFaults']>[1]) });
      }),
    ),
    http.get('*/__sim/accounts/:id/faults', ({ params }) => withAccount(params.id, (accountId) => HttpResponse.json({ faults: simulator.account(accountId).faults }))),
    http.delete('*/__sim/accounts/:id/faults', ({ params }) =>
      withAccount(params.id, (accountId) => {
        simulator.clearFaults(accountId);
        return new HttpResponse(null, { status: 204 });
      }),
    ),
    http.post('*/__sim/accounts/:id/expire-key', ({ params }) =>
      withAccount(params.id, (accountId) => {
        simulator.expireKeyNow(accountId);
        return new HttpResponse(null, { status: 204 });
      }),
    ),
    http.post('*/__sim/accounts/:id/keys', ({ params }) =>
      withAccount(params.id, (accountId) => HttpResponse.json({ key: simulator.issueKey(accountId) }, { status: 201 })),
    ),
    http.post('*/__sim/accounts/:id/advance', ({ params, request }) =>
      withAccount(params.id, async (accountId) => {
        const body = await jsonBody(request, z.object({ seconds: z.number().min(0).max(86_400 * 30) }));
        if (body instanceof Response) return body;
        simulator.advanceTime(accountId, body.seconds * 1000);
        return new HttpResponse(null, { status: 204 });
      }),
    ),
    http.post('*/__sim/accounts/:id/fail-processing', ({ params, request }) =>
      withAccount(params.id, async (accountId) => {
        const body = await jsonBody(request, z.object({ code: z.enum(ERROR_CODES) }));
        if (body instanceof Response) return body;
        return HttpResponse.json({ failed: simulator.failProcessingJobs(accountId, body.code) });
      }),
    ),
    http.get('*/__sim/accounts/:id/requests', ({ params }) =>
      withAccount(params.id, (accountId) => HttpResponse.json({ requests: simulator.requestLog(accountId) })),
    ),
    http.get('*/__sim/accounts/:id/jobs', ({ params }) =>
      withAccount(params.id, (accountId) => {
        const account = simulator.account(accountId);
        return HttpResponse.json({ jobs: account.jobs.map((job) => simulator.jobView(account, job)) });
      }),
    ),
  ];
}
