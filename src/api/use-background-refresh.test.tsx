// @vitest-environment jsdom
import { renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { ApiProvider } from './api-client-context';
import type { ApiClient } from './client';
import type { ExchangeLog } from './exchange-log';
import type { RateLimitInfo } from './headers';
import { createBlindPacer } from './hidden-headers';
import { useBackgroundRefresh } from './use-background-refresh';

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);

function setup(rateLimit: () => RateLimitInfo | null) {
  const exchanges = { latestRateLimit: rateLimit } as unknown as ExchangeLog;
  // The API's count is readable here, so the client's own count never stands in for it.
  const client = { pacer: createBlindPacer() } as unknown as ApiClient;
  const wrapper = ({ children }: { children: ReactNode }) => (
    <ApiProvider client={client} exchanges={exchanges}>
      {children}
    </ApiProvider>
  );
  const refresh = vi.fn(() => Promise.resolve());
  return { refresh, wrapper };
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('useBackgroundRefresh', () => {
  it('refreshes once per interval, counted from the last answer, and re-renders do not restart the clock', async () => {
    const { refresh, wrapper } = setup(() => null);
    const { rerender } = renderHook(({ updatedAt }) => useBackgroundRefresh(refresh, 10_000, 0.25, updatedAt), { wrapper, initialProps: { updatedAt: T0 - 4_000 } });
    // The answer on screen is 4 s old: the first refresh is 6 s away.
    await vi.advanceTimersByTimeAsync(5_900);
    expect(refresh).not.toHaveBeenCalled();
    // Every second the poll patches a row: the cached answer's time moves, the screen re-renders.
    for (let second = 0; second < 30; second++) {
      rerender({ updatedAt: Date.now() });
      await vi.advanceTimersByTimeAsync(1_000);
    }
    // 6 s, 16 s, 26 s: three refreshes in the 35.9 s, whatever the re-renders.
    expect(refresh).toHaveBeenCalledTimes(3);
  });

  it('never refreshes when the person turned refresh off', async () => {
    const { refresh, wrapper } = setup(() => null);
    renderHook(() => useBackgroundRefresh(refresh, false, 0.25, T0), { wrapper });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('stretches the interval to its share of the budget, and waits for the reset when only the reserve is left', async () => {
    // 120 a minute with 34 left and 60 s to go: a quarter of the 4 above the reserve of 30 is one request, in 60 s.
    let rateLimit: RateLimitInfo = { limit: 120, remaining: 34, resetSeconds: 60, resetAt: T0 + 60_000 };
    const { refresh, wrapper } = setup(() => rateLimit);
    refresh.mockImplementation(() => {
      // Its answer says only the reserve is left, in a window ending 60 s on.
      rateLimit = { limit: 120, remaining: 30, resetSeconds: 60, resetAt: Date.now() + 60_000 };
      return Promise.resolve();
    });
    renderHook(() => useBackgroundRefresh(refresh, 2_000, 0.25, T0), { wrapper });
    await vi.advanceTimersByTimeAsync(59_000);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    // Nothing above the reserve: the next refresh waits for the window to reset.
    await vi.advanceTimersByTimeAsync(59_900);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('stops when the screen goes away', async () => {
    const { refresh, wrapper } = setup(() => null);
    const { unmount } = renderHook(() => useBackgroundRefresh(refresh, 2_000, 0.25, T0), { wrapper });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    unmount();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});
