import { createContext, type ReactNode, useContext } from 'react';

/**
 * How often the screens refetch what they show, in milliseconds, or false for
 * never: the person's choice, provided by the app so features need not know
 * where it is kept.
 */
const ScreenRefreshContext = createContext<number | false>(false);

export function ScreenRefreshProvider({ intervalMs, children }: { intervalMs: number | false; children: ReactNode }) {
  return <ScreenRefreshContext.Provider value={intervalMs}>{children}</ScreenRefreshContext.Provider>;
}

/** The person's refresh interval for what a screen shows; a screen hands it to `useBackgroundRefresh`, never to `refetchInterval`. */
export function useScreenRefreshInterval(): number | false {
  return useContext(ScreenRefreshContext);
}
