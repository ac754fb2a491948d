import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { parseSimulatorArgs } from './cors';
import { NovaPulseSimulator } from './core/simulator';
import { createStandaloneServer } from './standalone-server';

const CONSOLE = 'http://console.test:4173';
let server: Server | null = null;

async function start(argv: string[]) {
  const simulator = new NovaPulseSimulator();
  const account = simulator.createAccount({ tier: 'starter' });
  server = createStandaloneServer(simulator, parseSimulatorArgs(['--port', '0', ...argv]));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { simulator, account, base };
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

describe('the standalone simulator over HTTP', () => {
  it('answers a preflight 204 with the CORS grant, without touching the key or its rate window', async () => {
    const { simulator, account, base } = await start(['--origin', CONSOLE]);
    const response = await fetch(`${base}/v1/jobs`, {
      method: 'OPTIONS',
      headers: { Origin: CONSOLE, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect(response.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type, Accept');
    expect(simulator.requestLog(account.accountId)).toEqual([]);
  });

  it('serves the API to an allowed origin with the headers exposed, and logs the origin', async () => {
    const { simulator, account, base } = await start(['--origin', CONSOLE]);
    const response = await fetch(`${base}/v1/account`, { headers: { Origin: CONSOLE, Authorization: `Bearer ${account.keys.full}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect(response.headers.get('access-control-expose-headers')).toBe('X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, RateLimit, Retry-After, X-Request-Id, Date');
    expect(response.headers.get('x-ratelimit-limit')).toBe('60');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(response.headers.get('date')).not.toBeNull();
    expect(simulator.requestLog(account.accountId).map((entry) => entry.origin)).toEqual([CONSOLE]);
  });

  it('with --hide-expose-headers --no-date --no-request-id still sends the rate-limit headers, but no expose list, Date or request id', async () => {
    const { account, base } = await start(['--origin', CONSOLE, '--hide-expose-headers', '--no-date', '--no-request-id']);
    const response = await fetch(`${base}/v1/account`, { headers: { Origin: CONSOLE, Authorization: `Bearer ${account.keys.full}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect(response.headers.get('access-control-expose-headers')).toBeNull();
    expect(response.headers.get('x-ratelimit-remaining')).toBe('59');
    expect(response.headers.get('date')).toBeNull();
    expect(response.headers.get('x-request-id')).toBeNull();
  });

  it('gives another origin no CORS header, and the /__sim control API stays reachable', async () => {
    const { base } = await start(['--origin', CONSOLE]);
    const response = await fetch(`${base}/__sim/health`, { headers: { Origin: 'http://elsewhere.test' } });
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${base}/index.html`)).status).toBe(404);
  });
});
