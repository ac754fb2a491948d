/**
 * The CORS front of the standalone simulator: what NovaPulse must answer when the console is served from another
 * origin. Pure, so the rules are tested without a server.
 */

/** Every header the console reads from an answer; the page sees none of them across origins unless they are listed. */
export const EXPOSED_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'RateLimit', 'Retry-After', 'X-Request-Id', 'Date'] as const;
/** The console sends GET and POST (and DELETE through the client's types); the demo panel POSTs and DELETEs on /__sim. */
export const ALLOWED_METHODS = ['GET', 'POST', 'DELETE', 'OPTIONS'] as const;
/** Authorization carries the key; Accept is set on every request; Content-Type on the demo panel's JSON and uploads. */
export const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Accept'] as const;
export const PREFLIGHT_MAX_AGE_SECONDS = 600;

export interface CorsOptions {
  /** Exact origins (scheme, host, port) the console is served from. */
  allowedOrigins: readonly string[];
  /** False imitates the common mistake: the headers are sent, but the page may not read them. */
  exposeHeaders: boolean;
}

export interface SimulatorOptions extends CorsOptions {
  port: number;
  /** False: no Date header (Node's own, and the simulator's). */
  sendDate: boolean;
  /** False: no X-Request-Id header. */
  sendRequestId: boolean;
}

export const DEFAULT_SIMULATOR_PORT = 8787;

/** "https://console.example/" and "https://console.example" name one origin; anything with a path or no http(s) is refused. */
export function normaliseOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`not an origin: ${JSON.stringify(value)} (expected e.g. https://console.example.com)`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    throw new Error(`not an origin: ${JSON.stringify(value)} (scheme, host and port only, e.g. https://console.example.com)`);
  }
  return url.origin;
}

/** Reads `--port`, repeatable `--origin`, `--hide-expose-headers`, `--no-date`, `--no-request-id`, and NOVAPULSE_SIM_ORIGINS (comma-separated). */
export function parseSimulatorArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): SimulatorOptions {
  const options: SimulatorOptions = { port: DEFAULT_SIMULATOR_PORT, allowedOrigins: [], exposeHeaders: true, sendDate: true, sendRequestId: true };
  const origins: string[] = (env.NOVAPULSE_SIM_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] ?? '').split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--port') {
      const port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be a port number, not ${argv[i]}`);
      options.port = port;
    } else if (flag === '--origin') origins.push(value());
    else if (flag === '--hide-expose-headers') options.exposeHeaders = false;
    else if (flag === '--no-date') options.sendDate = false;
    else if (flag === '--no-request-id') options.sendRequestId = false;
    else throw new Error(`unknown option ${flag} (known: --port, --origin, --hide-expose-headers, --no-date, --no-request-id)`);
  }
  options.allowedOrigins = [...new Set(origins.map(normaliseOrigin))];
  return options;
}

function isAllowed(options: CorsOptions, origin: string | null | undefined): origin is string {
  return typeof origin === 'string' && options.allowedOrigins.includes(origin);
}

/**
 * The answer to a preflight (OPTIONS with Access-Control-Request-Method). The origin is echoed, never `*`: the
 * console sends Authorization, which a wildcard does not cover. A disallowed origin gets no CORS headers at all,
 * so the browser refuses the request it was asking about.
 */
export function preflightHeaders(options: CorsOptions, origin: string | null | undefined): Record<string, string> {
  if (!isAllowed(options, origin)) return { Vary: 'Origin' };
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': ALLOWED_METHODS.join(', '),
    'Access-Control-Allow-Headers': ALLOWED_HEADERS.join(', '),
    'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_SECONDS),
    Vary: 'Origin',
  };
}

/** The CORS headers on an actual answer. */
export function responseCorsHeaders(options: CorsOptions, origin: string | null | undefined): Record<string, string> {
  if (!isAllowed(options, origin)) return { Vary: 'Origin' };
  const headers: Record<string, string> = { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
  if (options.exposeHeaders) headers['Access-Control-Expose-Headers'] = EXPOSED_HEADERS.join(', ');
  return headers;
}

/** A CORS preflight: OPTIONS naming the method it asks about (a bare OPTIONS is an ordinary request). */
export function isPreflight(method: string | undefined, headers: Record<string, string | string[] | undefined>): boolean {
  return method === 'OPTIONS' && typeof headers['access-control-request-method'] === 'string';
}
