import { useQuery } from '@tanstack/react-query';
import { useApiClient } from '../../api/api-client-context';
import { accountQueryOptions } from '../../api/endpoints/get-account';
import { useBackgroundRefresh } from '../../api/use-background-refresh';
import { useScreenRefreshInterval } from '../../components/screen-refresh';

/** Of the background budget, the share the gauges' account reads may take (list heads take as much; counting half). */
export const ACCOUNT_REFRESH_SHARE = 0.25;

/**
 * The one background reader of the account, whichever gauges are on screen (the strip, or the Overview's summary):
 * the person's refresh interval, stretched to its share of the budget. The layout calls it once; the gauges only read.
 */
export function useAccountRefresh(enabled: boolean) {
  const client = useApiClient();
  const intervalMs = useScreenRefreshInterval();
  const account = useQuery({ ...accountQueryOptions(client), enabled });
  useBackgroundRefresh(account.refetch, enabled ? intervalMs : false, ACCOUNT_REFRESH_SHARE, account.dataUpdatedAt);
}
