import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { build } from 'vite';
import { startTransportTestServer, type TransportTestServer } from '../src/testing/transport-test-server';

// The XHR transport in real Chromium, against a real local server that reads
// slowly, stops reading, or never answers. jsdom reports no upload progress
// while a body is written (src/api/xhr-transport.test.ts covers the rest
// there), so what depends on live upload progress is tested here: a stall
// mid-body, the answer timeout after the last byte, and a slow but steady
// upload that must not be cut off.

const MB = 1024 * 1024;
let api: TransportTestServer;
let pageServer: Server;
let pageOrigin: string;

async function bundleTransport(): Promise<string> {
  const entry = fileURLToPath(new URL('../src/api/xhr-transport.ts', import.meta.url));
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: false, lib: { entry, formats: ['es'], fileName: 'transport' } },
  });
  const output = (Array.isArray(result) ? result[0] : result) as { output: { code?: string }[] };
  const code = output.output[0]?.code;
  if (!code) throw new Error('the transport did not bundle');
  return code;
}

test.beforeAll(async () => {
  api = await startTransportTestServer();
  const transport = await bundleTransport();
  // The page on another origin (localhost) than the API (127.0.0.1), as the console and NovaPulse are.
  pageServer = createServer((req, res) => {
    if (req.url === '/transport.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      res.end(transport);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><html lang="en"><title>transport</title><body></body></html>');
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://localhost:${(pageServer.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await api.close();
  pageServer.closeAllConnections();
  await new Promise<void>((resolve) => pageServer.close(() => resolve()));
});

interface Outcome {
  ok: boolean;
  status?: number;
  requestId?: string | null;
  retryAfter?: string | null;
  bodyText?: string;
  errorName?: string;
  kind?: string;
  code?: string;
  message?: string;
  /** Upload progress as the page saw it, with the page's clock. */
  progress: { at: number; loaded: number; total: number | null }[];
  startedAt: number;
  endedAt: number;
}

async function upload(page: Page, params: { url: string; bytes: number; stallTimeoutMs: number; answerTimeoutMs?: number }): Promise<Outcome> {
  await page.goto(`${pageOrigin}/`);
  return page.evaluate(async ({ url, bytes, stallTimeoutMs, answerTimeoutMs }) => {
    const { sendWithXhr } = await import('/transport.js' as string);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'audio/wav' }), 'long-call.wav');
    const progress: { at: number; loaded: number; total: number | null }[] = [];
    const startedAt = performance.now();
    try {
      const response = await sendWithXhr({
        method: 'POST',
        url,
        headers: { Accept: 'application/json', Authorization: 'Bearer np_test_key' },
        body: form,
        onUploadProgress: (event: { loaded: number; total: number | null }) => progress.push({ at: performance.now(), ...event }),
        stallTimeoutMs,
        answerTimeoutMs,
      });
      return {
        ok: true,
        status: response.status,
        requestId: response.headers.get('X-Request-Id'),
        retryAfter: response.headers.get('Retry-After'),
        bodyText: response.bodyText,
        progress,
        startedAt,
        endedAt: performance.now(),
      };
    } catch (error) {
      const failure = error as { name?: string; kind?: string; code?: string; message?: string };
      return { ok: false, errorName: failure.name, kind: failure.kind, code: failure.code, message: failure.message, progress, startedAt, endedAt: performance.now() };
    }
  }, params);
}

test('a server that stops reading mid-body: progress stops, and after the stall timeout the upload ends as a timeout', async ({ page }) => {
  const outcome = await upload(page, { url: api.url(`/v1/stall-body?after=${1 * MB}`), bytes: 32 * MB, stallTimeoutMs: 1_000 });
  expect(outcome).toMatchObject({ ok: false, errorName: 'ApiError', kind: 'timeout', code: 'timeout' });
  expect(outcome.message).toMatch(/no progress for 1 s/i);
  const last = outcome.progress.at(-1);
  expect(last).toBeDefined();
  // Some of the body went (the server read 1 MB, socket buffers took more), not all of it.
  expect(last!.loaded).toBeGreaterThan(1 * MB);
  expect(last!.loaded).toBeLessThan(last!.total!);
  expect(outcome.endedAt - last!.at).toBeGreaterThanOrEqual(1_000);
  expect(outcome.endedAt - last!.at).toBeLessThan(2_500);
  const served = api.requests.find((request) => request.path === '/v1/stall-body')!;
  served.release();
  await served.closed;
  expect(served.closedEarly).toBe(true);
  expect(served.bodyComplete).toBe(false);
});

test('every byte sent and no answer: the stall timeout no longer applies; the answer timeout ends it as a timeout', async ({ page }) => {
  test.setTimeout(20_000);
  const outcome = await upload(page, { url: api.url('/v1/no-answer'), bytes: 4 * MB, stallTimeoutMs: 500, answerTimeoutMs: 2_000 });
  expect(outcome).toMatchObject({ ok: false, errorName: 'ApiError', kind: 'timeout', code: 'timeout' });
  expect(outcome.message).toMatch(/every byte was sent, but no answer came for 2 s/i);
  const last = outcome.progress.at(-1)!;
  expect(last.loaded).toBe(last.total);
  expect(outcome.endedAt - last.at).toBeGreaterThanOrEqual(2_000);
  expect(outcome.endedAt - last.at).toBeLessThan(4_000);
  const served = api.requests.find((request) => request.path === '/v1/no-answer')!;
  await served.closed;
  expect(served.bodyComplete).toBe(true);
  expect(served.closedEarly).toBe(true);
});

test('a slow but steady upload that takes several stall timeouts in all is not cut off', async ({ page }) => {
  const bytes = 16 * MB;
  const outcome = await upload(page, { url: api.url(`/v1/slow-read?bytesPerSecond=${3 * MB}`), bytes, stallTimeoutMs: 800 });
  expect(outcome).toMatchObject({ ok: true, status: 200, retryAfter: '7' });
  expect(outcome.requestId).toMatch(/^req_transport_\d+$/);
  const served = api.requests.find((request) => request.path === '/v1/slow-read')!;
  expect(served.bodyComplete).toBe(true);
  expect(JSON.parse(outcome.bodyText!)).toEqual({ received: served.bytesReceived });
  expect(outcome.endedAt - outcome.startedAt).toBeGreaterThan(3 * 800);
  // The bar moved the whole way: many readings, never backwards, ending at the whole body.
  const loaded = outcome.progress.map((event) => event.loaded);
  expect(new Set(loaded).size).toBeGreaterThan(5);
  expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
  expect(outcome.progress.at(-1)).toMatchObject({ loaded: served.bytesReceived, total: served.bytesReceived });
});
