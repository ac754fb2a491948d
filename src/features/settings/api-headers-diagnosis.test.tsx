// @vitest-environment jsdom
import { act, render, screen } from '@testing-library/react';
import { ApiProvider } from '../../api/api-client-context';
import { createApiClient, type Exchange } from '../../api/client';
import { createExchangeLog } from '../../api/exchange-log';
import { createRequestGate } from '../../api/request-gate';
import { ApiHeadersDiagnosis } from './api-headers-diagnosis';

const answered = (id: number): Exchange => ({ id, method: 'GET', path: '/v1/account', startedAt: id, endedAt: id + 1, status: 200, requestId: `req_${id}`, code: null, retryAfterMs: null, rateLimit: null });

describe('the API headers check', () => {
  it('waits for an answer to this page: one kept from before a reload tells nothing about what it can read', () => {
    const exchanges = createExchangeLog();
    exchanges.earlierRestored([answered(1)]);
    const client = createApiClient({ baseUrl: 'https://api.example', gate: createRequestGate({ initiallyHasKey: true }), getKey: () => null });
    render(
      <ApiProvider client={client} exchanges={exchanges}>
        <ApiHeadersDiagnosis />
      </ApiProvider>,
    );
    expect(screen.getByText('No answer from https://api.example yet: this is checked with the first one.')).toBeVisible();
    act(() => exchanges.record({ ...answered(2), unreadable: ['X-RateLimit-Remaining'] }));
    expect(screen.getByText(/answers, but this page cannot read/)).toHaveTextContent('https://api.example answers, but this page cannot read: X-RateLimit-Remaining.');
  });
});
