import type { z } from 'zod/mini';
import type { ApiClient, ApiRequest } from '../client';
import { createBlindPacer } from '../hidden-headers';
import type { Job } from '../schemas';
import { createJob, createJobFormData } from './create-job';
import { accountQueryOptions, accountResponseSchema, CONTRACT_MAX_FILE_BYTES, fetchAccount } from './get-account';
import { fetchInsights, insightsQueryOptions } from './get-insights';
import { fetchJob, jobQueryOptions } from './get-job';
import { fetchTranscript, transcriptQueryOptions } from './get-transcript';
import { fetchJobs, jobListHeadQueryOptions, jobPagesQueryOptions, MAX_IDS_PER_REQUEST, patchJobList } from './list-jobs';

// Written against survivors of the mutation run (docs/mutation-testing.md).
// Each endpoint as api-contract.md gives it: method, path, parts and query.

function recordingClient(answer: unknown) {
  const requests: ApiRequest[] = [];
  const client = {
    baseUrl: '',
    gate: null as never,
    serverTimeOffsetMs: () => 0,
    pacer: createBlindPacer(),
    async request<T>(request: ApiRequest, schema: z.ZodMiniType<T>): Promise<T> {
      requests.push(request);
      return schema.parse(answer);
    },
  } satisfies ApiClient;
  return { client, requests };
}

const JOB = {
  id: 'job_01JD7Q3M8K',
  status: 'queued',
  pipeline: 'transcription',
  language: 'en-US',
  file: { name: 'call-0412.mp3', size_bytes: 4829301, content_type: 'audio/mpeg', sha256: '9f86d0' },
  created_at: '2026-11-25T10:00:00Z',
  updated_at: '2026-11-25T10:00:09Z',
};

describe('POST /v1/jobs', () => {
  it('sends file and pipeline, and language and metadata only when given', () => {
    const file = new Blob(['abc']);
    const full = createJobFormData({ file, fileName: 'call.mp3', pipeline: 'full-analysis', language: 'fr-FR', metadata: { ticket: 'SUP-1182' } });
    expect([...full.keys()]).toEqual(['file', 'pipeline', 'language', 'metadata']);
    expect((full.get('file') as File).name).toBe('call.mp3');
    expect(full.get('pipeline')).toBe('full-analysis');
    expect(full.get('language')).toBe('fr-FR');
    expect(full.get('metadata')).toBe('{"ticket":"SUP-1182"}');
    const bare = createJobFormData({ file, fileName: 'call.mp3', pipeline: 'transcription', language: '', metadata: {} });
    expect([...bare.keys()]).toEqual(['file', 'pipeline']);
  });

  it('posts to /v1/jobs with upload progress, the stall bound and the signal, and answers the job', async () => {
    const { client, requests } = recordingClient({ job: JOB });
    const signal = new AbortController().signal;
    const job = await createJob(client, { file: new Blob(['abc']), fileName: 'call.mp3', pipeline: 'transcription' }, { signal, stallTimeoutMs: 30_000 });
    expect(job.id).toBe('job_01JD7Q3M8K');
    expect(job.metadata).toEqual({});
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/v1/jobs', signal, stallTimeoutMs: 30_000 });
    expect(requests[0]?.body).toBeInstanceOf(FormData);
    expect(typeof requests[0]?.onUploadProgress).toBe('function');
  });
});

describe('GET endpoints', () => {
  it('encode the job id into the path', async () => {
    const jobs = recordingClient({ job: JOB });
    await fetchJob(jobs.client, 'job/1?x');
    expect(jobs.requests[0]).toMatchObject({ method: 'GET', path: '/v1/jobs/job%2F1%3Fx' });
    const transcript = recordingClient({ transcript: { text: 'Hello.', segments: [{ start: 0, end: 4.2, speaker: 'A', text: 'Hello.' }] } });
    expect(await fetchTranscript(transcript.client, 'job 1')).toEqual({ text: 'Hello.', segments: [{ start: 0, end: 4.2, speaker: 'A', text: 'Hello.' }] });
    expect(transcript.requests[0]).toMatchObject({ method: 'GET', path: '/v1/jobs/job%201/transcript' });
    const insights = { summary: 'S', topics: ['billing'], sentiment: { overall: 'positive', score: 0.62 }, action_items: ['call back'] };
    const insight = recordingClient({ insights });
    expect(await fetchInsights(insight.client, 'job#1')).toEqual(insights);
    expect(insight.requests[0]).toMatchObject({ method: 'GET', path: '/v1/jobs/job%231/insights' });
  });

  it('list jobs with their filters, and many ids comma-separated, at most 100', async () => {
    const { client, requests } = recordingClient({ data: [JOB], next_cursor: null });
    await fetchJobs(client, { status: 'failed', limit: 20, ids: ['job_a', 'job_b'] });
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/v1/jobs', query: { status: 'failed', limit: 20, ids: 'job_a,job_b' } });
    const hundred = Array.from({ length: MAX_IDS_PER_REQUEST }, (_, i) => `job_${i}`);
    await fetchJobs(client, { ids: hundred });
    expect(requests).toHaveLength(2);
    expect(() => fetchJobs(client, { ids: [...hundred, 'job_x'] })).toThrow('At most 100 ids per request; got 101.');
    expect(MAX_IDS_PER_REQUEST).toBe(100);
  });

  it('reads the account, keeping out scopes the console does not know', async () => {
    const body = {
      account: { id: 'acc_8f2k', name: 'Acme Support', tier: 'growth' },
      key: { id: 'key_31x', label: 'ops console', prefix: 'np_live_a1b2', scopes: ['account:read', 'jobs:write', 'billing:admin'], expires_at: null },
      limits: { requests_per_minute: 120, concurrent_jobs: 5, max_file_bytes: 524288000, dedup_window_seconds: 60 },
      usage: { active_jobs: 2, audio_seconds_used: 151200, audio_seconds_included: 360000, period_start: '2026-11-01T00:00:00Z', period_end: '2026-12-01T00:00:00Z' },
    };
    const { client, requests } = recordingClient(body);
    const account = await fetchAccount(client);
    expect(account.key.scopes).toEqual(['account:read', 'jobs:write']);
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/v1/account' });
    expect(accountResponseSchema.safeParse({ ...body, limits: { ...body.limits, concurrent_jobs: 0 } }).success).toBe(false);
    expect(accountResponseSchema.safeParse({ ...body, usage: { ...body.usage, active_jobs: -1 } }).success).toBe(false);
    expect(accountResponseSchema.safeParse({ ...body, limits: { ...body.limits, dedup_window_seconds: 0 } }).success).toBe(true);
  });

  it('the contract maximum file size is 500 MB = 524,288,000 bytes', () => {
    expect(CONTRACT_MAX_FILE_BYTES).toBe(524_288_000);
  });
});

describe('query options', () => {
  it('fetch through the client with the signal React Query passes, under keys holding every input', async () => {
    const account = recordingClient({
      account: { id: 'a', name: 'n', tier: 't' },
      key: { id: 'k', label: 'l', prefix: 'p', scopes: [] },
      limits: { requests_per_minute: 1, concurrent_jobs: 1, max_file_bytes: 1, dedup_window_seconds: 60 },
      usage: { active_jobs: 0, audio_seconds_used: 0, audio_seconds_included: 0, period_start: '', period_end: '' },
    });
    const signal = new AbortController().signal;
    const accountOptions = accountQueryOptions(account.client);
    expect(accountOptions.queryKey).toEqual(['novapulse', 'account']);
    await (accountOptions.queryFn as (context: { signal: AbortSignal }) => Promise<unknown>)({ signal });
    expect(account.requests[0]?.signal).toBe(signal);

    const job = recordingClient({ job: JOB });
    const jobOptions = jobQueryOptions(job.client, 'job_1');
    expect(jobOptions.queryKey).toEqual(['novapulse', 'job', 'job_1']);
    await (jobOptions.queryFn as (context: { signal: AbortSignal }) => Promise<unknown>)({ signal });
    expect(job.requests[0]).toMatchObject({ path: '/v1/jobs/job_1', signal });

    const transcript = recordingClient({ transcript: { text: '', segments: [] } });
    const transcriptOptions = transcriptQueryOptions(transcript.client, 'job_1');
    expect(transcriptOptions.queryKey).toEqual(['novapulse', 'transcript', 'job_1']);
    await (transcriptOptions.queryFn as (context: { signal: AbortSignal }) => Promise<unknown>)({ signal });
    expect(transcript.requests[0]).toMatchObject({ path: '/v1/jobs/job_1/transcript', signal });

    const insights = recordingClient({ insights: { summary: '', topics: [], sentiment: { overall: 'neutral', score: 0 }, action_items: [] } });
    const insightsOptions = insightsQueryOptions(insights.client, 'job_1');
    expect(insightsOptions.queryKey).toEqual(['novapulse', 'insights', 'job_1']);
    await (insightsOptions.queryFn as (context: { signal: AbortSignal }) => Promise<unknown>)({ signal });
    expect(insights.requests[0]).toMatchObject({ path: '/v1/jobs/job_1/insights', signal });
  });

  it('pages the job list by next_cursor, starting from none', async () => {
    const { client, requests } = recordingClient({ data: [], next_cursor: 'c2' });
    const options = jobPagesQueryOptions(client, { status: 'failed' });
    // Outside the 'list' keys: invalidating the lists' newest pages must never refetch every loaded page.
    expect(options.queryKey).toEqual(['novapulse', 'job-pages', { status: 'failed' }]);
    expect(options.staleTime).toBe(Number.POSITIVE_INFINITY);
    expect(options.initialPageParam).toBeNull();
    const signal = new AbortController().signal;
    const queryFn = options.queryFn as unknown as (context: { signal: AbortSignal; pageParam: string | null }) => Promise<{ next_cursor: string | null }>;
    const first = await queryFn({ signal, pageParam: null });
    await queryFn({ signal, pageParam: 'c2' });
    expect(requests[0]?.query).toEqual({ status: 'failed', cursor: undefined, ids: undefined });
    expect(requests[1]?.query).toMatchObject({ status: 'failed', cursor: 'c2' });
    expect(requests[1]?.signal).toBe(signal);
    expect((options.getNextPageParam as (page: { next_cursor: string | null }) => unknown)(first)).toBe('c2');
  });

  it("reads a list's newest page alone, under the list heads' own prefix", async () => {
    const { client, requests } = recordingClient({ data: [], next_cursor: 'c2' });
    const options = jobListHeadQueryOptions(client, { pipeline: 'transcription', limit: 100 });
    expect(options.queryKey).toEqual(['novapulse', 'job-list-head', { pipeline: 'transcription', limit: 100 }]);
    await (options.queryFn as unknown as (context: { signal: AbortSignal }) => Promise<unknown>)({ signal: new AbortController().signal });
    expect(requests.map((request) => request.query)).toEqual([{ pipeline: 'transcription', limit: 100, ids: undefined }]);
  });
});

describe('patchJobList', () => {
  const job = (id: string, status: 'queued' | 'processing' | 'completed') =>
    ({ id, status, pipeline: 'transcription', language: 'en-US', created_at: '2026-12-01T10:00:00Z' }) as unknown as Job;

  it("replaces the polled jobs in a list's page and in every loaded page, keeping the rest as they were", () => {
    const a = job('job_a', 'processing');
    const b = job('job_b', 'completed');
    const c = job('job_c', 'queued');
    const page1 = { data: [a, b], next_cursor: 'x' };
    const page2 = { data: [c], next_cursor: null };
    const fresh = new Map([
      ['job_a', job('job_a', 'completed')],
      ['job_z', job('job_z', 'completed')],
    ]);
    const pages = patchJobList({ pages: [page1, page2], pageParams: [null, 'x'] }, fresh);
    expect(pages?.pages[0]?.data.map((row) => [row.id, row.status])).toEqual([
      ['job_a', 'completed'],
      ['job_b', 'completed'],
    ]);
    expect(pages?.pages[0]?.next_cursor).toBe('x');
    // Untouched pages keep their identity, so their memoised rows do not render again.
    expect(pages?.pages[1]).toBe(page2);
    expect(pages?.pageParams).toEqual([null, 'x']);
    expect(patchJobList(page1, fresh)?.data[0]?.status).toBe('completed');
  });

  it('gives back the very same object when no polled job is listed', () => {
    const page = { data: [job('job_a', 'processing')], next_cursor: null };
    const fresh = new Map([['job_q', job('job_q', 'completed')]]);
    expect(patchJobList(page, fresh)).toBe(page);
    const pages = { pages: [page], pageParams: [null] };
    expect(patchJobList(pages, fresh)).toBe(pages);
    expect(patchJobList(undefined, fresh)).toBeUndefined();
  });
});
