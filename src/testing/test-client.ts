import { createApiClient, type Exchange } from '../api/client';
import { createRequestGate } from '../api/request-gate';
import type { Clock } from '../lib/random';

export function createClientForTests(options: { baseUrl: string; key: string | null; clock?: Clock }) {
  let key = options.key;
  const exchanges: Exchange[] = [];
  const gate = createRequestGate({ initiallyHasKey: key !== null, clock: options.clock });
  const client = createApiClient({ baseUrl: options.baseUrl, gate, getKey: () => key, clock: options.clock, onExchange: (exchange) => exchanges.push(exchange) });
  return {
    client,
    gate,
    exchanges,
    setKey(next: string) {
      key = next;
      gate.keyProvided();
    },
  };
}
