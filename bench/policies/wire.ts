import { abortableDelay } from '../../src/lib/abortable-delay';
import type { RandomSource } from '../../src/lib/random';
import type { Faults, NovaPulseSimulator, SimFormValue } from '../../src/mocks/core/simulator';
import { toHttpResponse } from '../../src/mocks/handlers';

/** One way trip and the server's think time, for every request of every policy. */
export const LATENCY_MS = 40;
/** The uplink every policy shares: a 4 MB/s office line. */
export const WIRE_BYTES_PER_SECOND = 4 * 1024 * 1024;
export const BASE_URL = 'https://api.novapulse.bench';
export const PAGE_ORIGIN = 'https://console.novapulse.bench';

export interface WireRequest {
  method: string;
  path: string;
  query?: URLSearchParams;
  key: string;
  form?: Map<string, SimFormValue> | null;
}

/** What the wire saw: the figures the simulator's log cannot give. */
export interface WireTally {
  /** Body bytes put on the wire (an upload cut off part way counts what had left). */
  bytesSent: number;
  /** Requests the wire carried to the simulator. */
  carried: number;
}

export interface Wire {
  /** The console's transport: a fetch that carries the request's own FormData to the simulator (no copy of the bytes). */
  fetch: typeof fetch;
  /** The baselines' transport: the same wire, with the parts given as the simulator reads them. */
  send(request: WireRequest, signal?: AbortSignal | null): Promise<Response>;
  tally: WireTally;
  /** Real asynchronous work under way (the simulator reading a body): the driver lets it finish before time moves. */
  busy(): boolean;
}

export interface WireOptions {
  simulator: NovaPulseSimulator;
  accountId: string;
  /** Asked once per request, as the server takes it up, in order: the scenario's seeded fault schedule. */
  faultSchedule?: (request: WireRequest, draw: RandomSource) => Faults['forced'];
  draw: RandomSource;
}

/**
 * The network between a client policy and the simulator, on the benchmark's fake clock: a fixed latency, a shared
 * uplink for upload bodies, and the simulator answering as its HTTP host would (same status, headers, bodies).
 * Requests reach the simulator one at a time, in the order their bodies finished arriving, so a seed gives one run.
 */
export function createWire(options: WireOptions): Wire {
  const { simulator } = options;
  const tally: WireTally = { bytesSent: 0, carried: 0 };
  let realWork = 0;
  let uplinkFreeAt = 0;
  let serial: Promise<unknown> = Promise.resolve();

  async function send(request: WireRequest, signal?: AbortSignal | null): Promise<Response> {
    const receivedAt = Date.now();
    const file = request.form?.get('file');
    const bodyBytes = file && typeof file !== 'string' ? file.size : 0;
    // Bodies share the one uplink, first come first served: twenty uploads at once take as long as one after another.
    const sendingFrom = bodyBytes > 0 ? Math.max(receivedAt, uplinkFreeAt) : receivedAt;
    const sentAt = sendingFrom + Math.ceil((bodyBytes / WIRE_BYTES_PER_SECOND) * 1000);
    if (bodyBytes > 0) uplinkFreeAt = sentAt;
    try {
      await abortableDelay(sentAt - receivedAt + LATENCY_MS, signal);
    } catch (error) {
      const now = Date.now();
      tally.bytesSent += Math.round(bodyBytes * Math.min(1, Math.max(0, (now - sendingFrom) / Math.max(1, sentAt - sendingFrom))));
      if (uplinkFreeAt === sentAt) uplinkFreeAt = Math.max(now, sendingFrom);
      throw error;
    }
    tally.bytesSent += bodyBytes;
    tally.carried += 1;
    realWork += 1;
    const answered = serial.then(() => {
      // Set just before this request is served, so the fault falls on it and an unspent one never on a later request.
      if (options.faultSchedule) simulator.account(options.accountId).faults.forced = options.faultSchedule(request, options.draw);
      return simulator.handle({
        method: request.method,
        path: request.path,
        query: request.query,
        authorization: `Bearer ${request.key}`,
        form: request.form ?? null,
        receivedAt,
        origin: PAGE_ORIGIN,
      });
    });
    serial = answered.catch(() => undefined);
    try {
      return toHttpResponse(await answered);
    } finally {
      realWork -= 1;
    }
  }

  const wireFetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const key = (headers.get('authorization') ?? '').replace(/^Bearer /, '');
    let form: Map<string, SimFormValue> | null = null;
    if (init?.body instanceof FormData) {
      form = new Map();
      for (const [name, value] of init.body.entries()) if (!form.has(name)) form.set(name, value as SimFormValue);
    }
    return send({ method: init?.method ?? 'GET', path: url.pathname, query: url.searchParams, key, form }, init?.signal);
  };

  return { fetch: wireFetch, send, tally, busy: () => realWork > 0 };
}
