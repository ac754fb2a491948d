import { createServer, type Server } from 'node:http';
import { isPreflight, preflightHeaders, responseCorsHeaders, type SimulatorOptions } from './cors';
import { createSimulatorMiddleware } from './http-host';
import type { NovaPulseSimulator } from './core/simulator';

/**
 * The simulator standing in for NovaPulse itself: on its own origin, behind the CORS rules a real deployment needs,
 * with the same middleware (and so the same /v1 API and /__sim control API) as the Vite dev and preview servers.
 */
export function createStandaloneServer(simulator: NovaPulseSimulator, options: SimulatorOptions): Server {
  const omitHeaders = [...(options.sendDate ? [] : ['Date']), ...(options.sendRequestId ? [] : ['X-Request-Id'])];
  const middleware = createSimulatorMiddleware(simulator, { omitHeaders });
  return createServer((request, response) => {
    const origin = typeof request.headers.origin === 'string' ? request.headers.origin : null;
    response.sendDate = options.sendDate;
    if (isPreflight(request.method, request.headers)) {
      response.writeHead(204, preflightHeaders(options, origin));
      response.end();
      return;
    }
    for (const [name, value] of Object.entries(responseCorsHeaders(options, origin))) response.setHeader(name, value);
    middleware(request, response, () => {
      response.statusCode = 404;
      response.setHeader('Content-Type', 'text/plain');
      response.end('Not found: the simulator answers /v1/… (the NovaPulse API) and /__sim/… (its control API).\n');
    });
  });
}
