import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { getResponse } from 'msw';
import type { Plugin } from 'vite';
import { createDemoSimulator } from './core/demo';
import type { NovaPulseSimulator } from './core/simulator';
import { createHandlers, RECEIVED_AT_HEADER } from './handlers';

type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/** Reads the upload body no faster than `bytesPerSecond`, like a slow uplink. */
function throttled(source: Readable, bytesPerSecond: number): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const sliceBytes = Math.max(1024, Math.floor(bytesPerSecond / 10));
  let pending: Buffer | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!pending || pending.length === 0) {
        const next = await iterator.next();
        if (next.done) {
          controller.close();
          return;
        }
        pending = Buffer.from(next.value as Buffer);
      }
      const slice = pending.subarray(0, sliceBytes);
      pending = pending.subarray(sliceBytes);
      await new Promise((resolve) => setTimeout(resolve, (slice.length / bytesPerSecond) * 1000));
      controller.enqueue(new Uint8Array(slice));
    },
  });
}

/**
 * Serves the simulator over real HTTP from the Vite dev and preview servers,
 * through the same MSW handlers the tests and the service worker use.
 */
export function createSimulatorMiddleware(simulator: NovaPulseSimulator, options: { omitHeaders?: readonly string[] } = {}): Middleware {
  const handlers = createHandlers(simulator);
  const omitted = new Set((options.omitHeaders ?? []).map((name) => name.toLowerCase()));
  return (request, response, next) => {
    const path = request.url ?? '/';
    if (!path.startsWith('/v1/') && !path.startsWith('/__sim/') && path !== '/v1') {
      next();
      return;
    }
    const receivedAt = Date.now();
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    }
    headers.set(RECEIVED_AT_HEADER, String(receivedAt));
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const bandwidth = simulator.accountForAuthorization(headers.get('authorization'))?.faults.uploadBytesPerSecond ?? null;
    const body = hasBody ? (bandwidth ? throttled(request, bandwidth) : (Readable.toWeb(request) as ReadableStream<Uint8Array>)) : undefined;
    const fetchRequest = new Request(`http://${request.headers.host ?? 'localhost'}${path}`, {
      method: request.method,
      headers,
      body,
      // @ts-expect-error Node's fetch needs duplex for streamed bodies; the DOM types do not know it.
      duplex: 'half',
    });
    getResponse(handlers, fetchRequest)
      .then(async (answer) => {
        if (!answer) {
          response.statusCode = 404;
          response.end();
          return;
        }
        response.statusCode = answer.status;
        answer.headers.forEach((value, name) => {
          if (!omitted.has(name.toLowerCase())) response.setHeader(name, value);
        });
        response.setHeader('Cache-Control', 'no-store');
        response.end(Buffer.from(await answer.arrayBuffer()));
      })
      .catch((error: unknown) => {
        response.statusCode = 500;
        response.setHeader('Content-Type', 'text/plain');
        response.end(`simulator failure: ${error instanceof Error ? error.message : String(error)}`);
      });
  };
}

/** MSW's service worker script, shipped only in the demo build (never in public/, which every build copies). */
function mockServiceWorkerSource(): string {
  return readFileSync(createRequire(import.meta.url).resolve('msw/mockServiceWorker.js'), 'utf8');
}

/** Vite plugin: the demo's backend on the dev and preview servers (demo mode only). */
export function novaPulseSimulatorPlugin(): Plugin {
  const simulator = createDemoSimulator();
  const middleware = createSimulatorMiddleware(simulator);
  return {
    name: 'novapulse-simulator',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'mockServiceWorker.js', source: mockServiceWorkerSource() });
    },
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
  };
}
