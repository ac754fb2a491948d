import type { RequestHandler } from 'msw';
import { createClientForTests } from './test-client';
import { type AccountHandle, type CreateAccountOptions, NovaPulseSimulator } from '../mocks/core/simulator';
import { createNodeHost } from '../mocks/node';

export const TEST_API_BASE = 'http://novapulse.test';

/**
 * One simulator on msw/node for a test file, with a controllable clock.
 * Unhandled requests fail the test.
 */
export function setupSimulatorHost(extraHandlers: () => RequestHandler[] = () => []) {
  const clock = { now: Date.UTC(2026, 10, 25, 10, 0, 0) };
  const simulator = new NovaPulseSimulator({ clock: () => clock.now });
  const server = createNodeHost(simulator);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  beforeEach(() => {
    const extra = extraHandlers();
    if (extra.length) server.use(...extra);
  });
  return {
    simulator,
    server,
    clock,
    account(options?: CreateAccountOptions): AccountHandle {
      return simulator.createAccount(options);
    },
    client(key: string | null) {
      return createClientForTests({ baseUrl: TEST_API_BASE, key, clock: () => clock.now });
    },
  };
}
