import { heldExplanation, type WaitContext, waitingLabel } from './queue-row-status';

const open: WaitContext['gate'] = { auth: 'open', heldUntil: 0, heldBy: null };
const at = (gate: Partial<WaitContext['gate']>, extra: { serviceDownUntil?: number; online?: boolean } = {}): WaitContext => ({
  gate: { ...open, ...gate },
  serviceDownUntil: extra.serviceDownUntil ?? 0,
  online: extra.online ?? true,
  now: 100_000,
});

describe('waitingLabel: what a waiting upload waits for', () => {
  it('a free slot, when nothing else holds it', () => {
    expect(waitingLabel({ retryReason: null }, at({}))).toBe('Waiting for a free slot');
  });
  it("NovaPulse's maintenance window, a rate limit or another named wait, with the Retry-After left", () => {
    expect(waitingLabel({ retryReason: null }, at({ heldUntil: 141_200, heldBy: 'service_unavailable' }))).toBe(
      "Waiting for NovaPulse's maintenance window to end (Retry-After, about 42 s)",
    );
    expect(waitingLabel({ retryReason: null }, at({ heldUntil: 103_000, heldBy: 'rate_limit_exceeded' }))).toBe('Waiting for the rate limit (Retry-After, about 3 s)');
    expect(waitingLabel({ retryReason: null }, at({ heldUntil: 100_001, heldBy: 'internal_error' }))).toBe('Waiting: NovaPulse asked for a pause (Retry-After, about 1 s)');
    // A hold that has run out holds nothing.
    expect(waitingLabel({ retryReason: null }, at({ heldUntil: 100_000, heldBy: 'service_unavailable' }))).toBe('Waiting for a free slot');
  });
  it('the outage probe, the connection and the key, each named', () => {
    expect(waitingLabel({ retryReason: null }, at({}, { serviceDownUntil: 107_500 }))).toBe('Waiting: NovaPulse is unavailable; one upload tests it again in about 8 s');
    expect(waitingLabel({ retryReason: null }, at({}, { online: false }))).toBe('Waiting for the connection');
    expect(waitingLabel({ retryReason: null }, at({ auth: 'closed' }))).toBe('Waiting for an API key');
    expect(waitingLabel({ retryReason: 'expired_api_key' }, at({ auth: 'closed' }))).toBe('Waiting: paused until a new API key is set');
  });
});

describe('heldExplanation: what a held or skipped upload repeats, and what comes next', () => {
  const of = { uploadId: 'u1', fileName: 'take.flac', jobId: null, sameBatch: true };
  it('a skipped copy from the same batch names the file, and says it waits for "Send anyway"', () => {
    expect(heldExplanation({ state: 'skipped', dedupUntil: null, submitWhenWindowEnds: false, duplicateOf: of }, 0)).toEqual({
      repeats: 'It has the same bytes as take.flac, in this batch.',
      next: 'Not sent, so it does not make a second job. Choose "Send anyway" to send it too.',
    });
  });
  it('a held duplicate counts down, and says whether it goes or is skipped when the window ends', () => {
    const held = { state: 'duplicate' as const, dedupUntil: 42_000, duplicateOf: { ...of, sameBatch: false, fileName: 'take.mp3' } };
    expect(heldExplanation({ ...held, submitWhenWindowEnds: false }, 0)).toEqual({
      repeats: 'It repeats take.mp3, uploaded less than a minute ago.',
      next: 'The window ends in 42 s. NovaPulse refuses it until then; after that it is skipped unless you choose to send it.',
    });
    expect(heldExplanation({ ...held, submitWhenWindowEnds: true }, 0).next).toBe('The window ends in 42 s. It will be sent then, by itself.');
    expect(heldExplanation({ ...held, submitWhenWindowEnds: true }, 42_000).next).toBe('The window has ended: it is being sent.');
    expect(heldExplanation({ ...held, submitWhenWindowEnds: false }, 50_000).next).toBe('The window has ended: it is skipped.');
  });
  it('a duplicate known only by its job, or not known at all, says so', () => {
    expect(heldExplanation({ state: 'duplicate', dedupUntil: 1, submitWhenWindowEnds: false, duplicateOf: { uploadId: null, fileName: null, jobId: 'job_1', sameBatch: false } }, 0).repeats).toBe(
      'It repeats a job NovaPulse received in the last 60 seconds.',
    );
    expect(heldExplanation({ state: 'duplicate', dedupUntil: 1, submitWhenWindowEnds: false, duplicateOf: null }, 0).repeats).toBe(
      'It repeats an upload NovaPulse received in the last 60 seconds (same bytes, pipeline, language and metadata).',
    );
  });
});
