import { normaliseOrigin, parseSimulatorArgs, preflightHeaders, responseCorsHeaders } from './cors';

const CONSOLE = 'https://console.example.com';
const EXPOSE_LINE = 'X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, RateLimit, Retry-After, X-Request-Id, Date';

describe('the standalone simulator options', () => {
  it('defaults to port 8787, no origins, every header exposed and sent', () => {
    expect(parseSimulatorArgs([])).toEqual({ port: 8787, allowedOrigins: [], exposeHeaders: true, sendDate: true, sendRequestId: true });
  });

  it('takes repeated --origin flags and NOVAPULSE_SIM_ORIGINS, as origins without a trailing slash, each once', () => {
    const options = parseSimulatorArgs(['--origin', 'http://localhost:4173/', '--origin=https://console.example.com', '--port', '9000'], {
      NOVAPULSE_SIM_ORIGINS: 'https://console.example.com, https://staging.example.com',
    });
    expect(options.allowedOrigins).toEqual(['https://console.example.com', 'https://staging.example.com', 'http://localhost:4173']);
    expect(options.port).toBe(9000);
  });

  it('reads --hide-expose-headers, --no-date and --no-request-id', () => {
    expect(parseSimulatorArgs(['--hide-expose-headers', '--no-date', '--no-request-id'])).toMatchObject({ exposeHeaders: false, sendDate: false, sendRequestId: false });
  });

  it('refuses an unknown flag, a missing value and an origin with a path', () => {
    expect(() => parseSimulatorArgs(['--expose'])).toThrow(/unknown option --expose/);
    expect(() => parseSimulatorArgs(['--origin'])).toThrow(/--origin needs a value/);
    expect(() => parseSimulatorArgs(['--port', 'eighty'])).toThrow(/--port must be a port number/);
    expect(() => normaliseOrigin('https://console.example.com/app')).toThrow(/not an origin/);
    expect(() => normaliseOrigin('ftp://console.example.com')).toThrow(/not an origin/);
  });
});

describe('CORS answers', () => {
  const options = { allowedOrigins: [CONSOLE], exposeHeaders: true };

  it('a preflight from an allowed origin names that origin (never *), the methods and headers the console sends, and a max age', () => {
    expect(preflightHeaders(options, CONSOLE)).toEqual({
      'Access-Control-Allow-Origin': CONSOLE,
      'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept',
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    });
  });

  it('an actual answer to an allowed origin exposes the headers the console reads', () => {
    expect(responseCorsHeaders(options, CONSOLE)).toEqual({ 'Access-Control-Allow-Origin': CONSOLE, 'Access-Control-Expose-Headers': EXPOSE_LINE, Vary: 'Origin' });
  });

  it('with --hide-expose-headers the answer allows the origin but exposes nothing', () => {
    expect(responseCorsHeaders({ ...options, exposeHeaders: false }, CONSOLE)).toEqual({ 'Access-Control-Allow-Origin': CONSOLE, Vary: 'Origin' });
  });

  it('another origin, or none, gets no CORS header at all', () => {
    for (const origin of ['https://evil.example', 'https://console.example.com.evil.example', null]) {
      expect(preflightHeaders(options, origin)).toEqual({ Vary: 'Origin' });
      expect(responseCorsHeaders(options, origin)).toEqual({ Vary: 'Origin' });
    }
  });
});
