import { getResponse } from 'msw';
import { seededRandom } from '../lib/random';
import { createDemoSimulator, DEMO_ACCOUNT_ID, DEMO_API_KEY } from './core/demo';
import { createHandlers } from './handlers';

const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
const ORIGIN = 'http://demo.test';

function demo() {
  const sim = createDemoSimulator({ clock: () => T0, random: seededRandom(21) });
  const handlers = createHandlers(sim);
  const send = async (method: string, path: string, init: RequestInit = {}) => {
    const response = await getResponse(handlers, new Request(`${ORIGIN}${path}`, { method, ...init }));
    if (!response) throw new Error(`no handler for ${method} ${path}`);
    return response;
  };
  return { sim, send };
}

describe('the simulator control API for the demo', () => {
  it('POST /__sim/demo/key needs no key, and after "Key expires now" hands out a key the API accepts', async () => {
    const { sim, send } = demo();
    sim.expireKeyNow(DEMO_ACCOUNT_ID);
    const answer = await send('POST', '/__sim/demo/key');
    expect(answer.status).toBe(200);
    const { account_id, key } = (await answer.json()) as { account_id: string; key: string };
    expect(account_id).toBe(DEMO_ACCOUNT_ID);
    expect(key).not.toBe(DEMO_API_KEY);
    const account = await send('GET', '/v1/account', { headers: { Authorization: `Bearer ${key}` } });
    expect(account.status).toBe(200);
    expect((await send('GET', '/v1/account', { headers: { Authorization: `Bearer ${DEMO_API_KEY}` } })).status).toBe(401);
  });

  it('POST /__sim/demo/reset works whatever state the demo key is in, and the demo key works again after it', async () => {
    const { sim, send } = demo();
    sim.expireKeyNow(DEMO_ACCOUNT_ID);
    expect((await send('POST', '/__sim/demo/reset')).status).toBe(204);
    expect((await send('GET', '/v1/account', { headers: { Authorization: `Bearer ${DEMO_API_KEY}` } })).status).toBe(200);
    const { key } = (await (await send('POST', '/__sim/demo/key')).json()) as { key: string };
    expect(key).toBe(DEMO_API_KEY);
  });
});
