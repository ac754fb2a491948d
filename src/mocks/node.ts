import { setupServer } from 'msw/node';
import type { NovaPulseSimulator } from './core/simulator';
import { createHandlers } from './handlers';

/** The simulator as Vitest's network (msw/node); unhandled requests fail the test. */
export function createNodeHost(simulator: NovaPulseSimulator) {
  return setupServer(...createHandlers(simulator));
}
