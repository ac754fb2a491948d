import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 for transport tests, with routes that
 * misbehave the way networks and servers do: stop reading the body, never
 * answer, drop the connection, read slowly, answer in a trickle. It answers
 * CORS like the NovaPulse API must (the page is on another origin).
 *
 * Routes (any method; the query tunes them):
 * - /v1/answer: reads the body, answers 200 `{"received": <bytes>}` with a request id,
 *   rate-limit headers and a Retry-After.
 * - /v1/stall-body?after=N: reads N bytes, then stops reading (the client's writes back up) until released; never answers.
 * - /v1/no-answer: reads the whole body, never answers.
 * - /v1/drop-mid-body?after=N: reads N bytes, then destroys the socket.
 * - /v1/drop-after-body: reads the whole body, then destroys the socket.
 * - /v1/slow-read?bytesPerSecond=N: reads the body at that rate, then answers as /v1/answer.
 * - /v1/trickle-answer?chunks=N&intervalMs=M&stopAfter=K: reads the body, sends the headers, then one
 *   chunk every M ms; ends after N chunks, or goes silent after K.
 */
export interface ServedRequest {
  method: string;
  path: string;
  /** Body bytes the server has read so far. */
  bytesReceived: number;
  /** The whole body was read. */
  bodyComplete: boolean;
  /** The connection closed before the server finished its answer (the client gave up, or the route dropped it). */
  closedEarly: boolean;
  /** Resolves when the connection of this request closes, for whatever reason. */
  closed: Promise<void>;
  /**
   * Makes a stalled route read again. A paused socket does not notice the
   * client closing it, so a test releases it to see whether the client went
   * away (the rest of the body never comes) or was still sending.
   */
  release(): void;
}

export interface TransportTestServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  url(pathAndQuery: string): string;
  /** Every request but CORS preflights, in arrival order. */
  requests: ServedRequest[];
  close(): Promise<void>;
}

export const EXPOSED_HEADERS = ['X-Request-Id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'RateLimit', 'Retry-After'];

/** Fixed answer headers of /v1/answer, so a test compares against literals. */
export const ANSWER_HEADERS = {
  'X-RateLimit-Limit': '60',
  'X-RateLimit-Remaining': '57',
  'X-RateLimit-Reset': '1795608000',
  'Retry-After': '7',
} as const;

function corsHeaders(): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST, DELETE',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept',
    'Access-Control-Expose-Headers': EXPOSED_HEADERS.join(', '),
    'Access-Control-Max-Age': '600',
  };
}

function numberParam(url: URL, name: string, fallback: number): number {
  const value = Number(url.searchParams.get(name));
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export async function startTransportTestServer(): Promise<TransportTestServer> {
  const requests: ServedRequest[] = [];
  let counter = 0;

  function answer(res: ServerResponse, record: ServedRequest) {
    counter += 1;
    res.writeHead(200, {
      ...corsHeaders(),
      ...ANSWER_HEADERS,
      'Content-Type': 'application/json',
      'X-Request-Id': `req_transport_${counter}`,
    });
    res.end(JSON.stringify({ received: record.bytesReceived }));
  }

  function route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, corsHeaders());
      res.end();
      return;
    }
    let markClosed = () => {};
    const record: ServedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      bytesReceived: 0,
      bodyComplete: false,
      closedEarly: false,
      closed: new Promise<void>((resolve) => {
        markClosed = resolve;
      }),
      release: () => {
        released = true;
        req.resume();
      },
    };
    let released = false;
    requests.push(record);
    req.socket.once('close', () => {
      if (!res.writableFinished) record.closedEarly = true;
      markClosed();
    });
    req.on('data', (chunk: Buffer) => {
      record.bytesReceived += chunk.length;
    });
    req.on('end', () => {
      record.bodyComplete = true;
    });

    switch (url.pathname) {
      case '/v1/answer':
        req.on('end', () => answer(res, record));
        return;
      case '/v1/stall-body': {
        const after = numberParam(url, 'after', 256 * 1024);
        req.on('data', () => {
          if (record.bytesReceived >= after && !released) req.pause();
        });
        return;
      }
      case '/v1/no-answer':
        req.resume();
        return;
      case '/v1/drop-mid-body': {
        const after = numberParam(url, 'after', 256 * 1024);
        req.on('data', () => {
          if (record.bytesReceived >= after) req.socket.destroy();
        });
        return;
      }
      case '/v1/drop-after-body':
        req.on('end', () => req.socket.destroy());
        return;
      case '/v1/slow-read': {
        const bytesPerSecond = numberParam(url, 'bytesPerSecond', 1_000_000);
        const started = Date.now();
        const tick = setInterval(() => {
          if (record.bytesReceived <= ((Date.now() - started) / 1000) * bytesPerSecond) req.resume();
        }, 20);
        req.on('data', () => {
          if (record.bytesReceived > ((Date.now() - started) / 1000) * bytesPerSecond) req.pause();
        });
        req.on('end', () => {
          clearInterval(tick);
          answer(res, record);
        });
        req.socket.once('close', () => clearInterval(tick));
        return;
      }
      case '/v1/trickle-answer': {
        const chunks = numberParam(url, 'chunks', 5);
        const intervalMs = numberParam(url, 'intervalMs', 100);
        const stopAfter = numberParam(url, 'stopAfter', Number.POSITIVE_INFINITY);
        req.on('end', () => {
          res.writeHead(200, { ...corsHeaders(), 'Content-Type': 'text/plain', 'X-Request-Id': 'req_trickle' });
          let sent = 0;
          const tick = setInterval(() => {
            if (sent >= stopAfter) {
              clearInterval(tick);
              return;
            }
            sent += 1;
            res.write(`chunk ${sent};`);
            if (sent === chunks) {
              clearInterval(tick);
              res.end();
            }
          }, intervalMs);
          req.socket.once('close', () => clearInterval(tick));
        });
        return;
      }
      default:
        res.writeHead(404, corsHeaders());
        res.end();
    }
  }

  const server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (pathAndQuery) => `${origin}${pathAndQuery}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
