import { QueryClient } from '@tanstack/react-query';
import { retryDecision } from '../errors/retry-decision';
import { type RandomSource, systemRandom } from '../lib/random';

/**
 * Retry and retryDelay are set once, here, from the catalogue, so screens
 * cannot drift apart. TanStack counts failures from 0; the catalogue counts
 * attempts from 1.
 */
export function createQueryClient(random: RandomSource = systemRandom): QueryClient {
  const retry = (failureCount: number, error: unknown) => retryDecision(error, failureCount + 1, random).retry;
  const retryDelay = (failureCount: number, error: unknown) => {
    const decision = retryDecision(error, failureCount + 1, random);
    return decision.retry ? decision.delayMs : 0;
  };
  return new QueryClient({
    defaultOptions: {
      queries: { retry, retryDelay, throwOnError: false, refetchOnWindowFocus: true },
      mutations: { retry, retryDelay },
    },
  });
}
