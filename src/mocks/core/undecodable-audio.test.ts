/**
 * Files whose leading bytes pass the contract's sniff but hold no decodable
 * audio stream: NovaPulse accepts them (202) and fails the job while
 * processing with unsupported_media_type (api-contract.md, job object: "when
 * the bytes looked like audio but did not decode"; the seed's status 415).
 */
import { readFileSync } from 'node:fs';
import { seededRandom } from '../../lib/random';
import { NovaPulseSimulator, type SimFormValue, type SimResponse } from './simulator';

const FIXTURES = new URL('../../../e2e/fixtures/audio/', import.meta.url);
const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
const QUEUE_MS = 1_000;
const PROCESS_MS = 4_000;

function fixture(name: string): File {
  return new File([readFileSync(new URL(name, FIXTURES))], name);
}

function setup() {
  const state = { now: T0 };
  const sim = new NovaPulseSimulator({ clock: () => state.now, random: seededRandom(7) });
  const { accountId, keys } = sim.createAccount({ tier: 'growth', timing: { queueMs: [QUEUE_MS, QUEUE_MS], processMs: [PROCESS_MS, PROCESS_MS] }, seed: 3 });
  const authorization = `Bearer ${keys.full}`;
  return {
    sim,
    accountId,
    advance(ms: number) {
      state.now += ms;
    },
    upload(file: File): Promise<SimResponse> {
      const form = new Map<string, SimFormValue>([
        ['file', file],
        ['pipeline', 'transcription'],
      ]);
      return sim.handle({ method: 'POST', path: '/v1/jobs', authorization, form });
    },
    get(path: string): Promise<SimResponse> {
      return sim.handle({ method: 'GET', path, authorization });
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are inspected structurally
function body(response: SimResponse): any {
  if (!('body' in response)) throw new Error(`expected JSON, got ${response.contentType}`);
  return response.body;
}

describe('a file that looks like audio but holds no decodable stream', () => {
  it.each(['header-only.wav', 'video-only.m4a', 'id3-no-frames.mp3', 'theora-only.ogg'])(
    '%s is accepted with 202, then fails while processing with unsupported_media_type (415); its transcript answers the same',
    async (name) => {
      const w = setup();
      const created = await w.upload(fixture(name));
      expect(created.status).toBe(202);
      const id = body(created).job.id as string;
      expect(body(created).job.status).toBe('queued');

      w.advance(QUEUE_MS + PROCESS_MS);
      const job = body(await w.get(`/v1/jobs/${id}`)).job;
      expect(job.status).toBe('failed');
      expect(job.error).toEqual({ code: 'unsupported_media_type', message: expect.stringMatching(/could not be decoded/), status: 415 });
      const transcript = await w.get(`/v1/jobs/${id}/transcript`);
      expect(transcript.status).toBe(415);
      expect(body(transcript).error.code).toBe('unsupported_media_type');
    },
  );

  it.each(['cover-art.mp3', 'float.wav', 'opus.ogg', 'moov-at-end.m4a', 'support-0219.flac'])('%s, real audio, completes with a transcript', async (name) => {
    const w = setup();
    const id = body(await w.upload(fixture(name))).job.id as string;
    w.advance(QUEUE_MS + PROCESS_MS);
    expect(body(await w.get(`/v1/jobs/${id}`)).job).toMatchObject({ status: 'completed', error: null });
    expect((await w.get(`/v1/jobs/${id}/transcript`)).status).toBe(200);
  });

  it('an undecodable file does not use up a forced processing failure meant for the next real job', async () => {
    const w = setup();
    w.sim.setFaults(w.accountId, { processingFailure: { code: 'internal_error', count: 1 } });
    const bad = body(await w.upload(fixture('header-only.wav'))).job.id as string;
    const good = body(await w.upload(fixture('mulaw.wav'))).job.id as string;
    w.advance(QUEUE_MS + PROCESS_MS);
    expect(body(await w.get(`/v1/jobs/${bad}`)).job.error.code).toBe('unsupported_media_type');
    expect(body(await w.get(`/v1/jobs/${good}`)).job.error.code).toBe('internal_error');
  });
});
