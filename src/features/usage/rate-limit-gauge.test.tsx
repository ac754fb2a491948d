// @vitest-environment jsdom
import { act, render, screen } from '@testing-library/react';
import { ApiProvider } from '../../api/api-client-context';
import { createApiClient, type Exchange } from '../../api/client';
import { fetchAccount } from '../../api/endpoints/get-account';
import { createExchangeLog } from '../../api/exchange-log';
import { parseRateLimit } from '../../api/headers';
import { createRequestGate } from '../../api/request-gate';
import { setupSimulatorHost, TEST_API_BASE } from '../../testing/simulator-host';
import { RateLimitGauge } from './account-summary';

const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);

/** The gauge over its own exchange log and gate, on a test clock moved together with the fake timers. */
function renderGauge(options: { fallbackLimit?: number } = {}) {
  const time = { now: T0 };
  const clock = () => time.now;
  const exchanges = createExchangeLog();
  const gate = createRequestGate({ initiallyHasKey: true, clock });
  const client = createApiClient({ baseUrl: 'http://unused.test', gate, getKey: () => 'unused', clock, onExchange: exchanges.record });
  render(
    <ApiProvider client={client} exchanges={exchanges}>
      <RateLimitGauge fallbackLimit={options.fallbackLimit ?? 120} clock={clock} />
    </ApiProvider>,
  );
  return {
    exchanges,
    gate,
    time,
    /** A response as the client records it, its rate-limit headers read at the test clock's now. */
    respond(id: number, headers: Record<string, string>) {
      const rateLimit = parseRateLimit(new Headers(headers), time.now);
      const exchange: Exchange = { id, method: 'GET', path: '/v1/jobs', startedAt: time.now, endedAt: time.now, status: 200, requestId: `req_${id}`, code: null, retryAfterMs: null, rateLimit };
      act(() => exchanges.record(exchange));
    },
    advance(ms: number) {
      time.now += ms;
      act(() => vi.advanceTimersByTime(ms));
    },
  };
}

const meter = () => screen.getByRole('meter', { name: 'Requests this minute' });

describe('the rate-limit gauge', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('follows every response: after 30 requests whose headers say 90 of 120 remain, 30 of 120 used', () => {
    const gauge = renderGauge();
    for (let request = 1; request <= 30; request++) {
      gauge.respond(request, { 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': String(120 - request), 'X-RateLimit-Reset': '40' });
    }
    expect(meter()).toHaveAttribute('value', '30');
    expect(meter()).toHaveAttribute('min', '0');
    expect(meter()).toHaveAttribute('max', '120');
    expect(meter()).toHaveAttribute('aria-valuetext', '30 of 120 used');
    expect(screen.getByText('30 of 120 used')).toBeVisible();
    expect(meter()).toHaveAccessibleDescription('90 left; the window resets in 40 s.');
  });

  it('counts down to the reset every second while idle, then shows the new window instead of stale numbers', () => {
    const gauge = renderGauge();
    gauge.respond(1, { 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': '90', 'X-RateLimit-Reset': '40' });
    expect(meter()).toHaveAccessibleDescription('90 left; the window resets in 40 s.');
    gauge.advance(1_000);
    expect(meter()).toHaveAccessibleDescription('90 left; the window resets in 39 s.');
    gauge.advance(1_000);
    expect(meter()).toHaveAccessibleDescription('90 left; the window resets in 38 s.');
    gauge.advance(37_000);
    expect(meter()).toHaveAccessibleDescription('90 left; the window resets in 1 s.');
    expect(meter()).toHaveAttribute('value', '30');

    gauge.advance(1_000);
    expect(meter()).toHaveAttribute('value', '0');
    expect(meter()).toHaveAttribute('max', '120');
    expect(screen.getByText('0 of 120 used')).toBeVisible();
    expect(meter()).toHaveAccessibleDescription('New window: all 120 requests available.');
    expect(screen.queryByText(/resets in 0 s/)).toBeNull();

    // Idle for minutes: still the new window, and no timer left running.
    gauge.advance(300_000);
    expect(meter()).toHaveAccessibleDescription('New window: all 120 requests available.');
    expect(vi.getTimerCount()).toBe(0);

    // The next response starts the count again.
    gauge.respond(2, { 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': '119', 'X-RateLimit-Reset': '60' });
    expect(meter()).toHaveAttribute('value', '1');
    expect(meter()).toHaveAccessibleDescription('119 left; the window resets in 60 s.');
  });

  it('the countdown ticks on the reset’s own second boundaries (a 40.5 s reset reads 40 s after 0.5 s)', () => {
    const gauge = renderGauge();
    gauge.respond(1, { 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': '100', 'X-RateLimit-Reset': '40' });
    gauge.advance(500);
    // Reset was 40 s from the response; 39.5 s left shows as 40 s...
    expect(meter()).toHaveAccessibleDescription('100 left; the window resets in 40 s.');
    // ...and 39 s the moment 39 s are left.
    gauge.advance(500);
    expect(meter()).toHaveAccessibleDescription('100 left; the window resets in 39 s.');
  });

  it('shows a Retry-After wait the gate holds, counting down, and drops it when the wait is over', () => {
    const gauge = renderGauge();
    gauge.respond(1, { 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '12' });
    act(() => gauge.gate.hold(T0 + 12_000, 'rate_limit_exceeded'));
    expect(meter()).toHaveAttribute('value', '120');
    expect(meter()).toHaveAccessibleDescription('Rate limit reached: the next request waits 12 s (Retry-After). 0 left; the window resets in 12 s.');
    gauge.advance(1_000);
    expect(meter()).toHaveAccessibleDescription('Rate limit reached: the next request waits 11 s (Retry-After). 0 left; the window resets in 11 s.');
    gauge.advance(11_000);
    expect(meter()).toHaveAccessibleDescription('New window: all 120 requests available.');
  });

  it('shows a maintenance Retry-After (503) as a wait too', () => {
    const gauge = renderGauge();
    gauge.respond(1, { 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': '115', 'X-RateLimit-Reset': '50' });
    act(() => gauge.gate.hold(T0 + 30_000, 'service_unavailable'));
    expect(meter()).toHaveAccessibleDescription('NovaPulse is unavailable: the next request waits 30 s (Retry-After). 115 left; the window resets in 50 s.');
    gauge.advance(29_000);
    expect(meter()).toHaveAccessibleDescription('NovaPulse is unavailable: the next request waits 1 s (Retry-After). 115 left; the window resets in 21 s.');
    gauge.advance(1_000);
    expect(meter()).toHaveAccessibleDescription('115 left; the window resets in 20 s.');
  });

  it('before any response: the account’s limit, nothing used yet', () => {
    renderGauge({ fallbackLimit: 60 });
    expect(meter()).toHaveAttribute('max', '60');
    // The meter's value as the browser exposes it: Preact leaves the attribute unwritten when 0 is already the default.
    expect((meter() as HTMLMeterElement).value).toBe(0);
    expect(meter()).toHaveAccessibleDescription('60 requests per minute on this key.');
  });
});

describe('the rate-limit gauge against the simulator', () => {
  const host = setupSimulatorHost();

  it('after 30 requests on the key, reads what the simulator counted', async () => {
    const account = host.account({ tier: 'growth' });
    const key = account.keys.full;
    const clock = () => host.clock.now;
    const exchanges = createExchangeLog();
    const gate = createRequestGate({ initiallyHasKey: true, clock });
    const client = createApiClient({ baseUrl: TEST_API_BASE, gate, getKey: () => key, clock, onExchange: exchanges.record });
    render(
      <ApiProvider client={client} exchanges={exchanges}>
        <RateLimitGauge fallbackLimit={120} clock={clock} />
      </ApiProvider>,
    );
    for (let request = 0; request < 30; request++) await act(() => fetchAccount(client));
    const log = host.simulator.requestLog(account.accountId);
    expect(log).toHaveLength(30);
    expect(log.at(-1)?.rateLimitRemaining).toBe(90);
    expect(meter()).toHaveAttribute('value', '30');
    expect(meter()).toHaveAttribute('max', '120');
    expect(screen.getByText('30 of 120 used')).toBeVisible();
  });
});
